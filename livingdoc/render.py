"""One self-contained HTML page for the specification: inline style and script, every text escaped, each example's
result for every brand side by side, failures in plain words, a search box and filters.

With one brand (`edition`), the page is that brand's edition: "the app" reads as the brand's name, and only its
results show. The markup is also well-formed XML (void elements closed, attributes quoted), so it can be checked with
a strict parser.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from livingdoc.brands import BRANDS, in_edition, name_the_app, not_in_edition_reason
from livingdoc.failure import plain_failure
from livingdoc.find import SCRIPT, find_form
from livingdoc.history import HistoryRun, rule_key, trend
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
    history: list[HistoryRun] = field(default_factory=list)  # the runs so far, oldest first, this one last

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

    def failures(self, outcome: Outcome, tags: list[str], row: str = "") -> str:
        """Each brand's failure in plain words: what the rule expects (the failed step) against what happened, the
        rest of the message after it and the traceback folded away."""
        parts = []
        for brand in self.brands:
            result = outcome.of(brand)
            if result.status is not Status.FAILED or not in_edition(tags, brand):
                continue
            plain = plain_failure(result.error or "")
            expects = (f"<dt>The rule expects</dt><dd class=\"step\">{step_text(self.t(result.failed_step))}</dd>"
                       if result.failed_step else "")
            detail = f'<pre class="detail">{e(self.t(plain.detail))}</pre>' if plain.detail else ""
            parts.append(
                f'<div class="failure" data-brand="{e(brand)}"><p><strong>Failed for {e(brand_name(brand))}'
                f"{e(row)}</strong></p><dl>{expects}<dt>What happened</dt>"
                f'<dd class="message">{e(self.t(plain.message))}</dd></dl>{detail}'
                f"<details><summary>Traceback</summary><pre>{e(plain.traceback)}</pre></details></div>"
            )
        return "".join(parts)

    def failed_lines(self, outcomes: list[tuple[Outcome, list[str]]]) -> dict[int, list[str]]:
        """Step line -> the brands it failed for."""
        lines: dict[int, list[str]] = {}
        for outcome, tags in outcomes:
            for brand in self.brands:
                result = outcome.of(brand)
                if result.status is Status.FAILED and result.failed_line and in_edition(tags, brand):
                    names = lines.setdefault(result.failed_line, [])
                    if brand_name(brand) not in names:
                        names.append(brand_name(brand))
        return lines

    # -- parts --------------------------------------------------------------------------------------------------
    def steps(self, steps: list[Step], failed: dict[int, list[str]] | None = None) -> str:
        items = []
        for step in steps:
            brands = (failed or {}).get(step.line)
            mark = f'<span class="failed-mark">failed for {e(", ".join(brands))}</span> ' if brands else ""
            extra = ""
            if step.table:
                extra += html_table(step.table)
            if step.docstring is not None:
                extra += f"<pre>{e(step.docstring)}</pre>"
            attrs = ' class="failed-step"' if brands else ""
            items.append(f'<li{attrs}>{mark}<span class="kw">{e(step.keyword)}</span> {step_text(self.t(step.text))}'
                         f"{extra}</li>")
        return f'<ol class="steps">{"".join(items)}</ol>'

    def background(self, steps: list[Step]) -> str:
        if not steps:
            return ""
        return f'<div class="background"><h4><span class="kw">Background:</span></h4>{self.steps(steps)}</div>'

    def examples(self, scenario: Scenario, table: ExamplesTable) -> str:
        title = f'<h4><span class="kw">{e(table.keyword)}:</span> {e(self.t(table.name))}</h4>'
        tags = [*scenario.all_tags, *table.tags]
        cells = [[badge(self.example_statuses(row.outcome, tags)[b]) for b in self.brands] for row in table.rows]
        grid = html_table([table.header] + [r.values for r in table.rows], [brand_name(b) for b in self.brands], cells)
        failures = "".join(
            self.failures(row.outcome, tags, row=" in the row " + " | ".join(row.values)) for row in table.rows
        )
        return f'<div class="examples">{title}{tag_list(table.tags)}{grid}{failures}</div>'

    def scenario(self, scenario: Scenario, anchor: str, section: str) -> str:
        statuses = {b: scenario.brand_status(b) for b in self.brands}
        examples = _example_tags(scenario)
        all_tags = sorted({t for _, tags in examples for t in tags})
        results = sorted({f"{b}:{css_class(s)}" for o, tags in examples
                          for b, s in self.example_statuses(o, tags).items()})
        parts = [
            f'<article class="scenario {css_class(self.overall(statuses))}" id="{e(anchor)}" '
            f'data-section="{e(section)}" data-tags="{e(" ".join(all_tags))}" data-results="{e(" ".join(results))}">',
            f'<h4><span class="kw">{e(scenario.keyword)}:</span> {e(self.t(scenario.name))} '
            f"{self.results(statuses)}</h4>",
            tag_list(scenario.tags),
            self.description(scenario.description),
            self.steps(scenario.steps, self.failed_lines(_example_tags(scenario))),
        ]
        if scenario.is_outline:
            parts.extend(self.examples(scenario, t) for t in scenario.examples)
        else:
            parts.append(self.failures(scenario.outcome, scenario.all_tags))
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
            trend(self.history, rule_key(feature, rule), self.brands),
            self.editions_note([*feature.tags, *rule.tags]),
            self.description(rule.description),
            self.background(rule.background),
        ]
        parts.extend(self.scenario(s, f"{anchor}-s{s.line}", feature_anchor(feature)) for s in rule.scenarios)
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
        parts.extend(self.scenario(s, f"{anchor}-s{s.line}", anchor) for s in feature.scenarios)
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

    def find(self) -> str:
        sections = [(feature_anchor(f), self.t(f.name)) for f in self.features]
        used = sorted({t for f in self.features for s in f.all_scenarios() for _, tags in _example_tags(s)
                       for t in tags})
        return find_form(sections, used, self.brands)

    def html(self) -> str:
        body = "".join([
            self.header(),
            self.summary(),
            self.nav(),
            self.find(),
            "".join(self.feature(f) for f in self.features),
            trace_section(self.sources, self.brands, self.t),
            self.unmatched_section(),
        ])
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            f"<title>{e(self.t(self.title))}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main><script>{SCRIPT}</script></body></html>\n"
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
    history: list[HistoryRun] | None = None,
) -> str:
    """The whole page."""
    page = Page(features, title=title, results_label=results_label, unmatched=unmatched or [], edition=edition,
                run=run, sources=sources or [], history=history or [])
    if brands is not None and edition is None:
        page.brands = brands
    return page.html()


__all__ = ["STATUS_ORDER", "Page", "badge", "css_class", "feature_anchor", "render_html"]
