"""The app's tables: its settings, lists, payables, receivables, and the links that tie them to QuickBooks; the
declarative base and the money column type they are declared with.

Objects returned by the app's operations are detached snapshots with their references loaded (a bill's vendor and
lines, a line's account...): read them freely, change them through the operations.

Names and numbers are matched whatever their case through `key`, the case-folded name or number, kept in an indexed
column as each object is saved (an index on the column itself cannot answer a case-insensitive lookup).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, Dialect, ForeignKey, Index, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
UNASSIGNED, WAITING, APPROVED = "Unassigned", "Waiting for approval", "Approved"  # a bill's approval status
SUBLEVELS = 5  # how many parents up a loaded sub-account, sub-class, job or sub-item knows (QuickBooks allows 5)


class Base(DeclarativeBase):
    pass


def fold(text: str | None) -> str | None:
    """A name or number as the app compares it: case-folded (QuickBooks' names are case-insensitive)."""
    return text.casefold() if text is not None else None


class Keyed:
    """An object found by a name or number whatever its case: `key` is `key_source` case-folded."""

    key_source: ClassVar[str]
    key: Mapped[str | None] = mapped_column(index=True)


def _set_key(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    target.key = fold(getattr(target, target.key_source))


event.listen(Keyed, "before_insert", _set_key, propagate=True)
event.listen(Keyed, "before_update", _set_key, propagate=True)


class Money(TypeDecorator[Decimal]):
    """An amount in dollars and cents, stored as whole cents so every database keeps it exact."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) / CENT).to_integral_value(ROUND_HALF_UP))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) * CENT).quantize(CENT)


class Settings(Base):
    """The app's one settings row: brand, sync options, the company file it is connected to, account mappings."""

    __tablename__ = "settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(40), default="Cashflow360")
    two_way_bill_sync: Mapped[bool] = mapped_column(default=False)
    account_created_on: Mapped[dt.date]
    conflict_master: Mapped[str] = mapped_column(String(20), default="QuickBooks")
    record_funds_transfer: Mapped[bool] = mapped_column(default=True)
    invoice_status_sync: Mapped[bool] = mapped_column(default=True)  # Customer Support may turn it off
    company_file: Mapped[str | None]
    company_name: Mapped[str | None]
    connected_on: Mapped[dt.date | None]
    ap_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    ar_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    bank_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    clearing_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    deposit_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    expense_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    ap_account: Mapped[Account | None] = relationship(foreign_keys=[ap_account_id], lazy="selectin")
    ar_account: Mapped[Account | None] = relationship(foreign_keys=[ar_account_id], lazy="selectin")
    bank_account: Mapped[Account | None] = relationship(foreign_keys=[bank_account_id], lazy="selectin")
    clearing_account: Mapped[Account | None] = relationship(foreign_keys=[clearing_account_id], lazy="selectin")
    deposit_account: Mapped[Account | None] = relationship(foreign_keys=[deposit_account_id], lazy="selectin")
    expense_account: Mapped[Account | None] = relationship(foreign_keys=[expense_account_id], lazy="selectin")

    @property
    def connected(self) -> bool:
        return self.connected_on is not None


# -- lists ----------------------------------------------------------------------------------------------------------

class ListObject:
    """What every list object has: its id, name and active flag."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.full_name!r}>"  # type: ignore[attr-defined]


class SubLevels(Keyed, ListObject):
    """A list object with sub-levels: its parent in the same list, and its full name ("Parent:Child")."""

    __tablename__: str
    key_source = "full_name"
    full_name: Mapped[str]

    @declared_attr
    def parent_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id"), index=True)

    @declared_attr
    def parent(cls: Any) -> Mapped[Any]:  # noqa: N805
        return relationship(cls, remote_side=f"{cls.__name__}.id", lazy="selectin", join_depth=SUBLEVELS)


class Contact:
    """A vendor's or customer's company and address, and the balance QuickBooks shows for it."""

    company_name: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    address: Mapped[str | None]
    city: Mapped[str | None]
    state: Mapped[str | None]
    postal_code: Mapped[str | None]
    balance: Mapped[Decimal | None] = mapped_column(Money)


class Account(SubLevels, Base):
    __tablename__ = "accounts"
    account_type: Mapped[str]
    number: Mapped[str | None]
    description: Mapped[str | None]
    balance: Mapped[Decimal | None] = mapped_column(Money)  # from QuickBooks; shown for bank accounts

    def __repr__(self) -> str:
        return f"<Account {self.full_name!r} {self.account_type}>"


class Department(SubLevels, Base):
    """A department in the app; a class in QuickBooks."""

    __tablename__ = "departments"


class Vendor(Keyed, Contact, ListObject, Base):
    __tablename__ = "vendors"
    key_source = "name"
    name: Mapped[str]
    pay_to_name: Mapped[str | None]  # the name printed on checks (QuickBooks' NameOnCheck)
    account_number: Mapped[str | None]

    @property
    def full_name(self) -> str:
        return self.name


class Customer(Contact, SubLevels, Base):
    """A customer, or a job: a customer with a parent (full name "Customer:Job")."""

    __tablename__ = "customers"

    @property
    def is_job(self) -> bool:
        return self.parent_id is not None


class Item(SubLevels, Base):
    """An item: created in QuickBooks and pulled; one created in the app stays in the app."""

    __tablename__ = "items"
    item_type: Mapped[str]  # Service, NonInventory, OtherCharge, Inventory, ...
    description: Mapped[str | None]
    price: Mapped[Decimal | None] = mapped_column(Money)


# -- transactions ---------------------------------------------------------------------------------------------------

class AppTxn:
    """What every transaction of the app has; `label` names it to the user."""

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date]
    memo: Mapped[str | None]
    amount: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label!r} {self.amount}>"  # type: ignore[attr-defined]


class VendorTxn(AppTxn):
    """A transaction with a vendor."""

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))

    @declared_attr
    def vendor(cls) -> Mapped[Vendor]:  # noqa: N805
        return relationship(Vendor, lazy="selectin")


class CustomerTxn(AppTxn):
    """A transaction with a customer or job."""

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))

    @declared_attr
    def customer(cls) -> Mapped[Customer]:  # noqa: N805
        return relationship(Customer, lazy="selectin")


class ExpenseLineColumns:
    """An expense line of a bill or a vendor credit: account, amount, memo, department, customer:job, billable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    memo: Mapped[str | None]
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    billable: Mapped[bool] = mapped_column(default=False)

    @declared_attr
    def account(cls) -> Mapped[Account]:  # noqa: N805
        return relationship(Account, lazy="selectin")

    @declared_attr
    def department(cls) -> Mapped[Department | None]:  # noqa: N805
        return relationship(Department, lazy="selectin")

    @declared_attr
    def customer(cls) -> Mapped[Customer | None]:  # noqa: N805
        return relationship(Customer, lazy="selectin")


def _lines(line_class: str, order: str = "position") -> Any:
    """A transaction's lines, in order, saved and deleted with it."""
    return relationship(lazy="selectin", order_by=f"{line_class}.{order}", cascade="all, delete-orphan")


def _line_of(table: str) -> Any:
    """A line's transaction (`table`): the line goes when it goes."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


# -- payables -------------------------------------------------------------------------------------------------------

class Bill(Keyed, VendorTxn, Base):
    __tablename__ = "bills"
    key_source = "number"
    number: Mapped[str | None] = mapped_column(index=True)
    due_date: Mapped[dt.date | None]
    paid_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)  # payments and credits applied in the app
    approval_status: Mapped[str] = mapped_column(default=UNASSIGNED)
    origin: Mapped[str] = mapped_column(default="app")  # "app" or "QuickBooks"

    lines: Mapped[list[BillLine]] = _lines("BillLine")

    @property
    def balance_due(self) -> Decimal:
        return self.amount - self.paid_amount

    @property
    def status(self) -> str:
        if self.paid_amount == ZERO and self.amount > ZERO:
            return "Open"
        return "Paid" if self.balance_due <= ZERO else "Partially paid"

    @property
    def label(self) -> str:
        return self.label_for(self.vendor.name, self.number, self.date)

    @staticmethod
    def label_for(vendor: str, number: str | None, day: dt.date) -> str:
        """How the app names a bill: its vendor and number (its date when it has none)."""
        return f"{vendor} {number}" if number else f"{vendor} {day}"


class BillLine(ExpenseLineColumns, Base):
    __tablename__ = "bill_lines"
    bill_id: Mapped[int] = _line_of("bills")


class VendorCredit(Keyed, VendorTxn, Base):
    __tablename__ = "vendor_credits"
    key_source = "number"
    number: Mapped[str | None]
    applied_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)

    lines: Mapped[list[VendorCreditLine]] = _lines("VendorCreditLine")

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.applied_amount

    @property
    def label(self) -> str:
        return f"{self.vendor.name} {self.number}" if self.number else f"{self.vendor.name} credit {self.date}"


class VendorCreditLine(ExpenseLineColumns, Base):
    __tablename__ = "vendor_credit_lines"
    vendor_credit_id: Mapped[int] = _line_of("vendor_credits")


class CreditApplication(Base):
    """A vendor credit applied to a bill; it reaches QuickBooks with the payment that pays the rest of the bill."""

    __tablename__ = "credit_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_credit_id: Mapped[int] = mapped_column(ForeignKey("vendor_credits.id"))
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("bill_payments.id"), index=True)

    vendor_credit: Mapped[VendorCredit] = relationship(lazy="selectin")
    bill: Mapped[Bill] = relationship(lazy="selectin")


class BillPayment(Keyed, VendorTxn, Base):
    __tablename__ = "bill_payments"
    key_source = "check_number"
    bank_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    payment_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))  # what it posts to in QuickBooks
    method: Mapped[str] = mapped_column(default="epayment")  # "epayment" (paid through the app) or "offline"
    check_number: Mapped[str | None]
    withdrawn: Mapped[bool] = mapped_column(default=False)  # the app has taken the money (ePayments)
    funds_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("funds_transfers.id"))

    bank_account: Mapped[Account] = relationship(foreign_keys=[bank_account_id], lazy="selectin")
    payment_account: Mapped[Account] = relationship(foreign_keys=[payment_account_id], lazy="selectin")
    lines: Mapped[list[BillPaymentLine]] = _lines("BillPaymentLine", "id")
    credits: Mapped[list[CreditApplication]] = relationship(lazy="selectin", order_by="CreditApplication.id")

    @property
    def label(self) -> str:
        bills = ", ".join(line.bill.number or str(line.bill.date) for line in self.lines)
        return f"{self.vendor.name} {self.amount:.2f} on {self.date} for bill {bills}"


class BillPaymentLine(Base):
    __tablename__ = "bill_payment_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = _line_of("bill_payments")
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)

    bill: Mapped[Bill] = relationship(lazy="selectin")


class FundsTransfer(AppTxn, Base):
    """Money moved between two accounts, e.g. the lump sum from the bank to the clearing account for ePayments."""

    __tablename__ = "funds_transfers"
    __table_args__ = (Index("ix_funds_transfers_day", "date", "from_account_id", "to_account_id"),)
    from_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    to_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))

    from_account: Mapped[Account] = relationship(foreign_keys=[from_account_id], lazy="selectin")
    to_account: Mapped[Account] = relationship(foreign_keys=[to_account_id], lazy="selectin")

    @property
    def label(self) -> str:
        return f"{self.amount:.2f} from {self.from_account.name} to {self.to_account.name} on {self.date}"


# -- receivables ----------------------------------------------------------------------------------------------------

class Invoice(Keyed, CustomerTxn, Base):
    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_newest", "created_at", "id"),)
    key_source = "number"
    number: Mapped[str]
    due_date: Mapped[dt.date | None]
    to_be_emailed: Mapped[bool] = mapped_column(default=False)
    balance_due: Mapped[Decimal] = mapped_column(Money)
    origin: Mapped[str] = mapped_column(default="app")  # "app" or "QuickBooks"
    emailed_to: Mapped[str | None]
    emailed_at: Mapped[datetime | None]

    lines: Mapped[list[InvoiceLine]] = _lines("InvoiceLine")

    @property
    def status(self) -> str:
        if self.balance_due <= ZERO:
            return "Paid"
        return "Partially paid" if self.balance_due < self.amount else "Open"

    @property
    def label(self) -> str:
        return self.number

    def __repr__(self) -> str:
        return f"<Invoice {self.number!r} {self.amount} {self.status}>"


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = _line_of("invoices")
    position: Mapped[int]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    description: Mapped[str | None]
    quantity: Mapped[Decimal | None] = mapped_column(Money)
    rate: Mapped[Decimal | None] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)

    item: Mapped[Item | None] = relationship(lazy="selectin")


class InvoicePayment(Keyed, CustomerTxn, Base):
    __tablename__ = "invoice_payments"
    key_source = "reference"
    reference: Mapped[str | None]

    lines: Mapped[list[InvoicePaymentLine]] = _lines("InvoicePaymentLine", "id")

    @property
    def label(self) -> str:
        invoices = ", ".join(line.invoice.number for line in self.lines)
        return f"{self.customer.full_name} {self.amount:.2f} on {self.date} for invoice {invoices}"


class InvoicePaymentLine(Base):
    """The part of a payment applied to one invoice, and a QuickBooks credit memo applied with it."""

    __tablename__ = "invoice_payment_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = _line_of("invoice_payments")
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    credit_memo: Mapped[str | None]  # the credit memo's number in QuickBooks
    credit_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)

    invoice: Mapped[Invoice] = relationship(lazy="selectin")


# -- the link with QuickBooks ---------------------------------------------------------------------------------------

class Link(Base):
    """An app object's QuickBooks counterpart: ListID/TxnID, EditSequence, and what both sides last agreed on.

    `state` is "pending" from just before an Add is sent until its response is read; a pending link whose run ended
    without a response is looked up in QuickBooks (by name, or by `marker`) before anything is sent again.
    `base` holds the synced field values as of the last sync (what a three-way merge compares both sides against);
    `line_ids` the TxnLineIDs of a transaction's lines, in the app's line order.
    """

    __tablename__ = "qb_links"
    __table_args__ = (UniqueConstraint("kind", "app_id"), Index("ix_qb_links_kind_qb_id", "kind", "qb_id"),
                      Index("ix_qb_links_kind_state", "kind", "state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    app_id: Mapped[int]
    qb_id: Mapped[str | None] = mapped_column(String(40))
    edit_sequence: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default="linked")
    marker: Mapped[str | None] = mapped_column(String(40))
    base: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    line_ids: Mapped[list[str] | None] = mapped_column(JSON)
    attempted_at: Mapped[datetime | None]


class Change(Base):
    """An app object the app's own operations created or changed since the sync last sent it (`syncer.app.journal`).

    `id` only grows (AUTOINCREMENT), so a sync that read an entry clears it only if no later change replaced it.
    """

    __tablename__ = "sync_changes"
    __table_args__ = (UniqueConstraint("kind", "app_id"), {"sqlite_autoincrement": True})
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    app_id: Mapped[int]


class Cursor(Base):
    """Per object type: the newest TimeModified (or TimeDeleted) read from QuickBooks, as QuickBooks wrote it."""

    __tablename__ = "qb_cursors"
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str]


class Application(Base):
    """What a QuickBooks payment or credit memo applied to when last read: the invoices whose amount due it moves."""

    __tablename__ = "qb_applications"
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    target: Mapped[str] = mapped_column(String(40), primary_key=True)


class SyncIssueRow(Base):
    """The per-object errors and notices of the last sync run, for the app to show."""

    __tablename__ = "sync_issues"
    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[str] = mapped_column(String(10))  # "error" or "notice"
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str]
    message: Mapped[str]
