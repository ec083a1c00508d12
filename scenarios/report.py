"""The JSON report of a run of one or more seeds, and the command that reproduces a failure."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from scenarios.profile import Scenario
from scenarios.runner import RunResult


def options(ci: bool, scale: float | None, days: int | None, transport: str, strict: bool) -> list[str]:
    """The command-line options that give the same run."""
    args = ["--ci"] if ci else []
    if scale is not None:
        args += ["--scale", f"{scale:g}"]
    if days is not None:
        args += ["--days", str(days)]
    if transport != "inprocess":
        args += ["--transport", transport]
    if strict:
        args.append("--strict")
    return args


def rerun_command(scenario: Scenario, seed: int, extra: list[str]) -> str:
    return shlex.join(["python", "-m", "scenarios", "run", _name(scenario), "--seed", str(seed), *extra])


def _name(scenario: Scenario) -> str:
    from scenarios.profile import HERE

    return scenario.name if scenario.path.parent == HERE and scenario.path.stem == scenario.name \
        else str(scenario.path)


def seed_json(result: RunResult) -> dict[str, Any]:
    return {
        "seed": result.seed, "passed": result.passed,
        "violations": [v.to_json() for v in result.violations],
        "syncs": len(result.syncs), "clean_syncs": sum(s.clean for s in result.syncs),
        "requests": result.requests, "faults_fired": result.faults_fired, "duration": round(result.duration, 3),
        "actions": len(result.actions), "skipped_actions": len(result.skipped), "crash": result.crash,
        "per_sync": [s.to_json() for s in result.syncs],
    }


def report_json(scenario: Scenario, results: list[RunResult], extra: list[str], wall: float) -> dict[str, Any]:
    return {
        "scenario": scenario.name, "description": scenario.description, "days": scenario.days,
        "brand": scenario.company.brand, "two_way_bill_sync": scenario.company.two_way_bill_sync,
        "transport": results[0].transport if results else "inprocess", "options": extra,
        "passed": all(r.passed for r in results), "seeds_run": len(results),
        "seeds_failed": [r.seed for r in results if not r.passed], "wall_seconds": round(wall, 3),
        "seeds": [seed_json(r) for r in results],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
