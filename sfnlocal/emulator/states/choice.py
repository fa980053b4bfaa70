"""The Choice state: the first matching rule picks the next state, else ``Default``."""

from __future__ import annotations

from typing import Any

from sfnlocal.emulator.choice_rules import compile_rule
from sfnlocal.emulator.errors import NO_CHOICE_MATCHED, StatesError
from sfnlocal.emulator.states.base import State, StateRun, Visit
from sfnlocal.emulator.variables import compile_assign

# AWS fails the execution with this exact cause when no rule matches and there is no Default
# (the docs name only the error).
NO_MATCH_CAUSE = "No Matches!"


class ChoiceState(State):
    """``Choices`` (rules compiled once), ``Default``; InputPath/OutputPath apply around them."""

    type_name = "Choice"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Any) -> None:
        super().__init__(name, spec, location, parent)
        self.rules = tuple(compile_rule(rule, f"{location}/Choices/{i}")
                           for i, rule in enumerate(spec.get("Choices", ())))
        # A matched rule's own Assign replaces the state's, which applies only when Default is taken.
        self.rule_assigns = tuple(compile_assign(rule.get("Assign"), f"{location}/Choices/{i}/Assign")
                                  for i, rule in enumerate(spec.get("Choices", ())))
        self.default: str | None = spec.get("Default")

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        selected = self.effective_input(visit, state_input)
        scope = visit.scope(selected)
        next_state = self.default
        for rule, assign in zip(self.rules, self.rule_assigns):
            if rule.evaluate(scope):
                next_state = rule.next
                visit.assign = assign
                break
        if next_state is None:
            raise StatesError(NO_CHOICE_MATCHED, NO_MATCH_CAUSE)
        if self.output_path.is_identity:
            return selected, next_state
        return self.output_path.apply(visit.scope(selected)), next_state
        yield  # a generator like every state's run
