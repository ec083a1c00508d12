"""examples/: each runs as its reader would run it (examples/test_with_fixtures.py runs as a test module of its own,
from testpaths)."""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from fakeqb import FakeQuickBooks, mock_qbxmlrp2
from fakeqb.http.server import serve_in_thread

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_script(capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(EXAMPLES / "pywin32_script.py"), run_name="__main__")
    out, err = capsys.readouterr()
    return done.value.code, out, err


def test_the_pywin32_script_runs_unchanged_under_the_mock(capsys: pytest.CaptureFixture[str]) -> None:
    with mock_qbxmlrp2() as qb:
        qb.seed(seed=7, vendors=5)
        code, out, _ = run_script(capsys)
        assert qb.control.log()[-1].app_name == "Vendor Lister"
    assert code == 0 and len(out.splitlines()) == 5


def test_the_pywin32_script_reports_what_quickbooks_says(capsys: pytest.CaptureFixture[str]) -> None:
    with mock_qbxmlrp2() as qb:
        qb.control.close_quickbooks()
        code, out, err = run_script(capsys)
    assert (code, out, err) == (1, "", "QuickBooks: Could not start QuickBooks.\n")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_session(tmp_path: Path) -> None:
    token = "curl-session-token-0123456789"
    with serve_in_thread(FakeQuickBooks(), control_token=token) as url:
        done = subprocess.run(["bash", str(EXAMPLES / "curl_session.sh"), url], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60, env={**os.environ, "FAKEQB_CONTROL_TOKEN": token})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert '"vendors":3' in lines[0] and len(lines[2:5]) == 3 and '"log_entries":1' in lines[5], done.stdout
