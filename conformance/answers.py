"""Answering what a served execution waits for, with the outcomes the recording shows (serve mode).

A ``.waitForTaskToken`` task served by an integration, and an activity task, leave the execution
``RUNNING`` until someone outside answers. The recording shows what the answer was: each Task
state's recorded outcomes in order (``case.mocks``), and, for activities, the worker that took the
task (the ``ActivityStarted`` events). :func:`answer` plays that part with :class:`sfnlocal.replay.answers.Answers`:

* an activity task is taken (GetActivityTask) with the next recorded worker's name, while the
  recording has workers left;
* each task waiting for its token gets its state's next recorded outcome, once: ``SUCCEEDED`` is
  answered with SendTaskSuccess and the recorded output, ``FAILED`` with SendTaskFailure and the
  recorded error and cause; ``TIMED_OUT`` and ``PENDING`` are not answered;
* when nothing can be answered, virtual time passes (:func:`sfnlocal.replay.answers.wait_out`) so that the tasks' own
  timeouts, the machine's TimeoutSeconds or a recorded stop happen as they did in AWS.

AWS does not record heartbeats in the history, so the recordings cannot say when a worker sent
one and none is sent. In the recorded outputs, ``<task_token:N>`` stands for the token the worker
echoed back; it is given back as the token of the task being answered.
"""

from __future__ import annotations

from conformance.cases import Case
from conformance.replay import UNATTRIBUTED_PREFIX, recorded_json_texts
from sfnlocal import ExecutionResult
from sfnlocal.language.resources import ACTIVITY, parse_resource
from sfnlocal.replay import answers as shared
from sfnlocal.replay.mocks import task_states


class Answers(shared.Answers):
    """The recorded answers of one case (its ``mocks``, its workers, its activities), handed out in order."""

    def __init__(self, case: Case) -> None:
        super().__init__(
            {state: found for state, found in case.mocks.items() if not state.startswith(UNATTRIBUTED_PREFIX)},
            shared.recorded_workers(case.history),
            [arn for _, arn in task_states(case.definition) if parse_resource(arn).kind == ACTIVITY],
            recorded_json_texts(case),
        )


def answer(run: ExecutionResult, case: Case) -> None:
    """Answer what ``run`` waits for as the recording shows, until it ends or nothing more happens."""
    Answers(case).answer(run)
