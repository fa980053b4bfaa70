"""``sfnlocal serve`` under load: 32 concurrent clients start and describe 10,000 short executions (issue 15).

The server runs as users start it, ``sfnlocal serve --port 0 --clock CLOCK`` in a subprocess (the real clock
by default, as ``sfnlocal serve``'s; its in-memory store), so that the clients do not share its interpreter.
Each client is a thread with one keep-alive HTTP connection that sends AWS JSON 1.0 requests itself
(``X-Amz-Target: AWSStepFunctions.StartExecution``, then ``DescribeExecution`` of the execution it started):
boto3's own cost per call (signing, model validation) would be measured along with the server's on a 2-core
machine, so it is left out. Every execution must have
SUCCEEDED with its input as output, or the run is a failure.

Reported: StartExecution per second (executions started over the wall time of the whole run, the describes
included) and the p50/p99 latency of StartExecution (its p99.9 and maximum, and DescribeExecution's, in the
note: a stop of the whole server, such as a full garbage collection, shows there first).

``python -m benchmarks.server_load [EXECUTIONS] [--clock real|virtual] [--clients N]`` prints the measurement.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from benchmarks.targets import MAX_SERVER_START_P99_SECONDS, MIN_SERVER_STARTS_PER_SECOND, Check
from benchmarks.workloads import REPO_ROOT

EXECUTIONS = 10_000
QUICK_EXECUTIONS = 200
CLIENTS = 32
_DEFINITION = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
_ROLE = "arn:aws:iam::123456789012:role/DummyRole"


@dataclass(frozen=True)
class Load:
    """What one load run measured: latencies in seconds, sorted, and the run's wall time."""

    executions: int
    seconds: float
    starts: list[float]
    describes: list[float]

    @property
    def rate(self) -> float:
        """StartExecution per second over the whole run."""
        return self.executions / max(self.seconds, 1e-9)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``sorted_values`` lie (nearest rank).

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5), percentile([float(n) for n in range(1, 101)], 0.99)
    (2.0, 99.0)
    """
    rank = max(1, round(fraction * len(sorted_values) + 0.4999999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def check_server_load(executions: int, clock: str = "real", clients: int = CLIENTS) -> list[Check]:
    """The rate and StartExecution's p99 of ``executions`` started and described by ``clients`` clients of a
    server with ``clock``."""
    label = f"serve ({clock} clock), {executions:,} executions"
    try:
        load = measure(executions, clients, clock)
    except Exception as exc:  # noqa: BLE001 - a failing run is reported as a FAIL, not a crash
        note = f"raised {type(exc).__name__}: {str(exc)[:300]}"
        return [
            Check(f"{label}: StartExecution/s", None, "/s", MIN_SERVER_STARTS_PER_SECOND, True, note=note),
            Check(f"{label}: StartExecution p99", None, "s", MAX_SERVER_START_P99_SECONDS, False, note=note),
        ]
    start_p50, start_p99 = percentile(load.starts, 0.5), percentile(load.starts, 0.99)
    describe_p50, describe_p99 = percentile(load.describes, 0.5), percentile(load.describes, 0.99)
    return [
        Check(
            f"{label}: StartExecution/s",
            load.rate,
            "/s",
            MIN_SERVER_STARTS_PER_SECOND,
            True,
            note=f"{clients} clients, each a start then a describe; {load.seconds:.2f} s in all",
        ),
        Check(
            f"{label}: StartExecution p99",
            start_p99,
            "s",
            MAX_SERVER_START_P99_SECONDS,
            False,
            note=f"p50 {start_p50 * 1000:.1f} ms, p99.9 {percentile(load.starts, 0.999) * 1000:.1f} ms, max "
            f"{load.starts[-1] * 1000:.1f} ms; DescribeExecution p50 {describe_p50 * 1000:.1f} ms, "
            f"p99 {describe_p99 * 1000:.1f} ms",
        ),
    ]


def measure(executions: int, clients: int = CLIENTS, clock: str = "real") -> Load:
    """Start a server with ``clock``, create the machine, then let ``clients`` threads share ``executions``
    start+describe pairs; raises when a request fails or an execution did not succeed with its input as output."""
    with served(clock) as url:
        _call(_connect(url), "CreateStateMachine", name="Load", definition=json.dumps(_DEFINITION), roleArn=_ROLE)
        machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Load"
        starts: list[float] = []
        describes: list[float] = []
        problems: list[str] = []
        shares = [executions // clients + (1 if index < executions % clients else 0) for index in range(clients)]
        barrier = threading.Barrier(clients + 1)

        def client(index: int, count: int) -> None:
            connection = _connect(url)
            # Connected before the run starts: the SDKs keep their connections, so setting one up is not measured
            connection.connect()
            mine_starts: list[float] = []
            mine_describes: list[float] = []
            barrier.wait()
            try:
                for number in range(count):
                    given = json.dumps({"client": index, "n": number})
                    began = time.perf_counter()
                    started = _call(connection, "StartExecution", stateMachineArn=machine, input=given)
                    middle = time.perf_counter()
                    described = _call(connection, "DescribeExecution", executionArn=started["executionArn"])
                    mine_describes.append(time.perf_counter() - middle)
                    mine_starts.append(middle - began)
                    if described.get("status") != "SUCCEEDED" or json.loads(described["output"]) != json.loads(given):
                        raise RuntimeError(f"execution {started['executionArn']} ended {described}")
            except Exception as exc:  # noqa: BLE001 - reported after the run
                problems.append(f"client {index}: {exc}")
            finally:
                connection.close()
            starts.extend(mine_starts)  # list.extend is atomic under the GIL
            describes.extend(mine_describes)

        threads = [threading.Thread(target=client, args=(index, count)) for index, count in enumerate(shares)]
        for thread in threads:
            thread.start()
        barrier.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    if problems:
        raise RuntimeError(f"{len(problems)} clients failed; first: {problems[0]}")
    return Load(executions, seconds, sorted(starts), sorted(describes))


@contextmanager
def served(clock: str = "real") -> Iterator[str]:
    """``sfnlocal serve --port 0 --clock CLOCK`` in a subprocess (the working tree's sfnlocal), and its endpoint
    URL. Its database is a file of its own, as a user's is, in a folder removed after: the default one, in the
    folder it is started from, would keep every run's executions, and a server restores all it holds when it starts
    (hundreds of thousands of executions after a few runs made its start take seconds)."""
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    folder = tempfile.TemporaryDirectory(prefix="sfnlocal-bench-serve-")
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from sfnlocal.cli.main import main; sys.exit(main())", "serve",
         "--port", "0", "--clock", clock, "--db", os.path.join(folder.name, "serve.db")],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if " on http://" not in line:
            raise RuntimeError(f"sfnlocal serve did not start: {line!r} (exit {process.poll()})")
        yield line.split(" on ", 1)[1].split(" ", 1)[0]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        folder.cleanup()


def _connect(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)


def _call(connection: http.client.HTTPConnection, operation: str, **request: Any) -> dict[str, Any]:
    """One AWS JSON 1.0 request on a kept-alive connection; its JSON response, or RuntimeError for an error."""
    body = json.dumps(request).encode()
    headers = {"X-Amz-Target": f"AWSStepFunctions.{operation}", "Content-Type": "application/x-amz-json-1.0"}
    connection.request("POST", "/", body, headers)
    response = connection.getresponse()
    answer = json.loads(response.read() or b"{}")
    if response.status != 200:
        raise RuntimeError(f"{operation}: HTTP {response.status} {answer}")
    return dict(answer)


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.server_load [EXECUTIONS] [--clock real|virtual] [--clients N]``."""
    from benchmarks.report import check_line

    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_load", description=__doc__.split("\n")[0])
    parser.add_argument("executions", nargs="?", type=int, default=EXECUTIONS)
    parser.add_argument("--clock", choices=("real", "virtual"), default="real", help="the server's (default: real)")
    parser.add_argument("--clients", type=int, default=CLIENTS, help=f"concurrent clients (default: {CLIENTS})")
    arguments = parser.parse_args(argv)
    for line in check_server_load(arguments.executions, arguments.clock, arguments.clients):
        print(check_line(line))


if __name__ == "__main__":
    main()
