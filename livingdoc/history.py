"""The spec's history: each run's result per rule and brand, one JSON line per run in a small file
(`build/spec-history.jsonl`), the last `KEEP` runs kept. The page shows each rule's recent trend and since when its
status has been what it is."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from livingdoc.html import brand_name, css_class, e
from livingdoc.model import Feature, Rule, Status
from livingdoc.run import RunInfo

KEEP = 30
SHOWN = 10


@dataclass
class HistoryRun:
    """One run: when, which commit, and each rule's status per brand (`feature path::rule name` -> brand -> status)."""

    started: str
    commit: str
    rules: dict[str, dict[str, str]] = field(default_factory=dict)


def rule_key(feature: Feature, rule: Rule) -> str:
    return f"{feature.path}::{rule.name}"


def read_history(path: Path) -> list[HistoryRun]:
    """The runs in the file, oldest first; lines that are not a run are skipped."""
    if not path.exists():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            runs.append(HistoryRun(started=str(data["started"]), commit=str(data.get("commit", "")),
                                   rules={str(k): {str(b): str(s) for b, s in v.items()}
                                          for k, v in data["rules"].items()}))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return runs


def record(path: Path, features: list[Feature], brands: list[str], run: RunInfo | None) -> list[HistoryRun]:
    """Add this run to the file (in place of the last one if it is the same run rendered again); the runs kept."""
    runs = read_history(path)
    current = HistoryRun(
        started=run.started if run else "", commit=run.commit if run else "",
        rules={rule_key(f, r): {b: r.brand_status(b).value for b in brands} for f in features for r in f.rules},
    )
    if runs and current.started and runs[-1].started == current.started:
        runs[-1] = current
    else:
        runs.append(current)
    runs = runs[-KEEP:]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(asdict(r), sort_keys=True) + "\n" for r in runs), encoding="utf-8")
    return runs


def _label(run: HistoryRun) -> str:
    return f"{run.started.replace('T', ' ')[:16] or 'unknown date'} (commit {run.commit or 'unknown'})"


def trend(runs: list[HistoryRun], key: str, brands: list[str]) -> str:
    """A rule's last runs for each brand, oldest first, and since when its results have been what they are."""
    seen = [r for r in runs if key in r.rules]
    if not seen:
        return ""
    rows = []
    for brand in brands:
        marks = "".join(
            f'<span class="tick {css_class(Status(r.rules[key].get(brand, Status.NOT_RUN.value)))}" '
            f'title="{e(_label(r))}: {e(r.rules[key].get(brand, Status.NOT_RUN.value))}"></span>'
            for r in seen[-SHOWN:]
        )
        rows.append(f'<span class="trend-brand" data-brand="{e(brand)}">{e(brand_name(brand))} {marks}</span>')
    latest = seen[-1].rules[key]
    since = seen[-1]
    for r in reversed(seen):
        if r.rules[key] != latest:
            break
        since = r
    changed = (f"unchanged in all {len(seen)} runs recorded" if since is seen[0]
               else f"results as now since {_label(since)}")
    return (f'<div class="trend"><span class="muted">Last {min(len(seen), SHOWN)} runs:</span> {"".join(rows)} '
            f'<span class="muted since">{e(changed)}</span></div>')
