"""sfnlocal writes numbers as AWS (JSONata on JavaScript) does without changing jsonata-python for anyone else.

A user's own ``Jsonata(...)`` in the same process must give what the library gives alone: before
and after sfnlocal evaluated, whoever built the expression first, in any thread. What the library
gives alone is measured in a fresh interpreter that imports only ``jsonata``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import Any

import pytest
from jsonata import Functions, Jsonata
from support import REPO

from sfnlocal import StateMachine
from sfnlocal.language.jsonata.engine import CompiledQuery

from .support import bindings

INPUT = {"n": 1e-7, "a": 5890840712243076, "o": {"c": 0.1 + 0.2}}

# name: (expression, what sfnlocal gives: AWS's JavaScript forms, as in test_numbers.py)
CASES: dict[str, tuple[str, Any]] = {
    "exponent": ("1e21 & ''", "1e+21"),
    "no exponent below 1e21": ("1e20 & ''", "100000000000000000000"),
    "float sum": ("(0.1 + 0.2) & ''", "0.3"),
    "whole float": ("100.0 & ''", "100"),
    "unsafe integer": ("'x' & 12345678901234567", "x12345678901234568"),
    "small": ("$states.input.n & ''", "1e-7"),
    "third": ("$string(1/3)", "0.333333333333333"),
    "sixteen digits": ("$string(5890840712243076)", "5890840712243076"),
    "inside an object": ("$string({'a': 0.1 + 0.2})", '{"a":0.3}'),
    "transform copy": ("$states.input ~> |o|{'b': 1}|", {"n": 1e-7, "a": 5890840712243076, "o": {"c": 0.3, "b": 1}}),
    "clone": ("$clone({'a': 0.1 + 0.2, 'd': 5890840712243076})", {"a": 0.3, "d": 5890840712243076}),
    "in a lambda": ("$map([1e20, 0.5], function($v){ $v & '' })", ["100000000000000000000", "0.5"]),
    "sorted by text": ("$sort([1e20, 1.5e20], function($l, $r){ ($l & '') > ($r & '') })", [1e20, 1.5e20]),
}
# The cases where the library alone writes numbers otherwise (the others check it still agrees).
DIFFERENT = {
    "no exponent below 1e21",
    "unsafe integer",
    "sixteen digits",
    "inside an object",
    "transform copy",
    "clone",
    "in a lambda",
    "sorted by text",
}

# Evaluates the cases (JSON on stdin) with the library alone; prints the repr of each result or error.
LIBRARY_ALONE = """
import json, sys
from jsonata import Jsonata
cases = json.load(sys.stdin)
results = {}
for name, (text, bindings) in cases.items():
    try:
        results[name] = repr(Jsonata(text).evaluate(None, bindings))
    except Exception as err:
        results[name] = f"{type(err).__name__}: {err}"
assert not [module for module in sys.modules if module.startswith("sfnlocal")]
print(json.dumps(results))
"""


def _library_bindings() -> dict[str, Any]:
    return {"states": {"input": INPUT}}


def _library_results(expressions: dict[str, Jsonata] | None = None) -> dict[str, str]:
    """What this process's library gives for the cases (with the expressions given, when built earlier)."""
    results = {}
    for name, (text, _) in CASES.items():
        expression = expressions[name] if expressions else Jsonata(text)
        try:
            results[name] = repr(expression.evaluate(None, _library_bindings()))
        except Exception as err:
            results[name] = f"{type(err).__name__}: {err}"
    return results


@pytest.fixture(scope="module")
def library_alone() -> dict[str, str]:
    cases = {name: (text, _library_bindings()) for name, (text, _) in CASES.items()}
    completed = subprocess.run(
        [sys.executable, "-I", "-c", LIBRARY_ALONE],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _machine() -> StateMachine:
    output = {name: "{% " + text + " %}" for name, (text, _) in CASES.items()}
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Format",
        "States": {"Format": {"Type": "Pass", "Output": output, "End": True}},
    }
    return StateMachine.from_dict(definition)


def _sfnlocal_results() -> dict[str, Any]:
    run = _machine().execute(INPUT)
    assert run.status == "SUCCEEDED", run
    return run.output


SFNLOCAL = {name: expected for name, (_, expected) in CASES.items()}


def test_the_cases_tell_the_two_apart(library_alone: dict[str, str]) -> None:
    # Otherwise the tests below could not see the library take sfnlocal's formatting.
    assert {name for name, expected in SFNLOCAL.items() if library_alone[name] != repr(expected)} == DIFFERENT


def test_sfnlocal_writes_numbers_as_javascript_does() -> None:
    assert _sfnlocal_results() == SFNLOCAL


def test_the_library_after_sfnlocal_gives_what_it_gives_alone(library_alone: dict[str, str]) -> None:
    built_before = {name: Jsonata(text) for name, (text, _) in CASES.items()}
    assert _sfnlocal_results() == SFNLOCAL
    # The library runs an expression on the latest instance built in its thread: sfnlocal builds some too
    # (the machine's expressions may be cached from an earlier test; this one is not).
    assert CompiledQuery("1e20 & ''").evaluate(bindings()) == "100000000000000000000"
    assert _library_results(built_before) == library_alone
    assert _library_results() == library_alone
    assert _sfnlocal_results() == SFNLOCAL


def test_the_library_keeps_its_own_string_function() -> None:
    _sfnlocal_results()
    string = vars(Functions)["string"]
    assert isinstance(string, staticmethod)
    assert (string.__func__.__module__, string.__func__.__qualname__) == ("jsonata.functions", "Functions.string")
    # Its $string took the function when the library loaded: the same object, if nothing replaced it since.
    assert Jsonata.static_frame.lookup("string").method is Functions.string


# Runs sfnlocal between two looks at every attribute of the library's modules and of their classes.
UNCHANGED = """
import sys
from jsonata import Jsonata

def attributes():
    found = {}
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] != "jsonata":
            continue
        for key, value in vars(module).items():
            found[name, key] = value
            if isinstance(value, type) and value.__module__.startswith("jsonata"):
                for member, item in vars(value).items():
                    found[name, key, member] = item
                    if isinstance(item, type):
                        found.update({(name, key, member, inner): v for inner, v in vars(item).items()})
    return found

text = "[1e20 & '', $string(5890840712243076), $clone({'c': 0.1 + 0.2}), {'a': {'c': 0.1 + 0.2}} ~> |a|{}|]"
mine = Jsonata(text)
alone = mine.evaluate(None)
before = attributes()

from sfnlocal import StateMachine
definition = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
definition["States"]["A"]["Output"] = "{% " + text + " %}"
output = StateMachine.from_dict(definition).execute({}).output
assert output == ["100000000000000000000", "5890840712243076", {"c": 0.3}, {"a": {"c": 0.3}}], output

after = attributes()
changed = sorted(str(key) for key in before.keys() | after.keys() if before.get(key, 0) is not after.get(key, 0))
assert not changed, changed
assert Jsonata.CURRENT.jsonata is mine, "the thread's evaluator is no longer the latest expression built"
assert mine.evaluate(None) == Jsonata(text).evaluate(None) == alone != output, alone
"""


def test_sfnlocal_changes_no_attribute_of_the_library() -> None:
    completed = subprocess.run([sys.executable, "-c", UNCHANGED], cwd=REPO, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def test_a_new_thread_leaves_no_evaluator_behind() -> None:
    query = CompiledQuery(
        "$map([1e20, 1], function($v){ $v & '' })"
    )  # $map applies the lambda on the thread's evaluator
    seen: list[Any] = []

    def work() -> None:
        seen.append(query.evaluate(bindings()))
        seen.append(hasattr(Jsonata.CURRENT, "jsonata"))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [["100000000000000000000", "1"], False]


def test_threads_interleaving_each_get_their_own(library_alone: dict[str, str]) -> None:
    machine = _machine()
    problems: list[str] = []
    start = threading.Barrier(3)

    def sfnlocal_runs() -> None:
        start.wait()
        for _ in range(20):
            output = machine.execute(INPUT).output
            if output != SFNLOCAL:
                problems.append(f"sfnlocal gave {output}")

    def library_runs() -> None:
        built = {name: Jsonata(text) for name, (text, _) in CASES.items()}
        start.wait()
        for _ in range(20):
            for results in (_library_results(), _library_results(built)):
                if results != library_alone:
                    problems.append(f"the library gave {results}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=task) for task in (sfnlocal_runs, library_runs, library_runs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not problems, problems[:3]
