"""JSONPath ``=~`` patterns are matched by RE2: no text can make a match take exponential time."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sfnlocal


def _filtering(pattern: str) -> sfnlocal.StateMachine:
    return sfnlocal.StateMachine.from_dict(
        {
            "StartAt": "Filter",
            "States": {"Filter": {"Type": "Pass", "Parameters": {"m.$": f"$.items[?(@ =~ {pattern})]"}, "End": True}},
        }
    )


def test_a_catastrophic_pattern_matches_in_linear_time() -> None:
    # On a backtracking engine (Java's, Python's) forty 'a' and a '!' take minutes against this pattern.
    machine = _filtering("/^(a|aa)+$/")
    started = time.perf_counter()
    run = machine.execute({"items": ["a" * 40 + "!", "a" * 4000 + "!", "aaaa"]})
    assert time.perf_counter() - started < 5
    assert run.output == {"m": ["aaaa"]}


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"/(a)\1/", "no lookaround or backreferences"),
        ("/b(?=a)/", "no lookaround or backreferences"),
        ("/(?<!a)b/", "no lookaround or backreferences"),
        ("/a/x", "no x (comments) flag"),
    ],
)
def test_patterns_re2_cannot_match_are_refused_at_load(pattern: str, reason: str) -> None:
    with pytest.raises(sfnlocal.DefinitionError) as caught:
        _filtering(pattern)
    assert f"sfnlocal matches =~ patterns with RE2, which has {reason}" in str(caught.value)
    assert "/States/Filter/Parameters/m.$" in str(caught.value)


def test_a_malformed_pattern_is_still_jayways_parse_failure() -> None:
    with pytest.raises(sfnlocal.DefinitionError, match="Failed to parse filter"):
        _filtering("/[/")


def test_flags_apply_as_java_reads_them() -> None:
    run = _filtering("/a.b/is").execute({"items": ["A\nB", "ab", "axb"]})
    assert run.output == {"m": ["A\nB", "axb"]}
    run = _filtering("/a.b/").execute({"items": ["A\nB", "a\nb", "axb"]})
    assert run.output == {"m": ["axb"]}


def test_text_with_a_lone_surrogate_is_matched_not_refused() -> None:
    # Reachable through an intrinsic that unescapes; a pattern of any characters still matches it.
    machine = sfnlocal.StateMachine.from_dict(
        {
            "StartAt": "Filter",
            "States": {
                "Filter": {
                    "Type": "Pass",
                    "Parameters": {"items.$": "States.Array(States.StringToJson('\"\\\\ud800x\"'), 'y')"},
                    "ResultPath": "$.made",
                    "Next": "Match",
                },
                "Match": {"Type": "Pass", "Parameters": {"m.$": "$.made.items[?(@ =~ /.x/)]"}, "End": True},
            },
        }
    )
    run = machine.execute({})
    assert run.status == "SUCCEEDED", run.cause
    assert len(run.output["m"]) == 1


# Patterns read alike by Java, Python's re and RE2 (no lookaround, no backreference, ASCII).
PATTERNS = ["a*", "(a|b)+!", "[ab]{2,3}", "a?b?!?", "(a|aa)+", "[^a]*", "(ab|a)*b", ".*!", "\\w+"]


@given(st.sampled_from(PATTERNS), st.lists(st.text(alphabet="ab!", max_size=8), max_size=5))
def test_matches_agree_with_a_backtracking_engine_where_both_read_the_pattern(pattern: str, items: list[str]) -> None:
    run = _filtering(f"/{pattern}/").execute({"items": items})
    assert run.output == {"m": [item for item in items if re.fullmatch(pattern, item)]}
