"""An incremental sync costs what changed, not the company's size; what is read twice is recognised."""

from __future__ import annotations

from typing import Any

import pytest

import syncer
from fakeqb import FakeQuickBooks
from tests.syncer.conftest import START, Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser


def company(size: int) -> FakeQuickBooks:
    """A company built over time: `size` vendors and customers, ten minutes apart."""
    qb = FakeQuickBooks()
    qb.clock.set(START)
    person = QuickBooksUser(qb.request_processor())
    person.account("Checking", "Bank")
    person.account("Repairs", "Expense")
    for n in range(size):
        qb.clock.advance(minutes=10)
        person.vendor(f"Vendor {n:03d}")
        person.customer(f"Customer {n:03d}", email=f"c{n}@example.com")
    person.close()
    return qb


def second_sync_cost(size: int) -> tuple[int, syncer.SyncReport]:
    """ProcessRequest calls of the sync after one vendor changed in QuickBooks and one in the app."""
    qb = company(size)
    rp = Processor(qb.request_processor())
    app = syncer.App()
    syncer.connect(app, rp)
    qb.clock.advance(days=1)
    first = run(app, rp, page_size=5)
    assert len(first.pulled("vendor")) == size
    qb.clock.advance(days=1)
    person = QuickBooksUser(qb.request_processor())
    person.mod("Vendor", "Vendor 001", "<Phone>555-0100</Phone>")
    person.close()
    app.vendors.update("Vendor 002", email="v2@example.com")
    before = rp.count()
    report = run(app, rp, page_size=5)
    cost = rp.count() - before
    app.close()
    qb.close()
    return cost, report


def test_the_second_sync_costs_what_changed_not_the_company_size() -> None:
    small_cost, small = second_sync_cost(12)
    large_cost, large = second_sync_cost(60)
    assert small.pulled("vendor") == large.pulled("vendor") == ["Vendor 001"]
    assert small.pushed("vendor") == large.pushed("vendor") == ["Vendor 002"]
    assert small_cost == large_cost <= 12, (small_cost, large_cost)


def test_a_sync_with_nothing_to_do_is_a_handful_of_requests(basics: QuickBooksUser, connected: syncer.App,
                                                            rp: Processor, qb: Any) -> None:
    run(connected, rp)
    later(qb, days=1)
    before = rp.count()
    report = run(connected, rp)
    assert report.to_app == {} and report.to_quickbooks == {}, str(report)
    assert rp.requests[before:] == ["AccountQueryRq", "ClassQueryRq", "VendorQueryRq", "CustomerQueryRq",
                                    "ItemQueryRq", "InvoiceQueryRq", "TxnDeletedQueryRq", "AccountQueryRq"]


def test_pages_keep_the_iterator_going(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                       qb: Any) -> None:
    for n in range(7):
        basics.vendor(f"Extra {n}")
    report = run(connected, rp, page_size=2)
    assert len(report.pulled("vendor")) == 8
    assert rp.requests.count("VendorQueryRq") == 4


def test_what_is_read_twice_is_not_taken_twice(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                               qb: Any) -> None:
    run(connected, rp)
    later(qb, seconds=30)  # within the overlap: the next read starts before the last one ended
    basics.vendor("Late Vendor")
    report = run(connected, rp)
    assert report.pulled("vendor") == ["Late Vendor"], str(report)
    later(qb, seconds=30)
    assert run(connected, rp).to_app == {}


@pytest.mark.parametrize("page_size", [1, 3])
def test_a_sync_after_a_change_in_the_app_reads_nothing_back(basics: QuickBooksUser, connected: syncer.App,
                                                             rp: Processor, qb: Any, page_size: int) -> None:
    run(connected, rp)
    later(qb)
    connected.vendors.update("Acme Supply", phone="555-0100")
    assert run(connected, rp, page_size=page_size).pushed("vendor") == ["Acme Supply"]
    later(qb)
    assert run(connected, rp, page_size=page_size).to_app == {}


@pytest.mark.parametrize("offset", ["response", "event"])
def test_a_change_just_after_daylight_saving_time_ends_is_not_skipped(offset: str) -> None:
    """At 2:00 EDT on 2024-11-03 clocks go back to 1:00 EST. A vendor changed at 1:50 EDT and read at 1:05 EST is
    written "01:50-05:00" when QuickBooks writes the offset of the response: an hour later than it happened. A vendor
    changed at 1:20 EST, after that read, is still earlier than that stamp and must not be skipped."""
    from datetime import UTC, datetime

    qb = FakeQuickBooks(behaviours={"time_offset": offset})
    qb.clock.set(datetime(2024, 11, 2, 16, 0, tzinfo=UTC))
    person = QuickBooksUser(qb.request_processor())
    person.vendor("Early")
    rp = Processor(qb.request_processor())
    app = syncer.App()
    syncer.connect(app, rp)
    run(app, rp)
    qb.clock.set(datetime(2024, 11, 3, 5, 50, tzinfo=UTC))  # 01:50 EDT
    person.vendor("Before")
    qb.clock.set(datetime(2024, 11, 3, 6, 5, tzinfo=UTC))  # 01:05 EST
    assert run(app, rp).pulled("vendor") == ["Before"]
    qb.clock.set(datetime(2024, 11, 3, 6, 20, tzinfo=UTC))  # 01:20 EST
    person.vendor("After")
    qb.clock.set(datetime(2024, 11, 3, 6, 30, tzinfo=UTC))
    assert run(app, rp).pulled("vendor") == ["After"]
    assert {v.name for v in app.vendors.list()} >= {"Early", "Before", "After"}
    qb.close()
