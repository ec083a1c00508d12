"""The specification as read from `.feature` files: features, rules, scenarios, steps and examples tables.

Files are read with pytest-bdd's own Gherkin reader, so line numbers and outline rendering are the ones pytest-bdd
reports in its cucumber JSON.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pytest_bdd import gherkin_parser as gp

_PLACEHOLDER = re.compile(r"<(.+?)>")


class Status(StrEnum):
    """The outcome of one example (a scenario, or one row of an outline)."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"


# Worst first: a group is failed if anything failed, else not run if anything did not run.
STATUS_ORDER = (Status.FAILED, Status.NOT_RUN, Status.PASSED)


def worst(statuses: Iterable[Status]) -> Status:
    """The status of a group of examples; an empty group has not run."""
    seen = set(statuses)
    for status in STATUS_ORDER:
        if status in seen:
            return status
    return Status.NOT_RUN


@dataclass
class Outcome:
    """What the results say about one example."""

    status: Status = Status.NOT_RUN
    error: str | None = None
    runs: int = 0

    def merge(self, status: Status, error: str | None) -> None:
        """Add one run: a failure anywhere wins, then a pass, then not run."""
        self.runs += 1
        if status is Status.FAILED or (status is Status.PASSED and self.status is Status.NOT_RUN):
            self.status = status
        if error and not self.error:
            self.error = error


@dataclass
class Step:
    keyword: str
    text: str
    line: int
    table: list[list[str]] | None = None
    docstring: str | None = None


@dataclass
class ExampleRow:
    line: int
    values: list[str]
    outcome: Outcome = field(default_factory=Outcome)


@dataclass
class ExamplesTable:
    keyword: str
    name: str
    line: int
    tags: list[str]
    header: list[str]
    rows: list[ExampleRow]


@dataclass
class Scenario:
    keyword: str
    name: str
    description: str
    line: int
    tags: list[str]
    steps: list[Step]
    examples: list[ExamplesTable]
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def is_outline(self) -> bool:
        return bool(self.examples)

    def rows(self) -> Iterator[tuple[ExamplesTable, ExampleRow]]:
        for table in self.examples:
            for row in table.rows:
                yield table, row

    def outcomes(self) -> list[Outcome]:
        """One outcome per example: the scenario's own, or one per outline row."""
        if self.is_outline:
            return [row.outcome for _, row in self.rows()]
        return [self.outcome]

    @property
    def status(self) -> Status:
        return worst(o.status for o in self.outcomes())

    def context(self, table: ExamplesTable, row: ExampleRow) -> dict[str, str]:
        return dict(zip(table.header, row.values, strict=True))

    def rendered_steps(self, table: ExamplesTable, row: ExampleRow) -> list[tuple[int, str]]:
        """(line, text) of each own step with the row's values in place, as pytest-bdd runs it."""
        context = self.context(table, row)
        return [(step.line, render(step.text, context)) for step in self.steps]


@dataclass
class Rule:
    keyword: str
    name: str
    description: str
    line: int
    tags: list[str]
    background: list[Step]
    scenarios: list[Scenario]

    @property
    def status(self) -> Status:
        return worst(s.status for s in self.scenarios)


@dataclass
class Feature:
    path: str  # posix path relative to the parent of the features folder, e.g. "features/receivables.feature"
    keyword: str
    name: str
    description: str
    line: int
    tags: list[str]
    background: list[Step]
    scenarios: list[Scenario]  # scenarios outside any rule (Gherkin puts them before the first rule)
    rules: list[Rule]

    def all_scenarios(self) -> Iterator[Scenario]:
        yield from self.scenarios
        for rule in self.rules:
            yield from rule.scenarios

    def outcomes(self) -> list[Outcome]:
        return [o for s in self.all_scenarios() for o in s.outcomes()]

    @property
    def status(self) -> Status:
        return worst(s.status for s in self.all_scenarios())


def render(text: str, context: Mapping[str, str]) -> str:
    """Put example values in place of `<name>` placeholders; unknown placeholders stay (pytest-bdd's rule)."""
    return _PLACEHOLDER.sub(lambda m: context.get(m.group(1), m.group(0)), text)


def _description(text: str) -> str:
    return textwrap.dedent(text).strip()


def _tags(tags: list[gp.Tag]) -> list[str]:
    return [t.name.lstrip("@") for t in tags]


def _steps(steps: list[gp.Step]) -> list[Step]:
    return [
        Step(
            keyword=s.keyword,
            text=s.text,
            line=s.location.line,
            table=[[cell.value for cell in row.cells] for row in s.datatable.rows] if s.datatable else None,
            docstring=s.docstring.content if s.docstring else None,
        )
        for s in steps
    ]


def _examples(data: gp.ExamplesTable, keyword: str) -> ExamplesTable:
    header = [c.value for c in data.table_header.cells] if data.table_header else []
    rows = [ExampleRow(line=r.location.line, values=[c.value for c in r.cells]) for r in data.table_body or []]
    return ExamplesTable(
        keyword=keyword, name=data.name or "", line=data.location.line, tags=_tags(data.tags), header=header, rows=rows
    )


def _scenario(data: gp.Scenario) -> Scenario:
    return Scenario(
        keyword=data.keyword,
        name=data.name,
        description=_description(data.description),
        line=data.location.line,
        tags=_tags(data.tags),
        steps=_steps(data.steps),
        examples=[_examples(e, "Examples") for e in data.examples],
    )


def _rule(data: gp.Rule) -> Rule:
    background: list[Step] = []
    scenarios: list[Scenario] = []
    for child in data.children:
        if child.background:
            background = _steps(child.background.steps)
        if child.scenario:
            scenarios.append(_scenario(child.scenario))
    return Rule(
        keyword=data.keyword,
        name=data.name,
        description=_description(data.description),
        line=data.location.line,
        tags=_tags(data.tags),
        background=background,
        scenarios=scenarios,
    )


def parse_feature(path: Path, display_path: str) -> Feature:
    """Read one `.feature` file (raises pytest-bdd's Gherkin errors on bad syntax)."""
    doc = gp.get_gherkin_document(str(path))
    data = doc.feature
    background: list[Step] = []
    scenarios: list[Scenario] = []
    rules: list[Rule] = []
    for child in data.children:
        if child.background:
            background = _steps(child.background.steps)
        if child.scenario:
            scenarios.append(_scenario(child.scenario))
        if child.rule:
            rules.append(_rule(child.rule))
    return Feature(
        path=display_path,
        keyword=data.keyword,
        name=data.name,
        description=_description(data.description),
        line=data.location.line,
        tags=_tags(data.tags),
        background=background,
        scenarios=scenarios,
        rules=rules,
    )


def load_features(folder: Path) -> list[Feature]:
    """Every `*.feature` under `folder`, in path order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no features folder at {folder}")
    base = folder.resolve().parent
    return [parse_feature(p, p.resolve().relative_to(base).as_posix()) for p in sorted(folder.rglob("*.feature"))]
