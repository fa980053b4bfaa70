"""Payload templates: ``Parameters``, ``ItemSelector`` and ``ResultSelector`` in JSONPath mode.

A template is a JSON value whose object keys ending in ``.$`` take their value from a path
(``$.x``, ``$$.Execution.Id``, ``$variable``) or an intrinsic function (``States.Format(...)``);
the ``.$`` is dropped from the key in the result. Templates are compiled once into nested
closures; parts without any ``.$`` key are kept as constants and shared between evaluations
(nothing downstream mutates a payload: see :mod:`sfnlocal.language.dataflow`; and nothing reaches user code
uncopied: a Task's integration gets its own arguments, a result's accessors hand out copies).
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from sfnlocal.language.errors import RUNTIME, DefinitionError, RuntimeFailure, pointer
from sfnlocal.language.intrinsics import is_intrinsic
from sfnlocal.language.jsontext import PayloadBound, compact_json, text_bound
from sfnlocal.language.paths import ROOT_INPUT, PathNotFound, PathSyntaxError, Scope, compile_path

Evaluator = Callable[[Scope, Random], Any]


def compile_dynamic_value(text: Any, field: str, location: str) -> Evaluator:
    """Compile the value of one ``.$`` field: a path or an intrinsic function call.

    ``field`` is the key as written (``value.$``), used in AWS's wording of a missing path.

    >>> ev = compile_dynamic_value("$.a", "x.$", "/States/P/Parameters/x.$")
    >>> ev(Scope({"a": 1}), Random(0))
    1
    """
    if not isinstance(text, str):
        raise DefinitionError(
            location,
            f"the value of '{field}' must be a string holding a JSONPath or an "
            f"intrinsic function, not {compact_json(text)}",
        )
    if is_intrinsic(text):
        # imported here: the intrinsic functions cost much to import, and most definitions call none
        from sfnlocal.language.intrinsics.compiler import compile_intrinsic
        from sfnlocal.language.intrinsics.parser import IntrinsicSyntaxError

        try:
            intrinsic = compile_intrinsic(text)
        except IntrinsicSyntaxError as err:
            raise DefinitionError(location, f"invalid intrinsic function in '{field}': {err}") from None
        return intrinsic.evaluate
    try:
        path = compile_path(text)
    except PathSyntaxError as err:
        raise DefinitionError(
            location, f"the value of '{field}' must be a JSONPath or an intrinsic function: {err}"
        ) from None

    def not_found(scope: Scope) -> RuntimeFailure:
        return RuntimeFailure(
            RUNTIME,
            f"The JSONPath '{text}' specified for the field '{field}' could not be found "
            f"in the input '{compact_json(scope.input)}'",
        )

    read = path.input_reader
    if read is not None:  # a path of names and indexes into $, read without the path's dispatch (most are)

        def read_input(scope: Scope, rng: Random) -> Any:
            try:
                return read(scope.input)
            except PathNotFound:
                raise not_found(scope) from None

        return read_input

    def evaluate_path(scope: Scope, rng: Random) -> Any:
        try:
            return path.evaluate(scope)
        except PathNotFound:
            raise not_found(scope) from None

    return evaluate_path


def _constant(value: Any) -> Evaluator:
    return lambda scope, rng: value


def _compile(node: Any, location: str) -> tuple[Evaluator, bool]:
    """(evaluator, is_dynamic) for one node of a template."""
    if isinstance(node, dict):
        parts: list[tuple[str, Evaluator]] = []
        dynamic = False
        for key, value in node.items():
            here = f"{location}/{pointer(key)[1:]}"
            if isinstance(key, str) and key.endswith(".$"):
                parts.append((key[:-2], compile_dynamic_value(value, key, here)))
                dynamic = True
            else:
                evaluator, is_dynamic = _compile(value, here)
                parts.append((key, evaluator))
                dynamic = dynamic or is_dynamic
        if not dynamic:
            return _constant(node), False

        def evaluate_object(scope: Scope, rng: Random) -> dict[str, Any]:
            return {key: evaluate(scope, rng) for key, evaluate in parts}

        return evaluate_object, True
    if isinstance(node, list):
        items = [_compile(item, f"{location}/{i}") for i, item in enumerate(node)]
        if not any(is_dynamic for _, is_dynamic in items):
            return _constant(node), False
        evaluators = [evaluate for evaluate, _ in items]
        return (lambda scope, rng: [evaluate(scope, rng) for evaluate in evaluators]), True
    return _constant(node), False


def compile_template(template: Any, location: str) -> Evaluator:
    """Compile a payload template (the value of Parameters, ItemSelector or ResultSelector).

    >>> t = compile_template({"id.$": "$.order.id", "fixed": [1, 2]}, "/States/P/Parameters")
    >>> t(Scope({"order": {"id": 7}}), Random(0))
    {'id': 7, 'fixed': [1, 2]}
    """
    evaluator, _ = _compile(template, location)
    return evaluator


# How large a template's value can be, from how large its ``$`` is: (the template's own measure, how many paths).
TemplateBound = tuple[int, int, int]


def template_bound(template: Any) -> TemplateBound | None:
    """What :func:`bounded` needs to bound a template's value, when every ``.$`` value in it is a definite path
    into ``$``; None when one is an intrinsic function or reads ``$$`` or a variable (its value is not part of ``$``),
    or the template is no JSON value.

    >>> template_bound({"id.$": "$.order.id", "fixed": [1]}), template_bound({"id.$": "States.UUID()"})
    ((33, 2, 1), None)
    """
    paths = _input_paths(template)
    if paths is None:
        return None
    try:
        own = text_bound(compact_json(template))
    except (TypeError, ValueError):  # refused at load elsewhere; nothing known here
        return None
    return own[0], own[1], paths


def bounded(bound: TemplateBound | None, dollar: PayloadBound | None) -> PayloadBound | None:
    """A bound on a template's value, for a ``$`` with the bound ``dollar`` (None: not known): the template's own
    text, each path's string replaced by at most the whole of ``$``.

    >>> bounded((33, 2, 1), (20, 3)), bounded(None, (20, 3)), bounded((33, 2, 1), None)
    ((53, 5), None, None)
    """
    if bound is None or dollar is None:
        return None
    own_bytes, own_brackets, paths = bound
    return own_bytes + paths * dollar[0], own_brackets + paths * dollar[1]


def _input_paths(node: Any) -> int | None:
    """How many ``.$`` values the template has, each a definite path into ``$``; None if one is anything else."""
    if isinstance(node, dict):
        count = 0
        for key, value in node.items():
            if isinstance(key, str) and key.endswith(".$"):
                if not isinstance(value, str) or is_intrinsic(value):
                    return None
                try:
                    path = compile_path(value)
                except PathSyntaxError:
                    return None
                if path.root != ROOT_INPUT or not path.definite:
                    return None
                count += 1
            else:
                inner = _input_paths(value)
                if inner is None:
                    return None
                count += inner
        return count
    if isinstance(node, list):
        total = 0
        for item in node:
            inner = _input_paths(item)
            if inner is None:
                return None
            total += inner
        return total
    return 0
