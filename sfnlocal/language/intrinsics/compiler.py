"""Compiling intrinsic function text once, at load, into closures that evaluate it during a run.

Failures during a run are ``States.Runtime`` with the cause ``The function '<text>' had the
following error: <detail>``, as AWS words them (not the spec's ``States.IntrinsicFailure``). AWS's
detail for a path argument that selects nothing is ``The JsonPath argument for the field '$.nope'
could not be found in the input '{"other":1}'``. The state running the function adds AWS's prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from sfnlocal.language.errors import RUNTIME, RuntimeFailure
from sfnlocal.language.intrinsics.arguments import ArgumentProblem
from sfnlocal.language.intrinsics.generic import FormatTemplate
from sfnlocal.language.intrinsics.parser import Call, IntrinsicSyntaxError, Node, PathArgument, StringLiteral, parse
from sfnlocal.language.intrinsics.registry import FORMAT, FUNCTIONS, NAMES
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.paths import PathNotFound, Scope

Evaluator = Callable[[Scope, Random], Any]


class CompiledIntrinsic:
    """An intrinsic function call compiled once; :meth:`evaluate` runs it.

    >>> f = compile_intrinsic("States.MathAdd($.i, 1)")
    >>> f.text, f.evaluate(Scope({"i": 41}), Random(0))
    ('States.MathAdd($.i, 1)', 42)
    """

    __slots__ = ("_root", "text")

    def __init__(self, text: str, root: Evaluator) -> None:
        self.text = text
        self._root = root

    def __repr__(self) -> str:
        return f"CompiledIntrinsic({self.text!r})"

    def evaluate(self, scope: Scope, rng: Random) -> Any:
        """The call's value for this scope; ``rng`` feeds States.UUID and an unseeded MathRandom.

        Raises :class:`sfnlocal.language.errors.RuntimeFailure` (``States.Runtime``) for a bad
        argument or a path argument that selects nothing.
        """
        try:
            return self._root(scope, rng)
        except ArgumentProblem as problem:
            detail = problem.detail
        except RecursionError:
            detail = "the value is nested too deeply to process"
        raise RuntimeFailure(RUNTIME, f"The function '{self.text}' had the following error: {detail}")


def compile_intrinsic(text: str) -> CompiledIntrinsic:
    """Parse and compile intrinsic function text; raises ``IntrinsicSyntaxError`` if malformed.

    >>> compile_intrinsic("States.Array($$.Execution.Id, 'x')").evaluate(
    ...     Scope({}, context={"Execution": {"Id": "e-1"}}), Random(0))
    ['e-1', 'x']
    """
    if not isinstance(text, str):
        raise IntrinsicSyntaxError(
            repr(text), 0, "a string holding an intrinsic function call", found=f"a {type(text).__name__}"
        )
    return CompiledIntrinsic(text, _call(parse(text, NAMES)))


def _constant(value: Any) -> Evaluator:
    return lambda scope, rng: value


def _path(argument: PathArgument) -> Evaluator:
    path = argument.path

    def evaluate_path(scope: Scope, rng: Random) -> Any:
        try:
            return path.evaluate(scope)
        except PathNotFound:
            raise ArgumentProblem(
                f"The JsonPath argument for the field '{path.text}' could not be found "
                f"in the input '{compact_json(scope.input)}'"
            ) from None

    return evaluate_path


def _argument(node: Node) -> Evaluator:
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, PathArgument):
        return _path(node)
    return _constant(node.value)


def _call(node: Call) -> Evaluator:
    signature = FUNCTIONS[node.name]
    name = node.name
    count = len(node.args)
    if not signature.accepts(count):
        detail = f"{name} takes {signature.arity_text()}, but {count} {'was' if count == 1 else 'were'} given"

        def wrong_arity(scope: Scope, rng: Random) -> Any:
            raise ArgumentProblem(detail)

        return wrong_arity
    arguments = [_argument(arg) for arg in node.args]
    if name == FORMAT and isinstance(node.args[0], StringLiteral):
        # Escaped braces are only known in the literal, so its placeholders are found here.
        arguments[0] = _constant(FormatTemplate(node.args[0].pieces))
    implementation = signature.implementation

    def call(scope: Scope, rng: Random) -> Any:
        values = [argument(scope, rng) for argument in arguments]
        try:
            return implementation(values, rng)
        except ArgumentProblem as problem:
            raise ArgumentProblem(f"{name}: {problem.detail}") from None

    return call
