"""The ten changes of a measured sync: five made in the app, five in QuickBooks by a person there."""

from __future__ import annotations

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
    app.customers.update(first + 2, phone=f"555-02{round_number:02d}")
    expense = next(a for a in app.accounts.list() if a.account_type == "Expense")
    for n in range(2):
        app.bills.create(first + n, date=date(2024, 7, 1), number=f"APP-{round_number}-{n}", account=expense.id,
                         amount=f"{100 + n}.00")


def change_quickbooks(rp: Any, round_number: int, day: date) -> None:
    """Two vendors and a customer edited, a bill and an invoice entered."""
    with session(rp, "QuickBooks user") as ticket:
        def send(body: str) -> list[etree._Element]:
            rs = etree.fromstring(rp.ProcessRequest(ticket, envelope(body)).encode()).find("QBXMLMsgsRs")[0]
            if rs.get("statusCode") not in ("0", "1"):
                raise RuntimeError(f"QuickBooks refused {rs.tag}: {rs.get('statusMessage')}")
            return list(rs)

        vendors = send("<VendorQueryRq><MaxReturned>40</MaxReturned></VendorQueryRq>")
        customers = send("<CustomerQueryRq><MaxReturned>40</MaxReturned></CustomerQueryRq>")
        offset = 20 + round_number * 3
        for ret, tag in ((vendors[offset], "Vendor"), (vendors[offset + 1], "Vendor"), (customers[offset], "Customer")):
            send(f"<{tag}ModRq><{tag}Mod><ListID>{ret.findtext('ListID')}</ListID><EditSequence>"
                 f"{ret.findtext('EditSequence')}</EditSequence><Phone>555-03{round_number:02d}</Phone>"
                 f"</{tag}Mod></{tag}ModRq>")
        account = send("<AccountQueryRq><AccountType>Expense</AccountType></AccountQueryRq>")[0]
        item = send("<ItemServiceQueryRq><MaxReturned>1</MaxReturned></ItemServiceQueryRq>")[0]
        send(f"<BillAddRq><BillAdd><VendorRef><ListID>{vendors[offset + 2].findtext('ListID')}</ListID></VendorRef>"
             f"<TxnDate>{day}</TxnDate><RefNumber>QB-{round_number}</RefNumber><ExpenseLineAdd><AccountRef><ListID>"
             f"{account.findtext('ListID')}</ListID></AccountRef><Amount>75.00</Amount></ExpenseLineAdd></BillAdd>"
             "</BillAddRq>")
        send(f"<InvoiceAddRq><InvoiceAdd><CustomerRef><ListID>{customers[offset + 1].findtext('ListID')}</ListID>"
             f"</CustomerRef><TxnDate>{day}</TxnDate><RefNumber>Q{round_number}-1</RefNumber><InvoiceLineAdd><ItemRef>"
             f"<ListID>{item.findtext('ListID')}</ListID></ItemRef><Amount>90.00</Amount></InvoiceLineAdd>"
             "</InvoiceAdd></InvoiceAddRq>")
