"""The spec's page in a real browser: headless Chromium (Debian's `chromium`, driven by Playwright) opens the page
from a file, with every network request refused, and finds rules and examples with the search box and the filters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from livingdoc import apply_results, load_features, render_html
from livingdoc.model import Feature
from tests.test_livingdoc import FEATURES, _synthetic_report

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def features() -> list[Feature]:
    """The real features with results for both brands: the first example of every rule passes, the second fails,
    the rest did not run (for Key CashFlow as for Cashflow360)."""
    features = load_features(FEATURES)
    report = [*_synthetic_report(features, "cashflow360")[0], *_synthetic_report(features, "keycashflow")[0]]
    assert apply_results(features, json.loads(json.dumps(report))) == []
    return features


@pytest.fixture(scope="module")
def page(features: list[Feature], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    out = tmp_path_factory.mktemp("page") / "spec.html"
    out.write_text(render_html(features), encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        tab = browser.new_page()
        tab.route("**/*", lambda route: route.continue_() if route.request.url == out.as_uri() else route.abort())
        tab.on("request", lambda request: requests.append(request.url))
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(out.as_uri())
        yield tab
        assert requests == [out.as_uri()], "the page loads nothing but itself"
        assert errors == []
        browser.close()


def _visible(page: Any) -> list[dict[str, str]]:
    """The examples shown: their id, class, section, tags and results."""
    return [dict(a) for a in page.eval_on_selector_all(
        "article.scenario",
        "els => els.filter(a => a.offsetParent !== null).map(a => ({id: a.id, cls: a.className, "
        "section: a.dataset.section, tags: a.dataset.tags, results: a.dataset.results, text: a.innerText, "
        "found_in: a.textContent + ' ' + a.closest('section.rule, section.feature').textContent}))")]


def _reset(page: Any) -> None:
    page.fill("#find-text", "")
    for name in ("section", "tag", "brand", "status"):
        page.select_option(f"#find-{name}", "")


def test_everything_shows_at_first(page: Any, features: list[Feature]) -> None:
    total = sum(1 for f in features for _ in f.all_scenarios())
    assert page.text_content("#find-count") == f"Showing {total} of {total} scenarios"
    assert len(_visible(page)) == total


def test_the_search_box_finds_rules_and_examples(page: Any) -> None:
    _reset(page)
    page.fill("#find-text", "bank BALANCE")
    shown = _visible(page)
    assert 0 < len(shown) < 10
    for example in shown:
        rule = page.eval_on_selector(f"#{example['id']}", "a => a.closest('section.rule').innerText")
        assert "bank balance" in (example["text"] + rule).lower()
    assert page.text_content("#find-count").startswith(f"Showing {len(shown)} of ")
    # a feature with nothing found is hidden whole
    assert not page.is_visible('section.feature:has(h2:text("The sync start date for AR invoices"))')
    page.fill("#find-text", "no such words anywhere")
    assert _visible(page) == []


def test_filters_by_section_and_tag(page: Any) -> None:
    _reset(page)
    page.select_option("#find-section", label="Receivables")
    shown = _visible(page)
    assert shown and {e["section"] for e in shown} == {"f-features-06-receivables-feature"}
    page.select_option("#find-section", "")
    page.select_option("#find-tag", "two-way-bill-sync")
    shown = _visible(page)
    assert shown and all("two-way-bill-sync" in e["tags"].split() for e in shown)
    assert page.is_visible('section.feature:has(h2:text("Payables with 2-way bill sync"))')
    assert not page.is_visible('section.feature:has(h2:text("Feature: Receivables"))')


def test_filters_by_brand_and_status(page: Any, features: list[Feature]) -> None:
    _reset(page)
    page.select_option("#find-brand", "keycashflow")
    page.select_option("#find-status", "not-part-of-that-edition")
    shown = _visible(page)
    only = [s.line for f in features for s in f.all_scenarios() if "cashflow360-only" in s.all_tags]
    assert len(only) == 3
    assert sorted(int(e["id"].rsplit("-s", 1)[1]) for e in shown) == sorted(only)
    first = page.locator(f"#{shown[0]['id']} > h4")
    assert "Key CashFlow" in first.inner_text() and "Cashflow360" not in first.inner_text()  # the other brand hides

    page.select_option("#find-brand", "")
    page.select_option("#find-status", "failed")
    shown = _visible(page)
    assert shown and all("failed" in e["cls"].split() for e in shown)
    page.select_option("#find-brand", "cashflow360")
    page.select_option("#find-status", "not-run")
    not_run = _visible(page)
    assert not_run and all("cashflow360:not-run" in e["results"].split() for e in not_run)
    page.fill("#find-text", "invoice")
    narrowed = _visible(page)
    # the example, its rule or its feature says it
    assert 0 < len(narrowed) < len(not_run) and all("invoice" in e["found_in"].lower() for e in narrowed)
    _reset(page)
    assert len(_visible(page)) == page.eval_on_selector_all("article.scenario", "els => els.length")
