"""One static, self-contained HTML page for the specification: inline CSS, no scripts, every text escaped.

The markup is also well-formed XML (void elements closed, attributes quoted), so it can be checked with a strict
parser.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from html import escape

from livingdoc.model import STATUS_ORDER, ExamplesTable, Feature, Outcome, Rule, Scenario, Status, Step, worst
from livingdoc.results import Unmatched

_VALUE = re.compile(r'("[^"]*"|<[^<>]+>)')

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .25rem; border-bottom: 2px solid #d0d7de; padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .25rem; }
h4 { font-size: 1rem; margin: 0 0 .25rem; }
.kw { color: #8250df; font-weight: 600; }
.muted, .source { color: #59636e; font-size: .85rem; }
.summary { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; }
.count { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.count .n { display: block; font-size: 1.5rem; font-weight: 700; }
.status { display: inline-block; border-radius: 1rem; padding: 0 .6rem; font-size: .8rem; font-weight: 600;
  vertical-align: middle; white-space: nowrap; }
.status.passed { background: #dafbe1; color: #116329; }
.status.failed { background: #ffebe9; color: #a40e26; }
.status.not-run { background: #eaeef2; color: #424a53; }
.count.passed { border-color: #4ac26b; }
.count.failed { border-color: #ff8182; }
ul.tags { list-style: none; padding: 0; margin: .25rem 0; display: flex; gap: .35rem; flex-wrap: wrap; }
ul.tags li { background: #ddf4ff; color: #0550ae; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; }
.description p { margin: .35rem 0; }
.rule { border-left: 4px solid #d0d7de; padding-left: 1rem; margin-top: 1.5rem; }
.rule > .description { background: #f6f8fa; padding: .4rem .75rem; border-radius: 6px; }
.scenario { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.scenario.failed { border-color: #ff8182; }
.background { color: #424a53; }
ol.steps { list-style: none; padding: 0; margin: .5rem 0; }
ol.steps li { margin: .15rem 0; }
.value { color: #0a3069; font-weight: 600; }
.param { color: #953800; font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0 .5rem 1.5rem; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .2rem .6rem; text-align: left; }
th { background: #f6f8fa; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: .85rem; }
nav ol { padding-left: 1.25rem; }
nav li { margin: .15rem 0; }
details { margin-top: .5rem; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _css_class(status: Status) -> str:
    return status.value.replace(" ", "-")


def _badge(status: Status) -> str:
    return f'<span class="status {_css_class(status)}">{_e(status.value)}</span>'


def _tags(tags: Iterable[str]) -> str:
    items = "".join(f"<li>@{_e(t)}</li>" for t in tags)
    return f'<ul class="tags">{items}</ul>' if items else ""


def _description(text: str) -> str:
    """Paragraphs split on blank lines; lines starting with "- " become a list."""
    if not text:
        return ""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            parts.append("<ul>" + "".join(f"<li>{_e(line[2:])}</li>" for line in lines) + "</ul>")
        elif lines:
            parts.append(f"<p>{_e(' '.join(lines))}</p>")
    return '<div class="description">' + "".join(parts) + "</div>"


def _step_text(text: str) -> str:
    """Quoted values and outline placeholders stand out."""
    out: list[str] = []
    for piece in _VALUE.split(text):
        if not piece:
            continue
        if piece.startswith('"') and piece.endswith('"') and len(piece) > 1:
            out.append(f'<span class="value">{_e(piece)}</span>')
        elif piece.startswith("<") and piece.endswith(">"):
            out.append(f'<span class="param">{_e(piece)}</span>')
        else:
            out.append(_e(piece))
    return "".join(out)


def _table(rows: list[list[str]], extra_header: str = "", extra_cells: list[str] | None = None) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{_e(c)}</th>" for c in rows[0]) + (f"<th>{_e(extra_header)}</th>" if extra_header else "")
    body = []
    for i, row in enumerate(rows[1:]):
        cells = "".join(f"<td>{_e(c)}</td>" for c in row)
        if extra_cells is not None:
            cells += f"<td>{extra_cells[i]}</td>"
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _steps(steps: list[Step]) -> str:
    items = []
    for step in steps:
        extra = ""
        if step.table:
            extra += _table(step.table)
        if step.docstring is not None:
            extra += f"<pre>{_e(step.docstring)}</pre>"
        items.append(f'<li><span class="kw">{_e(step.keyword)}</span> {_step_text(step.text)}{extra}</li>')
    return f'<ol class="steps">{"".join(items)}</ol>'


def _background(steps: list[Step]) -> str:
    if not steps:
        return ""
    return f'<div class="background"><h4><span class="kw">Background:</span></h4>{_steps(steps)}</div>'


def _error(outcome: Outcome) -> str:
    if outcome.status is not Status.FAILED or not outcome.error:
        return ""
    return f"<details><summary>What failed</summary><pre>{_e(outcome.error)}</pre></details>"


def _examples(table: ExamplesTable) -> str:
    title = f'<h4><span class="kw">{_e(table.keyword)}:</span> {_e(table.name)}</h4>'
    badges = [_badge(row.outcome.status) + _error(row.outcome) for row in table.rows]
    grid = _table([table.header] + [r.values for r in table.rows], "Result", badges)
    return f'<div class="examples">{title}{_tags(table.tags)}{grid}</div>'


def _scenario(scenario: Scenario, anchor: str) -> str:
    status = scenario.status
    parts = [
        f'<article class="scenario {_css_class(status)}" id="{_e(anchor)}">',
        f'<h4><span class="kw">{_e(scenario.keyword)}:</span> {_e(scenario.name)} {_badge(status)}</h4>',
        _tags(scenario.tags),
        _description(scenario.description),
        _steps(scenario.steps),
    ]
    if scenario.is_outline:
        parts.extend(_examples(t) for t in scenario.examples)
    else:
        parts.append(_error(scenario.outcome))
    parts.append("</article>")
    return "".join(parts)


def _rule(rule: Rule, anchor: str) -> str:
    parts = [
        f'<section class="rule" id="{_e(anchor)}">',
        f'<h3><span class="kw">{_e(rule.keyword)}:</span> {_e(rule.name)} {_badge(rule.status)}</h3>',
        _tags(rule.tags),
        _description(rule.description),
        _background(rule.background),
    ]
    parts.extend(_scenario(s, f"{anchor}-s{s.line}") for s in rule.scenarios)
    parts.append("</section>")
    return "".join(parts)


def _anchor(feature: Feature) -> str:
    return "f-" + re.sub(r"[^a-z0-9]+", "-", feature.path.lower()).strip("-")


def _feature(feature: Feature) -> str:
    anchor = _anchor(feature)
    parts = [
        f'<section class="feature" id="{_e(anchor)}">',
        f'<h2><span class="kw">{_e(feature.keyword)}:</span> {_e(feature.name)} {_badge(feature.status)}</h2>',
        f'<div class="source">{_e(feature.path)}</div>',
        _tags(feature.tags),
        _description(feature.description),
        _background(feature.background),
    ]
    parts.extend(_scenario(s, f"{anchor}-s{s.line}") for s in feature.scenarios)
    parts.extend(_rule(r, f"{anchor}-r{r.line}") for r in feature.rules)
    parts.append("</section>")
    return "".join(parts)


def _nav(features: list[Feature]) -> str:
    items = []
    for feature in features:
        anchor = _anchor(feature)
        rules = "".join(
            f'<li><a href="#{_e(anchor)}-r{r.line}">{_e(r.name)}</a> {_badge(r.status)}</li>' for r in feature.rules
        )
        counts = Counter(o.status for o in feature.outcomes())
        summary = ", ".join(f"{counts[s]} {s.value}" for s in STATUS_ORDER if counts[s])
        items.append(
            f'<li><a href="#{_e(anchor)}">{_e(feature.name)}</a> {_badge(feature.status)} '
            f'<span class="muted">{_e(summary)}</span>' + (f"<ol>{rules}</ol>" if rules else "") + "</li>"
        )
    return f"<nav><h2>Contents</h2><ol>{''.join(items)}</ol></nav>"


def _summary(features: list[Feature], results_label: str) -> str:
    outcomes = [o for f in features for o in f.outcomes()]
    counts = Counter(o.status for o in outcomes)
    n_rules = sum(len(f.rules) for f in features)
    n_scenarios = sum(1 for f in features for _ in f.all_scenarios())
    boxes = "".join(
        f'<div class="count {_css_class(s)}"><span class="n">{counts[s]}</span>{_e(s.value)}</div>'
        for s in (Status.PASSED, Status.FAILED, Status.NOT_RUN)
    )
    return (
        f'<section id="summary"><div class="summary">{boxes}</div>'
        f'<p class="muted">{len(outcomes)} examples in {n_scenarios} scenarios, {n_rules} rules, '
        f"{len(features)} features. Overall: {_badge(worst(o.status for o in outcomes))} "
        f"Results: {_e(results_label)}</p></section>"
    )


def _unmatched(unmatched: list[Unmatched]) -> str:
    if not unmatched:
        return ""
    rows = [["Feature file", "Line", "Scenario", "Result"]] + [
        [u.uri, str(u.line), u.name, u.status.value] for u in unmatched
    ]
    return (
        '<section id="unmatched"><h2>Results that match no scenario</h2>'
        '<p class="muted">These ran but their scenario has since been renamed, moved or removed.</p>'
        f"{_table(rows)}</section>"
    )


def render_html(
    features: list[Feature],
    *,
    title: str = "Executable specification",
    results_label: str = "none (every example not run)",
    unmatched: list[Unmatched] | None = None,
) -> str:
    """The whole page."""
    body = "".join(
        [
            f"<header><h1>{_e(title)}</h1></header>",
            _summary(features, results_label),
            _nav(features),
            "".join(_feature(f) for f in features),
            _unmatched(unmatched or []),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
