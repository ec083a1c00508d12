"""The kinds of objects that sync, and how the app names them to the user ("vendor_credit": "Vendor credit",
"Vendor credits")."""

from __future__ import annotations

KINDS = ("account", "department", "vendor", "customer", "job", "item", "bank_balance", "bill", "vendor_credit",
         "bill_payment", "funds_transfer", "invoice", "invoice_payment")
_NAMES = {key: key.replace("_", " ").capitalize() for key in KINDS}


def singular(key: str) -> str:
    return _NAMES[key]


def plural(key: str) -> str:
    return _NAMES[key] + "s"
