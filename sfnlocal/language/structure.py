"""Structural checks of a definition: the MUSTs of the Amazon States Language, as AWS applies them.

A definition (already parsed into Python values) is checked here once, at load, before the model
is built, so that the model builder can trust its shape: StartAt and States exist, every state has
a known Type and only the fields that Type supports, every transition (Next, Default, a Choice
Rule's Next, a Catcher's Next) names a state of the same States object, Retry and Catch are well
formed, and the numeric fields are in range. Parallel branches and Map item processors are checked
recursively as machines of their own.

Which fields each object may hold, which of them hold paths, the range of each number and the query
language of each field come from the one declaration of them, :mod:`sfnlocal.language.state_fields`.

Out of scope here, each checked where the field is read: the syntax of paths, payload templates,
intrinsics and JSONata expressions; Choice Rule contents; Wait timestamps; a state's fields of the other
query language (refused when the state is compiled; a JSONata state gets no JSONPath-only value checks here).

Every problem is reported, in document order, as a :class:`DefinitionError` whose location is a
JSON pointer and whose code is AWS's diagnostic code. Where AWS's wording is recorded (a Map
``Label``, ``Credentials`` without ``RoleArn``, a nested field of the other query language), the
message is AWS's.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sfnlocal.language.definition_limits import definition_text, limit_problem, size_problem
from sfnlocal.language.errors import ALL, DefinitionError, pointer
from sfnlocal.language.identifiers import refused_name_character
from sfnlocal.language.jsonata import is_expression
from sfnlocal.language.jsontext import json_type_name
from sfnlocal.language.state_fields import (
    BRANCH,
    CATCHER,
    DISTRIBUTED,
    EXECUTION_TYPES,
    FIELDS,
    JITTER_STRATEGIES,
    JSONATA,
    JSONPATH,
    MACHINE,
    MAP_PARTS,
    PART_CONFIGS,
    PROCESSOR,
    PROCESSOR_CONFIG,
    PROCESSOR_MODES,
    QUERY_LANGUAGES,
    RETRIER,
    STATE_TYPES,
    Fields,
    Kind,
)

Path = tuple[Any, ...]  # keys and indices from the root of the definition to one value
States = dict[Any, Any]  # one States object: state name -> state

# The spec: "State names MUST have length of less than or equal to 80 Unicode characters". The characters
# AWS refuses in the names of state machines, executions and labels it accepts in state names (its console
# names new states "Lambda Invoke", with a space), so only the length of a state name is checked.
MAX_STATE_NAME_LENGTH = 80

# AWS's diagnostic codes (ValidateStateMachineDefinitionDiagnostic).
SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"
DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
INVALID_STATE_NAME = "INVALID_STATE_NAME"
INVALID_LABEL_NAME = "INVALID_LABEL_NAME"
DUPLICATE_LABEL_NAME = "DUPLICATE_LABEL_NAME"

MAX_LABEL_LENGTH = 40

_CREDENTIALS_ROLE = ("RoleArn", "RoleArn.$")
# The fields that hold a path in any state type. Each is checked in every state: one that the state's type
# does not have is reported both as unsupported and, when it holds no string, for its value.
_STATE_PATHS = frozenset().union(*(state_type.paths for state_type in STATE_TYPES.values()))

_LISTED_NAMES = 8  # how many state names a message lists before "and N more"
# How many missing targets get a "did you mean" hint: each costs a fuzzy match against every
# state name of its scope, which adds up in a large machine with many broken transitions.
_TARGET_HINTS = 20


def structure_problems(definition: Any) -> list[DefinitionError]:
    """Every structural problem of a definition, in document order; ``[]`` when there is none.

    >>> structure_problems({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    []
    >>> [problem] = structure_problems({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    >>> problem.location, problem.code
    ('/States/A/Next', 'MISSING_TRANSITION_TARGET')
    >>> problem.message
    "Next names 'B', but no state is named 'B' (states here: 'A')"
    """
    beyond = limit_problem(definition)
    if beyond is not None:
        return [beyond]  # the walks below recurse: a definition nested past sfnlocal's bounds is not walked
    checker = _Checker(definition)
    checker.check()
    problems = checker.sorted_problems()
    too_large = size_problem(definition_text(definition)) if isinstance(definition, dict) else None
    return problems if too_large is None else [too_large, *problems]


def check_structure(definition: Any) -> None:
    """Raise the first structural problem of a definition as a :class:`DefinitionError`.

    >>> check_structure({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    >>> check_structure({"StartAt": "A", "States": {"A": {"Type": "Wait", "End": True}}})
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /States/A: A Wait state needs one of [Seconds, SecondsPath, \
Timestamp, TimestampPath]
    """
    problems = structure_problems(definition)
    if problems:
        raise problems[0]


class _Checker:
    """One pass over a definition, collecting problems as (path, message, code)."""

    def __init__(self, definition: Any) -> None:
        self.definition = definition
        self.problems: list[tuple[Path, str, str]] = []
        # Where each state name was first defined. Names are unique in the whole machine, so this
        # also tells where a transition that leaves its States object was trying to go.
        self.defined_at: dict[Any, Path] = {}
        # Transitions are resolved after the walk, once every state name is known.
        self.transitions: list[tuple[dict[str, Any], str, Path, States]] = []
        self.target_hints_left = _TARGET_HINTS
        self.labels: dict[str, Path] = {}  # each Map Label and where it was first used
        # A state's default query language is the machine's, also inside Map and Parallel states.
        self.machine_language = definition.get("QueryLanguage") if isinstance(definition, dict) else None
        self.state_checks: dict[str, Callable[[dict[str, Any], Path, States, bool], None]] = {
            "Task": self._check_task,
            "Wait": self._check_wait,
            "Fail": self._check_fail,
            "Choice": self._check_choice,
            "Parallel": self._check_parallel,
            "Map": self._check_map,
        }

    def add(self, path: Path, message: str, code: str = SCHEMA_VALIDATION_FAILED) -> None:
        self.problems.append((path, message, code))

    def check(self) -> None:
        if not isinstance(self.definition, dict):
            self.add((), f"A state machine definition must be a JSON object, but got {_describe(self.definition)}")
            return
        self._check_machine(self.definition, (), "the state machine", MACHINE)
        self._check_query_language(self.definition, ())
        for owner, key, path, scope in self.transitions:
            self._check_target(owner, key, path, scope)

    def sorted_problems(self) -> list[DefinitionError]:
        positions: dict[int, dict[Any, int]] = {}
        ordered = sorted(self.problems, key=lambda problem: _document_order(self.definition, problem[0], positions))
        return [DefinitionError(pointer(*path), message, code) for path, message, code in ordered]

    # --- machines and states -------------------------------------------------------------------

    def _check_machine(self, machine: Any, path: Path, what: str, allowed: Fields) -> None:
        """A top-level machine, a Parallel branch or a Map item processor: StartAt and States."""
        if not isinstance(machine, dict):
            self.add(path, f"{_capital(what)} must be an object with StartAt and States, but got {_describe(machine)}")
            return
        self._check_fields(machine, path, allowed, what)
        self._check_numbers(machine, path, allowed)
        states = machine.get("States")
        if "States" not in machine:
            self.add(path, f"{_capital(what)} is missing the required field 'States': an object of named states")
        elif not isinstance(states, dict) or not states:
            self.add(
                path + ("States",), f"States must be an object with at least one state, but got {_describe(states)}"
            )
        if "StartAt" not in machine:
            self.add(
                path, f"{_capital(what)} is missing the required field 'StartAt': the name of the state to run first"
            )
        elif isinstance(states, dict) and states:
            self.transitions.append((machine, "StartAt", path, states))
        if isinstance(states, dict):
            for name, state in states.items():
                self._check_state(name, state, path + ("States", name), states)

    def _check_state(self, name: Any, state: Any, path: Path, scope: States) -> None:
        self._check_name(name, path)
        if not isinstance(state, dict):
            self.add(path, f"State {_quote(name)} must be an object with a Type, but got {_describe(state)}")
            return
        if "Type" not in state:
            self.add(
                path, f"State {_quote(name)} is missing the required field 'Type': one of {', '.join(STATE_TYPES)}"
            )
            return
        state_type = state["Type"]
        if not isinstance(state_type, str) or state_type not in STATE_TYPES:
            shown = _quote(state_type) if isinstance(state_type, str) else _describe(state_type)
            self.add(
                path + ("Type",),
                f"Type {shown} is not a state type; use one of "
                f"{', '.join(STATE_TYPES)}{_did_you_mean(state_type, STATE_TYPES)}",
            )
            return
        declared = STATE_TYPES[state_type]
        reason = declared.ends_on_its_own
        self._check_fields(
            state,
            path,
            declared,
            f"a {state_type} state",
            {"Next": reason, "End": reason} if reason else {},
        )
        if reason is None:
            self._check_next_or_end(state, path, scope)
        self._check_query_language(state, path)
        self._check_path_types(state, path, _STATE_PATHS)
        jsonata = state.get("QueryLanguage", self.machine_language) == JSONATA
        type_check = self.state_checks.get(state_type)
        if type_check is not None:
            type_check(state, path, scope, jsonata)
        self._check_numbers(state, path, declared, expression_ok=jsonata)
        if "Retry" in declared.allowed:
            self._check_retry(state, path)
            self._check_catch(state, path, scope)

    def _check_query_language(self, owner: dict[str, Any], path: Path) -> None:
        language = owner.get("QueryLanguage", JSONATA)
        if language not in QUERY_LANGUAGES:
            self.add(
                path + ("QueryLanguage",),
                f"QueryLanguage must be one of [{', '.join(QUERY_LANGUAGES)}], but got {_describe(language)}",
            )

    def _check_path_types(self, owner: dict[str, Any], path: Path, fields: frozenset[str]) -> None:
        """The ``fields`` that hold a path hold a string (the path's syntax is checked where it is compiled)."""
        for field in owner:
            if field not in fields:
                continue
            value = owner[field]
            nullable = FIELDS[field].kind is Kind.NULLABLE_PATH
            if not isinstance(value, str) and not (value is None and nullable):
                null = " or null" if nullable else ""
                self.add(path + (field,), f"{field} must be a path (a string){null}, but got {_describe(value)}")

    def _check_name(self, name: Any, path: Path) -> None:
        if not isinstance(name, str):
            self.add(
                path,
                f"State name {name!r} must be a string; quote it (YAML reads an unquoted "
                "number or true/false as a value, not a name)",
                INVALID_STATE_NAME,
            )
            return
        if not name:
            # The API reference gives a state's name (StateEnteredEventDetails) a length of 1 to 80.
            self.add(
                path, "A state name cannot be empty; give the state a name of 1 to 80 characters", INVALID_STATE_NAME
            )
        elif len(name) > MAX_STATE_NAME_LENGTH:
            self.add(
                path,
                f"State name {_quote(name)} is {len(name)} characters long; a state name can have "
                f"at most {MAX_STATE_NAME_LENGTH}",
                INVALID_STATE_NAME,
            )
        first = self.defined_at.setdefault(name, path)
        if first != path:
            self.add(
                path,
                f"State name {_quote(name)} is already used at {pointer(*first)}; state names "
                "must be unique in the whole state machine, Parallel branches and Map "
                "processors included",
                DUPLICATE_STATE_NAME,
            )

    def _check_fields(
        self,
        owner: dict[Any, Any],
        path: Path,
        fields: Fields,
        what: str,
        reasons: dict[str, str] | None = None,
    ) -> None:
        """Fields that ``what`` (a state type, a machine, a retrier, a catcher) does not support."""
        allowed = fields.allowed
        for key in owner:
            if key in allowed:
                continue
            reason = f": {reasons[key]}" if reasons and key in reasons else _did_you_mean(key, allowed)
            self.add(path + (key,), f"Field {_quote(key)} is not supported in {what}{reason}; remove it")

    def _check_next_or_end(self, state: dict[str, Any], path: Path, scope: States) -> None:
        """Exactly one of Next and ``"End": true`` (``"End": false`` counts as no End)."""
        end = state.get("End", False)
        if not isinstance(end, bool):
            self.add(path + ("End",), f"End must be true or false, but got {_describe(end)}")
            end = None  # already reported: do not also complain that Next or End is missing
        if "Next" in state:
            self.transitions.append((state, "Next", path, scope))
            if end:
                self.add(
                    path,
                    f'A {state["Type"]} state cannot have both Next and "End": true; keep Next '
                    "to continue to another state, or End to finish here",
                )
        elif end is False:
            self.add(path, f'A {state["Type"]} state needs Next (the state to run after it) or "End": true')

    def _check_target(self, owner: dict[str, Any], key: str, path: Path, scope: States) -> None:
        """``owner[key]`` must name a state of ``scope``, the States object the owner belongs to."""
        target = owner[key]
        if not isinstance(target, str):
            self.add(path + (key,), f"{key} must be the name of a state (a string), but got {_describe(target)}")
            return
        if target in scope:
            return
        here = _list_names(scope)
        elsewhere = self.defined_at.get(target)
        if elsewhere is None:
            hint = ""
            if self.target_hints_left:
                self.target_hints_left -= 1
                hint = _did_you_mean(target, [name for name in scope if isinstance(name, str)])
            message = (
                f"{key} names {_quote(target)}, but no state is named {_quote(target)} (states here: {here}){hint}"
            )
        else:
            container = elsewhere[:-2]
            where = f"the States of {pointer(*container)}" if container else "the top-level States"
            message = (
                f"{key} names {_quote(target)}, which belongs to {where}; a transition cannot enter "
                f"or leave a Parallel branch or a Map item processor (states here: {here})"
            )
        self.add(path + (key,), message, MISSING_TRANSITION_TARGET)

    # --- one check per state type --------------------------------------------------------------

    def _check_task(self, state: dict[str, Any], path: Path, scope: States, jsonata: bool) -> None:
        if "Resource" not in state:
            self.add(path, "A Task state needs Resource: the ARN (a string) of the work it runs")
        elif not isinstance(state["Resource"], str):
            self.add(
                path + ("Resource",), f"Resource must be an ARN (a string), but got {_describe(state['Resource'])}"
            )
        for field in ("TimeoutSeconds", "HeartbeatSeconds"):
            self._check_one_of(state, path, (field, field + "Path"), "A Task state")
        if "Credentials" in state:
            credentials = state["Credentials"]
            if not isinstance(credentials, dict):
                self.add(
                    path + ("Credentials",),
                    f"Credentials must be an object with RoleArn, but got {_describe(credentials)}",
                )
            elif not any(field in credentials for field in _CREDENTIALS_ROLE):
                # AWS's wording (recorded), also for an object holding only other fields.
                self.add(path + ("Credentials",), "The field 'RoleArn' is required but was missing")
        timeout: Any = state.get("TimeoutSeconds")
        heartbeat: Any = state.get("HeartbeatSeconds")
        in_range = _in_declared_range("TimeoutSeconds", timeout) and _in_declared_range("HeartbeatSeconds", heartbeat)
        if in_range and heartbeat >= timeout:
            self.add(
                path + ("HeartbeatSeconds",),
                f"HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout})",
            )

    def _check_wait(self, state: dict[str, Any], path: Path, scope: States, jsonata: bool) -> None:
        self._check_one_of(
            state, path, ("Seconds", "SecondsPath", "Timestamp", "TimestampPath"), "A Wait state", required=True
        )
        if "Timestamp" in state and not isinstance(state["Timestamp"], str):
            self.add(
                path + ("Timestamp",),
                f"Timestamp must be a string such as '2026-03-14T01:59:00Z', but got {_describe(state['Timestamp'])}",
            )

    def _check_fail(self, state: dict[str, Any], path: Path, scope: States, jsonata: bool) -> None:
        for field in ("Error", "Cause"):
            self._check_one_of(state, path, (field, field + "Path"), "A Fail state")
            if field in state and not isinstance(state[field], str):
                self.add(path + (field,), f"{field} must be a string, but got {_describe(state[field])}")

    def _check_choice(self, state: dict[str, Any], path: Path, scope: States, jsonata: bool) -> None:
        choices = state.get("Choices")
        if "Choices" not in state:
            self.add(path, "A Choice state needs Choices: a non-empty array of Choice Rules, each with a Next")
        elif not isinstance(choices, list) or not choices:
            self.add(
                path + ("Choices",), f"Choices must be a non-empty array of Choice Rules, but got {_describe(choices)}"
            )
        else:
            for index, rule in enumerate(choices):
                where = path + ("Choices", index)
                if not isinstance(rule, dict):
                    self.add(where, f"A Choice Rule must be an object, but got {_describe(rule)}")
                elif "Next" not in rule:
                    self.add(
                        where,
                        "This Choice Rule has no Next: a rule in Choices must name the state to run when it matches",
                    )
                else:
                    self.transitions.append((rule, "Next", where, scope))
        if "Default" in state:
            self.transitions.append((state, "Default", path, scope))

    def _check_parallel(self, state: dict[str, Any], path: Path, scope: States, jsonata: bool) -> None:
        branches = state.get("Branches")
        if "Branches" not in state:
            self.add(
                path, "A Parallel state needs Branches: a non-empty array of branches, each with StartAt and States"
            )
        elif not isinstance(branches, list) or not branches:
            self.add(
                path + ("Branches",), f"Branches must be a non-empty array of branches, but got {_describe(branches)}"
            )
        else:
            for index, branch in enumerate(branches):
                self._check_machine(branch, path + ("Branches", index), f"branch {index}", BRANCH)

    def _check_map(self, state: dict[str, Any], path: Path, scope: States, jsonata: bool) -> None:
        processors = self._check_one_of(state, path, ("ItemProcessor", "Iterator"), "A Map state", required=True)
        if len(processors) == 1:
            [field] = processors
            self._check_machine(state[field], path + (field,), f"the {field}", PROCESSOR)
            if isinstance(state[field], dict) and "ProcessorConfig" in state[field]:
                self._check_processor_config(state[field]["ProcessorConfig"], path + (field, "ProcessorConfig"))
        if "Label" in state:
            self._check_label(state["Label"], path + ("Label",))
        for part, allowed in MAP_PARTS.items():
            if part in state:
                self._check_map_part(state[part], part, allowed, path + (part,), jsonata)
        for field in ("MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount"):
            self._check_one_of(state, path, (field, field + "Path"), "A Map state")
        items = state.get("Items")
        if "Items" in state and not isinstance(items, list) and not is_expression(items):
            # The AWS docs: Items is "a JSON array or a JSONata expression that must evaluate to an array".
            self.add(
                path + ("Items",),
                f"Items must be an array or a JSONata expression ('{{% ... %}}') that gives one, but got "
                f"{_describe(items)}",
            )

    def _check_processor_config(self, config: Any, path: Path) -> None:
        if not isinstance(config, dict):
            self.add(path, f"ProcessorConfig must be an object, but got {_describe(config)}")
            return
        self._check_fields(config, path, PROCESSOR_CONFIG, "a ProcessorConfig")
        for field, values in (("Mode", PROCESSOR_MODES), ("ExecutionType", EXECUTION_TYPES)):
            if field in config and config[field] not in values:
                self.add(
                    path + (field,), f"{field} must be one of [{', '.join(values)}], but got {_describe(config[field])}"
                )
        if config.get("Mode") == DISTRIBUTED and "ExecutionType" not in config:
            self.add(path, "A DISTRIBUTED ProcessorConfig needs ExecutionType: STANDARD or EXPRESS")

    def _check_label(self, label: Any, path: Path) -> None:
        """A Map Label names the Map Run in its ARN: AWS's characters and length, unique in the machine."""
        if not isinstance(label, str):
            self.add(path, f"Label must be a string, but got {_describe(label)}", INVALID_LABEL_NAME)
            return
        problem = label_problem(label)
        if problem is not None:
            self.add(path, problem, INVALID_LABEL_NAME)
            return
        first = self.labels.setdefault(label, path)
        if first != path:
            self.add(
                path,
                f"Label {_quote(label)} is already used at {pointer(*first)}; each Map state needs a Label of its own",
                DUPLICATE_LABEL_NAME,
            )

    def _check_map_part(self, part: Any, name: str, allowed: Fields, path: Path, jsonata: bool) -> None:
        """ItemReader, ItemBatcher or ResultWriter: an object of known fields in the state's query language."""
        if not isinstance(part, dict):
            self.add(path, f"{name} must be an object, but got {_describe(part)}")
            return
        self._check_fields(part, path, allowed, f"the {name}")
        self._check_language_fields(part, path, allowed, jsonata)
        if name == "ItemReader" and not isinstance(part.get("Resource"), str):
            self.add(
                path,
                "An ItemReader needs Resource: the ARN (a string) of the S3 action that reads the "
                "items, e.g. 'arn:aws:states:::s3:getObject'",
            )
        for field in ("MaxItemsPerBatch", "MaxInputBytesPerBatch") if name == "ItemBatcher" else ():
            self._check_one_of(part, path, (field, field + "Path"), "The ItemBatcher")
        self._check_numbers(part, path, allowed, expression_ok=jsonata)
        if name not in PART_CONFIGS or PART_CONFIGS[name][0] not in part:
            return
        config_name, config_fields = PART_CONFIGS[name]
        config = part[config_name]
        if not isinstance(config, dict):
            self.add(path + (config_name,), f"{config_name} must be an object, but got {_describe(config)}")
            return
        self._check_fields(config, path + (config_name,), config_fields, f"a {config_name}")
        self._check_language_fields(config, path + (config_name,), config_fields, jsonata)
        self._check_one_of(config, path + (config_name,), ("MaxItems", "MaxItemsPath"), f"A {config_name}")
        self._check_numbers(config, path + (config_name,), config_fields, expression_ok=jsonata)

    def _check_language_fields(self, owner: dict[str, Any], path: Path, fields: Fields, jsonata: bool) -> None:
        """Fields of a Map's nested objects that belong to the other query language (AWS's wording)."""
        language, other = (JSONATA, JSONPATH) if jsonata else (JSONPATH, JSONATA)
        for field in owner:
            if field in fields.only_in[other]:
                self.add(
                    path + (field,),
                    f"The QueryLanguage is set to '{language}', but field '{field}' is only "
                    f"supported for the '{other}' QueryLanguage",
                )

    # --- Retry and Catch -----------------------------------------------------------------------

    def _check_retry(self, state: dict[str, Any], path: Path) -> None:
        for retrier, where in self._error_handlers(state, path, "Retry", "retrier", RETRIER):
            self._check_numbers(retrier, where, RETRIER)
            strategy = retrier.get("JitterStrategy", "NONE")
            if strategy not in JITTER_STRATEGIES:
                self.add(
                    where + ("JitterStrategy",),
                    f"JitterStrategy must be 'FULL' or 'NONE', but got {_describe(strategy)}",
                )

    def _check_catch(self, state: dict[str, Any], path: Path, scope: States) -> None:
        for catcher, where in self._error_handlers(state, path, "Catch", "catcher", CATCHER):
            self._check_path_types(catcher, where, CATCHER.paths)
            if "Next" not in catcher:
                self.add(where, "A catcher needs Next: the state to run when it catches an error")
            else:
                self.transitions.append((catcher, "Next", where, scope))

    def _error_handlers(
        self, state: dict[str, Any], path: Path, field: str, noun: str, allowed: Fields
    ) -> list[tuple[dict[str, Any], Path]]:
        """The well-formed objects of a Retry or Catch array, after checking what they share."""
        if field not in state:
            return []
        handlers = state[field]
        if not isinstance(handlers, list):
            self.add(path + (field,), f"{field} must be an array of {noun}s, but got {_describe(handlers)}")
            return []
        found = []
        for index, handler in enumerate(handlers):
            where = path + (field, index)
            if not isinstance(handler, dict):
                self.add(where, f"A {noun} must be an object with ErrorEquals, but got {_describe(handler)}")
                continue
            self._check_fields(handler, where, allowed, f"a {noun}")
            self._check_error_equals(handler, where, noun, index, len(handlers))
            found.append((handler, where))
        return found

    def _check_error_equals(self, handler: dict[str, Any], path: Path, noun: str, index: int, count: int) -> None:
        if "ErrorEquals" not in handler:
            self.add(path, f'A {noun} needs ErrorEquals: a non-empty array of error names, e.g. ["States.ALL"]')
            return
        names = handler["ErrorEquals"]
        where = path + ("ErrorEquals",)
        if not isinstance(names, list) or not names:
            self.add(where, f"ErrorEquals must be a non-empty array of error names, but got {_describe(names)}")
            return
        for position, name in enumerate(names):
            if not isinstance(name, str):
                self.add(where + (position,), f"An error name must be a string, but got {_describe(name)}")
        if ALL not in names:
            return
        if len(names) > 1:
            others = ", ".join(_quote(name) for name in names if name != ALL)
            self.add(
                where,
                f"'{ALL}' must be the only name in its ErrorEquals, but it is listed with "
                f"{others}; give those names a {noun} of their own before this one",
            )
        if index != count - 1:
            after = count - 1 - index
            self.add(
                where,
                f"'{ALL}' must be in the last {noun}, but {after} more {noun}{'s' * (after > 1)} "
                f"follow{'s' * (after == 1)} this one; move this {noun} to the end",
            )

    # --- field values --------------------------------------------------------------------------

    def _check_one_of(
        self, owner: dict[str, Any], path: Path, fields: Sequence[str], what: str, required: bool = False
    ) -> list[str]:
        """At most one (exactly one when ``required``) of ``fields``; returns those present."""
        present = [field for field in fields if field in owner]
        if len(present) > 1:
            self.add(
                path, f"{what} can have only one of [{', '.join(fields)}], but has [{', '.join(present)}]; keep one"
            )
        elif required and not present:
            self.add(path, f"{what} needs one of [{', '.join(fields)}]")
        return present

    def _check_numbers(self, owner: dict[str, Any], path: Path, fields: Fields, expression_ok: bool = False) -> None:
        """Each number among ``fields`` that ``owner`` holds is in its declared range.

        ``expression_ok``: in a JSONata state a string stands for an expression, evaluated (and
        checked) at run time.
        """
        for field in fields.numbers:
            if field in owner:
                self._check_number(owner, field, path, expression_ok)

    def _check_number(self, owner: dict[str, Any], field: str, path: Path, expression_ok: bool) -> None:
        """``owner[field]`` is a number (an integer for a whole one) in the field's range."""
        value = owner[field]
        if expression_ok and isinstance(value, str):
            return
        declared = FIELDS[field]
        low, high, whole = declared.low, declared.high, declared.whole
        kind = "a whole number" if whole else "a number"
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        is_number = isinstance(value, int if whole else (int, float)) and not isinstance(value, bool)
        if not is_number or not _in_declared_range(field, value):
            self.add(path + (field,), f"{field} must be {kind} {bounds}, but got {_describe(value)}")


def label_problem(label: str) -> str | None:
    """AWS's message for a Map Label it refuses, or None for a good one.

    >>> label_problem("label_#"), label_problem(""), label_problem("Orders-2024_v1")
    ("Label contains invalid character: '#'", 'Label cannot be empty', None)
    >>> label_problem("x" * 41)
    'Label cannot exceed 40 characters, but it has 41'
    """
    if not label:
        return "Label cannot be empty"
    # Recorded: CreateStateMachine refuses each character AWS refuses in every name.
    refused = refused_name_character(label)
    if refused is not None:
        return f"Label contains invalid character: {refused!r}"
    if len(label) > MAX_LABEL_LENGTH:
        return f"Label cannot exceed {MAX_LABEL_LENGTH} characters, but it has {len(label)}"
    return None


def _in_declared_range(field: str, value: Any) -> bool:
    """A number (not a boolean) in the range the field's declaration gives.

    >>> _in_declared_range("Seconds", 0), _in_declared_range("TimeoutSeconds", 0), _in_declared_range("Seconds", True)
    (True, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    declared = FIELDS[field]
    return declared.low is not None and declared.low <= value and (declared.high is None or value <= declared.high)


def _document_order(root: Any, path: Path, positions: dict[int, dict[Any, int]]) -> tuple[int, ...]:
    """Where ``path`` points in ``root``, as positions of keys and indices, to sort problems by.

    A container sorts before what it contains. ``positions`` caches each object's key positions.
    """
    order = []
    node = root
    for part in path:
        if isinstance(node, dict):
            index = positions.get(id(node))
            if index is None:
                index = positions[id(node)] = {key: position for position, key in enumerate(node)}
            order.append(index.get(part, len(node)))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            order.append(part)
        else:
            break
        node = node.get(part) if isinstance(node, dict) else node[part]
    return tuple(order)


def _capital(text: str) -> str:
    """``text`` with its first letter in upper case, to start a sentence."""
    return text[:1].upper() + text[1:]


def _quote(text: Any, limit: int = 60) -> str:
    """A name or text in single quotes, shortened to ``limit`` characters (a non-string as is).

    >>> _quote("Ship"), _quote(1)
    ("'Ship'", '1')
    """
    if not isinstance(text, str):
        return repr(text)
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


def _describe(value: Any) -> str:
    """A short rendering of a JSON value and its kind, for messages.

    >>> _describe("5"), _describe(True), _describe([1, 2]), _describe(None)
    ("'5' (a string)", 'true (a boolean)', '[1, 2] (an array)', 'null')
    """
    if isinstance(value, str):
        return f"{_quote(value)} (a string)"
    if value is None:
        return "null"
    name = json_type_name(value)
    kind = {"boolean": "a boolean", "number": "a number", "array": "an array", "object": "an object"}.get(name, name)
    text = json.dumps(value, default=repr, ensure_ascii=False, skipkeys=True)
    return f"{text if len(text) <= 60 else text[:59] + '…'} ({kind})"


def _list_names(scope: States) -> str:
    """The first few state names of a States object, quoted."""
    names = [_quote(name) for name in itertools.islice(scope, _LISTED_NAMES)]
    more = len(scope) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


def _did_you_mean(word: Any, candidates: Collection[str]) -> str:
    """`` (did you mean 'X'?)`` when one candidate is close to ``word``, else ``''``."""
    if not isinstance(word, str):
        return ""
    import difflib  # imported here: difflib's import cost, for an error message

    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.75)
    return f" (did you mean {_quote(close[0])}?)" if close else ""
