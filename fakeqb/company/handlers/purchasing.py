"""Purchase orders, item receipts, and credit card charges and credits.

A purchase order is a non-posting form: priced as a bill's item lines are (Rate for Cost), it moves no balance. An
item receipt (items received without a bill) posts as a bill does: each line's account debited (an inventory part's
asset account), A/P credited for the vendor; it is not a bill, so no payment applies to it. A credit card charge
debits each line's account and credits the credit card account; a credit card credit (a refund to the card) does the
reverse.

ASSUMPTIONS:
* A purchase order needs a vendor (3180, wording assumed; the schema makes VendorRef optional) and a line; a new one
  gets the default template "Custom Purchase Order", its vendor's address and terms, DueDate following the terms (its
  TxnDate without), IsToBePrinted and IsToBeEmailed false, and is neither manually closed nor fully received.
  Purchase orders are numbered as QuickBooks numbers them: without a RefNumber one takes the number after the most
  recently entered numeric RefNumber of a purchase order (1 for the first). A line without an item is a description
  line (3180 if it has an amount).
* An item receipt is in the vendor's A/P balance (QuickBooks posts it to Accounts Payable with the vendor), so the
  vendor's Balance includes it, but it is not open to payments: a BillPaymentCheck naming it is answered as naming no
  bill (3120). Without APAccountRef the company's A/P account is used.
* A credit card charge or credit names a credit card account (another type is an invalid reference, 3140) and needs a
  line; its total cannot be negative (3180). Its payee is optional; the payee's balance does not move (only A/P and
  A/R postings move a name's balance).
* Group lines (ItemGroupLineAdd, PurchaseOrderLineGroupAdd) are not simulated (3250).
* Item receipts, bills, checks and credit card charges receive purchase order lines as `links` describes; a credit
  card credit's LinkToTxn names no transaction it can take from (3120).
"""

from __future__ import annotations

from typing import Any

from fakeqb.company.context import Context
from fakeqb.company.defaults import default_template
from fakeqb.company.handlers import links
from fakeqb.company.handlers.declare import declare
from fakeqb.company.handlers.payables import EXPENSE, ITEM, ap_account, item_line, purchase_effects, receive
from fakeqb.company.handlers.transactions import (
    ZERO,
    Draft,
    Effects,
    LineKind,
    RetOptions,
    TxnType,
    account_ref,
    amount,
    linked_txns,
    listed,
    next_ref_number,
)
from fakeqb.company.lists import address_block
from fakeqb.company.terms import due_date
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_amount

PURCHASE_ORDER_LINE = LineKind("PurchaseOrderLineAdd", "PurchaseOrderLineRet", "PurchaseOrderLineMod", price="Rate")
_GROUPS = ("ItemGroupLineAdd", "ItemGroupLineRet", "PurchaseOrderLineGroupAdd", "PurchaseOrderLineGroupRet")


def _no_groups(data: Data) -> None:
    if any(name in data for name in _GROUPS):
        raise status.not_supported()


# -- purchase orders ------------------------------------------------------------------------------------------------

def _purchase_order(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    _no_groups(data)
    if not data.get("VendorRef"):
        raise status.cannot_save_txn("PurchaseOrder", "A vendor must be specified.")
    vendor = listed(ctx.conn, "name", data["VendorRef"]["ListID"])
    if draft.row is None:
        _po_defaults(ctx, data, vendor)
    lines = data.get(PURCHASE_ORDER_LINE.ret, [])
    if not lines:
        raise status.cannot_save_txn("PurchaseOrder", "The transaction is empty.")
    total = ZERO
    for line in lines:
        for name in ("Quantity", "Rate", "Amount"):
            if line.get(name) == "":
                del line[name]
        if not line.get("ItemRef"):
            if any(name in line for name in ("Quantity", "Rate", "Amount")):
                raise status.cannot_save_txn("PurchaseOrder", "An item must be specified for each line with an "
                                                              "amount.")
            continue
        item_line(ctx, line, "PurchaseOrder", price="Rate")
        total += amount(line.get("Amount"))
    if total < 0:
        raise status.cannot_save_txn("PurchaseOrder", "The total of the transaction cannot be negative.")
    data["TotalAmount"] = fmt_amount(total)
    links.refresh_purchase_order(ctx, draft.txn_id, data)
    return Effects(total, [], entity_id=vendor.list_id)


def _po_defaults(ctx: Context, data: Data, vendor: Any) -> None:
    if "TemplateRef" not in data:
        template = default_template(ctx.conn, "PurchaseOrder")
        if template is not None:
            data["TemplateRef"] = template
    if "VendorAddress" not in data and vendor.data.get("VendorAddress"):
        data["VendorAddress"] = dict(vendor.data["VendorAddress"])
    if "TermsRef" not in data and vendor.data.get("TermsRef"):
        data["TermsRef"] = dict(vendor.data["TermsRef"])
    data.setdefault("DueDate", due_date(ctx.conn, data.get("TermsRef"), data["TxnDate"]) or data["TxnDate"])
    data.setdefault("IsManuallyClosed", "false")
    for flag in ("IsToBePrinted", "IsToBeEmailed"):
        data.setdefault(flag, "false")
    if "RefNumber" not in data:
        data["RefNumber"] = next_ref_number(ctx, "PurchaseOrder")
    elif not data["RefNumber"]:
        del data["RefNumber"]


def _purchase_order_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    for field in ("VendorAddress", "ShipAddress"):
        address_block(data, field, field + "Block")
    linked_ret(ctx, row, data, options)


def linked_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    """LinkedTxn, when asked for."""
    if options.linked:
        data["LinkedTxn"] = linked_txns(ctx, row.txn_id)


PURCHASE_ORDER = declare(TxnType("PurchaseOrder", _purchase_order, lines=(PURCHASE_ORDER_LINE,),
                                 totals=("TotalAmount",), ret_extra=_purchase_order_ret,
                                 on_used=links.follow_purchase_order))


# -- item receipts --------------------------------------------------------------------------------------------------

def _item_receipt(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    _no_groups(data)
    pending = receive(ctx, draft, True, "VendorRef")
    vendor_id = data["VendorRef"]["ListID"]
    ap = ap_account(ctx, data, "ItemReceipt")
    effects = purchase_effects(ctx, data, "ItemReceipt", pending, ap.list_id, vendor_id)
    data["TotalAmount"] = fmt_amount(effects.amount)
    return effects


ITEM_RECEIPT = declare(TxnType("ItemReceipt", _item_receipt, lines=(EXPENSE, ITEM), totals=("TotalAmount",),
                               ret_extra=linked_ret))


# -- credit card charges and credits ------------------------------------------------------------------------------

def _card(ctx: Context, draft: Draft, label: str, sign: int) -> Effects:
    """A charge (sign 1: lines debited, the card credited) or a credit (sign -1)."""
    data = draft.data
    _no_groups(data)
    pending = receive(ctx, draft, sign > 0, "PayeeEntityRef")
    card = account_ref(ctx, data, "AccountRef", ("CreditCard",), label)
    payee = (data.get("PayeeEntityRef") or {}).get("ListID")
    effects = purchase_effects(ctx, data, label, pending, card.list_id, payee, sign)
    data["Amount"] = fmt_amount(effects.amount)
    return effects


def _charge(ctx: Context, draft: Draft) -> Effects:
    return _card(ctx, draft, "CreditCardCharge", 1)


def _credit(ctx: Context, draft: Draft) -> Effects:
    return _card(ctx, draft, "CreditCardCredit", -1)


CREDIT_CARD_CHARGE = declare(TxnType("CreditCardCharge", _charge, lines=(EXPENSE, ITEM), totals=("Amount",)))
CREDIT_CARD_CREDIT = declare(TxnType("CreditCardCredit", _credit, lines=(EXPENSE, ITEM), totals=("Amount",)))
