"""Results from pytest-bdd's cucumber JSON (`pytest --cucumberjson=PATH`), joined onto the parsed features.

The cucumber JSON has one element per example that ran: a plain scenario once, an outline once per row. It carries
the feature file (`uri`), the scenario's line and name, the step texts as run (outline values in place) and each
step's result. It does not carry Rules, tables or skipped scenarios, which is why the page is built from the
`.feature` files and the results are laid over them:

- the feature file is found by `uri` (pytest-bdd writes it relative to the folder the features were bound from, so
  it is matched as a path suffix);
- the scenario by line, or by name when the file changed since the run;
- an outline row by its rendered steps, then by the row's values in the test id, then in order.

An element whose steps all passed is passed, one with a failed step is failed; anything else (skipped, no steps)
counts as not run, as does every example the file does not mention. Each result is kept for the brand its test id
names (`[keycashflow-inprocess-...]`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingdoc.brands import brand_of_test_id
from livingdoc.model import BrandResult, ExampleRow, ExamplesTable, Feature, Scenario, Status, render

MAX_ERROR_CHARS = 4000


@dataclass(frozen=True)
class Unmatched:
    """A result that matches no example of the current features (renamed, moved or deleted since the run)."""

    uri: str
    name: str
    line: int
    status: Status


def load_results(path: Path) -> list[dict[str, Any]]:
    """Read a cucumber JSON report: a list of features, each with its `elements`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(isinstance(f, dict) for f in data):
        raise ValueError(f"{path}: not a cucumber JSON report (expected a list of features)")
    return data


def element_result(element: dict[str, Any]) -> BrandResult:
    """The result of one run example: its status, first error message and the step that failed."""
    steps = [s for s in element.get("steps") or [] if isinstance(s, dict)]
    results = [s.get("result") or {} for s in steps]
    statuses = [r.get("status") for r in results]
    error = next((str(r["error_message"]) for r in results if r.get("error_message")), None)
    if error and len(error) > MAX_ERROR_CHARS:  # the message is at the end
        error = "...\n" + error[-MAX_ERROR_CHARS:]
    if "failed" in statuses:
        step = steps[statuses.index("failed")]
        line = step.get("line")
        return BrandResult(Status.FAILED, error, str(step.get("name", "")), line if isinstance(line, int) else None)
    if statuses and all(s == "passed" for s in statuses):
        return BrandResult(Status.PASSED)
    return BrandResult(Status.NOT_RUN, error)


def element_status(element: dict[str, Any]) -> tuple[Status, str | None]:
    """The status of one run example and its first error message."""
    result = element_result(element)
    return result.status, result.error


def _normalise(uri: str) -> str:
    uri = uri.replace("\\", "/")
    while uri.startswith("./"):
        uri = uri[2:]
    return uri


def _find_feature(features: list[Feature], uri: str) -> Feature | None:
    uri = _normalise(uri)
    for feature in features:
        if feature.path == uri or feature.path.endswith("/" + uri) or uri.endswith("/" + feature.path):
            return feature
    return None


def _find_scenario(feature: Feature, line: int, name: str) -> Scenario | None:
    scenarios = list(feature.all_scenarios())
    by_line = [s for s in scenarios if s.line == line]
    for scenario in by_line:
        if _names_match(scenario, name):
            return scenario
    by_name = [s for s in scenarios if _names_match(s, name)]
    return by_name[0] if len(by_name) == 1 else None


def _names_match(scenario: Scenario, name: str) -> bool:
    if scenario.name == name:
        return True
    return any(render(scenario.name, scenario.context(t, r)) == name for t, r in scenario.rows())


def _find_row(scenario: Scenario, element: dict[str, Any]) -> ExampleRow | None:
    ran = {(s.get("line"), s.get("name")) for s in element.get("steps") or [] if isinstance(s, dict)}
    test_id = str(element.get("id", ""))
    rows: list[tuple[ExamplesTable, ExampleRow]] = list(scenario.rows())
    by_steps = [(t, r) for t, r in rows if set(scenario.rendered_steps(t, r)) <= ran]
    by_id = [(t, r) for t, r in (by_steps or rows) if _id_matches(test_id, r.values)]
    candidates = by_id if by_id and len(by_steps) != 1 else by_steps
    if len(candidates) > 1:
        fresh = [(t, r) for t, r in candidates if r.outcome.runs == 0]
        candidates = fresh or candidates
    return candidates[0][1] if candidates else None


def _id_matches(test_id: str, values: list[str]) -> bool:
    """pytest-bdd names a row's test `name[v1-v2-...]`, after the ids of other parameters if any (`[brand-v1-v2]`);
    pytest appends a counter when two rows are alike."""
    return re.search(r"[\[-]" + re.escape("-".join(values)) + r"\d*\]$", test_id) is not None


def apply_results(features: list[Feature], report: list[dict[str, Any]]) -> list[Unmatched]:
    """Record every result of `report` on its example; return the results that match none."""
    unmatched: list[Unmatched] = []
    for feature_data in report:
        uri = str(feature_data.get("uri", ""))
        feature = _find_feature(features, uri)
        for element in feature_data.get("elements") or []:
            if not isinstance(element, dict):
                continue
            name = str(element.get("name", ""))
            line = int(element.get("line") or 0)
            result = element_result(element)
            status, error = result.status, result.error
            brand = brand_of_test_id(str(element.get("id", "")))
            scenario = _find_scenario(feature, line, name) if feature else None
            if scenario is None:
                unmatched.append(Unmatched(uri=uri, name=name, line=line, status=status))
                continue
            if scenario.is_outline:
                row = _find_row(scenario, element)
                if row is None:
                    unmatched.append(Unmatched(uri=uri, name=name, line=line, status=status))
                    continue
                row.outcome.merge(status, error, brand, result.failed_step, result.failed_line)
            else:
                scenario.outcome.merge(status, error, brand, result.failed_step, result.failed_line)
    return unmatched
