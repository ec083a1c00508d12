"""What a person in QuickBooks and a person in the app change between measured syncs: the ten changes of a measured
sync (five in the app, five in QuickBooks), and the edits that make the company's newest changes those of a real
company's (`last_edits`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from lxml import etree

import syncer
from fakeqb.com.client import envelope, session


def change_app(app: syncer.App, round_number: int) -> None:
    """Two vendors and a customer edited, two bills entered."""
    first = round_number * 3 + 1
    app.vendors.update(first, phone=f"555-01{round_number:02d}")
    app.vendors.update(first + 1, email=f"ap{round_number}@example.com")
    customer = next(c for c in map(app.customers.get, range(first, first + 100)) if c.parent_id is None)
    app.customers.update(customer.id, phone=f"555-02{round_number:02d}")
    expense = next(a for a in app.accounts.list() if a.account_type == "Expense")
    for n in range(2):
        app.bills.create(first + n, date=date(2024, 7, 1), number=f"APP-{round_number}-{n}", account=expense.id,
                         amount=f"{100 + n}.00")


def last_edits(rp: Any, day: date) -> None:
    """An account, a class, a vendor, a customer and an item edited, a bill and an invoice entered after the history.

    A sync reads from two minutes before the newest change it has read (`syncer.engine.context.DEFAULT_OVERLAP`):
    in a company whose lists were all entered at one moment, every list object would be read again by each sync
    until something changed later, as a real company's are after a day's work.
    """
    with session(rp, "QuickBooks user") as ticket:
        send = _sender(rp, ticket)
        for tag in ("Account", "Class", "Vendor", "Customer", "ItemService"):
            ret = send(f"<{tag}QueryRq><MaxReturned>1</MaxReturned></{tag}QueryRq>")[0]
            field = "<Desc>Edited</Desc>" if tag == "Account" else ""
            if tag == "ItemService":
                field = "<SalesOrPurchaseMod><Desc>Edited</Desc></SalesOrPurchaseMod>"
            elif tag in ("Vendor", "Customer"):
                field = "<Phone>555-0100</Phone>"
            send(f"<{tag}ModRq><{tag}Mod><ListID>{ret.findtext('ListID')}</ListID><EditSequence>"
                 f"{ret.findtext('EditSequence')}</EditSequence>{field}</{tag}Mod></{tag}ModRq>")
        _enter_bill_and_invoice(send, day, "L")


def change_quickbooks(rp: Any, round_number: int, day: date) -> None:
    """Two vendors and a customer edited, a bill and an invoice entered."""
    with session(rp, "QuickBooks user") as ticket:
        send = _sender(rp, ticket)
        vendors = send("<VendorQueryRq><MaxReturned>40</MaxReturned></VendorQueryRq>")
        customers = send("<CustomerQueryRq><MaxReturned>40</MaxReturned></CustomerQueryRq>")
        offset = 20 + round_number * 3
        for ret, tag in ((vendors[offset], "Vendor"), (vendors[offset + 1], "Vendor"), (customers[offset], "Customer")):
            send(f"<{tag}ModRq><{tag}Mod><ListID>{ret.findtext('ListID')}</ListID><EditSequence>"
                 f"{ret.findtext('EditSequence')}</EditSequence><Phone>555-03{round_number:02d}</Phone>"
                 f"</{tag}Mod></{tag}ModRq>")
        _enter_bill_and_invoice(send, day, str(round_number), vendors[offset + 2], customers[offset + 1])


def _sender(rp: Any, ticket: str) -> Callable[[str], list[etree._Element]]:
    def send(body: str) -> list[etree._Element]:
        """Send one request; the Rets of its response (QuickBooks refusing it is an error)."""
        rs = etree.fromstring(rp.ProcessRequest(ticket, envelope(body)).encode()).find("QBXMLMsgsRs")[0]
        if rs.get("statusCode") not in ("0", "1"):
            raise RuntimeError(f"QuickBooks refused {rs.tag}: {rs.get('statusMessage')}")
        return list(rs)

    return send


def _enter_bill_and_invoice(send: Callable[[str], list[etree._Element]], day: date, tag: str,
                            vendor: etree._Element | None = None, customer: etree._Element | None = None) -> None:
    vendor = vendor if vendor is not None else send("<VendorQueryRq><MaxReturned>1</MaxReturned></VendorQueryRq>")[0]
    customer = customer if customer is not None else \
        send("<CustomerQueryRq><MaxReturned>1</MaxReturned></CustomerQueryRq>")[0]
    account = send("<AccountQueryRq><AccountType>Expense</AccountType></AccountQueryRq>")[0]
    item = send("<ItemServiceQueryRq><MaxReturned>1</MaxReturned></ItemServiceQueryRq>")[0]
    send(f"<BillAddRq><BillAdd><VendorRef><ListID>{vendor.findtext('ListID')}</ListID></VendorRef>"
         f"<TxnDate>{day}</TxnDate><RefNumber>QB-{tag}</RefNumber><ExpenseLineAdd><AccountRef><ListID>"
         f"{account.findtext('ListID')}</ListID></AccountRef><Amount>75.00</Amount></ExpenseLineAdd></BillAdd>"
         "</BillAddRq>")
    send(f"<InvoiceAddRq><InvoiceAdd><CustomerRef><ListID>{customer.findtext('ListID')}</ListID></CustomerRef>"
         f"<TxnDate>{day}</TxnDate><RefNumber>Q{tag}-1</RefNumber><InvoiceLineAdd><ItemRef><ListID>"
         f"{item.findtext('ListID')}</ListID></ItemRef><Amount>90.00</Amount></InvoiceLineAdd></InvoiceAdd>"
         "</InvoiceAddRq>")
