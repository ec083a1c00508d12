"""What QuickBooks puts in every new company file: its default terms, sales tax codes, form templates, customer
messages and payment methods, under QuickBooks' own names.

A new company is not empty: captured companies answer with these from their creation (template `80000001-1601274059`
"Intuit Product Invoice" on an invoice of a company whose first customer came ten days later; template
`80000003-...` and payment method `80000002-...` in another capture). Each list counts its ListIDs from 80000001, as
every list does, and carries the Unix time the company was created: fakeqb writes them on the company file's first
transaction (`CompanyFile.transaction`), stamped with the company clock then, so a test that sets the clock before
its first request sees them created at its start; `qb.control.reset()` empties the file and they are written again.

Choices (US QuickBooks Desktop Pro 2023, a product-based business; ASSUMPTION where no capture lists the set):
* Terms: "1% 10 Net 30", "2% 10 Net 30", "Due on receipt", "Net 15", "Net 30", "Net 60", all standard terms
  (a discount within N days, due in M): "1% 10 Net 30" is a StandardTerms in QuickBooks' Terms list (StdDueDays 30,
  StdDiscountDays 10, DiscountPct 1), not a date-driven one. A new company has no date-driven terms (those are due on
  a day of the month, "Net 10th", and a user adds them).
* Sales tax codes: "Tax" (taxable, "Taxable Sales") and "Non" (non-taxable, "Non-Taxable Sales").
* Templates: the invoice forms "Intuit Product Invoice" (the default invoice form, ListID 80000001 as captured),
  "Intuit Professional Invoice", "Intuit Service Invoice" and "Intuit Packing Slip"; then "Custom Credit Memo",
  "Custom Sales Receipt", "Custom Estimate", "Custom Sales Order" and "Custom Purchase Order", each the default form
  of its type (`DEFAULT_TEMPLATES`).
* Customer messages: the five QuickBooks offers on a new company's sales forms.
* Payment methods: the eleven PaymentMethodType values, named as QuickBooks names them.
"""

from __future__ import annotations

from sqlalchemy import Connection

from fakeqb.company.lists import LIST_TYPES, find_by_name, insert_object
from fakeqb.company.settings import read_setting, write_setting
from fakeqb.qbxml.records import Data

#: The setting a company file holds once its defaults are written (the Unix time it was created).
CREATED = "created"

TERMS: tuple[tuple[str, Data], ...] = (
    ("1% 10 Net 30", {"StdDueDays": "30", "StdDiscountDays": "10", "DiscountPct": "1"}),
    ("2% 10 Net 30", {"StdDueDays": "30", "StdDiscountDays": "10", "DiscountPct": "2"}),
    ("Due on receipt", {"StdDueDays": "0", "StdDiscountDays": "0", "DiscountPct": "0"}),
    ("Net 15", {"StdDueDays": "15", "StdDiscountDays": "0", "DiscountPct": "0"}),
    ("Net 30", {"StdDueDays": "30", "StdDiscountDays": "0", "DiscountPct": "0"}),
    ("Net 60", {"StdDueDays": "60", "StdDiscountDays": "0", "DiscountPct": "0"}),
)
SALES_TAX_CODES: tuple[tuple[str, Data], ...] = (
    ("Tax", {"IsTaxable": "true", "Desc": "Taxable Sales"}),
    ("Non", {"IsTaxable": "false", "Desc": "Non-Taxable Sales"}),
)
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("Intuit Product Invoice", "Invoice"),
    ("Intuit Professional Invoice", "Invoice"),
    ("Intuit Service Invoice", "Invoice"),
    ("Intuit Packing Slip", "Invoice"),
    ("Custom Credit Memo", "CreditMemo"),
    ("Custom Sales Receipt", "SalesReceipt"),
    ("Custom Estimate", "Estimate"),
    ("Custom Sales Order", "SalesOrder"),
    ("Custom Purchase Order", "PurchaseOrder"),
)
#: The template a new form of each type gets when none is sent.
DEFAULT_TEMPLATES = {"Invoice": "Intuit Product Invoice", "CreditMemo": "Custom Credit Memo",
                     "SalesReceipt": "Custom Sales Receipt", "Estimate": "Custom Estimate",
                     "SalesOrder": "Custom Sales Order", "PurchaseOrder": "Custom Purchase Order"}
CUSTOMER_MESSAGES = (
    "All work is complete!", "It's been a pleasure working with you!", "Please remit to above address.",
    "Thank you for your business.", "We appreciate your prompt payment.",
)
PAYMENT_METHODS: tuple[tuple[str, str], ...] = (
    ("Cash", "Cash"), ("Check", "Check"), ("American Express", "AmericanExpress"), ("Discover", "Discover"),
    ("MasterCard", "MasterCard"), ("Visa", "Visa"), ("E-Check", "ECheck"), ("Debit Card", "DebitCard"),
    ("Gift Card", "GiftCard"), ("Other", "Other"), ("Other Credit Card", "OtherCreditCard"),
)


def default_objects() -> list[tuple[str, str, Data]]:
    """Every default list object: (list type, name, stored fields), in the order QuickBooks creates them."""
    return [
        *(("StandardTerms", name, dict(data)) for name, data in TERMS),
        *(("SalesTaxCode", name, dict(data)) for name, data in SALES_TAX_CODES),
        *(("Template", name, {"TemplateType": kind}) for name, kind in TEMPLATES),
        *(("CustomerMsg", name, {}) for name in CUSTOMER_MESSAGES),
        *(("PaymentMethod", name, {"PaymentMethodType": kind}) for name, kind in PAYMENT_METHODS),
    ]


def ensure_defaults(conn: Connection, unix: int) -> bool:
    """Write the defaults into a company file that has none yet (a new or emptied one); True if it did."""
    if read_setting(conn, CREATED) is not None:
        return False
    for list_type, name, data in default_objects():
        insert_object(conn, LIST_TYPES[list_type], name, data, unix)
    write_setting(conn, CREATED, unix)
    return True


def default_template(conn: Connection, form: str) -> Data | None:
    """The TemplateRef a new form of type `form` gets when none is sent (None if the company has no such template)."""
    row = find_by_name(conn, "Template", DEFAULT_TEMPLATES[form])
    return {"ListID": row.list_id} if row is not None else None
