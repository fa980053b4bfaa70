"""jsonata-python behind the expression interface: compile once, evaluate cheaply, within bounds.

:mod:`sfnlocal.language.jsonata.expression` imports this module only when a definition holds an
expression; jsonata-python comes through :mod:`sfnlocal.language.jsonata.library`, which leaves the
process's recursion limit as it was. An evaluation runs within the bounds of
:mod:`sfnlocal.language.jsonata.bounds` (depth, work, length), counted by :class:`_AwsJsonata`, and
its regular expressions run on RE2 (:mod:`sfnlocal.language.jsonata.regex`), which cannot backtrack.
Nothing else of the library changes for the process: a user's own ``Jsonata(...)`` evaluates as the
library documents, in any thread, before and after sfnlocal's.

AWS writes numbers as JSONata on JavaScript does (:mod:`sfnlocal.language.jsonata.jsstring`) where
the library writes them its own way. ``$string`` and ``$clone`` are rebound in AWS's frame
(:mod:`sfnlocal.language.jsonata.functions`); the ``&`` operator and the transform operator's copy,
which the library makes by calling ``Functions.string`` directly, are overridden in
:class:`_AwsJsonata`, the evaluator sfnlocal's expressions run on.

The library evaluates with one instance per thread, the one in ``Jsonata.CURRENT``: its ``eval``
runs there, and its higher-order functions (``$map``, ``$sort``, ...) apply lambdas there. Its
constructor makes every new instance that thread's evaluator, for the user's expressions too. So
sfnlocal keeps its own evaluator per thread, leaves ``Jsonata.CURRENT`` as it found it after a
compilation, and names its evaluator there only while its own evaluation runs (a thread-local
value: no other thread sees it).

An evaluation does not go through ``Jsonata.evaluate``, which copies every binding into a new
frame: it runs the compiled tree in a :class:`_Scope` frame that resolves ``$states`` and the
variables only when the expression reads them, above a shared frame of AWS's functions
(:mod:`sfnlocal.language.jsonata.functions`) and the library's built-ins. A :class:`Bindings` is
taken as a snapshot: what was converted for one expression serves the next one evaluated with the
same Bindings object, in the thread that evaluates it. ``$now()``, ``$random()`` and the rest read the
Bindings of the evaluation in progress from a context variable (:mod:`sfnlocal.language.jsonata.functions`),
so concurrent executions in other threads never see each other's clock or random source.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from sfnlocal.language.jsonata import functions
from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.bounds import (
    ITEMS_PER_UNIT,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_WORK,
    METER,
    SHALLOW_DEPTH,
    STACK_ALLOWANCE,
    Meter,
    too_long,
    too_much_work,
)
from sfnlocal.language.jsonata.failures import describe
from sfnlocal.language.jsonata.fast import ARITHMETIC, NotFast, compile_fast
from sfnlocal.language.jsonata.jsstring import jsonata_clone, jsonata_string
from sfnlocal.language.jsonata.library import JException, Jsonata, Utils
from sfnlocal.language.jsonata.outcome import EvaluationProblem, UnsupportedResult
from sfnlocal.language.jsonata.regex import compile_regex
from sfnlocal.language.jsonata.values import to_engine, to_json

_AWS_FRAME = functions.aws_frame(Jsonata.static_frame)
_RANGE = Utils.RangeList  # what ``[a..b]`` evaluates to: the numbers from a to b, made when read
_SIZED = (str, list)  # the values whose length counts (a tuple: cheaper to test than a union)
_MISSING = object()
# Bound in every scope: the context value "$" (none: AWS refuses a top-level "$") and the library's
# per-node hooks, which a bound None switches off without a search up the frames.
_FIXED = {"$": None, "__evaluate_entry": None, "__evaluate_exit": None}


class _States(dict[str, Any]):
    """``$states`` for the engine: a member is converted (:func:`to_engine`) when an expression first reads it.

    The context object, for one, is rarely read; converting it for every expression would cost more
    than many evaluations. (Reading ``$states`` as a whole sees the members unconverted.)
    """

    __slots__ = ("_converted",)

    def __init__(self, states: dict[str, Any]) -> None:
        super().__init__(states)
        self._converted: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # what the engine's path steps call
        value = super().get(key, _MISSING)
        if value is _MISSING:
            return default
        if key not in self._converted:
            value = self[key] = to_engine(value)
            self._converted.add(key)
        return value


class _Values:
    """The engine's view of one :class:`Bindings`, shared by the expressions of one field.

    The interpreter makes a Bindings for each field it evaluates, and a field's expressions read
    the same ``$states`` and variables, so each is converted once for all of them.
    """

    __slots__ = ("bindings", "states", "_variables")

    def __init__(self, bindings: Bindings) -> None:
        self.bindings = bindings
        self.states = _States(bindings.states)
        self._variables: dict[str, Any] = {}

    def variable(self, name: str) -> Any:
        """The variable's value for the engine, or ``_MISSING`` when there is no such variable."""
        value = self._variables.get(name, _MISSING)
        if value is _MISSING and name in self.bindings.variables:
            value = self._variables[name] = to_engine(self.bindings.variables[name])
        return value


class _Scope(Jsonata.Frame):
    """The frame of one evaluation: ``$states`` and the variables, converted when first read."""

    def __init__(self, values: _Values) -> None:
        super().__init__(_AWS_FRAME)
        self.bindings = dict(_FIXED)
        self._values = values

    def lookup(self, name: str) -> Any:
        value = self.bindings.get(name, _MISSING)
        if value is not _MISSING:
            return value
        if name == "states":
            return self._values.states
        value = self._values.variable(name)
        return self.parent.lookup(name) if value is _MISSING else value


# Parts of a node whose '$' is the context of a step, a filter or a lambda, not the expression's input.
_INNER_CONTEXT = frozenset({"predicate", "stages", "body", "group", "focus", "tuple", "environment"})


def _reads_root_context(node: Any, seen: set[int] | None = None) -> bool:
    seen = set() if seen is None else seen
    if isinstance(node, list):
        return any(_reads_root_context(item, seen) for item in node)
    if not hasattr(node, "type") or id(node) in seen:
        return False
    seen.add(id(node))
    if node.type == "variable" and node.value in ("", "$"):
        return True
    for name, child in vars(node).items():
        if name.startswith("_") or name in _INNER_CONTEXT:
            continue
        if name == "steps" and isinstance(child, list):
            child = child[:1]  # later steps run with each result of the first as their context
        if (isinstance(child, list) or hasattr(child, "type")) and _reads_root_context(child, seen):
            return True
    return False


# The library's slot for the evaluator of the current thread (a threading.local).
_CURRENT = Jsonata.CURRENT


def _restore_current(previous: Any) -> None:
    """Put back the thread's evaluator as it was before sfnlocal named its own (none, if there was none)."""
    if previous is _MISSING:
        vars(_CURRENT).pop("jsonata", None)
    else:
        _CURRENT.jsonata = previous


def _scalar_equal(lhs: Any, rhs: Any) -> bool:
    """Equal as JSONata has it: ``true`` is not ``1``."""
    return lhs == rhs and isinstance(lhs, bool) == isinstance(rhs, bool)


class _AwsJsonata(Jsonata):
    """The library's evaluator, turning values into text and doing arithmetic as JSONata on JavaScript does.

    The library's ``&`` and transform operator call its ``Functions.string`` directly, so these are
    overridden here rather than rebound in a frame.

    >>> _AwsJsonata("1e20 & ''").evaluate(None), Jsonata("1e20 & ''").evaluate(None)
    ('100000000000000000000', '1e+20')
    """

    def __init__(self, source: str) -> None:
        # The library's constructor makes the new instance its thread's evaluator, which would then run the
        # user's expressions of this thread too: keep the thread's evaluator as it was.
        previous = getattr(_CURRENT, "jsonata", _MISSING)
        try:
            super().__init__(source, compile_regex)
        finally:
            _restore_current(previous)
        self.meter = Meter()  # the work and nesting of the evaluation in progress (see ``bounds``)
        self.last_values: _Values | None = None  # of the latest Bindings this (thread's) evaluator evaluated

    def values_of(self, bindings: Bindings) -> _Values:
        """The :class:`_Values` of ``bindings``: the same as for the previous evaluation when it had the same ones."""
        values = self.last_values
        if values is None or values.bindings is not bindings:
            values = self.last_values = _Values(bindings)
        return values

    def get_per_thread_instance(self) -> _AwsJsonata:
        """This instance: each thread has its own (:class:`_ThreadEvaluator`), never the library's."""
        return self

    def eval(self, expr: Any, input: Any, environment: Jsonata.Frame) -> Any:
        """The library's evaluation of one part of the expression, counted against the bounds.

        >>> import random
        >>> CompiledQuery("($f := function($n){1 + $f($n)}; $f(1))").evaluate(Bindings({}, {}, 0, random.Random(0)))
        Traceback (most recent call last):
        ...
        sfnlocal.language.jsonata.outcome.EvaluationProblem: D1011: Stack overflow. Check for non-terminating ...
        """
        meter = self.meter
        work = meter.work = meter.work + 1
        depth = meter.depth
        deep = False
        if work > MAX_WORK or depth >= SHALLOW_DEPTH:
            if work > MAX_WORK:
                raise too_much_work()
            if depth >= MAX_DEPTH:
                raise JException("D1011", -1)
            # Deep enough to need more of Python's stack than its recursion limit may allow: raise it
            # until this part is done. Shallow evaluations, nearly all of them, never touch it.
            deep = depth == SHALLOW_DEPTH
            if deep:
                STACK_ALLOWANCE.__enter__()
        # What the library's eval does, without its look-up of the thread's instance (this one): keep the
        # input and environment its $eval would read as they were around the call.
        evaluator: Any = self  # (the library's attributes, untyped)
        outer_input, outer_environment = evaluator.input, evaluator.environment
        meter.depth = depth + 1
        try:
            result = self._eval(expr, input, environment)
        finally:
            meter.depth = depth
            evaluator.input, evaluator.environment = outer_input, outer_environment
            if deep:
                STACK_ALLOWANCE.__exit__(None, None, None)
        if isinstance(result, _SIZED):  # a value's length is work too, and it is bounded
            length = len(result)
            if length >= ITEMS_PER_UNIT:
                if length > MAX_LENGTH:
                    if isinstance(result, _RANGE):  # its len() counts one item more than it has
                        length = result.b - result.a
                    if length > MAX_LENGTH:
                        raise too_long("a string" if isinstance(result, str) else "an array", length)
                meter.work += length // ITEMS_PER_UNIT
        return result

    def recurse_descendants(self, input: Any, results: list[Any]) -> None:
        """``**``: every value inside ``input`` (arrays flattened), each array or object visited counted as work."""
        if isinstance(input, list):
            self.meter.spend(1)
            for member in input:
                self.recurse_descendants(member, results)
            return
        results.append(input)
        if isinstance(input, dict):
            self.meter.spend(1)
            for value in input.values():
                self.recurse_descendants(value, results)

    def evaluate_equality_expression(self, lhs: Any, rhs: Any, op: str) -> bool:
        """``=`` and ``!=``: the library's deep comparison, each array or object visited counted as work.

        >>> [_AwsJsonata(text).evaluate(None) for text in ('{"a": [1, 2]} = {"a": [1, 2.0]}', "true = 1", "1 != 2")]
        [True, False, True]
        """
        if lhs is None or rhs is None:  # either side undefined: false, for both operators
            return False
        # As the library does, numbers compare as doubles (JavaScript's numbers) at the top.
        if type(lhs) is int:
            lhs = float(lhs)
        if type(rhs) is int:
            rhs = float(rhs)
        equal = self._deep_equal(lhs, rhs) if isinstance(lhs, list | dict) else _scalar_equal(lhs, rhs)
        return equal if op == "=" else not equal

    def _deep_equal(self, lhs: Any, rhs: Any) -> bool:
        if isinstance(lhs, list) and isinstance(rhs, list):
            self.meter.spend(1)
            return len(lhs) == len(rhs) and all(self._deep_equal(a, b) for a, b in zip(lhs, rhs))
        if isinstance(lhs, dict) and isinstance(rhs, dict):
            self.meter.spend(1)
            return lhs.keys() == rhs.keys() and all(self._deep_equal(lhs[key], rhs[key]) for key in lhs)
        return _scalar_equal(lhs, rhs)

    def evaluate_numeric_expression(self, lhs: Any, rhs: Any, op: str) -> Any:
        """``lhs <op> rhs`` for ``+ - * / %``, with JavaScript's numbers (as JSONata has them).

        The library raises Python's ZeroDivisionError for ``1/0`` and truncates ``%`` to an integer
        (``5.5 % 2`` is 1 there); JSONata gives Infinity and 1.5. A result that is no finite number is
        kept as it is: an operator that later reads it fails D1001, and a result that holds it is
        written as AWS writes it (:mod:`sfnlocal.language.jsonata.values`).

        >>> [_AwsJsonata(text).evaluate(None) for text in ("5.5 % 2", "-5.5 % 2", "1/0", "-1/0", "7/2", "6/2")]
        [1.5, -1.5, inf, -inf, 3.5, 3]
        """
        if lhs is not None and not Utils.is_numeric(lhs):
            raise JException("T2001", -1, op, lhs)
        if rhs is not None and not Utils.is_numeric(rhs):
            raise JException("T2002", -1, op, rhs)
        if lhs is None or rhs is None:  # either side undefined: the result is undefined
            return None
        result = ARITHMETIC[op](float(lhs), float(rhs))
        return Utils.convert_number(result) if math.isfinite(result) else result

    def evaluate_string_concat(self, lhs: Any, rhs: Any) -> str:
        """``lhs & rhs``: JSONata casts each side with ``$string`` (undefined as ``""``), JavaScript's numbers."""
        return (jsonata_string(lhs, None) or "") + (jsonata_string(rhs, None) or "")

    def evaluate_transform_expression(self, expr: Any, input: Any, environment: Jsonata.Frame) -> Jsonata.JFunction:
        """``| pattern | update [, delete] |``: a function of an object, applied to a copy of it."""
        return Jsonata.JFunction(_Transformer(self, expr, environment), "<(oa):o>")


class _Transformer(Jsonata.Transformer):
    """The library's transform function, with the copy made as JSONata on JavaScript makes it.

    JSONata copies the input through ``$string`` and back (``JSON.parse``), which rounds numbers to 15
    significant digits; the library's own ``call`` copies with its ``Functions.string``, so the rest
    of it is repeated here unchanged.
    """

    def call(self, input: Any, args: Any) -> Any:
        obj = args[0]
        if obj is None:  # undefined in, undefined out
            return None
        result = jsonata_clone(obj)
        expr, jsonata, environment = self._expr, self._jsonata, self._environment
        matches = jsonata.eval(expr.pattern, result, environment)
        if matches is None:
            return result
        for match in matches if isinstance(matches, list) else [matches]:
            update = jsonata.eval(expr.update, match, environment)
            if update is not None:
                if not isinstance(update, dict):
                    raise JException("T2011", expr.update.position, update)  # the update must be an object
                for key in update.keys():
                    match[key] = update[key]
            if expr.delete is None:
                continue
            deletions = jsonata.eval(expr.delete, match, environment)
            if deletions is None:
                continue
            names = deletions if isinstance(deletions, list) else [deletions]
            if not Utils.is_array_of_strings(names):
                raise JException("T2012", expr.delete.position, deletions)  # names of keys, one or an array
            if isinstance(match, dict):
                for name in names:
                    match.pop(name, None)
        return result


class _ThreadEvaluator(threading.local):
    """sfnlocal's evaluator for the current thread: ``eval`` keeps its input and environment on the instance."""

    def __init__(self) -> None:
        self.jsonata = _AwsJsonata("$")  # any tree evaluates on any instance; this one's own is never used


_EVALUATOR = _ThreadEvaluator()


class CompiledQuery:
    """One parsed expression.

    >>> import random
    >>> CompiledQuery("$millis()").evaluate(Bindings({}, {}, 1.5, random.Random(0)))
    1500
    >>> CompiledQuery("(")
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.outcome.EvaluationProblem: S0203: Expected ")" before end of expression
    """

    __slots__ = ("_ast", "_fast")

    def __init__(self, source: str) -> None:
        if not source:
            raise EvaluationProblem("the expression is empty")
        try:
            self._ast = _AwsJsonata(source).ast
        except Exception as err:  # the parser raises bare Python exceptions too, e.g. KeyError for "[1!2]"
            raise EvaluationProblem(describe(err)) from None
        self._fast = compile_fast(self._ast)  # None unless the expression is one of the simplest kinds

    def reads_root_context(self) -> bool:
        """Whether the expression reads ``$`` or ``$$`` outside any path step, filter or function body: the
        input document JSONata would bind there, which Step Functions does not provide (use $states.input).

        >>> CompiledQuery("$.a").reads_root_context(), CompiledQuery("items[$ > 1]").reads_root_context()
        (True, False)
        """
        return _reads_root_context(self._ast)

    def evaluate(self, bindings: Bindings) -> Any:
        """The result as a new JSON value, or UNDEFINED; raises EvaluationProblem or UnsupportedResult."""
        fast = self._fast
        if fast is not None:
            try:
                return to_json(fast(bindings))
            except NotFast:
                pass  # the engine decides: the result, or the error, as it always has
        evaluator = _EVALUATOR.jsonata
        meter = evaluator.meter
        meter.work = meter.depth = 0
        previous = getattr(_CURRENT, "jsonata", _MISSING)
        _CURRENT.jsonata = evaluator  # the library's $map, $sort, ... apply lambdas on the thread's evaluator
        evaluating, metering = functions.EVALUATING.set(bindings), METER.set(meter)
        try:
            try:
                raw = evaluator.eval(self._ast, None, _Scope(evaluator.values_of(bindings)))
            finally:
                _restore_current(previous)
            return to_json(raw)  # its walk counts against the same bounds
        except UnsupportedResult:
            raise
        except Exception as err:  # whatever the engine raises is the expression's error
            raise EvaluationProblem(describe(err)) from None
        finally:
            functions.EVALUATING.reset(evaluating)
            METER.reset(metering)
