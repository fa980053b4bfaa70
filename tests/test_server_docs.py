"""docs/server.md's Python examples run as written against a real server: the boto3 one with the server's own
address in place of port 8083 (the test cannot take that port), the pytest one with the ``sfn_server`` fixture.
Its AWS CLI commands are those tests/test_server_cli.py runs."""

from __future__ import annotations

import contextlib
import io

from test_docs_examples import examples

from sfnlocal.testing.server_fixture import SfnServer


def test_the_boto3_example_creates_and_runs_a_state_machine(sfn_server: SfnServer) -> None:
    [example] = [text for text in examples("server.md") if "boto3.client(" in text]
    assert 'endpoint_url="http://127.0.0.1:8083"' in example
    script = example.replace("http://127.0.0.1:8083", sfn_server.endpoint_url).replace(
        'name="hello"', 'name="docs-hello"'
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "docs/server.md[boto3]", "exec"), {})
    assert printed.getvalue().strip() == '"world"'


def test_the_fixture_example_passes(sfn_server: SfnServer) -> None:
    [example] = [text for text in examples("server.md") if "def test_" in text]
    namespace: dict[str, object] = {}
    exec(compile(example, "docs/server.md[pytest]", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_") and callable(value)]
    assert tests
    for test in tests:
        test(sfn_server)
