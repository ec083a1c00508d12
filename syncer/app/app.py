"""`App`: the app's side of the sync (Cashflow360 or Key CashFlow): its database, settings and operations.

    app = App("sqlite:///app.db", brand="Key CashFlow")
    app.vendors.create("Acme Supply", email="ap@acme.example")
    app.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from syncer.app import rules
from syncer.app.db import close_database, open_database
from syncer.app.lists import Accounts, Customers, Departments, Items, Vendors
from syncer.app.models import Account, Settings, SyncIssueRow
from syncer.app.payables import BillPayments, Bills, FundsTransfers, VendorCredits
from syncer.app.preferences import BRANDS, CONFLICT_MASTERS, MAPPINGS, clearing_account
from syncer.app.receivables import InvoicePayments, Invoices
from syncer.errors import InvalidInputError, NotAllowedError

_SETTINGS_ROW = select(Settings.id).where(Settings.id == 1)
_SETTINGS = select(Settings).options(lazyload("*")).where(Settings.id == 1)
_ACCOUNTS = select(Account).where(Account.id.in_(bindparam("ids", expanding=True)))
_MAPPED = ("ap_account", "ar_account", "bank_account", "clearing_account", "deposit_account", "expense_account")


def settings_row(s: Session) -> Settings:
    """The settings row, its mapped accounts read only if used (within the session)."""
    return s.scalars(_SETTINGS).one()


def load_settings(s: Session) -> Settings:
    """The settings row with its mapped accounts, each account read once in one query (selectin loading costs a query
    set-up per mapping, even for mappings not set)."""
    found = settings_row(s)
    ids = {getattr(found, f"{name}_id") for name in _MAPPED} - {None}
    accounts = {a.id: a for a in s.scalars(_ACCOUNTS, {"ids": list(ids)})} if ids else {}
    for name in _MAPPED:
        account_id = getattr(found, f"{name}_id")
        set_committed_value(found, name, accounts.get(account_id) if account_id is not None else None)
    return found


class App:
    """The app, with its database at `db_url` (created on first use; "sqlite://" keeps it in memory)."""

    def __init__(self, db_url: str = "sqlite://", *, brand: str | None = None, two_way_bill_sync: bool | None = None,
                 account_created_on: date | str | None = None):
        self.db_url = db_url
        self.engine, self._sessions = open_database(db_url)
        self._closed = False
        with self.session() as s:
            if s.scalar(_SETTINGS_ROW) is None:
                s.add(Settings(id=1, brand=BRANDS[0], account_created_on=date.today()))
        self.accounts = Accounts(self)
        self.departments = Departments(self)
        self.vendors = Vendors(self)
        self.customers = Customers(self)
        self.items = Items(self)
        self.bills = Bills(self)
        self.vendor_credits = VendorCredits(self)
        self.bill_payments = BillPayments(self)
        self.funds_transfers = FundsTransfers(self)
        self.invoices = Invoices(self)
        self.invoice_payments = InvoicePayments(self)
        given = {k: v for k, v in dict(brand=brand, two_way_bill_sync=two_way_bill_sync,
                                       account_created_on=account_created_on).items() if v is not None}
        if given:
            self.configure(**given)

    @contextmanager
    def session(self, *, journal: bool = True) -> Iterator[Session]:
        """A database session in a transaction: committed when the block ends, rolled back if it raises.

        What it changes goes in the change journal for the next sync to send; `journal=False` is for the sync's own
        writes (what QuickBooks has, which needs no sending).
        """
        with self._sessions.begin() as s:
            s.info["journal"] = journal
            yield s

    def close(self) -> None:
        """Release the database (an in-memory one's engine is kept for the next in-memory app)."""
        if not self._closed:
            self._closed = True
            close_database(self.db_url, self.engine)

    # -- settings -------------------------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        with self.session() as s:
            return load_settings(s)

    def configure(self, **values: Any) -> Settings:
        """Change settings: brand, two_way_bill_sync, account_created_on, conflict_master ("QuickBooks" or "app"),
        record_funds_transfer (on by default: payments made through the app post to the clearing account, and the
        money the app withdraws is a funds transfer from the bank), invoice_status_sync (Customer Support's switch
        for accounts created before June 5, 2020), and the account mappings (by account name): ap_account,
        ar_account, bank_account (the default for payments), clearing_account (Money Out Clearing),
        deposit_account (Money In Clearing / Deposit To), expense_account (Unallocated Expenses: for bill lines
        without an account).

        The clearing account and the unallocated expenses account are created when first needed and not mapped
        ("<brand> Money Out Clearing", a bank account; "Unallocated Expenses"), as the app's sync does.
        """
        with self.session() as s:
            settings = settings_row(s)
            for key, value in values.items():
                self._set(s, settings, key, value)
            if values.get("record_funds_transfer"):
                clearing_account(s, settings)
        return self.settings

    def _set(self, s: Session, settings: Settings, key: str, value: Any) -> None:
        if key == "brand":
            if value not in BRANDS:
                raise InvalidInputError(f'"{value}" is not a brand: {" or ".join(BRANDS)}.')
            settings.brand = value
        elif key in ("two_way_bill_sync", "record_funds_transfer", "invoice_status_sync"):
            setattr(settings, key, bool(value))
        elif key == "account_created_on":
            settings.account_created_on = rules.day(value, "account creation date")
        elif key == "conflict_master":
            if value not in CONFLICT_MASTERS:
                raise InvalidInputError(f'The master in case of conflict is "QuickBooks" or "app", not "{value}".')
            settings.conflict_master = value
        elif key in MAPPINGS:
            if value is None:
                setattr(settings, f"{key}_id", None)
                return
            account = self.accounts._find(s, value)
            allowed = MAPPINGS[key]
            if account.account_type not in allowed:
                raise InvalidInputError(f'"{account.full_name}" is a {account.account_type} account; the '
                                        f"{key.replace('_', ' ')} must be of type {' or '.join(allowed)}.")
            setattr(settings, f"{key}_id", account.id)
        elif key in ("company_file", "company_name", "connected_on"):
            raise NotAllowedError("The company file and the connect date are set by connecting to QuickBooks.")
        else:
            raise InvalidInputError(f'There is no setting "{key}".')

    @property
    def brand(self) -> str:
        return self.settings.brand

    @brand.setter
    def brand(self, value: str) -> None:
        self.configure(brand=value)

    @property
    def two_way_bill_sync(self) -> bool:
        return self.settings.two_way_bill_sync

    @two_way_bill_sync.setter
    def two_way_bill_sync(self, value: bool) -> None:
        self.configure(two_way_bill_sync=value)

    @property
    def account_created_on(self) -> date:
        return self.settings.account_created_on

    @account_created_on.setter
    def account_created_on(self, value: date) -> None:
        self.configure(account_created_on=value)

    # -- sync results ---------------------------------------------------------------------------------------------
    def sync_errors(self) -> list[SyncIssueRow]:
        """The per-object errors of the last sync run."""
        with self.session() as s:
            return list(s.scalars(select(SyncIssueRow).where(SyncIssueRow.severity == "error")
                                  .order_by(SyncIssueRow.id)))

    def __repr__(self) -> str:
        return f"<App {self.brand} {self.db_url}>"

