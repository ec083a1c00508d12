"""The invariants checked after each clean sync and at the end, written from the sync rules (the help article's two
editions, `features/`), not from the syncer's code. QuickBooks is read through qbXML (`scenarios.qbview`), the app
through `syncer.App`'s collections.

converged     each object on both sides has its synced fields equal, in the direction the rules give:
              accounts, departments (classes), vendors and customers both ways; jobs and items from QuickBooks;
              bills from the app (both ways with 2-way bill sync); vendor credits from the app; invoices both ways at
              first, then QuickBooks is their master; the bank balance from QuickBooks.
duplicated    no list holds a name twice (either side); no two bills of a vendor, vendor credits of a vendor or
              invoices share a number; no ExternalGUID is on two transactions; QuickBooks holds no more payments,
              payments received or funds transfers from the app than the app made.
lost          whatever should reach the other side did, and what a person wrote is there; what QuickBooks keeps
              that the app does not have (a second address line, fax, contact) stays as it was; what the rules
              keep out stayed out (bills from QuickBooks
              without 2-way bill sync, vendor credits and payments entered in QuickBooks, invoices dated before the
              connect date, invoices paid in QuickBooks for accounts created on or after June 5, 2020, items created
              in the app); approvals stay as the app person left them; a clean sync reports no error the people's
              actions do not explain.
money         each bill's, vendor credit's and invoice's amount due, and each vendor's and customer's open balance
              over them, agree with QuickBooks' own as the rules say; each bank balance the app shows is
              QuickBooks'.
messages      every sync error and notice (and the reason a sync stopped) never names the other brand, and says what
              to do.
ledger        fakeqb's own books: every open amount equals its total less what is linked to it, every vendor's,
              customer's and bank, A/P, A/R and Undeposited Funds account's balance moved by exactly what the
              transactions add up to since the run began.

Readings where the rules are not explicit:
* A vendor's or customer's `balance` the app stores from QuickBooks is not held to QuickBooks' (the article lists
  only the bank balance among balances the app picks up); the open balance compared is the sum of the amounts due
  of that vendor's bills or that customer's invoices, each as the rules have it. `strict` holds the stored balance
  to QuickBooks' too.
* On an invoice created in the app, a due date or a line description the app left blank and QuickBooks filled in by
  itself (from the terms, from the item) is not a disagreement; `strict` counts it as one.
* A bill the app paid in full and then edited in QuickBooks (2-way bill sync) and a bill edited in QuickBooks without
  2-way bill sync may differ afterwards: the rules say such edits do not sync.
* An invoice deleted in QuickBooks is a change of it, which the app picks up: it is gone from the app, unless the app
  recorded a payment of it (kept, with a sync error).
* An invoice voided in QuickBooks is an edit of it (its amount becomes 0.00), which the app picks up.
* The app's payments of a bill paid in QuickBooks, and the app's payments received for an invoice paid or credited
  in QuickBooks, may be refused; the refusal is a sync error that must say what to do.
* Transactions dated on or before QuickBooks' closing date may be refused; such a refusal is a sync error.
* "Says what to do": the message tells the person an action ("... and sync again", "Rename ...", "Delete ...")
  or that the sync itself will carry on ("will be sent again", "with a later sync", "nothing will be entered twice").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import syncer
from scenarios.model import ZERO, Model, bill_key
from scenarios.profile import BRANDS, Scenario
from scenarios.qbview import ListObject, QuickBooksView

INVARIANTS = ("converged", "duplicated", "lost", "money", "messages", "ledger")
STATUS_SYNC_BEFORE = date(2020, 6, 5)
TELLS_WHAT_TO_DO = re.compile(
    r"sync again|then sync|and sync|next sync|later sync|sent again|entered twice|\b(rename|delete|remove|set|check|"
    r"create|open|close|switch|log in|wait|reactivate|restart|make|change|correct|shorten|fix|contact|void|edit|"
    r"select|allow|enter)\b", re.IGNORECASE)
LIST_FIELDS = {
    "Account": ("is_active", "account_type", "number", "description"),
    "Class": ("is_active",),
    "Vendor": ("is_active", "company_name", "address", "city", "state", "postal_code", "phone", "email",
               "pay_to_name", "account_number"),
    "Customer": ("is_active", "company_name", "address", "city", "state", "postal_code", "phone", "email"),
    "Item": ("is_active", "description", "price"),
}


@dataclass
class Violation:
    invariant: str
    object: str
    quickbooks: Any
    app: Any
    detail: str = ""
    day: int = -1
    sync: int = -1

    def key(self) -> tuple[str, str]:
        return self.invariant, self.object

    def to_json(self) -> dict[str, Any]:
        return {"invariant": self.invariant, "object": self.object, "quickbooks": _plain(self.quickbooks),
                "app": _plain(self.app), "detail": self.detail, "day": self.day, "sync": self.sync}

    def __str__(self) -> str:
        where = f"day {self.day}, sync {self.sync}: " if self.day >= 0 else ""
        return (f"{where}{self.invariant}: {self.object}: QuickBooks {_plain(self.quickbooks)!r}, app "
                f"{_plain(self.app)!r}" + (f" ({self.detail})" if self.detail else ""))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def norm(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return f"{value + 0:.2f}"  # -0.00 is 0.00
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


@dataclass
class AppView:
    """What the app shows, read through its collections."""

    accounts: list[Any]
    departments: list[Any]
    vendors: list[Any]
    customers: list[Any]
    items: list[Any]
    bills: list[Any]
    credits: list[Any]
    payments: list[Any]
    transfers: list[Any]
    invoices: list[Any]
    receipts: list[Any]


def read_app(app: syncer.App) -> AppView:
    return AppView(app.accounts.list(), app.departments.list(), app.vendors.list(), app.customers.list(),
                   app.items.list(), app.bills.list(), app.vendor_credits.list(), app.bill_payments.list(),
                   app.funds_transfers.list(), app.invoices.list(), app.invoice_payments.list())


@dataclass
class Baseline:
    """What the ledger held when the run began, less what its transactions then added up to."""

    names: dict[str, Decimal]
    accounts: dict[str, Decimal]
    #: What QuickBooks alone keeps of each vendor and customer (fields the app does not have): never changed here.
    qb_only: dict[tuple[str, str], dict[str, Any]]

    @classmethod
    def of(cls, qv: QuickBooksView) -> Baseline:
        names, accounts = ledger_sums(qv)
        return cls({k: _balance(qv, k) - names.get(k, ZERO) for k in _names(qv)},
                   {k: (o.balance or ZERO) - accounts.get(k, ZERO) for k, o in _accounts(qv).items()},
                   {(t, o.full_name): _qb_only(o) for t in ("Vendor", "Customer") for o in qv.lists[t].values()})


QB_ONLY = ("address2", "fax", "contact")


def _qb_only(obj: ListObject) -> dict[str, Any]:
    return {k: obj.fields.get(k) for k in QB_ONLY}


def _names(qv: QuickBooksView) -> dict[str, ListObject]:
    return {o.full_name: o for t in ("Vendor", "Customer") for o in qv.lists[t].values()}


def _accounts(qv: QuickBooksView) -> dict[str, ListObject]:
    return {o.full_name: o for o in qv.lists["Account"].values()
            if o.fields["account_type"] in ("Bank", "AccountsPayable", "AccountsReceivable")
            or o.full_name == "Undeposited Funds"}


def _balance(qv: QuickBooksView, name: str) -> Decimal:
    return _names(qv)[name].balance or ZERO


def ledger_sums(qv: QuickBooksView) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """What the open transactions add up to for each vendor and customer, and each bank, A/P, A/R account."""
    names: defaultdict[str, Decimal] = defaultdict(Decimal)
    accounts: defaultdict[str, Decimal] = defaultdict(Decimal)
    t = qv.txns
    for bill in t["Bill"]:
        names[bill.entity or ""] += bill.open_amount or ZERO
    for credit in t["VendorCredit"]:
        names[credit.entity or ""] -= credit.open_amount or ZERO
    for check in t["BillPaymentCheck"]:
        names[check.entity or ""] -= check.amount - sum((a for _, a in check.applied), ZERO)
        accounts[check.fields["bank"] or ""] -= check.amount
    for check in t["Check"]:
        accounts[check.fields["bank"] or ""] -= check.amount
    for transfer in t["Transfer"]:
        accounts[transfer.fields["from"] or ""] -= transfer.amount
        accounts[transfer.fields["to"] or ""] += transfer.amount
    for invoice in t["Invoice"]:
        names[invoice.entity or ""] += invoice.open_amount or ZERO
    for memo in t["CreditMemo"]:
        names[memo.entity or ""] -= memo.open_amount or ZERO
    for receipt in t["ReceivePayment"]:
        names[receipt.entity or ""] -= receipt.open_amount or ZERO
        accounts[receipt.fields["deposit_to"] or "Undeposited Funds"] += receipt.amount
    vendors = {o.full_name for o in qv.lists["Vendor"].values()}
    payable = sum((v for k, v in names.items() if k in vendors), ZERO)
    receivable = sum((v for k, v in names.items() if k not in vendors), ZERO)
    for o in qv.lists["Account"].values():
        if o.fields["account_type"] == "AccountsPayable":
            accounts[o.full_name] += payable
        elif o.fields["account_type"] == "AccountsReceivable":
            accounts[o.full_name] += receivable
    return dict(names), dict(accounts)


class Checker:
    """Runs every invariant on one look at both sides."""

    def __init__(self, scenario: Scenario, model: Model, qv: QuickBooksView, av: AppView, connected_on: date,
                 status_sync: bool, strict: bool = False):
        self.scenario = scenario
        self.strict = strict
        self.model = model
        self.qv = qv
        self.av = av
        self.connected_on = connected_on
        self.status_follows = scenario.company.account_created < STATUS_SYNC_BEFORE and status_sync
        self.found: list[Violation] = []
        self.owed: dict[str, list[Decimal]] = {}  # vendor -> [what the app's bills leave open, QuickBooks' open]
        self.due: dict[str, list[Decimal]] = {}  # customer -> the same for invoices
        closing = qv.closing_date
        self.troubled = dict(model.troubled)
        for bill in av.bills:  # refused by QuickBooks: dated on or before its closing date
            if closing and bill.number and bill.date.isoformat() <= closing:
                self.troubled.setdefault(bill.number, "dated on or before the closing date")
        for receipt in av.receipts:
            if closing and receipt.date.isoformat() <= closing:
                for line in receipt.lines:
                    self.troubled.setdefault(line.invoice.number, "paid on or before the closing date")
        for payment in av.payments:
            if closing and payment.date.isoformat() <= closing:
                for line in payment.lines:
                    self.troubled.setdefault(line.bill.number or "", "paid on or before the closing date")
        for payment in av.payments:  # one check pays them all: held back with a bill QuickBooks refused
            if any(self.is_troubled(line.bill.number) for line in payment.lines):
                for line in payment.lines:
                    self.troubled.setdefault(line.bill.number or "", "paid together with a refused bill")
        for receipt in av.receipts:
            if any(self.is_troubled(line.invoice.number) for line in receipt.lines):
                for line in receipt.lines:
                    self.troubled.setdefault(line.invoice.number, "paid together with a refused invoice")

    def add(self, invariant: str, obj: str, qb: Any, app: Any, detail: str = "") -> None:
        self.found.append(Violation(invariant, obj, qb, app, detail))

    def is_troubled(self, number: str | None) -> bool:
        return number is not None and number in self.troubled

    # -- all of them ----------------------------------------------------------------------------------------------
    def run(self, reports: Iterable[syncer.SyncReport], clean: syncer.SyncReport | None,
            baseline: Baseline | None) -> list[Violation]:
        self.duplicates()
        for list_type, objects in (("Account", self.av.accounts), ("Class", self.av.departments),
                                   ("Vendor", self.av.vendors), ("Customer", self.av.customers),
                                   ("Item", self.av.items)):
            self.list_objects(list_type, objects, clean)
        self.bank_balances()
        self.bills()
        self.vendor_credits()
        self.payments()
        self.transfers()
        self.invoices()
        self.receipts()
        self.open_balances()
        self.updates()
        self.messages(reports)
        if clean is not None:
            self.sync_errors(clean)
        if baseline is not None:
            self.ledger(baseline)
            self.kept_in_quickbooks(baseline)
        return self.found

    def kept_in_quickbooks(self, baseline: Baseline) -> None:
        """What QuickBooks keeps that the app does not (a second address line, fax, contact) stays as it was."""
        for (list_type, name), before in baseline.qb_only.items():
            now = self.qv.named(list_type, name)
            if now is None:
                continue
            for field_name, value in before.items():
                if now.fields.get(field_name) != value:
                    self.add("lost", f"{list_type.lower()} {name}: {field_name}", now.fields.get(field_name), None,
                             f"QuickBooks had {value!r}, a field the app does not have")

    # -- duplicated -----------------------------------------------------------------------------------------------
    def duplicates(self) -> None:
        for obj in self.qv.duplicates:
            self.add("duplicated", f"{obj.list_type.lower()} {obj.full_name}", "twice", None, "QuickBooks")
        app_lists = (("account", self.av.accounts), ("department", self.av.departments),
                     ("vendor", self.av.vendors), ("customer", self.av.customers), ("item", self.av.items))
        for kind, objects in app_lists:
            for name, n in Counter(o.full_name.lower() for o in objects).items():
                if n > 1:
                    self.add("duplicated", f"{kind} {name}", None, n, "the app")
        for kind, keys in (("bill", [(b.vendor.name, b.number) for b in self.av.bills if b.number]),
                           ("vendor credit", [(c.vendor.name, c.number) for c in self.av.credits if c.number]),
                           ("invoice", [i.number for i in self.av.invoices])):
            for key, n in Counter(keys).items():
                if n > 1:
                    self.add("duplicated", f"{kind} {key}", None, n, "the app")
        for txn_type in ("Bill", "VendorCredit"):
            numbered = Counter((t.entity, t.number) for t in self.qv.txns[txn_type] if t.number)
            for (entity, number), n in numbered.items():
                if n > 1:
                    self.add("duplicated", f"{txn_type} {number} from {entity}", n, None, "QuickBooks")
        for number, n in Counter(t.number for t in self.qv.txns["Invoice"] if t.number).items():
            if n > 1:
                self.add("duplicated", f"invoice {number}", n, None, "QuickBooks")
        guids = Counter(t.external_guid for txns in self.qv.txns.values() for t in txns if t.external_guid)
        for guid, n in guids.items():
            if n > 1:
                self.add("duplicated", f"ExternalGUID {guid}", n, None, "one marker on several transactions")

    # -- lists ----------------------------------------------------------------------------------------------------
    def list_objects(self, list_type: str, objects: list[Any], clean: syncer.SyncReport | None) -> None:
        kind = {"Class": "department"}.get(list_type, list_type.lower())
        failed = {i.name.lower() for i in (clean.errors if clean else []) if i.kind in (kind, "job")}
        qb = self.qv.lists[list_type]
        app = {o.full_name.lower(): o for o in objects}
        for key, obj in app.items():
            label = f"{kind} {obj.full_name}"
            other = qb.get(key)
            if list_type == "Item" and obj.full_name in self.model.app_items:
                if other is not None:
                    self.add("lost", label, other.full_name, obj.full_name, "an item created in the app reached "
                             "QuickBooks: items stay in the app")
                continue
            if other is None:
                if key not in failed:
                    self.add("lost", label, None, obj.full_name, "in the app, not in QuickBooks")
                continue
            for field in LIST_FIELDS[list_type]:
                mine, theirs = norm(getattr(obj, field)), norm(other.fields.get(field))
                if mine != theirs:
                    self.add("converged", f"{label}: {field}", theirs, mine)
            if self.strict and list_type in ("Vendor", "Customer"):
                shown = other.total_balance if list_type == "Customer" else other.balance
                if norm(obj.balance) != norm(shown):
                    self.add("money", f"{label}: balance", shown, obj.balance, "the balance the app keeps from "
                             "QuickBooks")
        for key, other in qb.items():
            if key not in app:
                self.add("lost", f"{kind} {other.full_name}", other.full_name, None, "in QuickBooks, not in the app")

    def bank_balances(self) -> None:
        for account in self.av.accounts:
            if account.account_type != "Bank":
                continue
            other = self.qv.named("Account", account.full_name)
            if other is not None and norm(account.balance) != norm(other.balance):
                self.add("money", f"bank balance {account.full_name}", other.balance, account.balance)

    # -- payables -------------------------------------------------------------------------------------------------
    def bills(self) -> None:
        two_way = self.scenario.company.two_way_bill_sync
        qb = {bill_key(t.entity, t.number, t.date, t.amount): t for t in self.qv.txns["Bill"]}
        paid_lines: Counter[int] = Counter()
        attached: Counter[int] = Counter()
        for payment in self.av.payments:
            for line in payment.lines:
                paid_lines[line.bill_id] += line.amount
            for credit in payment.credits:
                attached[credit.bill_id] += credit.amount
        for bill in self.av.bills:
            key = bill_key(bill.vendor.name, bill.number, bill.date.isoformat(), bill.amount)
            label = f"bill {bill.number} from {bill.vendor.name}"
            if bill.number in self.model.approvals and bill.approval_status != self.model.approvals[bill.number]:
                self.add("lost", f"{label}: approval", None, bill.approval_status,
                         f"left {self.model.approvals[bill.number]!r} in the app")
            if bill.origin == "QuickBooks" and not two_way:
                self.add("lost", label, "entered in QuickBooks", bill.number, "bills from QuickBooks stay out of "
                         "the app without 2-way bill sync")
            other = qb.get(key)
            deleted = ("bill", key) in self.model.deleted
            if deleted and two_way and bill.paid_amount == ZERO:
                self.add("converged", label, "deleted", bill.amount, "deleted in QuickBooks (2-way bill sync)")
                continue
            if other is None:
                if not deleted and not self.is_troubled(bill.number):
                    self.add("lost", label, None, f"{bill.amount:.2f}", "in the app, not in QuickBooks")
                continue
            self.model.seen_in_app.add(("bill", key))
            if ("bill", key) not in self.model.diverged and not self.is_troubled(bill.number):
                mine = bill_values(bill)
                theirs = {"date": other.date, "due_date": other.fields["due_date"], "memo": other.fields["memo"],
                          "amount": norm(other.amount), "lines": [[norm(v) for v in line] for line in other.lines]}
                for field, value in mine.items():
                    if value != theirs[field]:
                        self.add("converged", f"{label}: {field}", theirs[field], value)
            if key in self.model.money_diverged or self.is_troubled(bill.number):
                continue
            pending = bill.paid_amount - paid_lines[bill.id] - attached[bill.id]
            expected = bill.balance_due + pending - self.model.qb_paid_bills.get(key, ZERO)
            if ("bill", key) in self.model.diverged:
                continue
            sums = self.owed.setdefault(bill.vendor.name, [ZERO, ZERO])
            sums[0] += expected
            sums[1] += other.open_amount or ZERO
            if other.open_amount != expected:
                self.add("money", f"{label}: amount due", other.open_amount, bill.balance_due,
                         f"QuickBooks should have {expected:.2f} open")
        app_keys = {bill_key(b.vendor.name, b.number, b.date.isoformat(), b.amount) for b in self.av.bills}
        for key, other in qb.items():
            if key in app_keys:
                continue
            label = f"bill {key[1]} from {key[0]}"
            if key in self.model.qb_bills:
                expected_in_app = ("bill", key) in self.model.seen_in_app or other.open_amount == other.amount
                if two_way and expected_in_app and not self.is_troubled(key[1]):
                    self.add("lost", label, f"{other.amount:.2f}", None, "an unpaid bill from QuickBooks did not "
                             "reach the app (2-way bill sync)")
            else:
                self.add("lost", label, f"{other.amount:.2f}", None, "a bill in QuickBooks the app did not send and "
                         "no person entered")

    def vendor_credits(self) -> None:
        qb = {(t.entity, t.number): t for t in self.qv.txns["VendorCredit"]}
        attached: Counter[int] = Counter()
        for payment in self.av.payments:
            for credit in payment.credits:
                attached[credit.vendor_credit_id] += credit.amount
        troubled_bills = {line.bill.number for p in self.av.payments for line in p.lines
                          if self.is_troubled(line.bill.number)}
        for credit in self.av.credits:
            key = (credit.vendor.name, credit.number)
            label = f"vendor credit {credit.number} from {credit.vendor.name}"
            if key in self.model.qb_credits:
                self.add("lost", label, "entered in QuickBooks", credit.number, "vendor credits from QuickBooks stay "
                         "out of the app")
            other = qb.get(key)
            if other is None:
                self.add("lost", label, None, f"{credit.amount:.2f}", "in the app, not in QuickBooks")
                continue
            if ("vendor_credit", key) in self.model.diverged:
                continue
            for field, mine, theirs in (("amount", norm(credit.amount), norm(other.amount)),
                                        ("date", credit.date.isoformat(), other.date)):
                if mine != theirs:
                    self.add("converged", f"{label}: {field}", theirs, mine)
            if troubled_bills:
                continue
            expected = credit.amount - attached[credit.id]
            if other.open_amount != expected:
                self.add("money", f"{label}: credit remaining", other.open_amount, credit.remaining,
                         f"QuickBooks should have {expected:.2f} left")

    def _counted(self, app_items: list[tuple[Any, ...]], qb_items: list[tuple[Any, ...]], kind: str) -> None:
        mine, theirs = Counter(app_items), Counter(qb_items)
        for key in sorted(set(mine) | set(theirs), key=str):
            if theirs[key] > mine[key]:
                self.add("duplicated", f"{kind} {_plain(list(key))}", theirs[key], mine[key], "in QuickBooks more "
                         "often than the app made it")
            elif theirs[key] < mine[key]:
                self.add("lost", f"{kind} {_plain(list(key))}", theirs[key], mine[key], "made in the app, not (all) "
                         "in QuickBooks")

    def payments(self) -> None:
        bills = {t.txn_id: t.number for t in self.qv.txns["Bill"]}
        mine = [(p.vendor.name, p.date.isoformat(), norm(p.amount), p.payment_account.full_name)
                for p in self.av.payments if p.amount > ZERO
                and not any(self.is_troubled(line.bill.number) for line in p.lines)]
        theirs = [(t.entity, t.date, norm(t.amount), t.fields["bank"]) for t in self.qv.txns["BillPaymentCheck"]
                  if t.txn_id not in self.model.qb_txns
                  and not any(self.is_troubled(bills.get(txn_id)) for txn_id, _ in t.applied)]
        self._counted(mine, theirs, "bill payment")

    def transfers(self) -> None:
        mine = [(t.date.isoformat(), norm(t.amount), t.from_account.full_name, t.to_account.full_name)
                for t in self.av.transfers]
        theirs = [(t.date, norm(t.amount), t.fields["from"], t.fields["to"]) for t in self.qv.txns["Transfer"]
                  if t.txn_id not in self.model.qb_txns]
        self._counted(mine, theirs, "funds transfer")

    # -- receivables ----------------------------------------------------------------------------------------------
    def invoices(self) -> None:
        qb = {t.number: t for t in self.qv.txns["Invoice"]}
        start = self.connected_on.isoformat()
        for invoice in self.av.invoices:
            label = f"invoice {invoice.number}"
            other = qb.get(invoice.number)
            if invoice.origin == "QuickBooks" and invoice.date.isoformat() < start:
                self.add("lost", label, invoice.date, invoice.number, "dated before the connect date: stays out")
            if other is None:
                if not self.is_troubled(invoice.number):
                    self.add("lost", label, None, f"{invoice.amount:.2f}", "in the app, not in QuickBooks")
                continue
            self.model.seen_in_app.add(("invoice", invoice.number))
            if ("invoice", invoice.number) not in self.model.deleted:
                mine = invoice_values(invoice)
                theirs = {"customer": other.entity, "date": other.date, "due_date": other.fields["due_date"],
                          "to_be_emailed": other.fields["to_be_emailed"], "amount": norm(other.amount),
                          "lines": [[norm(v) for v in line] for line in other.lines]}
                if not self.strict and invoice.origin == "app":  # blanks QuickBooks filled in by itself
                    theirs["due_date"] = theirs["due_date"] if mine["due_date"] else None
                    for ours, qbs in zip(mine["lines"], theirs["lines"], strict=False):
                        qbs[1] = qbs[1] if ours[1] else None
                for field, value in mine.items():
                    if value != theirs[field]:
                        self.add("converged", f"{label}: {field}", theirs[field], value)
            if self.status_follows and not self.is_troubled(invoice.number):
                sums = self.due.setdefault(invoice.customer.full_name, [ZERO, ZERO])
                sums[0] += invoice.balance_due
                sums[1] += max(other.open_amount or ZERO, ZERO)
                if invoice.balance_due != max(other.open_amount or ZERO, ZERO):
                    self.add("money", f"{label}: amount due", other.open_amount, invoice.balance_due,
                             "the app follows QuickBooks (account created before June 5, 2020)")
            elif not self.is_troubled(invoice.number):
                expected = invoice.balance_due - self.model.qb_paid_invoices.get(invoice.number, ZERO)
                if other.open_amount != expected:
                    self.add("money", f"{label}: amount due", other.open_amount, invoice.balance_due,
                             f"QuickBooks should have {expected:.2f} due")
        numbers = {i.number for i in self.av.invoices}
        for number, other in qb.items():
            if number in numbers or number is None:
                continue
            label = f"invoice {number}"
            if number not in self.model.qb_invoices:
                self.add("lost", label, f"{other.amount:.2f}", None, "an invoice in QuickBooks the app did not send "
                         "and no person entered")
                continue
            dated_in = (other.date or "") >= start
            unpaid = other.open_amount == other.amount
            if ("invoice", number) in self.model.seen_in_app or (dated_in and (self.status_follows or unpaid)):
                self.add("lost", label, f"{other.amount:.2f}", None, f"dated {other.date}: should be in the app")

    def receipts(self) -> None:
        invoices = {t.txn_id: t.number for t in self.qv.txns["Invoice"]}
        mine = [(p.customer.full_name, p.date.isoformat(), norm(p.amount)) for p in self.av.receipts
                if not any(self.is_troubled(line.invoice.number) for line in p.lines)]
        theirs = [(t.entity, t.date, norm(t.amount)) for t in self.qv.txns["ReceivePayment"]
                  if t.txn_id not in self.model.qb_txns
                  and not any(self.is_troubled(invoices.get(txn_id)) for txn_id, _ in t.applied)]
        self._counted(mine, theirs, "invoice payment")

    def open_balances(self) -> None:
        """Per vendor and per customer: the app's open amounts add up to QuickBooks' for the same transactions."""
        for kind, table in (("vendor", self.owed), ("customer", self.due)):
            for name, (app_sum, qb_sum) in sorted(table.items()):
                if app_sum != qb_sum:
                    self.add("money", f"{kind} {name}: open balance", qb_sum, app_sum,
                             "the amounts due of its transactions, as the rules have them")

    def updates(self) -> None:
        """Each value a person wrote since the last check is on both sides: that person's, or, when people on both
        sides wrote it, one of theirs."""
        apps = {"Vendor": {o.full_name: o for o in self.av.vendors},
                "Customer": {o.full_name: o for o in self.av.customers},
                "bill": {b.number: b for b in self.av.bills}, "invoice": {i.number: i for i in self.av.invoices}}
        bills = {t.number: t for t in self.qv.txns["Bill"]}
        invoices = {t.number: t for t in self.qv.txns["Invoice"]}
        for (kind, key, field_name), by in self.model.writes.items():
            mine = apps[kind].get(key)
            theirs: Any = self.qv.named(kind, key) if kind in ("Vendor", "Customer") else \
                (bills.get(key) if kind == "bill" else invoices.get(key))
            qb_value = None
            if theirs is not None:
                qb_value = theirs.amount if field_name == "amount" and kind in ("bill", "invoice") \
                    else theirs.fields.get(field_name)
                if kind == "bill" and mine is not None and (
                        self.is_troubled(key) or ("bill", (mine.vendor.name, key)) in self.model.diverged):
                    continue
            if mine is None or theirs is None:
                continue
            app_value = getattr(mine, field_name)
            allowed = {_written(v, field_name) for v in by.values()}
            label = f"{kind.lower()} {key}: {field_name}"
            for side, value in (("QuickBooks", norm(qb_value)), ("the app", norm(app_value))):
                if value not in allowed:
                    written = " or ".join(repr(v) for v in sorted(allowed, key=str))
                    self.add("lost", label, norm(qb_value), norm(app_value),
                             f"an update lost: {written} was written ({', '.join(by)}); {side} shows {value!r}")
                    break

    # -- messages and errors --------------------------------------------------------------------------------------
    def messages(self, reports: Iterable[syncer.SyncReport]) -> None:
        brand = self.scenario.company.brand
        other = next(b for b in BRANDS if b != brand)
        for report in reports:
            texts = [(f"{i.severity} {i.kind} {i.name}", i.message) for i in [*report.errors, *report.notices]]
            if report.aborted:
                texts.append(("the reason the sync stopped", report.aborted))
            for where, message in texts:
                if other.lower() in message.lower():
                    self.add("messages", where, None, message, f"names {other}, not {brand}")
                elif not TELLS_WHAT_TO_DO.search(message):
                    self.add("messages", where, None, message, "does not say what to do")

    def sync_errors(self, report: syncer.SyncReport) -> None:
        """A clean sync's errors must be ones the people's actions explain (by the number they concern)."""
        for issue in report.errors:
            text = f"{issue.name} {issue.message}"
            if not any(_mentions(text, number) for number in self.troubled):
                self.add("lost", f"{issue.kind} {issue.name}", None, issue.message, "a sync error nothing explains")

    # -- fakeqb's ledger ------------------------------------------------------------------------------------------
    def ledger(self, baseline: Baseline) -> None:
        for txns, total in ((self.qv.txns["Bill"], "bill"), (self.qv.txns["VendorCredit"], "vendor credit"),
                            (self.qv.txns["Invoice"], "invoice"), (self.qv.txns["CreditMemo"], "credit memo")):
            for txn in txns:
                linked = sum((-a for _, _, a in txn.linked), ZERO)
                if txn.open_amount != txn.amount - linked or (txn.open_amount or ZERO) < 0:
                    self.add("ledger", f"{total} {txn.number or txn.txn_id}: open amount", txn.open_amount,
                             None, f"its total {txn.amount:.2f} less {linked:.2f} linked")
                if txn.is_paid is not None and txn.is_paid != (txn.open_amount == ZERO):
                    self.add("ledger", f"{total} {txn.number or txn.txn_id}: IsPaid", txn.is_paid, None,
                             f"open amount {txn.open_amount}")
        names, accounts = ledger_sums(self.qv)
        for name, obj in _names(self.qv).items():
            expected = baseline.names.get(name, ZERO) + names.get(name, ZERO)
            if (obj.balance or ZERO) != expected:
                self.add("ledger", f"{obj.list_type.lower()} {name}: balance", obj.balance, None,
                         f"its transactions add up to {expected:.2f}")
        for customer in self.qv.lists["Customer"].values():
            children = [c for c in self.qv.lists["Customer"].values()
                        if (c.fields["parent"] or "") == customer.full_name]
            expected = (customer.balance or ZERO) + sum((c.total_balance or ZERO for c in children), ZERO)
            if customer.total_balance != expected:
                self.add("ledger", f"customer {customer.full_name}: total balance", customer.total_balance, None,
                         f"its own and its jobs' balances add up to {expected:.2f}")
        for name, obj in _accounts(self.qv).items():
            expected = baseline.accounts.get(name, ZERO) + accounts.get(name, ZERO)
            if (obj.balance or ZERO) != expected:
                self.add("ledger", f"account {name}: balance", obj.balance, None,
                         f"its transactions add up to {expected:.2f}")


def _written(value: Any, field_name: str) -> Any:
    return norm(Decimal(value)) if field_name == "amount" and value is not None else norm(value)


def _mentions(text: str, number: str) -> bool:
    return re.search(r"(?<![A-Za-z0-9-])" + re.escape(number) + r"(?![A-Za-z0-9])", text) is not None


def bill_values(bill: Any) -> dict[str, Any]:
    return {"date": bill.date.isoformat(), "due_date": norm(bill.due_date), "memo": norm(bill.memo),
            "amount": norm(bill.amount),
            "lines": [[line.account.full_name, norm(line.amount), norm(line.memo),
                       line.customer.full_name if line.customer else None,
                       line.department.full_name if line.department else None,
                       bool(line.billable and line.customer is not None)] for line in bill.lines]}


def invoice_values(invoice: Any) -> dict[str, Any]:
    return {"customer": invoice.customer.full_name, "date": invoice.date.isoformat(),
            "due_date": norm(invoice.due_date), "to_be_emailed": bool(invoice.to_be_emailed),
            "amount": norm(invoice.amount),
            "lines": [[line.item.full_name if line.item else None, norm(line.description), norm(line.quantity),
                       norm(line.rate), norm(line.amount)] for line in invoice.lines]}


def check(scenario: Scenario, model: Model, qv: QuickBooksView, app: syncer.App,
          reports: Iterable[syncer.SyncReport], clean: syncer.SyncReport | None,
          baseline: Baseline | None, strict: bool = False) -> tuple[list[Violation], dict[str, int]]:
    """The violations found, and how many objects each side holds."""
    settings = app.settings
    av = read_app(app)
    checker = Checker(scenario, model, qv, av, settings.connected_on or scenario.company.connect,
                      settings.invoice_status_sync, strict)
    found = checker.run(reports, clean, baseline)
    counts = {"quickbooks": sum(len(v) for v in qv.lists.values()) + sum(len(v) for v in qv.txns.values()),
              "app": sum(len(v) for v in av.__dict__.values())}
    return found, counts
