"""fakeqb's pytest plugin: its fixtures, options and markers in another project's test run (pytester)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

USER_TESTS = '''
import json
import urllib.request

import pytest

VENDORS = """<?xml version="1.0"?><?qbxml version="13.0"?>
<QBXML><QBXMLMsgsRq onError="stopOnError"><VendorQueryRq/></QBXMLMsgsRq></QBXML>"""


def test_a_fresh_company_with_its_clock_stopped(qb_company, qb_request_processor):
    assert qb_company.clock.stopped and qb_company.clock.now().isoformat() == CLOCK
    qb_request_processor.OpenConnection2("", "User", 1)
    ticket = qb_request_processor.BeginSession("", 2)
    assert 'statusCode="1"' in qb_request_processor.ProcessRequest(ticket, VENDORS)  # none yet
    qb_company.seed(1, vendors=2)  # each test its own company: the next one starts empty again


def test_the_next_test_gets_another_empty_company(qb_company):
    assert qb_company.control.status()["log_entries"] == 0
    assert qb_company.control.seed(2, vendors=1).counts()["vendors"] == 1


@pytest.mark.qb_seed(7, vendors=3)
@pytest.mark.qb_clock("2024-06-30T17:00:00")
def test_markers(qb_company):
    assert qb_company.clock.now().isoformat() == "2024-06-30T17:00:00-04:00"
    rp = qb_company.request_processor()
    rp.OpenConnection2("", "User", 1)
    assert rp.ProcessRequest(rp.BeginSession("", 2), VENDORS).count("<VendorRet>") == 3


def test_server(qb_server, qb_company, qb_control_token):
    qb_company.control.add_fault("latency", seconds=0.01)
    status = urllib.request.Request(qb_server + "/control/status",
                                    headers={"Authorization": f"Bearer {qb_control_token}"})
    with urllib.request.urlopen(status) as response:
        assert json.load(response)["fault_rules"] == 1


def test_behaviours(qb_company):
    assert qb_company.company.behaviours["lock_texts"] == LOCK_TEXTS


@pytest.mark.qb_behaviour(lock_texts="terse", time_offset="response")
def test_behaviours_marked(qb_company):
    assert (qb_company.company.behaviours["lock_texts"], qb_company.company.behaviours["time_offset"]) == (
        "terse", "response")


def test_dispatch(qb_mock_qbxmlrp2, qb_company):
    import win32com.client

    assert qb_mock_qbxmlrp2 is qb_company
    rp = win32com.client.Dispatch("QBXMLRP2.RequestProcessor")
    rp.OpenConnection2("", "Windows Code", 1)
    rp.BeginSession("", 2)
    assert qb_company.session_count == 1
'''


def run(pytester: pytest.Pytester, *args: str, clock: str = "2024-03-01T09:30:00-05:00",
        lock_texts: str = "assumed") -> pytest.RunResult:
    pytester.makepyfile(test_user=f"CLOCK = {clock!r}\nLOCK_TEXTS = {lock_texts!r}\n" + USER_TESTS)
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_the_fixtures_in_a_project_of_its_own(pytester: pytest.Pytester) -> None:
    run(pytester).assert_outcomes(passed=7)


def test_a_database_per_worker_emptied_before_each_test(pytester: pytest.Pytester) -> None:
    database = pytester.path / "company-{worker}.db"
    run(pytester, f"--qb-db=sqlite:///{database}").assert_outcomes(passed=7)
    assert (pytester.path / "company-main.db").is_file()
    pytester.makeconftest("def pytest_configure(config):\n    config.workerinput = {'workerid': 'gw7'}  # as xdist\n")
    run(pytester, f"--qb-db=sqlite:///{database}").assert_outcomes(passed=7)
    assert (pytester.path / "company-gw7.db").is_file()


def test_ini_settings(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\nqb_db = sqlite:///{pytester.path / 'ini.db'}\nqb_clock = 2025-01-02T03:04:05\n"
                     "qb_behaviours =\n    lock_texts=terse\n    payment_restamps=no\n")
    run(pytester, clock="2025-01-02T03:04:05-05:00", lock_texts="terse").assert_outcomes(passed=7)
    assert (pytester.path / "ini.db").is_file()


def test_behaviours_on_the_command_line(pytester: pytest.Pytester) -> None:
    run(pytester, "--qb-behaviour", "lock_texts=terse", "--qb-behaviour=iterator_lifetime=10m", "-k", "behaviours",
        lock_texts="terse").assert_outcomes(passed=2)


@pytest.mark.parametrize(("option", "says"), [
    ("--qb-clock=tomorrow", "*not a company time: 'tomorrow'*"),
    ("--qb-behaviour=lock_texts=loud", "*fakeqb: lock_texts is one of assumed, terse, not 'loud'*"),
    ("--qb-behaviour=colour=blue", "*fakeqb: no behaviour 'colour'*"),
    ("--qb-behaviour=lock_texts", "*fakeqb: a behaviour is NAME=VALUE, not 'lock_texts'*"),
])
def test_a_wrong_option_is_a_usage_error(pytester: pytest.Pytester, option: str, says: str) -> None:
    result = run(pytester, option, "-k", "fresh")
    pytest.LineMatcher(result.outlines + result.errlines).fnmatch_lines([says])
    assert result.ret != 0


def test_the_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.qb_seed(seed=0, **sizes)*", "@pytest.mark.qb_clock(time)*",
                                 "@pytest.mark.qb_behaviour(**values)*"])


def test_pytest_help_in_this_repository_shows_both_plugins_options() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--qb=TRANSPORTS" in done.stdout and "--qb-db=URL" in done.stdout and "--qb-clock=TIME" in done.stdout
    assert "--qb-behaviour=NAME=VALUE" in done.stdout


def test_loading_the_plugin_does_not_load_the_simulator() -> None:
    done = subprocess.run([sys.executable, "-c", "import sys, fakeqb.pytest_plugin; "
                           "print(sorted(m for m in sys.modules if m.startswith(('fakeqb.', 'sqlalchemy'))))"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "['fakeqb.pytest_plugin']", done.stderr
