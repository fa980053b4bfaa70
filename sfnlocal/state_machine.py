"""The public entry point: a state machine loaded from a dict, text, a file or a template, and running it.

:class:`StateMachine` is the interpreter's :class:`~sfnlocal.interpreter.machine.Machine` with the ways
to load one, and ``execute()`` composes what serves its tasks (:mod:`sfnlocal.integrations`), in this
order: the ``mocks``, the MockConfigFile ``test_case``, your own ``integration``, then the built-in AWS
service integrations in an :class:`~sfnlocal.integrations.aws.world.AwsWorld` (``aws=``, or one of the
execution's own, started on first use and stopped when the execution and its children are over).
"""

from __future__ import annotations

import json
import math
import reprlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any

from sfnlocal.integrations import compose
from sfnlocal.integrations.aws.services import AwsServices
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter import registry
from sfnlocal.interpreter.execution import DEFAULT_TRANSITION_LIMIT, plain_options
from sfnlocal.interpreter.history import AWS_HISTORY_LIMIT
from sfnlocal.interpreter.integration import Integration
from sfnlocal.interpreter.journal import Journal
from sfnlocal.interpreter.machine import DEFAULT_START_TIME, ExecutionOptions, Machine
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.identifiers import name_from, name_problem, seeded_uuid4
from sfnlocal.language.json_checks import MAX_DEPTH, within_depth
from sfnlocal.language.jsontext import (
    EMPTY_OBJECT_BOUND,
    MAX_PAYLOAD_BYTES,
    PayloadBound,
    bounded_json_copy,
    compact_json,
    not_a_json_constant,
)
from sfnlocal.language.loader import as_definition, parse_text, read_file
from sfnlocal.language.state_fields import STANDARD
from sfnlocal.language.timestamps import parse_timestamp

if TYPE_CHECKING:
    from sfnlocal.integrations.lambda_functions import LambdaFunction, LambdaFunctions
    from sfnlocal.integrations.mocks.integration import MockIntegration
    from sfnlocal.replay import ReplayReport
    from sfnlocal.templates import Application

_NO_INPUT: Any = object()
_AWS_DEFAULT: Any = object()  # history_limit: AWS's, for the machine's type
# The mocks' key check and integration and the Lambda functions' integration: imported by the first run that has
# mocks or functions (they import the Lambda runtime, ~10 ms that ``import sfnlocal`` need not pay), then kept here,
# since an import statement in execute() would cost every run.
_integration_classes: tuple[Callable[..., None], type[MockIntegration], type[LambdaFunctions]] | None = None


def _import_integration_classes() -> tuple[Callable[..., None], type[MockIntegration], type[LambdaFunctions]]:
    global _integration_classes
    from sfnlocal.integrations.lambda_functions import LambdaFunctions
    from sfnlocal.integrations.mocks.integration import MockIntegration
    from sfnlocal.integrations.mocks.keys import check_mock_keys

    _integration_classes = (check_mock_keys, MockIntegration, LambdaFunctions)
    return _integration_classes


# Worked out once: datetime.timestamp() costs more than all of execute()'s checks.
_DEFAULT_START_SECONDS = DEFAULT_START_TIME.timestamp()


class StateMachine(Machine):
    """A state machine definition, loaded and compiled once, that can be executed many times.

    >>> sm = StateMachine.from_dict({"StartAt": "Hello", "States": {
    ...     "Hello": {"Type": "Pass", "Result": "World", "ResultPath": "$.greeting", "End": True}}})
    >>> run = sm.execute({"name": "Ada"})
    >>> run.status, run.output
    ('SUCCEEDED', {'name': 'Ada', 'greeting': 'World'})
    """

    def __init__(
        self,
        definition: dict[str, Any],
        *,
        functions: Mapping[str, str | Mapping[str, Any] | LambdaFunction] | Iterable[LambdaFunction] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(definition, **options)
        self.functions: dict[str, LambdaFunction] = _functions(functions)
        # The template's resources and event sources (from_template), provisioned in each execution's world.
        self.application: Application | None = None

    # Loading -----------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, definition: dict[str, Any], **options: Any) -> StateMachine:
        """Load from a Python dict (copied: later changes to it do not affect the machine)."""
        return cls(definition, **options)

    @classmethod
    def from_json(cls, text: str, **options: Any) -> StateMachine:
        """Load from JSON text, or YAML text (the same parser reads both).

        >>> StateMachine.from_json('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}').execute().status
        'SUCCEEDED'
        """
        return cls(as_definition(parse_text(text)), **options)

    from_yaml = from_json

    @classmethod
    def from_template(
        cls,
        path: str | Path,
        logical_id: str | None = None,
        substitutions: dict[str, Any] | None = None,
        *,
        allow_outside_folder: bool = False,
        functions: bool | Mapping[str, str | Mapping[str, Any] | LambdaFunction] = True,
        resources: bool = True,
        **options: Any,
    ) -> StateMachine:
        """Load the state machine defined in a SAM / CloudFormation / CDK template (or Terraform-style
        definition with ``${...}`` placeholders); ``logical_id`` picks one when the template has several. The
        machine is named as the template names it (``StateMachineName``, SAM's ``Name``), else after its logical
        id, unless ``name=`` is given. A
        definition file the template names is read only from the template's folder tree, unless
        ``allow_outside_folder=True``. See :mod:`sfnlocal.templates`.

        The template's Lambda functions come with it (``machine.functions``): a Task that calls one runs its
        real Python handler in-process, as Lambda would (see docs/lambdas.md), unless a mock is given for it.
        ``functions=False`` leaves them out; a mapping adds functions to them (or replaces them by name), as
        ``from_dict(..., functions=...)`` takes them.

        The template's resources come with it too (``machine.application``, see docs/applications.md): each
        execution's in-process AWS world gets its queues, topics, tables, buckets, buses and rules, secrets,
        parameters and the other state machines, named as the definition names them, and its event sources (SQS
        mappings, SNS subscriptions, EventBridge rules, DynamoDB streams, S3 notifications) deliver to the
        functions in virtual time while the execution waits. ``resources=False`` leaves them out (mocks only).

        >>> machine = StateMachine.from_template("examples/approval/template.yaml")
        >>> machine.name, sorted(machine.functions)
        ('ApprovalStateMachine', ['RequestApprovalFunction', 'ValidateOrderFunction', 'record-decision'])
        """
        from sfnlocal.templates import application_from_template, functions_from_template, is_template
        from sfnlocal.templates.definitions import load_state_machines

        machines = load_state_machines(
            path, logical_id=logical_id, substitutions=substitutions, allow_outside_folder=allow_outside_folder
        )
        if logical_id is None and len(machines) > 1:
            raise ValueError(
                f"{path} defines {len(machines)} state machines ({', '.join(machines)}); pass logical_id= to pick one"
            )
        chosen = logical_id or next(iter(machines))
        options.setdefault("name", name_from(machines[chosen].name))
        wired: dict[str, Any] = {}
        if functions is not False:
            wired.update(
                functions_from_template(path, substitutions, allow_outside_folder=allow_outside_folder, strict=False)
            )
        if isinstance(functions, Mapping):
            wired.update(_functions(functions))
        machine = cls(machines[chosen].definition, functions=wired, **options)
        if resources and is_template(path):  # a lone definition with ${...} placeholders declares no resources
            machine.application = application_from_template(
                path, substitutions, allow_outside_folder=allow_outside_folder, loaded=chosen
            )
        return machine

    @classmethod
    def from_file(cls, path: str | Path, **options: Any) -> StateMachine:
        """Load a ``.json``/``.asl.json``/``.yaml``/``.asl.yaml`` file; the machine is named after the file
        unless ``name=`` is given."""
        options.setdefault("name", _name_from_path(Path(path)))
        return cls(as_definition(read_file(path)), **options)

    # Running -----------------------------------------------------------------------------------

    def execute(
        self,
        input: Any = _NO_INPUT,
        *,
        input_json: str | None = None,
        mocks: dict[str, Any] | None = None,
        integration: Integration | None = None,
        execution_name: str | None = None,
        seed: int = 0,
        start_time: datetime | str | None = None,
        real_time: bool = False,
        history_limit: int | None = _AWS_DEFAULT,
        stop_after: float | None = None,
        stop_error: str | None = None,
        stop_cause: str | None = None,
        transition_limit: int | None = DEFAULT_TRANSITION_LIMIT,
        aws: AwsWorld | None = None,
        mock_config: Any = None,
        test_case: str | None = None,
        real_aws: bool = False,
        lambda_endpoint: str | None = None,
        journal: Journal | None = None,
    ) -> ExecutionResult:
        """Run one execution to its end (or until it is suspended) and return its result.

        ``input`` is the parsed input (a dict, list, number, ...), default ``{}`` as in StartExecution; it is
        copied, never mutated. A ``str`` is refused with a ``TypeError``: JSON text passed there would run
        as a JSON string. Give JSON text as ``input_json=`` instead (not both; bad JSON is a ``ValueError``
        naming ``input_json``). The input must be JSON (a ``TypeError`` names the place of a NaN, an
        Infinity, a lone surrogate, a Python object JSON cannot hold, or nesting deeper than 256 levels)
        and, as StartExecution requires, at most 262,144 bytes of UTF-8 JSON (a ``ValueError`` otherwise).
        ``execution_name`` must follow AWS's rules for names (1 to 80 characters, no white space, brackets,
        wildcards, control characters or ``" # % \\ ^ | ~ ` $ & , ; : /``; a ``ValueError`` otherwise); by
        default a UUID is drawn. ``mocks`` maps state names, Resource ARNs or ``lambda:invoke`` FunctionNames to
        what their tasks do (see :mod:`sfnlocal.integrations.mocks`); a key that names none of these, in this
        machine or the machines it starts, is a ``ValueError`` listing the nearest names. ``seed`` drives
        every random choice (execution name, task tokens, jitter, UUIDs). The clock is virtual and starts at
        ``start_time`` (default 2025-01-01T00:00:00Z) unless ``real_time=True``.

        The limits that end an execution (see docs/testing-workflows.md): as in AWS, a Standard execution
        fails (States.Runtime) when its history reaches 25,000 events (``history_limit``: another number,
        or None for none; an Express execution has none by default, as in AWS), and an execution times out
        after a year (Standard) or five minutes (Express) of virtual time. ``transition_limit`` (sfnlocal's
        own, None for none) fails an execution that enters that many states: a loop that never waits never
        moves the clock, so no timeout would end it. ``stop_after=seconds`` stops the execution at that
        virtual time, as StopExecution would (status ABORTED), if it is still running then, with ``stop_error`` and
        ``stop_cause`` as StopExecution's error and cause (at most 256 and 32,768 characters, as its API takes them);
        a loop that never waits is stopped (ABORTED) when it reaches ``transition_limit``, since its clock never
        gets there.

        What serves the tasks, in this order (the first that answers wins): ``mocks``; the Step Functions
        Local MockConfigFile test case ``test_case`` (``mock_config`` is the file's path or content,
        default the ``SFN_MOCK_CONFIG`` variable's); ``integration``, your own implementation of
        :class:`sfnlocal.Integration`; the built-in integrations: AWS services in an in-process moto
        (``aws=AwsWorld(...)`` to share one with the test, otherwise a fresh one, stopped when the
        execution and its children are over) and child executions of the machines this session knows.

        The machine's Lambda functions (``functions``, from its template or given when it was loaded) serve the
        Tasks that call them, after your own integration: each runs its real handler in-process as Lambda
        would (see docs/lambdas.md), or, with ``lambda_endpoint="http://127.0.0.1:3001"``, through a Lambda
        Invoke API such as ``sam local start-lambda``. Their boto3 calls, and those of handlers given as
        mocks, reach the execution's in-process AWS world and nothing else; ``real_aws=True`` lets them reach
        whatever the process's AWS configuration names instead (real AWS: use with care).

        ``journal``: a :class:`sfnlocal.Journal` that records what comes into the execution from outside (its
        tasks' answers, task tokens answered, activity tasks taken, stops, time passing). Given one that holds a
        journal's entries, with the same input, seed and start time as the first run (and the same name only if
        the first run was given one: a drawn name is drawn again), the execution runs
        through them first (its tasks answered from the journal, not invoked again) and stands where the first run
        stood: how ``sfnlocal serve`` resumes the executions that were running when it stopped.
        """
        execution_input, input_bound = _execution_input(input, input_json)
        case = None
        if test_case is not None:
            from sfnlocal.integrations.mock_config import load_mock_config
            from sfnlocal.integrations.mocks.keys import state_names

            config = load_mock_config(mock_config)
            case = config.test_case(self.name, test_case)
            if case.state_machine != self.name:
                raise ValueError(
                    f"test case {case.name!r} belongs to the state machine {case.state_machine!r}, not "
                    f"{self.name!r}; execute it on that machine (or name this machine {case.state_machine!r})"
                )
            config.check_states(case, state_names(self))
        functions = mocked = None
        if mocks or self.functions:
            check_mock_keys, mock_integration, lambda_functions = _integration_classes or _import_integration_classes()
            if mocks:
                check_mock_keys(mocks, self, also_known=self.functions)
        world = aws if aws is not None else AwsWorld(self.region, self.account)
        if self.functions:
            functions = lambda_functions(self.functions.values(), world, endpoint=lambda_endpoint, real_aws=real_aws)
        if mocks:
            mocked = mock_integration(mocks, world, real_aws=real_aws)
        served = compose(mocked, case, integration, functions, AwsServices(world))
        # Only the limits and stop details the caller gave need checking (most calls give none).
        limits_given = (
            history_limit is not _AWS_DEFAULT
            or transition_limit is not DEFAULT_TRANSITION_LIMIT
            or stop_after is not None
        )
        if history_limit is _AWS_DEFAULT:  # AWS limits a Standard execution's history, not an Express one's
            history_limit = AWS_HISTORY_LIMIT if self.type == STANDARD else None
        if limits_given:
            _check_limits(history_limit, transition_limit, stop_after)
        if stop_error is not None or stop_cause is not None:
            _check_stop_details(stop_error, stop_cause)
        running = (
            _ApplicationRun(self.application, world, functions, seed, owned=aws is None) if self.application else None
        )
        plain = (
            _DEFAULT_START_SECONDS if start_time is None else _start_seconds(start_time),
            _checked_name(execution_name),
            seed,
            real_time,
            history_limit,
            stop_after,
            transition_limit,
        )
        if journal is None and running is None:
            options = plain_options(*plain, stop_error, stop_cause)
        else:
            options = ExecutionOptions(
                *plain,
                journal=journal,
                on_suspend=running.on_suspend if running is not None else None,
                describe_world=running.describe if running is not None else None,
                stop_error=stop_error,
                stop_cause=stop_cause,
            )
        world.seed_execution(seed)  # the identifiers moto draws (message ids, ...) follow the execution's seed
        # A world of the execution's own is stopped when everything it started is over; the caller's is theirs.
        finished = running.finished if running is not None else world.stop if aws is None else None
        return self.start(execution_input, served, options, on_finished=finished, input_bound=input_bound)

    def replay(self, history: Any, **options: Any) -> ReplayReport:
        """Replay an execution AWS recorded with this definition and say whether it went the same way: a
        :class:`sfnlocal.replay.ReplayReport` (``verdict`` ``"same"``, ``"diverged"`` with the first divergence, or
        ``"not replayable"`` with the reason). ``history``: a path to what ``aws stepfunctions
        get-execution-history`` printed, that output parsed, or a :class:`sfnlocal.replay.RecordedExecution`.
        ``options``: see :func:`sfnlocal.replay.replay`. See docs/replay.md."""
        from sfnlocal.replay import RecordedExecution, read_history, replay

        if isinstance(history, (str, Path)):
            history = read_history(history)
        elif not isinstance(history, RecordedExecution):
            history = RecordedExecution.from_document(history, "the history given")
        return replay(self, history, **options)

    def test_state(self, state_name: str | None = None, **request: Any) -> dict[str, Any]:
        """Run one state as the AWS TestState API does and return its response (status, output, error,
        cause, nextState, inspectionData). ``state_name`` picks the state of this machine; the other
        arguments are TestState's request fields in snake_case (``input``, ``inspection_level``, ``mock``,
        ``variables``, ``context``, ``state_configuration``, ``reveal_secrets``). A Task without a mock that
        calls one of the machine's Lambda functions runs its handler, as TestState invokes the deployed function.
        See :mod:`sfnlocal.teststate`."""
        from sfnlocal.teststate import request_from_arguments, test_state

        return test_state(
            request_from_arguments(self.definition, state_name, request),
            account=self.account,
            region=self.region,
            functions=self.functions.values(),
        )


class _ApplicationRun:
    """A template's application around one execution: its resources provisioned in the execution's world, its event
    sources delivered while the execution waits (:class:`~sfnlocal.integrations.aws.event_sources.EventPump`), and
    what the world holds when the execution ends (``describe``, for ``ExecutionResult.world_summary``)."""

    def __init__(
        self, application: Application, world: AwsWorld, functions: LambdaFunctions | None, seed: int, owned: bool
    ) -> None:
        from sfnlocal.integrations.aws.event_sources import EventPump
        from sfnlocal.integrations.lambda_functions import LambdaFunctions

        application.provision(world)
        self.world = world
        self.owned = owned
        self.functions = dict(functions.functions) if functions is not None else {}
        self.snapshot: dict[str, Any] | None = None
        runtime = functions if functions is not None else LambdaFunctions((), world)
        ids = Random(
            seed
        )  # the functions' request ids: a source of their own, so the execution's draws stay as they are
        sources = [source for source in application.event_sources if not source.moto_delivers]

        self.on_suspend: Callable[[ExecutionResult], bool] | None = None
        if not sources:
            return

        def invoke(name: str, event: Any) -> Any:
            return runtime.call(
                name, event, now=pump.now, request_id=seeded_uuid4(ids), region=world.region, account=world.account
            )

        pump = EventPump(world, sources, invoke, start_execution=self._start_execution)
        self.on_suspend = pump.on_suspend

    def _start_execution(self, state_machine_arn: str, execution_input: Any) -> Any:
        """An EventBridge rule's Step Functions target: an execution of its own, in the same world."""
        machine = registry.current().find(state_machine_arn)
        if machine is None:
            raise LookupError(f"no state machine {state_machine_arn} is loaded or declared in the template")
        if not isinstance(machine, StateMachine):  # one the template declares: run with the template's functions
            declared = machine
            machine = StateMachine(
                declared.definition,
                name=declared.name,
                account=declared.account,
                region=declared.region,
                role_arn=declared.role_arn,
                type=declared.type,
                functions=self.functions,
            )
            registry.current().register(declared)  # the application's own stays the one registered
        return machine.execute(execution_input, aws=self.world)

    def describe(self) -> dict[str, Any]:
        """What the world holds (as it was when the execution ended, for a world of the execution's own)."""
        if self.snapshot is not None:
            return self.snapshot
        return self.world.summary()

    def finished(self) -> None:
        """The execution and its children are over: keep what the world holds, then stop a world of its own."""
        if self.owned:
            self.snapshot = self.world.summary()
            self.world.stop()


def _functions(
    functions: Mapping[str, str | Mapping[str, Any] | LambdaFunction] | Iterable[LambdaFunction] | None,
) -> dict[str, LambdaFunction]:
    """The machine's Lambda functions by name, from :class:`LambdaFunction` values or the plain mapping
    ``{"name": "path/to/app.py:handler"}`` (see :mod:`sfnlocal.integrations.lambda_functions.mapping`)."""
    if functions is None:
        return {}
    # imported here: the Lambda functions' modules cost much to import, and most machines have none
    from sfnlocal.integrations.lambda_functions import LambdaFunction, LambdaFunctions
    from sfnlocal.integrations.lambda_functions.mapping import functions_from_mapping

    if isinstance(functions, str) or not isinstance(functions, Iterable):
        raise TypeError(
            "functions must map function names to handlers, e.g. {'charge': 'src/charge/app.py:lambda_handler'}, "
            f"or be LambdaFunction values, not {type(functions).__name__}"
        )
    if not isinstance(functions, Mapping):
        return dict(LambdaFunctions(functions).functions)  # checks the values and that names are unique
    given = {name: value for name, value in functions.items() if isinstance(value, LambdaFunction)}
    for name, function in given.items():
        if function.name != name:
            raise ValueError(f"functions[{name!r}] is the LambdaFunction named {function.name!r}; key it by its name")
    named = functions_from_mapping(
        {name: value for name, value in functions.items() if not isinstance(value, LambdaFunction)}
    )
    return {**given, **named}


def _name_from_path(path: Path) -> str:
    """The file's name without its suffix, made a name AWS accepts (``order flow.asl.json``: ``order_flow``)."""
    name = path.name
    for suffix in (".asl.json", ".asl.yaml", ".json", ".yaml", ".yml"):
        if name.endswith(suffix):
            return name_from(name[: -len(suffix)])
    return name_from(name)


def _execution_input(value: Any, text: str | None) -> tuple[Any, PayloadBound]:
    """The execution's input, from ``execute(input=...)`` (a parsed value) or ``execute(input_json=...)`` (JSON
    text), with its measure; a str given as ``input`` is refused, as it is almost always JSON text that was meant to
    be parsed.

    >>> _execution_input(_NO_INPUT, '{"a": [1]}'), _execution_input(_NO_INPUT, None), _execution_input(3, None)
    (({'a': [1]}, (9, 2)), ({}, (2, 1)), (3, (1, 0)))
    >>> _execution_input('{"a": 1}', None)
    Traceback (most recent call last):
    ...
    TypeError: execute() got a str as input ('{"a": 1}'): pass the parsed value, e.g. execute(json.loads(text)), ...
    """
    if text is None:
        if isinstance(value, str):
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise TypeError(
                f"execute() got a str as input ({shown!r}): pass the parsed value, e.g. execute(json.loads(text)), "
                "or the JSON text as execute(input_json=text); an input that is a JSON string is "
                f"execute(input_json={json.dumps(shown)!r})"
            )
        return ({}, EMPTY_OBJECT_BOUND) if value is _NO_INPUT else _checked_input(value)  # StartExecution's default
    if value is not _NO_INPUT:
        raise TypeError(
            "execute() takes the input once: as input (a parsed value) or as input_json (JSON text), not both"
        )
    if not isinstance(text, str):
        raise TypeError(
            f"input_json must be JSON text (a str), not {type(text).__name__}; pass a parsed value as input"
        )
    try:
        parsed = json.loads(text, parse_constant=not_a_json_constant)
    except ValueError as err:  # JSONDecodeError, or NaN/Infinity, which JSON has not
        raise ValueError(f"input_json is not valid JSON: {err}; StartExecution would refuse it") from None
    except RecursionError:  # deeper than Python's decoder goes
        raise _too_deep() from None
    return _checked_input(parsed, sent=text)


def _checked_input(value: Any, sent: str | None = None) -> tuple[Any, PayloadBound]:
    """A private copy of an execution input and its measure, after refusing what is not JSON (naming where) or nested
    deeper than sfnlocal's bound, and what StartExecution refuses: more than 256 KiB (of ``sent``, the JSON text
    given, if any; else of the copy's compact JSON)."""
    try:
        copied, bound = bounded_json_copy(value, "the execution input")
    except RecursionError:  # deeper than Python's decoder goes
        raise _too_deep() from None
    checked = within_depth(copied, bound)
    if checked is None:
        raise _too_deep()
    bound = checked
    size = bound[0]
    if sent is not None:
        size = len(sent.encode("utf-8", "surrogatepass"))
    elif size > MAX_PAYLOAD_BYTES:
        # ``size`` is that of the text the copy was read from, which is the copy's own unless a value held keys
        # that JSON writes alike (1 and "1"), of which the copy holds one: then the copy's is smaller.
        size = len(compact_json(copied).encode("utf-8", "surrogatepass"))
    if size > MAX_PAYLOAD_BYTES:
        # The quotas page: at most 262,144 bytes of UTF-8 for "input data when ... starting an execution";
        # StartExecution's API reference gives ``input`` that maximum length (a ValidationException).
        raise ValueError(
            f"the execution input is {size:,} bytes of JSON, over AWS's limit of {MAX_PAYLOAD_BYTES:,} bytes "
            "(256 KiB) for an execution's input, so StartExecution would refuse it (1 validation error "
            "detected: Value at 'input' failed to satisfy constraint: Member must have length less than or "
            f"equal to {MAX_PAYLOAD_BYTES}). Pass less data, e.g. where it is stored (an S3 key) instead of the data"
        )
    return copied, bound


def _too_deep() -> TypeError:
    return TypeError(
        f"the execution input is nested more than {MAX_DEPTH} arrays and objects deep, deeper than sfnlocal "
        "can hold (AWS documents no such limit); flatten it"
    )


def _check_stop_details(error: Any, cause: Any) -> None:
    """Refuse what StopExecution refuses as its error (at most 256 characters) and cause (32,768)."""
    for field, value, longest in (("stop_error", error, 256), ("stop_cause", cause, 32_768)):
        if value is not None and (not isinstance(value, str) or len(value) > longest):
            raise ValueError(
                f"{field} must be a string of at most {longest:,} characters, as StopExecution takes it, not "
                f"{reprlib.repr(value)}"
            )


def _check_limits(history_limit: Any, transition_limit: Any, stop_after: Any) -> None:
    """Refuse limits that cannot bound an execution (a history holds at least ExecutionStarted and its end)."""
    for name, value, least in (("history_limit", history_limit, 2), ("transition_limit", transition_limit, 1)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < least):
            raise ValueError(f"{name} must be a whole number of at least {least}, or None for no limit, not {value!r}")
    if stop_after is not None and (
        not isinstance(stop_after, (int, float)) or isinstance(stop_after, bool) or not 0 <= stop_after < math.inf
    ):
        raise ValueError(f"stop_after must be a number of seconds, 0 or more, not {stop_after!r}")


def _checked_name(name: str | None) -> str | None:
    """An execution name, after refusing one StartExecution would refuse."""
    if name is not None:
        refused = name_problem(name, "execution")
        if refused is not None:
            raise ValueError(f"{refused[1]} (StartExecution refuses it)")
    return name


def _start_seconds(start_time: datetime | str) -> float:
    if isinstance(start_time, datetime):
        if start_time.tzinfo is None:
            raise ValueError("start_time must be timezone-aware, e.g. datetime(2025, 1, 1, tzinfo=timezone.utc)")
        return start_time.timestamp()
    seconds = parse_timestamp(start_time)
    if seconds is None:
        raise ValueError(
            f"start_time {start_time!r} is not an ISO-8601 date-time with an offset, e.g. '2025-01-01T00:00:00Z'"
        )
    return seconds
