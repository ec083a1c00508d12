"""Every sentence of both editions of the help article, and of the Sync Matrix passages the rules quote, is encoded
by a rule or says why it is none; the page shows them sentence by sentence (`livingdoc.trace`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from livingdoc import load_features, render_html
from livingdoc.brands import BRANDS
from livingdoc.model import Feature
from livingdoc.trace import DEFAULT_SOURCES, NOT_RULES_FILE, Sources, norm, quotations, read_article, trace

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
SHARED = Path(os.environ.get("SPEC_SOURCES") or DEFAULT_SOURCES)
PUBLISHED = Sources.published(SHARED, FEATURES / NOT_RULES_FILE)
if len(PUBLISHED.articles) < len(BRANDS) or PUBLISHED.research is None:
    pytest.skip(f"the spec's published sources are not beside the checkout ({SHARED}; SPEC_SOURCES names another "
                "folder)", allow_module_level=True)


def edition_text(brand: str) -> str:
    return PUBLISHED.articles[brand].read_text(encoding="utf-8")
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def features() -> list[Feature]:
    return load_features(FEATURES)


def test_every_sentence_of_both_editions_is_encoded_or_says_why(features: list[Feature]) -> None:
    sources, misquotes = trace(features, PUBLISHED)
    assert [s.key for s in sources] == ["cashflow360", "keycashflow", "sync-matrix"]
    assert [(m.feature.path, m.rule.name, m.source, m.quoted) for m in misquotes] == []
    for source in sources:
        assert [s.text for s in source.uncovered()] == [], source.title
        assert sum(1 for s in source.sentences if s.rules) >= (2 if source.brand is None else 40)
    # every rule of the article encodes a sentence of each edition it belongs to
    encoded = {id(link.rule) for source in sources for s in source.sentences for link in s.rules}
    assert [r.name for f in features for r in f.rules if id(r) not in encoded] == []


def test_each_brand_has_its_edition_among_the_published_sources() -> None:
    assert sorted(PUBLISHED.articles) == sorted(BRANDS)
    for brand, name in BRANDS.items():
        assert name in edition_text(brand) and all(n not in edition_text(brand) for n in BRANDS.values() if n != name)


def test_a_rule_for_one_brand_quotes_what_only_that_edition_says(features: list[Feature]) -> None:
    editions = {b: read_article(edition_text(b)) for b in BRANDS}
    only = [(f, r) for f in features for r in f.rules if "cashflow360-only" in r.tags]
    assert len(only) == 2
    for _, rule in only:
        source, quoted = quotations(rule)
        assert source == "Help article" and quoted
        for q in quoted:
            assert any(norm(q).rstrip(".") in norm(s.full, "cashflow360") for s in editions["cashflow360"]), q
            assert not any(norm(q).rstrip(".") in norm(s.full, "keycashflow") for s in editions["keycashflow"]), q


def test_lists_are_read_item_by_item_with_their_lead_in() -> None:
    sentences = read_article(edition_text("keycashflow"))
    vendors = [s for s in sentences if s.text == "Vendors"]
    assert [s.full for s in vendors] == [
        "With each sync, Key CashFlow picks up changes made in QuickBooks to: Vendors",
        "QuickBooks picks up any changes made in Key CashFlow to: Vendors",
    ]
    nested = next(s for s in sentences if s.text.startswith("After the sync, invoices can only be edited"))
    assert nested.depth == 2


SAMPLE = '''\
@seed-glance
Feature: Sample
  Rule: Vendors added in QuickBooks appear in the app
    Help article: "the app picks up changes made in QuickBooks to: Vendors".

    Example: One
      Given a step

  Rule: A rule that misquotes
    Help article: "Invoices sync every hour."

    Example: Two
      Given a step
'''


def _sample(tmp_path: Path, extra: str) -> tuple[list[Feature], Sources]:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "sample.feature").write_text(SAMPLE, encoding="utf-8")
    article = tmp_path / "keycashflow.txt"
    article.write_text(edition_text("keycashflow") + "\n" + extra + "\n", encoding="utf-8")
    return load_features(tmp_path / "features"), Sources({"keycashflow": article}, None, PUBLISHED.not_rules)


def _page(html: str) -> Any:
    return lxml.html.fromstring(html)


def test_an_uncovered_sentence_and_a_misquote_are_found_and_shown(tmp_path: Path) -> None:
    features, found = _sample(tmp_path, "Bills sync on Sundays only.")
    [edition], misquotes = trace(features, found)
    assert [m.quoted for m in misquotes] == ["Invoices sync every hour.", "(none of its quotations)"]
    uncovered = [s.text for s in edition.uncovered()]
    assert "Bills sync on Sundays only." in uncovered
    full = [s.full for s in edition.uncovered()]
    picked_up = "With each sync, Key CashFlow picks up changes made in QuickBooks to: "
    assert picked_up + "Accounts" in full and picked_up + "Vendors" not in full  # the sample encodes one item
    assert "Things to know" not in uncovered  # a heading, listed in TRACE.md with why

    doc = _page(render_html(features, sources=[edition], edition="keycashflow"))
    section = doc.xpath('//section[@id="trace-keycashflow"]')[0]
    assert len(section.xpath(".//li[contains(@class, 'sentence')]")) == len(edition.sentences)
    sunday = section.xpath('.//li[q[contains(., "Sundays")]]')[0]
    assert sunday.get("class") == "sentence uncovered" and "uncovered" in sunday.text_content()
    vendors = section.xpath('.//li[contains(@class, "encoded")][q = "• Vendors"]')
    assert len(vendors) == 1  # of the first list; in the second it is uncovered
    link = vendors[0].xpath(".//a")[0]
    assert link.text == "Vendors added in QuickBooks appear in Key CashFlow"
    assert doc.xpath(f'//section[@class="rule"][@id="{link.get("href")[1:]}"]')
    assert vendors[0].xpath("string(.//span[@class='brand-result'])") == "Key CashFlownot run"
    heading = section.xpath('.//li[q = "Things to know"]')[0]
    assert "No rule: a heading" in heading.text_content()
    assert "uncovered" in section.xpath("string(p)") and "2 " not in section.xpath("string(p)").split(",")[-1]


def test_the_page_shows_each_edition_sentence_by_sentence(features: list[Feature]) -> None:
    sources, _ = trace(features, PUBLISHED)
    doc = _page(render_html(features, sources=sources))
    for source in sources:
        section = doc.xpath(f'//section[@id="trace-{source.key}"]')[0]
        assert len(section.xpath(".//li[contains(@class, 'sentence')]")) == len(source.sentences)
        assert section.xpath(".//li[contains(@class, 'uncovered')]") == []
    matrix = doc.xpath('//section[@id="trace-sync-matrix"]')[0]
    assert "Key CashFlow accounts" in matrix.xpath("string(.//a)")
    one = _page(render_html(features, sources=sources, edition="cashflow360"))
    assert [s.get("id") for s in one.xpath('//section[@class="source"]')] == ["trace-cashflow360", "trace-sync-matrix"]
