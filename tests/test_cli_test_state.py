"""`sfnlocal test-state`: the request file as `aws stepfunctions test-state --cli-input-json` takes it, the
response printed as the AWS CLI prints it, and a refused request reported as the AWS CLI reports it.
TestState itself is tested in test_teststate*.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sfnlocal import teststate
from sfnlocal.cli.main import main

DEFINITION = json.dumps(
    {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hello {}', $.name)"}, "End": True}
)
REQUEST = {"definition": DEFINITION, "input": '{"name": "Zoë"}', "inspectionLevel": "INFO"}


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """TestState behind a spy; returns the requests it got."""
    seen: list[dict[str, Any]] = []
    real = teststate.test_state

    def spy(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request)
        return real(request)

    monkeypatch.setattr(teststate, "test_state", spy)
    return seen


def write(tmp_path: Path, value: Any, name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return str(path)


def test_the_request_is_passed_as_written_and_the_response_printed_like_the_aws_cli(requests, tmp_path, capsys) -> None:
    assert main(["test-state", "--request", write(tmp_path, REQUEST)]) == 0
    assert requests == [REQUEST]
    # The AWS CLI's JSON output: 4-space indent, non-ASCII kept, a final newline.
    assert (
        capsys.readouterr().out == '{\n    "status": "SUCCEEDED",\n'
        '    "output": "{\\"greeting\\":\\"Hello Zoë\\"}"\n}\n'
    )


def test_a_file_url_is_accepted_as_in_cli_input_json(requests, tmp_path, capsys) -> None:
    assert main(["test-state", "--request", "file://" + write(tmp_path, REQUEST)]) == 0
    assert requests == [REQUEST]


def test_a_failing_state_is_a_response_not_an_error(tmp_path, capsys) -> None:
    request = {"definition": json.dumps({"Type": "Fail", "Error": "Nope", "Cause": "because"})}
    assert main(["test-state", "--request", write(tmp_path, request)]) == 0
    response = json.loads(capsys.readouterr().out)
    assert (response["status"], response["error"], response["cause"]) == ("FAILED", "Nope", "because")


@pytest.mark.parametrize(
    ("request_fields", "message"),
    [
        (
            {"input": "{}"},
            "1 validation error detected: Value null at 'definition' failed to satisfy constraint: "
            "Member must not be null",
        ),
        (
            {**REQUEST, "inspectionLevel": "LOTS"},
            "1 validation error detected: Value 'LOTS' at 'inspectionLevel' "
            "failed to satisfy constraint: Member must satisfy enum value set: "
            "[INFO, DEBUG, TRACE]",
        ),
    ],
)
def test_a_refused_request_prints_the_aws_cli_error_and_exits_254(
    tmp_path, request_fields: dict[str, Any], message: str, capsys
) -> None:
    assert main(["test-state", "--request", write(tmp_path, request_fields)]) == 254
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"\nAn error occurred (ValidationException) when calling the TestState operation: {message}\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ("[1]", "must hold a JSON object of TestState's request fields"),
    ],
)
def test_a_request_file_that_cannot_be_used_exits_2(
    requests, tmp_path, content: str | None, message: str, capsys
) -> None:
    path = str(tmp_path / "missing.json") if content is None else write(tmp_path, content)
    assert main(["test-state", "--request", path]) == 2
    assert message in capsys.readouterr().err and requests == []


def test_the_request_option_is_required(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["test-state"])
    assert exited.value.code == 2 and "--request" in capsys.readouterr().err
