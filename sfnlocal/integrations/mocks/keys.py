"""The keys of ``execute(mocks=...)`` checked against the machine before it runs: no silent typos.

A mock is found by the Task's state name, its Resource ARN, (``lambda:invoke``) its literal
``FunctionName``, or the bare name of the Lambda function a Task calls, however the Task names it
(:class:`~sfnlocal.integrations.mocks.integration.MockIntegration`), in the machine and
in the child executions it starts, which share its mocks. A key that is none of these would never be
used: the task it meant runs unmocked, or fails far from the typo. :func:`check_mock_keys` refuses such
a key with a :class:`MockKeyError` (a ``ValueError``) naming the nearest names.

What cannot be known before the run is given the benefit of the doubt (sfnlocal's choice; AWS has no
mocks to check):

* a ``lambda:invoke`` whose ``FunctionName`` is computed (``FunctionName.$``, a JSONata ``{% ... %}``,
  or JSONata ``Arguments`` as a whole) may call any function, so a key shaped like a Lambda function
  name or ARN (as Lambda's FunctionName pattern allows) is accepted; other keys (a name with a space,
  say) are still checked;
* a machine that starts a child machine sfnlocal cannot find before the run (``StateMachineArn.$``, or
  an ARN not in the registry, :mod:`sfnlocal.interpreter.registry`) may run states of any name, so then
  no key is refused.

>>> from sfnlocal.interpreter.machine import Machine
>>> machine = Machine({"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
...     "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge"}, "End": True}}})
>>> check_mock_keys({"Charge": 1, "charge": 2}, machine)
>>> check_mock_keys({"Chrage": 1}, machine)
Traceback (most recent call last):
...
sfnlocal.integrations.mocks.keys.MockKeyError: mocks key 'Chrage' names no state, Resource ARN or ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sfnlocal.integrations.lambda_ import is_lambda_invoke
from sfnlocal.integrations.lambda_functions.names import parse_function_name
from sfnlocal.interpreter import registry
from sfnlocal.language.jsonata.expression import is_expression
from sfnlocal.language.resources import LAMBDA_FUNCTION, parse_resource

if TYPE_CHECKING:
    from sfnlocal.interpreter.machine import Machine

# Lambda's FunctionName (Invoke API reference): a name, a partial ARN or a full ARN, with an optional
# version or alias qualifier.
_FUNCTION_IDENTIFIER = re.compile(
    r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?(-iso[a-z]?)?-[a-z]+-\d:)?(\d{12}:)?(function:)?"
    r"[a-zA-Z0-9_.-]+(:(\$LATEST|[a-zA-Z0-9_-]+))?"
)
_LISTED = 8  # names listed when none is close to a key
_START_EXECUTION = (("states", "startExecution"), ("aws-sdk:sfn", "startExecution"))


class MockKeyError(ValueError):
    """A mocks key (or a MockConfigFile test case's state) that names nothing the execution would run."""


@dataclass(frozen=True)
class MockKeys:
    """What a mocks key may name in a machine and the child machines it starts.

    ``states``: state names at any depth; ``resources``: Task Resource ARNs; ``functions``: literal
    ``lambda:invoke`` FunctionNames; ``any_function``: some FunctionName is computed; ``any_state``: some
    child machine cannot be known before the run.
    """

    states: frozenset[str]
    resources: frozenset[str]
    functions: frozenset[str]
    any_function: bool = False
    any_state: bool = False

    def accepts(self, key: str) -> bool:
        """Whether a mock with this key may serve a task of the execution."""
        if self.any_state or key in self.states or key in self.resources or key in self.functions:
            return True
        return self.any_function and _FUNCTION_IDENTIFIER.fullmatch(key) is not None

    @property
    def names(self) -> list[str]:
        """Every name a key may be, sorted."""
        return sorted(self.states | self.resources | self.functions)


def state_names(machine: Machine) -> list[str]:
    """The names of the machine's states, at any depth (Parallel branches, Map processors), depth first.

    >>> from sfnlocal.interpreter.machine import Machine
    >>> state_names(Machine({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True,
    ...     "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Succeed"}}}]}}}))
    ['P', 'Inner']
    """
    return [node.name for node in machine.model.graph.states]


def mock_keys(machine: Machine) -> MockKeys:
    """What mocks keys name something in ``machine`` or the machines it starts (found in the current registry).

    >>> from sfnlocal.interpreter.machine import Machine
    >>> keys = mock_keys(Machine({"StartAt": "Go", "States": {"Go": {"Type": "Task", "End": True,
    ...     "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.fn"}}}}))
    >>> keys.names, keys.any_function, keys.accepts("other-function"), keys.accepts("Other state")
    (['Go', 'arn:aws:states:::lambda:invoke'], True, True, False)
    """
    known = _KEYS_OF.get(machine)
    if known is not None:
        return known
    states: set[str] = set()
    resources: set[str] = set()
    functions: set[str] = set()
    any_function = any_state = starts_machines = False
    pending, seen = [machine], {id(machine)}
    while pending:
        current = pending.pop()
        for node in current.model.graph.states:
            states.add(node.name)
            spec = node.spec
            if node.type != "Task" or not isinstance(spec.get("Resource"), str):
                continue
            resources.add(spec["Resource"])
            arguments = spec.get("Arguments", spec.get("Parameters"))
            resource = parse_resource(spec["Resource"])
            if is_lambda_invoke(resource.arn):
                function = _literal(arguments, "FunctionName")
                if function is None:
                    any_function = any_function or _computed(arguments, "FunctionName")
                else:
                    functions.update(_function_names(function))
            elif resource.kind == LAMBDA_FUNCTION:
                functions.update(_function_names(resource.arn))
            elif (resource.resource_type, (resource.resource or "").split(".")[0]) in _START_EXECUTION:
                starts_machines = True
                target = _literal(arguments, "StateMachineArn")
                child = registry.current().find(target) if target is not None else None
                if child is None:
                    any_state = True
                elif id(child) not in seen:
                    seen.add(id(child))
                    pending.append(child)
    keys = MockKeys(frozenset(states), frozenset(resources), frozenset(functions), any_function, any_state)
    if not starts_machines:  # the machine's own states decide: the same for each of its executions
        _KEYS_OF[machine] = keys
    return keys


# What mock_keys found for machines that start no other machine (for those, it depends on the registry).
_KEYS_OF: WeakKeyDictionary[Machine, MockKeys] = WeakKeyDictionary()


def _function_names(function: str) -> set[str]:
    """A function as the Task names it, and its bare name (a mock may be keyed by either), as Lambda reads it."""
    reference = parse_function_name(function)
    return {function} if reference is None else {function, reference.name}


def _literal(arguments: Any, field: str) -> str | None:
    value = arguments.get(field) if isinstance(arguments, dict) else None
    return value if isinstance(value, str) and not is_expression(value) else None


def _computed(arguments: Any, field: str) -> bool:
    """Whether the field is computed at run time: by a path (``field.$``) or JSONata (the field, or all arguments)."""
    if not isinstance(arguments, dict):
        return is_expression(arguments)
    return f"{field}.$" in arguments or is_expression(arguments.get(field))


def check_mock_keys(mocks: Mapping[str, Any], machine: Machine, also_known: Iterable[str] = ()) -> None:
    """Refuse, with a :class:`MockKeyError` naming the nearest names, mocks keys that would serve no task of
    ``machine`` nor of the machines it starts; ``also_known`` are further names a key may be (e.g. the
    names of functions given to the execution).

    >>> from sfnlocal.interpreter.machine import Machine
    >>> machine = Machine({"StartAt": "Ship order", "States": {"Ship order": {"Type": "Succeed"}}})
    >>> check_mock_keys({"Ship": 1}, machine, also_known=["Ship"])
    >>> check_mock_keys({"Ship ordr": 1}, machine)
    Traceback (most recent call last):
    ...
    sfnlocal.integrations.mocks.keys.MockKeyError: mocks key 'Ship ordr' names no state, ... it starts; did you mean \
'Ship order'? A key is ...
    """
    keys = mock_keys(machine)
    known = set(also_known)
    unknown = [key for key in mocks if not (isinstance(key, str) and (key in known or keys.accepts(key)))]
    if unknown:
        raise MockKeyError("\n".join(_unknown_key(key, keys.names + sorted(known), machine.name) for key in unknown))


def _unknown_key(key: Any, names: list[str], machine_name: str) -> str:
    if not isinstance(key, str):
        return f"mocks key {key!r} is a {type(key).__name__}; keys are state names, Resource ARNs or FunctionNames"
    return (
        f"mocks key {key!r} names no state, Resource ARN or lambda:invoke FunctionName of the state machine "
        f"{machine_name!r} or of the machines it starts; {nearest(key, names)} A key is a state's name (at any "
        "depth: Parallel branches and Map processors too), a Task's Resource ARN, the literal FunctionName "
        "of a lambda:invoke Task, or the name of a Lambda function a Task calls"
    )


def nearest(name: str, names: Iterable[str]) -> str:
    """A hint naming the names closest to ``name`` (difflib), or, when none is close, the first few names.

    >>> nearest("Chrage", ["Charge", "Ship"]), nearest("zzz", ["Charge", "Ship"]), nearest("zzz", [])
    ("did you mean 'Charge'?", "none is close; the names are 'Charge', 'Ship'.", 'there are no names.')
    """
    names = list(names)
    import difflib  # imported here: difflib's import cost, for an error message

    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(option) for option in close) + "?"
    if not names:
        return "there are no names."
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return "none is close; the names are " + ", ".join(repr(option) for option in names[:_LISTED]) + more + "."
