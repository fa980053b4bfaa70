"""What serves a Task: implementations of the interpreter's integration interface, and how they compose.

* :class:`~sfnlocal.integrations.mocks.integration.MockIntegration`: the mocks given to ``execute(mocks=...)``;
* :class:`~sfnlocal.integrations.mock_config.MockTestCase`: a Step Functions Local MockConfigFile test case;
* your own integration (``execute(integration=...)``, see :mod:`sfnlocal.interpreter.integration`);
* :class:`~sfnlocal.integrations.aws.services.AwsServices`: AWS services served by moto in an
  :class:`~sfnlocal.integrations.aws.world.AwsWorld`, and Step Functions' own integrations (child
  executions, task-token answers).

``execute()`` composes them in that order: the first that answers a Task (returns an outcome, not None)
serves it. A Task none of them serves waits for a worker if it is an activity, and otherwise fails with
``sfnlocal.MockMissing``.
"""

from __future__ import annotations

from sfnlocal.interpreter.integration import Integration, Outcome, TaskRequest, invoke_guarded


class Chain:
    """Integrations asked in order; the first outcome wins.

    >>> from sfnlocal.interpreter.integration import Result
    >>> class Named:
    ...     def __init__(self, name): self.name = name
    ...     def invoke(self, request): return Result(self.name) if request.state_name == self.name else None
    >>> from sfnlocal import StateMachine
    >>> sm = StateMachine.from_dict({"StartAt": "A", "States": {
    ...     "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.a", "Next": "B"},
    ...     "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.b", "End": True}}})
    >>> sm.execute({}, integration=compose(Named("A"), Named("B"))).output
    {'a': 'A', 'b': 'B'}
    """

    def __init__(self, integrations: tuple[Integration, ...]) -> None:
        self.integrations = integrations

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The first outcome any of the integrations answers, or None."""
        for integration in self.integrations:
            outcome = invoke_guarded(integration, request)
            if outcome is not None:
                return outcome
        return None

    def __repr__(self) -> str:
        return f"Chain({', '.join(type(integration).__name__ for integration in self.integrations)})"


def compose(*integrations: Integration | None) -> Integration:
    """One integration asking ``integrations`` in order (None entries are left out)."""
    present = []
    for integration in integrations:  # (a plain loop: composed for every execute(), it costs half a comprehension)
        if integration is not None:
            present.append(integration)
    return present[0] if len(present) == 1 else Chain(tuple(present))
