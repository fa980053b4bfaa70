"""Between the JSON a Task sends or receives and botocore's shapes: key casing and value types.

Step Functions names parameters and results in PascalCase whatever the service's own casing
(``StateMachineArn`` for Step Functions' ``stateMachineArn``), and a field named ``Equals`` is
written ``EqualsValue``. Values cross as AWS's Java SDK serialises them (recorded):

* a blob member is sent as the compact JSON text of its value, even a string (S3 PutObject with
  ``Body: 0`` stores ``0``, ``Body: {"Dict": "Value"}`` stores ``{"Dict":"Value"}`` and ``Body: "text
  data"`` stores ``"text data"``, quotes included), a string member as the JSON text of a value that
  is not a string (Step Functions' StartExecution ``Input: {"key": "value"}``); a ``null`` member is
  left out;
* a blob in a result (S3 GetObject's ``Body``) becomes its UTF-8 text (bytes that are not UTF-8 are
  replaced), a timestamp an ISO-8601 text in UTC (``2025-11-06T12:22:00Z``) in the AWS SDK
  integrations (Java SDK v2) and epoch milliseconds in the optimized ones (Java SDK v1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.response import StreamingBody

from sfnlocal.language.jsontext import compact_json

_STEP_FUNCTIONS_NAMES = {"Equals": "EqualsValue"}


def sfn_key(member: str) -> str:
    """The name Step Functions gives a botocore member: PascalCase, ``Equals`` spelt ``EqualsValue``.

    >>> sfn_key("stateMachineArn"), sfn_key("Bucket"), sfn_key("Equals")
    ('StateMachineArn', 'Bucket', 'EqualsValue')
    """
    return _STEP_FUNCTIONS_NAMES.get(member, member[:1].upper() + member[1:])


def to_request(value: Any, shape: Shape | None) -> Any:
    """Task arguments as boto3 takes them for ``shape`` (an operation's input shape).

    Keys that name no member are kept as given, for botocore to refuse.

    >>> import botocore.session
    >>> model = botocore.session.get_session().get_service_model("stepfunctions")
    >>> to_request({"StateMachineArn": "arn", "Input": {"a": 1}, "Name": None},
    ...            model.operation_model("StartExecution").input_shape)
    {'stateMachineArn': 'arn', 'input': '{"a":1}'}
    """
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        members = {sfn_key(name): name for name in shape.members}
        converted = {}
        for key, item in value.items():
            if item is None:
                continue
            name = members.get(key, key)
            converted[name] = to_request(item, shape.members.get(name))
        return converted
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [to_request(item, shape.member) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {key: to_request(item, shape.value) for key, item in value.items()}
    type_name = shape.type_name if shape is not None else None
    if type_name == "blob" or (type_name == "string" and not isinstance(value, str)):
        return compact_json(value)
    return value


def from_response(value: Any, shape: Shape | None, timestamp: Callable[[datetime], Any] | None = None) -> Any:
    """A boto3 result as Step Functions returns it for ``shape`` (an operation's output shape).

    Timestamps become ``timestamp(moment)``: by default the ISO-8601 text of the AWS SDK integrations
    (Java SDK v2); the optimized integrations (Java SDK v1) give :func:`epoch_millis`.

    >>> import botocore.session
    >>> model = botocore.session.get_session().get_service_model("stepfunctions")
    >>> from_response({"executionArn": "arn", "startDate": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)},
    ...               model.operation_model("StartExecution").output_shape)
    {'ExecutionArn': 'arn', 'StartDate': '2025-01-02T03:04:05Z'}
    """
    if isinstance(value, StreamingBody):
        value = value.read()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    timestamp = timestamp or instant_text
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {sfn_key(name): from_response(item, shape.members.get(name), timestamp) for name, item in value.items()}
    if isinstance(value, list):
        member = shape.member if isinstance(shape, ListShape) else None
        return [from_response(item, member, timestamp) for item in value]
    if isinstance(value, dict):
        member = shape.value if isinstance(shape, MapShape) else None
        return {key: from_response(item, member, timestamp) for key, item in value.items()}
    return value


def epoch_millis(moment: datetime) -> int:
    """A timestamp as AWS's Java SDK v1 results give it: milliseconds since the epoch.

    >>> epoch_millis(datetime(2025, 1, 1, 0, 0, 1, 500000, tzinfo=UTC))
    1735689601500
    """
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return round(utc.timestamp() * 1000)


def instant_text(moment: datetime) -> str:
    """A timestamp as Java's ``Instant`` prints it: UTC, fractions only when there are some.

    >>> instant_text(datetime(2025, 1, 2, 3, 4, 5, 120000, tzinfo=UTC))
    '2025-01-02T03:04:05.120Z'
    >>> instant_text(datetime(2025, 1, 2, 3, 4, 5))
    '2025-01-02T03:04:05Z'
    """
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        fraction = f"{utc.microsecond:06d}"
        text += "." + (fraction[:3] if fraction.endswith("000") else fraction)
    return text + "Z"
