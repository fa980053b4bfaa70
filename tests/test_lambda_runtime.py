"""The application's Python handlers run in-process as AWS Lambda runs them (LambdaFunctions)."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from random import Random
from textwrap import dedent

import pytest

from sfnlocal import StateMachine, mocks
from sfnlocal.integrations.lambda_functions import LambdaFunction, LambdaFunctions
from sfnlocal.integrations.mocks.integration import MockIntegration
from sfnlocal.interpreter.integration import TaskRequest
from sfnlocal.language.resources import parse_resource

REGION, ACCOUNT = "us-east-1", "123456789012"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:"
INVOKE = "arn:aws:states:::lambda:invoke"


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    return folder


def one_task(resource: str, **fields) -> StateMachine:
    task = {"Type": "Task", "Resource": resource, "End": True, **fields}
    return StateMachine.from_dict({"StartAt": "T", "States": {"T": task}})


def invoke_task(function_name: str, **arguments) -> StateMachine:
    parameters = {"FunctionName": function_name, "Payload.$": "$", **arguments}
    return one_task(INVOKE, Parameters=parameters)


ECHO = """
    def lambda_handler(event, context):
        return {
            "event": event,
            "name": context.function_name,
            "version": context.function_version,
            "arn": context.invoked_function_arn,
            "memory": context.memory_limit_in_mb,
            "request": context.aws_request_id,
            "group": context.log_group_name,
            "stream": context.log_stream_name,
            "remaining": context.get_remaining_time_in_millis(),
        }
"""


@pytest.fixture
def echo(tmp_path: Path) -> LambdaFunction:
    return LambdaFunction("echo", "app.lambda_handler", write(tmp_path / "echo", {"app.py": ECHO}), memory_mb=256)


# 1. Resolution ------------------------------------------------------------------------------------------


def test_a_plain_function_arn_runs_the_handler_and_returns_its_payload(echo: LambdaFunction) -> None:
    run = one_task(FUNCTION_ARN + "echo").execute({"x": 1}, integration=LambdaFunctions([echo]))
    assert run.status == "SUCCEEDED"
    out = run.output
    assert out["event"] == {"x": 1}
    assert (out["name"], out["version"], out["arn"]) == ("echo", "$LATEST", FUNCTION_ARN + "echo")
    assert (out["memory"], out["group"], out["remaining"]) == ("256", "/aws/lambda/echo", 3000)
    assert out["stream"].endswith("]" + out["stream"].rsplit("]", 1)[1]) and "[$LATEST]" in out["stream"]


@pytest.mark.parametrize(
    ("function_name", "arguments", "arn", "version"),
    [
        ("echo", {}, FUNCTION_ARN + "echo", "$LATEST"),
        ("echo:live", {}, FUNCTION_ARN + "echo:live", "$LATEST"),
        ("echo", {"Qualifier": "3"}, FUNCTION_ARN + "echo:3", "3"),
        (f"{ACCOUNT}:function:echo:$LATEST", {}, FUNCTION_ARN + "echo:$LATEST", "$LATEST"),
        ("arn:aws:lambda:eu-west-1:111111111111:function:echo:7", {}, None, "7"),
    ],
)
def test_lambda_invoke_resolves_function_name_as_lambda_does(echo, function_name, arguments, arn, version) -> None:
    run = invoke_task(function_name, **arguments).execute({"x": 1}, integration=LambdaFunctions([echo]))
    assert run.status == "SUCCEEDED", run.cause
    assert run.output["ExecutedVersion"] == version and run.output["StatusCode"] == 200
    payload = run.output["Payload"]
    assert payload["arn"] == (arn or function_name) and payload["version"] == version
    assert payload["request"] == run.output["SdkResponseMetadata"]["RequestId"]


def request(resource: str, arguments) -> TaskRequest:
    return TaskRequest(
        "T", parse_resource(resource), arguments, None, 0, REGION, ACCOUNT, "sm", "ex", None, Random(0), None
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("resource", "arguments"),
    [
        (INVOKE, {"FunctionName": "echoo"}),  # a typo: the mock-key check names the nearest, not this runtime
        (INVOKE, {"FunctionName": "arn:aws:states:::lambda:invoke"}),
        (INVOKE, {"Payload": {}}),
        (FUNCTION_ARN + "other", {}),
        ("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q"}),
    ],
)
def test_a_task_calling_none_of_the_functions_is_left_to_the_next_integration(echo, resource, arguments) -> None:
    assert LambdaFunctions([echo]).invoke(request(resource, arguments)) is None
    assert invoke_task("echoo").execute({}, integration=LambdaFunctions([echo])).error == "sfnlocal.MockMissing"


def test_the_request_id_comes_from_the_execution_seed(echo) -> None:
    functions = LambdaFunctions([echo])
    first, again = (invoke_task("echo").execute({}, integration=functions, seed=5) for _ in range(2))
    other = invoke_task("echo").execute({}, integration=functions, seed=6)
    assert first.output["Payload"]["request"] == again.output["Payload"]["request"]
    assert first.output["Payload"]["request"] != other.output["Payload"]["request"]


def test_functions_are_checked() -> None:
    with pytest.raises(TypeError, match="LambdaFunction values"):
        LambdaFunctions([{"name": "x"}])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="'f'"):
        LambdaFunctions([LambdaFunction("f", "a.h", None), LambdaFunction("f", "b.h", None)])


# 2. Isolation -------------------------------------------------------------------------------------------


def twin(folder: Path, word: str) -> Path:
    return write(
        folder,
        {
            "app.py": """
                import utils

                def lambda_handler(event, context):
                    import lazy  # imported at call time, from this function's folder
                    return {"utils": utils.WORD, "lazy": lazy.WORD}
            """,
            "utils.py": f"WORD = 'utils-{word}'\n",
            "lazy.py": f"WORD = 'lazy-{word}'\n",
        },
    )


def test_two_functions_with_the_same_module_names_each_see_their_own(tmp_path: Path) -> None:
    a = LambdaFunction("a", "app.lambda_handler", twin(tmp_path / "a", "a"))
    b = LambdaFunction("b", "app.lambda_handler", twin(tmp_path / "b", "b"))
    sm = StateMachine.from_dict(
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Task", "Resource": FUNCTION_ARN + "a", "ResultPath": "$.a", "Next": "B"},
                "B": {"Type": "Task", "Resource": FUNCTION_ARN + "b", "ResultPath": "$.b", "Next": "A2"},
                "A2": {"Type": "Task", "Resource": FUNCTION_ARN + "a", "ResultPath": "$.a2", "End": True},
            },
        }
    )
    path = sys.path[:]
    run = sm.execute({}, integration=LambdaFunctions([a, b]))
    assert run.output == {
        "a": {"utils": "utils-a", "lazy": "lazy-a"},
        "b": {"utils": "utils-b", "lazy": "lazy-b"},
        "a2": {"utils": "utils-a", "lazy": "lazy-a"},
    }
    assert sys.path == path
    assert not {"app", "utils", "lazy"} & sys.modules.keys()


def test_a_module_of_the_test_named_like_the_handlers_is_left_alone(tmp_path: Path, echo) -> None:
    own = type(sys)("app")
    sys.modules["app"] = own
    try:
        run = one_task(FUNCTION_ARN + "echo").execute({}, integration=LambdaFunctions([echo]))
        assert run.status == "SUCCEEDED" and sys.modules["app"] is own
    finally:
        del sys.modules["app"]


@pytest.mark.parametrize("handler", ["pkg/app.handler", "pkg.app.handler"])
def test_handler_strings_as_lambda_accepts_them(tmp_path: Path, handler: str) -> None:
    code = write(tmp_path, {"pkg/__init__.py": "", "pkg/app.py": "def handler(event, context):\n    return 'pkg'\n"})
    run = one_task(FUNCTION_ARN + "f").execute({}, integration=LambdaFunctions([LambdaFunction("f", handler, code)]))
    assert run.output == "pkg"


def test_layers_are_on_the_handlers_import_path(tmp_path: Path) -> None:
    layer = write(
        tmp_path / "layer",
        {
            "python/shared.py": "NAME = 'shared'\n",
            f"python/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/vendored.py": "N = 2\n",
        },
    )
    code = write(
        tmp_path / "code",
        {"app.py": "import shared, vendored\ndef h(event, context):\n    return [shared.NAME, vendored.N]\n"},
    )
    function = LambdaFunction("f", "app.h", code, layers=(layer,))
    run = one_task(FUNCTION_ARN + "f").execute({}, integration=LambdaFunctions([function]))
    assert run.output == ["shared", 2]
    assert "shared" not in sys.modules


def test_inline_code_is_the_index_module(tmp_path: Path) -> None:
    source = "import os\ndef handler(event, context):\n    return {'n': event['n'] + 1}\n"
    function = LambdaFunction("inline", "index.handler", None, inline_code=source)
    run = one_task(FUNCTION_ARN + "inline").execute({"n": 1}, integration=LambdaFunctions([function]))
    assert run.output == {"n": 2}
    assert "index" not in sys.modules


# 3. Cold start ------------------------------------------------------------------------------------------


def test_module_level_code_runs_once_per_function_per_process(tmp_path: Path) -> None:
    code = write(
        tmp_path,
        {
            "app.py": """
                import os
                STARTS = []
                STARTS.append(os.environ["AWS_LAMBDA_FUNCTION_NAME"])
                def handler(event, context):
                    return len(STARTS)
            """
        },
    )
    function = LambdaFunction("cold", "app.handler", code)
    sm = one_task(FUNCTION_ARN + "cold")
    assert [sm.execute({}, integration=LambdaFunctions([function])).output for _ in range(3)] == [1, 1, 1]
    other = LambdaFunction("cold2", "app.handler", code)  # another function of the same code: its own start
    assert one_task(FUNCTION_ARN + "cold2").execute({}, integration=LambdaFunctions([other])).output == 1


def test_a_relative_code_folder_and_a_missing_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path / "src", {"app.py": "import helper\ndef handler(e, c):\n    return helper.N\n", "helper.py": "N = 4\n"}
    )
    monkeypatch.chdir(tmp_path)
    relative = LambdaFunction("relative", "app.handler", Path("src"))
    assert one_task(FUNCTION_ARN + "relative").execute({}, integration=LambdaFunctions([relative])).output == 4
    missing = LambdaFunction("missing", "app.handler", Path("nowhere"))
    run = one_task(FUNCTION_ARN + "missing").execute({}, integration=LambdaFunctions([missing]))
    assert run.error == "Runtime.ImportModuleError"


def test_a_failed_cold_start_is_tried_again_on_the_next_invocation(tmp_path: Path) -> None:
    code = write(tmp_path, {"app.py": "import missing_dependency\ndef handler(event, context):\n    return 1\n"})
    function = LambdaFunction("retry", "app.handler", code)
    sm = one_task(FUNCTION_ARN + "retry")
    assert sm.execute({}, integration=LambdaFunctions([function])).error == "Runtime.ImportModuleError"
    write(tmp_path, {"missing_dependency.py": ""})
    assert sm.execute({}, integration=LambdaFunctions([function])).output == 1


# 4. Environment -----------------------------------------------------------------------------------------

ENVIRONMENT = """
    import os
    AT_IMPORT = os.environ.get("TABLE")
    NAMES = ["TABLE", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
             "AWS_LAMBDA_LOG_GROUP_NAME", "_HANDLER", "AWS_EXECUTION_ENV", "AWS_REGION", "LAMBDA_TASK_ROOT",
             "IN_WORLD"]
    def handler(event, context):
        return {"import": AT_IMPORT, "cwd": os.getcwd(), **{name: os.environ.get(name) for name in NAMES}}
"""


class FakeWorld:
    """Stands for AwsWorld: its handler scope sets a variable, and counts how often it is entered."""

    def __init__(self) -> None:
        self.entered = 0

    @contextmanager
    def handler_scope(self):
        self.entered += 1
        os.environ["IN_WORLD"] = "yes"
        try:
            yield
        finally:
            del os.environ["IN_WORLD"]


def test_the_functions_environment_and_lambdas_variables_are_set_while_it_runs(tmp_path: Path) -> None:
    code = write(tmp_path, {"app.py": ENVIRONMENT})
    variables = {"TABLE": "orders", "AWS_LAMBDA_FUNCTION_NAME": "not allowed"}
    function = LambdaFunction("env", "app.handler", code, runtime="python3.12", environment=variables)
    world = FakeWorld()
    before = dict(os.environ)
    run = one_task(FUNCTION_ARN + "env").execute({}, integration=LambdaFunctions([function], world))
    assert run.output == {
        "import": "orders",
        "cwd": str(code),
        "TABLE": "orders",
        "AWS_LAMBDA_FUNCTION_NAME": "env",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/env",
        "_HANDLER": "app.handler",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_REGION": "us-east-1",
        "LAMBDA_TASK_ROOT": str(code),
        "IN_WORLD": "yes",
    }
    assert world.entered == 1 and dict(os.environ) == before and os.getcwd() != str(code)


def test_real_aws_runs_handlers_outside_the_world(tmp_path: Path) -> None:
    function = LambdaFunction("env", "app.handler", write(tmp_path, {"app.py": ENVIRONMENT}))
    world = FakeWorld()
    run = one_task(FUNCTION_ARN + "env").execute({}, integration=LambdaFunctions([function], world, real_aws=True))
    assert run.output["IN_WORLD"] is None and world.entered == 0


# 5/6. Results and errors --------------------------------------------------------------------------------


def run_handler(tmp_path: Path, source: str, resource: str = FUNCTION_ARN + "f", **function) -> object:
    code = write(tmp_path, {"app.py": source})
    fn = LambdaFunction("f", function.pop("handler", "app.handler"), code, **function)
    sm = one_task(resource) if resource != INVOKE else invoke_task("f")
    return sm.execute({}, integration=LambdaFunctions([fn]))


def test_results_go_through_json_as_lambda_writes_them(tmp_path: Path) -> None:
    source = """
        from decimal import Decimal
        def handler(e, c):
            return {'price': Decimal('9.50'), 'n': Decimal('3'), 't': (1, 2), 1: 'k'}
    """
    assert run_handler(tmp_path, source).output == {"price": 9.5, "n": 3, "t": [1, 2], "1": "k"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def handler(e, c):\n    return {1, 2}\n", "Object of type set is not JSON serializable"),
        ("def handler(e, c):\n    return float('nan')\n", "Out of range float values are not JSON compliant"),
    ],
)
def test_a_result_json_cannot_hold_is_lambdas_marshal_error(tmp_path: Path, source: str, message: str) -> None:
    run = run_handler(tmp_path, source, resource=INVOKE)
    assert run.error == "Runtime.MarshalError"
    cause = json.loads(run.cause)
    assert cause["errorType"] == "Runtime.MarshalError" and cause["stackTrace"] == []
    assert cause["errorMessage"].startswith("Unable to marshal response: " + message)
    assert run.cause.startswith('{"errorMessage":"Unable to marshal response: ')  # lambda:invoke: compact JSON


def test_an_exception_is_reported_as_lambda_reports_it(tmp_path: Path) -> None:
    source = (
        "class PaymentDeclined(Exception):\n    pass\ndef handler(e, c):\n    raise PaymentDeclined('card expired')\n"
    )
    run = run_handler(tmp_path, source)
    assert run.error == "PaymentDeclined"
    cause = json.loads(run.cause)
    assert (cause["errorMessage"], cause["errorType"]) == ("card expired", "PaymentDeclined")
    assert len(cause["stackTrace"]) == 1 and ", line 4, in handler" in cause["stackTrace"][0]
    assert run.cause.startswith('{"errorMessage": "card expired", "errorType": ')  # plain ARN: spaced JSON


@pytest.mark.parametrize(
    ("files", "handler", "error", "message"),
    [
        ({}, "app.handler", "Runtime.ImportModuleError", "Unable to import module 'app': No module named 'app'"),
        ({"app.py": "X = 1\n"}, "app.handler", "Runtime.HandlerNotFound", "Handler 'handler' missing on module 'app'"),
        (
            {"app.py": "def handler(e, c)\n"},
            "app.handler",
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module 'app': ",
        ),
        ({}, "handler", "Runtime.MalformedHandlerName", "Bad handler 'handler': not enough values to unpack"),
        ({}, "sys.handler", "Runtime.BuiltInModuleConflict", "Cannot use built-in module sys as a handler module"),
        ({"app.py": "raise KeyError('TABLE')\n"}, "app.handler", "KeyError", "'TABLE'"),
    ],
)
def test_cold_start_failures_are_lambdas(tmp_path: Path, files, handler, error, message) -> None:
    fn = LambdaFunction("f", handler, write(tmp_path, files))
    run = invoke_task("f").execute({}, integration=LambdaFunctions([fn]))
    assert run.error == error
    cause = json.loads(run.cause)
    assert cause["errorType"] == error and cause["errorMessage"].startswith(message) and cause["requestId"] == ""


def test_a_handler_longer_than_its_timeout_is_sandbox_timedout_and_catchable(tmp_path: Path) -> None:
    code = write(
        tmp_path,
        {
            "app.py": """
                import time
                def handler(e, c):
                    time.sleep(0.06)
                    return c.get_remaining_time_in_millis()
            """
        },
    )
    fn = LambdaFunction("slow", "app.handler", code, timeout=0.05)
    sm = StateMachine.from_dict(
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FUNCTION_ARN + "slow",
                    "Catch": [{"ErrorEquals": ["Sandbox.Timedout"], "ResultPath": "$.error", "Next": "Caught"}],
                    "End": True,
                },
                "Caught": {"Type": "Pass", "End": True},
            },
        }
    )
    run = sm.execute({}, integration=LambdaFunctions([fn]))
    assert run.path == ["T", "Caught"]
    error = run.output["error"]
    assert error["Error"] == "Sandbox.Timedout"
    cause = json.loads(error["Cause"])
    assert cause["errorType"] == "Sandbox.Timedout"
    assert cause["errorMessage"].endswith(" Error: Task timed out after 0.05 seconds")
    fast = LambdaFunction("fast", "app.handler", code, timeout=10.0)
    remaining = one_task(FUNCTION_ARN + "fast").execute({}, integration=LambdaFunctions([fast])).output
    assert 9800 < remaining <= 9940  # the Timeout minus the 60 ms the handler slept


def test_a_function_of_another_runtime_fails_naming_it_and_how_to_mock_it(tmp_path: Path) -> None:
    fn = LambdaFunction("node", "index.handler", tmp_path, runtime="nodejs20.x")
    sm = StateMachine.from_dict(
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FUNCTION_ARN + "node",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}],
                    "End": True,
                },
                "C": {"Type": "Pass", "End": True},
            },
        }
    )
    run = sm.execute({}, integration=LambdaFunctions([fn]))
    assert run.error == "sfnlocal.MockMissing"  # an sfnlocal error: not caught by States.ALL
    assert "'node'" in run.cause and "nodejs20.x" in run.cause and "mocks={'T': mocks.returns(" in run.cause
    # and the command line's forms of the same advice
    assert '--mocks FILE holding {"T": {"returns": {}}}' in run.cause and "--lambda-endpoint URL" in run.cause


# 7. Envelopes -------------------------------------------------------------------------------------------


def test_an_event_invocation_runs_the_handler_and_answers_202(tmp_path: Path) -> None:
    code = write(
        tmp_path, {"app.py": "CALLS = []\ndef handler(e, c):\n    CALLS.append(e)\n    raise ValueError('ignored')\n"}
    )
    fn = LambdaFunction("async", "app.handler", code)
    run = invoke_task("async", InvocationType="Event").execute({"n": 1}, integration=LambdaFunctions([fn]))
    assert run.status == "SUCCEEDED"
    assert (run.output["StatusCode"], run.output["Payload"]) == (202, "")
    assert "ExecutedVersion" not in run.output


def test_a_wait_for_task_token_handler_gets_the_token_and_the_task_waits_for_it(tmp_path: Path) -> None:
    code = write(
        tmp_path,
        {"app.py": "TOKENS = []\ndef handler(e, c):\n    TOKENS.append(e['token'])\n    return {'sent': True}\n"},
    )
    fn = LambdaFunction("ask", "app.handler", code)
    sm = one_task(
        INVOKE + ".waitForTaskToken",
        Parameters={"FunctionName": "ask", "Payload": {"token.$": "$$.Task.Token"}},
    )
    run = sm.execute({}, integration=LambdaFunctions([fn]))
    assert run.status == "RUNNING"
    submitted = [event for event in run.history if event["type"] == "TaskSubmitted"]
    output = json.loads(submitted[0]["taskSubmittedEventDetails"]["output"])
    assert output["Payload"] == {"sent": True} and output["StatusCode"] == 200
    run.send_task_success(run.task_tokens[0], {"approved": True})
    assert (run.status, run.output) == ("SUCCEEDED", {"approved": True})


def test_an_asynchronous_wait_for_task_token_invocation_waits_too(tmp_path: Path) -> None:
    code = write(tmp_path, {"app.py": "def handler(e, c):\n    raise RuntimeError('not seen by the task')\n"})
    fn = LambdaFunction("ask", "app.handler", code)
    parameters = {"FunctionName": "ask", "InvocationType": "Event", "Payload": {"t.$": "$$.Task.Token"}}
    run = one_task(INVOKE + ".waitForTaskToken", Parameters=parameters).execute({}, integration=LambdaFunctions([fn]))
    assert run.status == "RUNNING"
    submitted = [event for event in run.history if event["type"] == "TaskSubmitted"]
    assert json.loads(submitted[0]["taskSubmittedEventDetails"]["output"])["StatusCode"] == 202


def test_a_wait_for_task_token_handler_that_fails_fails_the_task(tmp_path: Path) -> None:
    code = write(tmp_path, {"app.py": "def handler(e, c):\n    raise RuntimeError('queue down')\n"})
    fn = LambdaFunction("ask", "app.handler", code)
    sm = one_task(INVOKE + ".waitForTaskToken", Parameters={"FunctionName": "ask", "Payload": {"t.$": "$$.Task.Token"}})
    run = sm.execute({}, integration=LambdaFunctions([fn]))
    assert (run.status, run.error) == ("FAILED", "RuntimeError")


# 8. Callable mocks --------------------------------------------------------------------------------------


def test_a_callable_mock_runs_in_the_world_scope_and_through_json(tmp_path: Path) -> None:
    world = FakeWorld()

    def handler(event, context):
        return (
            {"world": os.environ.get("IN_WORLD"), "set": {1}}
            if event.get("bad")
            else {"world": os.environ.get("IN_WORLD")}
        )

    sm = invoke_task("charge", OutputPath=None)
    ok = sm.execute({}, integration=MockIntegration({"T": handler}, world=world))
    assert ok.output["Payload"] == {"world": "yes"} and world.entered == 1
    bad = sm.execute({"bad": True}, integration=MockIntegration({"T": handler}, world=world))
    assert bad.error == "sfnlocal.MockInvalid"  # a set-up mistake, naming the value's path, as before
    decimal = sm.execute({}, integration=MockIntegration({"T": lambda e, c: {"n": Decimal("1.5")}}, world=world))
    assert decimal.output["Payload"] == {"n": 1.5}
    plain = sm.execute({}, integration=MockIntegration({"T": mocks.returns({"x": 1})}, world=world))
    assert plain.output["Payload"] == {"x": 1} and world.entered == 3  # a plain mock runs no code: no scope
