"""The rules of invoices read from QuickBooks, with invoices as QuickBooks writes them (InvoiceQueryRs as captured
from real QuickBooks: negative AppliedAmount, BalanceRemaining, IsToBeEmailed, "Customer:Job" references).

These run whether or not the simulation answers invoices: the invoice query's answer is given here, the lists come
from the simulation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import syncer
from tests.syncer.conftest import Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser

_ids = iter(range(0x1000, 0x10000))


def invoice_ret(customer: Any, item: Any, number: str, txn_date: str, amount: str, *, applied: str = "0.00",
                to_be_emailed: bool = False, edit_sequence: str = "1709301000", txn_id: str | None = None) -> str:
    balance = Decimal(amount) + Decimal(applied)
    txn = txn_id or f"{next(_ids):X}-1709301000"
    return f"""<InvoiceRet><TxnID>{txn}</TxnID><TimeCreated>2024-03-01T10:30:00-05:00</TimeCreated>
<TimeModified>2024-03-01T10:30:00-05:00</TimeModified><EditSequence>{edit_sequence}</EditSequence>
<TxnNumber>7</TxnNumber><CustomerRef><ListID>{customer.findtext("ListID")}</ListID>
<FullName>{customer.findtext("FullName")}</FullName></CustomerRef><ARAccountRef><ListID>8000000A-1709301000</ListID>
<FullName>Accounts Receivable</FullName></ARAccountRef><TxnDate>{txn_date}</TxnDate><RefNumber>{number}</RefNumber>
<IsPending>false</IsPending><DueDate>{txn_date}</DueDate><Subtotal>{amount}</Subtotal>
<SalesTaxPercentage>0.00</SalesTaxPercentage><SalesTaxTotal>0.00</SalesTaxTotal><AppliedAmount>{applied}</AppliedAmount>
<BalanceRemaining>{balance:.2f}</BalanceRemaining><IsPaid>{"true" if balance == 0 else "false"}</IsPaid>
<IsToBePrinted>false</IsToBePrinted><IsToBeEmailed>{"true" if to_be_emailed else "false"}</IsToBeEmailed>
<InvoiceLineRet><TxnLineID>{next(_ids):X}-1709301000</TxnLineID><ItemRef><ListID>{item.findtext("ListID")}</ListID>
<FullName>{item.findtext("FullName")}</FullName></ItemRef><Desc>Labor work</Desc><Rate>{amount}</Rate>
<Amount>{amount}</Amount></InvoiceLineRet></InvoiceRet>"""


def answer(*rets: str) -> str:
    status = 'statusCode="0" statusSeverity="Info" statusMessage="Status OK"' if rets else \
        'statusCode="1" statusSeverity="Info" statusMessage="A query request did not find a matching object in ' \
        'QuickBooks"'
    return (f'<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><InvoiceQueryRs requestID="1" {status} '
            f'iteratorRemainingCount="0" iteratorID="{{eb05f701-e727-472f-8ade-6753c4f67a46}}">{"".join(rets)}'
            "</InvoiceQueryRs></QBXMLMsgsRs></QBXML>")


@pytest.fixture
def parts(basics: QuickBooksUser) -> tuple[Any, Any, Any]:
    return basics.get("Customer", "Baker"), basics.get("Customer", "Baker:Kitchen"), basics.get("Item", "Labor")


def test_invoices_come_from_the_start_date_on(parts: tuple[Any, Any, Any], connected: syncer.App, rp: Processor,
                                              qb: Any) -> None:
    baker, kitchen, labor = parts
    rp.canned["InvoiceQueryRq"] = answer(invoice_ret(baker, labor, "0975", "2024-02-29", "700.00"),
                                         invoice_ret(kitchen, labor, "1001", "2024-03-01", "700.00"))
    report = run(connected, rp)
    assert report.pulled("invoice") == ["1001"], str(report)
    invoice = connected.invoices.get("1001")
    assert (invoice.customer.full_name, invoice.amount, invoice.status) == ("Baker:Kitchen", Decimal("700.00"),
                                                                            "Open")
    assert invoice.lines[0].item.name == "Labor" and not connected.invoices.can_edit("1001")
    assert connected.invoices.find("0975") is None


@pytest.mark.parametrize(("created_on", "imported", "status", "due"), [
    (date(2020, 6, 4), ["1043"], "Partially paid", Decimal("600.00")),
    (date(2020, 6, 5), [], None, None),
])
def test_status_and_amount_due_come_only_to_accounts_created_before_june_5_2020(
        parts: tuple[Any, Any, Any], connected: syncer.App, rp: Processor, created_on: date, imported: list[str],
        status: str | None, due: Decimal | None) -> None:
    baker, _, labor = parts
    connected.configure(account_created_on=created_on)
    rp.canned["InvoiceQueryRq"] = answer(invoice_ret(baker, labor, "1043", "2024-03-05", "1000.00",
                                                     applied="-400.00"))
    assert run(connected, rp).pulled("invoice") == imported
    if imported:
        invoice = connected.invoices.get("1043")
        assert (invoice.status, invoice.balance_due) == (status, due)


def test_an_invoice_followed_from_quickbooks_keeps_the_apps_unsynced_payments(
        parts: tuple[Any, Any, Any], connected: syncer.App, rp: Processor, qb: Any) -> None:
    baker, _, labor = parts
    connected.configure(account_created_on=date(2019, 1, 2))
    ret = invoice_ret(baker, labor, "1043", "2024-03-05", "1000.00", txn_id="ABC-1709301000")
    rp.canned["InvoiceQueryRq"] = answer(ret)
    run(connected, rp)
    connected.invoice_payments.create("1043", amount="100.00", date="2024-03-06")
    rp.canned["InvoiceQueryRq"] = answer(invoice_ret(baker, labor, "1043", "2024-03-05", "1000.00", applied="-400.00",
                                                     edit_sequence="1709302000", txn_id="ABC-1709301000"))
    report = run(connected, rp)
    assert report.pulled("invoice") == ["1043"]
    assert connected.invoices.get("1043").balance_due == Decimal("500.00")


def test_to_be_emailed_comes_from_quickbooks(parts: tuple[Any, Any, Any], connected: syncer.App,
                                             rp: Processor) -> None:
    baker, _, labor = parts
    rp.canned["InvoiceQueryRq"] = answer(invoice_ret(baker, labor, "1051", "2024-03-06", "900.00", to_be_emailed=True),
                                         invoice_ret(baker, labor, "1052", "2024-03-06", "900.00"))
    run(connected, rp)
    assert connected.invoices.can_email("1051") and not connected.invoices.can_email("1052")


def test_an_invoice_read_twice_is_taken_once(parts: tuple[Any, Any, Any], connected: syncer.App, rp: Processor,
                                             qb: Any) -> None:
    baker, _, labor = parts
    rp.canned["InvoiceQueryRq"] = answer(invoice_ret(baker, labor, "1051", "2024-03-06", "900.00",
                                                     txn_id="ABD-1709301000"))
    assert run(connected, rp).pulled("invoice") == ["1051"]
    later(qb)
    assert run(connected, rp).pulled("invoice") == []
    assert len(connected.invoices.list()) == 1


def test_a_quickbooks_invoice_numbered_like_an_unsynced_app_invoice_is_a_duplicate_error(
        parts: tuple[Any, Any, Any], connected: syncer.App, rp: Processor) -> None:
    baker, _, labor = parts
    run(connected, rp)
    connected.invoices.create("Baker", number="1060", date="2024-03-05", item="Labor", amount="10.00")
    rp.canned["InvoiceQueryRq"] = answer(invoice_ret(baker, labor, "1060", "2024-03-05", "50.00"))
    report = run(connected, rp)
    assert any(e.name == "1060" and "Duplicate invoice" in e.message for e in report.errors), str(report)
    assert [i.amount for i in connected.invoices.list()] == [Decimal("10.00")]
