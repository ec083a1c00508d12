"""A failure cut down to the fewest actions that still break the invariant (delta debugging over the recorded
history), and replay files: the scenario, the seed, the options and the actions, as JSON.

    python -m scenarios replay scenarios/replays/NAME.json

Replaying a subset performs the kept actions in their order and at their times; one whose object no longer exists is
skipped. The company is the seed's, so names and numbers the actions use are there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scenarios import profile
from scenarios.activity import Action
from scenarios.profile import Scenario, ScenarioError
from scenarios.runner import RunResult, run


def breaks(scenario: Scenario, seed: int, transport: str, invariant: str, strict: bool
           ) -> Callable[[list[Action]], bool]:
    def test(actions: list[Action]) -> bool:
        result = run(scenario, seed, transport, history=actions, stop_on=invariant, strict=strict)
        return any(v.invariant == invariant for v in result.violations)
    return test


def ddmin(actions: list[Action], fails: Callable[[list[Action]], bool],
          progress: Callable[[int], None] | None = None) -> list[Action]:
    """Zeller's delta debugging: a 1-minimal sub-list of `actions` for which `fails` holds (each sub-list tried
    once)."""
    tried: dict[tuple[int, ...], bool] = {}
    position = {id(a): i for i, a in enumerate(actions)}

    def once(subset: list[Action]) -> bool:
        key = tuple(position[id(a)] for a in subset)
        if key not in tried:
            tried[key] = test(subset)
        return tried[key]

    test, fails = fails, once
    current, n = list(actions), 2
    while len(current) >= 2:
        size = len(current) // n
        chunks = [current[i:i + size] for i in range(0, len(current), size)] if size else [[a] for a in current]
        reduced = False
        for i, chunk in enumerate(chunks):
            if fails(chunk):
                current, n, reduced = chunk, 2, True
                break
            complement = [a for j, c in enumerate(chunks) if j != i for a in c]
            if len(chunks) > 2 and fails(complement):
                current, n, reduced = complement, max(n - 1, 2), True
                break
        if progress is not None:
            progress(len(current))
        if not reduced:
            if n >= len(current):
                break
            n = min(n * 2, len(current))
    return current


def shrink(scenario: Scenario, result: RunResult, strict: bool,
           progress: Callable[[int], None] | None = None) -> list[Action]:
    invariant = result.violations[0].invariant
    return ddmin(result.actions, breaks(scenario, result.seed, result.transport, invariant, strict), progress)


# -- replay files ---------------------------------------------------------------------------------------------------

def write_replay(path: Path, scenario: Scenario, result: RunResult, actions: list[Action], extra: list[str],
                 note: str = "") -> None:
    violation = result.violations[0]
    data: dict[str, Any] = {
        "scenario": scenario.name if scenario.path.parent == profile.HERE else str(scenario.path),
        "seed": result.seed, "options": extra, "violation": violation.to_json(), "note": note,
        "actions": [a.to_json() for a in actions],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def read_replay(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{path} (line {exc.lineno}, column {exc.colno}): not JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not {"scenario", "seed", "actions"} <= set(data):
        raise ScenarioError(f"{path}: a replay file has a scenario, a seed and actions")
    try:
        data["actions"] = [Action.from_json(a) for a in data["actions"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(f"{path}: an action is malformed ({exc})") from None
    return data
