"""Every recorded history in scenarios/replays/ (each once broke an invariant) now keeps every invariant."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import cli

REPLAYS = sorted(cli.REPLAYS.glob("*.json"))


def test_there_are_replays() -> None:
    assert len(REPLAYS) >= 6


@pytest.mark.parametrize("path", REPLAYS, ids=[p.stem for p in REPLAYS])
def test_a_recorded_history_keeps_every_invariant(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["replay", str(path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "every invariant held" in out
