"""Properties of what the command line and the plugin print: one paragraph per message, capped lists that
say how much they left out, counted nouns, shortened paths that keep their ends."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.cli.support import paragraph
from sfnlocal.testing.assertions import _short_path
from sfnlocal.testing.wording import counted, first_lines

names = st.text(st.characters(blacklist_characters="→\n", blacklist_categories=("Cs",)), min_size=1, max_size=8)


@given(st.text(max_size=5_000))
def test_a_message_is_one_bounded_paragraph(text: str) -> None:
    shown = paragraph(text)
    assert "\n\n" not in shown and len(shown) <= 2_000
    assert shown == shown.strip()
    # Nothing but blank lines and trailing spaces is dropped from a message that fits.
    if len(shown) < 2_000:
        assert shown.split() == text.split()


@given(st.lists(st.text(max_size=5), max_size=60), st.integers(1, 30))
def test_first_lines_keeps_the_first_and_counts_the_rest(lines: list[str], limit: int) -> None:
    shown = first_lines(lines, limit)
    if len(lines) <= limit:
        assert shown == lines
    else:
        assert shown[:limit] == lines[:limit] and len(shown) == limit + 1
        more = re.search(r"… ([\d,]+) more line", shown[-1])
        assert more is not None and int(more.group(1).replace(",", "")) == len(lines) - limit


@given(st.integers(0, 10**7), st.sampled_from(["outcome", "state", "test case"]))
def test_counted_nouns_agree(count: int, noun: str) -> None:
    text = counted(count, noun)
    number, word = text.split(" ", 1)
    assert int(number.replace(",", "")) == count
    assert word == (noun if count == 1 else noun + "s")


@given(st.lists(names, max_size=200))
def test_a_short_path_keeps_its_ends_and_says_how_many_it_left_out(path: list[str]) -> None:
    shown = _short_path(path).split(" → ")
    if len(path) <= 12:
        assert shown == (path or ["(no state entered)"])
    else:
        assert shown[:2] == path[:2] and shown[3:] == path[-10:]
        assert shown[2] == f"… {len(path) - 12:,} more …"
