"""Receivables end to end: invoices both ways, the AR sync start date, duplicates, emailing, invoice status for old
accounts, invoice payments and credit memos."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import syncer
from tests.syncer.conftest import Processor, fault, later, run
from tests.syncer.quickbooks import QuickBooksUser, money


@pytest.fixture
def synced(basics: QuickBooksUser, connected: syncer.App, rp: Processor, qb: Any) -> syncer.App:
    run(connected, rp)
    connected.configure(ar_account="Accounts Receivable")
    later(qb)
    return connected


def qb_invoice(user: QuickBooksUser, number: str) -> Any:
    found = [i for i in user.txns("Invoice", "<IncludeLineItems>true</IncludeLineItems><IncludeLinkedTxns>true"
                                             "</IncludeLinkedTxns>") if i.findtext("RefNumber") == number]
    assert len(found) <= 1, f"{len(found)} invoices {number}"
    return found[0] if found else None


def test_an_app_invoice_goes_to_quickbooks_and_is_then_edited_there(basics: QuickBooksUser, synced: syncer.App,
                                                                    rp: Processor, qb: Any) -> None:
    synced.invoices.create("Baker:Kitchen", number="1043", date="2024-03-05", due_date="2024-04-04",
                           to_be_emailed=False, lines=[{"item": "Labor", "quantity": "4"},
                                                       {"item": "Labor", "amount": "25.00", "description": "Travel"}])
    assert synced.invoices.can_edit("1043")
    report = run(synced, rp)
    assert report.pushed("invoice") == ["1043"], str(report)
    invoice = qb_invoice(basics, "1043")
    assert invoice.findtext("CustomerRef/FullName") == "Baker:Kitchen"
    assert (invoice.findtext("TxnDate"), invoice.findtext("DueDate")) == ("2024-03-05", "2024-04-04")
    assert money(invoice, "Subtotal") == Decimal("225.00")
    assert [line.findtext("ItemRef/FullName") for line in invoice.findall("InvoiceLineRet")] == ["Labor", "Labor"]
    assert not synced.invoices.can_edit("1043")
    with pytest.raises(syncer.NotAllowedError, match="can only be edited in QuickBooks"):
        synced.invoices.update("1043", memo="too late")
    later(qb)
    assert run(synced, rp).to_app == {}  # the app's own invoice is not read back as a new one


def test_invoices_from_quickbooks_dated_on_or_after_the_start_date(basics: QuickBooksUser, synced: syncer.App,
                                                                   rp: Processor, qb: Any) -> None:
    basics.invoice("Baker", "1001", "2024-03-01", [("Labor", "700.00")])
    basics.invoice("Baker", "0975", "2024-02-29", [("Labor", "700.00")])
    report = run(synced, rp)
    assert report.pulled("invoice") == ["1001"], str(report)
    invoice = synced.invoices.get("1001")
    assert (invoice.amount, invoice.balance_due, invoice.status, invoice.origin) == (
        Decimal("700.00"), Decimal("700.00"), "Open", "QuickBooks")
    assert not synced.invoices.can_edit("1001")


def test_an_edited_invoice_from_before_the_start_date_stays_out(basics: QuickBooksUser, synced: syncer.App,
                                                                rp: Processor, qb: Any) -> None:
    old = basics.invoice("Baker", "0975", "2024-02-15", [("Labor", "700.00")])
    run(synced, rp)
    later(qb)
    current = basics.txn("Invoice", old, linked=False)
    basics.ok(f"<InvoiceModRq><InvoiceMod><TxnID>{old}</TxnID><EditSequence>{current.findtext('EditSequence')}"
              "</EditSequence><Memo>edited</Memo></InvoiceMod></InvoiceModRq>")
    assert run(synced, rp).pulled("invoice") == []
    assert synced.invoices.find("0975") is None


def test_an_app_invoice_quickbooks_already_has_is_a_duplicate_error(basics: QuickBooksUser, synced: syncer.App,
                                                                    rp: Processor, qb: Any) -> None:
    old = basics.invoice("Baker", "0975", "2024-02-15", [("Labor", "700.00")])
    synced.invoices.create("Baker", number="0975", date="2024-02-15", item="Labor", amount="720.00")
    report = run(synced, rp)
    [error] = report.errors
    assert (error.kind, error.name) == ("invoice", "0975")
    assert "Delete the invoice in QuickBooks and sync again" in error.message
    assert money(qb_invoice(basics, "0975"), "Subtotal") == Decimal("700.00")
    basics.delete("Invoice", old)
    later(qb)
    report = run(synced, rp)
    assert report.pushed("invoice") == ["0975"] and report.ok, str(report)
    assert money(qb_invoice(basics, "0975"), "Subtotal") == Decimal("720.00")


def test_quickbooks_edits_to_invoices_come_to_the_app(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                                      qb: Any) -> None:
    txn = basics.invoice("Baker", "1043", "2024-03-05", [("Labor", "2400.00")])
    run(synced, rp)
    later(qb)
    current = basics.txn("Invoice", txn, linked=False)
    line = current.find("InvoiceLineRet").findtext("TxnLineID")
    basics.ok(f"<InvoiceModRq><InvoiceMod><TxnID>{txn}</TxnID><EditSequence>{current.findtext('EditSequence')}"
              f"</EditSequence><InvoiceLineMod><TxnLineID>{line}</TxnLineID><Amount>2150.00</Amount>"
              "</InvoiceLineMod></InvoiceMod></InvoiceModRq>")
    assert run(synced, rp).pulled("invoice") == ["1043"]
    assert synced.invoices.get("1043").amount == Decimal("2150.00")


def test_invoices_marked_to_be_emailed_can_be_emailed_from_the_app(basics: QuickBooksUser, synced: syncer.App,
                                                                   rp: Processor, qb: Any) -> None:
    basics.invoice("Baker", "1051", "2024-03-06", [("Labor", "900.00")], to_be_emailed=True)
    basics.invoice("Baker", "1052", "2024-03-06", [("Labor", "900.00")])
    run(synced, rp)
    assert synced.invoices.can_email("1051") and not synced.invoices.can_email("1052")
    assert [i.number for i in synced.invoices.to_email()] == ["1051"]
    assert synced.invoices.email("1051").emailed_to == "baker@example.com"
    with pytest.raises(syncer.NotAllowedError, match="Select To be emailed on the invoice in QuickBooks"):
        synced.invoices.email("1052")


@pytest.mark.parametrize(("created_on", "status", "due"), [
    (date(2020, 6, 4), "Partially paid", Decimal("600.00")),
    (date(2020, 6, 5), "Open", Decimal("1000.00")),
])
def test_old_accounts_take_invoice_status_and_amount_due_from_quickbooks(
        basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any, created_on: date, status: str,
        due: Decimal) -> None:
    synced.configure(account_created_on=created_on)
    synced.invoices.create("Baker", number="1043", date="2024-03-05", item="Labor", amount="1000.00")
    run(synced, rp)
    basics.receive_payment("Baker", qb_invoice(basics, "1043").findtext("TxnID"), "400.00", "2024-03-06")
    later(qb)
    run(synced, rp)
    invoice = synced.invoices.get("1043")
    assert (invoice.status, invoice.balance_due) == (status, due)


@pytest.mark.parametrize("undo", ["delete", "void"])
def test_an_old_account_sees_payments_and_credits_undone_in_quickbooks(basics: QuickBooksUser, synced: syncer.App,
                                                            rp: Processor, qb: Any, undo: str) -> None:
    synced.configure(account_created_on=date(2020, 6, 4))
    synced.invoices.create("Baker", number="1043", date="2024-03-05", item="Labor", amount="1000.00")
    run(synced, rp)
    invoice_id = qb_invoice(basics, "1043").findtext("TxnID")
    payment = basics.receive_payment("Baker", invoice_id, "1000.00", "2024-03-06").findtext("TxnID")
    memo = basics.credit_memo("Baker", "CM-1", "2024-03-06", "Labor", "100.00")
    later(qb)
    run(synced, rp)
    assert (synced.invoices.get("1043").status, synced.invoices.get("1043").balance_due) == ("Paid", Decimal("0.00"))
    basics.delete("ReceivePayment", payment)
    later(qb)
    run(synced, rp)
    assert synced.invoices.get("1043").balance_due == Decimal("1000.00")
    head = (f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>"
            f"{qb_invoice(basics, '1043').findtext('EditSequence')}</EditSequence>")
    basics.ok(f"{head}<SetCredit><CreditTxnID>{memo}</CreditTxnID><AppliedAmount>100.00</AppliedAmount></SetCredit>"
              "</InvoiceMod></InvoiceModRq>")
    later(qb)
    run(synced, rp)
    assert synced.invoices.get("1043").balance_due == Decimal("900.00")
    if undo == "delete":  # the invoice itself is not changed: only what was applied to it
        basics.delete("CreditMemo", memo)
    else:
        basics.ok(f"<TxnVoidRq><TxnVoidType>CreditMemo</TxnVoidType><TxnID>{memo}</TxnID></TxnVoidRq>")
    later(qb)
    run(synced, rp)
    assert synced.invoices.get("1043").balance_due == Decimal("1000.00")


def test_customer_support_can_turn_the_invoice_status_sync_off(basics: QuickBooksUser, synced: syncer.App,
                                                               rp: Processor, qb: Any) -> None:
    synced.configure(account_created_on=date(2020, 3, 2), invoice_status_sync=False)
    synced.invoices.create("Baker", number="1043", date="2024-03-05", item="Labor", amount="1000.00")
    run(synced, rp)
    basics.receive_payment("Baker", qb_invoice(basics, "1043").findtext("TxnID"), "400.00", "2024-03-06")
    later(qb)
    run(synced, rp)
    assert synced.invoices.get("1043").status == "Open"


def test_newer_accounts_do_not_take_invoices_already_paid_in_quickbooks(basics: QuickBooksUser,
                                                                        synced: syncer.App, rp: Processor,
                                                                        qb: Any) -> None:
    txn = basics.invoice("Baker", "1043", "2024-03-05", [("Labor", "1000.00")])
    basics.receive_payment("Baker", txn, "400.00", "2024-03-06")
    assert run(synced, rp).pulled("invoice") == []


@pytest.mark.parametrize(("paid", "is_paid", "due"), [("2400.00", "true", "0.00"), ("1000.00", "false", "1400.00")])
def test_payments_received_in_the_app_go_to_quickbooks(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                                       qb: Any, paid: str, is_paid: str, due: str) -> None:
    synced.invoices.create("Baker", number="1043", date="2024-03-05", item="Labor", amount="2400.00")
    run(synced, rp)
    synced.invoice_payments.create("1043", amount=paid, date="2024-03-08", reference="CHK 77")
    later(qb)
    report = run(synced, rp)
    assert report.pushed("invoice_payment") == [f"Baker {paid} on 2024-03-08 for invoice 1043"], str(report)
    invoice = qb_invoice(basics, "1043")
    assert (invoice.findtext("IsPaid"), invoice.findtext("BalanceRemaining")) == (is_paid, due)


def test_a_credit_memo_applied_before_a_partial_payment_is_explained(basics: QuickBooksUser, synced: syncer.App,
                                                                     rp: Processor, qb: Any) -> None:
    synced.invoices.create("Baker", number="1045", date="2024-03-05", item="Labor", amount="1000.00")
    run(synced, rp)
    invoice = qb_invoice(basics, "1045").findtext("TxnID")
    memo = basics.credit_memo("Baker", "CM-1", "2024-03-06", "Labor", "100.00")
    basics.ok(f"<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Baker</FullName></CustomerRef>"
              f"<TxnDate>2024-03-06</TxnDate><AppliedToTxnAdd><TxnID>{invoice}</TxnID><PaymentAmount>0.00"
              f"</PaymentAmount><SetCredit><CreditTxnID>{memo}</CreditTxnID><AppliedAmount>100.00</AppliedAmount>"
              "</SetCredit></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>")
    synced.invoice_payments.create("1045", amount="1000.00", date="2024-03-07")
    later(qb)
    report = run(synced, rp)
    [error] = report.errors
    assert error.kind == "invoice_payment" and "invoice 1045" in error.name
    assert "Partial payments should be applied to an invoice before applying credit memos" in error.message
    assert qb_invoice(basics, "1045").findtext("BalanceRemaining") == "900.00"


def test_a_payment_can_apply_a_quickbooks_credit_memo(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                                      qb: Any) -> None:
    synced.invoices.create("Baker", number="1045", date="2024-03-05", item="Labor", amount="1000.00")
    run(synced, rp)
    basics.credit_memo("Baker", "CM-1", "2024-03-06", "Labor", "100.00")
    synced.invoice_payments.create([{"invoice": "1045", "amount": "400.00", "credit_memo": "CM-1",
                                     "credit_amount": "100.00"}], date="2024-03-07")
    later(qb)
    report = run(synced, rp)
    assert report.ok, str(report)
    assert qb_invoice(basics, "1045").findtext("BalanceRemaining") == "500.00"


def test_an_invoice_with_an_item_only_the_app_has_waits_for_quickbooks(basics: QuickBooksUser, synced: syncer.App,
                                                                       rp: Processor, qb: Any) -> None:
    synced.items.create("Consulting", price="80.00")
    synced.invoices.create("Baker", number="1060", date="2024-03-05", lines=[{"item": "Consulting"}])
    report = run(synced, rp)
    assert 'Create "Consulting" in QuickBooks (same name)' in report.errors[0].message
    basics.service_item("Consulting", "80.00", "Sales")
    later(qb)
    assert run(synced, rp).pushed("invoice") == ["1060"]


@pytest.mark.parametrize("request_type", ["InvoiceAddRq", "ReceivePaymentAddRq"])
def test_lost_invoices_and_payments_are_found_again(basics: QuickBooksUser, synced: syncer.App, rp: Processor,
                                                    qb: Any, request_type: str) -> None:
    synced.invoices.create("Baker", number="1046", date="2024-03-07", item="Labor", amount="1500.00")
    synced.invoice_payments.create("1046", date="2024-03-08")
    fault(qb, kind="lose_response", request_type=request_type)
    with pytest.raises(syncer.QuickBooksUnavailable):
        run(synced, rp)
    later(qb)
    report = run(synced, rp)
    assert report.ok, str(report)
    assert rp.requests.count(request_type) == 1
    assert qb_invoice(basics, "1046").findtext("IsPaid") == "true"
    assert len(basics.txns("ReceivePayment")) == 1



def test_an_invoice_deleted_in_quickbooks_is_deleted_in_the_app_unless_the_app_has_its_payment(
        basics: QuickBooksUser, synced: syncer.App, rp: Processor, qb: Any) -> None:
    gone = basics.invoice("Baker", "1061", "2024-03-06", [("Labor", "300.00")])
    paid = basics.invoice("Baker", "1062", "2024-03-06", [("Labor", "500.00")])
    run(synced, rp)
    synced.invoice_payments.create("1062", amount="500.00", date="2024-03-07")
    run(synced, rp)
    basics.delete("Invoice", gone)
    basics.delete("Invoice", paid)
    later(qb)
    report = run(synced, rp)
    assert synced.invoices.find("1061") is None and report.pulled("invoice") == ["1061 (deleted)"]
    assert synced.invoices.get("1062").balance_due == Decimal("0.00")
    [error] = [e for e in report.errors if e.name == "1062"]
    assert "deleted in QuickBooks" in error.message and "Enter the invoice in QuickBooks again" in error.message
    assert run(synced, rp).pulled("invoice") == []
