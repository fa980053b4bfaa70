"""Properties of the JSONPath evaluator (``sfnlocal.language.jsonpath``) over generated paths and documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal.language.jsonpath import InvalidPath, PathNotFound, compile_jsonpath

KEYS = ["a", "b", "c", "it's", 'say "hi"', "x y", "a.b", "ключ"]
scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from([0.5, 2.5, -1.25]) | st.sampled_from(KEYS)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    max_leaves=15,
)


def bracket(key: str) -> str:
    return "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


@st.composite
def walks(draw: st.DrawFn) -> tuple[Any, list[str | int]]:
    """A document and a list of keys and indexes that exist in it, from the root down."""
    document = draw(documents)
    keys: list[str | int] = []
    node = document
    while draw(st.booleans()):
        if isinstance(node, dict) and node:
            key: str | int = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(-len(node), len(node) - 1))
        else:
            break
        keys.append(key)
        node = node[key]  # type: ignore[index]
    return document, keys


@given(walk=walks(), dotted=st.booleans())
def test_a_definite_path_reads_what_indexing_the_document_gives(
    walk: tuple[Any, list[str | int]], dotted: bool
) -> None:
    document, keys = walk
    text = "$"
    expected = document
    for key in keys:
        if isinstance(key, int):
            text += f"[{key}]"
        elif dotted and key.isidentifier():
            text += "." + key
        else:
            text += bracket(key)
        expected = expected[key]
    path = compile_jsonpath(text)
    assert path.definite
    assert path.read(document) == expected


@given(walk=walks())
def test_a_name_missing_at_the_end_of_a_definite_path_is_path_not_found(walk: tuple[Any, list[str | int]]) -> None:
    document, keys = walk
    text = "$" + "".join(f"[{key}]" if isinstance(key, int) else bracket(key) for key in keys) + "['absent']"
    try:
        compile_jsonpath(text).read(document)
    except PathNotFound as missing:
        assert missing.message  # Jayway's wording, never empty
    else:
        raise AssertionError(f"{text} found something in {document!r}")


step_texts = st.sampled_from(
    [".a", "['b']", "['a','c']", "[0]", "[-1]", "[0,1]", "[1:]", "[:2]", "[-2:]", "[0:2]", "[*]", ".*", "..a",
     "..[0]", "[?(@.a)]", "[?(!@.b)]", "[?(@.a > 1)]", "[?(@.a == 'b' || @.c)]", "[?(@.a in [1, 2])]",
     "[?(@.a =~ /a.*/i)]", "[?(@ size 2)]", "[?($.a)]", "[?(@.a.length() > 0)]", "['it\\'s']", ".[0]"]
)  # fmt: skip
functions = st.sampled_from(["", "", "", ".length()", ".sum()", ".min()", ".keys()", ".first()", '.concat("x")'])


@given(steps=st.lists(step_texts, max_size=4), function=functions, document=documents)
@settings(max_examples=300)
def test_a_compiled_path_written_back_compiles_to_the_same_path(steps: list[str], function: str, document: Any) -> None:
    path = compile_jsonpath("$" + "".join(steps) + function)
    again = compile_jsonpath(path.source())
    assert again.text == path.text and again.definite == path.definite
    assert outcome(again, document) == outcome(path, document)


def outcome(path: Any, document: Any) -> Any:
    try:
        return ("value", path.read(document))
    except PathNotFound as failure:
        return ("failure", type(failure), failure.message)


@given(text=st.text(alphabet="$@.[]'\"?()*,:-01ab !=<>~/&|\\{}", max_size=16), document=documents)
@settings(max_examples=300)
def test_a_path_fails_only_as_jayway_does_when_compiled_or_read(text: str, document: Any) -> None:
    try:
        path = compile_jsonpath("$" + text)
    except InvalidPath:
        return
    try:
        path.read(document)
    except PathNotFound:
        pass


# A filter comparing one member with a literal, and the same test written directly in Python with Jayway's rules:
# numbers compare with numbers and strings with strings, nothing else; == also matches a number with a string of
# the same text; a member that is missing (or read from an item that is no object) matches nothing but !=.
operators = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
literals = st.sampled_from(
    [("1", Decimal(1)), ("2.5", Decimal("2.5")), ("'a'", "a"), ("'1'", "1"), ("-1", Decimal(-1))]
)


def jayway_compares(value: Any, operator: str, literal: Decimal | str) -> bool:
    if value is None or isinstance(value, (bool, list, dict)):
        return operator == "!="  # null, true, an array or an object equals no number and no string
    left: Decimal | str = (
        Decimal(repr(value)) if isinstance(value, float) else Decimal(value) if isinstance(value, int) else value
    )
    if operator in ("==", "!="):
        if isinstance(left, Decimal) and isinstance(literal, str):
            equal = left == Decimal(literal) if literal.lstrip("-").isdigit() else False
        elif isinstance(left, str) and isinstance(literal, Decimal):
            equal = left == str(literal)
        else:
            equal = left == literal
        return equal if operator == "==" else not equal
    if type(left) is not type(literal):
        return False
    return {"<": left < literal, "<=": left <= literal, ">": left > literal, ">=": left >= literal}[operator]  # type: ignore[operator]


@given(
    items=st.lists(st.dictionaries(st.just("v"), scalars, max_size=1) | scalars, max_size=6),
    operator=operators,
    literal=literals,
)
def test_a_filter_keeps_what_a_direct_reading_of_jaywayss_rules_keeps(
    items: list[Any], operator: str, literal: tuple[str, Decimal | str]
) -> None:
    text, value = literal
    found = compile_jsonpath(f"$[?(@.v {operator} {text})]").read(items)
    expected = [
        item
        for item in items
        if (jayway_compares(item["v"], operator, value) if isinstance(item, dict) and "v" in item else operator == "!=")
    ]
    assert found == expected
