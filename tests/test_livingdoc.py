"""The executable spec (`features/`) stays complete and consistent, and `livingdoc` renders it with results."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from pytest_bdd.parser import FeatureParser

from livingdoc import Status, apply_results, load_features, render_html
from livingdoc.__main__ import main
from livingdoc.brands import BRANDS as BRAND_NAMES
from livingdoc.brands import brand_of_test_id, in_edition, name_the_app
from livingdoc.failure import plain_failure
from livingdoc.history import KEEP, read_history, record
from livingdoc.model import Feature, Scenario, Step, render
from livingdoc.render import COUNTED
from livingdoc.run import RunInfo
from steps.sentences import CHOICES, DEFINED, TYPES

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
STEPS_MD = FEATURES / "STEPS.md"

SOURCE_TAGS = {
    "overview",
    "picks-up-from-quickbooks",
    "picks-up-from-the-app",
    "payables-1way",
    "payables-2way",
    "receivables",
    "ar-start-date",
    "pre-june-2020",
}
BRANDS = ("Cashflow360", "Key CashFlow")


@pytest.fixture(scope="module")
def features() -> list[Feature]:
    return load_features(FEATURES)


def _html(text: str) -> Any:
    lxml.etree.fromstring(text.encode("utf-8"))  # well-formed: a strict XML parse must succeed
    return lxml.html.fromstring(text)


def _class_has(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


# --- the spec stays complete -------------------------------------------------------------------------------------


def test_every_feature_file_parses_as_pytest_bdd_binds_it(features: list[Feature]) -> None:
    files = sorted(FEATURES.rglob("*.feature"))
    assert len(files) == len(features) >= 7
    for path, feature in zip(files, features, strict=True):
        bound = FeatureParser(str(path.parent), path.name).parse()
        names = [s.name for s in feature.all_scenarios()]
        duplicates = [n for n, c in Counter(names).items() if c > 1]
        assert not duplicates, f"{path.name}: pytest-bdd keeps only one scenario per name: {duplicates}"
        assert sorted(bound.scenarios) == sorted(names)


def test_every_rule_has_at_least_one_example(features: list[Feature]) -> None:
    for feature in features:
        assert feature.rules, feature.path
        assert not feature.scenarios, f"{feature.path}: every example belongs to a Rule"
        for rule in feature.rules:
            assert rule.scenarios, f"{feature.path}: Rule '{rule.name}' has no example"
            for scenario in rule.scenarios:
                assert scenario.steps, f"{feature.path}: '{scenario.name}' has no steps"
                if scenario.is_outline:
                    assert all(t.rows for t in scenario.examples), f"{feature.path}: '{scenario.name}' has no rows"


def test_every_rule_quotes_its_source_and_names_its_section(features: list[Feature]) -> None:
    """A rule quotes the help article, or (tagged @sync-matrix) the Sync Matrix documented beyond it."""
    for feature in features:
        assert "seed-glance" in feature.tags, feature.path
        for rule in feature.rules:
            source = "Sync Matrix" if "sync-matrix" in rule.tags else "Help article"
            assert re.search(source + r': ".+"', rule.description, re.S), f"{feature.path}: '{rule.name}'"
            sections = SOURCE_TAGS & set(rule.tags)
            assert len(sections) == 1, f"{feature.path}: '{rule.name}' needs one section tag, has {sections}"


def test_the_rule_count_per_area(features: list[Feature]) -> None:
    per_section = Counter(tag for f in features for r in f.rules for tag in r.tags if tag in SOURCE_TAGS)
    # 9 and 11 items in the two "picks up changes" lists; one rule per sentence elsewhere.
    assert per_section == {
        "overview": 1,
        "picks-up-from-quickbooks": 9,
        "picks-up-from-the-app": 11,
        "payables-1way": 2,
        "payables-2way": 4,
        "receivables": 7,
        "ar-start-date": 4,
        "pre-june-2020": 3,
    }


def test_every_tag_is_a_registered_marker(features: list[Feature], pytestconfig: pytest.Config) -> None:
    registered = {line.split(":")[0].split("(")[0].strip() for line in pytestconfig.getini("markers")}
    used = set()
    for feature in features:
        used.update(feature.tags)
        for rule in feature.rules:
            used.update(rule.tags)
            for scenario in rule.scenarios:
                used.update(scenario.tags)
                used.update(tag for table in scenario.examples for tag in table.tags)
    assert used - registered == set()


def test_steps_never_name_the_brand(features: list[Feature]) -> None:
    for step in _all_steps(features):
        assert not any(brand in step for brand in BRANDS), step


# --- the step vocabulary (features/STEPS.md) matches the features -----------------------------------------------

_FORMATS = {
    "date": r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d?, \d{4}",
    "money": r"\$(?:0|[1-9]\d{0,2}(?:,\d{3})*)\.\d{2}",
    "name": r'[^"]+',
    "number": r'[^"]+',
}


def _vocabulary() -> tuple[dict[str, list[str]], list[str]]:
    """Parameter types (type -> allowed values, empty for a format) and step sentences from STEPS.md."""
    types: dict[str, list[str]] = {}
    sentences: list[str] = []
    section = ""
    for line in STEPS_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if not cells or not re.fullmatch(r"`[^`]+`", cells[0]):
            continue
        if section == "Parameter types":
            name = cells[0].strip("`{}")
            if "|" not in name:
                types[name] = re.findall(r"`([^`]+)`", cells[1])
        else:
            sentences.append(cells[0].strip("`"))
    return types, sentences


def _pattern(sentence: str, types: dict[str, list[str]]) -> tuple[re.Pattern[str], list[str]]:
    """A sentence as a regex, and the parameter type of each group in order."""
    groups: list[str] = []
    out: list[str] = []
    for token in re.split(r"(\{[^}]+\}|\[[^\]]+\] )", sentence):
        if token.startswith("{"):
            name = token[1:-1]
            if "|" in name:
                values = name.split("|")
            elif types.get(name):
                values = types[name]
            else:
                assert name in _FORMATS, f"STEPS.md: no parameter type {{{name}}} ({sentence})"
                out.append(f"({_FORMATS[name]})")
                groups.append(name)
                continue
            out.append("(" + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)) + ")")
            groups.append(name)
        elif token.startswith("["):
            out.append(f"(?:{re.escape(token[1:-2])} )?")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out)), groups


def _scenario_steps(scenario: Scenario) -> list[str]:
    if not scenario.is_outline:
        return [s.text for s in scenario.steps]
    return [render(s.text, scenario.context(t, r)) for t, r in scenario.rows() for s in scenario.steps]


def _all_steps(features: list[Feature]) -> list[str]:
    steps: list[str] = []
    for feature in features:
        steps.extend(s.text for s in feature.background)
        for rule in feature.rules:
            steps.extend(s.text for s in rule.background)
            for scenario in rule.scenarios:
                steps.extend(_scenario_steps(scenario))
    return steps


def test_steps_md_lists_every_step_sentence_and_nothing_else(features: list[Feature]) -> None:
    types, sentences = _vocabulary()
    assert len(sentences) == len(set(sentences)) >= 40
    patterns = [_pattern(s, types) for s in sentences]
    used: Counter[str] = Counter()
    values_used: defaultdict[str, set[str]] = defaultdict(set)
    for step in _all_steps(features):
        matches = [(s, p, g) for s, (p, g) in zip(sentences, patterns, strict=True) if p.fullmatch(step)]
        assert len(matches) == 1, f"step matches {len(matches)} sentences of STEPS.md: {step!r}"
        sentence, pattern, groups = matches[0]
        used[sentence] += 1
        match = pattern.fullmatch(step)
        assert match is not None
        for name, value in zip(groups, match.groups(), strict=True):
            values_used[name].add(value)
    assert [s for s in sentences if not used[s]] == [], "sentences in STEPS.md that no feature uses"
    for name, values in types.items():
        assert set(values) <= values_used[name], f"{{{name}}} values no feature uses: {set(values) - values_used[name]}"


def test_every_sentence_of_steps_md_is_a_step_of_the_step_library() -> None:
    types, sentences = _vocabulary()
    assert set(sentences) == DEFINED
    assert {name: set(values) for name, values in types.items() if values} == {
        name: set(values) for name, values in CHOICES.items()}
    assert set(types) == set(TYPES)


# --- rendering -----------------------------------------------------------------------------------------------------


def _element(scenario: Scenario, steps: list[tuple[Step, str]], status: str, **extra: Any) -> dict[str, Any]:
    """One cucumber JSON element as pytest-bdd writes it."""
    results = []
    failed = False
    for step, text in steps:
        result: dict[str, Any] = {"status": "passed" if status == "passed" else "failed", "duration": 1000}
        if status == "failed" and not failed:
            result["error_message"] = extra.get("error", "AssertionError")
            failed = True
        results.append(
            {"keyword": step.keyword, "name": text, "line": step.line, "match": {"location": ""}, "result": result}
        )
    return {
        "keyword": scenario.keyword,
        "id": extra.get("id", "test_x"),
        "name": extra.get("name", scenario.name),
        "line": scenario.line,
        "description": "",
        "tags": [],
        "type": "scenario",
        "steps": results,
    }


Expected = dict[tuple[str, str], Status]


def _synthetic_report(features: list[Feature], brand: str = "cashflow360"
                      ) -> tuple[list[dict[str, Any]], Counter[Status], Expected]:
    """Results of one brand for part of the real features: the first example of every rule passes, the second (if
    any) fails, the rest did not run; an outline's first row passes and its second fails. Examples of another
    brand's edition are not part of this one."""
    report = []
    expected: Counter[Status] = Counter()
    by_scenario: Expected = {}
    for feature in features:
        elements = []
        for rule in feature.rules:
            background = [(s, s.text) for s in feature.background + rule.background]
            for i, scenario in enumerate(rule.scenarios):
                if not in_edition(scenario.all_tags, brand):
                    expected[Status.NOT_IN_EDITION] += len(scenario.outcomes())
                    by_scenario[feature.path, scenario.name] = Status.NOT_IN_EDITION
                    continue
                if scenario.is_outline:
                    rows = list(scenario.rows())
                    for j, (table, row) in enumerate(rows):
                        status = {0: "passed", 1: "failed"}.get(j)
                        if status is None:
                            expected[Status.NOT_RUN] += 1
                            continue
                        ctx = scenario.context(table, row)
                        steps = [(s, render(s.text, ctx)) for s in scenario.steps]
                        elements.append(
                            _element(
                                scenario,
                                background + steps,
                                status,
                                id=f"test_x[{brand}-inprocess-{'-'.join(row.values)}]",
                                name=render(scenario.name, ctx),
                            )
                        )
                        expected[Status(status)] += 1
                    by_scenario[feature.path, scenario.name] = Status.FAILED if len(rows) > 1 else Status.PASSED
                    continue
                status = {0: "passed", 1: "failed"}.get(i)
                if status is None:
                    expected[Status.NOT_RUN] += 1
                    by_scenario[feature.path, scenario.name] = Status.NOT_RUN
                    continue
                steps = [(s, s.text) for s in scenario.steps]
                error = f'assert <script>alert("{scenario.name}")</script> & more'
                elements.append(_element(scenario, background + steps, status, error=error,
                                         id=f"test_x[{brand}-inprocess]"))
                expected[Status(status)] += 1
                by_scenario[feature.path, scenario.name] = Status(status)
        report.append({"keyword": "Feature", "uri": feature.path, "name": feature.name, "elements": elements})
    return report, expected, by_scenario


def test_renders_the_real_features_with_results() -> None:
    features = load_features(FEATURES)
    report, expected, by_scenario = _synthetic_report(features)
    assert expected[Status.PASSED] and expected[Status.FAILED] and expected[Status.NOT_RUN]
    unmatched = apply_results(features, json.loads(json.dumps(report)))
    assert unmatched == []
    doc = _html(render_html(features, title="Sync spec", results_label="report.json", brands=["cashflow360"]))

    # the summary counts every example: plain scenarios once, outlines once per row
    counts = {
        box.xpath("normalize-space(text())"): int(box.xpath("string(span)"))
        for box in doc.xpath(f'//section[@id="summary"]//div[{_class_has("count")}]')
    }
    assert counts == {s.value: expected[s] for s in (Status.PASSED, Status.FAILED, Status.NOT_RUN)}
    per_brand = [td.text for td in doc.xpath('//table[@class="brands"]//tr[@data-brand="cashflow360"]/td')]
    assert per_brand == [str(expected[s]) for s in COUNTED]

    # every feature, Rule (with its description) and scenario is on the page
    for feature in features:
        assert doc.xpath("//h2[contains(., $n)]", n=feature.name), feature.name
        for rule in feature.rules:
            section = doc.xpath('//section[@class="rule"][h3[contains(., $n)]]', n=rule.name)
            assert len(section) == 1, rule.name
            text = " ".join(section[0].xpath("string(div[@class='description'])").split())
            assert ("Not part of" in section[0].xpath("string(p[@class='edition'])")) == (
                not in_edition([*feature.tags, *rule.tags], "cashflow360"))
            assert " ".join(rule.description.split()) == text
            for scenario in rule.scenarios:
                article = section[0].xpath("article[h4[contains(., $n)]]", n=scenario.name)
                assert len(article) == 1, scenario.name
                status = by_scenario[feature.path, scenario.name]
                assert article[0].xpath(f"h4//span[{_class_has('status')}]/text()") == [status.value]
                assert status.value.replace(" ", "-") in article[0].get("class").split()
                if status is Status.NOT_IN_EDITION:
                    assert "documented for Key CashFlow accounts only" in section[0].xpath("string(p)")
                steps = [" ".join(li.text_content().split()) for li in article[0].xpath("ol/li")]
                assert steps == [f"{s.keyword} {s.text}" for s in scenario.steps]

    # an Examples table keeps its business headers and gets one result per row
    outline = doc.xpath('//article[h4[contains(., "account in QuickBooks appears in the app")]]')[0]
    table = outline.xpath(".//table")[0]
    assert table.xpath("thead/tr/th/text()") == ["account type", "account", "Cashflow360"]
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")]
    assert rows[0] == ["expense", "Office Supplies", "passed"]
    assert rows[1][:2] == ["income", "Consulting Income"] and rows[1][2].startswith("failed")
    assert [r[2] for r in rows[2:]] == ["not run", "not run"]

    # tags of features, rules and scenarios
    tags = set(doc.xpath('//ul[@class="tags"]/li/text()'))
    assert {"@seed-glance", "@picks-up-from-quickbooks", "@two-way-bill-sync", "@cashflow360-only"} <= tags

    # error messages are text, never markup
    [script] = doc.xpath("//script")  # the page's own (find), nothing from a message
    assert "alert(" not in script.text
    assert doc.xpath('//div[@class="failure"]//dd[@class="message"][contains(., "<script>alert(")]')


def test_renders_without_results_as_all_not_run(features: list[Feature]) -> None:
    doc = _html(render_html(load_features(FEATURES)))
    total = sum(len(f.outcomes()) for f in features)
    assert doc.xpath(f"string(//div[{_class_has('not-run')}]/span)") == str(total)
    assert doc.xpath(f"//span[{_class_has('status')} and ({_class_has('passed')} or {_class_has('failed')})]") == []


SAMPLE = '''\
@sample
Feature: Sample & <checks>
  A description with <angle brackets> & "quotes".

  Background:
    Given a starting point

  Rule: The first rule
    Help article: "a rule".

    Example: Plain passes
      Given a table:
        | name  | note        |
        | Ann   | <b>bold</b> |
      Then a text:
        """
        line one & <two>
        """

    Example: Plain fails
      Then it fails

    Scenario Outline: Rows by steps <n>
      Then row <n> is <result>

      Examples:
        | n | result |
        | 1 | good   |
        | 2 | bad    |
        | 3 | good   |

    Scenario Outline: Rows by id only <n>
      Then the same text

      Examples:
        | n |
        | 1 |
        | 2 |
'''

CONFTEST = """\
from pytest_bdd import given, parsers, scenarios, then

scenarios("features")


@given(parsers.re("(?P<text>.*)"))
@then(parsers.re("(?P<text>.*)"))
def anything(text, request):
    assert "fails" not in text and "bad" not in text and "[2]" not in request.node.name, text
"""


def _run_sample(tmp_path: Path) -> Path:
    """pytest-bdd's cucumber JSON report of a run of the sample feature."""
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "sample.feature").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "test_sample.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    sample: sample\n", encoding="utf-8")
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-c",
            "pytest.ini",
            "--rootdir",
            str(tmp_path),
            f"--cucumberjson={report}",
            "test_sample.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "3 failed, 4 passed" in run.stdout, run.stdout + run.stderr
    return report


def test_joins_a_real_pytest_bdd_report(tmp_path: Path) -> None:
    """pytest-bdd's own cucumber JSON, from a run of a sample feature, lands on the right examples."""
    report = _run_sample(tmp_path)
    features = load_features(tmp_path / "features")
    assert apply_results(features, json.loads(report.read_text())) == []
    [feature] = features
    by_name = {s.name: s for s in feature.all_scenarios()}
    assert by_name["Plain passes"].status is Status.PASSED
    assert by_name["Plain fails"].status is Status.FAILED
    assert by_name["Plain fails"].outcome.error
    assert [r.outcome.status for _, r in by_name["Rows by steps <n>"].rows()] == [
        Status.PASSED,
        Status.FAILED,
        Status.PASSED,
    ]
    assert [r.outcome.status for _, r in by_name["Rows by id only <n>"].rows()] == [Status.PASSED, Status.FAILED]

    doc = _html(render_html(features))
    assert doc.xpath("string(//section[@class='feature']/h2)").startswith("Feature: Sample & <checks>")
    assert doc.xpath('//p[. = concat("A description with <angle brackets> & ", \'"quotes".\')]')
    assert doc.xpath('//li[contains(., "a table:")]/table/tbody/tr/td/text()') == ["Ann", "<b>bold</b>"]
    assert doc.xpath('//li[contains(., "a text:")]/pre/text()') == ["line one & <two>"]
    assert doc.xpath('//span[@class="param"]/text()')[:2] == ["<n>", "<result>"]
    assert doc.xpath("//b") == []


def test_a_result_for_a_missing_scenario_is_listed(tmp_path: Path) -> None:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "sample.feature").write_text(SAMPLE, encoding="utf-8")
    features = load_features(tmp_path / "features")
    report = [
        {"uri": "features/sample.feature", "elements": [{"name": "Gone", "line": 99, "steps": []}]},
        {"uri": "features/other.feature", "elements": [{"name": "Elsewhere", "line": 3, "steps": []}]},
    ]
    unmatched = apply_results(features, report)
    assert [(u.name, u.status) for u in unmatched] == [("Gone", Status.NOT_RUN), ("Elsewhere", Status.NOT_RUN)]
    doc = _html(render_html(features, unmatched=unmatched))
    assert doc.xpath('//section[@id="unmatched"]//td/text()')[:3] == ["features/sample.feature", "99", "Gone"]


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build" / "spec.html"
    assert main(["--features", str(FEATURES), "--out", str(out)]) == 0
    assert "not run" in capsys.readouterr().out
    _html(out.read_text(encoding="utf-8"))

    report = tmp_path / "report.json"
    report.write_text(json.dumps([]), encoding="utf-8")
    assert main(["--features", str(FEATURES), "--results", str(report), "--out", str(out)]) == 0

    with pytest.raises(SystemExit) as exit_info:
        main(["--features", str(FEATURES), "--results", str(tmp_path / "missing.json"), "--out", str(out)])
    assert exit_info.value.code == 2
    report.write_text(json.dumps({"not": "a report"}), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--features", str(FEATURES), "--results", str(report), "--out", str(out)])
    with pytest.raises(SystemExit):
        main(["--features", str(tmp_path / "nowhere"), "--out", str(out)])


def _brand_results(node: Any) -> dict[str, str]:
    """Brand name -> status of the side-by-side results in a heading."""
    return {span.xpath("string(span[@class='brand'])"): span.xpath(f"string(span[{_class_has('status')}])")
            for span in node.xpath(f".//span[{_class_has('brand-result')}]")}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec's introduction and its rules for accounts created before June 5, 2020, run for both brands on an
    xdist worker: the cucumber JSON report (the run's record beside it)."""
    report = tmp_path_factory.mktemp("run") / "cucumber.json"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_spec.py", "-q", "-p", "no:cacheprovider", "-n", "1",
         "-m", "overview or pre-june-2020", f"--cucumberjson={report}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},  # not this run's worker
    )
    # overview: 2 examples x 2 brands; before June 5, 2020: 6 for Cashflow360, 3 for Key CashFlow
    assert run.returncode == 0 and "13 passed" in run.stdout, run.stdout + run.stderr
    assert "9 examples deselected" in run.stdout
    return report


def test_renders_a_real_run_of_the_spec(real_run: Path, tmp_path: Path) -> None:
    """Each example shows its result for each brand; what a brand's edition does not have is shown so, with why."""
    out = tmp_path / "spec.html"
    assert main(["--features", str(FEATURES), "--results", str(real_run), "--out", str(out)]) == 0
    doc = _html(out.read_text(encoding="utf-8"))
    ran = [f for f in load_features(FEATURES) if {"overview", "pre-june-2020"} & {t for r in f.rules for t in r.tags}]
    examples = sum(len(f.outcomes()) for f in ran)
    assert doc.xpath(f"string(//div[{_class_has('passed')}]/span)") == str(examples) == "11"
    assert doc.xpath(f"string(//div[{_class_has('failed')}]/span)") == "0"
    summary = {tr.get("data-brand"): [td.text for td in tr.xpath("td")]
               for tr in doc.xpath('//table[@class="brands"]/tbody/tr')}
    total = sum(len(f.outcomes()) for f in load_features(FEATURES))
    assert summary == {"cashflow360": ["8", "0", str(total - 11), "3"], "keycashflow": ["5", "0", str(total - 11), "6"]}

    # the header: the brands, the date, the commit and the duration of the run
    header = " ".join(doc.xpath("string(//header)").split())
    assert re.search(r"Brands: Cashflow360, Key CashFlow · Run on [A-Z][a-z]{2} \d+, \d{4} \d\d:\d\d UTC · "
                     r"commit [0-9a-f]{7,}.* · took \d+\.\d s", header), header

    intro = doc.xpath('//section[@class="feature"][h2[contains(., "The sync between")]]')[0]
    for article in intro.xpath(".//article"):
        assert _brand_results(article.xpath("h4")[0]) == {"Cashflow360": "passed", "Key CashFlow": "passed"}
    rules = {" ".join("".join(r.xpath("h3/text()")).split()): r for r in doc.xpath('//section[@class="rule"]')}
    cashflow360_only = rules["Customer Support can turn off the invoice status and amount due sync"]
    assert _brand_results(cashflow360_only.xpath("h3")[0]) == {"Cashflow360": "passed",
                                                              "Key CashFlow": "not part of that edition"}
    assert "Not part of the Key CashFlow edition: documented for Cashflow360 accounts only" in \
        cashflow360_only.xpath("string(p[@class='edition'])")
    key_only = next(r for name, r in rules.items() if "On Key CashFlow accounts" in name)
    assert _brand_results(key_only.xpath("h3")[0]) == {"Cashflow360": "not part of that edition",
                                                      "Key CashFlow": "passed"}
    table = key_only.xpath(".//table")[0]
    assert table.xpath("thead/tr/th/text()")[-2:] == ["Cashflow360", "Key CashFlow"]
    assert [[" ".join(td.text_content().split()) for td in tr.xpath("td")][-2:] for tr in table.xpath("tbody/tr")] \
        == [["not part of that edition", "passed"]] * 2


def test_renders_one_brands_edition(real_run: Path, tmp_path: Path) -> None:
    """`--brand keycashflow`: the Key CashFlow edition, its name where the features say "the app"."""
    out = tmp_path / "spec.html"
    assert main(["--features", str(FEATURES), "--results", str(real_run), "--brand", "keycashflow",
                 "--out", str(out)]) == 0
    doc = _html(out.read_text(encoding="utf-8"))
    assert doc.xpath("string(//h1)").startswith("Key CashFlow: ")
    assert "Key CashFlow edition" in doc.xpath("string(//header)")
    steps = [" ".join(li.text_content().split()) for li in doc.xpath("//ol[@class='steps']/li")]
    assert not [s for s in steps if "the app" in s.lower()]
    assert "When a person in Key CashFlow adds the customer \"Riverside Dental\"" in steps
    assert "Cashflow360" not in " ".join(steps)
    assert [tr.get("data-brand") for tr in doc.xpath('//table[@class="brands"]/tbody/tr')] == ["keycashflow"]
    names = [" ".join("".join(h.xpath("text()")).split()) for h in doc.xpath("//h3")]
    assert "Information moves between Key CashFlow and QuickBooks only when the sync runs" in names


def test_the_app_in_a_brands_words() -> None:
    assert name_the_app("The app's invoice; the app shows it; a happy apple", "keycashflow") == \
        "Key CashFlow's invoice; Key CashFlow shows it; a happy apple"
    assert brand_of_test_id("test_x[keycashflow-inprocess-$400.00]") == "keycashflow"
    assert brand_of_test_id("test_x[cashflow360]") == "cashflow360"
    assert brand_of_test_id("test_x[1-2]") == ""
    assert in_edition(["pre-june-2020", "cashflow360-only"], "cashflow360")
    assert not in_edition(["pre-june-2020", "cashflow360-only"], "keycashflow")
    assert set(BRAND_NAMES.values()) == set(BRANDS)


def test_a_failure_for_one_brand_shows_for_that_brand_only(features: list[Feature]) -> None:
    report, _, _ = _synthetic_report(features, "keycashflow")
    passing, _, _ = _synthetic_report(features, "cashflow360")
    for feature in passing:
        for element in feature["elements"]:
            for step in element["steps"]:
                step["result"] = {"status": "passed", "duration": 1}
    fresh = load_features(FEATURES)
    assert apply_results(fresh, report + passing) == []
    doc = _html(render_html(fresh))
    article = doc.xpath('//article[h4[contains(., "One sync carries the changes of both sides")]]')[0]
    assert _brand_results(article.xpath("h4")[0]) == {"Cashflow360": "passed", "Key CashFlow": "failed"}
    assert "failed" in article.get("class").split()
    assert [f.get("data-brand") for f in article.xpath("div[@class='failure']")] == ["keycashflow"]


def test_a_failure_in_plain_words(tmp_path: Path) -> None:
    """A real failure, as Key CashFlow's: the brand named, what the rule expects (the failed step, highlighted)
    against what happened (the assertion's message), the traceback folded away."""
    report = json.loads(_run_sample(tmp_path).read_text())
    for feature in report:
        for element in feature["elements"]:
            element["id"] = element["id"].replace("[", "[keycashflow-inprocess-") if "[" in element["id"] \
                else element["id"] + "[keycashflow-inprocess]"
    features = load_features(tmp_path / "features")
    assert apply_results(features, report) == []
    doc = _html(render_html(features))
    article = doc.xpath('//article[h4[contains(., "Plain fails")]]')[0]
    assert _brand_results(article.xpath("h4")[0]) == {"Cashflow360": "not run", "Key CashFlow": "failed"}
    [failed] = article.xpath('ol/li[@class="failed-step"]')
    assert " ".join(failed.text_content().split()) == "failed for Key CashFlow Then it fails"
    [failure] = article.xpath('div[@class="failure"]')
    assert failure.get("data-brand") == "keycashflow"
    assert failure.xpath("string(p)") == "Failed for Key CashFlow"
    assert failure.xpath("dl/dt/text()") == ["The rule expects", "What happened"]
    assert failure.xpath("string(dl/dd[1])") == "it fails"
    assert failure.xpath("string(dl/dd[@class='message'])") == "it fails"
    assert failure.xpath("string(details/summary)") == "Traceback"
    assert "def anything(text, request):" in failure.xpath("string(details/pre)")
    # an outline row's failure names the row
    outline = doc.xpath('//article[h4[contains(., "Rows by steps")]]')[0]
    assert outline.xpath("string(.//div[@class='failure']/p)") == "Failed for Key CashFlow in the row 2 | bad"


def test_plain_failure_reads_pytests_report() -> None:
    report = (
        "    def shows(world):\n>       assert found, f'the app shows no vendor'\n"
        "E       AssertionError: the app shows no vendor \"Harbor\"; it shows []\n"
        "E         \n"
        "E         the last sync:\n"
        "E           1 vendor sent\n"
        "E       assert None\n\nsteps/app_shows.py:32: AssertionError"
    )
    plain = plain_failure(report)
    assert plain.message == 'the app shows no vendor "Harbor"; it shows []'
    assert plain.detail == "the last sync:\n  1 vendor sent"
    assert plain.traceback == report
    assert plain_failure("E       assert 1 == 2").message == "assert 1 == 2"
    assert plain_failure("Timeout >10s").message == "Timeout >10s"


def test_find_needs_no_server(features: list[Feature]) -> None:
    """The search box and the filters are on the page with what they read; the page loads nothing else."""
    fresh = load_features(FEATURES)
    report, _, _ = _synthetic_report(fresh)
    apply_results(fresh, report)
    text = render_html(fresh)
    doc = _html(text)
    form = doc.xpath('//form[@id="find"]')[0]
    assert form.xpath('input[@type="search"]')
    options = {s.get("id"): [o.get("value") for o in s.xpath("option")] for s in form.xpath(".//select")}
    assert options["find-section"] == ["", *(f"f-{f.path.replace('/', '-').replace('.', '-')}"
                                              .replace("_", "-") for f in fresh)]
    assert {"receivables", "two-way-bill-sync", "cashflow360-only"} <= set(options["find-tag"])
    assert options["find-brand"] == ["", "cashflow360", "keycashflow"]
    assert options["find-status"] == ["", "passed", "failed", "not-run", "not-part-of-that-edition"]
    article = doc.xpath('//article[h4[contains(., "With the sync turned off, a payment received")]]')[0]
    assert article.get("data-section") == "f-features-08-accounts-created-before-june-5-2020-feature"
    assert set(article.get("data-tags").split()) == {"seed-glance", "pre-june-2020", "cashflow360-only"}
    assert set(article.get("data-results").split()) == {"cashflow360:passed", "keycashflow:not-part-of-that-edition"}
    assert len(doc.xpath("//article[@data-results]")) == sum(1 for f in fresh for _ in f.all_scenarios())
    assert not re.search(r'\b(?:src|href)="(?!#)', text) and "<link" not in text


def test_history_keeps_each_run_and_shows_the_trend(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    runs = []
    for i, status in enumerate(["passed", "failed", "failed"]):
        features = load_features(FEATURES)
        report, _, _ = _synthetic_report(features)
        for feature in report:
            for element in feature["elements"]:
                if element["name"] == "One sync carries the changes of both sides":
                    for step in element["steps"]:
                        step["result"] = {"status": status}
        apply_results(features, report)
        run = RunInfo(started=f"2026-12-0{i + 1}T10:00:00+00:00", commit=f"c0ffee{i}", brands=["cashflow360"])
        runs = record(path, features, ["cashflow360"], run)
    assert len(path.read_text().splitlines()) == len(runs) == 3
    assert record(path, features, ["cashflow360"], run) and len(read_history(path)) == 3  # the same run again
    key = "features/01_the_sync.feature::Information moves between the app and QuickBooks only when the sync runs"
    # its second example passed, then failed twice
    assert [r.rules[key]["cashflow360"] for r in runs] == ["passed", "failed", "failed"]
    doc = _html(render_html(features, brands=["cashflow360"], history=runs))
    rule = doc.xpath('//section[@class="rule"][h3[contains(., "Information moves")]]')[0]
    ticks = rule.xpath('.//div[@class="trend"]//span[contains(@class, "tick")]/@class')
    assert ticks == ["tick passed", "tick failed", "tick failed"]
    assert "results as now since 2026-12-02 10:00 (commit c0ffee1)" in rule.xpath("string(.//div[@class='trend'])")
    other = doc.xpath('//section[@class="rule"][h3[contains(., "Accounts added or changed in QuickBooks")]]')[0]
    assert "unchanged in all 3 runs recorded" in other.xpath("string(.//div[@class='trend'])")
    for i in range(KEEP + 5):
        record(path, features, ["cashflow360"], RunInfo(started=f"2027-01-01T00:{i:02d}:00+00:00"))
    assert len(read_history(path)) == KEEP
