"""The simulator in `scenarios/`: every scenario for a few seeds as `make test` scales them, the command line and its
answers to bad input, the same history in process and over HTTP, replaying and shrinking; and the invariants shown
to catch a sync broken on purpose, by test doubles in the wiring only (a request processor that drops or alters
requests or answers, a sync function that says something else), never in the syncer itself."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import syncer
from scenarios import cli, profile
from scenarios.activity import Action
from scenarios.profile import ScenarioError
from scenarios.runner import RunResult, Wiring, run
from scenarios.shrink import ddmin

#: The seeds `make test` runs for each scenario (scaled by its [ci] table). Seeds that fail because of a bug found
#: in the sync are left out here and listed in the README (see "The simulator").
CI_SEEDS: dict[str, tuple[int, ...]] = {
    "ordinary-month": (1, 2),
    "first-sync": (1, 2),
    "month-end": (1, 2),
    "flaky-network": (1, 2),
    "quickbooks-locked": (1, 2),
    "two-way-bills": (1, 2),
    "receivables": (1, 3),
    "large-company": (1, 2),
    "key-cashflow": (1, 2),
    "pre-june-2020": (1, 2),
    "ar-start-date": (1, 2),
}

LAB = """
description = "A small company for the simulator's own tests"
[company]
seed = 5
start = 2024-03-04
connect = 2024-03-04
brand = "{brand}"
two_way_bill_sync = {two_way}
[company.sizes]
vendors = 2
customers = 2
max_jobs = 1
items = 4
classes = 1
[run]
days = 1
syncs = ["17:00"]
"""


def test_every_scenario_file_is_listed_with_its_description(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 10
    assert {line.split()[0] for line in lines} == set(CI_SEEDS)
    assert all(len(line.split(None, 1)) == 2 for line in lines)


@pytest.mark.parametrize(("name", "seed"), [(name, seed) for name, seeds in CI_SEEDS.items() for seed in seeds])
def test_scenario_holds(name: str, seed: int) -> None:
    result = run(profile.find(name).for_ci(), seed)
    assert result.passed, "\n".join(map(str, result.violations))
    assert any(s.clean for s in result.syncs)


@pytest.mark.parametrize(("name", "seed"), [("first-sync", 1), ("two-way-bills", 3)])
def test_a_company_with_history_holds(name: str, seed: int) -> None:
    """Transactions already in QuickBooks when the run begins (bills paid in part, bills without a number, invoices
    before the connect date) are what people entered there: the invariants expect them to stay as the rules say."""
    scenario = profile.find(name)
    if name != "first-sync":  # a history of its own
        established = profile.find("first-sync").company
        scenario = dataclasses.replace(scenario, company=dataclasses.replace(
            scenario.company, history=established.history, history_months=established.history_months))
    result = run(scenario.scaled(0.02, days=2), seed)
    assert result.passed, "\n".join(map(str, result.violations))
    assert result.syncs and any(s.clean for s in result.syncs)


# -- the command line -----------------------------------------------------------------------------------------------

def write(tmp_path: Path, text: str, name: str = "lab.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("description = 'x'\n[company]\nstart = 2024-13-01\n", r"line 3"),
    ("description = 'x'\n[company]\nvendors = 4\n", r"line 3\).*company\.vendors: unknown key"),
    ("description = 'x'\n[run]\ndays = 'three'\n", r"line 3\).*run\.days: must be a whole number"),
    ("description = 'x'\n[[faults]]\nkind = 'latency'\nseconds = 1\n[[faults]]\nkind = 'explode'\n",
     r"line 6\).*fault kind must be one of"),
    ("description = 'x'\n[activity.app]\nbill_add = -1\n", r"line 3\).*activity\.app\.bill_add: must be from 0"),
    ("description = 'x'\n[company]\nbrand = 'Acme Pay'\n", r"line 3\).*brand: must be"),
])
def test_a_malformed_file_is_refused_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                                   expected: str) -> None:
    path = write(tmp_path, text)
    assert cli.main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert re.search(expected, err), err
    assert "Traceback" not in err and str(path) in err


def test_an_unknown_scenario_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "no-such-scenario"]) == 2
    err = capsys.readouterr().err
    assert 'unknown scenario "no-such-scenario"' in err and "ordinary-month" in err


def test_behaviour_values_run_and_unknown_behaviours_are_bad_input(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    lab = LAB.format(brand="Cashflow360", two_way="false")
    path = write(tmp_path, lab + '[behaviours]\nlock_texts = "terse"\npayment_restamps = "yes"\n')
    assert cli.main(["run", str(path)]) == 0, capsys.readouterr()
    path = write(tmp_path, LAB.format(brand="Cashflow360", two_way="false") + "[behaviours]\nlost_edit = true\n")
    assert cli.main(["run", str(path)]) == 2
    assert "no behaviour 'lost_edit'" in capsys.readouterr().err


def test_a_run_reports_as_json_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, LAB.format(brand="Cashflow360", two_way="false") + "[activity.app]\nbill_add = 2\n")
    report, page = tmp_path / "r.json", tmp_path / "r.html"
    assert cli.main(["run", str(path), "--seeds", "2", "--report", str(report), "--html", str(page)]) == 0
    data = json.loads(report.read_text())
    assert data["passed"] and [s["seed"] for s in data["seeds"]] == [1, 2]
    assert {"passed", "violations", "syncs", "requests", "faults_fired", "duration"} <= set(data["seeds"][0])
    html = page.read_text()
    assert html.count("<svg") == 4 and "<script" not in html and "http" not in html.split("<body>")[1]
    assert "2 of 2 seeds passed" in capsys.readouterr().out


# -- the same history, replayed, shrunk -----------------------------------------------------------------------------

def test_the_same_seed_gives_the_same_history_in_process_and_over_http(tmp_path: Path) -> None:
    scenario = profile.load(write(tmp_path, LAB.format(brand="Key CashFlow", two_way="true").replace(
        "days = 1", "days = 2") + "[activity.quickbooks]\nbill_add = 1\ninvoice_add = 1\n"
        "[activity.app]\nvendor_add = 1\nbill_add = 1\nbill_pay = 1\ninvoice_add = 1\n"
        "[[faults]]\nkind = 'lose_response'\nrequest_type = 'BillAddRq'\nchance = 0.5\n"))
    here, there = run(scenario, 3), run(scenario, 3, "http")
    assert any(a.actor == "app" for a in here.actions) and any(a.actor == "quickbooks" for a in here.actions)
    assert [a.to_json() for a in here.actions] == [a.to_json() for a in there.actions]
    assert [(s.requests, s.errors, s.clean) for s in here.syncs] == [(s.requests, s.errors, s.clean)
                                                                     for s in there.syncs]
    assert here.passed and there.passed
    replayed = run(scenario, 3, history=here.actions)
    assert [s.requests for s in replayed.syncs] == [s.requests for s in here.syncs] and replayed.passed


def test_delta_debugging_keeps_the_fewest_actions_that_still_fail() -> None:
    actions = [Action(f"2024-03-04T09:{i:02d}", 0, "app", "op", {"n": i}) for i in range(40)]
    calls = []

    def fails(kept: list[Action]) -> bool:
        calls.append(len(kept))
        found = {a.args["n"] for a in kept}
        return {7, 23, 31} <= found

    assert [a.args["n"] for a in ddmin(actions, fails)] == [7, 23, 31]
    assert len(calls) < 120


# -- the invariants catch a broken sync -----------------------------------------------------------------------------

class Doctored:
    """A request processor that passes every call on, with the requests and answers changed by `edit`."""

    def __init__(self, inner: Any, request: Callable[[str], str] | None = None,
                 answer: Callable[[str, str], str] | None = None, twice: str | None = None):
        self._inner, self._request, self._answer, self._twice = inner, request, answer, twice

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def ProcessRequest(self, ticket: str, request: str) -> str:
        if self._request is not None:
            request = self._request(request)
        if self._twice is not None and self._twice in request:
            self._inner.ProcessRequest(ticket, request)
        answer = str(self._inner.ProcessRequest(ticket, request))
        return self._answer(request, answer) if self._answer is not None else answer


def lab(tmp_path: Path, brand: str = "Cashflow360") -> profile.Scenario:
    return profile.load(write(tmp_path, LAB.format(brand=brand, two_way="false")))


def history(*steps: tuple[str, str, dict[str, Any]]) -> list[Action]:
    """The steps a few minutes apart on the first day, each sync on its own."""
    moment = datetime(2024, 3, 4, 9, 0)
    actions = []
    for actor, op, args in steps:
        actions.append(Action(moment.isoformat(timespec="minutes"), 0, actor, op, args))
        moment += timedelta(minutes=10)
    return actions


SYNC: tuple[str, str, dict[str, Any]] = ("sync", "sync", {})
CONFIGURE: tuple[str, str, dict[str, Any]] = ("app", "configure", {"ap_account": "Accounts Payable",
                                                                     "bank_account": "Checking"})
VENDOR = ("app", "vendor_add", {"name": "Lab Vendor", "email": "ap@lab.example"})
BILL = ("app", "bill_add", {"vendor": "Lab Vendor", "number": "L-1", "date": "2024-03-04",
                            "lines": [{"account": "Office Supplies", "amount": "100.00"}]})


def invariants_broken(result: RunResult) -> set[str]:
    return {v.invariant for v in result.violations}


def test_an_update_the_sync_loses_is_caught(tmp_path: Path) -> None:
    def drop_phone(request: str) -> str:  # the Mod goes out without the field that changed
        return re.sub(r"<Phone>[^<]*</Phone>", "", request) if "<VendorModRq" in request else request

    steps = history(SYNC, CONFIGURE, VENDOR, SYNC, ("app", "vendor_edit", {"name": "Lab Vendor", "field": "phone",
                                                                           "value": "555-0199"}), SYNC)
    assert run(lab(tmp_path), 1, history=steps).passed
    broken = run(lab(tmp_path), 1, history=steps,
                 wiring=Wiring(processor=lambda rp: Doctored(rp, request=drop_phone)))
    assert "lost" in invariants_broken(broken)
    assert any("an update lost" in v.detail and "phone" in v.object for v in broken.violations)


def test_a_duplicate_add_is_caught(tmp_path: Path) -> None:
    steps = history(SYNC, CONFIGURE, VENDOR, BILL, SYNC)
    broken = run(lab(tmp_path), 1, history=steps,
                 wiring=Wiring(processor=lambda rp: Doctored(rp, twice="<BillAddRq")))
    assert "duplicated" in invariants_broken(broken)
    assert any(v.object.startswith("Bill L-1") for v in broken.violations)


def test_a_wrong_amount_is_caught(tmp_path: Path) -> None:
    def more(request: str) -> str:
        return request.replace("<Amount>100.00</Amount>", "<Amount>110.00</Amount>")

    broken = run(lab(tmp_path), 1, history=history(SYNC, CONFIGURE, VENDOR, BILL, SYNC),
                 wiring=Wiring(processor=lambda rp: Doctored(rp, request=more)))
    assert {"converged", "money"} <= invariants_broken(broken)


def test_a_field_never_pulled_is_caught(tmp_path: Path) -> None:
    def no_email(request: str, answer: str) -> str:  # the sync never sees a vendor's e-mail address
        return re.sub(r"<Email>[^<]*</Email>", "", answer) if "<VendorQueryRq" in request else answer

    steps = history(SYNC, ("quickbooks", "vendor_add", {"name": "QB Lab Vendor", "phone": "555-0101"}), SYNC,
                    ("quickbooks", "vendor_edit", {"name": "QB Lab Vendor", "field": "email",
                                                   "value": "billing@qblab.example"}), SYNC)
    broken = run(lab(tmp_path), 1, history=steps,
                 wiring=Wiring(processor=lambda rp: Doctored(rp, answer=no_email)))
    assert {"converged", "lost"} <= invariants_broken(broken)
    assert any(v.object == "vendor QB Lab Vendor: email" for v in broken.violations)


def test_a_message_naming_the_other_brand_is_caught(tmp_path: Path) -> None:
    def sync_naming_another_brand(app: syncer.App, rp: Any, **options: Any) -> syncer.SyncReport:
        report = syncer.sync(app, rp, **options)
        report.notice("vendor", "Lab Vendor", "Open Key CashFlow and check this vendor, then sync again.")
        return report

    broken = run(lab(tmp_path), 1, history=history(SYNC, CONFIGURE, VENDOR, SYNC),
                 wiring=Wiring(sync=sync_naming_another_brand))
    assert invariants_broken(broken) == {"messages"}
    assert run(lab(tmp_path, "Key CashFlow"), 1, history=history(SYNC, VENDOR, SYNC),
               wiring=Wiring(sync=sync_naming_another_brand)).passed


def test_a_list_the_sync_skips_is_caught(tmp_path: Path) -> None:
    def nothing_found(request: str, answer: str) -> str:  # the customers' read finds nothing after the first sync
        if "<CustomerQueryRq" in request and "FromModifiedDate" in request:
            return re.sub(r"<CustomerRet>.*</CustomerRet>", "", answer, flags=re.DOTALL)
        return answer

    steps = history(SYNC, ("quickbooks", "customer_add", {"name": "Lab Customer", "email": "a@lab.example"}), SYNC)
    broken = run(lab(tmp_path), 1, history=steps,
                 wiring=Wiring(processor=lambda rp: Doctored(rp, answer=nothing_found)))
    assert "lost" in invariants_broken(broken)
    assert any(v.object == "customer Lab Customer" for v in broken.violations)


def test_a_failure_prints_its_seed_day_and_replay_command_and_shrinks_to_a_replay_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, LAB.format(brand="Cashflow360", two_way="false") + "[activity.app]\nbill_add = 1\n")
    doctored = Wiring(processor=lambda rp: Doctored(rp, twice="<BillAddRq"))
    monkeypatch.setattr("scenarios.runner.Wiring", lambda: doctored)
    monkeypatch.setattr(cli, "REPLAYS", tmp_path / "replays")
    assert cli.main(["run", str(path), "--seed", "4", "--days", "2", "--shrink"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"seed 4 failed on day \d", out) and f"python -m scenarios run {path} --seed 4 --days 2" in out
    replay = next((tmp_path / "replays").glob("*.json"))
    data = json.loads(replay.read_text())
    assert data["seed"] == 4 and [a["op"] for a in data["actions"]] == ["sync", "bill_add"]
    assert cli.main(["replay", str(replay)]) == 1
    assert "duplicated" in capsys.readouterr().out


def test_a_replay_file_that_is_not_json_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '{"scenario": "ordinary-month",\n "seed": }', "bad.json")
    assert cli.main(["replay", str(path)]) == 2
    assert "line 2" in capsys.readouterr().err
    with pytest.raises(ScenarioError):
        profile.find("no-such-scenario")
