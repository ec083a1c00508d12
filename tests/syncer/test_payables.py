"""Payables: bills (1-way and 2-way bill sync), billable expenses, vendor credits, bill payments, funds transfers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import syncer
from tests.syncer.conftest import Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser, money


@pytest.fixture
def synced(basics: QuickBooksUser, connected: syncer.App, rp: Processor, qb: Any) -> syncer.App:
    """The company's lists in the app, with the sync preferences set."""
    run(connected, rp)
    connected.configure(bank_account="Checking", ap_account="Accounts Payable")
    later(qb)
    return connected


@pytest.fixture
def two_way(synced: syncer.App) -> syncer.App:
    synced.configure(two_way_bill_sync=True)
    return synced


def one_bill(user: QuickBooksUser) -> Any:
    [bill] = user.bills()
    return bill


def test_a_bill_with_billable_expenses_goes_to_quickbooks(basics: QuickBooksUser, synced: syncer.App,
                                                          rp: Processor, qb: Any) -> None:
    synced.bills.create("Acme Supply", number="A-17", date="2024-03-01", due_date="2024-03-31", memo="March", lines=[
        {"account": "Repairs", "amount": "120.00", "memo": "pipes", "department": "Field",
         "customer": "Baker:Kitchen", "billable": True},
        {"account": "Supplies", "amount": "30.00"}])
    report = run(synced, rp)
    assert report.pushed("bill") == ["Acme Supply A-17"], str(report)
    bill = one_bill(basics)
    assert (bill.findtext("RefNumber"), bill.findtext("TxnDate"), bill.findtext("DueDate")) == (
        "A-17", "2024-03-01", "2024-03-31")
    assert bill.findtext("VendorRef/FullName") == "Acme Supply" and bill.findtext("Memo") == "March"
    assert bill.findtext("APAccountRef/FullName") == "Accounts Payable"
    first, second = bill.findall("ExpenseLineRet")
    assert (first.findtext("AccountRef/FullName"), first.findtext("Amount"), first.findtext("Memo")) == (
        "Repairs", "120.00", "pipes")
    assert (first.findtext("ClassRef/FullName"), first.findtext("CustomerRef/FullName"),
            first.findtext("BillableStatus")) == ("Field", "Baker:Kitchen", "Billable")
    assert second.findtext("AccountRef/FullName") == "Supplies" and second.find("CustomerRef") is None
    assert money(bill, "AmountDue") == Decimal("150.00")


def test_without_two_way_bill_sync_the_app_is_the_bills_master(basics: QuickBooksUser, synced: syncer.App,
                                                               rp: Processor, qb: Any) -> None:
    synced.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    run(synced, rp)
    basics.mod_bill(one_bill(basics).findtext("TxnID"), "<Memo>typed in QuickBooks</Memo>")
    basics.bill("Acme Supply", "2024-03-02", [("Repairs", "75.00")], number="Q-1")
    later(qb)
    report = run(synced, rp)
    assert report.pulled("bill") == [] and [b.number for b in synced.bills.list()] == ["A-17"]
    synced.bills.update("A-17", lines=[{"account": "Repairs", "amount": "100.00"},
                                       {"account": "Supplies", "amount": "20.00", "memo": "tape"}])
    later(qb)
    report = run(synced, rp)
    assert report.pushed("bill") == ["Acme Supply A-17"] and report.ok, str(report)
    [bill] = [b for b in basics.bills() if b.findtext("RefNumber") == "A-17"]
    assert [(line.findtext("AccountRef/FullName"), line.findtext("Amount")) for line in
            bill.findall("ExpenseLineRet")] == [("Repairs", "100.00"), ("Supplies", "20.00")]


def test_two_way_bill_sync_brings_new_unpaid_bills(basics: QuickBooksUser, two_way: syncer.App, rp: Processor,
                                                   qb: Any) -> None:
    basics.bill("Acme Supply", "2024-03-02", [("Repairs", "75.00"), ("Supplies", "5.00")], number="Q-1")
    paid = basics.bill("Acme Supply", "2024-03-02", [("Repairs", "50.00")], number="Q-2")
    basics.pay_bill("Acme Supply", paid, "Checking", "10.00", "2024-03-03")
    report = run(two_way, rp)
    assert report.pulled("bill") == ["Acme Supply Q-1"], str(report)
    bill = two_way.bills.get("Q-1")
    assert (bill.amount, bill.origin, bill.status) == (Decimal("80.00"), "QuickBooks", "Open")
    assert [line.account.name for line in bill.lines] == ["Repairs", "Supplies"]
    later(qb)
    assert run(two_way, rp).to_quickbooks == {}  # what came from QuickBooks is not sent back


def test_two_way_bill_sync_brings_edits_and_deletions(basics: QuickBooksUser, two_way: syncer.App,
                                                      rp: Processor, qb: Any) -> None:
    q1 = basics.bill("Acme Supply", "2024-03-02", [("Repairs", "75.00")], number="Q-1")
    q2 = basics.bill("Acme Supply", "2024-03-02", [("Repairs", "25.00")], number="Q-2")
    run(two_way, rp)
    later(qb)
    basics.mod_bill(q1, "<RefNumber>Q-1b</RefNumber><Memo>corrected</Memo>")
    basics.delete("Bill", q2)
    report = run(two_way, rp)
    assert sorted(report.pulled("bill")) == ["Acme Supply Q-1b", "Acme Supply Q-2 (deleted)"], str(report)
    assert [(b.number, b.memo) for b in two_way.bills.list()] == [("Q-1b", "corrected")]


def test_two_way_bill_sync_merges_a_bill_changed_on_both_sides(basics: QuickBooksUser, two_way: syncer.App,
                                                               rp: Processor, qb: Any) -> None:
    two_way.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    run(two_way, rp)
    later(qb)
    basics.mod_bill(one_bill(basics).findtext("TxnID"), "<Memo>from QuickBooks</Memo>")
    two_way.bills.update("A-17", due_date="2024-04-15")
    report = run(two_way, rp)
    assert report.ok and report.notices == [], str(report)
    bill = one_bill(basics)
    assert (bill.findtext("Memo"), bill.findtext("DueDate")) == ("from QuickBooks", "2024-04-15")
    assert two_way.bills.get("A-17").memo == "from QuickBooks"


def test_edits_to_a_fully_paid_bill_do_not_come_back(basics: QuickBooksUser, two_way: syncer.App, rp: Processor,
                                                     qb: Any) -> None:
    bill = two_way.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    two_way.bill_payments.create(bill, date="2024-03-02", method="offline")
    run(two_way, rp)
    later(qb)
    basics.mod_bill(one_bill(basics).findtext("TxnID"), "<Memo>too late</Memo>")
    report = run(two_way, rp)
    assert report.pulled("bill") == [] and "fully paid" in report.notices[0].message, str(report)
    assert two_way.bills.get("A-17").memo is None


def test_offline_payments_post_from_the_bank_account(basics: QuickBooksUser, synced: syncer.App,
                                                     rp: Processor, qb: Any) -> None:
    a = synced.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100.00")
    b = synced.bills.create("Acme Supply", number="A-2", date="2024-03-01", account="Repairs", amount="50.00")
    synced.bill_payments.create({a: "100.00", b: "20.00"}, date="2024-03-05", check_number="1042", method="offline")
    report = run(synced, rp)
    assert report.pushed("bill_payment") == ["Acme Supply 120.00 on 2024-03-05 for bill A-1, A-2"], str(report)
    [payment] = basics.txns("BillPaymentCheck")
    assert payment.findtext("BankAccountRef/FullName") == "Checking" and payment.findtext("RefNumber") == "1042"
    assert money(payment, "Amount") == Decimal("120.00")
    paid = {bill.findtext("RefNumber"): bill.findtext("IsPaid") for bill in basics.bills()}
    assert paid == {"A-1": "true", "A-2": "false"}
    assert report.pulled("bank_balance") == ["Checking -120.00"]  # read after the run's writes


def test_epayments_go_through_the_clearing_account_and_a_lump_sum_transfer(
        basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any) -> None:
    for number in ("A-1", "A-2", "A-3"):
        synced.bills.create("Acme Supply", number=number, date="2024-03-01", account="Repairs", amount="100.00")
        synced.bill_payments.create(number, date="2024-03-05")
    report = run(synced, rp)
    assert report.pushed("account") == ["Cashflow360 Money Out Clearing"], str(report)
    assert len(report.pushed("bill_payment")) == 3 and report.pushed("funds_transfer") == []
    assert {b.findtext("IsPaid") for b in basics.bills()} == {"true"}
    synced.bill_payments.withdraw("A-1", "A-2", "A-3")
    later(qb)
    report = run(synced, rp)
    assert report.pushed("funds_transfer") == [
        "300.00 from Checking to Cashflow360 Money Out Clearing on 2024-03-05"], str(report)
    assert synced.accounts.bank_balance("Checking") == Decimal("-300.00")  # shown when paying bills
    payments = basics.txns("BillPaymentCheck")
    assert {p.findtext("BankAccountRef/FullName") for p in payments} == {"Cashflow360 Money Out Clearing"}
    [transfer] = basics.txns("Transfer")
    assert (transfer.findtext("TransferFromAccountRef/FullName"), transfer.findtext("TransferToAccountRef/FullName"),
            transfer.findtext("Amount")) == ("Checking", "Cashflow360 Money Out Clearing", "300.00")
    clearing = basics.get("Account", "Cashflow360 Money Out Clearing")
    assert money(clearing, "Balance") == Decimal("0.00")  # the clearing account nets to zero


def test_a_partial_credit_goes_with_the_payment_of_the_rest(basics: QuickBooksUser, synced: syncer.App,
                                                            rp: Processor, qb: Any) -> None:
    bill = synced.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100.00")
    credit = synced.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                          amount="30.00")
    synced.vendor_credits.apply(credit, bill)
    run(synced, rp)
    qb_bill = one_bill(basics)
    assert qb_bill.findtext("IsPaid") == "false" and money(qb_bill, "OpenAmount") == Decimal("100.00")
    synced.bill_payments.create(bill, date="2024-03-05")
    later(qb)
    report = run(synced, rp)
    assert report.pushed("bill_payment") == ["Acme Supply 70.00 on 2024-03-05 for bill A-1"], str(report)
    assert one_bill(basics).findtext("IsPaid") == "true"
    [qb_credit] = basics.txns("VendorCredit")
    assert money(qb_credit, "OpenAmount") == Decimal("0.00")


def test_a_credit_covering_the_whole_bill_syncs_as_a_zero_payment(basics: QuickBooksUser, synced: syncer.App,
                                                                  rp: Processor, qb: Any) -> None:
    bill = synced.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="30.00")
    credit = synced.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                          amount="50.00")
    synced.vendor_credits.apply(credit, bill)
    report = run(synced, rp)
    assert report.pushed("bill_payment") == ["Acme Supply 0.00 on 2024-03-01 for bill A-1"], str(report)
    assert one_bill(basics).findtext("IsPaid") == "true"
    later(qb)
    assert run(synced, rp).to_quickbooks == {}


def test_vendor_credit_edits_after_the_first_sync_stay_in_the_app(basics: QuickBooksUser, synced: syncer.App,
                                                                  rp: Processor, qb: Any) -> None:
    synced.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs", amount="30")
    assert run(synced, rp).pushed("vendor_credit") == ["Acme Supply C-1"]
    synced.vendor_credits.update("C-1", amount="25.00")
    later(qb)
    report = run(synced, rp)
    [notice] = report.notices
    assert "not sent to QuickBooks" in notice.message and report.pushed("vendor_credit") == []
    assert basics.txns("VendorCredit")[0].findtext("CreditAmount") == "30.00"
    later(qb)
    assert run(synced, rp).notices == []


def test_a_payment_for_a_bill_deleted_in_quickbooks_explains_the_fix(basics: QuickBooksUser, synced: syncer.App,
                                                                     rp: Processor, qb: Any) -> None:
    bill = synced.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100.00")
    run(synced, rp)
    basics.delete("Bill", one_bill(basics).findtext("TxnID"))
    synced.bill_payments.create(bill, date="2024-03-05")
    later(qb)
    report = run(synced, rp)
    [error] = report.errors
    assert error.kind == "bill_payment"
    assert "the corresponding bill cannot be found in QuickBooks or a payment has already been recorded" in \
        error.message


def test_a_credit_applied_by_hand_in_quickbooks_makes_the_payment_fail_with_the_reason(
        basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any) -> None:
    bill = synced.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100.00")
    credit = synced.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                          amount="30.00")
    synced.vendor_credits.apply(credit, bill)
    run(synced, rp)
    qb_bill, [qb_credit] = one_bill(basics), basics.txns("VendorCredit")
    basics.pay_bill("Acme Supply", qb_bill.findtext("TxnID"), "Checking", "0.00", "2024-03-04",
                    credit=(qb_credit.findtext("TxnID"), "30.00"))
    synced.bill_payments.create(bill, date="2024-03-05")
    later(qb)
    report = run(synced, rp)
    [error] = report.errors
    assert "credits are applied with the payment" in error.message, str(report)


def test_a_payment_waits_for_its_bill(basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any) -> None:
    synced.vendors.create("Baker")  # a name QuickBooks already uses for a customer: this vendor cannot sync
    bill = synced.bills.create("Baker", number="B-1", date="2024-03-01", account="Repairs", amount="10.00")
    synced.bill_payments.create(bill, date="2024-03-02")
    report = run(synced, rp)
    assert [e.kind for e in report.errors] == ["vendor", "bill", "bill_payment"]
    assert 'The vendor "Baker" has not synced to QuickBooks yet' in report.errors[1].message
    assert "has not synced to QuickBooks yet" in report.errors[2].message
