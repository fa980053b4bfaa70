"""Every evaluation ends: bounded depth, work and length (sfnlocal's bounds, see sfnlocal/language/jsonata/bounds.py),
regular expressions that cannot backtrack, and the process's recursion limit left as it was.

The codes are JSONata's: D1011 for a stack overflow and D1012 for an evaluation that does not end
(jsonata-js raises them from its timebox, jsonata-python from its runtime bounds); the bounds
themselves are sfnlocal's, as AWS documents none. Timings are generous (the machine may be busy):
what is tested is that the evaluation ends, not how fast.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REPO

from sfnlocal.language.jsonata import JsonataSyntaxError, QueryEvaluationFailure, compile_expression
from sfnlocal.language.jsonata.bounds import MAX_DEPTH, MAX_LENGTH, MAX_WORK, STACK_FRAMES

from .support import failure, run

STACK_OVERFLOW = (
    "threw an error during evaluation. D1011: Stack overflow. Check for non-terminating recursive function.  "
    "Consider rewriting as tail-recursive"
)
ENDLESS = (
    f"threw an error during evaluation. D1012: The evaluation did not end within sfnlocal's bound of {MAX_WORK} "
    "steps. Check for infinite loop"
)
GENEROUS = 60.0  # seconds: the bounds end these in a few seconds on an idle machine


def too_long(kind: str, length: int) -> str:
    return (
        f"threw an error during evaluation. D1012: The evaluation made {kind} of {length} items or characters, "
        f"beyond sfnlocal's bound of {MAX_LENGTH}"
    )


def timed_failure(text: str) -> tuple[str, float]:
    started = time.monotonic()
    cause = failure(text)
    return cause, time.monotonic() - started


def test_a_self_recursive_function_in_tail_position_ends_with_d1012() -> None:
    # The reproduction: a tail call runs in the engine's trampoline, so the stack never grows.
    cause, seconds = timed_failure("($f := function($x){$f($x)}; $f(1))")
    assert cause == ENDLESS
    assert seconds < GENEROUS


def test_recursion_that_grows_the_stack_ends_with_d1011_quickly() -> None:
    cause, seconds = timed_failure("($f := function($n){1 + $f($n)}; $f(1))")
    assert cause == STACK_OVERFLOW
    assert seconds < 10


@pytest.mark.parametrize("levels", [1, 50, 300])
def test_recursion_within_the_depth_bound_works(levels: int) -> None:
    # A level of this function nests about three evaluations: 300 levels are within MAX_DEPTH.
    assert MAX_DEPTH >= 3 * 300
    assert run(f"($f := function($n){{$n = 0 ? 0 : $n + $f($n - 1)}}; $f({levels}))") == levels * (levels + 1) // 2


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2_000))
def test_recursion_either_gives_its_value_or_overflows_cleanly(levels: int) -> None:
    # Never a Python error, never a wrong value: up to the bound the value, beyond it D1011.
    text = f"($f := function($n){{$n = 0 ? 0 : 1 + $f($n - 1)}}; $f({levels}))"
    if levels <= MAX_DEPTH // 4:
        assert run(text) == levels
    elif levels > MAX_DEPTH // 2:
        assert failure(text) == STACK_OVERFLOW
    else:  # near the bound (a level nests two to four evaluations): either, as long as it is one of them
        try:
            assert run(text) == levels
        except QueryEvaluationFailure as err:
            assert (err.cause or "").endswith(STACK_OVERFLOW)


def test_a_tail_recursive_loop_that_ends_is_not_bounded_by_depth() -> None:
    # Tail calls do not nest: 5,000 iterations are far beyond MAX_DEPTH, and far within MAX_WORK.
    assert run("($loop := function($n, $acc){$n = 0 ? $acc : $loop($n - 1, $acc + 1)}; $loop(5000, 0))") == 5000


def test_ranges_are_bounded_as_jsonata_bounds_them() -> None:
    # JSONata's range operator allows 1e7 items (jsonata-js: "must not exceed 1e7"; AWS documents JSONata 2.0.6,
    # whose D2014 message says 1e6 with the same 1e7 check).
    assert run("$count([1..10000000])") == 10_000_000
    assert failure("[1..10000001]").startswith("threw an error during evaluation. D2014: ")


def test_a_huge_string_is_refused_before_or_as_it_is_made() -> None:
    assert failure("$pad('', 1000000000)") == too_long("a string", 1_000_000_000)
    assert failure("$join([$pad('', 6000000, 'x'), $pad('', 6000000, 'x')])") == too_long("a string", 12_000_000)
    assert failure("$replace($pad('', 2, 'b'), 'b', $pad('', 6000000, 'x'))") == too_long("a string", 12_000_000)
    cause = failure("$replace($pad('', 20000, 'b'), /b/, $pad('', 1000, 'x'))")
    assert cause.startswith("threw an error during evaluation. D1012: The evaluation made a string of ")
    assert run("$length($replace($pad('', 9000, 'b'), /(b)/, $pad('', 1000, 'x') & '$1'))") == 9_009_000


@pytest.mark.parametrize(
    "text",
    [
        # Each doubles a string or an array: forty rounds would make 2**40 characters or items.
        "$reduce([1..40], function($a, $b){$a & $a}, 'x')",
        "$reduce([1..40], function($a, $b){$append($a, $a)}, [1])",
        # An object holding one part twice, forty times over: small in memory, 2**40 parts written out.
        "$reduce([1..40], function($a, $b){{'l': $a, 'r': $a}}, {}) ~> $string",
        "$reduce([1..40], function($a, $b){{'l': $a, 'r': $a}}, {})",
        "($a := $reduce([1..40], function($a, $b){{'l': $a, 'r': $a}}, {}); $a = $a)",
        "$reduce([1..40], function($a, $b){{'l': $a, 'r': $a}}, {}).**",
        "$string([1..10000000])",
    ],
)
def test_values_that_explode_end_in_bounded_time(text: str) -> None:
    cause, seconds = timed_failure(text)
    assert cause.startswith("threw an error during evaluation. D1012: The evaluation "), cause
    assert seconds < GENEROUS


def test_distinct_takes_linear_time_and_compares_as_equals_does() -> None:
    # JSONata's documentation of $distinct: "Values are tested for deep equality as if by using the = operator",
    # so true is not 1 and [1] is [1.0]. A quadratic comparison took 75 s for 100,000 items.
    started = time.monotonic()
    assert run("$count($distinct([1..1000000]))") == 1_000_000
    assert time.monotonic() - started < GENEROUS
    assert run("$distinct([1, true, 1.0, '1', null, null, [1, 2], [1, 2.0], {'a': 1}, {'a': 1}])") == [
        1,
        True,
        "1",
        None,
        [1, 2],
        {"a": 1},
    ]
    assert run("$distinct([[1], [1]])") == [[1]]
    assert run("$distinct($states.input)", [3, 1, 3]) == [3, 1]


def test_a_catastrophic_regular_expression_matches_in_linear_time() -> None:
    # The reproduction: a backtracking engine takes minutes on this; RE2 takes microseconds.
    started = time.monotonic()
    assert run("$contains($states.input, /^(a|aa)+$/)", "a" * 40 + "!") is False
    assert run("$contains($states.input, /^(a|aa)+$/)", "a" * 100_000) is True
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("pattern", ["(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "(a)\\1"])
def test_patterns_re2_has_no_reading_for_are_refused_when_compiled(pattern: str) -> None:
    with pytest.raises(JsonataSyntaxError) as caught:
        compile_expression("{% $contains('ab', /" + pattern + "/) %}", "Output")
    assert f"sfnlocal cannot compile the regular expression /{pattern}/ with RE2" in str(caught.value)
    assert "no lookahead, lookbehind or backreferences" in str(caught.value)


def test_text_re2_cannot_read_fails_the_expression_cleanly() -> None:
    cause = failure('$contains("a\\ud800", /a/)')
    assert cause == (
        "threw an error during evaluation. sfnlocal matches regular expressions with RE2, which cannot read "
        "text holding a lone surrogate (the code point 0xd800 with no pair)"
    )
    assert run('$contains("a\\ud800", "a")') is True  # a string pattern needs no regular expression engine


def test_replacement_templates_read_as_jsonata_reads_them() -> None:
    # JSONata (jsonata-js functions.js, replace): "$10" with one group is group 1 followed by "0"; "$$" is "$".
    assert run("$replace('abc', /(b)/, '[$10]')") == "a[b0]c"
    assert run("$replace('abc', /(b)/, '$0$1$$')") == "abb$c"
    assert run("$replace('abcb', /b/, 'X', 1)") == "aXcb"
    assert run("$split('a1b22c', /[0-9]+/)") == ["a", "b", "c"]
    assert run("$match('x\\ny', /^y$/m)") == {"match": "y", "index": 2, "groups": []}
    assert run("$contains('Hello', /^h/i)") is True


# Patterns whose reading is the same in JavaScript, Python's re and RE2 (no lookaround, no backreference, ASCII).
PATTERNS = ["^(a|aa)+$", "a+b", "(ab)*!", "[ab]{2,3}", "b|!", "^a*$", "(a|b)(a|!)"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="ab!", max_size=12))
def test_re2_agrees_with_a_backtracking_engine_where_both_read_a_pattern_alike(pattern: str, text: str) -> None:
    expected = [match.group() for match in re.finditer(pattern, text)]
    found = run(f"$match($states.input, /{pattern}/)", text) if expected else None
    if not expected:
        assert failure(f"$match($states.input, /{pattern}/)", text) == "returned nothing (undefined)."
        return
    matches = found if isinstance(found, list) else [found]
    assert [match["match"] for match in matches] == expected


def test_evaluating_leaves_the_recursion_limit_as_it_was() -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1500)
    try:
        assert failure("($f := function($n){1 + $f($n)}; $f(1))") == STACK_OVERFLOW
        assert run("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(250))") == 250  # deeper than 1,500 frames
        assert sys.getrecursionlimit() == 1500
    finally:
        sys.setrecursionlimit(limit)


def test_concurrent_evaluations_put_the_recursion_limit_back_when_the_last_ends() -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(STACK_FRAMES // 2)  # below the limit evaluations run with, so that they raise it
    try:
        _evaluate_in_four_threads()
        assert sys.getrecursionlimit() == STACK_FRAMES // 2
    finally:
        sys.setrecursionlimit(limit)


def _evaluate_in_four_threads() -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def evaluate() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                assert run("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(250))") == 250
        except BaseException as err:  # reported below, from the test's thread
            errors.append(err)

    threads = [threading.Thread(target=evaluate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


PROBE = """
import sys
sys.setrecursionlimit(1234)
from sfnlocal import StateMachine
machine = StateMachine.from_dict({"StartAt": "P", "States": {"P": {
    "Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $sum([1, 2]) %}", "End": True}}})
assert sys.getrecursionlimit() == 1234, ("compiling", sys.getrecursionlimit())
assert machine.execute({}).output == 3
assert sys.getrecursionlimit() == 1234, ("evaluating", sys.getrecursionlimit())
"""


def test_compiling_the_first_expression_leaves_the_recursion_limit_as_it_was() -> None:
    # In a new process: the first compilation imports jsonata-python, which sets the limit to 10,000.
    completed = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
