"""How far a run has got: the engine tells a callback, phase by phase; what shows it (a progress bar, log lines) is
the caller's choice (`syncer run` renders it on the terminal).

    def show(step: Step) -> None:
        print(step.phase, step.done, step.total)

    sync(app, rp, progress=show)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One report of progress: in `phase` ("Vendors from QuickBooks"), `done` objects of `total` (None while not
    known); `finished` once the phase is over."""

    phase: str
    done: int
    total: int | None = None
    finished: bool = False


Progress = Callable[[Step], None]


def silent(step: Step) -> None:
    """The progress callback of a run nobody watches."""
