"""Expressions in both query languages: JSONPath paths, payload templates, intrinsic functions, JSONata.

Each strategy mixes valid expressions with odd and malformed ones. The JSONata classes that hang today
(``jsonata_recursion``, ``catastrophic_regex`` in ``known_open.py``) are generated only when not excluded.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from .values import json_values, keys, sometimes, texts

_PATHS = (
    "$",
    "$.a",
    "$.a.b",
    "$['a']",
    "$['a','b']",
    "$.items[0]",
    "$.items[-1]",
    "$.items[*]",
    "$.items[0,1]",
    "$.items[1:]",
    "$.items[:2]",
    "$.items[::2]",
    "$..a",
    "$..*",
    "$.*",
    "$.items[?(@.n > 1)]",
    "$.items[?(@.a == 'x')]",
    "$.items[?(@.n)]",
    "$.items[?(@.a =~ /x.*/)]",
    "$.items.length()",
    "$.items.sum()",
    "$.items.min()",
    "$.list[999999999999]",
    "$.n",
    "$.Payload",
    "$.😀",
    "$['']",
    "$$",
    "$$.Execution.Name",
    "$$.Execution.Input",
    "$$.State.Name",
    "$$.State.RetryCount",
    "$$.Map.Item.Value",
    "$$.Map.Item.Index",
    "$$.Task.Token",
    "$$.Execution.StartTime",
    "$v",
    "$v.a",
    "$v[0]",
    "$undefinedVar",
    "$.a[0].b[1].c",
)
_MALFORMED_PATHS = (
    "",
    "a",
    "$.",
    "$[",
    "$..",
    "$.a..",
    "$['a",
    "$.[0]",
    "$.a[?(@.x >",
    "$$$",
    "$.a b",
    "$.a[",
    "States.Array($.a)",
    "$.items[?(@.n > 1 && @.a)]",
    "$[-0]",
    "$.a[1.5]",
)

INTRINSIC_FUNCTIONS = (
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayPartition",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayGetItem",
    "States.ArrayLength",
    "States.ArrayUnique",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.JsonMerge",
    "States.MathRandom",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
    "States.Nope",
)

_INTRINSICS = (
    "States.Format('Hello {}', $.a)",
    "States.StringToJson($.a)",
    "States.JsonToString($)",
    "States.Array($.a, 1)",
    "States.ArrayPartition($.items, 2)",
    "States.ArrayContains($.items, 1)",
    "States.ArrayRange(1, 9, 2)",
    "States.ArrayGetItem($.items, 0)",
    "States.ArrayLength($.items)",
    "States.ArrayUnique($.items)",
    "States.Base64Encode($.a)",
    "States.Base64Decode('aGk=')",
    "States.Hash($.a, 'SHA-256')",
    "States.JsonMerge($.a, $.b, false)",
    "States.MathRandom(1, 10)",
    "States.MathAdd($.n, 1)",
    "States.StringSplit($.a, ',')",
    "States.UUID()",
    "States.Format('{}', $$.Execution.Name)",
    "States.Array($v)",
)
_MALFORMED_INTRINSICS = (
    "States.Format(",
    "States.Format('{}'",
    "States.Array(,)",
    "States.Format('{}', $.a, )",
    "States.()",
    "States.Format('\\'",
    "States.Array($.a) extra",
    "States.MathAdd(1, 2",
    "States.Format('{}{}{}', 1)",
    "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(1))))))",
    "States.ArrayRange(0, 1000000000, 1)",
    "States.ArrayRange(1, 10, 0)",
    "States.Hash($.a, 'MD4')",
    "States.StringToJson('{\"a\": 1e999}')",
    "States.JsonMerge($.a, $.b, true)",
    "States.Base64Decode('%%%')",
)

_JSONATA = (
    "$states.input",
    "$states.input.a",
    "$states.input.items",
    "$states.input.items[0]",
    "$states.context.Execution.Name",
    "$states.context.State.Name",
    "$states.result",
    "$states.errorOutput",
    "$v",
    "$v.a",
    "$x",
    "$states",
    "1 + 1",
    "'text'",
    "null",
    "true",
    "[1, 2, 3]",
    "{'a': 1}",
    "$sum($states.input.items)",
    "$count($states.input.items)",
    "$string($states.input)",
    "$number('12')",
    "$split('a,b', ',')",
    "$join(['a', 'b'])",
    "$map([1, 2], function($v) { $v * 2 })",
    "$filter([1, 2, 3], function($v) { $v > 1 })",
    "$reduce([1, 2, 3], function($a, $b) { $a + $b })",
    "$keys($states.input)",
    "$lookup($states.input, 'a')",
    "$merge([{'a': 1}, {'b': 2}])",
    "$partition([1, 2, 3], 2)",
    "$range(0, 10, 2)",
    "$hash('x', 'SHA-256')",
    "$random()",
    "$uuid()",
    "$parse('{\"a\": 1}')",
    "$now()",
    "$millis()",
    "$toMillis('2025-01-01T00:00:00Z')",
    "$fromMillis(0)",
    "$formatNumber(1234.5, '#,##0.00')",
    "$match('abc', /b/)",
    "$replace('abc', 'b', 'x')",
    "$contains('abc', /a.c/)",
    "$states.input.a ? 1 : 2",
    "$exists($states.input.a)",
    "$type($states.input)",
    "$string(1/0)",
    "1/0",
    "$sqrt(-1)",
    "$power(10, 400)",
    "9007199254740993 + 1",
    "$eval('1')",
    "$states.input.items[$ > 1]",
    "$states.input.*",
    "$states.input.**",
    "$$.a",
    "[1..5]",
    "$pad('x', 20, '-')",
    "$base64encode('x')",
    "$error('boom')",
    "$assert(false, 'no')",
    "$sort([3, 1, 2])",
    "$distinct([1, 1])",
    "$shuffle([1, 2])",
    "$zip([1], [2])",
    "$spread({'a': 1})",
    "$each({'a': 1}, function($v, $k) { $k })",
    "$sift({'a': 1}, function($v) { $v })",
    "$single([1])",
    "$substring('abc', 1)",
    "$uppercase('é')",
    "$length('😀')",
    "$abs(-2)",
    "$round(2.5)",
    # heavy but bounded: a few thousand items
    "$sum([1..5000])",
    "$count($map([1..2000], function($v) { $string($v) }))",
    "$length($join($map([1..2000], function($v) { 'xxxxxxxxxx' })))",
)

_MALFORMED_JSONATA = (
    "",
    " ",
    "(",
    ")",
    "$states.input.",
    "1 +",
    "$undefinedFunction()",
    "$",
    "{",
    "[1, 2",
    "'unterminated",
    "$sum('a')",
    "$states.input.a.b.c.d()",
    "function($x) { $x }",
    "$string(",
    "/[/",
    "$map(1)",
    "%",
    "$states.input[",
    "1 := 2",
    "$partition([1], 0)",
    "$range(0, 1, 0)",
    "$hash('x', 'MD4')",
    "@@",
)

# Heavier: ranges of 10^4 to 10^7 items take seconds per evaluation today (16 s for [1..10000000] at ff9c2b6).
_HEAVY = (
    "$sum([1..100000])",
    "$count($map([1..20000], function($v) { $string($v) }))",
    "[1..10000000]",
    "$reduce([1..50000], function($a, $b) { $a + $b })",
)

_RECURSION = (
    "($f := function($x) { $f($x) }; $f(1))",
    "($f := function($n) { $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(100000))",
    "($g := function($x) { $g($x) + $g($x) }; $g(1))",
)

_CATASTROPHIC = (
    "$contains('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a|aa)+$/)",
    "$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /(a+)+b/)",
    "$replace('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', /(x+x+)+y/, 'z')",
)


@functools.cache
def paths(excluded: frozenset[str]) -> st.SearchStrategy[str]:
    """JSONPath Reference Paths and paths, valid and not, and '$' followed by any text."""
    odd = st.one_of(
        keys(excluded).map(lambda key: "$." + key),
        st.sampled_from(_MALFORMED_PATHS),
        texts(excluded, max_size=8).map(lambda text: "$" + text),
    )
    return sometimes(st.sampled_from(_PATHS), odd, 5)


@functools.cache
def intrinsics(excluded: frozenset[str]) -> st.SearchStrategy[str]:
    """Intrinsic function calls, nested up to three deep, and malformed ones."""
    literal = st.one_of(
        st.integers(-5, 20).map(str),
        st.sampled_from(["null", "true", "1.5", "'{}'", "'a,b'", "'SHA-256'", "'x'", "'{\"a\":1}'", "'\\{'"]),
        texts(excluded, max_size=5).map(lambda text: "'" + text.replace("'", "\\'") + "'"),
        paths(excluded),
    )
    calls = st.recursive(
        literal,
        lambda arguments: st.builds(
            lambda name, args: f"{name}({', '.join(args)})",
            st.sampled_from(INTRINSIC_FUNCTIONS),
            st.lists(arguments, max_size=4),
        ),
        max_leaves=6,
    )
    odd = st.one_of(calls.filter(lambda text: text.startswith("States.")), st.sampled_from(_MALFORMED_INTRINSICS))
    return sometimes(st.sampled_from(_INTRINSICS), odd, 3)


@functools.cache
def jsonata_expressions(excluded: frozenset[str]) -> st.SearchStrategy[str]:
    """The text between ``{%`` and ``%}``: calls, operators, heavy ones, malformed ones (and the known hangs)."""
    simple = st.sampled_from(_JSONATA)
    choices = [
        st.builds(
            lambda a, op, b: f"{a} {op} {b}", simple, st.sampled_from(["+", "&", "=", "and", "in", "?:"]), simple
        ),
        st.sampled_from(_MALFORMED_JSONATA),
        texts(excluded, max_size=10),
    ]
    if "heavy_jsonata" not in excluded:
        choices.append(st.sampled_from(_HEAVY))
    if "jsonata_recursion" not in excluded:
        choices.append(st.sampled_from(_RECURSION))
    if "catastrophic_regex" not in excluded:
        choices.append(st.sampled_from(_CATASTROPHIC))
    return sometimes(simple, st.one_of(choices), 4)


@functools.cache
def jsonata_strings(excluded: frozenset[str]) -> st.SearchStrategy[str]:
    """A whole JSONata field string: ``{% expr %}`` mostly, sometimes with text outside it or unclosed."""
    expression = jsonata_expressions(excluded)
    return st.one_of(
        expression.map(lambda text: "{% " + text + " %}"),
        expression.map(lambda text: "{%" + text),
        expression.map(lambda text: "x {% " + text + " %}"),
        st.just("{%%}"),
    )


@functools.cache
def jsonata_templates(excluded: frozenset[str]) -> st.SearchStrategy[Any]:
    """A JSONata field value: an expression string, or JSON holding expressions at any depth."""
    return st.recursive(
        jsonata_strings(excluded) | json_values(excluded, max_leaves=3),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(keys(excluded), children, max_size=3),
        max_leaves=5,
    )


@functools.cache
def payload_templates(excluded: frozenset[str]) -> st.SearchStrategy[Any]:
    """A JSONPath payload template: keys ending in ``.$`` take paths or intrinsics; others are literal."""
    dynamic = st.tuples(
        keys(excluded).map(lambda key: key + ".$") | st.sampled_from([".$", "a.$.$", "$"]),
        paths(excluded) | intrinsics(excluded) | json_values(excluded, max_leaves=2),
    )
    static = st.tuples(keys(excluded), json_values(excluded, max_leaves=3))
    return st.recursive(
        st.lists(dynamic | static, max_size=4).map(dict),
        lambda children: st.lists(st.tuples(keys(excluded), children) | dynamic, max_size=3).map(dict),
        max_leaves=4,
    ) | json_values(excluded, max_leaves=2)
