"""A compiled state machine with its identity (name, ARN, account, region, role, type), and how one runs.

:class:`Machine` is what the interpreter runs: the public :class:`sfnlocal.StateMachine` adds loading from
files and templates, and composes the integrations that serve its tasks (``mocks=``, ``aws=``, ...).

>>> from sfnlocal.interpreter.integration import Result
>>> class Always:
...     def invoke(self, request):
...         return Result({"ok": True})
>>> machine = Machine({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
...                                                       "End": True}}}, name="Orders")
>>> run = machine.start({}, Always(), ExecutionOptions(DEFAULT_START_TIME.timestamp(), name="first"))
>>> run.status, run.output, run.execution_arn
('SUCCEEDED', {'ok': True}, 'arn:aws:states:us-east-1:123456789012:execution:Orders:first')
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sfnlocal.interpreter import registry
from sfnlocal.interpreter.execution import Execution, ExecutionOptions
from sfnlocal.interpreter.integration import Integration
from sfnlocal.interpreter.model import Definition
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.identifiers import SeededSource, name_problem
from sfnlocal.language.jsontext import PayloadBound
from sfnlocal.language.loader import as_definition
from sfnlocal.language.state_fields import EXPRESS, STANDARD

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
# Executions start at this instant unless told otherwise, so that runs are reproducible byte for byte
# (history timestamps, $$.Execution.StartTime, Wait timestamps in the past or future).
DEFAULT_START_TIME = datetime(2025, 1, 1, tzinfo=UTC)


__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_REGION",
    "DEFAULT_START_TIME",
    "ExecutionOptions",
    "Machine",
]


class Machine:
    """A definition compiled once, with the identity its executions show in ARNs and the context object.

    The machine registers itself in the current registry (:mod:`sfnlocal.interpreter.registry`), where
    parent executions find it as a child by ARN or name.
    """

    def __init__(
        self,
        definition: dict[str, Any],
        *,
        name: str = "StateMachine",
        account: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        role_arn: str | None = None,
        type: str = STANDARD,
    ) -> None:
        if type not in (STANDARD, EXPRESS):
            raise ValueError(f"type must be {STANDARD!r} or {EXPRESS!r}, not {type!r}")
        refused = name_problem(name)
        if refused is not None:
            code, message = refused
            raise ValueError(f"{message} (CreateStateMachine refuses it: {code})")
        self.model = Definition(as_definition(definition))
        self.type = type
        self.name = name
        self.account = account
        self.region = region
        self.role_arn = role_arn or f"arn:aws:iam::{account}:role/sfnlocal-{name}"
        self.arn = f"arn:aws:states:{region}:{account}:stateMachine:{name}"
        registry.current().register(self)

    @property
    def definition(self) -> dict[str, Any]:
        """The definition as loaded (a private copy)."""
        return self.model.raw

    def start(
        self,
        execution_input: Any,
        integration: Integration,
        options: ExecutionOptions,
        on_finished: Callable[[], None] | None = None,
        input_bound: PayloadBound | None = None,
    ) -> ExecutionResult:
        """Run one execution whose tasks ``integration`` serves, until it ends or is suspended.

        ``execution_input`` is used as given (the caller copies what it must not share), ``input_bound`` a bound on
        its measure when the caller knows one (see ``run_branch``). ``on_finished`` is called once, when the
        execution and every child execution it started have ended.
        """
        execution = Execution(
            self, execution_input, options, integration, on_finished=on_finished, input_bound=input_bound
        )
        result = execution.run()
        if options.journal is not None:
            options.journal.replay_calls(result)  # the calls made on it, again: it is where it was
        return result

    def new_execution_name(self, source: SeededSource) -> str:
        """A UUID-shaped execution name drawn from the execution's seeded source."""
        return source.uuid()

    def execution_arn(self, execution_name: str, source: SeededSource) -> str:
        """The ARN of an execution: Express executions have their own form, with a UUID of their own."""
        if self.type == EXPRESS:
            return (
                f"arn:aws:states:{self.region}:{self.account}:express:{self.name}:{execution_name}:"
                f"{self.new_execution_name(source)}"
            )
        return f"arn:aws:states:{self.region}:{self.account}:execution:{self.name}:{execution_name}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, states={list(self.model.root.states)!r})"
