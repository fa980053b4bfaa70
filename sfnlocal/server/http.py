"""The HTTP server of ``sfnlocal serve``: the Step Functions API (AWS JSON 1.0, :mod:`.protocol`) on a loopback
port, one thread per connection, keep-alive as the SDKs use it.

Every operation is served at ``/`` with ``POST``, whatever the ``Host``: the SDKs send StartSyncExecution and
TestState to ``sync-<host>`` (their model's host prefix), which reaches this server only where that name
resolves (see docs/server.md); the same operations on the plain endpoint work too. Whatever arrives gets an
answer in AWS's error shape: a body over :data:`MAX_BODY` bytes, a request line or headers that cannot be read,
another method than ``POST``.

>>> server = Server(engine=None, port=0).start()
>>> import urllib.request
>>> request = urllib.request.Request(server.endpoint_url, data=b"{}", headers={
...     "X-Amz-Target": "AWSStepFunctions.Nothing", "Content-Type": "application/x-amz-json-1.0"})
>>> try:
...     urllib.request.urlopen(request)
... except urllib.error.HTTPError as err:
...     print(err.code, err.read().decode())
400 {"__type":"com.amazon.coral.service#UnknownOperationException",...}
>>> server.close()
"""

from __future__ import annotations

import gc
import importlib
import logging
import random
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sfnlocal.server.addresses import DEFAULT_HOST, DEFAULT_PORT
from sfnlocal.server.admin import ADMIN_PREFIX, admin_answer
from sfnlocal.server.api import ApiError
from sfnlocal.server.protocol import CONTENT_TYPE, SERIALIZATION, UNKNOWN_OPERATION, Answer, answer, error_answer
from sfnlocal.server.ui import FAVICON, UI_PREFIX, ui_page

# The largest body read. The model's own limits come first (a definition is at most 1,048,576 characters,
# an input 262,144); a TestState request holds several such fields, each up to 6 bytes per character once
# escaped: AWS's limit on the whole body is not documented, so this is sfnlocal's.
MAX_BODY = 8 * 1024 * 1024
IDLE_TIMEOUT = 120  # seconds a connection may stay silent before it is closed
OPERATIONS_MODULE = "sfnlocal.server.operations"
FULL_COLLECTION_EVERY = 100  # collections of the middle generation per full collection (Python's default: 10)

log = logging.getLogger("sfnlocal.server")
_request_ids = random.Random()


def load_operations() -> None:
    """Register the API's operations (importing :mod:`sfnlocal.server.operations`), when they exist."""
    try:
        importlib.import_module(OPERATIONS_MODULE)
    except ModuleNotFoundError as err:
        if err.name != OPERATIONS_MODULE:
            raise


class Server:
    """The Step Functions API for ``engine`` on ``host:port`` (port 0: a free port, see :attr:`port`).

    ``start()`` serves in a background thread (for tests and embedding), ``serve_forever()`` in the calling
    one (``sfnlocal serve``); ``close()`` stops it. Usable as a context manager.
    """

    def __init__(self, engine: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        load_operations()
        self.engine = engine
        self._http = _HttpServer((host, port), _Handler)
        self._http.engine = engine
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The address served."""
        return str(self._http.server_address[0])

    @property
    def port(self) -> int:
        """The port served (the one chosen when the server was made with port 0)."""
        return int(self._http.server_address[1])

    @property
    def endpoint_url(self) -> str:
        """The URL to give an SDK as its endpoint (``endpoint_url`` in boto3, ``--endpoint-url`` in the AWS CLI)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> Server:
        """Serve in a background (daemon) thread; returns the server."""
        self._thread = threading.Thread(target=self._http.serve_forever, name="sfnlocal-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`close` (from another thread) or an exception such as Ctrl-C.

        This is the server's process (``sfnlocal serve``), so it tunes the process's cyclic garbage collector
        (:func:`quiet_collector`) first.
        """
        quiet_collector()
        self._http.serve_forever()

    def close(self) -> None:
        """Stop serving, release the port, and close the engine it serves (its clock's thread, its in-process AWS
        world, its store): a server owns its engine."""
        if self._thread is not None:
            self._http.shutdown()
            self._thread.join()
            self._thread = None
        self._http.server_close()
        close_engine = getattr(self.engine, "close", None)
        if close_engine is not None:
            close_engine()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def quiet_collector() -> None:
    """Fewer and shorter stops of the cyclic garbage collector in a serving process.

    A full (oldest generation) collection walks every object the collector tracks while every thread waits, and
    a server's heap is mostly long-lived: measured under the load benchmark, a full collection took up to 230 ms
    and freed ~10 objects, and each one delayed the ~32 requests in flight (the p99 of StartExecution). So what
    exists now (modules, botocore's model, what the store restored: ~70,000 objects, ~50 ms per full collection)
    is frozen out of the collector's reach, and a full collection is considered after 100 collections of the
    middle generation instead of 10; the young generations, where cyclic garbage is found, run as before.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> quiet_collector(); gc.get_threshold()[2], gc.get_freeze_count() > 0
    (100, True)
    >>> gc.unfreeze(); gc.set_threshold(*before)
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many SDK clients connecting at once: http.server's default backlog is 5
    engine: Any = None


class _Handler(BaseHTTPRequestHandler):
    """One connection: each request answered by :func:`.protocol.answer`, every refusal in AWS's error shape."""

    server: _HttpServer
    protocol_version = "HTTP/1.1"  # keep-alive: the SDKs reuse connections
    # Headers and body are two writes: without TCP_NODELAY the client's delayed ACK adds ~40 ms to every answer.
    disable_nagle_algorithm = True
    server_version = "sfnlocal"
    sys_version = ""
    timeout = IDLE_TIMEOUT

    def do_POST(self) -> None:  # noqa: N802 (BaseHTTPRequestHandler's naming)
        body = self._read_body()
        if body is not None and self.path.startswith(ADMIN_PREFIX):  # sfnlocal's own calls (the clock)
            self._send(admin_answer(self.server.engine, self.path, body, self.client_address[0]))
        elif body is not None:
            self._send(answer(self.server.engine, self.headers.get("X-Amz-Target"), body))

    def _read_body(self) -> bytes | None:
        """The request's body, or None once an error was answered (the connection is then closed: an unread
        body would be taken for the next request)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            # The SDKs send a Content-Length with JSON bodies; AWS's answer to a chunked one is undocumented.
            self._refuse(ApiError(SERIALIZATION, "A Content-Length header is required", 411))
            return None
        length_header = self.headers.get("Content-Length", "0").strip()
        if not length_header.isdigit():
            self._refuse(ApiError(SERIALIZATION, f"Invalid Content-Length: {length_header[:40]!r}"))
            return None
        length = int(length_header)
        if length > MAX_BODY:
            # AWS refuses too large a request before reading it; its exact answer is not documented.
            message = f"The request body ({length:,} bytes) is larger than the limit of {MAX_BODY:,} bytes"
            self._refuse(ApiError("RequestEntityTooLargeException", message, 413))
            return None
        return self.rfile.read(length)

    def _refuse(self, error: ApiError) -> None:
        self.close_connection = True
        self._send(error_answer(error))
        return None

    def do_GET(self) -> None:  # noqa: N802
        # The live view's pages (sfnlocal.server.ui) and the icon browsers ask for with them; any other GET, "/"
        # included, is refused as before.
        path = self.path.split("?", 1)[0]
        if path.rstrip("/") != UI_PREFIX and not path.startswith(UI_PREFIX + "/") and path != FAVICON:
            self._not_post()
            return
        page = ui_page(self.server.engine, self.path, self.client_address[0], self.headers.get("Host"))
        self._write(page.status, page.content_type, page.body)

    def _send(self, reply: Answer) -> None:
        self._write(reply.status, CONTENT_TYPE, reply.body())

    def _write(self, status: int, content_type: str, body: bytes) -> None:
        self.log_request(status, len(body))
        # A request ID as AWS's look (a UUID), from a pseudo-random generator: uuid4() reads os.urandom, a system
        # call that lets the GIL go on every answer.
        request_id = uuid.UUID(int=_request_ids.getrandbits(128), version=4)
        connection = "Connection: close\r\n" if self.close_connection else ""
        head = (
            f"{self.protocol_version} {status} {self.responses.get(status, ('',))[0]}\r\n"
            f"Server: {self.server_version}\r\nDate: {self.date_time_string()}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nx-amzn-RequestId: {request_id}\r\n"
            f"{connection}\r\n"
        )
        # Status line, headers and body in one write: one system call and, with TCP_NODELAY, one packet. With the
        # request ID and the lazy log line, the server's CPU per request under load went from ~470 us to ~410 us.
        try:
            self.wfile.write(head.encode("latin-1") + body)
        except (BrokenPipeError, ConnectionResetError):
            # The client left before its answer (e.g. a CLI whose read timeout ran out during GetActivityTask's
            # long poll): nobody to answer, and no traceback on the server's stderr.
            self.close_connection = True

    def _not_post(self) -> None:
        # The API is POST only; AWS's answer to other methods is not documented: refused as an unknown operation.
        self._refuse(ApiError(UNKNOWN_OPERATION, f"{self.command} is not served: the API takes POST", 405))

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _not_post  # noqa: N815

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A request line or headers that cannot be read, answered in AWS's error shape (not HTML)."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # the request line was not read: answer in HTTP/1.1 anyway
            self.request_version = "HTTP/1.1"
        try:
            if code == 501:  # a method that has no do_ handler
                error = ApiError(UNKNOWN_OPERATION, f"{self.command} is not served: the API takes POST", 405)
            else:  # what the client sent is wrong: a 4xx even where http.server picks a 5xx (505: bad version)
                error = ApiError(SERIALIZATION, message or f"Bad request ({code})", code if code < 500 else 400)
            self._send(error_answer(error))
        except OSError:  # the client is gone
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if log.isEnabledFor(logging.DEBUG):  # formatted only for --verbose: every answer logs its request
            log.debug("%s %s", self.address_string(), format % args)
