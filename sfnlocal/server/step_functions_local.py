"""Step Functions Local's configuration, read by ``sfnlocal serve`` so that it can take the container's place.

Step Functions Local (AWS's docs, "Setting configuration options for Step Functions Local") takes each setting
as a command-line option of its JAR (``-account`` or ``--aws-account``, ...) or as an environment variable
(``AWS_ACCOUNT_ID``, ...); its Docker image reads the variables from a file given with ``docker run --env-file``
(``aws-stepfunctions-local-credentials.txt`` in AWS's walkthroughs). ``sfnlocal serve`` accepts the same
options, the same variables and, with ``--env-file FILE``, the same file. It applies the account, the region,
the wait-time scale, the Lambda endpoint and ``SFN_MOCK_CONFIG``; the endpoints of the other services are
accepted and ignored with a line saying so, since sfnlocal serves those tasks from its in-process AWS (moto),
and the credentials are not used (nothing reaches real AWS).

>>> settings = resolve({}, {"AWS_ACCOUNT_ID": "111122223333", "SQS_ENDPOINT": "http://localhost:9324"})
>>> settings.values["account"]
'111122223333'
>>> print(settings.notes[0])
ignoring SQS_ENDPOINT: SQS tasks are served by sfnlocal's in-process AWS (moto) or a mock file
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sfnlocal.interpreter.machine import DEFAULT_ACCOUNT, DEFAULT_REGION


@dataclass(frozen=True)
class Option:
    """One of Step Functions Local's settings: its command-line ``flags``, its environment ``variable``, and,
    for a setting sfnlocal does not apply, the ``service`` whose endpoint it names."""

    name: str  # the setting's name in sfnlocal serve's arguments
    flags: tuple[str, ...]
    variable: str
    service: str | None = None  # an endpoint sfnlocal ignores: the service it would send tasks to

    @property
    def ignored(self) -> bool:
        return self.service is not None


# AWS's table of options, in its order ("Setting configuration options for Step Functions Local"). The SageMaker
# variable is spelt SAGE_MAKER_ENDPOINT there.
APPLIED = (
    Option("account", ("-account", "--aws-account"), "AWS_ACCOUNT_ID"),
    Option("region", ("-region", "--aws-region"), "AWS_DEFAULT_REGION"),
    Option("wait_time_scale", ("-waitTimeScale", "--wait-time-scale"), "WAIT_TIME_SCALE"),
    Option("lambda_endpoint", ("-lambdaEndpoint", "--lambda-endpoint"), "LAMBDA_ENDPOINT"),
)
IGNORED = (
    Option("batch_endpoint", ("-batchEndpoint", "--batch-endpoint"), "BATCH_ENDPOINT", "AWS Batch"),
    Option("dynamodb_endpoint", ("-dynamoDBEndpoint", "--dynamodb-endpoint"), "DYNAMODB_ENDPOINT", "DynamoDB"),
    Option("ecs_endpoint", ("-ecsEndpoint", "--ecs-endpoint"), "ECS_ENDPOINT", "ECS"),
    Option("glue_endpoint", ("-glueEndpoint", "--glue-endpoint"), "GLUE_ENDPOINT", "Glue"),
    Option("sagemaker_endpoint", ("-sageMakerEndpoint", "--sagemaker-endpoint"), "SAGE_MAKER_ENDPOINT", "SageMaker"),
    Option("sqs_endpoint", ("-sqsEndpoint", "--sqs-endpoint"), "SQS_ENDPOINT", "SQS"),
    Option("sns_endpoint", ("-snsEndpoint", "--sns-endpoint"), "SNS_ENDPOINT", "SNS"),
    Option(
        "step_functions_endpoint",
        ("-stepFunctionsEndpoint", "--step-functions-endpoint"),
        "STEP_FUNCTIONS_ENDPOINT",
        "Step Functions",
    ),
)
OPTIONS = APPLIED + IGNORED
MOCK_CONFIG_VARIABLE = "SFN_MOCK_CONFIG"  # Step Functions Local reads its mock file from this variable only
# The credentials of AWS's env file template: Step Functions Local signs its calls to AWS with them.
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@dataclass(frozen=True)
class Settings:
    """What the configuration sets: ``values`` by setting name (account, region, wait_time_scale,
    lambda_endpoint, mock_config; absent when nothing sets it), and ``notes``, one line per setting ignored."""

    values: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def resolve(given: Mapping[str, str | None], environment: Mapping[str, str]) -> Settings:
    """The settings of a command line (``given``: values by setting name, None for an option not given) over
    those of the ``environment`` (the process's variables, with an env file's on top), as Step Functions Local
    takes them. Raises ``ValueError`` naming the option or variable for a value it cannot use.

    >>> resolve({"region": "eu-west-1"}, {"AWS_DEFAULT_REGION": "us-west-2", "WAIT_TIME_SCALE": "0.5"}).values
    {'region': 'eu-west-1', 'wait_time_scale': '0.5'}
    >>> resolve({}, {"WAIT_TIME_SCALE": "fast"})
    Traceback (most recent call last):
    ...
    ValueError: WAIT_TIME_SCALE: expected a number of 0 or more (0.5 halves each wait), not 'fast'
    """
    settings = Settings()
    for option in OPTIONS:
        from_command_line = given.get(option.name)
        value = from_command_line if from_command_line is not None else environment.get(option.variable)
        if not value:
            continue
        source = option.flags[-1] if from_command_line is not None else option.variable
        if option.ignored:
            settings.notes.append(
                f"ignoring {source}: {option.service} tasks are served by sfnlocal's in-process AWS (moto) "
                "or a mock file"
            )
            continue
        _check(option.name, source, value)
        settings.values[option.name] = value
    mock_config = given.get("mock_config") or environment.get(MOCK_CONFIG_VARIABLE)
    if mock_config:
        settings.values["mock_config"] = mock_config
    return settings


def _check(name: str, source: str, value: str) -> None:
    """A value sfnlocal applies must be usable: a wait-time scale is a number of 0 or more, an endpoint a URL."""
    if name == "wait_time_scale":
        try:
            scale = float(value)
        except ValueError:
            scale = -1.0
        if not math.isfinite(scale) or scale < 0:
            raise ValueError(f"{source}: expected a number of 0 or more (0.5 halves each wait), not {value!r}")
    elif name == "lambda_endpoint":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"{source}: expected the URL of a Lambda Invoke API such as http://127.0.0.1:3001, not {value!r}"
            )


def read_env_file(path: str | Path) -> dict[str, str]:
    """The variables of a Docker env file (``docker run --env-file``): ``NAME=VALUE`` lines, taken as they are
    (no quotes removed, as Docker reads them); blank lines and lines starting with ``#`` are skipped, and a
    line without ``=`` is an error naming the file and the line (Docker would take the variable from its own
    environment; sfnlocal asks for the value instead).

    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "aws-stepfunctions-local-credentials.txt"
    >>> _ = file.write_text("# Step Functions Local\\nAWS_DEFAULT_REGION=us-west-2\\nWAIT_TIME_SCALE=0\\n")
    >>> read_env_file(file)
    {'AWS_DEFAULT_REGION': 'us-west-2', 'WAIT_TIME_SCALE': '0'}
    """
    variables: dict[str, str] = {}
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        text = line.lstrip()
        if not text or text.startswith("#"):
            continue
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"{path}, line {number}: expected NAME=VALUE, not {line!r}")
        variables[name.strip()] = value
    return variables


def credentials_note(variables: Mapping[str, str]) -> str | None:
    """A line saying the credentials an env file sets are not used, or None when it sets none.

    >>> credentials_note({"AWS_ACCESS_KEY_ID": "AKIA..."})
    'not using AWS_ACCESS_KEY_ID: sfnlocal serve sends nothing to AWS, so it needs no credentials'
    """
    named = [name for name in CREDENTIALS if name in variables]
    if not named:
        return None
    return f"not using {', '.join(named)}: sfnlocal serve sends nothing to AWS, so it needs no credentials"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Step Functions Local's command-line options that ``sfnlocal serve`` does not have under its own names:
    the Lambda endpoint, the other endpoints (accepted, ignored), and ``--env-file``. (``--account``,
    ``--region`` and the wait-time scale are sfnlocal's own options, with Step Functions Local's as aliases.)"""
    lambda_endpoint = APPLIED[3]
    parser.add_argument(
        "--lambda-endpoint",
        *lambda_endpoint.flags[:-1],
        dest=lambda_endpoint.name,
        metavar="URL",
        help=f"a Lambda Invoke API (e.g. sam local start-lambda's http://127.0.0.1:3001) for the Lambda tasks no "
        f"--template function serves (default ${lambda_endpoint.variable})",
    )
    for option in IGNORED:
        parser.add_argument(
            *reversed(option.flags),
            dest=option.name,
            metavar="URL",
            help=f"Step Functions Local's {option.service} endpoint (${option.variable}): accepted and ignored",
        )
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help="Step Functions Local's Docker env file (NAME=VALUE lines, as docker run --env-file reads them): its "
        "variables over the process's",
    )


def apply(args: argparse.Namespace, environment: Mapping[str, str]) -> list[str]:
    """Fill ``args``' account, region, wait_time_scale, lambda_endpoint and mock_config from the command line,
    then ``--env-file``'s variables, then ``environment``'s; the lines to print about what is ignored. Raises
    ``ValueError`` (``OSError`` for an env file that cannot be read) naming the option or variable at fault.

    >>> import argparse
    >>> args = argparse.Namespace(account=None, region="eu-west-1", mock_config=None, env_file=None)
    >>> apply(args, {"AWS_ACCOUNT_ID": "111122223333", "ECS_ENDPOINT": "http://localhost:4566"})
    ["ignoring ECS_ENDPOINT: ECS tasks are served by sfnlocal's in-process AWS (moto) or a mock file"]
    >>> args.account, args.region, args.lambda_endpoint
    ('111122223333', 'eu-west-1', None)
    """
    variables = dict(environment)
    notes: list[str] = []
    env_file = getattr(args, "env_file", None)
    if env_file is not None:
        from_file = read_env_file(env_file)
        variables.update(from_file)
        note = credentials_note(from_file)
        if note is not None:
            notes.append(note)
    given = {name: getattr(args, name, None) for name in [option.name for option in OPTIONS] + ["mock_config"]}
    scale = given["wait_time_scale"]
    given["wait_time_scale"] = None if scale is None else str(scale)
    settings = resolve(given, variables)
    values = settings.values
    args.account = values.get("account", DEFAULT_ACCOUNT)
    args.region = values.get("region", DEFAULT_REGION)
    args.lambda_endpoint = values.get("lambda_endpoint")
    args.mock_config = values.get("mock_config")
    if "wait_time_scale" in values:
        args.wait_time_scale = float(values["wait_time_scale"])
    return notes + settings.notes
