"""A write whose response was lost (QuickBooks saved it, then the connection broke) is never entered twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import syncer
from tests.syncer.conftest import START, Processor, fault, later, run
from tests.syncer.quickbooks import QuickBooksUser


def lose(qb: Any, request_type: str) -> None:
    fault(qb, kind="lose_response", request_type=request_type)


@pytest.fixture
def synced(basics: QuickBooksUser, connected: syncer.App, rp: Processor, qb: Any) -> syncer.App:
    """The company's lists in the app, with the sync preferences set."""
    run(connected, rp)
    connected.configure(bank_account="Checking", ap_account="Accounts Payable")
    later(qb)
    return connected


def interrupted(app: syncer.App, rp: Processor) -> syncer.SyncReport:
    with pytest.raises(syncer.QuickBooksUnavailable, match="connection to QuickBooks was lost") as caught:
        run(app, rp)
    report = caught.value.report
    assert isinstance(report, syncer.SyncReport)
    return report


def test_a_lost_vendor_add_is_found_by_name(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                            qb: Any) -> None:
    synced.vendors.create("Bolt Hardware", email="ar@bolt.example")
    lose(qb, "VendorAddRq")
    interrupted(synced, rp)
    assert len(basics.named("Vendor", "Bolt Hardware")) == 1
    later(qb)
    report = run(synced, rp)
    assert report.ok, str(report)
    later(qb)
    run(synced, rp)
    assert len(basics.named("Vendor", "Bolt Hardware")) == 1
    assert rp.requests.count("VendorAddRq") == 1
    assert synced.vendors.get("Bolt Hardware").email == "ar@bolt.example"


def test_a_lost_add_not_seen_by_the_next_read_is_looked_up_before_sending_again(
        basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any) -> None:
    synced.customers.create("Carter")
    lose(qb, "CustomerAddRq")
    qb.clock.set(START - timedelta(days=1))  # QuickBooks saves it with a time the next read does not go back to
    interrupted(synced, rp)
    qb.clock.set(START + timedelta(days=1))
    report = run(synced, rp)
    assert report.pushed("customer") == ["Carter"], str(report)
    assert rp.requests.count("CustomerAddRq") == 1 and len(basics.named("Customer", "Carter")) == 1


def test_a_lost_change_is_not_a_conflict(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                         qb: Any) -> None:
    synced.vendors.update("Acme Supply", phone="555-0100")
    lose(qb, "VendorModRq")
    interrupted(synced, rp)
    later(qb)
    report = run(synced, rp)
    assert report.ok and report.notices == [], str(report)
    assert basics.get("Vendor", "Acme Supply").findtext("Phone") == "555-0100"


def test_a_lost_bill_is_found_by_its_marker(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                            qb: Any) -> None:
    synced.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    lose(qb, "BillAddRq")
    interrupted(synced, rp)
    later(qb)
    report = run(synced, rp)
    assert report.pushed("bill") == ["Acme Supply A-17"], str(report)
    assert rp.requests.count("BillAddRq") == 1 and len(basics.bills()) == 1
    synced.bills.update("A-17", memo="found again")
    later(qb)
    assert run(synced, rp).pushed("bill") == ["Acme Supply A-17"]
    assert basics.bills()[0].findtext("Memo") == "found again"


def test_a_lost_bill_is_recognised_by_the_two_way_bill_read(basics: QuickBooksUser, synced: syncer.App,
                                                            rp: Processor, qb: Any) -> None:
    synced.configure(two_way_bill_sync=True)
    synced.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    lose(qb, "BillAddRq")
    interrupted(synced, rp)
    later(qb)
    report = run(synced, rp)
    assert report.ok and report.pulled("bill") == [], str(report)
    assert len(synced.bills.list()) == 1 and len(basics.bills()) == 1


@pytest.mark.parametrize("request_type", ["VendorCreditAddRq", "BillPaymentCheckAddRq", "TransferAddRq"])
def test_lost_payables_are_found_again(basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any,
                                       request_type: str) -> None:
    bill = synced.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    credit = synced.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                          amount="20")
    synced.vendor_credits.apply(credit, bill)
    synced.bill_payments.create(bill, date="2024-03-02")
    synced.bill_payments.withdraw(bill)
    lose(qb, request_type)
    interrupted(synced, rp)
    later(qb)
    report = run(synced, rp)
    assert report.ok, str(report)
    assert rp.requests.count(request_type) == 1
    assert len(basics.txns("VendorCredit")) == 1 and len(basics.txns("BillPaymentCheck")) == 1
    assert len(basics.txns("Transfer")) == 1
    [qb_bill] = basics.bills()
    assert qb_bill.findtext("IsPaid") == "true"


def test_a_lost_credit_only_payment_is_recognised_on_the_bill(basics: QuickBooksUser, synced: syncer.App,
                                                              rp: Processor, qb: Any) -> None:
    bill = synced.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="20.00")
    credit = synced.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                          amount="20")
    synced.vendor_credits.apply(credit, bill)
    lose(qb, "BillPaymentCheckAddRq")
    interrupted(synced, rp)
    later(qb)
    report = run(synced, rp)
    assert report.ok and report.pushed("bill_payment"), str(report)
    assert rp.requests.count("BillPaymentCheckAddRq") == 1
    assert basics.bills()[0].findtext("IsPaid") == "true"
