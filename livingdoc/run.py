"""What a run of the spec was: when it ran, for how long, on which commit, for which brands.

The spec's pytest plugin (`steps.options`) writes it beside the cucumber JSON report (`build/cucumber.json` ->
`build/cucumber.run.json`); the page names it in its header.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class RunInfo:
    """One run of the spec."""

    started: str = ""  # ISO 8601, UTC
    duration_s: float | None = None
    commit: str = ""
    brands: list[str] = field(default_factory=list)  # brand keys, in the order they ran
    transports: list[str] = field(default_factory=list)

    @property
    def started_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.started)
        except ValueError:
            return None

    def when(self) -> str:
        """The start as a person reads it: `Dec 6, 2026 01:40 UTC`."""
        at = self.started_at
        return f"{at.strftime('%b')} {at.day}, {at.strftime('%Y %H:%M')} UTC" if at else "unknown"

    def duration(self) -> str:
        if self.duration_s is None:
            return "unknown"
        minutes, seconds = divmod(self.duration_s, 60)
        return f"{int(minutes)} min {seconds:.0f} s" if minutes else f"{seconds:.1f} s"


def run_path(results: Path) -> Path:
    """Where the run of a cucumber JSON report is kept: beside it, `.run.json` for `.json`."""
    return results.with_suffix(".run.json")


def read_run(path: Path) -> RunInfo:
    data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a run of the spec (expected an object)")
    known = {k: v for k, v in data.items() if k in RunInfo.__dataclass_fields__}
    return RunInfo(**known)


def write_run(path: Path, run: RunInfo) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(asdict(run), indent=2) + "\n", encoding="utf-8")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_commit(folder: Path) -> str:
    """The checkout's commit, short, with "+ local changes" when files differ from it; "" outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=folder,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + (" + local changes" if dirty else "")
