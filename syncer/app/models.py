"""The app's tables: its settings, lists, payables, receivables, and the links that tie them to QuickBooks; the
declarative base and the money column type they are declared with.

Objects returned by the app's operations are detached snapshots with their references loaded (a bill's vendor and
lines, a line's account...): read them freely, change them through the operations.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import JSON, Dialect, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
UNASSIGNED, WAITING, APPROVED = "Unassigned", "Waiting for approval", "Approved"  # a bill's approval status
SUBLEVELS = 5  # how many parents up a loaded sub-account, sub-class, job or sub-item knows (QuickBooks allows 5)


class Base(DeclarativeBase):
    pass


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

class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    full_name: Mapped[str] = mapped_column(index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    account_type: Mapped[str]
    number: Mapped[str | None]
    description: Mapped[str | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    balance: Mapped[Decimal | None] = mapped_column(Money)  # from QuickBooks; shown for bank accounts

    parent: Mapped[Account | None] = relationship(remote_side=[id], lazy="selectin", join_depth=SUBLEVELS)

    def __repr__(self) -> str:
        return f"<Account {self.full_name!r} {self.account_type}>"


class Department(Base):
    """A department in the app; a class in QuickBooks."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    full_name: Mapped[str] = mapped_column(index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    is_active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Department | None] = relationship(remote_side=[id], lazy="selectin", join_depth=SUBLEVELS)

    def __repr__(self) -> str:
        return f"<Department {self.full_name!r}>"


class Vendor(Base):
    __tablename__ = "vendors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(index=True)
    company_name: Mapped[str | None]
    pay_to_name: Mapped[str | None]  # the name printed on checks (QuickBooks' NameOnCheck)
    email: Mapped[str | None]
    phone: Mapped[str | None]
    address: Mapped[str | None]
    city: Mapped[str | None]
    state: Mapped[str | None]
    postal_code: Mapped[str | None]
    account_number: Mapped[str | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    balance: Mapped[Decimal | None] = mapped_column(Money)

    @property
    def full_name(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<Vendor {self.name!r}>"


class Customer(Base):
    """A customer, or a job: a customer with a parent (full name "Customer:Job")."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    full_name: Mapped[str] = mapped_column(index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    company_name: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    address: Mapped[str | None]
    city: Mapped[str | None]
    state: Mapped[str | None]
    postal_code: Mapped[str | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    balance: Mapped[Decimal | None] = mapped_column(Money)

    parent: Mapped[Customer | None] = relationship(remote_side=[id], lazy="selectin", join_depth=SUBLEVELS)

    @property
    def is_job(self) -> bool:
        return self.parent_id is not None

    def __repr__(self) -> str:
        return f"<Customer {self.full_name!r}>"


class Item(Base):
    """An item: created in QuickBooks and pulled; one created in the app stays in the app."""

    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    full_name: Mapped[str] = mapped_column(index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    item_type: Mapped[str]  # Service, NonInventory, OtherCharge, Inventory, ...
    description: Mapped[str | None]
    price: Mapped[Decimal | None] = mapped_column(Money)
    is_active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Item | None] = relationship(remote_side=[id], lazy="selectin", join_depth=SUBLEVELS)

    def __repr__(self) -> str:
        return f"<Item {self.full_name!r}>"


# -- payables -------------------------------------------------------------------------------------------------------

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


class Bill(Base):
    __tablename__ = "bills"
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))
    number: Mapped[str | None] = mapped_column(index=True)
    date: Mapped[dt.date]
    due_date: Mapped[dt.date | None]
    memo: Mapped[str | None]
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)  # payments and credits applied in the app
    approval_status: Mapped[str] = mapped_column(default=UNASSIGNED)
    origin: Mapped[str] = mapped_column(default="app")  # "app" or "QuickBooks"
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    vendor: Mapped[Vendor] = relationship(lazy="selectin")
    lines: Mapped[list[BillLine]] = relationship(lazy="selectin", order_by="BillLine.position",
                                                 cascade="all, delete-orphan")

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
        return f"{self.vendor.name} {self.number}" if self.number else f"{self.vendor.name} {self.date}"

    def __repr__(self) -> str:
        return f"<Bill {self.label!r} {self.amount}>"


class BillLine(ExpenseLineColumns, Base):
    __tablename__ = "bill_lines"
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)


class VendorCredit(Base):
    __tablename__ = "vendor_credits"
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))
    number: Mapped[str | None]
    date: Mapped[dt.date]
    memo: Mapped[str | None]
    amount: Mapped[Decimal] = mapped_column(Money)
    applied_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    vendor: Mapped[Vendor] = relationship(lazy="selectin")
    lines: Mapped[list[VendorCreditLine]] = relationship(lazy="selectin", order_by="VendorCreditLine.position",
                                                         cascade="all, delete-orphan")

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.applied_amount

    @property
    def label(self) -> str:
        return f"{self.vendor.name} {self.number}" if self.number else f"{self.vendor.name} credit {self.date}"

    def __repr__(self) -> str:
        return f"<VendorCredit {self.label!r} {self.amount}>"


class VendorCreditLine(ExpenseLineColumns, Base):
    __tablename__ = "vendor_credit_lines"
    vendor_credit_id: Mapped[int] = mapped_column(ForeignKey("vendor_credits.id", ondelete="CASCADE"), index=True)


class CreditApplication(Base):
    """A vendor credit applied to a bill; it reaches QuickBooks with the payment that pays the rest of the bill."""

    __tablename__ = "credit_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_credit_id: Mapped[int] = mapped_column(ForeignKey("vendor_credits.id"))
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("bill_payments.id"))

    vendor_credit: Mapped[VendorCredit] = relationship(lazy="selectin")
    bill: Mapped[Bill] = relationship(lazy="selectin")


class BillPayment(Base):
    __tablename__ = "bill_payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))
    date: Mapped[dt.date]
    bank_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    payment_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))  # what it posts to in QuickBooks
    method: Mapped[str] = mapped_column(default="epayment")  # "epayment" (paid through the app) or "offline"
    check_number: Mapped[str | None]
    memo: Mapped[str | None]
    amount: Mapped[Decimal] = mapped_column(Money)
    withdrawn: Mapped[bool] = mapped_column(default=False)  # the app has taken the money (ePayments)
    funds_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("funds_transfers.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    vendor: Mapped[Vendor] = relationship(lazy="selectin")
    bank_account: Mapped[Account] = relationship(foreign_keys=[bank_account_id], lazy="selectin")
    payment_account: Mapped[Account] = relationship(foreign_keys=[payment_account_id], lazy="selectin")
    lines: Mapped[list[BillPaymentLine]] = relationship(lazy="selectin", order_by="BillPaymentLine.id",
                                                        cascade="all, delete-orphan")
    credits: Mapped[list[CreditApplication]] = relationship(lazy="selectin", order_by="CreditApplication.id")

    @property
    def label(self) -> str:
        bills = ", ".join(line.bill.number or str(line.bill.date) for line in self.lines)
        return f"{self.vendor.name} {self.amount:.2f} on {self.date} for bill {bills}"

    def __repr__(self) -> str:
        return f"<BillPayment {self.label!r}>"


class BillPaymentLine(Base):
    __tablename__ = "bill_payment_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("bill_payments.id", ondelete="CASCADE"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    amount: Mapped[Decimal] = mapped_column(Money)

    bill: Mapped[Bill] = relationship(lazy="selectin")


class FundsTransfer(Base):
    """Money moved between two accounts, e.g. the lump sum from the bank to the clearing account for ePayments."""

    __tablename__ = "funds_transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date]
    from_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    to_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    memo: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    from_account: Mapped[Account] = relationship(foreign_keys=[from_account_id], lazy="selectin")
    to_account: Mapped[Account] = relationship(foreign_keys=[to_account_id], lazy="selectin")

    @property
    def label(self) -> str:
        return f"{self.amount:.2f} from {self.from_account.name} to {self.to_account.name} on {self.date}"


# -- receivables ----------------------------------------------------------------------------------------------------

class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    date: Mapped[dt.date]
    due_date: Mapped[dt.date | None]
    memo: Mapped[str | None]
    to_be_emailed: Mapped[bool] = mapped_column(default=False)
    amount: Mapped[Decimal] = mapped_column(Money)
    balance_due: Mapped[Decimal] = mapped_column(Money)
    origin: Mapped[str] = mapped_column(default="app")  # "app" or "QuickBooks"
    emailed_to: Mapped[str | None]
    emailed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    customer: Mapped[Customer] = relationship(lazy="selectin")
    lines: Mapped[list[InvoiceLine]] = relationship(lazy="selectin", order_by="InvoiceLine.position",
                                                    cascade="all, delete-orphan")

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
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    description: Mapped[str | None]
    quantity: Mapped[Decimal | None] = mapped_column(Money)
    rate: Mapped[Decimal | None] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)

    item: Mapped[Item | None] = relationship(lazy="selectin")


class InvoicePayment(Base):
    __tablename__ = "invoice_payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    date: Mapped[dt.date]
    amount: Mapped[Decimal] = mapped_column(Money)
    reference: Mapped[str | None]
    memo: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    customer: Mapped[Customer] = relationship(lazy="selectin")
    lines: Mapped[list[InvoicePaymentLine]] = relationship(lazy="selectin", order_by="InvoicePaymentLine.id",
                                                           cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        invoices = ", ".join(line.invoice.number for line in self.lines)
        return f"{self.customer.full_name} {self.amount:.2f} on {self.date} for invoice {invoices}"

    def __repr__(self) -> str:
        return f"<InvoicePayment {self.label!r}>"


class InvoicePaymentLine(Base):
    """The part of a payment applied to one invoice, and a QuickBooks credit memo applied with it."""

    __tablename__ = "invoice_payment_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("invoice_payments.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
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
    __table_args__ = (UniqueConstraint("kind", "app_id"), Index("ix_qb_links_kind_qb_id", "kind", "qb_id"))
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


class Cursor(Base):
    """Per object type: the newest TimeModified (or TimeDeleted) read from QuickBooks, as QuickBooks wrote it."""

    __tablename__ = "qb_cursors"
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str]


class SyncIssueRow(Base):
    """The per-object errors and notices of the last sync run, for the app to show."""

    __tablename__ = "sync_issues"
    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[str] = mapped_column(String(10))  # "error" or "notice"
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str]
    message: Mapped[str]
