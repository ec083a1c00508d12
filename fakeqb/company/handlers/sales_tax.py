"""Sales tax on invoices, credit memos, sales receipts, estimates and sales orders (US QuickBooks Desktop).

A form is taxed by its sales tax item (ItemSalesTaxRef: a sales tax item, or a group of them), its customer's when it
names none. A line is taxable when its sales tax code is (SalesTaxCodeRef, its item's code when it sends none, written
on the line as QuickBooks writes it) and the form's customer tax code (CustomerSalesTaxCodeRef, the customer's code
when it sends none) is not a non-taxable one: a customer with "Non" (a reseller, an exempt body) pays no tax on any
line. SalesTaxPercentage is the item's TaxRate (a group's, the sum of its items' rates); SalesTaxTotal is the tax;
what the customer pays (an invoice's BalanceRemaining, a credit memo's, sales receipt's, estimate's or sales order's
TotalAmount) is the Subtotal and the tax. A posting form credits (a credit memo debits) Sales Tax Payable, one posting
per tax item with its tax agency (TaxVendorRef) as the name; QuickBooks creates that account (other current
liability, special account SalesTaxPayable) with the first taxed form, and so does fakeqb.

Rounding (the choice, and its evidence): the tax is computed on the taxable subtotal, not line by line, and each tax
item of a group is rounded on its own, half up to cents, the group's tax being the sum of the rounded parts.
QuickBooks Desktop's help describes sales tax as "calculated on the taxable subtotal" of the form (one Tax line after
the lines), and its Sales Tax Liability report carries each item of a group separately, to its own agency: a group's
tax is the sum of its items' taxes, which is why a group's total can differ by a cent from its combined rate times the
subtotal (users report exactly that difference). Per-line rounding is what QuickBooks Online and the Canadian editions
do, not the US Desktop.

ASSUMPTIONS:
* A form without a sales tax item, its own or its customer's, collects no tax (0.00, the rate 0.00): the company's
  preferences name no default sales tax item. A line whose item has no sales tax code and that sends none is not
  taxable. An item line's code is written on the line only when it has one.
* A sales tax item named on a form is not a line: lines naming a sales tax item are not priced (see `receivables`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection

from fakeqb.company.context import Context
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import LIST_TYPES, find, find_by_name, insert_object
from fakeqb.qbxml.records import Data, normalise
from fakeqb.qbxml.values import fmt_amount

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SALES_TAX_PAYABLE = "Sales Tax Payable"


@dataclass
class Tax:
    """The sales tax of a form: its total, its combined rate, and (posted with sign 1) what each tax item collects."""

    total: Decimal = ZERO
    percentage: Decimal = ZERO
    parts: list[tuple[str | None, Decimal]] = field(default_factory=list)  # (tax agency, tax)

    def postings(self, ctx: Context, sign: int) -> list[Posting]:
        """Sales Tax Payable credited (sign 1) or debited (sign -1) with each part."""
        if not self.parts or not any(value for _, value in self.parts):
            return []
        account = payable_account(ctx)
        return [Posting(account, agency, -sign * value) for agency, value in self.parts if value]


def apply(ctx: Context, data: Data, lines: list[Data], customer: Any, is_new: bool) -> Tax:
    """Work out a form's sales tax from its lines (amounts already computed); fills in the codes QuickBooks writes and
    SalesTaxPercentage and SalesTaxTotal."""
    if is_new and customer is not None:
        for form_field, customer_field in (("ItemSalesTaxRef", "ItemSalesTaxRef"),
                                           ("CustomerSalesTaxCodeRef", "SalesTaxCodeRef")):
            if form_field not in data and customer.data.get(customer_field):
                data[form_field] = dict(customer.data[customer_field])
    taxable = ZERO
    exempt = not _is_taxable(ctx.conn, data.get("CustomerSalesTaxCodeRef"), default=True)
    for line in lines:
        if not line.get("ItemRef"):
            continue
        if "SalesTaxCodeRef" not in line:
            item = find(ctx.conn, "item", line["ItemRef"]["ListID"])
            if item is not None and item.data.get("SalesTaxCodeRef"):
                line["SalesTaxCodeRef"] = dict(item.data["SalesTaxCodeRef"])
        if not exempt and _is_taxable(ctx.conn, line.get("SalesTaxCodeRef"), default=False):
            taxable += Decimal(line.get("Amount") or 0)
    tax = _compute(ctx.conn, data.get("ItemSalesTaxRef"), taxable)
    data["SalesTaxPercentage"] = normalise("percent", str(tax.percentage)) if tax.percentage else "0.00"
    data["SalesTaxTotal"] = fmt_amount(tax.total)
    return tax


def _is_taxable(conn: Connection, ref: Data | None, default: bool) -> bool:
    if not ref or not ref.get("ListID"):
        return default
    code = find(conn, "SalesTaxCode", ref["ListID"])
    return default if code is None else code.data.get("IsTaxable") == "true"


def _compute(conn: Connection, ref: Data | None, taxable: Decimal) -> Tax:
    """Each tax item's tax on the taxable subtotal, rounded half up on its own; their sum."""
    item = find(conn, "item", ref["ListID"]) if ref and ref.get("ListID") else None
    if item is None:
        return Tax()
    members = [item] if item.list_type == "ItemSalesTax" else [
        m for r in item.data.get("ItemSalesTaxRef", []) if (m := find(conn, "item", r["ListID"])) is not None]
    tax = Tax()
    for member in members:
        rate = Decimal(member.data.get("TaxRate") or 0)
        value = (taxable * rate / 100).quantize(CENT, ROUND_HALF_UP)
        agency = (member.data.get("TaxVendorRef") or {}).get("ListID")
        tax.parts.append((agency, value))
        tax.total += value
        tax.percentage += rate
    return tax


def payable_account(ctx: Context) -> str:
    """Sales Tax Payable's ListID; created as QuickBooks creates it with the first taxed form."""
    row = find_by_name(ctx.conn, "Account", SALES_TAX_PAYABLE)
    if row is None:
        row = insert_object(ctx.conn, LIST_TYPES["Account"], SALES_TAX_PAYABLE,
                            {"AccountType": "OtherCurrentLiability", "SpecialAccountType": "SalesTaxPayable"},
                            ctx.unix)
    return str(row.list_id)
