"""The demo `make demo` runs: a simulated QuickBooks company and the app, synced twice.

    python -m scenarios.demo [--seed 7] [--brand "Key CashFlow"] [--http]

1. QuickBooks: a small contractor's company file seeded from `--seed` (accounts, classes, vendors, customers with
   jobs, items), its clock stopped on Mar 1, 2024.
2. The app (its own database in memory) is connected to the company file that day and runs a first sync: it picks up
   the lists and bank balances.
3. A day of work on both sides: in the app, a new vendor, a bill with a billable line, a payment of another bill and
   a new invoice; in QuickBooks, a new customer, an invoice marked To be emailed and an edited vendor.
4. A second sync moves those changes, and only those, each way.

Both reports are printed. Everything runs in memory, in process by default, or through fakeqb's HTTP server and the
syncer's HTTP client with `--http`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from lxml import etree

import syncer
from fakeqb import FakeQuickBooks
from fakeqb.com.client import envelope, session
from fakeqb.http.server import serve_in_thread
from syncer.remote import HttpRequestProcessor

START = datetime(2024, 3, 1, 9, 0)
SIZES = {"vendors": 6, "customers": 5, "max_jobs": 2, "items": 8, "classes": 3, "employees": 1, "other_names": 1}


class QuickBooksDesk:
    """A person working in QuickBooks: what they enter goes in as qbXML through their own session."""

    def __init__(self, qb: FakeQuickBooks):
        self.rp = qb.request_processor()

    def send(self, body: str) -> etree._Element:
        with session(self.rp, "QuickBooks user") as ticket:
            rs = etree.fromstring(self.rp.ProcessRequest(ticket, envelope(body)).encode()).find("QBXMLMsgsRs")[0]
        if rs.get("statusCode") not in ("0", "1"):
            raise RuntimeError(f"QuickBooks refused {rs.tag}: {rs.get('statusMessage')}")
        return rs

    def names(self, list_name: str) -> list[str]:
        rs = self.send(f"<{list_name}QueryRq><ActiveStatus>ActiveOnly</ActiveStatus></{list_name}QueryRq>")
        return [ret.findtext("FullName") or ret.findtext("Name") or "" for ret in rs]

    def edit_vendor(self, name: str, **fields: str) -> None:
        ret = self.send(f"<VendorQueryRq><FullName>{name}</FullName></VendorQueryRq>")[0]
        changes = "".join(f"<{tag}>{value}</{tag}>" for tag, value in fields.items())
        self.send(f"<VendorModRq><VendorMod><ListID>{ret.findtext('ListID')}</ListID>"
                  f"<EditSequence>{ret.findtext('EditSequence')}</EditSequence>{changes}</VendorMod></VendorModRq>")


@contextmanager
def processor(qb: FakeQuickBooks, http: bool) -> Iterator[Any]:
    """What the syncer talks to: the company's request processor, or the HTTP client to the company served."""
    if not http:
        yield qb.request_processor()
        return
    with serve_in_thread(qb) as url:
        yield HttpRequestProcessor(url)


def work_in_the_app(app: syncer.App, day: date) -> None:
    vendor = app.vendors.create("Tri-County Lumber", company_name="Tri-County Lumber Co", email="ap@tricounty.example")
    customer = next(c for c in app.customers.list() if c.parent is not None)  # a job
    app.bills.create(vendor.name, date=day, number="TCL-1187", lines=[
        {"account": "Job Expenses:Job Materials", "amount": "1240.50", "memo": "Framing lumber",
         "customer": customer.full_name, "billable": True}])
    other = next(v for v in app.vendors.list() if v.name != vendor.name)
    bill = app.bills.create(other.name, date=day, number="INV-5521", account="Office Supplies", amount="312.40")
    app.bill_payments.create(bill, date=day, bank_account="Checking", method="offline", check_number="1042")
    service = next(i for i in app.items.list() if i.item_type == "Service")
    app.invoices.create(customer.full_name, date=day, item=service.name, amount="2750.00",
                        description="Kitchen demolition")


def work_in_quickbooks(desk: QuickBooksDesk, day: date) -> None:
    desk.send("<CustomerAddRq><CustomerAdd><Name>Harbor View Condos</Name><CompanyName>Harbor View HOA</CompanyName>"
              "<Email>board@harborview.example</Email></CustomerAdd></CustomerAddRq>")
    service = desk.names("ItemService")[0]
    desk.send("<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Harbor View Condos</FullName></CustomerRef>"
              f"<TxnDate>{day.isoformat()}</TxnDate><RefNumber>QB-2001</RefNumber><IsToBeEmailed>true</IsToBeEmailed>"
              f"<InvoiceLineAdd><ItemRef><FullName>{service}</FullName></ItemRef><Desc>Lobby repairs</Desc>"
              "<Amount>1800.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")
    desk.edit_vendor(desk.names("Vendor")[0], Phone="555-0142")


def run(seed: int, brand: str, http: bool) -> int:
    with FakeQuickBooks() as qb:
        qb.clock.set(START)
        print(qb.seed(seed, **SIZES), end="\n\n")
        app = syncer.App("sqlite://", brand=brand)
        with processor(qb, http) as rp:
            syncer.connect(app, rp, on=START.date())
            print(f"== First sync: {brand} connected to {qb.file_name} on {START:%b %d, %Y}")
            print(syncer.sync(app, rp), end="\n\n")
            # the accounts transactions move through, picked from the accounts the first sync brought
            app.configure(ap_account="Accounts Payable", ar_account="Accounts Receivable", bank_account="Checking")

            qb.clock.advance(timedelta(days=1))
            day = qb.clock.now().date()
            work_in_the_app(app, day)
            work_in_quickbooks(QuickBooksDesk(qb), day)
            print(f"== Second sync, {day:%b %d, %Y}, after a day of work on both sides")
            report = syncer.sync(app, rp)
            print(report)
        app.close()
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scenarios.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7, help="the company's seed (default 7)")
    parser.add_argument("--brand", default="Cashflow360", choices=("Cashflow360", "Key CashFlow"))
    parser.add_argument("--http", action="store_true", help="sync over HTTP against a fakeqb server")
    args = parser.parse_args(argv)
    return run(args.seed, args.brand, args.http)


if __name__ == "__main__":
    sys.exit(main())
