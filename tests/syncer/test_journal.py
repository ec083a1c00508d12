"""The app knows what it changed: its operations list the objects in the change journal, a sync sends what is listed
and clears it, and a run with nothing listed compares nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

import syncer
from syncer.app import journal
from tests.syncer.conftest import Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser


def listed(app: syncer.App) -> dict[str, list[int]]:
    with app.session() as s:
        return {kind: [app_id for app_id, _ in entries] for kind, entries in journal.listed(s).items()}


def test_the_app_lists_what_it_changed_and_a_sync_clears_it(basics: QuickBooksUser, connected: syncer.App,
                                                            rp: Processor, qb: Any) -> None:
    run(connected, rp)
    assert listed(connected) == {}
    connected.configure(ap_account="Accounts Payable")
    vendor = connected.vendors.update("Acme Supply", phone="555-0100")
    bill = connected.bills.create("Acme Supply", date="2024-03-01", number="A-1", account="Repairs", amount="10.00")
    assert listed(connected) == {"bill": [bill.id], "vendor": [vendor.id]}
    later(qb)
    report = run(connected, rp)
    assert report.pushed("vendor") == ["Acme Supply"] and report.pushed("bill") == ["Acme Supply A-1"]
    assert listed(connected) == {}


def test_what_the_sync_takes_from_quickbooks_is_not_listed(basics: QuickBooksUser, connected: syncer.App,
                                                           rp: Processor, qb: Any) -> None:
    run(connected, rp)
    later(qb)
    basics.mod("Vendor", "Acme Supply", "<Phone>555-0199</Phone>")
    assert run(connected, rp).pulled("vendor") == ["Acme Supply"]
    assert listed(connected) == {}


def test_what_could_not_be_sent_stays_listed_and_goes_with_a_later_run(basics: QuickBooksUser, connected: syncer.App,
                                                                        rp: Processor, qb: Any) -> None:
    run(connected, rp)
    connected.customers.create("Acme Supply")  # QuickBooks' vendor has the name: refused (3100)
    later(qb)
    report = run(connected, rp)
    assert report.errors_for("customer") and listed(connected) == {"customer": [connected.customers.get(
        "Acme Supply").id]}
    basics.mod("Vendor", "Acme Supply", "<Name>Acme Supply Co</Name>")
    later(qb)
    assert run(connected, rp).pushed("customer") == ["Acme Supply"]
    assert listed(connected) == {}


def test_a_change_made_while_the_sync_sends_the_last_one_goes_with_the_next_run(
        basics: QuickBooksUser, connected: syncer.App, rp: Processor, qb: Any) -> None:
    run(connected, rp)
    connected.vendors.update("Acme Supply", phone="555-0100")
    rp.hooks["VendorModRq"] = lambda: connected.vendors.update("Acme Supply", email="ap@acme.example")
    later(qb)
    assert run(connected, rp).pushed("vendor") == ["Acme Supply"]
    assert listed(connected) == {"vendor": [connected.vendors.get("Acme Supply").id]}
    later(qb)
    assert run(connected, rp).pushed("vendor") == ["Acme Supply"]
    assert listed(connected) == {}
    assert basics.get("Vendor", "Acme Supply").findtext("Email") == "ap@acme.example"


def test_a_run_with_nothing_listed_reads_none_of_the_apps_objects(basics: QuickBooksUser, connected: syncer.App,
                                                                 rp: Processor, qb: Any) -> None:
    run(connected, rp)
    later(qb)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(connected.engine, "before_cursor_execute", seen)
    try:
        report = run(connected, rp)
    finally:
        event.remove(connected.engine, "before_cursor_execute", seen)
    assert report.to_app == {} and report.to_quickbooks == {}
    # Bank accounts are read by id for their balances, every run; nothing else of the app's.
    tables = ("FROM vendors", "FROM customers", "FROM bills", "FROM invoices", "FROM departments", "FROM items")
    assert not [s for s in statements if any(t in s for t in tables)], statements
