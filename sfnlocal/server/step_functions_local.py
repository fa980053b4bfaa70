"""Step Functions Local's configuration, read by ``sfnlocal serve`` so that it can take the container's place.

Step Functions Local (AWS's docs, "Setting configuration options for Step Functions Local") takes each setting
as a command-line option of its JAR (``-account`` or ``--aws-account``, ...) or as an environment variable
(``AWS_ACCOUNT_ID``, ...); its Docker image reads the variables from a file given with ``docker run --env-file``
(``aws-stepfunctions-local-credentials.txt`` in AWS's walkthroughs). ``sfnlocal serve`` accepts the same
options, the same variables and, with ``--env-file FILE``, the same file. It applies them all: the account, the
region, the wait-time scale, ``SFN_MOCK_CONFIG``, the Lambda endpoint, and the other services' endpoints (Batch,
DynamoDB, ECS, Glue, SageMaker, SQS, SNS, Step Functions), where the tasks calling those services go
(:mod:`sfnlocal.server.service_endpoints`; the services without one are served by sfnlocal's in-process AWS,
moto). The credentials (the env file's, else the environment's) sign the calls to those endpoints.

>>> settings = resolve({}, {"AWS_ACCOUNT_ID": "111122223333", "SQS_ENDPOINT": "http://localhost:9324"})
>>> settings.values["account"], settings.values["sqs_endpoint"]
('111122223333', 'http://localhost:9324')
>>> print(settings.notes[0])
SQS tasks go to http://localhost:9324 (SQS_ENDPOINT)
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
    for a service's endpoint, the ``service`` (as people name it) and its boto3 name, ``client``."""

    name: str  # the setting's name in sfnlocal serve's arguments
    flags: tuple[str, ...]
    variable: str
    service: str | None = None  # an endpoint's service: where that service's tasks go
    client: str | None = None


# AWS's table of options, in its order ("Setting configuration options for Step Functions Local"). The SageMaker
# variable is spelt SAGE_MAKER_ENDPOINT there.
APPLIED = (
    Option("account", ("-account", "--aws-account"), "AWS_ACCOUNT_ID"),
    Option("region", ("-region", "--aws-region"), "AWS_DEFAULT_REGION"),
    Option("wait_time_scale", ("-waitTimeScale", "--wait-time-scale"), "WAIT_TIME_SCALE"),
    Option("lambda_endpoint", ("-lambdaEndpoint", "--lambda-endpoint"), "LAMBDA_ENDPOINT"),
)
ENDPOINTS = (
    Option("batch_endpoint", ("-batchEndpoint", "--batch-endpoint"), "BATCH_ENDPOINT", "AWS Batch", "batch"),
    Option(
        "dynamodb_endpoint", ("-dynamoDBEndpoint", "--dynamodb-endpoint"), "DYNAMODB_ENDPOINT", "DynamoDB", "dynamodb"
    ),
    Option("ecs_endpoint", ("-ecsEndpoint", "--ecs-endpoint"), "ECS_ENDPOINT", "ECS", "ecs"),
    Option("glue_endpoint", ("-glueEndpoint", "--glue-endpoint"), "GLUE_ENDPOINT", "Glue", "glue"),
    Option(
        "sagemaker_endpoint",
        ("-sageMakerEndpoint", "--sagemaker-endpoint"),
        "SAGE_MAKER_ENDPOINT",
        "SageMaker",
        "sagemaker",
    ),
    Option("sqs_endpoint", ("-sqsEndpoint", "--sqs-endpoint"), "SQS_ENDPOINT", "SQS", "sqs"),
    Option("sns_endpoint", ("-snsEndpoint", "--sns-endpoint"), "SNS_ENDPOINT", "SNS", "sns"),
    Option(
        "step_functions_endpoint",
        ("-stepFunctionsEndpoint", "--step-functions-endpoint"),
        "STEP_FUNCTIONS_ENDPOINT",
        "Step Functions",
        "stepfunctions",
    ),
)
OPTIONS = APPLIED + ENDPOINTS
MOCK_CONFIG_VARIABLE = "SFN_MOCK_CONFIG"  # Step Functions Local reads its mock file from this variable only
# The credentials of AWS's env file template: Step Functions Local signs its calls to AWS with them.
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@dataclass(frozen=True)
class Settings:
    """What the configuration sets: ``values`` by setting name (account, region, wait_time_scale,
    lambda_endpoint, the services' endpoints such as sqs_endpoint, mock_config; absent when nothing sets it), and
    ``notes``, one line per service endpoint saying where its tasks go."""

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
        _check(option, source, value)
        settings.values[option.name] = value
        if option.service is not None:
            settings.notes.append(f"{option.service} tasks go to {value} ({source})")
    mock_config = given.get("mock_config") or environment.get(MOCK_CONFIG_VARIABLE)
    if mock_config:
        settings.values["mock_config"] = mock_config
    return settings


def _check(option: Option, source: str, value: str) -> None:
    """A value sfnlocal applies must be usable: a wait-time scale is a number of 0 or more, an endpoint a URL.

    >>> _check(ENDPOINTS[5], "SQS_ENDPOINT", "localhost:9324")
    Traceback (most recent call last):
    ...
    ValueError: SQS_ENDPOINT: expected the URL of the SQS API such as http://127.0.0.1:4566, not 'localhost:9324'
    """
    if option.name == "wait_time_scale":
        try:
            scale = float(value)
        except ValueError:
            scale = -1.0
        if not math.isfinite(scale) or scale < 0:
            raise ValueError(f"{source}: expected a number of 0 or more (0.5 halves each wait), not {value!r}")
    elif option.name.endswith("_endpoint"):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            api = "a Lambda Invoke API" if option.service is None else f"the {option.service} API"
            example = "http://127.0.0.1:3001" if option.service is None else "http://127.0.0.1:4566"
            raise ValueError(f"{source}: expected the URL of {api} such as {example}, not {value!r}")


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


def endpoint_credentials(variables: Mapping[str, str]) -> dict[str, str] | None:
    """The credentials the calls to the service endpoints are signed with, as boto3 takes them: the variables'
    ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (and ``AWS_SESSION_TOKEN``), as Step Functions Local signs
    with them; None (fake ones) unless both are set.

    >>> endpoint_credentials({"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"})
    {'aws_access_key_id': 'AKIDEXAMPLE', 'aws_secret_access_key': 'secret'}
    >>> endpoint_credentials({"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"}) is None
    True
    """
    if not (variables.get(CREDENTIALS[0]) and variables.get(CREDENTIALS[1])):
        return None
    return {name.lower(): variables[name] for name in CREDENTIALS if variables.get(name)}


def credentials_note(variables: Mapping[str, str], endpoints: bool) -> str | None:
    """A line on the credentials: with service ``endpoints``, what their calls are signed with; without, that
    those an env file sets (``variables``) are not used (None when it sets none).

    >>> credentials_note({"AWS_ACCESS_KEY_ID": "AKIA..."}, endpoints=False)
    'not using AWS_ACCESS_KEY_ID: no service endpoint is set, and sfnlocal serve sends nothing to AWS'
    >>> credentials_note({}, endpoints=True)
    'the calls to the service endpoints are signed with fake credentials (AWS_ACCESS_KEY_ID and \
AWS_SECRET_ACCESS_KEY are not both set)'
    """
    named = [name for name in CREDENTIALS if variables.get(name)]
    if endpoints:
        if endpoint_credentials(variables) is None:
            return (
                "the calls to the service endpoints are signed with fake credentials "
                f"({CREDENTIALS[0]} and {CREDENTIALS[1]} are not both set)"
            )
        return f"the calls to the service endpoints are signed with {', '.join(named)}"
    if not named:
        return None
    return f"not using {', '.join(named)}: no service endpoint is set, and sfnlocal serve sends nothing to AWS"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Step Functions Local's command-line options that ``sfnlocal serve`` does not have under its own names:
    the Lambda endpoint, the other services' endpoints, and ``--env-file``. (``--account``,
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
    for option in ENDPOINTS:
        parser.add_argument(
            *reversed(option.flags),
            dest=option.name,
            metavar="URL",
            help=f"where the {option.service} tasks go, e.g. a LocalStack or moto server (default ${option.variable}; "
            "unset: sfnlocal's in-process AWS)",
        )
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help="Step Functions Local's Docker env file (NAME=VALUE lines, as docker run --env-file reads them): its "
        "variables over the process's",
    )


def apply(args: argparse.Namespace, environment: Mapping[str, str]) -> list[str]:
    """Fill ``args``' account, region, wait_time_scale, lambda_endpoint and mock_config from the command line,
    then ``--env-file``'s variables, then ``environment``'s; also ``service_endpoints`` (the URL of each service
    whose endpoint is set, by boto3 name) and ``endpoint_credentials`` (what their calls are signed with; None:
    fake ones). Returns the lines to print: where each service endpoint's tasks go, and the credentials. Raises
    ``ValueError`` (``OSError`` for an env file that cannot be read) naming the option or variable at fault.

    >>> import argparse
    >>> args = argparse.Namespace(account=None, region="eu-west-1", mock_config=None, env_file=None)
    >>> apply(args, {"AWS_ACCOUNT_ID": "111122223333", "ECS_ENDPOINT": "http://localhost:4566"})[0]
    'ECS tasks go to http://localhost:4566 (ECS_ENDPOINT)'
    >>> args.account, args.region, args.lambda_endpoint, args.service_endpoints
    ('111122223333', 'eu-west-1', None, {'ecs': 'http://localhost:4566'})
    """
    variables = dict(environment)
    env_file = getattr(args, "env_file", None)
    from_file = read_env_file(env_file) if env_file is not None else {}
    variables.update(from_file)
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
    endpoints = {str(option.client): values[option.name] for option in ENDPOINTS if option.name in values}
    args.service_endpoints = endpoints
    args.endpoint_credentials = endpoint_credentials(variables) if endpoints else None
    note = credentials_note(variables if endpoints else from_file, bool(endpoints))
    return settings.notes + ([note] if note is not None else [])
