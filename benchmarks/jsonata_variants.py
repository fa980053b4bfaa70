"""JSONata twins of the JSONPath bench workflows, to time sfnlocal's JSONata engine on the same work.

The translation covers what the bench workflows use: Parameters templates whose ``.$`` values are
paths into the input or ``States.MathAdd``, ``ItemsPath``, and Choice rules comparing two input paths
with a ``Numeric...Path`` operator. A workflow using anything else has no twin (None).
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from benchmarks.workloads import Workload

_INPUT_PATH = re.compile(r"\$((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\Z")
_MATH_ADD = re.compile(r"States\.MathAdd\((?P<a>[^,()]+),\s*(?P<b>[^,()]+)\)\Z")
_COMPARISONS = {
    "NumericLessThanPath": "<",
    "NumericGreaterThanPath": ">",
    "NumericEqualsPath": "=",
    "NumericLessThanEqualsPath": "<=",
    "NumericGreaterThanEqualsPath": ">=",
}


class Untranslatable(ValueError):
    """A construct the translation does not cover."""


def _operand(text: str) -> str:
    text = text.strip()
    path = _INPUT_PATH.match(text)
    if path:
        return "$states.input" + path.group(1)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    raise Untranslatable(text)


def _expression(text: str) -> str:
    add = _MATH_ADD.match(text)
    if add:
        return f"({_operand(add.group('a'))} + {_operand(add.group('b'))})"
    return _operand(text)


def _template(template: Any) -> Any:
    if isinstance(template, dict):
        return {
            key[:-2] if key.endswith(".$") else key: f"{{% {_expression(value)} %}}"
            if key.endswith(".$")
            else _template(value)
            for key, value in template.items()
        }
    if isinstance(template, list):
        return [_template(item) for item in template]
    return template


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    operators = [key for key in rule if key in _COMPARISONS]
    if set(rule) - {"Variable", "Next", *operators} or len(operators) != 1:
        raise Untranslatable(str(rule))
    operator = operators[0]
    condition = f"{_operand(rule['Variable'])} {_COMPARISONS[operator]} {_operand(rule[operator])}"
    return {"Condition": f"{{% {condition} %}}", "Next": rule["Next"]}


def _branch(branch: dict[str, Any]) -> None:
    for state in branch["States"].values():
        if "Parameters" in state:
            state["Output"] = _template(state.pop("Parameters"))
        if "ItemsPath" in state:
            state["Items"] = f"{{% {_operand(state.pop('ItemsPath'))} %}}"
        if "Choices" in state:
            state["Choices"] = [_rule(rule) for rule in state["Choices"]]
        for key in ("ResultPath", "InputPath", "OutputPath", "ResultSelector"):
            if key in state:
                raise Untranslatable(key)
        for sub in ("ItemProcessor", "Iterator"):
            if sub in state:
                _branch(state[sub])


def jsonata_variant(workload: Workload) -> Workload | None:
    """The same workflow written in JSONata, expecting the same result; None when it cannot be translated.

    >>> twin = jsonata_variant(Workload("w", "", {"StartAt": "P", "States": {"P": {"Type": "Pass",
    ...     "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "End": True}}}, {"i": 1}, "SUCCEEDED", {"i": 2}, 1))
    >>> twin.name, twin.definition["States"]["P"]["Output"]
    ('w [JSONata]', {'i': '{% ($states.input.i + 1) %}'})
    """
    definition = copy.deepcopy(workload.definition)
    try:
        _branch(definition)
    except Untranslatable:
        return None
    definition["QueryLanguage"] = "JSONata"
    return replace(workload, name=f"{workload.name} [JSONata]", definition=definition)
