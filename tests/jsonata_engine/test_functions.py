"""The functions Step Functions adds to JSONata, and the built-ins it changes ($now, $millis, $eval).

Expected values come from AWS's documentation ("JSONata functions provided by Step Functions") and
from executions recorded on AWS (../shared/conformance), cited per test.
"""

from __future__ import annotations

import re

import pytest

from .support import NOW, bindings, failure, run

UUID_V4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_partition_chunks_an_array_the_last_chunk_holding_the_rest() -> None:
    # AWS docs: the last chunk may be shorter than the chunk size.
    assert run("$partition([1,2,3,4], $states.input.chunkSize)", {"chunkSize": 3}) == [[1, 2, 3], [4]]
    assert run("$partition([1,2,3,4,5,6,7,8,9], 3)") == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    # A single chunk stays an array of arrays: it is not a JSONata sequence.
    assert run("$partition([1,2], 5)") == [[1, 2]]


def test_partition_truncates_a_fractional_chunk_size() -> None:
    # AWS docs: "Built-in JSONata functions that require integer values ... round down any non-integer numbers".
    assert run("$partition([1,2,3], 2.9)") == [[1, 2], [3]]


@pytest.mark.parametrize("text", ["$partition([], 2)", "$partition([1,2], 0)", "$partition($states.input.none, 2)"])
def test_partition_gives_undefined_for_nothing_to_chunk(text: str) -> None:
    assert failure(text, {}) == "returned nothing (undefined)."


@pytest.mark.parametrize(
    ("start", "end", "step", "expected"),
    [
        # Recorded on AWS (test_array_jsonata.py::test_array_range, four executions).
        (0, 9, 3, [0, 3, 6, 9]),
        (0, 10, 3, [0, 3, 6, 9]),
        (1, 9, 9, 1),  # a single value is not wrapped in an array
        (1, 9, 2, [1, 3, 5, 7, 9]),
        # AWS docs: $range(0, 10, 2); the end is included when a step lands on it; a negative step counts down.
        (0, 10, 2, [0, 2, 4, 6, 8, 10]),
        (3, 0, -1, [3, 2, 1, 0]),
    ],
)
def test_range(start: int, end: int, step: int, expected: object) -> None:
    state_input = {"FunctionInput": {"fst": start, "snd": end, "trd": step}}
    text = "$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd)"
    assert run(text, state_input) == expected


@pytest.mark.parametrize("text", ["$range(0, 5, -1)", "$range(5, 0, 1)", "$range(0, 5, 0)", "$range(0, 5)"])
def test_range_gives_undefined_when_the_step_never_reaches_the_end(text: str) -> None:
    assert failure(text) == "returned nothing (undefined)."


def test_range_refuses_more_items_than_aws_builds() -> None:
    assert "more than the 360145 AWS allows" in failure("$range(1, 1000000, 1)")


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        # What AWS gives for the same data with States.Hash, which $hash replaces (AWS docs' SHA-1 example, and
        # executions recorded on AWS: see tests/intrinsics/test_hashing.py).
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
    ],
)
def test_hash(algorithm: str, digest: str) -> None:
    assert run("$hash($states.input.content, $alg)", {"content": "input data"}, alg=algorithm) == digest


def test_hash_lengths_for_the_longer_algorithms() -> None:
    assert len(run("$hash('a', 'SHA-384')")) == 96
    assert len(run("$hash('a', 'SHA-512')")) == 128


def test_hash_refuses_an_unknown_algorithm() -> None:
    cause = failure("$hash('a', 'sha256')")
    assert cause.startswith("threw an error during evaluation. ")
    assert "MD5, SHA-1, SHA-256, SHA-384, SHA-512" in cause


def test_random_is_in_the_unit_interval_and_comes_from_the_execution_source() -> None:
    # AWS docs: $random() returns n with 0 <= n < 1.
    values = [run("$random()") for _ in range(3)]
    assert all(0 <= value < 1 for value in values)
    assert len(set(values)) == 1  # each call builds bindings with the same seed: reproducible
    first = run("[$random(), $random()]")
    assert first[0] != first[1]


def test_random_with_a_seed_gives_the_same_number_for_the_same_seed() -> None:
    # AWS docs: "If you use this function with the same seed value, it returns an identical number."
    seeded = [run("$random($states.input.seed)", {"seed": 42}, seed=seed) for seed in (1, 2)]
    assert seeded[0] == seeded[1]
    assert 0 <= seeded[0] < 1
    assert run("$random(41)") != seeded[0]


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        # Measured on AWS: "$random(42) -> 0.7275636800328681", java.util.Random (floci-io/floci#2662).
        (42, 0.7275636800328681),
        # java.util.Random(seed).nextDouble(), run on OpenJDK for these seeds; a fraction is truncated toward zero.
        (42.9, 0.7275636800328681),
        (-1, 0.26894263088050496),
        (0, 0.730967787376657),
        (1234567890123, 0.9979691436808569),
    ],
)
def test_random_with_a_seed_is_javas_first_double_for_that_seed(seed: float, expected: float) -> None:
    assert run(f"$random({seed})") == expected


def test_random_seeded_is_not_a_function() -> None:
    # Recorded on AWS (test_math_operations_jsonata.py::test_math_random_seeded).
    assert failure(
        "$randomSeeded($states.input.FunctionInput.fst)", {"FunctionInput": "fst"}, field="Output/FunctionResult"
    ) == ("threw an error during evaluation. T1006: Attempted to invoke a non-function")


def test_uuid_is_a_version_4_uuid_from_the_execution_source() -> None:
    value = run("$uuid()")
    assert UUID_V4.fullmatch(value)
    assert run("$uuid()") == value  # same seed, same UUID
    assert run("$uuid() = $uuid()") is False


def test_shuffle_comes_from_the_execution_source() -> None:
    # JSONata's docs: $shuffle(array) returns the array's values in a random order. sfnlocal draws that order
    # from the execution's seeded source, as it does $random() and $uuid(), so that a run is reproducible.
    shuffled = run("$shuffle([1, 2, 3, 4, 5, 6, 7, 8])")
    assert sorted(shuffled) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(run("$shuffle([1, 2, 3, 4, 5, 6, 7, 8])") == shuffled for _ in range(5))
    orders = {tuple(run("$shuffle([1, 2, 3, 4, 5, 6, 7, 8])", seed=seed)) for seed in range(20)}
    assert len(orders) > 1
    assert run("$shuffle([7])") == [7]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Recorded on AWS (test_json_manipulation_jsonata.py::test_parse).
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
        ('{"a": [null, 1]}', {"a": [None, 1]}),
    ],
)
def test_parse(text: str, expected: object) -> None:
    assert run("$parse($states.input.FunctionInput)", {"FunctionInput": text}) == expected


def test_parse_null_is_a_value() -> None:
    assert run("$parse('null')") is None
    assert run("$type($parse('[null]')[0])") == "null"


@pytest.mark.parametrize("text", ["{", "NaN", "Infinity", "'single'"])
def test_parse_refuses_what_is_not_json(text: str) -> None:
    assert "threw an error during evaluation. The argument of $parse is not valid JSON" in failure(
        "$parse($states.input)", text
    )


def test_eval_is_not_available() -> None:
    # AWS docs: "$eval is not supported in Step Functions workflows".
    assert failure("$eval('1 + 1')") == "threw an error during evaluation. T1006: Attempted to invoke a non-function"


def test_now_and_millis_read_the_execution_clock() -> None:
    assert run("$now()") == "2023-11-14T22:13:20.123Z"
    assert run("$millis()") == 1_700_000_000_123
    assert run("$now('[Y0001]-[M01]-[D01]')") == "2023-11-14"
    assert run("$now('[H01]:[m01]', '+0200')") == "00:13"


def test_now_follows_the_clock_of_each_evaluation() -> None:
    from sfnlocal.language.jsonata import compile_expression

    expression = compile_expression("{% $millis() %}", "Output")
    assert [expression.evaluate(bindings(now=NOW + offset)) for offset in (0, 60)] == [
        1_700_000_000_123,
        1_700_000_060_123,
    ]
