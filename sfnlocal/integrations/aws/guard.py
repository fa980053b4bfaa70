"""The guard that keeps handlers' boto3/botocore calls off the network: what moto does not answer is refused.

moto answers a botocore request from its ``before-send`` handler (which it appends to botocore's
``BUILTIN_HANDLERS`` when imported); a request it does not answer (a client with an ``endpoint_url`` to
some host, a service moto lacks, moto not started) would go on to the network. While :func:`guarding` is
active (an :class:`~sfnlocal.integrations.aws.world.AwsWorld`'s ``handler_scope``), sfnlocal's own
``before-send`` handler, registered after moto's, answers such a request with a refusal that botocore raises
as :class:`AwsRequestRefused`. botocore takes the first answer, so moto's wins whenever it has one.

A guarding scope may name how to start its world: the world is then started by the scope's first request
(which moto, not yet running, passed on), and the request is put to moto again; a handler that makes no AWS
call costs no moto start.

The handler is installed (:func:`install`) in ``BUILTIN_HANDLERS`` and on boto3's default session if one
exists. A botocore session created before that (other than boto3's default) lacks it: its clients are
guarded only through moto (which answers what it knows). ``real_aws`` lifts the guard for code that opted
in to real AWS (:func:`allowing_real_aws`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_guards = 0  # active guarding scopes, process-wide (a handler's threads are guarded too)
_real_aws = 0  # active opt-ins to real AWS, which win over guarding
_installed = False
# The active scopes' world starters, innermost last: each starts its world and says whether it was stopped.
_starters: list[Callable[[], bool]] = []


class AwsRequestRefused(RuntimeError):
    """A botocore request made where only the in-process AWS world may answer, which the world does not serve.

    >>> print(AwsRequestRefused("https://example.com/"))  # doctest: +ELLIPSIS
    sfnlocal refused an AWS request to https://example.com/: ...
    """

    def __init__(self, url: str) -> None:
        super().__init__(
            f"sfnlocal refused an AWS request to {url}: here boto3/botocore calls go to the in-process AWS world "
            "(moto) only, and it does not serve this one (a client with an endpoint_url, a service moto lacks, or "
            "a world that was stopped). Mock the state that makes this call, or opt in to real AWS explicitly "
            "(execute(real_aws=True), or sfnlocal run --real-aws)"
        )
        self.url = url


@contextmanager
def guarding(start_world: Callable[[], bool] | None = None) -> Iterator[None]:
    """Refuse the botocore requests moto does not answer while the block runs (unless real AWS is allowed).

    ``start_world``, if given, is called on the block's first request that moto left unanswered: it starts
    the block's world and returns True if it was not running (the request then goes to moto again).

    >>> with guarding():
    ...     active()
    True
    >>> active()
    False
    """
    begin(start_world)
    try:
        yield
    finally:
        end(start_world)


def begin(start_world: Callable[[], bool] | None = None) -> None:
    """Start guarding, as :func:`guarding` does on entry (for a scope entered around every handler call, where a
    generator's context manager costs more); :func:`end` ends it.

    >>> begin(); active(), end(), active()
    (True, None, False)
    """
    global _guards
    install()
    with _lock:
        _guards += 1
        if start_world is not None:
            _starters.append(start_world)


def end(start_world: Callable[[], bool] | None = None) -> None:
    """End a guarding :func:`begin` started with the same ``start_world``."""
    global _guards
    with _lock:
        _guards -= 1
        if start_world is not None:
            _starters.remove(start_world)


@contextmanager
def allowing_real_aws() -> Iterator[None]:
    """Let requests moto does not answer go to the network while the block runs, even inside :func:`guarding`:
    the explicit opt-in to real AWS.

    >>> with guarding(), allowing_real_aws():
    ...     active()
    False
    """
    global _real_aws
    with _lock:
        _real_aws += 1
    try:
        yield
    finally:
        with _lock:
            _real_aws -= 1


def active() -> bool:
    """Whether a request moto does not answer is refused now."""
    return _guards > 0 and _real_aws == 0


def real_aws_allowed() -> bool:
    """Whether code opted in to real AWS is running now."""
    return _real_aws > 0


def install() -> None:
    """Register the guard's ``before-send`` handler after moto's (importing moto first, so that moto's comes
    before it in ``BUILTIN_HANDLERS``), for new sessions and boto3's default one; done once per process."""
    global _installed
    if _installed:
        return
    import moto.core.models  # noqa: F401  (appends moto's before-send handler to BUILTIN_HANDLERS)
    from botocore.handlers import BUILTIN_HANDLERS

    from sfnlocal.integrations.aws.task_answers import TASK_ANSWER_EVENTS, answer_task

    BUILTIN_HANDLERS.append(("before-send", _refuse_unanswered))
    for event in TASK_ANSWER_EVENTS:
        BUILTIN_HANDLERS.append((event, answer_task))
    _register_on_default_session()
    _installed = True


def _register_on_default_session() -> None:
    """Register the handlers on boto3's default session, if one exists already (sessions made later get them
    from BUILTIN_HANDLERS)."""
    import boto3

    from sfnlocal.integrations.aws.task_answers import TASK_ANSWER_EVENTS, answer_task

    session = boto3.DEFAULT_SESSION
    if session is None:
        return
    session.events.register("before-send", _refuse_unanswered)
    for event in TASK_ANSWER_EVENTS:
        session.events.register(event, answer_task)


def _refuse_unanswered(request: Any, event_name: str, **_: Any) -> Any:
    """botocore's before-send: while guarding, moto's answer if the scope's world had to be started first,
    else a refusal (used only when moto, registered earlier, gave no response)."""
    if not active():
        return None
    starter = _starters[-1] if _starters else None
    if starter is not None and starter():
        from moto.core.models import botocore_stubber

        answered = botocore_stubber(event_name, request)
        if answered is not None:
            return answered
    return _Refusal(request.url)


def leave_unguarded(client: Any) -> None:
    """Take the guard's handler off a client whose ``endpoint_url`` is where the user sends its service's calls
    (``sfnlocal serve``'s ``SQS_ENDPOINT``, ...), so that its requests go there even while a handler is guarded.

    >>> import botocore.session
    >>> from botocore.config import Config
    >>> install()
    >>> client = botocore.session.get_session().create_client(
    ...     "sqs", region_name="us-east-1", endpoint_url="http://127.0.0.1:9", aws_access_key_id="x",
    ...     aws_secret_access_key="x", config=Config(retries={"total_max_attempts": 1}))
    >>> leave_unguarded(client)
    >>> with guarding():  # the request goes to the endpoint (nothing listens on port 9), not refused
    ...     client.list_queues()
    Traceback (most recent call last):
    ...
    botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:9/"
    """
    client.meta.events.unregister("before-send", _refuse_unanswered)


def refuse_always(request: Any, **_: Any) -> Any:
    """A ``before-send`` handler for a client that must never reach the network (the world's own clients):
    a refusal, used only when moto gave no response."""
    return _Refusal(request.url)


class _Refusal:
    """Stands for the response botocore would get from the network: reading it raises AwsRequestRefused.

    botocore takes the first response any ``before-send`` handler gave; only when it is this one does it read
    it (outside its retry handling), which raises the refusal in the caller of the boto3 method.
    """

    def __init__(self, url: str) -> None:
        self._url = url

    def __getattr__(self, name: str) -> Any:
        raise AwsRequestRefused(self._url)
