"""`make demo`: a seeded company and the app, synced twice, both reports printed."""

from __future__ import annotations

import pytest

from scenarios import demo


@pytest.mark.parametrize("http", [False, True], ids=["inprocess", "http"])
def test_demo_syncs_twice_and_the_second_sync_moves_only_the_days_work(capsys: pytest.CaptureFixture[str],
                                                                     http: bool) -> None:
    assert demo.main(["--seed", "3"] + (["--http"] if http else [])) == 0
    out = capsys.readouterr().out
    first, second = out.split("== Second sync")
    assert "== First sync: Cashflow360 connected to" in first
    assert "Accounts: 46 (" in first and "Jobs: " in first and "Items: 8 (" in first
    assert "From Cashflow360 to QuickBooks:\n  nothing changed" in first
    to_app, to_qb = second.split("From Cashflow360 to QuickBooks:")
    assert "Customers: 1 (Harbor View Condos)" in to_app and "Invoices: 1 (QB-2001)" in to_app
    assert "Vendors: 1 (" in to_app and "Accounts:" not in to_app  # only what changed comes back
    assert "Vendors: 1 (Tri-County Lumber)" in to_qb and "Bills: 2 (" in to_qb and "Bill payments: 1 (" in to_qb
    assert "Invoices: 1 (" in to_qb
    assert out.count("Everything synced.") == 2


def test_the_brand_names_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(["--brand", "Key CashFlow"]) == 0
    out = capsys.readouterr().out
    assert "Key CashFlow sync with QuickBooks" in out and "Cashflow360" not in out
