"""The Choice state: the first matching rule picks the next state, else ``Default``.

JSONPath rules compare ``Variable`` with an operator (:mod:`sfnlocal.language.choice_rules`); JSONata
rules have a ``Condition`` expression. A matched rule's own Assign (and, in JSONata, Output) replaces
the state's, which apply only when Default is taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.states.base import State, Visit
from sfnlocal.language.choice_rules import compile_rule
from sfnlocal.language.errors import RUNTIME, RuntimeFailure
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.variables import compile_assign

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch

# AWS fails a Choice state that matches no rule and has no Default with States.Runtime, not the
# States.NoChoiceMatched the spec and the docs' error table name, and this cause. Sources: the AWS Developer
# Guide's Choice state page ("the state machine will throw an error due to a failure to transition out of the
# state"); the wording as other emulators quote AWS: floci's executor ("AWS wording, verified against
# us-east-1"), aws-local-stepfunctions, and a public conformance suite ("AWS snapshots report a runtime
# transition failure when nothing matches and no Default is configured").
NO_TRANSITION_CAUSE = "Failed to transition out of the state. The state does not point to a next state."


class _Rule:
    """One top-level Choice rule: how to test it, where it goes, and what it assigns or outputs."""

    __slots__ = ("matches", "next", "assign", "output")

    def __init__(self, matches: Any, next_state: str, assign: Field | None, output: Field | None) -> None:
        self.matches = matches
        self.next = next_state
        self.assign = assign
        self.output = output


class ChoiceState(State):
    """``Choices``, ``Default``; InputPath/OutputPath (JSONPath) or Output (JSONata) around them."""

    type_name = "Choice"
    immediate = True

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.rules = tuple(
            self._rule(rule, f"{location}/Choices/{i}", i) for i, rule in enumerate(spec.get("Choices", ()))
        )
        self.default: str | None = spec.get("Default")

    def _rule(self, rule: dict[str, Any], location: str, index: int) -> _Rule:
        assign = compile_assign(rule.get("Assign"), f"{location}/Assign", self.jsonata)
        if not self.jsonata:
            compiled = compile_rule(rule, location)
            assert compiled.next is not None  # the structural check gives every top-level rule a Next
            return _Rule(lambda visit, selected: compiled.evaluate(visit.scope(selected)), compiled.next, assign, None)
        condition = compile_field(rule.get("Condition"), f"Choices[{index}]/Condition", f"{location}/Condition", True)
        output = (
            compile_field(rule["Output"], f"Choices[{index}]/Output", f"{location}/Output", True)
            if "Output" in rule
            else None
        )

        def matches(visit: Visit, selected: Any) -> bool:
            value = condition.evaluate(visit, selected)
            if not isinstance(value, bool):
                if condition.expression is None:  # a constant Condition that is not a boolean
                    # No AWS text was found for this cause (LocalStack's grammar refuses such a Condition
                    # unrecorded); like every QueryEvaluationError AWS records, it gets an EvaluationFailed event.
                    raise QueryEvaluationFailure(
                        condition.name,
                        f"The field '{condition.name}' must be a boolean or a JSONata expression giving one",
                    )
                raise condition.expression.unexpected_type("boolean", value)
            return value

        return _Rule(matches, rule["Next"], assign, output)

    def run_now(self, visit: Visit, state_input: Any) -> tuple[Any, str | None]:
        selected = self.effective_input(visit, state_input)
        execution = visit.frame.execution
        for index, rule in enumerate(self.rules):
            if rule.matches(visit, selected):
                execution.observe("choice", self, index)
                visit.assign = rule.assign
                if rule.output is not None:
                    visit.assign_input = visit.result = selected
                    return rule.output.evaluate(visit, None), rule.next
                if self.jsonata:  # a matched rule without Output passes the input on, not the state's Output
                    return selected, rule.next
                return self.finish(visit, state_input, selected), rule.next
        if self.default is None:
            raise RuntimeFailure(RUNTIME, NO_TRANSITION_CAUSE)
        execution.observe("choice", self, "Default")
        return self.finish(visit, state_input, selected), self.default
