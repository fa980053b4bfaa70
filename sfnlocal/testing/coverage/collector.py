"""Recording executions: state machines loaded through a :class:`Recorder` hand it every execution.

The pytest plugin's ``sfn`` fixture is a Recorder; outside pytest one works the same way. Executions
wait in :attr:`Recorder.executions` (a callback may still resume them) until :meth:`Recorder.flush`
counts them into :attr:`Recorder.data`.

>>> recorder = Recorder()
>>> sm = recorder.load({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, name="Tiny")
>>> run = sm.execute({})
>>> recorder.executions == [run]
True
>>> recorder.flush() == [run], recorder.executions
(True, [])
>>> [record] = recorder.data.machines.values()
>>> sum(record.hits.values())
2
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.state_machine import StateMachine
from sfnlocal.templates import is_template
from sfnlocal.testing.coverage.data import CoverageData


class TrackedStateMachine(StateMachine):
    """A :class:`~sfnlocal.StateMachine` that hands each of its executions to a recorder; the recorder
    finds the nested ones (started by a parent's ``states:startExecution``) among the executions' children."""

    def __init__(
        self, definition: dict[str, Any], *, recorder: Recorder, source: str | None = None, **options: Any
    ) -> None:
        super().__init__(definition, **options)
        self.recorder = recorder
        # Reported, at 0%, even if it never runs; ``source``: the file it was loaded from, for Cobertura's lines.
        recorder.data.register(self.name, self.model, source)

    def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Run as :meth:`StateMachine.execute` does, and record the execution; unless given ``aws=``, in the
        recorder's :attr:`~Recorder.world` when it has one."""
        world = self.recorder.world
        if kwargs.get("aws") is None and world is not None:
            self._check_world(world)
            kwargs["aws"] = world
        result = super().execute(*args, **kwargs)
        self.recorder.executions.append(result)
        return result

    def _check_world(self, world: AwsWorld) -> None:
        """A state machine calls the services of its own account and region (as in AWS): refuse another's."""
        if (world.account, world.region) != (self.account, self.region):
            raise ValueError(
                f"state machine {self.name!r} runs in account {self.account}, region {self.region}, but the "
                "recorder's AWS world (in pytest, the sfn_aws fixture's) is account "
                f"{world.account}, region {world.region}: "
                f"override sfn_aws with AwsWorld(region={self.region!r}, account={self.account!r}), or pass aws= "
                "to execute()"
            )


class Recorder:
    """Loads state machines whose executions it records, and the coverage they add up to."""

    def __init__(self) -> None:
        self.data = CoverageData()
        self.executions: list[ExecutionResult] = []
        # The world executions run in when not given aws= (the pytest plugin sets the sfn_aws fixture's
        # for the test that takes it); None: each execution has a world of its own, as in execute().
        self.world: AwsWorld | None = None

    def load(self, source: StateMachine | dict[str, Any] | str | PathLike[str], **options: Any) -> StateMachine:
        """A state machine whose executions are recorded, from a definition dict, a file's path (a JSON or
        YAML definition, or a SAM / CloudFormation template: then as ``StateMachine.from_template`` loads it,
        Lambda functions included) or another :class:`~sfnlocal.StateMachine` (keeping its name, account,
        region, role, type and Lambda functions). ``options`` are those of :class:`~sfnlocal.StateMachine`
        (``name=``, ``region=``, ...) and, for a template, of ``from_template`` (``logical_id=``, ...)."""
        if isinstance(source, StateMachine):
            options = {
                "name": source.name,
                "account": source.account,
                "region": source.region,
                "role_arn": source.role_arn,
                "type": source.type,
                "functions": source.functions,
                **options,
            }
            tracked = TrackedStateMachine(source.definition, recorder=self, **options)
            tracked.application = source.application  # a template's resources and event sources come along
            return tracked
        if isinstance(source, dict):
            return TrackedStateMachine.from_dict(source, recorder=self, **options)
        path = Path(source)
        where = str(path.resolve())
        if is_template(path):
            return TrackedStateMachine.from_template(path, recorder=self, source=where, **options)
        return TrackedStateMachine.from_file(path, recorder=self, source=where, **options)

    def flush(self) -> list[ExecutionResult]:
        """Count the recorded executions into :attr:`data` and let go of them; returns them, with the child
        executions they started of machines this recorder loaded."""
        executions, self.executions = self.executions, []
        counted = [run for result in executions for run in self._with_children(result)]
        for result in counted:
            self.data.add(result)
        return counted

    def _with_children(self, result: ExecutionResult) -> list[ExecutionResult]:
        runs = [result]
        for child in result.children:
            machine = child.state_machine
            if isinstance(machine, TrackedStateMachine) and machine.recorder is self:
                runs += self._with_children(child)
        return runs
