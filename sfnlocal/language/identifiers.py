"""Identifiers: the names AWS accepts for state machines, executions and labels, and identifiers drawn from an
execution's seeded random source, so that runs are reproducible.

Execution names, task tokens, request ids, Map Run ids, ``States.UUID()`` and JSONata's ``$uuid()`` all
come from here: the same seed gives the same identifiers in the same order.
"""

from __future__ import annotations

from functools import lru_cache
from random import Random
from typing import Any

# AWS's rules for the name of a state machine (CreateStateMachine's API reference, and the quotas page for
# state machines, executions and activities): 1 to 80 characters, none of them white space, a bracket
# < > { } [ ], a wildcard ? *, one of " # % \ ^ | ~ ` $ & , ; : /, a control character (U+0000-001F,
# U+007F-009F, U+FFFE-FFFF), a surrogate (U+D800-DFFF) or U+10FFFF.
MAX_NAME_LENGTH = 80
_REFUSED_CHARACTERS = frozenset('<>{}[]?*"#%\\^|~`$&,;:/')
# AWS's diagnostic codes for a state machine's name (ValidateStateMachineDefinitionDiagnostic).
STATE_MACHINE_NAME_EMPTY = "STATE_MACHINE_NAME_EMPTY"
STATE_MACHINE_NAME_INVALID = "STATE_MACHINE_NAME_INVALID"
STATE_MACHINE_NAME_TOO_LONG = "STATE_MACHINE_NAME_TOO_LONG"


def refused_name_character(name: str) -> str | None:
    """The first character of ``name`` that AWS refuses in a name, or None.

    >>> refused_name_character("Orders-2024_v1"), refused_name_character("Order flow"), refused_name_character("a\\x85")
    (None, ' ', '\\x85')
    """
    for char in name:
        code = ord(char)
        if (
            char in _REFUSED_CHARACTERS
            or char.isspace()
            or code < 0x20
            or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF
            or code in (0xFFFE, 0xFFFF, 0x10FFFF)
        ):
            return char
    return None


def name_problem(name: object, what: str = "state machine") -> tuple[str, str] | None:
    """AWS's diagnostic code and a message for a state machine (or execution) name it refuses, or None.

    >>> name_problem("Orders") is None
    True
    >>> name_problem("Order flow")
    ('STATE_MACHINE_NAME_INVALID', "The state machine name 'Order flow' contains ' ', which AWS refuses in a \
name; use letters, digits, '-' and '_'")
    >>> name_problem("")[0], name_problem("x" * 81)[0]
    ('STATE_MACHINE_NAME_EMPTY', 'STATE_MACHINE_NAME_TOO_LONG')
    """
    if not isinstance(name, str):
        return STATE_MACHINE_NAME_INVALID, f"The {what} name must be a string, not {type(name).__name__}"
    if not name:
        return STATE_MACHINE_NAME_EMPTY, f"The {what} name cannot be empty; give it 1 to {MAX_NAME_LENGTH} characters"
    if len(name) > MAX_NAME_LENGTH:
        return (
            STATE_MACHINE_NAME_TOO_LONG,
            f"The {what} name is {len(name)} characters long; AWS allows at most {MAX_NAME_LENGTH}",
        )
    refused = refused_name_character(name)
    if refused is not None:
        shown = repr(refused) if refused.isprintable() else f"U+{ord(refused):04X}"
        return (
            STATE_MACHINE_NAME_INVALID,
            f"The {what} name {name!r} contains {shown}, which AWS refuses in a name; use letters, digits, '-' and '_'",
        )
    return None


def name_from(text: str, default: str = "StateMachine") -> str:
    """A name AWS accepts made from ``text`` (a file name, a logical id): each refused character becomes
    ``_``, and the name is cut to 80 characters; ``default`` when nothing is left.

    >>> name_from("order flow [v2]"), name_from("")
    ('order_flow__v2_', 'StateMachine')
    """
    name = "".join("_" if refused_name_character(char) else char for char in text)[:MAX_NAME_LENGTH]
    return name or default


def seeded_uuid4(rng: Random | LazyRandom) -> str:
    """A version 4 (RFC 4122 variant) UUID as 36 lowercase characters, drawn from ``rng``.

    >>> import uuid
    >>> value = seeded_uuid4(Random(0))
    >>> len(value), value[14], value == seeded_uuid4(Random(0))
    (36, '4', True)
    >>> value == str(uuid.UUID(int=Random(0).getrandbits(128), version=4))
    True
    """
    if type(rng) is LazyRandom:  # its source draws the same UUID, from what it keeps of the seed when it can
        return rng.uuid()
    # RFC 4122, as uuid.UUID(int=..., version=4) sets them: the version (4) in bits 76-79, the variant (10) in bits
    # 62-63; written out directly, which costs half as much as building the UUID object.
    bits = (rng.getrandbits(128) & _UUID4_KEPT) | _UUID4_SET
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_UUID4_KEPT = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


# How many whole-number seeds :class:`SeededSource` keeps what it learnt about (the last ones used), and how many of
# the first UUIDs it keeps for each: an execution draws its name, and an Express execution its ARN's id, first; then
# its tasks draw their tokens and Lambda request ids.
KEPT_SEEDS = 16
KEPT_UUIDS = 8


class _Opening:
    """What ``Random(seed)`` starts with for one seed: the first UUIDs it draws, its seeded state (kept once the
    seed is seeded a second time, so that a seed used once costs no copy of the state), and how often it was."""

    __slots__ = ("uuids", "state", "seeded")

    def __init__(self) -> None:
        self.uuids: tuple[str, ...] = ()
        self.state: tuple[object, ...] | None = None
        self.seeded = 0


@lru_cache(maxsize=KEPT_SEEDS)
def _opening(seed: int) -> _Opening:
    return _Opening()


class SeededSource:
    """An execution's random source: ``Random(seed)``, made only when something draws from it besides its first
    UUIDs (:meth:`uuid`), which are kept per whole-number seed, like its seeded state; so an execution that draws
    only its name seeds no generator, and one that draws more restores the kept state instead of seeding one
    again (seeding the Mersenne Twister costs more). The draws are the same either way.

    >>> source, again = SeededSource(7), Random(7)
    >>> source.uuid() == seeded_uuid4(again), source.random().random() == again.random()
    (True, True)
    >>> source = SeededSource(7)
    >>> source.uuid() == seeded_uuid4(Random(7)), source.random() is source.random()
    (True, True)
    """

    __slots__ = ("_seed", "_opening", "_random", "_at", "_drawn")

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._random: Random | None = None
        self._at = 0  # UUIDs drawn from _random (while it is not handed out)
        self._drawn = 0  # UUIDs drawn from the source (while _random is not handed out)
        self._opening: _Opening | None = None
        if type(seed) is int:  # not a bool, nor a number equal to another (Random(-1) and Random(-1.0) differ)
            self._opening = _opening(seed)
        else:
            self._random = Random(seed)

    def uuid(self) -> str:
        """The next UUID (see :func:`seeded_uuid4`)."""
        opening = self._opening
        if opening is None:
            return seeded_uuid4(self.random())
        drawn, kept = self._drawn, opening.uuids
        self._drawn = drawn + 1
        if drawn < len(kept):
            return kept[drawn]
        if self._random is None:
            self._random = self._seeded()
        generator = self._random
        for _ in range(drawn - self._at):  # the UUIDs read from what was kept
            generator.getrandbits(128)
        value = seeded_uuid4(generator)
        self._at = drawn + 1
        if len(kept) == drawn and drawn < KEPT_UUIDS:
            opening.uuids = (*kept, value)  # the same for every execution of this seed, whichever thread kept it
        return value

    def random(self) -> Random:
        """The generator itself, where the UUIDs drawn so far left it (the same one each time)."""
        if self._opening is not None:  # handed out from now on: later UUIDs are drawn from it
            generator = self._random if self._random is not None else self._seeded()
            for _ in range(self._drawn - self._at):
                generator.getrandbits(128)
            self._random, self._opening = generator, None
        assert self._random is not None
        return self._random

    def _seeded(self) -> Random:
        """A generator as ``Random(seed)`` starts."""
        opening = self._opening
        assert opening is not None
        if opening.state is not None:
            generator = Random.__new__(Random)
            generator.setstate(opening.state)
            return generator
        generator = Random(self._seed)
        opening.seeded += 1
        if opening.seeded > 1:
            opening.state = generator.getstate()
        return generator


class LazyRandom:
    """An execution's generator as the places that may draw from it hold it: each attribute is the generator's own
    (``source.random()``), made on first use. Restoring or seeding a Mersenne Twister costs more than running a small
    execution, and most executions never draw anything but their first UUIDs, which :class:`SeededSource` keeps.

    >>> rng = LazyRandom(SeededSource(7))
    >>> rng.random() == Random(7).random(), seeded_uuid4(LazyRandom(SeededSource(7))) == seeded_uuid4(Random(7))
    (True, True)
    """

    __slots__ = ("_source",)

    def __init__(self, source: SeededSource) -> None:
        self._source = source

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source.random(), name)

    def uuid(self) -> str:
        """The next UUID, as :func:`seeded_uuid4` draws it from the generator."""
        return self._source.uuid()
