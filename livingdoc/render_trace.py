"""The traceability view: each edition of the help article (and the Sync Matrix passages the rules quote), sentence
by sentence, each sentence with the rules that encode it and their results, or why it has no rule, or "uncovered"."""

from __future__ import annotations

from collections.abc import Callable

from livingdoc.html import badge, brand_name, e, rule_anchor
from livingdoc.model import Status
from livingdoc.trace import Sentence, Source


def _links(sentence: Sentence, brands: list[str], t: Callable[[str], str]) -> str:
    items = []
    for link in sentence.rules:
        results = "".join(
            f'<span class="brand-result" data-brand="{e(b)}"><span class="brand">{e(brand_name(b))}</span>'
            f"{badge(link.rule.brand_status(b))}</span>"
            for b in brands
        )
        items.append(f'<li><a href="#{e(rule_anchor(link.feature, link.rule))}">{e(t(link.rule.name))}</a> '
                      f'<span class="results">{results}</span></li>')
    return f'<ul class="links">{"".join(items)}</ul>'


def _sentence(sentence: Sentence, brands: list[str], t: Callable[[str], str]) -> str:
    indent = f' style="margin-left: {1.5 * sentence.depth:.1f}rem"' if sentence.depth else ""
    if sentence.rules:
        kind, detail = "encoded", _links(sentence, brands, t)
    elif sentence.not_a_rule is not None:
        kind, detail = "no-rule", f'<span class="muted">No rule: {e(sentence.not_a_rule)}</span>'
    else:
        kind, detail = "uncovered", '<span class="status failed">uncovered</span>'
    bullet = "• " if sentence.depth else ""
    return f'<li class="sentence {kind}"{indent}><q>{bullet}{e(sentence.text)}</q> {detail}</li>'


def trace_section(sources: list[Source], brands: list[str], t: Callable[[str], str]) -> str:
    """The view, for the editions of `brands` (and the Sync Matrix passages, whatever the brands)."""
    shown = [s for s in sources if s.brand is None or s.brand in brands]
    if not shown:
        return ""
    parts = ['<section id="trace"><h2>The sources, sentence by sentence</h2>'
             '<p class="muted">Each sentence with the rules that encode it and their results; a sentence that is no '
             'rule says why; one that no rule encodes shows as uncovered.</p>']
    for source in shown:
        encoded = sum(1 for s in source.sentences if s.rules)
        no_rule = sum(1 for s in source.sentences if not s.rules and s.not_a_rule is not None)
        uncovered = len(source.uncovered())
        shown_brands = [source.brand] if source.brand else brands
        status = Status.FAILED if uncovered else Status.PASSED
        parts.append(
            f'<section class="source" id="trace-{e(source.key)}" data-source="{e(source.key)}">'
            f"<h3>{e(source.title)} {badge(status) if uncovered else ''}</h3>"
            f'<p class="muted">{len(source.sentences)} sentences: {encoded} encoded by rules, {no_rule} without a '
            f"rule (why is given), {uncovered} uncovered.</p>"
            f'<ol class="sentences">{"".join(_sentence(s, shown_brands, t) for s in source.sentences)}</ol></section>'
        )
    parts.append("</section>")
    return "".join(parts)
