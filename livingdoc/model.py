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

from livingdoc.brands import in_edition

_PLACEHOLDER = re.compile(r"<(.+?)>")


class Status(StrEnum):
    """The outcome of one example (a scenario, or one row of an outline) for one brand."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"
    NOT_IN_EDITION = "not part of that edition"


# Worst first: a group is failed if anything failed, else not run if anything did not run. What is not part of a
# brand's edition counts only when nothing else is there.
STATUS_ORDER = (Status.FAILED, Status.NOT_RUN, Status.PASSED)


def worst(statuses: Iterable[Status]) -> Status:
    """The status of a group of examples; an empty group has not run."""
    seen = set(statuses)
    for status in STATUS_ORDER:
        if status in seen:
            return status
    return Status.NOT_IN_EDITION if seen else Status.NOT_RUN


@dataclass
class BrandResult:
    """One brand's result for one example: its status, and for a failure the message and the step that failed."""

    status: Status = Status.NOT_RUN
    error: str | None = None
    failed_step: str | None = None  # the text of the failed step, as run
    failed_line: int | None = None

    def merge(self, other: BrandResult) -> None:
        """Add another run of the same brand (another transport): a failure wins, then a pass."""
        if other.status is Status.FAILED and self.status is not Status.FAILED:
            self.status, self.error = other.status, other.error
            self.failed_step, self.failed_line = other.failed_step, other.failed_line
        elif other.status is Status.PASSED and self.status is Status.NOT_RUN:
            self.status = other.status


@dataclass
class Outcome:
    """What the results say about one example, by brand key ("" for a run that names no brand)."""

    results: dict[str, BrandResult] = field(default_factory=dict)
    runs: int = 0

    def merge(self, status: Status, error: str | None, brand: str = "", failed_step: str | None = None,
              failed_line: int | None = None) -> None:
        """Add one run."""
        self.runs += 1
        result = BrandResult(status, error if status is not Status.PASSED else None, failed_step, failed_line)
        if brand in self.results:
            self.results[brand].merge(result)
        else:
            self.results[brand] = result

    def of(self, brand: str) -> BrandResult:
        """The brand's result (not run when the results do not mention it)."""
        return self.results.get(brand) or BrandResult()

    @property
    def status(self) -> Status:
        """Over every brand that ran: a failure anywhere wins, then a pass, then not run."""
        return worst(r.status for r in self.results.values())

    @property
    def error(self) -> str | None:
        return next((r.error for r in self.results.values() if r.status is Status.FAILED and r.error), None)


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
    inherited_tags: list[str] = field(default_factory=list)  # the tags of its feature and rule

    @property
    def all_tags(self) -> list[str]:
        """Its own tags and those it inherits."""
        return [*self.inherited_tags, *self.tags]

    def brand_statuses(self, brand: str) -> list[Status]:
        """One status per example for `brand`: not part of that edition where the tags say so."""
        if not self.is_outline:
            if not in_edition(self.all_tags, brand):
                return [Status.NOT_IN_EDITION]
            return [self.outcome.of(brand).status]
        return [
            row.outcome.of(brand).status if in_edition([*self.all_tags, *table.tags], brand)
            else Status.NOT_IN_EDITION
            for table, row in self.rows()
        ]

    def brand_status(self, brand: str) -> Status:
        return worst(self.brand_statuses(brand))

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

    def brand_status(self, brand: str) -> Status:
        return worst(s.brand_status(brand) for s in self.scenarios)


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

    def brand_status(self, brand: str) -> Status:
        return worst(s.brand_status(brand) for s in self.all_scenarios())


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
    tags = _tags(data.tags)
    for scenario in scenarios:
        scenario.inherited_tags = list(tags)
    for rule in rules:
        for scenario in rule.scenarios:
            scenario.inherited_tags = [*tags, *rule.tags]
    return Feature(
        path=display_path,
        keyword=data.keyword,
        name=data.name,
        description=_description(data.description),
        line=data.location.line,
        tags=tags,
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
