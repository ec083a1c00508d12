"""`--qb`: the contract cases on each transport, and what `--qb=com` runs against a live company.

`--qb=com` needs Windows and QuickBooks; here a stand-in takes the COM object's place (fakeqb on one company for the
whole run, its clock running, holding what an earlier run left), so the live-company path is exercised: SEED sent
once and accepted where an earlier run made it, the cases outside LIVE_CASES deselected and counted, the live ones
passing on a company that is not new (each runs in two versions on the same objects).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import qb_transports
from tests.test_contract import LIVE_CASES
from tests.transports import com_unavailable

ROOT = Path(__file__).resolve().parent.parent
STAND_IN = '''
from fakeqb import FakeQuickBooks
from tests import transports
from tests.support import Client
from tests.test_contract import SEED


class StandIn(transports.Transport):
    name, live = "com", True

    def __init__(self):
        self.company = FakeQuickBooks()
        earlier_run = Client(self.company.request_processor(), "Earlier run")
        earlier_run.raw(SEED, on_error="continueOnError")
        earlier_run.close()

    def processor(self, company):
        return self.company.request_processor()

    def close(self):
        self.company.close()


transports.com_unavailable = lambda: None
transports.Com = StandIn
transports.make = lambda name: {"inprocess": transports.InProcess, "http": transports.Http, "com": StandIn}[name]()
'''


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "stand_in.py").write_text(STAND_IN)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "stand_in", "-p", "no:cacheprovider", "-p",
                           "no:randomly", "-q", "tests/test_contract.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_com_mode_runs_the_live_cases_on_a_company_that_is_not_new(tmp_path: Path) -> None:
    if not os.environ.get("QBXML_XSD_DIR"):
        pytest.skip("QBXML_XSD_DIR is not set: the contract cases need the official qbXML schemas")
    result = run_pytest(tmp_path, "--qb=com", "-k", "Vendor or Customer or host_company or every_simulated")
    assert result.returncode == 0, result.stdout + result.stderr
    deselected = re.search(r"--qb=com: (\d+) contract cases deselected", result.stdout)
    summary = re.search(r"(\d+) passed, (\d+) deselected", result.stdout)
    assert deselected and summary, result.stdout
    assert int(summary.group(1)) == 2 * 2 * 2 + 3 + 1  # add errors, mod: 2 lists x 2 versions; host: 3; the cover case
    assert int(deselected.group(1)) > 20


class Options:
    def __init__(self, qb: str):
        self.qb = qb

    def getoption(self, name: str) -> str:
        assert name == "--qb"
        return self.qb


@pytest.mark.parametrize(("value", "names"), [("inprocess", ["inprocess"]), ("http", ["http"]),
                                               (" inprocess , http ", ["inprocess", "http"]), ("com", ["com"])])
def test_the_qb_option(value: str, names: list[str]) -> None:
    assert qb_transports(Options(value)) == names  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["soap", "", ",", "http,http", "inprocess,COM"])
def test_a_wrong_qb_option_is_a_usage_error(value: str) -> None:
    with pytest.raises(pytest.UsageError, match="--qb takes one or more of inprocess, http, com"):
        qb_transports(Options(value))  # type: ignore[arg-type]


def test_com_needs_windows_and_pywin32() -> None:
    reason = com_unavailable()
    if sys.platform != "win32":
        assert reason is not None and "Windows" in reason


def test_live_cases_exist() -> None:
    import tests.test_contract as contract

    assert LIVE_CASES and all(callable(getattr(contract, name, None)) for name in LIVE_CASES)
