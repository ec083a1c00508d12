"""The syncer's qbXML: every request it can write is valid qbXML 13.0, and its readers take real QuickBooks output."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from syncer.engine.lists import LISTS
from syncer.qbxml import VERSION, txns
from syncer.qbxml.build import document
from syncer.qbxml.lists import company_query, list_add, list_mod, list_query
from syncer.qbxml.read import parse_moment, parse_response
from syncer.qbxml.records import read_bill, read_invoice, read_list

D = date(2024, 3, 1)
SAMPLES = {"bool": True, "amount": Decimal("1.00"), "parent": "80000001-1", "account_type": "Expense"}
LINE = txns.ExpenseLine("80000001-1", Decimal("100.00"), "parts", "80000002-1", "80000003-1", True)


def xsd_dir() -> Path:
    """The official schemas (QBXML_XSD_DIR); the test is skipped without them, except on CI."""
    value = os.environ.get("QBXML_XSD_DIR")
    if value and (Path(value) / "13.0").is_dir():
        return Path(value)
    if os.environ.get("CI"):
        pytest.fail("QBXML_XSD_DIR must point at the qbXML schemas on CI")
    pytest.skip(reason="QBXML_XSD_DIR is not set: the official qbXML schemas are not available")


@cache
def schema(folder: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(folder) / "13.0" / "qbxmlops130.xsd")))


def every_request() -> dict[str, etree._Element]:
    """One of every request the syncer writes, with every optional part it may fill."""
    bill = txns.Bill("80000004-1", D, [LINE, txns.ExpenseLine("80000001-1", Decimal("-5.00"))], "80000005-1",
                     date(2024, 3, 31), "INV-17", "memo", "{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE00}")
    applied = txns.Applied("1A-1", Decimal("70.00"), (("1B-1", Decimal("30.00")),))
    requests = {
        "list query by filter": list_query("Vendor", max_returned=100, from_modified="2024-03-01T09:00:00-05:00",
                                           iterator="Start"),
        "list query continued": list_query("Customer", max_returned=100, iterator="Continue",
                                           iterator_id="{eb05f701-e727-472f-8ade-6753c4f67a46}"),
        "item query": list_query("Item", max_returned=5, iterator="Start"),
        "account query": list_query("Account", from_modified="2024-03-01T09:00:00-05:00"),
        "bank balances": list_query("Account", account_types=["Bank"], include=("ListID", "FullName", "Balance")),
        "class query": list_query("Class"),
        "list query by name": list_query("Vendor", full_names=["Acme"]),
        "list query by id": list_query("Customer", list_ids=["80000001-1"]),
        "company": company_query(),
        "vendor add": list_add("Vendor", [("Name", "Acme"), ("IsActive", True), ("CompanyName", "Acme Co"),
                                          ("VendorAddress/Addr1", "1 Main St"), ("VendorAddress/City", "Boston"),
                                          ("VendorAddress/State", "MA"), ("VendorAddress/PostalCode", "02110"),
                                          ("Phone", "555-0100"), ("Email", "ap@acme.example"),
                                          ("NameOnCheck", "Acme Supply"), ("AccountNumber", "A-1")]),
        "vendor mod": list_mod("Vendor", "80000001-1", "1709300000", [("Name", "Acme 2"), ("Email", None)]),
        "customer add": list_add("Customer", [("Name", "Baker"), ("IsActive", True), ("CompanyName", "Baker LLC"),
                                              ("BillAddress/Addr1", "2 Elm St"), ("BillAddress/City", "Salem"),
                                              ("Phone", "555-0101"), ("Email", "b@example.com")]),
        "customer mod": list_mod("Customer", "80000002-1", "1709300000", [("IsActive", False)]),
        "account add": list_add("Account", [("Name", "Repairs"), ("IsActive", True),
                                            ("ParentRef/ListID", "80000009-1"), ("AccountType", "Expense"),
                                            ("AccountNumber", "6100"), ("Desc", "Repairs and maintenance")]),
        "account mod": list_mod("Account", "80000003-1", "1709300000", [("Name", "Repairs 2"),
                                                                        ("AccountType", "Expense")]),
        "class add": list_add("Class", [("Name", "Field"), ("IsActive", True), ("ParentRef/ListID", "8-1")]),
        "class mod": list_mod("Class", "80000004-1", "1709300000", [("Name", "Office")]),
        "bill add": txns.bill_add(bill),
        "bill mod": txns.bill_mod("1A-1", "1709300000", txns.Bill(
            "80000004-1", D, [txns.ExpenseLine("80000001-1", Decimal("9.99"), line_id="1C-1"),
                              txns.ExpenseLine("80000001-1", Decimal("1.00"), line_id=txns.NEW_LINE)])),
        "vendor credit add": txns.vendor_credit_add(txns.VendorCredit(
            "80000004-1", D, [LINE], "80000005-1", "C-1", "memo", "{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE01}")),
        "bill payment": txns.bill_payment_check_add(txns.BillPayment(
            "80000004-1", D, "80000006-1", [applied], "80000005-1", "1042", "memo",
            "{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE02}")),
        "bill payment to be printed": txns.bill_payment_check_add(txns.BillPayment(
            "80000004-1", D, "80000006-1", [txns.Applied("1A-1", Decimal("0.00"), (("1B-1", Decimal("5.00")),))])),
        "transfer": txns.transfer_add(txns.Transfer(D, "80000006-1", "80000007-1", Decimal("300.00"), "lump sum")),
        "invoice": txns.invoice_add(txns.Invoice(
            "80000002-1", D, [txns.InvoiceLine("80000008-1", "Labor", Decimal("2"), Decimal("50.00"),
                                               Decimal("100.00")), txns.InvoiceLine(None, "note only")],
            "1001", "80000010-1", date(2024, 3, 31), "memo", True, "{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE03}")),
        "receive payment": txns.receive_payment_add(txns.ReceivePayment(
            "80000002-1", D, Decimal("70.00"), [applied], "80000010-1", "CHK 77", "memo", "80000011-1",
            "{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE04}")),
        "receive payment unapplied": txns.receive_payment_add(txns.ReceivePayment("80000002-1", D, Decimal("5.00"))),
    }
    for txn_type in ("Bill", "Invoice", "VendorCredit", "BillPaymentCheck", "ReceivePayment", "CreditMemo"):
        requests[f"{txn_type} query modified"] = txns.txn_query(
            txn_type, from_modified="2024-03-01T09:00:00-05:00", include_lines=True, include_linked=True,
            max_returned=100, iterator="Start")
        requests[f"{txn_type} query by date and entity"] = txns.txn_query(txn_type, from_date=D, to_date=D,
                                                                          entity_id="80000004-1")
        requests[f"{txn_type} query by number"] = txns.txn_query(txn_type, ref_numbers=["1001"])
        requests[f"{txn_type} query by id"] = txns.txn_query(txn_type, txn_ids=["1A-1"], include_linked=True)
    requests["Transfer query by date"] = txns.txn_query("Transfer", from_date=D, to_date=D, entity_id="ignored")
    requests["Transfer query modified"] = txns.txn_query("Transfer", from_modified="2024-03-01T09:00:00",
                                                         iterator="Continue", iterator_id="{x}", max_returned=10)
    for spec in LISTS:  # the Add and Mod of every list the syncer writes, with every synced field set
        if spec.pushes:
            values = [(f.path, SAMPLES.get(f.attr, SAMPLES.get(f.kind, "x"))) for f in spec.fields]
            requests[f"{spec.qb_type} add, every field"] = list_add(spec.qb_type, values)
            requests[f"{spec.qb_type} mod, every field"] = list_mod(spec.qb_type, "8-1", "1709300000", values)
            requests[f"{spec.qb_type} mod, every field cleared"] = list_mod(
                spec.qb_type, "8-1", "1709300000",
                [(f.path, None) for f in spec.fields if f.kind == "str" and f.attr not in ("name", "account_type")])
    requests["deleted bills"] = txns.txn_deleted_query(["Bill"], "2024-03-01T09:00:00-05:00")
    requests["deleted bills, no date"] = txns.txn_deleted_query(["Bill", "Invoice"])
    return requests


@pytest.mark.xsd
@pytest.mark.parametrize("name", sorted(every_request()))
def test_every_request_is_valid_qbxml_13(name: str) -> None:
    xml = document([every_request()[name]])
    assert f'<?qbxml version="{VERSION}"?>' in xml
    root = etree.fromstring(xml.encode())
    sch = schema(str(xsd_dir()))
    assert sch.validate(root), f"{name}: {sch.error_log}\n{xml}"


def test_the_version_is_13() -> None:
    assert VERSION == "13.0"


# -- reading real QuickBooks output -----------------------------------------------------------------------------------

def test_status_iterator_and_job_full_names_are_read() -> None:
    text = """<?xml version="1.0" ?>
<QBXML>
<QBXMLMsgsRs>
<CustomerQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"
 iteratorRemainingCount="18" iteratorID="{eb05f701-e727-472f-8ade-6753c4f67a46}">
<CustomerRet>
<ListID>8000001B-1405768916</ListID>
<TimeCreated>2014-07-19T07:21:56-05:00</TimeCreated>
<TimeModified>2014-07-19T07:21:56-05:00</TimeModified>
<EditSequence>1405768916</EditSequence>
<Name>Family Room</Name>
<FullName>Abercrombie, Kristy:Family Room</FullName>
<IsActive>true</IsActive>
<ParentRef><ListID>8000001A-1405768916</ListID><FullName>Abercrombie, Kristy</FullName></ParentRef>
<Sublevel>1</Sublevel>
<Balance>0.00</Balance>
</CustomerRet>
</CustomerQueryRs>
</QBXMLMsgsRs>
</QBXML>"""
    rs = parse_response(text)[0]
    assert (rs.code, rs.severity, rs.is_error, rs.remaining) == (0, "Info", False, 18)
    assert rs.iterator_id == "{eb05f701-e727-472f-8ade-6753c4f67a46}"
    job = read_list(rs.rets()[0])
    assert (job.name, job.full_name, job.parent_id) == ("Family Room", "Abercrombie, Kristy:Family Room",
                                                        "8000001A-1405768916")


def test_empty_and_not_found_answers_are_not_errors() -> None:
    none = parse_response('<QBXML><QBXMLMsgsRs><ItemInventoryQueryRs requestID="1" statusCode="1" '
                          'statusSeverity="Info" statusMessage="A query request did not find a matching object in '
                          'QuickBooks" iteratorRemainingCount="0" /></QBXMLMsgsRs></QBXML>')[0]
    missing = parse_response('<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="500" statusSeverity="Warn" '
                             'statusMessage="The query request has not been fully completed. There was a required '
                             'element (&quot;bleech&quot;) that could not be found in QuickBooks." />'
                             '</QBXMLMsgsRs></QBXML>')[0]
    assert (none.is_error, none.rets(), missing.is_error, missing.code) == (False, [], False, 500)


def test_error_statuses_are_read() -> None:
    stale = parse_response('<QBXML><QBXMLMsgsRs><VendorModRs statusCode="3200" statusSeverity="Error" '
                           'statusMessage="The provided edit sequence &quot;1416315972&quot; is out-of-date. " />'
                           '</QBXMLMsgsRs></QBXML>')[0]
    assert (stale.code, stale.is_error, stale.message) == (
        3200, True, 'The provided edit sequence "1416315972" is out-of-date.')


def test_a_paid_invoice_reads_with_its_negative_applied_amount() -> None:
    text = """<QBXML><QBXMLMsgsRs><InvoiceQueryRs statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<InvoiceRet><TxnID>C5-1417118624</TxnID><TimeCreated>2014-11-27T18:03:44-02:00</TimeCreated>
<TimeModified>2014-11-27T18:03:44-02:00</TimeModified><EditSequence>1417118624</EditSequence><TxnNumber>12</TxnNumber>
<CustomerRef><ListID>80000002-1417118600</ListID><FullName>Keith Palmer:QuickBooks Integration</FullName></CustomerRef>
<TxnDate>2014-11-27</TxnDate><RefNumber>1001</RefNumber><DueDate>2014-12-27</DueDate><Subtotal>100.00</Subtotal>
<SalesTaxPercentage>0.00</SalesTaxPercentage><SalesTaxTotal>0.00</SalesTaxTotal><AppliedAmount>-55.00</AppliedAmount>
<BalanceRemaining>45.00</BalanceRemaining><IsPaid>false</IsPaid><IsToBePrinted>true</IsToBePrinted>
<IsToBeEmailed>1</IsToBeEmailed>
<LinkedTxn><TxnID>C7-1417118700</TxnID><TxnType>ReceivePayment</TxnType><TxnDate>2014-11-27</TxnDate>
<RefNumber>77</RefNumber><LinkType>AMTTYPE</LinkType><Amount>-55.00</Amount></LinkedTxn>
<InvoiceLineRet><TxnLineID>C6-1417118624</TxnLineID><ItemRef><ListID>80000001-1</ListID><FullName>Labor</FullName>
</ItemRef><Desc>Labor</Desc><Quantity>2</Quantity><Rate>50</Rate><Amount>100.00</Amount></InvoiceLineRet>
</InvoiceRet></InvoiceQueryRs></QBXMLMsgsRs></QBXML>"""
    invoice = read_invoice(parse_response(text)[0].rets()[0])
    assert invoice.applied == Decimal("-55.00") and invoice.balance == Decimal("45.00")
    assert invoice.total == Decimal("100.00") and invoice.has_payments and invoice.to_be_emailed
    assert invoice.txn.linked[0].txn_type == "ReceivePayment"
    assert invoice.lines[0].rate == Decimal("50") and invoice.lines[0].quantity == Decimal("2")


def test_a_bill_reads_with_its_lines_and_open_amount() -> None:
    text = """<QBXML><QBXMLMsgsRs><BillQueryRs statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<BillRet><TxnID>4-1232328070</TxnID><EditSequence>1232328070</EditSequence><VendorRef><ListID>8-1</ListID></VendorRef>
<TxnDate>2009-01-18</TxnDate><DueDate>2009-02-17</DueDate><AmountDue>150</AmountDue><RefNumber>A-1</RefNumber>
<IsPaid>false</IsPaid><ExternalGUID>{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE00}</ExternalGUID>
<ExpenseLineRet><TxnLineID>6-1232328070</TxnLineID><AccountRef><ListID>9-1</ListID></AccountRef>
<Amount>150.00</Amount><CustomerRef><ListID>7-1</ListID></CustomerRef><BillableStatus>Billable</BillableStatus>
</ExpenseLineRet><OpenAmount>100.00</OpenAmount></BillRet></BillQueryRs></QBXMLMsgsRs></QBXML>"""
    bill = read_bill(parse_response(text)[0].rets()[0])
    assert bill.amount_due == Decimal("150") and bill.has_payments
    assert bill.lines[0].billable is True and bill.lines[0].customer_id == "7-1"
    assert bill.txn.external_guid == "{0D5C8B7E-2B1F-4C51-9A2E-8F00C0FFEE00}"


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-12-16T00:06:42-05:00", "2023-12-16T00:06:42-05:00"),
    ("2014-11-27T18:03:44-02:00", "2014-11-27T18:03:44-02:00"),
    ("2024-03-01T09:30:00", "2024-03-01T09:30:00"),
    ("2024-03-01T09:30", "2024-03-01T09:30:00"),
    ("2024-03-01", "2024-03-01T00:00:00"),
])
def test_times_are_read_with_or_without_an_offset(value: str, expected: str) -> None:
    moment = parse_moment(value)
    assert moment is not None and moment.isoformat() == expected


def test_a_response_that_is_not_qbxml_is_refused() -> None:
    from syncer.qbxml.read import MalformedResponseError

    with pytest.raises(MalformedResponseError):
        parse_response("<html>Service Unavailable</html>")
    with pytest.raises(MalformedResponseError):
        parse_response('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><QBXML>&e;</QBXML>')
