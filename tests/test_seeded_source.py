"""SeededSource draws what Random(seed) draws, whatever it kept from earlier executions of the same seed."""

from __future__ import annotations

from random import Random

import pytest

from sfnlocal import StateMachine
from sfnlocal.language.identifiers import KEPT_SEEDS, SeededSource, seeded_uuid4


def _plain(seed: int, uuids: int) -> tuple[list[str], list[float]]:
    generator = Random(seed)
    return [seeded_uuid4(generator) for _ in range(uuids)], [generator.random() for _ in range(3)]


def _sourced(seed: int, uuids: int, read_first: bool = False) -> tuple[list[str], list[float]]:
    source = SeededSource(seed)
    if read_first:  # the generator handed out before any UUID: later UUIDs come from it
        generator = source.random()
        drawn = [source.uuid() for _ in range(uuids)]
        return drawn, [generator.random() for _ in range(3)]
    drawn = [source.uuid() for _ in range(uuids)]
    return drawn, [source.random().random() for _ in range(3)]


@pytest.mark.parametrize("uuids", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("seed", [0, 1, -1, 2**70, 12345])
def test_same_draws_as_random_on_every_use_of_a_seed(seed: int, uuids: int) -> None:
    # First use (nothing kept), second (the state is kept), third (restored from the state, UUIDs from the cache).
    for _ in range(3):
        assert _sourced(seed, uuids) == _plain(seed, uuids)
        assert _sourced(seed, uuids, read_first=True) == _plain(seed, uuids)


def test_interleaved_uses_of_one_seed_and_seeds_past_what_is_kept() -> None:
    sources = [SeededSource(3) for _ in range(3)]
    assert [source.uuid() for source in sources] == [seeded_uuid4(Random(3))] * 3
    assert [source.uuid() for source in sources[1:]] == [_plain(3, 2)[0][1]] * 2
    assert sources[0].random().getrandbits(64) == _advanced(3, 1).getrandbits(64)
    assert sources[1].random().getrandbits(64) == _advanced(3, 2).getrandbits(64)
    for seed in range(KEPT_SEEDS * 3):
        assert _sourced(seed % (KEPT_SEEDS + 3), 2) == _plain(seed % (KEPT_SEEDS + 3), 2)


def _advanced(seed: int, uuids: int) -> Random:
    generator = Random(seed)
    for _ in range(uuids):
        generator.getrandbits(128)
    return generator


def test_a_seed_that_is_not_a_whole_number_is_seeded_as_random_seeds_it() -> None:
    for seed in (True, 1.5, -1.0, "text"):
        source = SeededSource(seed)  # type: ignore[arg-type]
        generator = Random(seed)  # type: ignore[arg-type]
        assert source.uuid() == seeded_uuid4(generator)
        assert source.random().random() == generator.random()


@pytest.mark.parametrize("machine_type", ["STANDARD", "EXPRESS"])
def test_executions_of_one_seed_draw_the_same_names_arns_and_tokens(machine_type: str) -> None:
    definition = {
        "StartAt": "U",
        "States": {
            "U": {
                "Type": "Pass",
                "Parameters": {"id.$": "States.UUID()", "n.$": "States.MathRandom(1, 999999)"},
                "End": True,
            }
        },
    }
    machine = StateMachine.from_dict(definition, type=machine_type)
    runs = [machine.execute({}, seed=seed) for seed in (5, 5, 5, 6, 5)]
    described = [(run.name, run.execution_arn, run.output) for run in runs]
    assert described[0] == described[1] == described[2] == described[4] != described[3]
    generator = Random(5)
    name = seeded_uuid4(generator)
    assert runs[0].name == name
    if machine_type == "EXPRESS":
        assert runs[0].execution_arn.endswith(f":{name}:{seeded_uuid4(generator)}")
    assert runs[0].output["id"] == seeded_uuid4(generator)
    named = [machine.execute({}, seed=5, execution_name="given") for _ in range(2)]
    assert named[0].output == named[1].output != runs[0].output


class _Drawn(Random):
    """A source whose 128-bit draws are the bits given."""

    def __init__(self, bits: int) -> None:
        super().__init__(0)
        self.bits = bits

    def getrandbits(self, k: int) -> int:
        assert k == 128
        return self.bits


def test_seeded_uuid4_is_the_uuid_module_s_version_4_uuid_of_the_bits_drawn() -> None:
    import uuid

    generator = Random(42)
    for bits in [0, (1 << 128) - 1, *(generator.getrandbits(128) for _ in range(5_000))]:
        assert seeded_uuid4(_Drawn(bits)) == str(uuid.UUID(int=bits, version=4))
