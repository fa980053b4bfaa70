"""The AWS services an execution talks to: moto, in-process, started on first use.

By default every execution gets a world of its own, started by its first AWS call and stopped when it
ends. A test that wants to seed data first and inspect it after creates an :class:`AwsWorld`, uses it
as a context manager around its own boto3 calls, and passes it to ``execute(aws=world)``; such a world
is neither reset nor stopped by the execution.

All started worlds share one moto (its backends are process-wide): the first to start gets fresh,
empty services, the last to stop drops the data, and a world started while another (or the user's own
``mock_aws()``) runs sees that one's data, so executions that do not overlap do not see each other's.

A world leaves ``os.environ`` alone, so that an execution, even one suspended for hours, does not
change the process's environment: its clients carry fake credentials, its region and its account (in
the ``x-moto-account-id`` header moto reads), and moto is started with ``core.mock_credentials`` off.
Only the ``with`` block, the user's own scope for plain boto3 calls, and :meth:`AwsWorld.handler_scope`, the
scope a handler runs in, set variables (:meth:`AwsWorld.environment`), and they put them back on the way out.

The world's clients are made once per process (per service, region and account) from one botocore session of
sfnlocal's own, so that an execution's fresh world costs moto's start and stop, not botocore's loading of
service models. moto's identifiers (message ids, event ids, ...) come from one process-wide random source,
which :meth:`AwsWorld.seed_identifiers` seeds from an execution's seed so runs repeat byte for byte.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sfnlocal.integrations.aws import guard
from sfnlocal.integrations.environment import apply, current, environment, names_starting

# What the world's own clients sign with: never real credentials, so nothing can reach a real account.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}
# The same, as the environment variables a ``with`` block sets for the user's plain boto3 clients.
DEFAULT_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
}
# The request header moto attributes a request's account by (after MOTO_ACCOUNT_ID, which wins).
ACCOUNT_HEADER = "x-moto-account-id"
# What a handler scope removes from the environment: a profile (botocore skips the environment's credentials
# when one is named) and endpoints (they would send requests past moto). AWS_ENDPOINT_URL_<SERVICE> too.
_NEUTRALISED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL")
# ... and what it points elsewhere: the user's config and credentials files are not read (an empty file).
_NO_FILES = {
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
}


@contextmanager
def _moto_credentials_off() -> Iterator[None]:
    """Pin moto's ``core.mock_credentials`` off for one start or stop of ours, then put it back.

    moto writes (and on stop removes) fake credentials in ``os.environ`` when that setting is on at the
    time; leaving it off after our start would also keep a user's own ``mock_aws()``, stopped later,
    from removing the ones it wrote.
    """
    from moto.core.config import default_user_config

    config = cast(dict[str, Any], default_user_config)
    had_core = "core" in config
    core = config.get("core")
    config["core"] = {**(core or {}), "mock_credentials": False}
    try:
        yield
    finally:
        if had_core:
            config["core"] = core
        else:
            config.pop("core", None)


# moto's URL patterns for the ``requests`` library, made once and given to each start again (see below).
_URL_PATTERNS: dict[tuple[Any, ...], Any] = {}


@contextmanager
def _reused_url_patterns() -> Iterator[None]:
    """While moto starts, its ~1,300 ``responses`` URL patterns (for code using ``requests``) are the ones made
    at its first start: making them anew is most of a start's time, and they hold no state of a run."""
    import moto.core.models as models

    make = models.CallbackResponse

    def reused(method: str, url: Any, callback: Any) -> Any:
        key = (method, url, callback)
        pattern = _URL_PATTERNS.get(key)
        if pattern is None:
            pattern = _URL_PATTERNS[key] = make(method=method, url=url, callback=callback)
        return pattern

    models.CallbackResponse = reused  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        models.CallbackResponse = make  # type: ignore[misc]


class _SharedMoto:
    """One ``mock_aws`` for all the started worlds, counted here so that it is started and stopped once.

    moto counts its starts too, but each start of a ``mock_aws`` patches its configuration in a way only
    the last stop undoes; one mock keeps those patches balanced however worlds interleave.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._mock: Any = None

    @property
    def users(self) -> int:
        """How many worlds hold moto now."""
        return self._users

    def acquire(self) -> None:
        """Start moto (with fresh services, unless another mock runs) for the first user."""
        with self._lock:
            if self._users == 0:
                from moto import mock_aws
                from moto.core.config import default_user_config

                if _identifier_seed is not None:  # the latest execution's seed, given while no moto ran
                    _seed_moto(_identifier_seed)

                # moto merges this over its configuration key by key: "core" is replaced whole.
                config: Any = {"core": {**default_user_config.get("core", {}), "mock_credentials": False}}
                mock = mock_aws(config=config)
                with _moto_credentials_off(), _reused_url_patterns():
                    mock.start()
                self._mock = mock
            self._users += 1

    def release(self) -> None:
        """Stop moto (its data is gone) when the last user leaves."""
        with self._lock:
            if self._users == 0:
                return
            self._users -= 1
            if self._users == 0:
                mock, self._mock = self._mock, None
                with _moto_credentials_off():
                    mock.stop()


_MOTO = _SharedMoto()
_identifier_seed: int | None = None  # the seed of the latest execution (see AwsWorld.seed_identifiers)


def _seed_moto(seed: int) -> None:
    from moto.moto_api._internal import mock_random

    mock_random.seed(seed)


def _moto_answering() -> bool:
    """Whether a moto mock runs now (a world's, or the user's own ``mock_aws``): moto draws identifiers only while one
    answers requests, so an execution's seed is given to moto at once only then; otherwise when a world starts moto.
    (Seeding costs ~5 us, which every execution would pay once moto is imported: a Python handler imports it.)"""
    models = sys.modules.get("moto.core.models")
    if models is None:
        return False
    # (moto's own count of its running mocks; were it ever gone, seed every time, as before)
    return getattr(getattr(models, "MockAWS", None), "_nested_count", 1) > 0


def any_world_started() -> bool:
    """Whether some world of this process is started (moto runs for sfnlocal).

    >>> any_world_started()
    False
    """
    return _MOTO.users > 0


class _Botocore:
    """sfnlocal's own botocore session and the world clients made from it, kept for the whole process.

    The session is made in a neutral environment (no profile, no config or credentials files, fake
    credentials), after moto's and sfnlocal's botocore handlers are installed; it loads each service model
    once. Handler scopes lend it to boto3 as its default session, so a handler's ``boto3.client(...)`` is
    cheap too.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: Any = None
        self._clients: dict[tuple[str, str, str], Any] = {}

    def session(self) -> Any:
        """The session (made on first use)."""
        with self._lock:
            if self._session is None:
                import boto3

                guard.install()
                with environment(_neutral_overrides(DEFAULT_CREDENTIALS)):
                    self._session = boto3.session.Session()
            return self._session

    def client(self, service: str, region: str, account: str) -> Any:
        """A client for ``service`` whose requests moto answers for ``account`` in ``region``, or are refused."""
        key = (service, region, account)
        client = self._clients.get(key)
        if client is None:
            from botocore.config import Config

            from sfnlocal.integrations.aws.task_answers import TASK_ANSWER_EVENTS, answer_task

            client = self.new_client(
                service, region, config=Config(ignore_configured_endpoint_urls=True), **FAKE_CREDENTIALS
            )

            def name_account(request: Any, **_: Any) -> None:
                request.headers[ACCOUNT_HEADER] = account  # tell moto which account the request is for

            events = client.meta.events
            events.register("before-sign", name_account)
            from moto.core.models import botocore_stubber

            events.unregister("before-send", botocore_stubber)  # moto answers through the wrapper only
            events.register_first("before-send", _moto_in_neutral_environment)
            events.register("before-send", guard.refuse_always)
            # The built-in integrations answer task tokens themselves (sdk_sfn); what reaches moto is moto's.
            for event in TASK_ANSWER_EVENTS:
                events.unregister(event, answer_task)
            self._clients[key] = client
        return client

    def new_client(self, service: str, region: str, **options: Any) -> Any:
        """A new client of the session (``options`` go to boto3's ``client``), made in the neutral environment."""
        session = self.session()
        with environment(_neutral_overrides({})):  # botocore reads the profile from the environment here
            return session.client(service, region_name=region, **options)


_BOTOCORE = _Botocore()


def _moto_in_neutral_environment(request: Any, event_name: str, **_: Any) -> Any:
    """botocore's before-send for the world's own clients: moto's answer, made in the neutral environment.

    moto makes boto3 sessions of its own while it answers (the regions of a service, the names in an error), and a
    session reads the user's configuration: an ``AWS_PROFILE`` naming no profile would fail every request. None
    when moto does not answer. It stands in for moto's own handler on these clients (botocore calls every
    before-send handler, so both would make the request twice)."""
    from moto.core.models import botocore_stubber

    with environment(_neutral_overrides({})):
        return botocore_stubber(event_name, request)


def endpoint_client(service: str, region: str, url: str, credentials: dict[str, str] | None = None) -> Any:
    """A boto3 client for ``service`` whose requests go to ``url`` (a user's ElasticMQ, LocalStack or moto server:
    ``sfnlocal serve``'s ``SQS_ENDPOINT``, ...), signed for ``region`` with ``credentials`` (boto3's
    ``aws_access_key_id``, ...; default: fake ones). Made from sfnlocal's own session, so the user's profile and
    configured endpoints play no part, and left unguarded (:func:`~sfnlocal.integrations.aws.guard.leave_unguarded`).
    One attempt, no host prefix (``sync-`` before ``127.0.0.1`` resolves nowhere): the Task's own Retry decides
    what to try again.

    >>> client = endpoint_client("sqs", "eu-west-1", "http://127.0.0.1:9324")
    >>> client.meta.endpoint_url, client.meta.region_name
    ('http://127.0.0.1:9324', 'eu-west-1')
    """
    from botocore.config import Config

    config = Config(inject_host_prefix=False, retries={"total_max_attempts": 1}, connect_timeout=10)
    client = _BOTOCORE.new_client(service, region, endpoint_url=url, config=config, **(credentials or FAKE_CREDENTIALS))
    guard.leave_unguarded(client)
    return client


def _neutral_overrides(variables: dict[str, str]) -> dict[str, str | None]:
    """``variables`` plus what neutralises the user's AWS configuration (None: removed while in effect)."""
    endpoints = names_starting("AWS_ENDPOINT_URL_")
    removed: dict[str, str | None] = dict.fromkeys((*_NEUTRALISED, *endpoints))
    return {**removed, **_NO_FILES, **variables}


class AwsWorld:
    """An in-process AWS (moto) for one or more executions.

    >>> with AwsWorld(region="eu-west-1") as world:
    ...     s3 = world.client("s3")
    ...     _ = s3.create_bucket(Bucket="orders", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    ...     [b["Name"] for b in s3.list_buckets()["Buckets"]]
    ['orders']
    """

    def __init__(self, region: str = "us-east-1", account: str = "123456789012") -> None:
        self.region = region
        self.account = account
        self._started = False
        self._saved_environments: list[dict[str, str | None]] = []
        self._executions = 0  # executions seeded in this world so far (see seed_execution)

    @property
    def started(self) -> bool:
        """Whether moto is running for this world."""
        return self._started

    def environment(self) -> dict[str, str]:
        """The variables a ``with`` block sets, so that plain boto3 clients in it reach this world:
        fake credentials, the region, and the account (``MOTO_ACCOUNT_ID``, which moto puts before any
        other way of naming one, so an execution making its own world inside the block uses it too).

        >>> sorted(AwsWorld(region="eu-west-1").environment())  # doctest: +NORMALIZE_WHITESPACE
        ['AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECURITY_TOKEN',
         'AWS_SESSION_TOKEN', 'MOTO_ACCOUNT_ID']
        """
        return {
            **DEFAULT_CREDENTIALS,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "MOTO_ACCOUNT_ID": self.account,
        }

    def start(self) -> AwsWorld:
        """Start moto if not started yet (fresh, empty services unless another world runs); the
        environment is not touched. moto and boto3 are imported here."""
        if not self._started:
            from sfnlocal.integrations.aws.inventory import record_put_events

            guard.install()
            _MOTO.acquire()
            record_put_events()  # EventBridge keeps no readable record of the events put on a bus: we keep one
            self._started = True
        return self

    def stop(self) -> None:
        """Leave moto: the data is gone when no other world (or user's mock) still runs."""
        if not self._started:
            return
        self._started = False
        _MOTO.release()

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` against this world (starting it if needed).

        Its credentials, region and account are its own, not the environment's; endpoints configured in
        the environment or ``~/.aws/config`` are ignored, so its requests always go where moto answers (a
        request moto does not serve is refused: :class:`~sfnlocal.integrations.aws.guard.AwsRequestRefused`).
        Clients are shared by all worlds of the same region and account: use them while the world runs.
        """
        self.start()
        return _BOTOCORE.client(service, self.region, self.account)

    def summary(self) -> dict[str, Any]:
        """What the world holds now, short: each queue's messages (dead-letter queues marked), each table's item
        count, each bucket's object keys, each topic's published messages, each bus's events
        (:func:`~sfnlocal.integrations.aws.inventory.world_summary`). A world not started is empty.

        >>> with AwsWorld() as world:
        ...     _ = world.client("sqs").create_queue(QueueName="jobs")
        ...     world.summary()["queues"]
        {'jobs': {'messages': 0, 'in_flight': 0, 'delayed': 0}}
        """
        from sfnlocal.integrations.aws.inventory import world_summary

        return world_summary(self)

    def published_messages(self, topic: str) -> list[dict[str, Any]]:
        """The messages published to the SNS ``topic`` (name or ARN), oldest first (no SNS API returns them):
        see :func:`~sfnlocal.integrations.aws.inventory.published_messages`."""
        from sfnlocal.integrations.aws.inventory import published_messages

        return published_messages(self, topic)

    def events_put(self, bus: str | None = None) -> list[dict[str, Any]]:
        """The events put on the world's EventBridge buses (on ``bus`` only, name or ARN, when given), oldest
        first, as the PutEvents entries accepted: see :func:`~sfnlocal.integrations.aws.inventory.events_put`."""
        from sfnlocal.integrations.aws.inventory import events_put

        return events_put(self, bus)

    def handler_scope(self) -> _HandlerScope:
        """The environment a handler runs in, so that its boto3/botocore calls reach this world and nothing
        else, put back as it was after the block:

        * the world started by the block's first AWS request (a handler that makes none costs no moto start),
          and the variables of :meth:`environment` set (fake credentials, ``AWS_REGION``
          and ``AWS_DEFAULT_REGION``, ``MOTO_ACCOUNT_ID``);
        * ``AWS_PROFILE``, ``AWS_DEFAULT_PROFILE`` and ``AWS_ENDPOINT_URL*`` removed, ``AWS_CONFIG_FILE`` and
          ``AWS_SHARED_CREDENTIALS_FILE`` pointed at an empty file (the user's real configuration is not read);
        * boto3's default session is sfnlocal's own neutral one (one made earlier could hold real
          credentials or a profile);
        * any request moto does not answer is refused (:mod:`sfnlocal.integrations.aws.guard`), unless the
          caller opted in to real AWS.

        >>> world = AwsWorld(region="eu-west-1")
        >>> with world.handler_scope():
        ...     import boto3
        ...     sqs = boto3.client("sqs")
        ...     url = sqs.create_queue(QueueName="approvals")["QueueUrl"]
        ...     os.environ["AWS_REGION"], url.split("/")[-2:]
        ('eu-west-1', ['123456789012', 'approvals'])
        >>> world.stop()
        """
        return _HandlerScope(self)

    @staticmethod
    def seed_identifiers(seed: int) -> None:
        """Seed the random source moto draws its identifiers from (SQS and SNS message ids, EventBridge event
        ids, ...), one for the whole process: called at each execution's start with its seed, so the same
        execution gives the same identifiers. It is seeded at once while a moto mock runs (a world's, or your own
        ``mock_aws``); otherwise when a world next starts moto, before moto can draw any.

        >>> with AwsWorld() as world:
        ...     sqs = world.client("sqs")
        ...     url = sqs.create_queue(QueueName="q")["QueueUrl"]
        ...     AwsWorld.seed_identifiers(7)
        ...     first = sqs.send_message(QueueUrl=url, MessageBody="x")["MessageId"]
        ...     AwsWorld.seed_identifiers(7)
        ...     first == sqs.send_message(QueueUrl=url, MessageBody="x")["MessageId"]
        True
        """
        global _identifier_seed
        _identifier_seed = seed
        if _moto_answering():  # otherwise seeded when a world starts moto (_SharedMoto.acquire)
            _seed_moto(seed)

    def seed_execution(self, seed: int) -> None:
        """Seed moto's identifiers for an execution with ``seed`` run in this world (see :meth:`seed_identifiers`).

        The first execution of a world draws them from its seed as it is; each later one from its seed and its
        number in the world, so that executions sharing a world (a fixture's) with the same seed do not repeat
        one another's message ids, while the same sequence of executions still repeats byte for byte.

        >>> with AwsWorld() as world:
        ...     sqs = world.client("sqs")
        ...     url = sqs.create_queue(QueueName="q")["QueueUrl"]
        ...     world.seed_execution(7)
        ...     first = sqs.send_message(QueueUrl=url, MessageBody="x")["MessageId"]
        ...     world.seed_execution(7)
        ...     first != sqs.send_message(QueueUrl=url, MessageBody="x")["MessageId"]
        True
        """
        number, self._executions = self._executions, self._executions + 1
        AwsWorld.seed_identifiers(seed if number == 0 else seed + (number << 64))

    def __enter__(self) -> AwsWorld:
        """Start, with the variables of :meth:`environment` set for the block's own boto3 calls."""
        # Plain boto3 clients made in the block reach this world: the user's profile, configured endpoints and
        # configuration files are set aside as for a handler (a profile that does not exist would fail them).
        overrides = _neutral_overrides(self.environment())
        self._saved_environments.append(current(overrides))
        apply(overrides)
        try:
            return self.start()
        except BaseException:
            self._restore_environment()
            raise

    def __exit__(self, *exc_info: object) -> None:
        """Stop (when the outermost block ends) and put the variables back as the block found them."""
        try:
            if len(self._saved_environments) == 1:
                self.stop()
        finally:
            self._restore_environment()

    def _restore_environment(self) -> None:
        """Put back the variables the innermost ``with`` block found, removing those that were absent."""
        apply(self._saved_environments.pop())


class _HandlerScope:
    """:meth:`AwsWorld.handler_scope`: a plain class, not a generator, since it is entered around every handler call
    (a generator's context manager costs several times as much)."""

    __slots__ = ("_world", "_environment", "_previous")

    def __init__(self, world: AwsWorld) -> None:
        self._world = world
        self._environment: environment | None = None
        self._previous: Any = None

    def __enter__(self) -> None:
        import boto3

        session = _BOTOCORE.session()
        self._previous = boto3.DEFAULT_SESSION
        self._environment = environment(_handler_variables(self._world))
        self._environment.__enter__()
        try:
            guard.begin(self._start_world)
        except BaseException:
            self._environment.__exit__(None, None, None)
            raise
        boto3.DEFAULT_SESSION = session

    def __exit__(self, *exc_info: object) -> None:
        import boto3

        boto3.DEFAULT_SESSION = self._previous
        try:
            guard.end(self._start_world)
        finally:
            if self._environment is not None:
                self._environment.__exit__(None, None, None)

    def _start_world(self) -> bool:
        """Start the world on the scope's first AWS request; whether it was not running."""
        import boto3

        world = self._world
        if world.started:
            return False
        # moto keeps boto3's default session while it runs and puts it back when it stops: the user's.
        lent, boto3.DEFAULT_SESSION = boto3.DEFAULT_SESSION, self._previous
        try:
            world.start()
        finally:
            boto3.DEFAULT_SESSION = lent
        return True


# The variables of a handler scope by region, account and the AWS_ENDPOINT_URL_<SERVICE> names set (at most 64).
_HANDLER_VARIABLES: dict[tuple[str, str, tuple[str, ...]], dict[str, str | None]] = {}


def _handler_variables(world: AwsWorld) -> dict[str, str | None]:
    """A handler scope's variables (:func:`_neutral_overrides` of the world's :meth:`AwsWorld.environment`), made
    once per region, account and set of endpoint variables: the same for every handler call."""
    key = (world.region, world.account, tuple(names_starting("AWS_ENDPOINT_URL_")))
    found = _HANDLER_VARIABLES.get(key)
    if found is None:
        if len(_HANDLER_VARIABLES) >= 64:
            _HANDLER_VARIABLES.clear()
        found = _HANDLER_VARIABLES[key] = _neutral_overrides(world.environment())
    return found
