"""``sfnlocal serve``: the Step Functions API on a loopback port, for boto3, the AWS CLI and other SDKs.

``sfnlocal serve [--host 127.0.0.1] [--port 8083] [--db PATH] [--region R] [--account A] [--clock real|virtual]
[--wait-time-scale N] [--mock-config FILE] [--template FILE]`` serves until Ctrl-C. It takes Step Functions Local's
configuration too (its options, its variables such as ``AWS_ACCOUNT_ID`` or ``LAMBDA_ENDPOINT``, its Docker env file
with ``--env-file``: :mod:`sfnlocal.server.step_functions_local`), and says where each service's tasks go (its
service endpoints: :mod:`sfnlocal.server.service_endpoints`). See docs/server.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfnlocal.cli.support import EXIT_OK, usage
from sfnlocal.interpreter.machine import DEFAULT_ACCOUNT, DEFAULT_REGION
from sfnlocal.server.addresses import DEFAULT_HOST, DEFAULT_PORT, loopback, names_this_server
from sfnlocal.server.clock import CLOCKS, REAL, VIRTUAL
from sfnlocal.server.step_functions_local import add_arguments as add_step_functions_local_arguments
from sfnlocal.server.step_functions_local import apply as apply_step_functions_local

if TYPE_CHECKING:
    from sfnlocal.server.service_endpoints import ServiceEndpoints

# Where the server keeps what survives a restart, unless told otherwise (in the directory it is started from).
DEFAULT_DB = ".sfnlocal/serve.db"


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal serve``."""
    parser = commands.add_parser(
        "serve",
        help="serve the Step Functions API (AWS JSON 1.0) on a local port for boto3, the AWS CLI and SDKs",
        description="Serve the Step Functions API on a local port until Ctrl-C: point an SDK's endpoint URL at it "
        "(boto3's endpoint_url, the AWS CLI's --endpoint-url).",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default {DEFAULT_HOST}: this machine only; another address lets other "
        "machines reach a server that has no authentication)",
    )
    parser.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help=f"the port (default {DEFAULT_PORT}; 0 for a free one)"
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        metavar="PATH",
        help="the SQLite file that keeps state machines, versions, aliases, activities, tags and executions (running "
        f"ones resume) across restarts (default {DEFAULT_DB}, made if missing; :memory: for nowhere)",
    )
    parser.add_argument(
        "--region",
        "--aws-region",
        "-region",
        help=f"the region in ARNs (default $AWS_DEFAULT_REGION, else {DEFAULT_REGION})",
    )
    parser.add_argument(
        "--account",
        "--aws-account",
        "-account",
        help=f"the account in ARNs (default $AWS_ACCOUNT_ID, else {DEFAULT_ACCOUNT})",
    )
    parser.add_argument(
        "--clock",
        choices=CLOCKS,
        default=REAL,
        help="real: executions' Waits and timeouts take wall time (scaled by --wait-time-scale; the default); "
        "virtual: they take none, and the clock moves when POST /sfnlocal/clock advances it",
    )
    parser.add_argument(
        "--wait-time-scale",
        "-waitTimeScale",
        dest="wait_time_scale",
        type=float,
        metavar="N",
        help="with the real clock, how long a second of Waits and timeouts lasts (default $WAIT_TIME_SCALE, else 1; "
        "0.1: ten times as fast; 0: no time, the virtual clock)",
    )
    parser.add_argument(
        "--mock-config",
        metavar="FILE",
        help="a Step Functions Local mock file: StartExecution with <stateMachineArn>#<TestCaseName> runs that "
        "test case (default $SFN_MOCK_CONFIG)",
    )
    parser.add_argument(
        "--template",
        metavar="FILE",
        help="a SAM/CloudFormation template whose Lambda functions' handlers serve the tasks calling them, in every "
        "state machine",
    )
    add_step_functions_local_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="log each request on stderr")
    parser.set_defaults(handler=_serve)


def port(value: str) -> int:
    """A TCP port number, 0 to 65535.

    >>> port("8083")
    8083
    >>> port("http")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a port number from 0 to 65535, not 'http'
    """
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {value!r}")
    return int(value)


def _serve(args: argparse.Namespace) -> int:
    # The server is imported when it is started: every other command starts without its imports (moto, botocore).
    from sfnlocal.server.engine import Engine
    from sfnlocal.server.http import Server
    from sfnlocal.server.store import SqliteStore

    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.verbose:
        logging.getLogger("sfnlocal.server").setLevel(logging.DEBUG)
    try:
        notes = apply_step_functions_local(args, os.environ)
    except (OSError, ValueError) as err:
        raise usage("serve", err) from None
    functions = _template_functions(args.template)
    try:
        if args.db != ":memory:":
            Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(args.db)
    except Exception as err:  # sqlite3.Error, OSError: the file cannot be opened as a database
        raise usage("serve", f"--db {args.db}: cannot open it as an SQLite database: {err}") from None
    clock, scale = _clock(args)
    endpoints = _service_endpoints(args, notes)
    try:
        engine = Engine(
            region=args.region,
            account=args.account,
            clock=clock,
            wait_time_scale=scale,
            store=store,
            mock_config=args.mock_config,
            functions=functions,
            lambda_endpoint=args.lambda_endpoint,
            integration=endpoints,
        )
    except (OSError, ValueError) as err:  # a mock file that cannot be read or used
        store.close()
        raise usage("serve", err) from None
    try:
        server = Server(engine, host=args.host, port=args.port)
    except OSError as err:
        store.close()
        raise usage(
            "serve", f"cannot listen on {args.host}:{args.port}: {err.strerror or err} (pass another --port)"
        ) from None
    if not loopback(args.host):
        print(
            f"sfnlocal serve: WARNING: listening on {args.host}: other machines can reach this server, which has "
            "no authentication",
            file=sys.stderr,
        )
    if functions:
        notes.append(f"the Lambda functions of {args.template} run in-process: {', '.join(sorted(functions))}")
    if args.lambda_endpoint is not None:
        notes.append(f"the other Lambda tasks go to {args.lambda_endpoint}")
    served_here = "in a mock file's test case or the server's in-process AWS (moto)"
    if endpoints is None:
        notes.append(f"the AWS service tasks are served {served_here}")
    else:
        notes.append(f"the tasks of the services without an endpoint are served {served_here}")
    if threading.current_thread() is threading.main_thread():
        # `kill` stops it as Ctrl-C does (the store closed cleanly), from the moment the startup line says it serves.
        signal.signal(signal.SIGTERM, _interrupt)
    scaled = f" (wait-time scale {scale:g})" if scale != 1 else ""
    try:
        print(
            f"sfnlocal serve: the Step Functions API on {server.endpoint_url} (region {args.region}, account "
            f"{args.account}, clock {clock}{scaled}, db {args.db}); Ctrl-C to stop",
            flush=True,
        )
        for note in notes:
            print(f"sfnlocal serve: {note}", file=sys.stderr, flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("sfnlocal serve: stopped", file=sys.stderr)
    finally:
        server.close()  # and its engine: the clock's thread stopped before the store is closed
    return EXIT_OK


def _service_endpoints(args: argparse.Namespace, notes: list[str]) -> ServiceEndpoints | None:
    """The integration sending the tasks of the services whose endpoint is set there (None: none is set).
    A STEP_FUNCTIONS_ENDPOINT naming this server is dropped (a note says so): its child executions run in it, and a
    call to itself would wait for the execution making it."""
    urls = dict(getattr(args, "service_endpoints", None) or {})
    own = urls.get("stepfunctions")
    if own is not None and names_this_server(own, args.host, args.port):
        del urls["stepfunctions"]
        notes.append(f"STEP_FUNCTIONS_ENDPOINT {own} is this server: its child executions run in it")
    if not urls:
        return None
    from sfnlocal.server.service_endpoints import ServiceEndpoints  # (see _serve)

    return ServiceEndpoints(urls, args.region, getattr(args, "endpoint_credentials", None))


def _template_functions(template: str | None) -> dict[str, Any]:
    """``--template FILE``'s Lambda functions by name (one that cannot be read fails its tasks with the reason)."""
    if template is None:
        return {}
    from sfnlocal.templates import functions_from_template

    try:
        return dict(functions_from_template(template, strict=False))
    except (OSError, ValueError) as err:  # TemplateError is a ValueError
        raise usage("serve", f"--template {template}: {err}") from None


def _clock(args: argparse.Namespace) -> tuple[str, float]:
    """The clock and wait-time scale to serve with: a scale of 0 (Step Functions Local's "no waiting") is the
    virtual clock."""
    scale = getattr(args, "wait_time_scale", None)
    scale = 1.0 if scale is None else scale
    if scale == 0:
        return VIRTUAL, 1.0
    return args.clock, scale


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
