"""What a handler's code does to os.environ stays that function's, as in its own Lambda process.

AWS Lambda runs each function in an execution environment of its own (AWS Lambda Developer Guide, "Lambda
execution environment lifecycle"): what a function's code sets in its process environment is kept while that
environment is reused (later, warm invocations see it), is never seen by another function or by the caller,
and is gone when the Init phase fails (the next invocation starts a new environment).
"""

from __future__ import annotations

import os
from pathlib import Path
from textwrap import dedent

from sfnlocal import StateMachine

ARN = "arn:aws:lambda:us-east-1:123456789012:function:"


def _functions(folder: Path, sources: dict[str, str]) -> dict[str, str]:
    handlers = {}
    for name, source in sources.items():
        code = folder / name
        code.mkdir()
        (code / "app.py").write_text(dedent(source))
        handlers[name] = f"{code}/app.py:lambda_handler"
    return handlers


def _chain(*names: str) -> dict:
    states = {
        name: {"Type": "Task", "Resource": ARN + name, "ResultPath": f"$.{name}", "Next": following}
        for name, following in zip(names, names[1:])
    }
    last = names[-1]
    states[last] = {"Type": "Task", "Resource": ARN + last, "ResultPath": f"$.{last}", "End": True}
    return {"StartAt": names[0], "States": states}


SETTER = """
    import os
    os.environ["SFNLOCAL_T_COLD"] = "set at cold start"
    def lambda_handler(event, context):
        os.environ["SFNLOCAL_T_LEAK"] = "set by a handler"
        os.environ.pop("SFNLOCAL_T_OUTER", None)
        return {key: os.environ.get(key) for key in ("SFNLOCAL_T_COLD", "SFNLOCAL_T_LEAK", "SFNLOCAL_T_OUTER")}
"""
READER = """
    import os
    def lambda_handler(event, context):
        return {key: os.environ.get(key) for key in ("SFNLOCAL_T_COLD", "SFNLOCAL_T_LEAK", "SFNLOCAL_T_OUTER")}
"""


def test_a_handlers_variables_are_its_own_and_kept_for_its_warm_invocations(tmp_path, monkeypatch):
    monkeypatch.setenv("SFNLOCAL_T_OUTER", "the test's")
    functions = _functions(tmp_path, {"setter": SETTER, "reader": READER})
    machine = StateMachine.from_dict(_chain("setter", "reader"), functions=functions)
    before = dict(os.environ)

    first = machine.execute({})
    second = machine.execute({})

    mine = {"SFNLOCAL_T_COLD": "set at cold start", "SFNLOCAL_T_LEAK": "set by a handler", "SFNLOCAL_T_OUTER": None}
    assert first.output["setter"] == second.output["setter"] == mine
    # another function, in its own process, sees none of it: the test's variable is there, the setter's are not
    others = {"SFNLOCAL_T_COLD": None, "SFNLOCAL_T_LEAK": None, "SFNLOCAL_T_OUTER": "the test's"}
    assert first.output["reader"] == second.output["reader"] == others
    assert dict(os.environ) == before  # the caller's environment is as it was


def test_a_failed_cold_start_leaves_nothing_for_the_next_one(tmp_path):
    flaky = """
        import os
        first_start = "SFNLOCAL_T_STARTED" not in os.environ
        os.environ["SFNLOCAL_T_STARTED"] = "1"
        if first_start:
            raise RuntimeError("the first cold start fails")
        def lambda_handler(event, context):
            return "started"
    """
    functions = _functions(tmp_path, {"flaky": flaky})
    machine = StateMachine.from_dict(_chain("flaky"), functions=functions)

    # each Init runs in a new execution environment, which has not seen the failed one's variable
    assert [machine.execute({}).error for _ in range(2)] == ["RuntimeError", "RuntimeError"]
    assert "SFNLOCAL_T_STARTED" not in os.environ
