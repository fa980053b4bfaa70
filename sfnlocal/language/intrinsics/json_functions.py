"""The JSON intrinsics: States.StringToJson, States.JsonToString and States.JsonMerge."""

from __future__ import annotations

import json
from collections.abc import Sequence
from random import Random
from typing import Any, NoReturn

from sfnlocal.language.intrinsics.arguments import ArgumentProblem, boolean_arg, object_arg, string_arg
from sfnlocal.language.jsontext import compact_json


def _reject_constant(name: str) -> NoReturn:
    # Python's parser accepts NaN and Infinity; JSON (and AWS) does not.
    raise ValueError(f"{name} is not a JSON value")


def string_to_json(args: Sequence[Any], rng: Random) -> Any:
    """States.StringToJson(string): the JSON value the string holds.

    An empty or blank string, or null, gives null, as a JSON parser finds no content there.

    >>> string_to_json(['{"foo": "bar"}'], Random(0)), string_to_json(["  "], Random(0))
    ({'foo': 'bar'}, None)
    """
    if args[0] is None:
        return None
    text = string_arg(args, 0)
    if not text.strip():
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as err:
        raise ArgumentProblem(f"argument 1 is not valid JSON text: {err}") from None


def json_to_string(args: Sequence[Any], rng: Random) -> str:
    """States.JsonToString(value): the value as compact JSON text.

    >>> json_to_string([{"Arg1": 1, "Arg2": []}], Random(0))
    '{"Arg1":1,"Arg2":[]}'
    """
    try:
        return compact_json(args[0])
    except (TypeError, ValueError, RecursionError) as err:
        raise ArgumentProblem(f"argument 1 cannot be written as JSON: {err}") from None


def json_merge(args: Sequence[Any], rng: Random) -> dict[str, Any]:
    """States.JsonMerge(first, second, false): a shallow merge, keys of ``second`` winning.

    >>> json_merge([{"a": {"a1": 1}, "b": 2}, {"a": {"a3": 1}, "c": 3}, False], Random(0))
    {'a': {'a3': 1}, 'b': 2, 'c': 3}
    """
    first = object_arg(args, 0)
    second = object_arg(args, 1)
    if boolean_arg(args, 2):
        # AWS: "Step Functions only supports the shallow merging mode".
        raise ArgumentProblem("argument 3 must be false: only the shallow merging mode is supported")
    return {**first, **second}
