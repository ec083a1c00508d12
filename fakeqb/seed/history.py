"""Months of transaction history for a seeded company, planned as plain data before anything is written.

    lists = read_lists(conn)
    history = plan_history(lists, seed=7, today=date(2024, 3, 1), bills=300, invoices=300)
    write_history(company, lists, history)      # fakeqb.seed.bulk: rows straight into the tables
    send_history(host, history)                 # fakeqb.seed.sender: the same operations as qbXML requests

A history is a list of steps, each one operation entered at a moment of company time (its TxnDate is that day);
an operation refers to earlier ones by their index in the list. Both writers turn a step into the same qbXML request
fields (`request`), so what QuickBooks would store is decided in one place.

The mix, over the business days of the `months` months before the company's day (N bills, M invoices):

* N bills from the vendors (a few vendors get most of them) with one to four lines: expense lines (job materials,
  subcontractors, fuel, rent, utilities...) and item lines for inventory parts (Quantity at the item's cost, or a
  negotiated Cost); job costs are mostly billable to a customer or job, about half the lines carry a class.
* Bill payments: checks on the Thursday check run, paying every bill of the vendor due by the week after (several
  bills on one check), or by the company credit card (a quarter) on the day. One payment in eight pays part of a bill
  and the rest is paid some weeks later. One check in a hundred is voided; its bills are paid again later.
* Vendor credits, one per 25 bills, set on the vendor's bills by its next payment (SetCredit) when it pays in full.
* M invoices to customers or, mostly, their jobs, with one to five item lines at the item's price or a quoted Rate,
  numbered by QuickBooks; one in a hundred is voided.
* Payments received: a customer or job pays what is due within ten days in one payment (several invoices), one in
  seven pays part; six in ten wait in Undeposited Funds, the rest go to Checking. One in 200 is deleted (entered
  twice): its invoices are open again and paid later.
* Credit memos, one per 25 invoices, applied by the customer's next payment in full (SetCredit), or left as credit.
* Transfers between Checking and Savings twice a month; one bill in a hundred deleted a few days after entry.

Bills are paid 3 to 60 days after entry, invoices 5 to 90 days: old transactions are mostly paid, recent ones mostly
open, and a few bills (3%) and invoices (8%) are never paid. Each business day has five sittings (08:00 bills and
credits, 10:00 bill payments, 13:00 invoices and credit memos, 15:00 payments received, 17:00 transfers, voids and
deletions, minutes and seconds at random); a step never refers to one of its own sitting.
"""

from __future__ import annotations

import random
from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, select

from fakeqb.company.handlers.receivables import UNDEPOSITED_FUNDS
from fakeqb.company.lists import find_by_name, first_account
from fakeqb.company.settings import read_setting
from fakeqb.company.store import list_objects
from fakeqb.qbxml.records import normalise
from fakeqb.qbxml.values import fmt_amount
from fakeqb.seed.lists import Field, Progress, SeedError

MONTHS = 12  # default length of the history
CENT = Decimal("0.01")
DOLLAR = Decimal("1")
ZERO = Decimal("0.00")
#: What a payment leaves to pay when it sets a credit (so a payment always pays something).
LEAST_PAYMENT = Decimal("1.00")
CHECKING, SAVINGS, CREDIT_CARD = "Checking", "Savings", "Business Visa"
#: Expense accounts of bills: (full name, lowest and highest amount, a job cost, weight).
EXPENSES = (
    ("Job Expenses:Job Materials", 40, 3_000, True, 30), ("Job Expenses:Subcontractors", 300, 8_000, True, 20),
    ("Automobile:Fuel", 30, 250, False, 10), ("Automobile:Repairs", 80, 1_500, False, 4),
    ("Rent", 1_500, 4_000, False, 3), ("Utilities", 90, 600, False, 4), ("Utilities:Telephone", 60, 300, False, 4),
    ("Office Supplies", 15, 400, False, 8), ("Insurance:Liability Insurance", 300, 2_500, False, 2),
    ("Professional Fees", 200, 3_000, False, 3), ("Advertising", 100, 1_500, False, 4),
    ("Bank Service Charges", 10, 60, False, 2),
)
BILL_MEMOS = ("Materials", "Per quote", "Monthly service", "Job supplies", "Rush order", "Net 10", "See attached")
CREDIT_MEMOS = ("Returned materials", "Credit for damaged goods", "Overbilled on last invoice")
SALES_MEMOS = ("Progress billing", "Change order", "Final billing", "Thank you for your business")
REFUND_MEMOS = ("Returned item", "Goodwill credit", "Billing correction")
#: Sittings of a business day: (hour, what is entered).
SITTINGS = (8, 10, 13, 15, 17)


# -- the plan -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExpenseLine:
    account: str  # ListIDs throughout
    amount: Decimal
    customer: str | None = None  # billable to this customer or job
    klass: str | None = None
    memo: str | None = None


@dataclass(frozen=True)
class ItemLine:
    item: str
    quantity: int
    cost: Decimal | None = None  # None: the item's purchase cost
    customer: str | None = None
    klass: str | None = None


@dataclass(frozen=True)
class SalesLine:
    item: str
    quantity: int
    rate: Decimal | None = None  # None: the item's sales price
    klass: str | None = None


@dataclass(frozen=True)
class Applied:
    """What a payment pays on one bill or invoice (by step index), and the credits it sets on it."""

    target: int
    amount: Decimal
    credits: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class Purchase:
    txn_type: str  # Bill, VendorCredit
    vendor: str
    ref_number: str | None
    memo: str | None
    expenses: tuple[ExpenseLine, ...]
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class BillPayment:
    txn_type: str  # BillPaymentCheck, BillPaymentCreditCard
    vendor: str
    account: str  # the bank or credit card account
    ref_number: str | None
    applied: tuple[Applied, ...]


@dataclass(frozen=True)
class Sale:
    txn_type: str  # Invoice, CreditMemo
    customer: str  # a customer or a job
    klass: str | None
    po_number: str | None
    memo: str | None
    lines: tuple[SalesLine, ...]


@dataclass(frozen=True)
class PaymentReceived:
    customer: str
    ref_number: str | None
    total: Decimal
    deposit_to: str | None  # None: Undeposited Funds
    applied: tuple[Applied, ...]
    txn_type: str = "ReceivePayment"


@dataclass(frozen=True)
class Transfer:
    source: str
    target: str
    amount: Decimal
    memo: str | None
    txn_type: str = "Transfer"


@dataclass(frozen=True)
class Undo:
    """A TxnVoid or TxnDel of an earlier step."""

    request: str  # TxnVoid, TxnDel
    target: int
    txn_type: str  # the target's


Operation = Purchase | BillPayment | Sale | PaymentReceived | Transfer | Undo


@dataclass(frozen=True)
class Step:
    at: datetime  # company time (naive) the operation is entered at; its TxnDate is that day
    op: Operation


@dataclass(frozen=True)
class History:
    today: date
    steps: tuple[Step, ...]

    def counts(self) -> dict[str, int]:
        """Steps by kind, named as `SeedSummary` names them."""
        kinds = Counter(s.op.request if isinstance(s.op, Undo) else s.op.txn_type for s in self.steps)
        return {"bills": kinds["Bill"], "vendor_credits": kinds["VendorCredit"],
                "bill_payments": kinds["BillPaymentCheck"] + kinds["BillPaymentCreditCard"],
                "invoices": kinds["Invoice"], "credit_memos": kinds["CreditMemo"],
                "payments_received": kinds["ReceivePayment"], "transfers": kinds["Transfer"],
                "voided": kinds["TxnVoid"], "deleted": kinds["TxnDel"]}

    def referenced(self) -> frozenset[int]:
        """Steps a later step refers to (whose TxnID must be known)."""
        found: set[int] = set()
        for step in self.steps:
            op = step.op
            if isinstance(op, Undo):
                found.add(op.target)
            elif isinstance(op, BillPayment | PaymentReceived):
                for a in op.applied:
                    found.add(a.target)
                    found.update(c for c, _ in a.credits)
        return frozenset(found)


# -- the requests -------------------------------------------------------------------------------------------------

def _ref(list_id: str | None) -> list[Field] | None:
    return [("ListID", list_id)] if list_id else None


def _quantity(value: int) -> str:
    return normalise("quan", str(value))


def _price(value: Decimal | None) -> str | None:
    return None if value is None else normalise("price", str(value))


def request(step: Step, txn_id: Callable[[int], str]) -> tuple[str, list[Field]]:
    """The request a step sends: its name (a transaction type, whose Add it is, or TxnVoid/TxnDel) and its fields in
    schema order, values as QuickBooks normalises them; `txn_id` gives the TxnID of an earlier step."""
    op, day = step.op, step.at.date().isoformat()
    if isinstance(op, Undo):
        return op.request, [(f"{op.request}Type", op.txn_type), ("TxnID", txn_id(op.target))]
    if isinstance(op, Purchase):
        lines: list[Field] = [("ExpenseLineAdd", [
            ("AccountRef", _ref(x.account)), ("Amount", fmt_amount(x.amount)), ("Memo", x.memo),
            ("CustomerRef", _ref(x.customer)), ("ClassRef", _ref(x.klass)),
            ("BillableStatus", "Billable" if x.customer else None)]) for x in op.expenses]
        lines += [("ItemLineAdd", [
            ("ItemRef", _ref(x.item)), ("Quantity", _quantity(x.quantity)), ("Cost", _price(x.cost)),
            ("CustomerRef", _ref(x.customer)), ("ClassRef", _ref(x.klass)),
            ("BillableStatus", "Billable" if x.customer else None)]) for x in op.items]
        return op.txn_type, [("VendorRef", _ref(op.vendor)), ("TxnDate", day), ("RefNumber", op.ref_number),
                             ("Memo", op.memo), *lines]
    if isinstance(op, BillPayment):
        account = "BankAccountRef" if op.txn_type == "BillPaymentCheck" else "CreditCardAccountRef"
        return op.txn_type, [("PayeeEntityRef", _ref(op.vendor)), ("TxnDate", day), (account, _ref(op.account)),
                             ("RefNumber", op.ref_number), *_applied(op.applied, txn_id)]
    if isinstance(op, Sale):
        return op.txn_type, [
            ("CustomerRef", _ref(op.customer)), ("ClassRef", _ref(op.klass)), ("TxnDate", day),
            ("PONumber", op.po_number), ("Memo", op.memo),
            *[(f"{op.txn_type}LineAdd", [("ItemRef", _ref(x.item)), ("Quantity", _quantity(x.quantity)),
                                         ("Rate", _price(x.rate)), ("ClassRef", _ref(x.klass))]) for x in op.lines]]
    if isinstance(op, PaymentReceived):
        return op.txn_type, [("CustomerRef", _ref(op.customer)), ("TxnDate", day), ("RefNumber", op.ref_number),
                             ("TotalAmount", fmt_amount(op.total)), ("DepositToAccountRef", _ref(op.deposit_to)),
                             *_applied(op.applied, txn_id)]
    return op.txn_type, [("TxnDate", day), ("TransferFromAccountRef", _ref(op.source)),
                         ("TransferToAccountRef", _ref(op.target)), ("Amount", fmt_amount(op.amount)),
                         ("Memo", op.memo)]


def _applied(applied: Iterable[Applied], txn_id: Callable[[int], str]) -> list[Field]:
    return [("AppliedToTxnAdd", [
        ("TxnID", txn_id(a.target)), ("PaymentAmount", fmt_amount(a.amount)),
        *[_set_credit(txn_id(c), use) for c, use in a.credits]]) for a in applied]


def _set_credit(credit_id: str, use: Decimal) -> Field:
    return "SetCredit", [("CreditTxnID", credit_id), ("AppliedAmount", fmt_amount(use))]


def line_amount(unit: Decimal, quantity: Decimal | int) -> Decimal:
    """An item line's Amount from its unit price, as QuickBooks rounds it."""
    return (unit * quantity).quantize(CENT, ROUND_HALF_UP)


# -- the lists, read once -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Listed:
    """A list object as the history needs it."""

    id: int  # the row's
    list_type: str
    name_space: str
    list_id: str
    full_name: str
    parent_id: int | None
    is_active: bool
    balance: Decimal
    data: dict[str, Any]


@dataclass
class Lists:
    """The company's lists, read in one query, and the accounts QuickBooks uses by default."""

    objects: list[Listed]
    ap: str  # ListIDs of the first A/P and A/R accounts and of Undeposited Funds
    ar: str
    undeposited: str
    days_bills_are_due: int
    by_key: dict[tuple[str, str], Listed] = field(init=False)
    accounts: dict[str, Listed] = field(init=False)  # by full name

    def __post_init__(self) -> None:
        self.by_key = {(o.name_space, o.list_id): o for o in self.objects}
        self.accounts = {o.full_name: o for o in self.objects if o.list_type == "Account"}

    def of_type(self, list_type: str) -> list[Listed]:
        return [o for o in self.objects if o.list_type == list_type and o.is_active]


def read_lists(conn: Connection) -> Lists:
    """The company's lists; SeedError when it lacks an account transactions need (QuickBooks would create it)."""
    c = list_objects.c
    rows = conn.execute(select(c.id, c.list_type, c.name_space, c.list_id, c.full_name, c.parent_id, c.is_active,
                               c.balance, c.data).order_by(c.id))
    objects = [Listed(r.id, r.list_type, r.name_space, r.list_id, r.full_name, r.parent_id, bool(r.is_active),
                      Decimal(r.balance), r.data or {}) for r in rows]
    ap, ar = first_account(conn, "AccountsPayable"), first_account(conn, "AccountsReceivable")
    undeposited = find_by_name(conn, "Account", UNDEPOSITED_FUNDS)
    if ap is None or ar is None or undeposited is None or undeposited.data.get("AccountType") != "OtherCurrentAsset":
        raise SeedError("the company needs an A/P account, an A/R account and Undeposited Funds for a history")
    days = read_setting(conn, "preferences")["PurchasesAndVendorsPreferences"].get("DaysBillsAreDue", "0")
    return Lists(objects, ap.list_id, ar.list_id, undeposited.list_id, int(days))


# -- planning -----------------------------------------------------------------------------------------------------

def history_start(today: date, months: int) -> date:
    """The first day of a history of `months` months before `today` (the same day of the month, or its last)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, monthrange(year, month + 1)[1]))


def plan_history(lists: Lists, seed: int, today: date, *, bills: int, invoices: int, months: int = MONTHS,
                 progress: Progress | None = None) -> History:
    """The history of `bills` bills and `invoices` invoices (with their payments, credits, transfers, voids and
    deletions) over the business days of the `months` months before `today`; the same for the same arguments."""
    if bills < 0 or invoices < 0 or months < 0:
        raise ValueError("bills, invoices and months must not be negative")
    if (bills or invoices) and months < 1:
        raise ValueError("a history needs at least one month")
    planner = _Planner(lists, seed, today, months)
    return planner.plan(bills, invoices, progress)


@dataclass(slots=True)
class _Link:
    source: int
    target: int
    amount: Decimal
    alive: bool = True


class _Planner:
    """Plans day by day, keeping what is open so that no payment asks for more than QuickBooks allows."""

    def __init__(self, lists: Lists, seed: int, today: date, months: int):
        self.rng = random.Random(f"fakeqb history {seed}")
        self.today = today
        start = history_start(today, months)
        self.days = [start + timedelta(days=i) for i in range((today - start).days)
                     if (start + timedelta(days=i)).weekday() < 5]
        self.position = {day: i for i, day in enumerate(self.days)}
        self.steps: list[Step] = []
        self.moment = datetime.combine(start, time(8))
        self.open: dict[int, Decimal] = {}
        self.entity: dict[int, str] = {}
        self.links: dict[int, list[_Link]] = defaultdict(list)
        self.agenda: dict[date, list[tuple[str, int]]] = defaultdict(list)
        self.due: dict[int, tuple[date, str]] = {}  # bill or invoice -> the day it is to be paid, and how
        self.waiting: dict[str, set[int]] = defaultdict(set)  # vendor or customer -> its bills or invoices due
        self.credits: dict[str, list[int]] = defaultdict(list)  # vendor or customer -> its credits, oldest first
        self.billed: list[str] = []  # vendors of the bills so far (one per bill)
        self.invoiced: list[str] = []
        self.check_number = 1000
        self._lists(lists)

    def _lists(self, lists: Lists) -> None:
        rng = self.rng
        self.vendors = [v.list_id for v in lists.of_type("Vendor")]
        rng.shuffle(self.vendors)
        self.vendor_weights = _cumulative(len(self.vendors))
        customers = lists.of_type("Customer")
        jobs: dict[int, list[str]] = defaultdict(list)
        for c in customers:
            if c.parent_id is not None:
                jobs[c.parent_id].append(c.list_id)
        self.customers = [(c.list_id, jobs.get(c.id, [])) for c in customers if c.parent_id is None]
        rng.shuffle(self.customers)
        self.customer_weights = _cumulative(len(self.customers))
        self.classes = [c.list_id for c in lists.of_type("Class")]
        self.expenses = [(lists.accounts[name].list_id, low, high, job, weight)
                         for name, low, high, job, weight in EXPENSES if name in lists.accounts]
        self.expense_weights = [e[4] for e in self.expenses]
        self.parts = [(i.list_id, Decimal(i.data["PurchaseCost"])) for i in lists.of_type("ItemInventory")
                      if i.data.get("PurchaseCost") and i.data.get("AssetAccountRef")]
        self.part_cost = dict(self.parts)
        self.sold: list[tuple[str, Decimal, bool]] = []  # (item, sales price, priced by the hour)
        for item in lists.objects:
            price = _sales_price(item) if item.is_active else None
            if price is not None:
                self.sold.append((item.list_id, price, item.list_type == "ItemService"))
        self.bank = {name: lists.accounts[name].list_id for name in (CHECKING, SAVINGS, CREDIT_CARD)
                     if name in lists.accounts}

    # -- the days ----------------------------------------------------------------------------------------------
    def plan(self, bills: int, invoices: int, progress: Progress | None) -> History:
        if (bills and not (self.vendors and (self.expenses or self.parts))) or \
                (invoices and not (self.customers and self.sold)):
            raise SeedError("bills need vendors; invoices need customers and items with a sales price")
        if len(self.bank) < 3 and (bills or invoices):
            raise SeedError(f"a history needs the accounts {CHECKING}, {SAVINGS} and {CREDIT_CARD}")
        if not self.days or not (bills or invoices):
            return History(self.today, ())
        n = len(self.days)
        per_day = [Counter(self.rng.randrange(n) for _ in range(count))
                   for count in (bills, bills // 25, invoices, invoices // 25)]
        halves: dict[tuple[int, int, bool], date] = {}
        for day in self.days:
            halves.setdefault((day.year, day.month, day.day >= 15), day)
        transfer_days = set(halves.values())
        for i, day in enumerate(self.days):
            moments = [datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))
                       for hour in SITTINGS]
            self.moment = moments[0]
            for _ in range(per_day[0][i]):
                self.bill(day)
            for _ in range(per_day[1][i]):
                self.vendor_credit()
            self.moment = moments[1]
            self.pay_bills(day)
            self.moment = moments[2]
            for _ in range(per_day[2][i]):
                self.invoice(day)
            for _ in range(per_day[3][i]):
                self.credit_memo()
            self.moment = moments[3]
            self.collect(day)
            self.moment = moments[4]
            if day in transfer_days:
                self.transfer()
            self.undo(day)
            if progress is not None:
                progress("planning", i + 1, n)
        return History(self.today, tuple(self.steps))

    def add(self, op: Operation) -> int:
        self.steps.append(Step(self.moment, op))
        return len(self.steps) - 1

    def later(self, day: date, kind: str, index: int, low: int, high: int) -> None:
        """Put `kind` of step `index` on the agenda `low` to `high` business days after `day` (if before today)."""
        position = self.position[day] + self.rng.randint(low, high)
        if position < len(self.days):
            self.agenda[self.days[position]].append((kind, index))

    def link(self, source: int, target: int, owner: int, value: Decimal) -> None:
        x = _Link(source, target, value)
        for index in {source, target, owner}:
            self.links[index].append(x)
        self.open[source] -= value
        self.open[target] -= value

    def release(self, index: int) -> set[int]:
        """Undo every link touching step `index` (a void or a delete); returns the steps open again."""
        changed = set()
        for x in self.links.pop(index, []):
            if x.alive:
                x.alive = False
                self.open[x.source] += x.amount
                self.open[x.target] += x.amount
                changed |= {x.source, x.target}
        return changed - {index}

    def pick(self, population: list[Any], weights: list[float]) -> Any:
        return self.rng.choices(population, cum_weights=weights)[0]

    def money(self, low: int, high: int) -> Decimal:
        """An amount from `low` to `high` dollars, small ones likelier (only exactly rounded float operations, so the
        same on every platform)."""
        u = self.rng.random()
        return Decimal(low * 100 + int((high - low) * 100 * u * u)).scaleb(-2)

    def maybe(self, share: float, value: Any) -> Any:
        return value if self.rng.random() < share else None

    # -- payables ------------------------------------------------------------------------------------------------
    def bill(self, day: date) -> None:
        rng = self.rng
        vendor = self.pick(self.vendors, self.vendor_weights)
        expenses, items = [], []
        for _ in range(rng.choices((1, 2, 3, 4), (50, 30, 14, 6))[0]):
            if self.parts and rng.random() < 0.35:
                item, cost = rng.choice(self.parts)
                negotiated = (cost * rng.randint(85, 110) / 100).quantize(CENT) if rng.random() < 0.2 else None
                items.append(ItemLine(item, rng.randint(1, 12), negotiated or None, self.maybe(0.4, self.job()),
                                      self.maybe(0.5, self.klass())))
            else:
                account, low, high, job_cost, _ = rng.choices(self.expenses, self.expense_weights)[0]
                customer = self.job() if job_cost and rng.random() < 0.7 else None
                expenses.append(ExpenseLine(account, self.money(low, high), customer, self.maybe(0.5, self.klass()),
                                            self.maybe(0.2, rng.choice(BILL_MEMOS))))
        total = self.purchase_total(expenses, items)
        ref = str(rng.randint(1000, 999_999)) if rng.random() < 0.85 else None
        index = self.add(Purchase("Bill", vendor, ref, self.maybe(0.3, rng.choice(BILL_MEMOS)), tuple(expenses),
                                  tuple(items)))
        self.open[index], self.entity[index] = total, vendor
        self.billed.append(vendor)
        fate = rng.random()
        if fate < 0.01:
            self.later(day, "delete", index, 1, 4)
        elif fate >= 0.04:
            self.schedule_bill(index, day)

    def purchase_total(self, expenses: list[ExpenseLine], items: list[ItemLine]) -> Decimal:
        return sum((x.amount for x in expenses), ZERO) + sum(
            (line_amount(x.cost if x.cost is not None else self.part_cost[x.item], x.quantity) for x in items), ZERO)

    def vendor_credit(self) -> None:
        if not self.billed or not self.expenses:
            return
        rng = self.rng
        vendor = rng.choice(self.billed)
        expenses, items = [], []
        if self.parts and rng.random() < 0.4:
            item, _ = rng.choice(self.parts)
            items.append(ItemLine(item, rng.randint(1, 3)))
        else:
            expenses.append(ExpenseLine(self.expenses[0][0], self.money(15, 400)))
        index = self.add(Purchase("VendorCredit", vendor, f"CR-{rng.randint(100, 99_999)}",
                                  rng.choice(CREDIT_MEMOS), tuple(expenses), tuple(items)))
        self.open[index], self.entity[index] = self.purchase_total(expenses, items), vendor
        self.credits[vendor].append(index)

    def schedule_bill(self, index: int, after: date) -> None:
        method = "card" if self.rng.random() < 0.25 else "check"
        day = after + timedelta(days=round(self.rng.triangular(3, 60, 14)))
        self.schedule(index, _thursday(day) if method == "check" else _weekday(day), method)

    def schedule(self, index: int, day: date, method: str) -> None:
        if day < self.today:
            self.due[index] = (day, method)
            self.agenda[day].append((method, index))
            self.waiting[self.entity[index]].add(index)

    def unschedule(self, index: int) -> None:
        del self.due[index]
        self.waiting[self.entity[index]].discard(index)

    def pay_bills(self, day: date) -> None:
        agenda = self.agenda.get(day, [])
        groups: dict[tuple[str, str], list[int]] = {}
        for method, index in dict.fromkeys(agenda):  # an index scheduled twice for the day is there twice
            if method in ("check", "card") and self.due.get(index) == (day, method):
                groups.setdefault((self.entity[index], method), []).append(index)
        for (vendor, method), group in groups.items():
            if method == "check":  # the check run pays what the vendor has due by the week after, too
                horizon = day + timedelta(days=7)
                group += sorted(j for j in self.waiting[vendor] if j not in group and self.due[j][1] == "check"
                                and self.due[j][0] <= horizon)
            for j in group:
                self.unschedule(j)
            self.bill_payment(day, vendor, method, sorted(group))

    def bill_payment(self, day: date, vendor: str, method: str, bills: list[int]) -> None:
        applied, partial = self.applications(vendor, bills, 0.12)
        if not applied:
            return
        check = method == "check"
        if check:
            self.check_number += 1
        op = BillPayment("BillPaymentCheck" if check else "BillPaymentCreditCard", vendor,
                         self.bank[CHECKING] if check else self.bank[CREDIT_CARD],
                         str(self.check_number) if check else None, tuple(applied))
        index = self.add(op)
        self.record(index, applied)
        for b in partial:
            self.schedule_bill(b, day)
        if check and self.rng.random() < 0.01:
            self.later(day, "void", index, 1, 7)

    def applications(self, name: str, targets: list[int], partly: float) -> tuple[list[Applied], list[int]]:
        """What a payment of `name` pays on `targets` (part of one, `partly` of the time; otherwise in full, setting
        the name's credits), and the targets it leaves partly paid."""
        applied, partial = [], []
        used: dict[int, Decimal] = {}  # what this payment takes of each credit
        for target in targets:
            left = self.open[target]
            if left <= 0:
                continue
            part = (left * self.rng.randint(30, 70) / 100).quantize(DOLLAR)
            if left >= 50 and self.rng.random() < partly and DOLLAR <= part < left:
                applied.append(Applied(target, part))
                partial.append(target)
                continue
            credits, pay = [], left
            for credit in self.credits[name]:
                available = self.open[credit] - used.get(credit, ZERO)
                if pay <= LEAST_PAYMENT:
                    break
                if available > 0:
                    use = min(available, pay - LEAST_PAYMENT)
                    credits.append((credit, use))
                    used[credit] = used.get(credit, ZERO) + use
                    pay -= use
            applied.append(Applied(target, pay, tuple(credits)))
        return applied, partial

    def record(self, index: int, applied: list[Applied]) -> None:
        """The links a payment makes."""
        self.open[index] = sum((a.amount for a in applied), ZERO)
        for a in applied:
            self.link(index, a.target, index, a.amount)
            for credit, use in a.credits:
                self.link(credit, a.target, index, use)

    # -- receivables ---------------------------------------------------------------------------------------------
    def job(self) -> str:
        """A customer, or mostly one of its jobs when it has some."""
        customer, jobs = self.pick(self.customers, self.customer_weights)
        return self.rng.choice(jobs) if jobs and self.rng.random() < 0.85 else customer

    def klass(self) -> str | None:
        return self.rng.choice(self.classes) if self.classes else None

    def sales_lines(self, count: int, quote: float) -> tuple[list[SalesLine], Decimal]:
        rng = self.rng
        lines, total = [], ZERO
        for _ in range(count):
            item, price, hourly = rng.choice(self.sold)
            quantity = rng.randint(1, 40) if hourly else rng.randint(1, 10)
            rate = (price * Decimal(rng.randint(85, 115)) / 100).quantize(CENT) if rng.random() < quote else None
            lines.append(SalesLine(item, quantity, rate, self.maybe(0.2, self.klass())))
            total += line_amount(rate if rate is not None else price, quantity)
        return lines, total

    def invoice(self, day: date) -> None:
        rng = self.rng
        customer = self.job()
        lines, total = self.sales_lines(rng.choices((1, 2, 3, 4, 5), (35, 30, 18, 10, 7))[0], 0.15)
        index = self.add(Sale("Invoice", customer, self.maybe(0.4, self.klass()),
                              self.maybe(0.2, f"PO-{rng.randint(1000, 99_999)}"),
                              self.maybe(0.2, rng.choice(SALES_MEMOS)), tuple(lines)))
        self.open[index], self.entity[index] = total, customer
        self.invoiced.append(customer)
        fate = rng.random()
        if fate < 0.01:
            self.later(day, "void", index, 1, 10)
        elif fate >= 0.09:
            self.schedule_collection(index, day)

    def credit_memo(self) -> None:
        if not self.invoiced:
            return
        customer = self.rng.choice(self.invoiced)
        lines, total = self.sales_lines(self.rng.choice((1, 1, 2)), 0.5)
        index = self.add(Sale("CreditMemo", customer, None, None, self.rng.choice(REFUND_MEMOS), tuple(lines)))
        self.open[index], self.entity[index] = total, customer
        self.credits[customer].append(index)

    def schedule_collection(self, index: int, after: date) -> None:
        day = after + timedelta(days=round(self.rng.triangular(5, 90, 25)))
        self.schedule(index, _weekday(day), "collect")

    def collect(self, day: date) -> None:
        groups: dict[str, list[int]] = {}
        for method, index in dict.fromkeys(self.agenda.get(day, [])):
            if method == "collect" and self.due.get(index) == (day, method):
                groups.setdefault(self.entity[index], []).append(index)
        for customer, group in groups.items():
            horizon = day + timedelta(days=10)
            group += sorted(j for j in self.waiting[customer] if j not in group and self.due[j][0] <= horizon)
            for j in group:
                self.unschedule(j)
            applied, partial = self.applications(customer, sorted(group), 1 / 7)
            if not applied:
                continue
            total = sum((a.amount for a in applied), ZERO)
            deposit = None if self.rng.random() < 0.6 else self.bank[CHECKING]
            index = self.add(PaymentReceived(customer, str(self.rng.randint(100, 99_999)), total, deposit,
                                             tuple(applied)))
            self.record(index, applied)
            for invoice in partial:
                self.schedule_collection(invoice, day)
            if self.rng.random() < 0.005:
                self.later(day, "delete", index, 1, 5)

    # -- banking, voids and deletions ----------------------------------------------------------------------------
    def transfer(self) -> None:
        rng = self.rng
        source, target = (SAVINGS, CHECKING) if rng.random() < 0.6 else (CHECKING, SAVINGS)
        self.add(Transfer(self.bank[source], self.bank[target], Decimal(rng.randint(1, 10) * 1000).quantize(CENT),
                          "Funds transfer"))

    def undo(self, day: date) -> None:
        for kind, index in dict.fromkeys(self.agenda.pop(day, [])):
            if kind not in ("void", "delete"):
                continue
            reopened = self.release(index)
            self.open[index] = ZERO
            self.add(Undo("TxnVoid" if kind == "void" else "TxnDel", index, self.steps[index].op.txn_type))
            for other in sorted(reopened):
                op = self.steps[other].op
                if other in self.due or self.open[other] <= 0:
                    continue
                if op.txn_type == "Bill":
                    self.schedule_bill(other, day)
                elif op.txn_type == "Invoice":
                    self.schedule_collection(other, day)


def _weekday(day: date) -> date:
    """`day`, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _thursday(day: date) -> date:
    """The first Thursday on or after `day` (the check run)."""
    return day + timedelta(days=(3 - day.weekday()) % 7)


def _cumulative(count: int) -> list[float]:
    """Cumulative weights favouring the first of `count` names (a few vendors or customers get most of the work)."""
    total, out = 0.0, []
    for rank in range(count):
        total += 1 / (rank + 1) ** 0.7
        out.append(total)
    return out


def _sales_price(item: Listed) -> Decimal | None:
    """An item's sales price, when it has one and an income account (items priced by percent are left out)."""
    data = item.data
    if item.name_space != "item":
        return None
    if item.list_type == "ItemInventory":
        price, account = data.get("SalesPrice"), data.get("IncomeAccountRef")
    elif data.get("SalesAndPurchase"):
        price, account = data["SalesAndPurchase"].get("SalesPrice"), data["SalesAndPurchase"].get("IncomeAccountRef")
    else:
        terms = data.get("SalesOrPurchase") or {}
        price, account = terms.get("Price"), terms.get("AccountRef")
    return Decimal(price) if price and account else None
