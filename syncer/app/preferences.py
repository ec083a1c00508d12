"""The sync preferences: brands, the master in case of conflict, account mappings, and the accounts the app creates
when it needs one that is not mapped (as the app's sync does)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from syncer.app.models import Account, Settings, fold

BRANDS = ("Cashflow360", "Key CashFlow")
CONFLICT_MASTERS = ("QuickBooks", "app")
#: Account mappings ("Move Transactions to QuickBooks" preferences) and the account types each accepts.
MAPPINGS: dict[str, tuple[str, ...]] = {
    "ap_account": ("AccountsPayable",),
    "ar_account": ("AccountsReceivable",),
    "bank_account": ("Bank",),
    "clearing_account": ("Bank",),
    "deposit_account": ("Bank", "OtherCurrentAsset"),
    "expense_account": ("Expense", "OtherExpense", "CostOfGoodsSold"),
}
#: The accounts the app creates when it needs them and none is mapped (as the app's sync does).
CLEARING_ACCOUNT = "{brand} Money Out Clearing"
UNALLOCATED_EXPENSES = "Unallocated Expenses"


def _account(s: Session, name: str, account_type: str) -> Account:
    found = s.scalar(select(Account).where(Account.key == fold(name)))
    if found is None:
        found = Account(name=name, full_name=name, account_type=account_type)
        s.add(found)
        s.flush()
    return found


def clearing_account(s: Session, settings: Settings) -> Account:
    """The Money Out Clearing account: the one mapped, or "<brand> Money Out Clearing", created and mapped."""
    if settings.clearing_account_id is None:
        settings.clearing_account_id = _account(s, CLEARING_ACCOUNT.format(brand=settings.brand), "Bank").id
    found = s.get(Account, settings.clearing_account_id)
    assert found is not None
    return found


def expense_account(s: Session, settings: Settings) -> Account:
    """The Unallocated Expenses account: the one mapped, or "Unallocated Expenses", created and mapped."""
    if settings.expense_account_id is None:
        settings.expense_account_id = _account(s, UNALLOCATED_EXPENSES, "Expense").id
    found = s.get(Account, settings.expense_account_id)
    assert found is not None
    return found
