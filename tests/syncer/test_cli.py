"""The `syncer` command: connect, run, settings; one clear line on stderr when something is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakeqb import FakeQuickBooks
from syncer.cli import main
from tests.syncer.quickbooks import QuickBooksUser


@pytest.fixture
def company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    with FakeQuickBooks(url) as qb:
        person = QuickBooksUser(qb.request_processor())
        person.account("Checking", "Bank")
        person.vendor("Acme Supply")
        person.close()
    monkeypatch.setenv("SYNCER_TEST_COMPANY", url)
    return url


def app_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


PROCESSOR = ["--processor", "tests.syncer.processors:company_file"]


def test_connect_then_run(company: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["connect", "--app-db", app_db(tmp_path), *PROCESSOR, "--on", "2024-03-01"]) == 0
    assert "Cashflow360 is connected to" in capsys.readouterr().out
    assert main(["run", "--app-db", app_db(tmp_path), *PROCESSOR]) == 0
    out = capsys.readouterr().out
    assert "Vendors: 1 (Acme Supply)" in out and "Everything synced." in out


def test_settings_are_shown_and_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--app-db", app_db(tmp_path), "--brand", "Key CashFlow", "--two-way-bill-sync", "on",
                 "--account-created-on", "2020-01-02"]) == 0
    out = capsys.readouterr().out
    assert "brand: Key CashFlow" in out and "2-way bill sync: on" in out and "account created on: 2020-01-02" in out


def test_over_http(company: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fakeqb.http.server import serve_in_thread

    with FakeQuickBooks(company) as qb, serve_in_thread(qb) as url:
        assert main(["connect", "--app-db", app_db(tmp_path), "--qb-url", url]) == 0
        assert main(["run", "--app-db", app_db(tmp_path), "--qb-url", url]) in (0, 1)
    assert "Acme Supply" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "--app-db", "sqlite:///{tmp}/app.db"], "say where QuickBooks is"),
    (["run", "--app-db", "sqlite:///{tmp}/app.db", "--processor", "nope"], "must be MODULE:CALLABLE"),
    (["run", "--app-db", "sqlite:///{tmp}/app.db", "--processor", "no_such_module:x"], "cannot load"),
    (["run", "--app-db", "nosuchdb://x"], "cannot open the app database"),
    (["run", "--app-db", "sqlite:///{tmp}/app.db", *PROCESSOR], "Connect Cashflow360 to QuickBooks first"),
    (["settings", "--app-db", "sqlite:///{tmp}/app.db", "--ap-account", "Nope"], 'no account "Nope"'),
])
def test_bad_input_is_one_clear_line(company: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     argv: list[str], message: str) -> None:
    code = main([arg.replace("{tmp}", str(tmp_path)) for arg in argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err


def test_quickbooks_unavailable_exits_3(company: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    main(["connect", "--app-db", app_db(tmp_path), *PROCESSOR])

    def closed(url: str | None = None) -> Any:
        qb = FakeQuickBooks(company)
        qb.close_quickbooks()
        return qb.request_processor()

    monkeypatch.setattr("tests.syncer.processors.company_file", closed)
    assert main(["run", "--app-db", app_db(tmp_path), *PROCESSOR]) == 3
    assert "QuickBooks is not running" in capsys.readouterr().err


def test_run_shows_its_progress_in_plain_lines_when_not_on_a_terminal(company: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    main(["connect", "--app-db", app_db(tmp_path), *PROCESSOR])
    capsys.readouterr()
    assert main(["run", "--app-db", app_db(tmp_path), *PROCESSOR]) == 0
    captured = capsys.readouterr()
    assert "Vendors from QuickBooks: 1 (" in captured.err and "Accounts from QuickBooks: 1 (" in captured.err
    assert "from QuickBooks" not in captured.out
