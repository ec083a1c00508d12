"""Connecting, and what a run reports: per type and direction, counts and names, errors a user can act on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import syncer
from fakeqb import FakeQuickBooks
from tests.syncer.conftest import CONNECTED_ON, Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser


def test_connecting_records_the_company_file_and_the_start_date(app: syncer.App, rp: Processor) -> None:
    settings = syncer.connect(app, rp)
    assert settings.connected_on == date.today() and settings.company_file.endswith("Fake Company.qbw")
    assert syncer.connect(app, rp, on="2019-04-01").connected_on == date(2019, 4, 1)
    assert syncer.connect(app, rp).connected_on == date(2019, 4, 1)  # connecting again keeps the start date


def test_another_company_file_needs_support_once_anything_synced(basics: QuickBooksUser, connected: syncer.App,
                                                                 rp: Processor) -> None:
    run(connected, rp)
    with FakeQuickBooks(company_file=r"C:\Company Files\Other.qbw") as other, \
            pytest.raises(syncer.NotAllowedError, match="needs an assisted migration"):
        syncer.connect(connected, other.request_processor())


def test_the_report_reads_well(basics: QuickBooksUser, connected: syncer.App, rp: Processor, qb: Any) -> None:
    connected.vendors.create("Baker")
    report = run(connected, rp)
    text = str(report)
    assert text.startswith("Cashflow360 sync with QuickBooks (C:\\")
    assert "From QuickBooks to Cashflow360:\n  Accounts: 6 (" in text
    assert "  Jobs: 1 (Baker:Kitchen)" in text
    assert "From Cashflow360 to QuickBooks:\n  nothing changed" in text
    assert 'Sync errors (1):\n  Vendor "Baker": QuickBooks already uses the name "Baker"' in text
    assert report.requests == len(rp.requests) - 1  # connecting asked for the company's name
    assert not report.ok and repr(report).startswith("<SyncReport ok=False")


def test_messages_name_the_brand(basics: QuickBooksUser, app: syncer.App, rp: Processor, qb: Any) -> None:
    app.brand = "Key CashFlow"
    syncer.connect(app, rp, on=CONNECTED_ON)
    app.vendors.create("Baker")
    report = run(app, rp)
    assert "Rename the vendor in Key CashFlow" in report.errors[0].message
    assert str(report).startswith("Key CashFlow sync with QuickBooks")
    with pytest.raises(syncer.NotAllowedError, match="come to Key CashFlow with the next sync"):
        app.customers.create("Porch", parent="Baker")
    qb.close_quickbooks()
    with pytest.raises(syncer.QuickBooksUnavailable) as caught:
        run(app, rp)
    assert "The sync stopped: QuickBooks is not running" in str(caught.value.report)


def test_the_last_runs_errors_stay_in_the_app(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                             qb: Any) -> None:
    connected.vendors.create("Baker")
    run(connected, rp)
    [row] = connected.sync_errors()
    assert (row.kind, row.name) == ("vendor", "Baker")
    connected.vendors.update("Baker", name="Baker Supply")
    later(qb)
    assert run(connected, rp).ok and connected.sync_errors() == []
