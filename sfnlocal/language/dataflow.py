"""``InputPath``, ``ResultPath`` and ``OutputPath``: how a state's input and result become its output.

Payloads are never mutated: ``ResultPath`` builds new objects along the path it writes and shares
every other part of the input (copy on write), so a state's input stays as it was for history and
for the caller.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.language.errors import REFERENCE_PATH_CONFLICT, RUNTIME, DefinitionError, RuntimeFailure, StatesError
from sfnlocal.language.jsontext import EMPTY_OBJECT_BOUND, PayloadBound, compact_json, text_bound
from sfnlocal.language.paths import ROOT_INPUT, CompiledPath, PathNotFound, PathSyntaxError, Scope, compile_path

_ABSENT: Any = object()


class SelectPath:
    """``InputPath`` / ``OutputPath``: select part of a document; ``null`` selects ``{}``.

    >>> SelectPath("$.a", "/States/S/InputPath").apply(Scope({"a": [1]}))
    [1]
    >>> SelectPath(None, "/States/S/OutputPath").apply(Scope({"a": 1}))
    {}
    """

    __slots__ = ("path", "is_identity")

    def __init__(self, text: str | None, location: str) -> None:
        self.path: CompiledPath | None = None
        # True for ``$``, which selects the whole document (an attribute: read for every state visit).
        self.is_identity = False
        if text is None:
            return
        try:
            self.path = compile_path(text)
        except PathSyntaxError as err:
            raise DefinitionError(location, err.for_field(_field_of(location))) from None
        self.is_identity = self.path.root == ROOT_INPUT and self.path.segments == ()

    def apply(self, scope: Scope) -> Any:
        """The selected value; a definite path that selects nothing is ``States.Runtime``."""
        if self.path is None:
            return {}
        try:
            return self.path.evaluate(scope)
        except PathNotFound as err:
            raise RuntimeFailure(RUNTIME, f"Invalid path '{self.path.text}' : {err.message}") from None

    def bound(self, source: PayloadBound | None) -> PayloadBound | None:
        """A bound on what this path selects from a document with the bound ``source`` (None: not known): a
        definite path into ``$`` selects a part of it, whose JSON text is part of the whole's.

        >>> SelectPath("$.a", "/x").bound((30, 2)), SelectPath("$..a", "/x").bound((30, 2))
        ((30, 2), None)
        """
        path = self.path
        if path is None:
            return EMPTY_OBJECT_BOUND
        return source if path.definite and path.root == ROOT_INPUT else None

    def number(self, scope: Scope, field: str, integer: bool) -> int | float:
        """The number a ``...Path`` field (TimeoutSecondsPath, MaxConcurrencyPath, ...) selects.

        >>> SelectPath("$.n", "/x").number(Scope({"n": "NoNumber"}), "MaxConcurrencyPath", integer=True)
        Traceback (most recent call last):
        ...
        sfnlocal.language.errors.RuntimeFailure: States.Runtime: The MaxConcurrencyPath field refers to value \
"NoNumber" which is not a valid integer: $.n
        """
        value = self.apply(scope)
        if isinstance(value, str):
            # AWS parses numeric text too (recorded: MaxConcurrencyPath selecting "1" runs one at a time).
            value = _parse_number(value, integer)
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            # AWS quotes the value: a string as it is, anything else as JSON text (recorded: value "{}").
            text = value if isinstance(value, str) else compact_json(value)
            raise RuntimeFailure(
                RUNTIME,
                f'The {field} field refers to value "{text}" which is not a valid '
                f"{'integer' if integer else 'float'}: {self.path.text if self.path else 'null'}",
            )
        return value


def _field_of(location: str) -> str:
    """The field a JSON-pointer location ends with (``/States/S/InputPath`` -> ``InputPath``)."""
    return location.rsplit("/", 1)[-1]


def _parse_number(text: str, integer: bool) -> int | float | str:
    """``text`` as the number it spells, or unchanged when it spells none."""
    try:
        return int(text.strip()) if integer else float(text.strip())
    except ValueError:
        return text


class ResultPath:
    """Where a state's result goes in its input: replace it (``$``), discard it (``null``), or set it.

    Missing objects along the path are created (recorded: ``$.enigma.mystery`` into an input without
    ``enigma``). A path that runs into something else fails as AWS words it, with
    ``States.ReferencePathConflict`` where the docs and the spec name ``States.ResultPathMatchFailure``.

    >>> ResultPath("$.r", "/States/S/ResultPath").apply({"a": 1}, {"ok": True})
    {'a': 1, 'r': {'ok': True}}
    >>> ResultPath(None, "/States/S/ResultPath").apply({"a": 1}, "ignored")
    {'a': 1}
    >>> ResultPath("$.r", "/States/S/ResultPath").apply([1, 2], "x")
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.StatesError: States.ReferencePathConflict: Unable to apply step "r" to input [1,2]
    """

    __slots__ = ("text", "segments", "discard", "_added")

    def __init__(self, text: str | None, location: str) -> None:
        self.text = text
        self.discard = text is None
        self.segments: tuple[str | int, ...] = ()
        self._added = (0, 0)
        if text is None:
            return
        try:
            path = compile_path(text, reference=True)
        except PathSyntaxError as err:
            raise DefinitionError(location, err.for_field(_field_of(location))) from None
        if path.root != ROOT_INPUT:
            raise DefinitionError(
                location,
                f"ResultPath '{text}' must start with '$.' (it writes into the "
                "state input; the context object and variables cannot be written)",
            )
        assert path.segments is not None
        self.segments = path.segments
        # At most what each step adds to the input's JSON text: its key (brackets in it count too), colon and comma,
        # and an object made for it (its braces); or an array element replaced in place.
        keys = [text_bound(compact_json(key)) for key in self.segments if isinstance(key, str)]
        self._added = (sum(size + 4 for size, _ in keys), sum(brackets for _, brackets in keys) + len(self.segments))

    def bound(self, state_input: PayloadBound | None, result: PayloadBound | None) -> PayloadBound | None:
        """A bound on :meth:`apply`'s value from bounds on the input and the result (None: not known): at most both
        together, with each key written and the objects made on the way.

        >>> from sfnlocal.language.jsontext import EMPTY_OBJECT_BOUND, PayloadBound, compact_json, text_bound
        >>> ResultPath("$.r.s", "/x").bound((7, 1), (11, 1)), len(compact_json({"a": 1, "r": {"s": {"ok": True}}}))
        ((32, 4), 29)
        """
        if self.discard:
            return state_input
        if not self.segments:
            return result
        if state_input is None or result is None:
            return None
        return state_input[0] + result[0] + self._added[0], state_input[1] + result[1] + self._added[1]

    def apply(self, state_input: Any, result: Any) -> Any:
        """The state input with ``result`` placed at this path."""
        if self.discard:
            return state_input
        if not self.segments:
            return result
        return self._set(state_input, 0, result, state_input)

    def _set(self, node: Any, depth: int, result: Any, state_input: Any) -> Any:
        if depth == len(self.segments):
            return result
        key = self.segments[depth]
        if isinstance(key, str) and isinstance(node, dict):
            child = node.get(key, _ABSENT)
            updated = dict(node)
            updated[key] = self._set({} if child is _ABSENT else child, depth + 1, result, state_input)
            return updated
        if isinstance(key, int) and isinstance(node, list) and -len(node) <= key < len(node):
            updated_list = list(node)
            updated_list[key] = self._set(node[key], depth + 1, result, state_input)
            return updated_list
        raise self._conflict(node, key, state_input)

    def _conflict(self, node: Any, key: str | int, state_input: Any) -> StatesError:
        """AWS's failure when ``key`` cannot be set in ``node``; the cause has no state prefix.

        Two wordings, seen in public threads (the input as compact JSON in both): real AWS, for a step into
        an array, ``Unable to apply step "catalogBuilderOutput" to input <omitted>`` (cdklabs/construct-hub#459);
        AWS's Step Functions Local, for a path into a string, ``Unable to apply ReferencePath $.partitioned to
        input "{\\"min_size\\":10000,...}"`` (aws/aws-cdk#29473). Which node a deeper step quotes is not shown
        by either: the node the step is applied to is quoted, the whole input for the ReferencePath form.
        """
        if isinstance(node, (dict, list)):
            step = key if isinstance(key, str) else f"[{key}]"
            return StatesError(REFERENCE_PATH_CONFLICT, f'Unable to apply step "{step}" to input {compact_json(node)}')
        return StatesError(
            REFERENCE_PATH_CONFLICT, f"Unable to apply ReferencePath {self.text} to input {compact_json(state_input)}"
        )
