"""The kinds of objects that sync, and how the app names them to the user (singular, plural)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    singular: str
    plural: str


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("account", "Account", "Accounts"),
    Kind("department", "Department", "Departments"),
    Kind("vendor", "Vendor", "Vendors"),
    Kind("customer", "Customer", "Customers"),
    Kind("job", "Job", "Jobs"),
    Kind("item", "Item", "Items"),
    Kind("bank_balance", "Bank balance", "Bank balances"),
    Kind("bill", "Bill", "Bills"),
    Kind("vendor_credit", "Vendor credit", "Vendor credits"),
    Kind("bill_payment", "Bill payment", "Bill payments"),
    Kind("funds_transfer", "Funds transfer", "Funds transfers"),
    Kind("invoice", "Invoice", "Invoices"),
    Kind("invoice_payment", "Invoice payment", "Invoice payments"),
)}


def singular(key: str) -> str:
    return KINDS[key].singular


def plural(key: str) -> str:
    return KINDS[key].plural
