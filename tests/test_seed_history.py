"""fakeqb.seed's history: months of transactions before the company's day, the same company whether written straight
into the tables or sent as qbXML through the handlers, with balances that add up."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from lxml import etree
from sqlalchemy import select

from fakeqb import FakeQuickBooks
from fakeqb.cli import main
from fakeqb.com.processor import RequestProcessor
from fakeqb.company.store import list_objects, metadata, transactions
from fakeqb.control.api import MAX_HISTORY_SIZE, ControlError
from fakeqb.control.client import RemoteControl
from fakeqb.http.server import serve_in_thread
from fakeqb.seed import LISTS_ENTERED, build_company
from fakeqb.seed.bulk import write_history
from fakeqb.seed.history import BillPayment, History, PaymentReceived, Undo, history_start, plan_history, read_lists
from fakeqb.seed.lists import seed_company
from tests.support import Client
from tests.test_persistence import POSTGRES_URL, create_database

TODAY = datetime(2024, 3, 1, 9, 30)
SIZES = {"vendors": 10, "customers": 8, "bills": 150, "invoices": 150}
#: Seeds whose histories, at SIZES, hold every shape in SHAPES between them (27 holds them all).
SEEDS = (27, 3, 4)
SHAPES = {
    "TxnDel Bill", "TxnDel ReceivePayment", "TxnVoid BillPaymentCheck", "TxnVoid Invoice",
    "BillPaymentCheck several", "BillPaymentCreditCard several", "ReceivePayment several",
    "BillPaymentCheck credit", "BillPaymentCreditCard credit", "ReceivePayment credit",
    "Bill paid twice", "Invoice paid twice", "ReceivePayment to Undeposited Funds", "ReceivePayment to Checking",
    "Transfer",
}


def company(seed: int, **sizes: int) -> FakeQuickBooks:
    qb = FakeQuickBooks()
    qb.clock.set(TODAY)
    qb.seed(seed, **sizes)
    return qb


def tables(qb: FakeQuickBooks) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, decoded (amounts as Decimals), in primary key order."""
    with qb.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in metadata.sorted_tables}


@cache
def planned(seed: int) -> History:
    """The history `build_company` plans for `seed` at SIZES."""
    qb = FakeQuickBooks()
    qb.clock.set(datetime.combine(history_start(TODAY.date(), 12), LISTS_ENTERED))
    seed_company(RequestProcessor(qb, admin=True), seed, vendors=SIZES["vendors"], customers=SIZES["customers"])
    with qb.company.transaction() as conn:
        lists = read_lists(conn)
    return plan_history(lists, seed, TODAY.date(), bills=SIZES["bills"], invoices=SIZES["invoices"])


def shapes(history: History) -> set[str]:
    found, paid = set(), Counter[int]()
    for step in history.steps:
        op = step.op
        if isinstance(op, Undo):
            found.add(f"{op.request} {op.txn_type}")
        elif isinstance(op, BillPayment | PaymentReceived):
            found |= {f"{op.txn_type} several"} if len(op.applied) > 1 else set()
            found |= {f"{op.txn_type} credit"} if any(a.credits for a in op.applied) else set()
            if isinstance(op, PaymentReceived):
                found.add(f"ReceivePayment to {'Undeposited Funds' if op.deposit_to is None else 'Checking'}")
            paid.update(a.target for a in op.applied)
        else:
            found.add(op.txn_type)
    found |= {f"{history.steps[i].op.txn_type} paid twice" for i, n in paid.items() if n > 1}
    return found


# -- the judge: both paths give the same company ----------------------------------------------------------------------

#: The behaviours that change what is stored: the defaults, and each the other way.
STORING = ({}, {"payment_restamps": "yes", "balance_touches": "no"})


@pytest.mark.parametrize(("seed", "behaviours"), [(seed, {}) for seed in SEEDS] + [(SEEDS[0], STORING[1])])
def test_the_bulk_writer_stores_exactly_what_the_handlers_store(seed: int, behaviours: dict[str, str]) -> None:
    """The same planned history written straight into the tables and sent as qbXML through an administrator's
    request processor (two fresh companies, same lists, same clock) gives the same rows in every table.

    Rows are compared decoded: on SQLite the handlers compute open amounts and balances in floating point, so a
    fully paid bill can read back as -0.00 where the writer stores 0.00 (equal as Decimals, not as snapshot text)."""
    bulk, sent = FakeQuickBooks(behaviours=behaviours), FakeQuickBooks(behaviours=behaviours)
    for qb in (bulk, sent):
        qb.clock.set(TODAY)
    assert build_company(bulk, seed, SIZES) == build_company(sent, seed, SIZES, via="qbxml")
    written, answered = tables(bulk), tables(sent)
    assert len(written["transactions"]) > 400 and written["txn_links"] and written["deleted_objects"]
    for name in written:
        assert written[name] == answered[name], name
    for qb in (bulk, sent):
        assert qb.clock.stopped and qb.clock.now() == TODAY.replace(tzinfo=qb.clock.tz)
    with bulk.engine.connect() as conn:
        restamped = conn.execute(select(transactions.c.id).where(
            transactions.c.time_modified > transactions.c.time_created)).all()
        touched = conn.execute(select(list_objects.c.id).where(
            list_objects.c.time_modified > list_objects.c.time_created)).all()
    assert (len(restamped) > 100) == (bulk.company.behaviours["payment_restamps"] == "yes")
    assert bool(touched) == (bulk.company.behaviours["balance_touches"] == "yes")


def test_the_compared_histories_hold_every_shape() -> None:
    found = set().union(*(shapes(planned(seed)) for seed in SEEDS))
    assert found >= SHAPES, SHAPES - found
    assert shapes(planned(SEEDS[0])) >= SHAPES


def test_a_history_on_lists_already_there_matches_too() -> None:
    """write_history on its own (no list seeding by build_company), on a company with other list sizes."""
    bulk, sent = FakeQuickBooks(), FakeQuickBooks()
    histories = []
    for qb in (bulk, sent):
        qb.clock.set(TODAY)
        seed_company(RequestProcessor(qb, admin=True), 5, vendors=4, customers=3, items=8)
        with qb.company.transaction() as conn:
            lists = read_lists(conn)
        histories.append((lists, plan_history(lists, 5, TODAY.date(), bills=60, invoices=60, months=3)))
    assert histories[0][1] == histories[1][1]
    write_history(bulk.company, *histories[0])
    from fakeqb.seed.sender import send_history
    send_history(sent, histories[1][1])
    assert tables(bulk) == tables(sent)


@contextmanager
def postgres_companies(count: int) -> Iterator[list[FakeQuickBooks]]:
    """Fresh companies, each on its own new database on the local PostgreSQL server, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    names = [f"fakeqb_{uuid.uuid4().hex}" for _ in range(count)]
    companies: list[FakeQuickBooks] = []
    try:
        with admin.connect() as conn:
            for name in names:
                create_database(conn, name)
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(reason=f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.orig}")
    try:
        companies = [FakeQuickBooks(admin.url.set(database=n).render_as_string(hide_password=False)) for n in names]
        yield companies
    finally:
        for qb in companies:
            qb.close()
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_on_postgres_too_and_the_sequences_go_on() -> None:
    """PostgreSQL's sequences never hand an id out twice: the writer moves them past its rows; the handlers go on."""
    sizes = {"vendors": 4, "customers": 3, "bills": 60, "invoices": 60, "months": 3}
    with postgres_companies(2) as (bulk, sent):
        for qb in (bulk, sent):
            qb.clock.set(TODAY)
        build_company(bulk, 27, sizes)
        build_company(sent, 27, sizes, via="qbxml")
        assert tables(bulk) == tables(sent)
        client = Client(bulk.request_processor())
        vendor = client.one("<VendorQueryRq><MaxReturned>1</MaxReturned></VendorQueryRq>")[0].findtext("ListID")
        added = client.one(f"<BillAddRq><BillAdd><VendorRef><ListID>{vendor}</ListID></VendorRef>"
                           "<ExpenseLineAdd><AccountRef><FullName>Rent</FullName></AccountRef><Amount>5.00</Amount>"
                           "</ExpenseLineAdd></BillAdd></BillAddRq>")
        assert added[0].findtext("AmountDue") == "5.00"
        client.close()


# -- what the history looks like --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def books() -> Any:
    qb = company(SEEDS[0], **SIZES)
    yield qb
    qb.close()


def amount_of(el: etree._Element, path: str) -> Decimal:
    return Decimal(el.findtext(path) or "0")


def linked(txn: etree._Element) -> Decimal:
    return sum((-amount_of(x, "Amount") for x in txn.findall("LinkedTxn")), Decimal(0))


def test_balances_add_up(books: FakeQuickBooks) -> None:
    """Open amounts agree with the links; every name and account holds what the open transactions add up to."""
    client = Client(books.request_processor())

    def query(kind: str, extra: str = "") -> list[etree._Element]:
        return list(client.one(f"<{kind}QueryRq>{extra}</{kind}QueryRq>"))

    with_links = "<IncludeLinkedTxns>true</IncludeLinkedTxns>"
    bills, credits = query("Bill", with_links), query("VendorCredit", with_links)
    checks, cards = query("BillPaymentCheck"), query("BillPaymentCreditCard")
    invoices, memos, received = query("Invoice", with_links), query("CreditMemo", with_links), query("ReceivePayment")
    moved = query("Transfer")
    for bill in bills:
        assert amount_of(bill, "OpenAmount") == amount_of(bill, "AmountDue") - linked(bill) >= 0
    for credit in credits:
        assert amount_of(credit, "OpenAmount") == amount_of(credit, "CreditAmount") - linked(credit) >= 0
    for invoice in invoices:
        assert amount_of(invoice, "BalanceRemaining") == amount_of(invoice, "Subtotal") - linked(invoice) >= 0
    for memo in memos:
        assert amount_of(memo, "CreditRemaining") == amount_of(memo, "TotalAmount") - linked(memo) >= 0
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for bill in bills:
        owed[bill.findtext("VendorRef/ListID") or ""] += amount_of(bill, "OpenAmount")
    for credit in credits:
        owed[credit.findtext("VendorRef/ListID") or ""] -= amount_of(credit, "OpenAmount")
    for payment in checks + cards:
        used = sum((amount_of(a, "Amount") for a in payment.findall("AppliedToTxnRet")), Decimal(0))
        owed[payment.findtext("PayeeEntityRef/ListID") or ""] -= amount_of(payment, "Amount") - used
    for invoice in invoices:
        owed[invoice.findtext("CustomerRef/ListID") or ""] += amount_of(invoice, "BalanceRemaining")
    for memo in memos:
        owed[memo.findtext("CustomerRef/ListID") or ""] -= amount_of(memo, "CreditRemaining")
    for payment in received:
        owed[payment.findtext("CustomerRef/ListID") or ""] -= amount_of(payment, "UnusedPayment")
    names = {r.findtext("ListID"): r for kind in ("Vendor", "Customer") for r in query(kind)}
    for list_id, name in names.items():
        assert amount_of(name, "Balance") == owed[list_id], name.findtext("FullName")
    accounts = {r.findtext("FullName"): amount_of(r, "Balance") for r in query("Account")}
    with books.engine.connect() as conn:
        opening = {r.full_name: Decimal(r.data.get("OpenBalance", "0")) for r in conn.execute(
            select(list_objects.c.full_name, list_objects.c.data).where(list_objects.c.list_type == "Account"))}

    def total(rets: list[etree._Element], field: str, account: str | None = None) -> Decimal:
        return sum((amount_of(r, field) for r in rets
                    if account is None or r.findtext("DepositToAccountRef/FullName") == account), Decimal(0))

    def transferred(account: str) -> Decimal:
        return sum((amount_of(t, "Amount") * (1 if t.findtext("TransferToAccountRef/FullName") == account else -1)
                    for t in moved if account in (t.findtext("TransferToAccountRef/FullName"),
                                                  t.findtext("TransferFromAccountRef/FullName"))), Decimal(0))

    vendors = {r.findtext("ListID") for r in names.values() if r.tag == "VendorRet"}
    assert accounts["Accounts Payable"] == sum((owed[v] for v in vendors), Decimal(0))
    assert accounts["Accounts Receivable"] == sum((owed[c] for c in names if c not in vendors), Decimal(0))
    assert accounts["Undeposited Funds"] == total(received, "TotalAmount", "Undeposited Funds") > 0
    assert accounts["Checking"] == (opening["Checking"] - total(checks, "Amount") + transferred("Checking")
                                    + total(received, "TotalAmount", "Checking"))
    assert accounts["Savings"] == opening["Savings"] + transferred("Savings")
    assert accounts["Business Visa"] == total(cards, "Amount") > 0
    client.close()


def test_every_transaction_is_entered_on_its_own_day_before_today(books: FakeQuickBooks) -> None:
    clock = books.clock
    start = history_start(TODAY.date(), 12)
    with books.engine.connect() as conn:
        rows = conn.execute(select(transactions.c.txn_date, transactions.c.time_created, transactions.c.time_modified,
                                   transactions.c.edit_sequence)).all()
        lists_created = {r.time_created for r in conn.execute(select(list_objects.c.time_created))}
    assert lists_created == {int(datetime.combine(start, LISTS_ENTERED).replace(tzinfo=clock.tz).timestamp())}
    for row in rows:
        entered = clock.local(row.time_created)
        assert entered.date().isoformat() == row.txn_date and start <= entered.date() < TODAY.date()
        assert entered.weekday() < 5 and 8 <= entered.hour < 18
        assert row.edit_sequence >= row.time_modified >= row.time_created
    assert len({r.txn_date for r in rows}) > 150  # spread over the days


def test_old_transactions_are_mostly_paid_and_recent_ones_mostly_open(books: FakeQuickBooks) -> None:
    with books.engine.connect() as conn:
        rows = conn.execute(select(transactions.c.txn_type, transactions.c.txn_date, transactions.c.amount,
                                   transactions.c.open_amount).where(transactions.c.txn_type.in_(("Bill", "Invoice")))
                            ).all()
    recent, old = TODAY.date() - timedelta(days=30), TODAY.date() - timedelta(days=120)

    def open_share(rows: list[Any]) -> float:
        return sum(r.open_amount > 0 for r in rows) / len(rows)

    assert open_share([r for r in rows if date.fromisoformat(r.txn_date) >= recent]) > 0.6
    assert open_share([r for r in rows if date.fromisoformat(r.txn_date) < old]) < 0.15
    partly = [r for r in rows if 0 < r.open_amount < r.amount]
    assert partly  # paid in part


def test_the_summary_counts_what_was_entered(books: FakeQuickBooks) -> None:
    history = planned(SEEDS[0])
    counts = history.counts()
    with books.engine.connect() as conn:
        kinds = Counter(t for (t,) in conn.execute(select(transactions.c.txn_type)))
    deleted = Counter(s.op.txn_type for s in history.steps if isinstance(s.op, Undo) and s.op.request == "TxnDel")
    assert kinds["Bill"] == counts["bills"] - deleted["Bill"] == SIZES["bills"] - deleted["Bill"]
    assert kinds["Invoice"] == counts["invoices"] == SIZES["invoices"]
    assert kinds["ReceivePayment"] == counts["payments_received"] - deleted["ReceivePayment"]
    assert kinds["BillPaymentCheck"] + kinds["BillPaymentCreditCard"] == counts["bill_payments"]
    assert (kinds["VendorCredit"], kinds["CreditMemo"], kinds["Transfer"]) == (
        counts["vendor_credits"], counts["credit_memos"], counts["transfers"]) == (6, 6, 24)


# -- determinism and the clock ----------------------------------------------------------------------------------------

def test_same_seed_and_clock_give_the_same_company() -> None:
    sizes = {"vendors": 5, "customers": 4, "bills": 80, "invoices": 80, "months": 4}
    first, second, other = company(9, **sizes), company(9, **sizes), company(10, **sizes)
    assert first.control.snapshot() == second.control.snapshot() != other.control.snapshot()


def test_a_running_clock_keeps_running() -> None:
    qb = FakeQuickBooks()
    summary = qb.seed(4, vendors=3, customers=2, bills=30, invoices=30, months=2)
    assert not qb.clock.stopped and summary.bills == 30
    assert abs(qb.clock.now() - datetime.now(qb.clock.tz)) < timedelta(seconds=5)


def test_no_history_leaves_the_lists_as_before() -> None:
    qb = company(1, vendors=3, customers=2)
    with qb.engine.connect() as conn:
        assert conn.execute(select(transactions.c.id)).first() is None
        created = {r for (r,) in conn.execute(select(list_objects.c.time_created))}
    assert created == {int(TODAY.replace(tzinfo=qb.clock.tz).timestamp())}


def test_bad_history_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        FakeQuickBooks().seed(1, bills=5, months=0)
    with pytest.raises(ValueError, match="must not be negative"):
        FakeQuickBooks().seed(1, invoices=-1)


# -- the control plane, over HTTP, and the command -------------------------------------------------------------------

def test_the_control_plane_takes_history_sizes_within_its_caps(qb: FakeQuickBooks) -> None:
    for sizes, message in (({"bills": MAX_HISTORY_SIZE + 1}, f"bills must be a whole number from 0 to "
                                                              f"{MAX_HISTORY_SIZE}"),
                           ({"invoices": -1}, "invoices must be"), ({"months": 0}, "months must be a whole number "
                                                                                  "from 1")):
        with pytest.raises(ControlError, match=message):
            qb.control.seed(1, **sizes)
    summary = qb.control.seed(2, vendors=3, customers=2, bills=20, invoices=25, months=3)
    assert (summary.bills, summary.invoices) == (20, 25) and summary.bill_payments > 0


def test_remote_seeding_passes_history_sizes_through(qb: FakeQuickBooks) -> None:
    token = "seed-history-token-0123456789"
    with serve_in_thread(qb, control_token=token) as url:
        summary = RemoteControl(url, token=token).seed(2, vendors=3, customers=2, bills=20, invoices=25, months=3)
    assert (summary.bills, summary.invoices) == (20, 25) and summary.payments_received > 0


def test_fakeqb_seed_writes_a_history_with_plain_progress_lines(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    assert main(["seed", "--db", url, "--vendors", "3", "--customers", "2", "--bills", "40", "--invoices", "30",
                 "--months", "3"]) == 0
    out = capsys.readouterr().out
    progress, summary = out.split("Seeded ")
    assert "Bills                     40" in summary and "Payments received" in summary
    lines = progress.splitlines()
    assert "Lists (qbXML): 81 of 81" in progress and any(x.startswith("Writing the tables: ") for x in lines)
    assert all(": " in x and " of " in x for x in lines)
