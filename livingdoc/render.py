"""One self-contained HTML page for the specification: inline style, every text escaped, each example's result for
every brand side by side.

With one brand (`edition`), the page is that brand's edition: "the app" reads as the brand's name, and only its
results show. The markup is also well-formed XML (void elements closed, attributes quoted), so it can be checked with
a strict parser.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from livingdoc.brands import BRANDS, in_edition, name_the_app, not_in_edition_reason
from livingdoc.html import badge, brand_name, css_class, e, feature_anchor, html_table, rule_anchor, step_text, tag_list
from livingdoc.model import STATUS_ORDER, ExamplesTable, Feature, Outcome, Rule, Scenario, Status, Step, worst
from livingdoc.render_trace import trace_section
from livingdoc.results import Unmatched
from livingdoc.run import RunInfo
from livingdoc.style import CSS
from livingdoc.trace import Source

#: The counts a brand's results are summed up in, in this order.
COUNTED = (Status.PASSED, Status.FAILED, Status.NOT_RUN, Status.NOT_IN_EDITION)


@dataclass
class Page:
    """What the page shows and for which brands."""

    features: list[Feature]
    title: str = "Executable specification"
    results_label: str = "none (every example not run)"
    unmatched: list[Unmatched] = field(default_factory=list)
    brands: list[str] = field(default_factory=lambda: list(BRANDS))
    edition: str | None = None  # one brand's edition: "the app" reads as its name
    run: RunInfo | None = None
    sources: list[Source] = field(default_factory=list)  # the traceability view's sources

    def __post_init__(self) -> None:
        if self.edition is not None:
            self.brands = [self.edition]
            self.title = f"{BRANDS[self.edition]}: {self.title}"

    # -- text ---------------------------------------------------------------------------------------------------
    def t(self, text: str) -> str:
        """A text of the spec as this page's readers read it."""
        return name_the_app(text, self.edition) if self.edition else text

    def description(self, text: str) -> str:
        """Paragraphs split on blank lines; lines starting with "- " become a list."""
        if not text:
            return ""
        parts: list[str] = []
        for block in re.split(r"\n\s*\n", self.t(text)):
            lines = [line.strip() for line in block.splitlines() if line.strip()]
            if lines and all(line.startswith("- ") for line in lines):
                parts.append("<ul>" + "".join(f"<li>{e(line[2:])}</li>" for line in lines) + "</ul>")
            elif lines:
                parts.append(f"<p>{e(' '.join(lines))}</p>")
        return '<div class="description">' + "".join(parts) + "</div>"

    # -- results ------------------------------------------------------------------------------------------------
    def results(self, statuses: dict[str, Status]) -> str:
        """One badge per brand, side by side."""
        items = "".join(
            f'<span class="brand-result" data-brand="{e(b)}"><span class="brand">{e(brand_name(b))}</span>'
            f"{badge(statuses[b])}</span>"
            for b in self.brands
        )
        return f'<span class="results">{items}</span>'

    def overall(self, statuses: dict[str, Status]) -> Status:
        return worst(statuses.values())

    def example_statuses(self, outcome: Outcome, tags: list[str]) -> dict[str, Status]:
        return {b: outcome.of(b).status if in_edition(tags, b) else Status.NOT_IN_EDITION for b in self.brands}

    def error(self, outcome: Outcome, tags: list[str]) -> str:
        parts = []
        for brand in self.brands:
            result = outcome.of(brand)
            if result.status is Status.FAILED and result.error and in_edition(tags, brand):
                parts.append(f"<details><summary>What failed for {e(brand_name(brand))}</summary>"
                             f"<pre>{e(result.error)}</pre></details>")
        return "".join(parts)

    # -- parts --------------------------------------------------------------------------------------------------
    def steps(self, steps: list[Step]) -> str:
        items = []
        for step in steps:
            extra = ""
            if step.table:
                extra += html_table(step.table)
            if step.docstring is not None:
                extra += f"<pre>{e(step.docstring)}</pre>"
            items.append(f'<li><span class="kw">{e(step.keyword)}</span> {step_text(self.t(step.text))}{extra}</li>')
        return f'<ol class="steps">{"".join(items)}</ol>'

    def background(self, steps: list[Step]) -> str:
        if not steps:
            return ""
        return f'<div class="background"><h4><span class="kw">Background:</span></h4>{self.steps(steps)}</div>'

    def examples(self, scenario: Scenario, table: ExamplesTable) -> str:
        title = f'<h4><span class="kw">{e(table.keyword)}:</span> {e(self.t(table.name))}</h4>'
        tags = [*scenario.all_tags, *table.tags]
        cells = []
        for row in table.rows:
            statuses = self.example_statuses(row.outcome, tags)
            cells.append([badge(statuses[b]) for b in self.brands])
            cells[-1][-1] += self.error(row.outcome, tags)
        grid = html_table([table.header] + [r.values for r in table.rows], [brand_name(b) for b in self.brands], cells)
        return f'<div class="examples">{title}{tag_list(table.tags)}{grid}</div>'

    def scenario(self, scenario: Scenario, anchor: str) -> str:
        statuses = {b: scenario.brand_status(b) for b in self.brands}
        parts = [
            f'<article class="scenario {css_class(self.overall(statuses))}" id="{e(anchor)}">',
            f'<h4><span class="kw">{e(scenario.keyword)}:</span> {e(self.t(scenario.name))} '
            f"{self.results(statuses)}</h4>",
            tag_list(scenario.tags),
            self.description(scenario.description),
            self.steps(scenario.steps),
        ]
        if scenario.is_outline:
            parts.extend(self.examples(scenario, t) for t in scenario.examples)
        else:
            parts.append(self.error(scenario.outcome, scenario.all_tags))
        parts.append("</article>")
        return "".join(parts)

    def editions_note(self, tags: list[str]) -> str:
        notes = [not_in_edition_reason(tags, b) for b in self.brands if b in BRANDS and not in_edition(tags, b)]
        return "".join(f'<p class="edition">{e(n)}</p>' for n in notes)

    def rule(self, feature: Feature, rule: Rule, anchor: str) -> str:
        statuses = {b: rule.brand_status(b) for b in self.brands}
        parts = [
            f'<section class="rule" id="{e(anchor)}">',
            f'<h3><span class="kw">{e(rule.keyword)}:</span> {e(self.t(rule.name))} {self.results(statuses)}</h3>',
            tag_list(rule.tags),
            self.editions_note([*feature.tags, *rule.tags]),
            self.description(rule.description),
            self.background(rule.background),
        ]
        parts.extend(self.scenario(s, f"{anchor}-s{s.line}") for s in rule.scenarios)
        parts.append("</section>")
        return "".join(parts)

    def feature(self, feature: Feature) -> str:
        anchor = feature_anchor(feature)
        statuses = {b: feature.brand_status(b) for b in self.brands}
        parts = [
            f'<section class="feature" id="{e(anchor)}">',
            f'<h2><span class="kw">{e(feature.keyword)}:</span> {e(self.t(feature.name))} '
            f"{self.results(statuses)}</h2>",
            f'<div class="source">{e(feature.path)}</div>',
            tag_list(feature.tags),
            self.description(feature.description),
            self.background(feature.background),
        ]
        parts.extend(self.scenario(s, f"{anchor}-s{s.line}") for s in feature.scenarios)
        parts.extend(self.rule(feature, r, rule_anchor(feature, r)) for r in feature.rules)
        parts.append("</section>")
        return "".join(parts)

    def nav(self) -> str:
        items = []
        for feature in self.features:
            anchor = feature_anchor(feature)
            rules = "".join(
                f'<li><a href="#{e(rule_anchor(feature, r))}">{e(self.t(r.name))}</a> '
                f"{self.results({b: r.brand_status(b) for b in self.brands})}</li>"
                for r in feature.rules
            )
            items.append(
                f'<li><a href="#{e(anchor)}">{e(self.t(feature.name))}</a> '
                f"{self.results({b: feature.brand_status(b) for b in self.brands})}"
                + (f"<ol>{rules}</ol>" if rules else "") + "</li>"
            )
        if self.sources:
            items.append('<li><a href="#trace">The sources, sentence by sentence</a></li>')
        return f"<nav><h2>Contents</h2><ol>{''.join(items)}</ol></nav>"

    def header(self) -> str:
        names = ", ".join(brand_name(b) for b in self.brands)
        edition = f"{brand_name(self.edition)} edition" if self.edition else f"Brands: {names}"
        if self.run is None:
            when = "Run: unknown (no record of the run)"
        else:
            when = (f"Run on {self.run.when()} · commit {self.run.commit or 'unknown'} · "
                    f"took {self.run.duration()}")
        return (f"<header><h1>{e(self.t(self.title))}</h1>"
                f'<p id="run" class="muted">{e(edition)} · {e(when)}</p></header>')

    def summary(self) -> str:
        examples = [pair for f in self.features for s in f.all_scenarios() for pair in _example_tags(s)]
        per_brand = {b: Counter(o.of(b).status if in_edition(tags, b) else Status.NOT_IN_EDITION
                                for o, tags in examples) for b in self.brands}
        overall = Counter(self.overall(self.example_statuses(o, tags)) for o, tags in examples)
        n_rules = sum(len(f.rules) for f in self.features)
        n_scenarios = sum(1 for f in self.features for _ in f.all_scenarios())
        boxes = "".join(
            f'<div class="count {css_class(s)}"><span class="n">{overall[s]}</span>{e(s.value)}</div>'
            for s in (Status.PASSED, Status.FAILED, Status.NOT_RUN)
        )
        rows = "".join(
            f'<tr data-brand="{e(b)}"><th>{e(brand_name(b))}</th>'
            + "".join(f'<td class="n {css_class(s)}">{per_brand[b][s]}</td>' for s in COUNTED) + "</tr>"
            for b in self.brands
        )
        head = "".join(f"<th>{e(s.value)}</th>" for s in COUNTED)
        return (
            f'<section id="summary"><div class="summary">{boxes}</div>'
            f'<table class="brands"><thead><tr><th>brand</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
            f'<p class="muted">{len(examples)} examples in {n_scenarios} scenarios, {n_rules} rules, '
            f"{len(self.features)} features; an example counts as failed if it failed for any brand. Overall: "
            f"{badge(worst(overall.elements()))} Results: {e(self.results_label)}</p></section>"
        )

    def unmatched_section(self) -> str:
        if not self.unmatched:
            return ""
        rows = [["Feature file", "Line", "Scenario", "Result"]] + [
            [u.uri, str(u.line), u.name, u.status.value] for u in self.unmatched
        ]
        return (
            '<section id="unmatched"><h2>Results that match no scenario</h2>'
            '<p class="muted">These ran but their scenario has since been renamed, moved or removed.</p>'
            f"{html_table(rows)}</section>"
        )

    def html(self) -> str:
        body = "".join([
            self.header(),
            self.summary(),
            self.nav(),
            "".join(self.feature(f) for f in self.features),
            trace_section(self.sources, self.brands, self.t),
            self.unmatched_section(),
        ])
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            f"<title>{e(self.t(self.title))}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main></body></html>\n"
        )


def _example_tags(scenario: Scenario) -> list[tuple[Outcome, list[str]]]:
    """Each example of a scenario with the tags that decide its editions."""
    if not scenario.is_outline:
        return [(scenario.outcome, scenario.all_tags)]
    return [(row.outcome, [*scenario.all_tags, *table.tags]) for table, row in scenario.rows()]


def render_html(
    features: list[Feature],
    *,
    title: str = "Executable specification",
    results_label: str = "none (every example not run)",
    unmatched: list[Unmatched] | None = None,
    brands: list[str] | None = None,
    edition: str | None = None,
    run: RunInfo | None = None,
    sources: list[Source] | None = None,
) -> str:
    """The whole page."""
    page = Page(features, title=title, results_label=results_label, unmatched=unmatched or [], edition=edition,
                run=run, sources=sources or [])
    if brands is not None and edition is None:
        page.brands = brands
    return page.html()


__all__ = ["STATUS_ORDER", "Page", "badge", "css_class", "feature_anchor", "render_html"]
