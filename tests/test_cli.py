"""The `fakeqb` command: seed, show, demo, and one clear line on stderr when the database is wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from fakeqb import FakeQuickBooks
from fakeqb.cli import DEMO_SIZES, main
from tests.support import Client

SMALL = ["--vendors", "3", "--customers", "3", "--max-jobs", "2", "--items", "8", "--classes", "3", "--employees",
         "2", "--other-names", "1"]


def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'company.db'}"


def section(out: str, title: str) -> list[str]:
    """The lines of one section of `show`'s output: its table's header, rule and rows."""
    return out.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0].splitlines()


def counts(out: str) -> list[list[str]]:
    """The rows of `show`'s first table, the counts per list, split into words."""
    table = out[out.index("\n  List "):].split("\n\n", 1)[0]
    return [line.split() for line in table.splitlines()[3:]]


def first_cell(line: str) -> str:
    return re.split(r"\s{2,}", line.strip())[0]


def test_seed_then_show_through_a_company_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = db_url(tmp_path)
    assert main(["seed", "--db", url, "--seed", "3", *SMALL]) == 0
    out = capsys.readouterr().out
    assert "Vendors" in out and "Total" in out
    assert (tmp_path / "company.db").is_file()

    assert main(["show", "--db", url]) == 0
    out = capsys.readouterr().out
    with FakeQuickBooks(url) as qb:  # what the company file holds, read independently
        client = Client(qb.request_processor())
        vendors = [v.findtext("Name") or "" for v in client.one("<VendorQueryRq/>")]
        customers = list(client.one("<CustomerQueryRq/>"))
        client.close()
    assert len(vendors) == 3
    for name in vendors:
        assert name in out
    assert ["Vendors", "3"] in counts(out) and ["Customers", "3"] in counts(out)

    # Customers and their jobs, in QuickBooks' order: each job indented right under its customer.
    table = section(out, "Customers and jobs")[2:]
    assert len(table) == len(customers) > 3
    for line, customer in zip(table, customers, strict=True):
        indent = "    " if customer.find("ParentRef") is not None else "  "
        assert line.startswith(indent + (customer.findtext("Name") or ""))
        assert not line[len(indent)].isspace()


def test_show_lists_the_chart_of_accounts_in_quickbooks_order(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    url = db_url(tmp_path)
    assert main(["seed", "--db", url, *SMALL]) == 0
    assert main(["show", "--db", url]) == 0
    out = capsys.readouterr().out
    chart = section(out, "Chart of accounts")[2:]
    names = [first_cell(line) for line in chart]
    expected = ["Checking", "Savings", "Accounts Receivable", "Undeposited Funds", "Vehicles", "Security Deposits",
                "Accounts Payable", "Business Visa", "Sales Tax Payable", "Equipment Loan", "Retained Earnings",
                "Construction Income", "Cost of Goods Sold", "Automobile", "Fuel", "Interest Income",
                "Penalties and Fines", "Estimates"]
    positions = [names.index(n) for n in expected]
    assert positions == sorted(positions)
    checking = next(line for line in chart if line.split()[0] == "Checking")
    assert checking.split()[-1].replace(",", "").replace(".", "").isdigit()  # its opening balance
    assert any(line.startswith("    Fuel ") for line in chart)  # a sub-account, indented


def test_demo_shows_a_seeded_company_in_a_screenful_or_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for title in ("Chart of accounts", "Classes", "Vendors", "Customers and jobs", "Items", "Employees",
                  "Other names"):
        assert len(section(out, title)) > 2, title
    assert ["Vendors", str(DEMO_SIZES["vendors"])] in counts(out)
    assert ["Items", str(DEMO_SIZES["items"])] in counts(out)
    assert len(out.splitlines()) <= 130


def test_seed_uses_company_db_in_the_current_directory_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["seed", *SMALL]) == 0
    assert (tmp_path / "company.db").is_file()
    assert main(["show"]) == 0
    assert "Chart of accounts" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["show", "--db", "nonsense"], "not a database URL: 'nonsense'"),
    (["seed", "--db", "nosuchdialect://x/y"], "cannot open the company database 'nosuchdialect://x/y'"),
    (["seed", "--db", "sqlite:///{tmp}/no/such/dir/c.db"], "unable to open database file"),
    (["show", "--db", "sqlite:///{tmp}/missing.db"], "no company file at"),
])
def test_a_bad_database_gives_one_clear_line(argv: list[str], message: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("fakeqb: error: ") and message in captured.err
    assert captured.err.count("\n") == 1
    assert not (tmp_path / "missing.db").exists()  # show does not create an empty company


def test_seeding_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = db_url(tmp_path)
    assert main(["seed", "--db", url, *SMALL]) == 0
    assert main(["seed", "--db", url, *SMALL]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fakeqb: error: the company already has data") and err.count("\n") == 1


@pytest.mark.parametrize("argv", [[], ["seed", "--vendors", "-1"], ["seed", "--items", "many"], ["frobnicate"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: fakeqb" in capsys.readouterr().err


def test_python_m_fakeqb_reports_errors_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "fakeqb", "show", "--db", f"sqlite:///{tmp_path}/none/x.db"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("fakeqb: error: no company file at") and "Traceback" not in done.stderr
