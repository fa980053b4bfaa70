"""Shared test helpers (import as `support`): where the recorded AWS corpus and the bundled blog-post
workflows live, and small builders."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
# The recordings of executions on AWS sit beside the repository, not in it: the tests that replay
# them skip when ../shared is absent, and nothing else does.
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "conformance" / "localstack"
# Real workflows from AWS blog posts, bundled (provenance in examples/seeds/INDEX.md).
SEEDS = REPO / "examples" / "seeds"


def corpus_case(name: str) -> dict[str, Any]:
    """One recorded AWS execution from ../shared/conformance/localstack (skips when absent)."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"recorded case {name} is not available (../shared missing)")
    return json.loads(path.read_text())


def seed(name: str) -> tuple[Path, Any]:
    """A bundled blog-post workflow's definition file and its sample input, by slug.

    >>> path, execution_input = seed("kyc-check-identity-jsonata")
    >>> path.name, sorted(execution_input)
    ('kyc-check-identity-jsonata.asl.json', ['data'])
    """
    candidates = (SEEDS / f"{name}.asl.json", SEEDS / "reconstructed" / f"{name}.asl.json")
    path = next((path for path in candidates if path.exists()), None)
    if path is None:
        raise FileNotFoundError(f"no workflow {name!r} in {SEEDS} or its reconstructed/ folder")
    return path, json.loads(path.with_name(path.name.replace(".asl.json", ".input.json")).read_text())


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    """A definition from a dict of states; StartAt defaults to the first state."""
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def decode_payload(value: Any) -> Any:
    """A recorded history payload as a JSON value: events hold JSON text or, where the recorder
    decoded it, the value itself."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class InvokeApi(BaseHTTPRequestHandler):
    """A small Lambda Invoke API (``POST /2015-03-31/functions/{name}/invocations``, as `sam local start-lambda`
    offers it): the function ``missing`` is not found (404 ResourceNotFoundException); an ``Event`` invocation
    is accepted (202); an event with ``"fail"`` fails as an Unhandled function error; any other answers
    ``{"echo": event, "function": name[:qualifier]}``. ``calls`` records each request."""

    calls: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        name = self.path.split("/functions/", 1)[1].split("/", 1)[0]
        if "Qualifier=" in self.path:
            name += ":" + self.path.split("Qualifier=", 1)[1]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"null")
        type(self).calls.append(
            {
                "name": name,
                "event": body,
                "type": self.headers.get("X-Amz-Invocation-Type"),
                "auth": self.headers["Authorization"],
            }
        )
        if name == "missing":
            payload = {"Type": "User", "message": "Function not found: missing"}
            self._answer(404, payload, {"x-amzn-ErrorType": "ResourceNotFoundException"})
        elif self.headers.get("X-Amz-Invocation-Type") == "Event":
            self._answer(202, None, {})
        elif isinstance(body, dict) and body.get("fail"):
            payload = {"errorMessage": "card expired", "errorType": "PaymentDeclined", "stackTrace": []}
            self._answer(200, payload, {"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"})
        else:
            self._answer(200, {"echo": body, "function": name}, {"X-Amz-Executed-Version": "$LATEST"})

    def _answer(self, status: int, payload: object, headers: dict[str, str]) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@contextmanager
def invoke_api() -> Iterator[str]:
    """An :class:`InvokeApi` served on loopback while the block runs; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), InvokeApi)
    # A short poll interval: shutdown() waits for the server's loop to look (0.5 s by default)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
