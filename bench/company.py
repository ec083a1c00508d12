"""The company `make bench-sync` syncs: fakeqb's seeded lists and a year of transaction history
(`qb.seed(seed, vendors=..., customers=..., bills=N, invoices=M)`: bills, payments, credits, invoices, payments
received, transfers), in a SQLite company file built once per size and seed and copied for each measurement.

The sizes are those the README measures seeding at: 1,000 vendors, 2,000 customers with their jobs and 2,700 bills
and 2,700 invoices (about 10,000 transactions with their payments); ten times the lists and 30,000 bills and 30,000
invoices (about 112,000 transactions).
"""

from __future__ import annotations

import inspect
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from fakeqb import FakeQuickBooks
from fakeqb.com.client import envelope, session
from fakeqb.com.processor import RequestProcessor

#: The company's day when it was built; its history lies in the months before.
TODAY = datetime(2024, 7, 1, 9, 0)
MONTHS = 12
BATCH = 200  # Add requests per message set


@dataclass(frozen=True)
class Size:
    name: str
    vendors: int
    customers: int  # and their jobs (up to three each)
    bills: int
    invoices: int


SIZES = {"10k": Size("10k", 1_000, 2_000, 2_700, 2_700), "100k": Size("100k", 10_000, 20_000, 30_000, 30_000)}


def history_start() -> date:
    """A day before the history's first (the app connects then, so that every invoice comes to it)."""
    return (TODAY - timedelta(days=31 * MONTHS + 7)).date()


def company_file(folder: Path, size: Size, seed: int) -> Path:
    """The company file of `size`, built into `folder` unless it is there already."""
    path = folder / f"company-{size.name}-{seed}.db"
    if not path.exists():
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        build(f"sqlite:///{partial}", size, seed)
        partial.rename(path)
    return path


def copy_of(path: Path, folder: Path) -> Path:
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


def build(url: str, size: Size, seed: int) -> None:
    with FakeQuickBooks(url) as qb:
        qb.clock.set(TODAY)
        lists = {"vendors": size.vendors, "customers": size.customers}
        if "bills" in inspect.signature(qb.seed).parameters or _seeds_history(qb):
            qb.seed(seed, **lists, bills=size.bills, invoices=size.invoices, months=MONTHS)
            return
        qb.clock.set(datetime.combine(history_start(), time(7, 30)))
        qb.seed(seed, **lists)
        _history(qb, size, seed)
        qb.clock.set(TODAY)


def _seeds_history(qb: FakeQuickBooks) -> bool:
    from fakeqb import seed as seeding

    return hasattr(seeding, "HISTORY_SIZES")


def _history(qb: FakeQuickBooks, size: Size, seed: int) -> None:
    """Open bills and invoices over the months before TODAY, entered day by day (without fakeqb's history)."""
    rp = RequestProcessor(qb, admin=True)
    rng = random.Random(seed)
    with session(rp, "bench history") as ticket:
        def ids(query: str, tag: str = "ListID") -> list[str]:
            rs = _send(rp, ticket, query)
            return [str(ret.findtext(tag)) for ret in rs]

        vendors = ids("<VendorQueryRq><ActiveStatus>ActiveOnly</ActiveStatus></VendorQueryRq>")
        customers = ids("<CustomerQueryRq><ActiveStatus>ActiveOnly</ActiveStatus></CustomerQueryRq>")
        expenses = ids("<AccountQueryRq><AccountType>Expense</AccountType></AccountQueryRq>")
        items = ids("<ItemServiceQueryRq><ActiveStatus>ActiveOnly</ActiveStatus></ItemServiceQueryRq>")
        days = [history_start() + timedelta(days=d) for d in range(1, 30 * MONTHS)]
        bills, invoices = _spread(size.bills, days), _spread(size.invoices, days)
        number = 10_000
        for day in days:
            requests = [_bill(rng, day, vendors, expenses) for _ in range(bills[day])]
            for _ in range(invoices[day]):
                number += 1
                requests.append(_invoice(rng, day, number, customers, items))
            qb.clock.set(datetime.combine(day, time(12, 0)))
            for start in range(0, len(requests), BATCH):
                _send(rp, ticket, "".join(requests[start:start + BATCH]), check_all=True)


def _spread(total: int, days: list[date]) -> dict[date, int]:
    per_day, extra = divmod(total, len(days))
    return {day: per_day + (1 if i < extra else 0) for i, day in enumerate(days)}


def _bill(rng: random.Random, day: date, vendors: list[str], accounts: list[str]) -> str:
    lines = "".join(f"<ExpenseLineAdd><AccountRef><ListID>{rng.choice(accounts)}</ListID></AccountRef>"
                    f"<Amount>{rng.randint(1000, 250000) / 100:.2f}</Amount><Memo>line {n}</Memo></ExpenseLineAdd>"
                    for n in range(1, rng.randint(1, 3) + 1))
    return (f"<BillAddRq><BillAdd><VendorRef><ListID>{rng.choice(vendors)}</ListID></VendorRef>"
            f"<TxnDate>{day}</TxnDate><DueDate>{day + timedelta(days=30)}</DueDate>"
            f"<RefNumber>B-{rng.randint(1, 10**7)}</RefNumber>{lines}</BillAdd></BillAddRq>")


def _invoice(rng: random.Random, day: date, number: int, customers: list[str], items: list[str]) -> str:
    lines = "".join(f"<InvoiceLineAdd><ItemRef><ListID>{rng.choice(items)}</ListID></ItemRef>"
                    f"<Desc>{escape('work & parts')}</Desc><Amount>{rng.randint(5000, 900000) / 100:.2f}</Amount>"
                    "</InvoiceLineAdd>" for _ in range(rng.randint(1, 3)))
    return (f"<InvoiceAddRq><InvoiceAdd><CustomerRef><ListID>{rng.choice(customers)}</ListID></CustomerRef>"
            f"<TxnDate>{day}</TxnDate><RefNumber>{number}</RefNumber>{lines}</InvoiceAdd></InvoiceAddRq>")


def _send(rp: Any, ticket: str, body: str, check_all: bool = False) -> etree._Element:
    """Send request elements; the first response's element (every response checked with `check_all`)."""
    msgs = etree.fromstring(rp.ProcessRequest(ticket, envelope(body)).encode()).find("QBXMLMsgsRs")
    assert msgs is not None
    for rs in msgs if check_all else msgs[:1]:
        if rs.get("statusCode") not in ("0", "1"):
            raise RuntimeError(f"QuickBooks refused {rs.tag}: {rs.get('statusMessage')}")
    return msgs[0]
