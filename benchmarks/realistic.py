"""Realistic tests' costs: a workflow of three moto-served tasks, and one of three Python handlers.

* Three moto-served tasks (DynamoDB putItem, getItem, SQS sendMessage) in the test's world, whose table and
  queue the test made first, as a test with a world fixture does. The first execution is timed in a fresh
  interpreter (after ``import sfnlocal``: the world's setup and the first execution, moto's and boto3's imports
  included); the later ones per execution, in this process.
* Three real Python handlers, each a function of its own (``app.py`` in a folder of its own, wired with
  ``functions=`` as a template wires them: imported in its own namespace, its environment and a Lambda
  context around each call): sfnlocal's cost per execution is the execution's time less the handlers' own,
  which each handler measures around its work and adds to the payload it hands on.

``python -m benchmarks.realistic first`` prints the first execution's seconds (the subprocess's side).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measurement import BATCH, best_batch
from benchmarks.subprocesses import run_python
from benchmarks.targets import (
    MAX_FIRST_MOTO_EXECUTION_SECONDS,
    MAX_HANDLER_OVERHEAD_SECONDS,
    MAX_MOTO_EXECUTION_SECONDS,
    Check,
)

_TABLE, _QUEUE = "orders", "shipments"


def moto_tasks_definition() -> dict[str, Any]:
    """Put an order, read it back, send it on: three tasks the world serves.

    >>> [state["Resource"].rsplit(":", 2)[-2:] for state in moto_tasks_definition()["States"].values()]
    [['dynamodb', 'putItem'], ['dynamodb', 'getItem'], ['sqs', 'sendMessage']]
    """
    return {
        "StartAt": "Put",
        "States": {
            "Put": _task(
                "dynamodb:putItem",
                {"TableName": _TABLE, "Item": {"id": {"S.$": "$.id"}}},
                {"ResultPath": None, "Next": "Get"},
            ),
            "Get": _task(
                "dynamodb:getItem",
                {"TableName": _TABLE, "Key": {"id": {"S.$": "$.id"}}},
                {"ResultSelector": {"id.$": "$.Item.id.S"}, "ResultPath": "$.order", "Next": "Send"},
            ),
            "Send": _task(
                "sqs:sendMessage",
                {"QueueUrl.$": "$.queue", "MessageBody.$": "$.order.id"},
                {"ResultSelector": {"sent.$": "$.MD5OfMessageBody"}, "End": True},
            ),
        },
    }


def handlers_definition() -> dict[str, Any]:
    """Three ``lambda:invoke`` tasks in a row, each handing its Payload on."""
    states = {
        name: {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": name.lower(), "Payload.$": "$"},
            "OutputPath": "$.Payload",
            **({"Next": following} if following else {"End": True}),
        }
        for name, following in (("Validate", "Price"), ("Price", "Ship"), ("Ship", None))
    }
    return {"StartAt": "Validate", "States": states}


def _task(resource: str, parameters: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    return {"Type": "Task", "Resource": f"arn:aws:states:::{resource}", "Parameters": parameters, **then}


def _world_with_table_and_queue() -> tuple[Any, str]:
    """A started world holding the table and the queue the workflow uses, and the queue's URL."""
    from sfnlocal import AwsWorld

    world = AwsWorld().start()
    world.client("dynamodb").create_table(
        TableName=_TABLE,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    return world, str(world.client("sqs").create_queue(QueueName=_QUEUE)["QueueUrl"])


def _run_moto_tasks(machine: Any, world: Any, queue: str) -> None:
    run = machine.execute({"id": "42", "queue": queue}, aws=world)
    if run.status != "SUCCEEDED":
        raise RuntimeError(f"the workflow of moto-served tasks ended {run.status}: {run.error}: {run.cause}")


def first_execution_seconds() -> float:
    """The world's setup and the first execution, timed in this (fresh) interpreter after ``import sfnlocal``."""
    from sfnlocal import StateMachine

    machine = StateMachine.from_dict(moto_tasks_definition())
    started = time.perf_counter()
    world, queue = _world_with_table_and_queue()
    _run_moto_tasks(machine, world, queue)
    seconds = time.perf_counter() - started
    world.stop()
    return seconds


def check_first_moto_execution(repeats: int) -> Check:
    """Best of ``repeats`` fresh interpreters: the first execution of the moto-served workflow."""
    name = "3 moto tasks: first execution"
    measured = []
    for _ in range(repeats):
        done = run_python("-m", "benchmarks.realistic", "first")
        if done.returncode != 0:
            return Check(name, None, "s", MAX_FIRST_MOTO_EXECUTION_SECONDS, False, note=done.stderr.strip()[-300:])
        measured.append(json.loads(done.stdout)["seconds"])
    note = f"best of {repeats} fresh interpreters; world setup included, moto/boto3 imports too"
    return Check(name, min(measured), "s", MAX_FIRST_MOTO_EXECUTION_SECONDS, False, note=note)


def check_moto_execution(repeats: int) -> Check:
    """Per execution after the first, in one world: the best of ``repeats`` batches of :data:`BATCH`."""
    from sfnlocal import StateMachine

    name = "3 moto tasks: per execution"
    machine = StateMachine.from_dict(moto_tasks_definition())
    world, queue = _world_with_table_and_queue()
    try:
        _run_moto_tasks(machine, world, queue)  # the first, untimed
        seconds = best_batch(lambda: _run_moto_tasks(machine, world, queue), repeats)
    except Exception as exc:  # noqa: BLE001 - a failing run is reported as a FAIL, not a crash
        return Check(name, None, "s", MAX_MOTO_EXECUTION_SECONDS, False, note=f"raised {exc!r}"[:300])
    finally:
        world.stop()
    note = f"best of {repeats} batches of {BATCH}, the test's world (table and queue made first)"
    return Check(name, seconds, "s", MAX_MOTO_EXECUTION_SECONDS, False, note=note)


# Each function's code: its work, timed, the time added to what the payload carries on.
_HANDLER_CODE = """import time


def lambda_handler(event, context):
    started = time.perf_counter()
    result = {**event, "steps": event.get("steps", 0) + 1, "total": sum(range(2_000))}
    result["spent"] = event.get("spent", 0.0) + time.perf_counter() - started
    return result
"""


def _handler_functions(folder: Path) -> dict[str, str]:
    """Three functions named as :func:`handlers_definition` calls them, each ``app.py`` in a folder of its own."""
    functions = {}
    for name in ("validate", "price", "ship"):
        (folder / name).mkdir()
        (folder / name / "app.py").write_text(_HANDLER_CODE)
        functions[name] = f"{folder / name / 'app.py'}:lambda_handler"
    return functions


def check_handler_overhead(repeats: int) -> Check:
    """sfnlocal's cost per execution of three real Python handlers: the execution's time less the handlers' own."""
    from sfnlocal import StateMachine

    name = "3 Python handlers: overhead per execution"
    spent = [0.0]
    with tempfile.TemporaryDirectory(prefix="sfnlocal-bench-") as folder:
        machine = StateMachine.from_dict(handlers_definition(), functions=_handler_functions(Path(folder)))

        def execution() -> None:
            run = machine.execute({"id": "42"})
            if run.status != "SUCCEEDED" or run.output.get("steps") != 3:
                raise RuntimeError(f"the workflow of Python handlers ended {run.status}: {run.error}: {run.cause}")
            spent[0] += run.output["spent"]

        try:
            execution()  # the first, untimed (imports each function: its cold start)
            overheads = []  # per batch: (seconds per execution less the handlers' own, the handlers' own)
            for _ in range(repeats):
                spent[0] = 0.0
                overheads.append((best_batch(execution, 1) - spent[0] / BATCH, spent[0] / BATCH))
        except Exception as exc:  # noqa: BLE001 - a failing run is reported as a FAIL, not a crash
            return Check(name, None, "s", MAX_HANDLER_OVERHEAD_SECONDS, False, note=f"raised {exc!r}"[:300])
    overhead, own = min(overheads)
    note = f"best of {repeats} batches of {BATCH}, functions= handlers; their own time, {own * 1000:.2f} ms, left out"
    return Check(name, overhead, "s", MAX_HANDLER_OVERHEAD_SECONDS, False, note=note)


def realistic_checks(repeats: int) -> list[Check]:
    """The three checks, in the report's order."""
    return [check_first_moto_execution(repeats), check_moto_execution(repeats), check_handler_overhead(repeats)]


if __name__ == "__main__" and sys.argv[1:] == ["first"]:
    print(json.dumps({"seconds": first_execution_seconds()}))
