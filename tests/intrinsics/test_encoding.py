"""States.Base64Encode and States.Base64Decode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import failure, run


def test_encode_doc_example() -> None:
    assert run("States.Base64Encode($.input)", {"input": "Data to encode"}) == "RGF0YSB0byBlbmNvZGU="


@pytest.mark.parametrize(("text", "encoded"), [("", ""), ("Data to encode", "RGF0YSB0byBlbmNvZGU=")])
def test_encode_as_recorded(text: str, encoded: str) -> None:
    assert run("States.Base64Encode($.FunctionInput)", {"FunctionInput": text}) == encoded


def test_decode_as_recorded_with_variables() -> None:
    # BASE_REFERENCE_IN_INTRINSIC_FUNCTION: decoded "SGVsbG8gV29ybGQ=" is "Hello World".
    variables = {"encodedString": "SGVsbG8gV29ybGQ=", "rawString": "Hello World"}
    assert run("States.Base64Decode($encodedString)", {}, variables=variables) == "Hello World"
    assert run("States.Base64Encode($rawString)", {}, variables=variables) == "SGVsbG8gV29ybGQ="


def test_decode_is_lenient_like_mime() -> None:
    # MIME decoding (AWS's documented scheme) skips line breaks; padding is optional.
    assert run("States.Base64Decode($.s)", {"s": "SGVs\r\nbG8g\nV29y bGQ"}) == "Hello World"


def test_decode_of_bytes_that_are_not_utf8_gives_replacement_characters() -> None:
    assert run("States.Base64Decode('/w==')") == "\ufffd"


def test_decode_of_an_impossible_length_fails() -> None:
    assert "not valid Base64" in failure("States.Base64Decode('abcde')")


@pytest.mark.parametrize("function", ["Base64Encode", "Base64Decode"])
def test_input_of_at_most_10000_characters(function: str) -> None:
    text = f"States.{function}($.s)"
    assert isinstance(run(text, {"s": "A" * 10_000}), str)
    assert "at most 10000 characters" in failure(text, {"s": "A" * 10_001})


@pytest.mark.parametrize("function", ["Base64Encode", "Base64Decode"])
@pytest.mark.parametrize("value", [1, None, ["a"], {"a": "b"}, True])
def test_input_must_be_a_string(function: str, value: object) -> None:
    assert "argument 1 must be a string" in failure(f"States.{function}($.v)", {"v": value})


@given(st.text(max_size=2000))
def test_base64_round_trip(text: str) -> None:
    assert run("States.Base64Decode(States.Base64Encode($.s))", {"s": text}) == text
