"""Choice Rules in JSONPath mode: compiled once at load, evaluated on every visit of a Choice state.

A Choice Rule is either a *comparison* (``Variable`` and exactly one operator such as
``NumericEquals`` or ``StringLessThanPath``) or a *boolean* rule (``And``, ``Or``, ``Not``) over
nested rules. :func:`compile_rule` checks a rule as CreateStateMachine does and turns it into a
closure; :attr:`ChoiceRule.evaluate` runs that closure, parsing nothing.

AWS's behaviour, and where it is documented:

* A value of the wrong type never matches: ``NumericEquals`` on a string, a boolean or null is
  false, ``StringEquals`` on a number is false, ``true`` is not ``1`` (recorded executions; the
  AWS docs: "Step Functions doesn't attempt to match a numeric field to a string value").
* A ``Variable`` or ``...Path`` operand that selects nothing fails the state with
  ``States.Runtime`` (AWS docs: "If the state input doesn't contain the $.type field, the
  execution fails"); only ``IsPresent`` turns a missing value into false.
* A ``Variable`` or ``...Path`` operand on the state input fails with ``States.Runtime`` when that input
  is null (AWS's cause quoted in awslabs/states-language#29).
* Strings are ordered as Java's ``String.compareTo`` orders them, by UTF-16 code unit (AWS docs).
* Timestamps are RFC 3339 date-times (AWS docs), read by :mod:`sfnlocal.language.timestamps`, and
  compare as instants: ``12:00:00Z`` equals ``13:00:00+01:00``.
* ``StringMatches``: ``*`` matches any run of characters, ``\\*`` is a literal star, ``\\\\`` a
  literal backslash; nothing else is special (ASL spec).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sfnlocal.language.errors import RUNTIME, DefinitionError, RuntimeFailure, pointer
from sfnlocal.language.jsontext import json_type_name
from sfnlocal.language.paths import ROOT_INPUT, CompiledPath, PathNotFound, PathSyntaxError, Scope, compile_path
from sfnlocal.language.timestamps import parse_timestamp

Evaluator = Callable[[Scope], bool]
# Turns a value into what an operator compares, or None when the value is not of the operator's type.
KeyFunction = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    """A compiled Choice Rule: ``evaluate(scope)`` says whether it matches, ``next`` where it leads.

    >>> rule = compile_rule({"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}, "/Choices/0")
    >>> rule.next, rule.evaluate(Scope({"n": 5})), rule.evaluate(Scope({"n": "5"}))
    ('Big', True, False)
    """

    evaluate: Evaluator
    next: str | None


def compile_rule(rule: Any, location: str, top_level: bool = True) -> ChoiceRule:
    """Check and compile one Choice Rule; ``location`` is its JSON pointer.

    Nested rules (inside ``And``, ``Or``, ``Not``) are compiled with ``top_level=False``: they
    carry no ``Next``. A malformed rule raises :class:`DefinitionError` at the offending field.

    >>> compile_rule({"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
    ...              "/States/C/Choices/0").evaluate(Scope({"type": "Public"}))
    True
    >>> try:
    ...     compile_rule({"Variable": "$.n", "NumericEquals": "1", "Next": "X"}, "/Choices/0")
    ... except DefinitionError as error:
    ...     print(error.location, "|", error.message)
    /Choices/0/NumericEquals | 'NumericEquals' must be a number, but it is the string "1"
    """
    if not isinstance(rule, dict):
        raise DefinitionError(location, f"a Choice Rule must be a JSON object, but it is {_describe(rule)}")
    _check_fields(rule, location, top_level)
    next_state = _next_state(rule, location, top_level)
    return ChoiceRule(evaluate=_compile_condition(rule, location), next=next_state)


# --- the operators -------------------------------------------------------------------------------


def _string_key(value: Any) -> Any:
    return value if isinstance(value, str) else None


def _ordered_string_key(value: Any) -> Any:
    # Java compares UTF-16 code units; big-endian UTF-16 bytes sort the same way. surrogatepass
    # because JSON text may carry lone surrogates ("\ud800").
    return value.encode("utf-16-be", "surrogatepass") if isinstance(value, str) else None


def _number_key(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _boolean_key(value: Any) -> Any:
    return value if isinstance(value, bool) else None


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}
# family -> (what its literal must be, relations it has)
_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "String": ("a string", tuple(_RELATIONS)),
    "Numeric": ("a number", tuple(_RELATIONS)),
    "Timestamp": ("a timestamp string", tuple(_RELATIONS)),
    "Boolean": ("a boolean", ("Equals",)),
}


@dataclass(frozen=True, slots=True)
class _Comparison:
    family: str
    key: KeyFunction
    relation: Callable[[Any, Any], bool]
    reads_path: bool  # the ...Path variant: the right-hand side is read from the scope


def _comparison_key(family: str, relation: str) -> KeyFunction:
    if family == "String":
        return _string_key if relation == "Equals" else _ordered_string_key
    return {"Numeric": _number_key, "Timestamp": parse_timestamp, "Boolean": _boolean_key}[family]


_COMPARISONS: dict[str, _Comparison] = {
    f"{family}{relation}{suffix}": _Comparison(
        family, _comparison_key(family, relation), _RELATIONS[relation], reads_path=suffix == "Path"
    )
    for family, (_, relations) in _FAMILIES.items()
    for relation in relations
    for suffix in ("", "Path")
}


# The type tests ask whether a value is of a comparison family's type.
_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda value: value is None,
    "IsString": lambda value: _string_key(value) is not None,
    "IsNumeric": lambda value: _number_key(value) is not None,
    "IsBoolean": lambda value: _boolean_key(value) is not None,
    "IsTimestamp": lambda value: parse_timestamp(value) is not None,
}
_STRING_MATCHES = "StringMatches"
_IS_PRESENT = "IsPresent"
_BOOLEAN_OPERATORS = ("And", "Or", "Not")
_OPERATORS = frozenset([*_COMPARISONS, *_TYPE_TESTS, _STRING_MATCHES, _IS_PRESENT, *_BOOLEAN_OPERATORS])
_VARIABLE = "Variable"
_NULL_INPUT_CAUSE = "Unable to apply Path transformation to null or empty input."
_TOP_LEVEL_FIELDS = frozenset({"Next", "Assign"})  # Assign is read by the Choice state, not here
_KNOWN_FIELDS = _OPERATORS | {_VARIABLE, "Comment"} | _TOP_LEVEL_FIELDS


# --- compilation ---------------------------------------------------------------------------------


def _check_fields(rule: dict[str, Any], location: str, top_level: bool) -> None:
    for field in rule:
        if field == "Condition":
            raise DefinitionError(
                location + pointer(field),
                "'Condition' is a JSONata field; in JSONPath, compare a 'Variable' with an "
                'operator such as \'StringEquals\', or set "QueryLanguage": "JSONata"',
            )
        if field not in _KNOWN_FIELDS:
            import difflib  # imported here: difflib's import cost, for an error message

            close = difflib.get_close_matches(str(field), sorted(_KNOWN_FIELDS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise DefinitionError(
                location + pointer(field), f"The field '{field}' is not supported in a Choice Rule{hint}"
            )
        if field in _TOP_LEVEL_FIELDS and not top_level:
            raise DefinitionError(
                location + pointer(field),
                f"'{field}' is only allowed in a top-level Choice Rule, not in one nested inside 'And', 'Or' or 'Not'",
            )
    if "Comment" in rule and not isinstance(rule["Comment"], str):
        raise DefinitionError(
            location + "/Comment", f"'Comment' must be a string, but it is {_describe(rule['Comment'])}"
        )


def _next_state(rule: dict[str, Any], location: str, top_level: bool) -> str | None:
    if not top_level:
        return None
    if "Next" not in rule:
        raise DefinitionError(location, "The field 'Next' is required but was missing")
    next_state = rule["Next"]
    if not isinstance(next_state, str) or not next_state:
        raise DefinitionError(location + "/Next", f"'Next' must be a state name, but it is {_describe(next_state)}")
    return next_state


def _compile_condition(rule: dict[str, Any], location: str) -> Evaluator:
    operators = [field for field in rule if field in _OPERATORS]
    if not operators:
        raise DefinitionError(
            location,
            "a Choice Rule needs a 'Variable' and one comparison operator "
            "(e.g. 'StringEquals', 'IsPresent'), or one of 'And', 'Or', 'Not'",
        )
    if len(operators) > 1:
        names = "', '".join(operators)
        raise DefinitionError(location, f"a Choice Rule must have exactly one operator, but it has '{names}'")
    name = operators[0]
    if name in _BOOLEAN_OPERATORS:
        if _VARIABLE in rule:
            raise DefinitionError(
                location + "/Variable", f"'Variable' cannot be used with '{name}': put it in the nested rules"
            )
        return _compile_boolean(name, rule[name], location + pointer(name))
    if _VARIABLE not in rule:
        raise DefinitionError(location, "The field 'Variable' is required but was missing")
    variable = _compile_reference(rule[_VARIABLE], _VARIABLE, location + "/Variable")
    return _compile_comparison(name, rule[name], variable, location + pointer(name))


def _compile_boolean(name: str, operand: Any, location: str) -> Evaluator:
    if name == "Not":
        if not isinstance(operand, dict):
            raise DefinitionError(
                location, f"'Not' must be a single Choice Rule (a JSON object), but it is {_describe(operand)}"
            )
        inner = compile_rule(operand, location, top_level=False).evaluate
        return lambda scope: not inner(scope)
    if not isinstance(operand, list) or not operand:
        what = "empty" if operand == [] else _describe(operand)
        raise DefinitionError(location, f"'{name}' must be a non-empty array of Choice Rules, but it is {what}")
    rules = tuple(compile_rule(nested, f"{location}/{i}", top_level=False).evaluate for i, nested in enumerate(operand))
    return _all_of(rules) if name == "And" else _any_of(rules)


def _all_of(rules: tuple[Evaluator, ...]) -> Evaluator:
    def evaluate(scope: Scope) -> bool:
        for rule in rules:  # in order, stopping early: an IsPresent guard protects the rules after it
            if not rule(scope):
                return False
        return True

    return evaluate


def _any_of(rules: tuple[Evaluator, ...]) -> Evaluator:
    def evaluate(scope: Scope) -> bool:
        for rule in rules:
            if rule(scope):
                return True
        return False

    return evaluate


def _compile_comparison(name: str, operand: Any, variable: CompiledPath, location: str) -> Evaluator:
    if name == _IS_PRESENT:
        expected = _boolean_operand(name, operand, location)
        exists = variable.exists
        return lambda scope: exists(scope) is expected
    read = _reader(variable)
    if name in _TYPE_TESTS:
        test = _TYPE_TESTS[name]
        if _boolean_operand(name, operand, location):
            return lambda scope: test(read(scope))
        return lambda scope: not test(read(scope))
    if name == _STRING_MATCHES:
        if not isinstance(operand, str):
            raise DefinitionError(location, f"'{name}' must be a string, but it is {_describe(operand)}")
        matches = _glob_matcher(operand)
        return lambda scope: isinstance(value := read(scope), str) and matches(value)
    comparison = _COMPARISONS[name]
    key, relation = comparison.key, comparison.relation
    if comparison.reads_path:
        read_other = _reader(_compile_reference(operand, name, location))

        def evaluate_path(scope: Scope) -> bool:
            left, right = key(read(scope)), key(read_other(scope))
            return left is not None and right is not None and relation(left, right)

        return evaluate_path
    expected = _literal_key(name, comparison, operand, location)

    def evaluate_literal(scope: Scope) -> bool:
        left = key(read(scope))
        return left is not None and relation(left, expected)

    return evaluate_literal


def _literal_key(name: str, comparison: _Comparison, operand: Any, location: str) -> Any:
    expected = comparison.key(operand)
    if expected is not None:
        return expected
    if comparison.family == "Timestamp" and isinstance(operand, str):
        # AWS's wording for the same check on a Wait state's Timestamp
        raise DefinitionError(
            location,
            f'String does not match RFC3339 timestamp: {json.dumps(operand)} (expected e.g. "2016-03-14T01:59:00Z")',
        )
    kind = _FAMILIES[comparison.family][0]
    raise DefinitionError(location, f"'{name}' must be {kind}, but it is {_describe(operand)}")


def _boolean_operand(name: str, operand: Any, location: str) -> bool:
    if not isinstance(operand, bool):
        raise DefinitionError(location, f"'{name}' must be true or false, but it is {_describe(operand)}")
    return operand


def _compile_reference(text: Any, field: str, location: str) -> CompiledPath:
    if not isinstance(text, str):
        raise DefinitionError(
            location, f"'{field}' must be a Reference Path string such as \"$.a.b\", but it is {_describe(text)}"
        )
    try:
        return compile_path(text, reference=True)
    except PathSyntaxError as exc:
        raise DefinitionError(location, f"'{field}' is invalid: {exc}") from None


def _reader(path: CompiledPath) -> Callable[[Scope], Any]:
    # The wording other emulators give for a Variable that selects nothing (aws-local-stepfunctions and a public
    # conformance suite quote it); no AWS recording of it was found.
    cause = f"Invalid path '{path.text}': The choice state's condition path references an invalid value."
    find = path.evaluate
    on_input = path.root == ROOT_INPUT

    def read(scope: Scope) -> Any:
        if on_input and scope.input is None:
            # AWS, quoted in awslabs/states-language#29 (and confirmed as intended by AWS Support there): a
            # Variable "$" with IsString, given a null input, fails the state with this cause.
            raise RuntimeFailure(RUNTIME, _NULL_INPUT_CAUSE)
        try:
            return find(scope)
        except PathNotFound:
            raise RuntimeFailure(RUNTIME, cause) from None

    return read


def _glob_matcher(pattern: str) -> Callable[[str], bool]:
    """A matcher for a StringMatches pattern; literal pieces are found with ``str.find``, so no
    pattern can make matching slower than linear in the pieces (unlike a backtracking regex)."""
    pieces = _glob_pieces(pattern)
    if len(pieces) == 1:
        literal = pieces[0]
        return lambda text: text == literal
    head, *middle, tail = pieces
    shortest = len(head) + len(tail)

    def matches(text: str) -> bool:
        if len(text) < shortest or not text.startswith(head) or not text.endswith(tail):
            return False
        position, end = len(head), len(text) - len(tail)
        for piece in middle:
            found = text.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True

    return matches


def _glob_pieces(pattern: str) -> list[str]:
    """The literal pieces between unescaped stars.

    >>> _glob_pieces(r"log-*.txt"), _glob_pieces(r"a\\*b*c"), _glob_pieces(r"a\\\\*")
    (['log-', '.txt'], ['a*b', 'c'], ['a\\\\', ''])
    """
    pieces = [""]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and pattern[i + 1 : i + 2] in ("*", "\\"):
            pieces[-1] += pattern[i + 1]
            i += 2
            continue
        if char == "*":
            pieces.append("")
        else:  # a backslash before anything else is itself: only '*' and '\' are special
            pieces[-1] += char
        i += 1
    return pieces


def _describe(value: Any) -> str:
    """A JSON value named by its JSON type, for messages: ``the string "1"``, ``null``."""
    if value is None:
        return "null"
    name = json_type_name(value)
    kind = {"array": "an array", "object": "an object"}.get(name) or (
        f"the {name}" if name in ("boolean", "number", "string") else f"a {name}"
    )
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return f"{kind} {text if len(text) <= 60 else text[:57] + '...'}"
