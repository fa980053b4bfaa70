"""Service failures as Step Functions reports them: error names and causes.

Step Functions calls services with AWS's Java SDKs and reports a failure by the SDK exception's class
name and message (the docs' "Handling errors in service integrations", and the recordings):

* AWS SDK integrations (Java SDK v2): ``<Prefix>.<Exception>`` with the prefix the docs list per
  service (``DynamoDb``, ``S3``, ``Sfn``). An error the service models is named after it, with
  ``Exception`` added where the model has none (``S3.NoSuchKeyException`` for ``NoSuchKey``); any
  other is the client's generic one (``DynamoDb.DynamoDbException`` for a ``ValidationException``).
  The cause is ``<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)``.
* Optimized integrations (Java SDK v1): ``DynamoDB.ResourceNotFoundException``,
  ``SQS.AmazonSQSException``, with the cause ``<message> (Service: AmazonDynamoDBv2; Status Code: 400;
  Error Code: ResourceNotFoundException; Request ID: <id>; Proxy: null)``.

Request ids are fixed fakes. A service or operation that moto does not implement (or fails to serve)
fails with ``sfnlocal.Unsupported``, which no Retry or Catch hides, saying how to mock the state instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.errorfactory import ClientExceptionsFactory
from botocore.exceptions import ClientError

from sfnlocal.interpreter.integration import Failure
from sfnlocal.language.errors import SFNLOCAL_ERROR_PREFIX, TASK_FAILED

if TYPE_CHECKING:
    from botocore.exceptions import BotoCoreError
    from botocore.model import ServiceModel

    from sfnlocal.integrations.aws.call import ServiceCall

UNSUPPORTED = SFNLOCAL_ERROR_PREFIX + "Unsupported"
REQUEST_ID = "8f5d3c2e-6a4b-4e1f-9c7d-0b1a2c3d4e5f"
EXTENDED_REQUEST_ID = "sfnlocal/ExtendedRequestId+Fake0000000000000000000000000000000000="

# Java SDK v2 client names that the general rule of error_prefix() does not give (the docs' table).
_PREFIX_OVERRIDES = {"MemoryDB": "MemoryDB", "SESv2": "SesV2"}
# Services whose errors carry an extended request id (S3's x-amz-id-2), which the cause then shows.
_EXTENDED_ID_PREFIXES = {"S3", "S3Control"}
# Recorded: Step Functions' causes end in " (SDK Attempt Count: 1)" for these prefixes (Sfn, 2025-11),
# not for the others recorded (DynamoDb 2023-07, S3 2025-01).
_ATTEMPT_COUNT_PREFIXES = {"Sfn"}
_TRAILING_CAPITALS = re.compile(r"(.*[a-z])([A-Z]{2,})")


def error_prefix(model: ServiceModel) -> str:
    """The prefix of a service's AWS SDK integration errors: its Java SDK v2 client name.

    >>> import botocore.session
    >>> session = botocore.session.get_session()
    >>> [error_prefix(session.get_service_model(name)) for name in ("dynamodb", "stepfunctions", "logs", "iot")]
    ['DynamoDb', 'Sfn', 'CloudWatchLogs', 'Iot']
    """
    service_id = model.service_id
    if service_id in _PREFIX_OVERRIDES:
        return _PREFIX_OVERRIDES[service_id]
    words = re.sub(r" Service$", "", service_id).replace("-", " ").split()
    return "".join(_pascal_word(word) for word in words)


def _pascal_word(word: str) -> str:
    if word == "IoT":
        return "Iot"
    if word.isupper() or word.islower():  # SFN, EC2, v2, codeartifact
        return word[0].upper() + word[1:].lower()
    trailing = _TRAILING_CAPITALS.fullmatch(word)  # DynamoDB, CloudHSM
    if trailing:
        return trailing.group(1) + trailing.group(2).capitalize()
    return word[0].upper() + word[1:]


def exception_name(err: ClientError, generic: str) -> str:
    """The Java SDK exception class of a botocore error: the modeled one, else ``generic``.

    >>> exception_name(ClientError({"Error": {"Code": "ValidationException"}}, "PutItem"), "DynamoDbException")
    'DynamoDbException'
    """
    name = type(err).__name__  # botocore's error factory names modeled errors after their shape
    if name == "ClientError":
        return generic
    return name if name.endswith("Exception") else name + "Exception"


def _status(err: ClientError) -> int:
    return int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))


def _message(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Message", ""))


def sdk_failure(err: ClientError, prefix: str) -> Failure:
    """An AWS SDK integration's failure (Java SDK v2 wording).

    >>> failure = sdk_failure(ClientError({"Error": {"Code": "ValidationException", "Message": "Bad"},
    ...                                    "ResponseMetadata": {"HTTPStatusCode": 400}}, "PutItem"), "DynamoDb")
    >>> failure.error
    'DynamoDb.DynamoDbException'
    >>> failure.cause == f"Bad (Service: DynamoDb, Status Code: 400, Request ID: {REQUEST_ID})"
    True
    """
    details = [f"Service: {prefix}", f"Status Code: {_status(err)}", f"Request ID: {REQUEST_ID}"]
    if prefix in _EXTENDED_ID_PREFIXES:
        details.append(f"Extended Request ID: {EXTENDED_REQUEST_ID}")
    cause = f"{_message(err)} ({', '.join(details)})"
    if prefix in _ATTEMPT_COUNT_PREFIXES:
        cause += " (SDK Attempt Count: 1)"
    return Failure(f"{prefix}.{exception_name(err, prefix + 'Exception')}", cause)


@dataclass(frozen=True)
class SdkV1Client:
    """How the Java SDK v1 client of an optimized integration names failures.

    >>> dynamodb = SdkV1Client("DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException")
    >>> failure = dynamodb.failure(ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "Gone"},
    ...                                         "ResponseMetadata": {"HTTPStatusCode": 400}}, "PutItem"))
    >>> failure.cause == ("Gone (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; "
    ...                   f"Request ID: {REQUEST_ID}; Proxy: null)")
    True
    """

    label: str  # the error prefix Step Functions uses: DynamoDB, SQS, SNS
    service: str  # the service name in causes: AmazonDynamoDBv2, AmazonSQS
    generic: str  # the exception for errors the service does not model: AmazonDynamoDBException

    def failure(self, err: ClientError) -> Failure:
        """The failure Step Functions reports for this botocore error."""
        code = err.response.get("Error", {}).get("Code", "")
        cause = (
            f"{_message(err)} (Service: {self.service}; Status Code: {_status(err)}; Error Code: {code}; "
            f"Request ID: {REQUEST_ID}; Proxy: null)"
        )
        return Failure(f"{self.label}.{exception_name(err, self.generic)}", cause)


def client_error(code: str, message: str, operation: str, model: ServiceModel | None = None) -> ClientError:
    """A service error (status 400) that moto would not raise, built as botocore raises them: of the
    class the service ``model`` has for ``code``, if any.

    >>> import botocore.session
    >>> sns = botocore.session.get_session().get_service_model("sns")
    >>> type(client_error("InvalidParameter", "Bad", "Publish", sns)).__name__
    'InvalidParameterException'
    """
    response = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    if model is None:
        return ClientError(response, operation)
    return ClientExceptionsFactory().create_client_exceptions(model).from_code(code)(response, operation)


def missing_parameters(model: ServiceModel, operation: str, missing: list[str]) -> ClientError:
    """What a service answers when required parameters are absent (a ``null`` one is left out).

    Services of the query protocols name the first (``MissingParameter``, recorded for SQS); the
    others list them all (``ValidationException``, recorded for DynamoDB).

    >>> import botocore.session
    >>> dynamodb = botocore.session.get_session().get_service_model("dynamodb")
    >>> missing_parameters(dynamodb, "PutItem", ["Item"]).response["Error"]["Message"]
    "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"
    """
    if model.protocol in ("query", "ec2") or "awsQueryCompatible" in model.metadata:
        return client_error("MissingParameter", f"The request must contain the parameter {missing[0]}.", operation)
    count = len(missing)
    details = "; ".join(
        f"Value null at '{name[:1].lower()}{name[1:]}' failed to satisfy constraint: Member must not be null"
        for name in missing
    )
    return client_error(
        "ValidationException", f"{count} validation error{'s' if count > 1 else ''} detected: {details}", operation
    )


def moto_lacks(err: ClientError) -> bool:
    """Whether moto answered that it has no such service (it has no URL for the request).

    >>> moto_lacks(ClientError({"Error": {"Code": "404", "Message": "Not yet implemented"}}, "TranslateText"))
    True
    """
    return err.response.get("Error", {}).get("Code") == "404" and _message(err) == "Not yet implemented"


def unsupported(call: ServiceCall, what: str) -> Failure:
    """The failure of a task sfnlocal cannot serve offline, with how to mock it instead.

    >>> from sfnlocal.language.resources import parse_resource
    >>> from sfnlocal.integrations.aws.call import ServiceCall
    >>> call = ServiceCall("Translate", parse_resource("arn:aws:states:::aws-sdk:translate:translateText"),
    ...                    {}, "us-east-1", "123456789012", None)
    >>> print(unsupported(call, "translate").cause)
    State 'Translate' calls arn:aws:states:::aws-sdk:translate:translateText, but moto does not implement \
translate; mock this state: mocks={'Translate': mocks.returns(...)}
    """
    return Failure(
        UNSUPPORTED,
        f"State '{call.state_name}' calls {call.resource.arn}, but moto does not implement "
        f"{what}; mock this state: mocks={{'{call.state_name}': mocks.returns(...)}}",
    )


def unreachable(err: BotoCoreError) -> Failure:
    """The failure of a call that a service endpoint (``sfnlocal serve``'s ``SQS_ENDPOINT``, ...) did not answer:
    ``States.TaskFailed`` (no recording of Step Functions Local's own answer here), its cause in the words of the
    Java SDK's client exception for a request that got no answer ("Unable to execute HTTP request") followed by
    botocore's reason, which names the endpoint's URL. A Task's Retry and Catch see it as any task failure.

    >>> from botocore.exceptions import EndpointConnectionError
    >>> failure = unreachable(EndpointConnectionError(endpoint_url="http://127.0.0.1:9324/"))
    >>> failure.error
    'States.TaskFailed'
    >>> print(failure.cause)
    Unable to execute HTTP request: Could not connect to the endpoint URL: "http://127.0.0.1:9324/"
    """
    return Failure(TASK_FAILED, f"Unable to execute HTTP request: {err}")
