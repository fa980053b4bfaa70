"""States.Hash: digests as recorded on AWS."""

from __future__ import annotations

import pytest

from .support import failure, run


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc502837"
            "31a533d30d425402d4f91316d871303aac4",
        ),
    ],
)
def test_hash_as_recorded(algorithm: str, digest: str) -> None:
    data = {"FunctionInput": {"fst": "input data", "snd": algorithm}}
    assert run("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)", data) == digest


def test_sha256_with_a_literal_algorithm_as_recorded() -> None:
    digest = "1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"
    assert run("States.Hash($.inputString, 'SHA-256')", {"inputString": "Hash this string"}) == digest


def test_sha384_gives_96_hex_digits() -> None:
    assert len(run("States.Hash('input data', 'SHA-384')")) == 96


@pytest.mark.parametrize("algorithm", ["sha-256", "SHA256", "SHA-3", "", 256, None])
def test_unknown_algorithm_fails(algorithm: object) -> None:
    detail = failure("States.Hash('x', $.a)", {"a": algorithm})
    assert detail.startswith("States.Hash: argument 2 must be ")


def test_data_of_at_most_10000_characters() -> None:
    assert len(run("States.Hash($.s, 'MD5')", {"s": "x" * 10_000})) == 32
    assert "at most 10000 characters" in failure("States.Hash($.s, 'MD5')", {"s": "x" * 10_001})


def test_data_must_be_a_string() -> None:
    assert "argument 1 must be a string" in failure("States.Hash($.s, 'MD5')", {"s": {"a": 1}})
