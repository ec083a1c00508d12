"""Sales receipts, estimates and sales orders.

A sales receipt is a sale paid on the spot: it credits each line's income account and debits the account the money
is deposited to (Undeposited Funds unless DepositToAccountRef names a bank or other current asset account), with its
customer if it has one; it has no open amount. Estimates and sales orders are non-posting forms: they are priced and
stored as an invoice is, and move no balance.

ASSUMPTIONS:
* Lines are completed as invoice lines are (`receivables.sales_line`); a form needs a line, and its total cannot be
  negative (3180, wordings as for invoices). Sales tax is worked out as `sales_tax` describes; TotalAmount is the
  Subtotal and the tax.
* A new form gets its type's default template (`fakeqb.company.defaults.DEFAULT_TEMPLATES`), its customer's
  addresses, and (estimates and sales orders) its customer's terms, DueDate following them (TxnDate without terms);
  a sales receipt or sales order without a ShipDate ships on its TxnDate, as captured for invoices. IsPending,
  IsToBePrinted and IsToBeEmailed default to false where the type has them; an estimate is active, a sales order
  neither manually closed nor fully invoiced.
* Each type numbers its own forms: without a RefNumber one takes the number after the most recently entered numeric
  RefNumber of its type (1 for the first); an empty RefNumber stays empty.
* An invoice made from an estimate or a sales order (`links`) shows on it as LinkedTxn; a sales order's lines show
  what is Invoiced, the order IsFullyInvoiced.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fakeqb.company import stock
from fakeqb.company.context import Context
from fakeqb.company.defaults import default_template
from fakeqb.company.handlers import inventory, links, sales_tax
from fakeqb.company.handlers.declare import declare
from fakeqb.company.handlers.receivables import DEPOSIT_TYPES, addresses, price_lines, undeposited_funds
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
from fakeqb.company.ledger import Posting
from fakeqb.company.terms import due_date
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_amount

SALES_RECEIPT_LINE = LineKind("SalesReceiptLineAdd", "SalesReceiptLineRet", "SalesReceiptLineMod", price="Rate")
ESTIMATE_LINE = LineKind("EstimateLineAdd", "EstimateLineRet", "EstimateLineMod", price="Rate")
SALES_ORDER_LINE = LineKind("SalesOrderLineAdd", "SalesOrderLineRet", "SalesOrderLineMod", price="Rate")
#: Flags each type's new forms start with.
_FLAGS = {"SalesReceipt": ("IsPending", "IsToBePrinted", "IsToBeEmailed"), "Estimate": ("IsToBeEmailed",),
          "SalesOrder": ("IsToBePrinted", "IsToBeEmailed")}


def _form(ctx: Context, draft: Draft, kind: LineKind, label: str) -> tuple[Decimal, list[Posting], Any]:
    """Complete a sales form; returns its total (its sales tax included), what it posts but for the money received
    (income and sales tax credited; a sales receipt only) and its customer."""
    data = draft.data
    customer = listed(ctx.conn, "name", data["CustomerRef"]["ListID"]) if data.get("CustomerRef") else None
    if draft.row is None:
        _defaults(ctx, data, customer, label)
    lines = data.get(kind.ret, [])
    if not lines:
        raise status.cannot_save_txn(label, "The transaction is empty.")
    linked = next((line["LinkToTxn"] for line in lines if line.get("LinkToTxn")), None)
    if linked is not None:
        raise status.object_not_found(linked.get("TxnID", ""))
    level = (customer.data.get("PriceLevelRef") or {}).get("ListID") if customer is not None else None
    postings = [Posting(account, None, -amount(line.get("Amount")))
                for line, account in price_lines(ctx, lines, label, level) if account is not None]
    total = -sum((p.amount for p in postings), ZERO)
    if total < 0:
        raise status.cannot_save_txn(label, "The total of the transaction cannot be negative.")
    tax = sales_tax.apply(ctx, data, lines, customer, draft.row is None)
    data.update(Subtotal=fmt_amount(total), TotalAmount=fmt_amount(total + tax.total))
    if label == "SalesReceipt":
        postings += tax.postings(ctx, 1)
    return total + tax.total, postings, customer


def _sales_receipt_moves(ctx: Context, data: Data) -> tuple[list[stock.Move], list[Posting]]:
    return inventory.sale_moves(ctx, data.get(SALES_RECEIPT_LINE.ret, []), 1)


def _defaults(ctx: Context, data: Data, customer: Any, label: str) -> None:
    """What QuickBooks fills in on a new sales receipt, estimate or sales order."""
    if "TemplateRef" not in data:
        template = default_template(ctx.conn, label)
        if template is not None:
            data["TemplateRef"] = template
    if label != "Estimate":
        data.setdefault("ShipDate", data["TxnDate"])
    if customer is not None:
        for field in ("BillAddress", "ShipAddress"):
            if field not in data and customer.data.get(field):
                data[field] = dict(customer.data[field])
        if label != "SalesReceipt":
            if "TermsRef" not in data and customer.data.get("TermsRef"):
                data["TermsRef"] = dict(customer.data["TermsRef"])
            data.setdefault("DueDate", due_date(ctx.conn, data.get("TermsRef"), data["TxnDate"]) or data["TxnDate"])
    for flag in _FLAGS[label]:
        data.setdefault(flag, "false")
    if "RefNumber" not in data:
        data["RefNumber"] = next_ref_number(ctx, label)
    elif not data["RefNumber"]:
        del data["RefNumber"]


def _sales_receipt(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    if data.get("CreditCardTxnInfo"):
        raise status.not_supported()
    total, postings, customer = _form(ctx, draft, SALES_RECEIPT_LINE, "SalesReceipt")
    if data.get("DepositToAccountRef"):
        deposit = account_ref(ctx, data, "DepositToAccountRef", DEPOSIT_TYPES, "SalesReceipt")
    else:
        deposit = undeposited_funds(ctx)
        data["DepositToAccountRef"] = {"ListID": deposit.list_id}
    entity = customer.list_id if customer is not None else None
    postings.append(Posting(deposit.list_id, entity, total))
    moves, costs = _sales_receipt_moves(ctx, data)
    return Effects(total, postings + costs, entity_id=entity, moves=moves)


def _estimate(ctx: Context, draft: Draft) -> Effects:
    if draft.row is None:
        draft.data.setdefault("IsActive", "true")
    total, _, customer = _form(ctx, draft, ESTIMATE_LINE, "Estimate")
    return Effects(total, [], entity_id=customer.list_id)


def _sales_order(ctx: Context, draft: Draft) -> Effects:
    if draft.row is None:
        draft.data.setdefault("IsManuallyClosed", "false")
    total, _, customer = _form(ctx, draft, SALES_ORDER_LINE, "SalesOrder")
    links.refresh_sales_order(ctx, draft.txn_id, draft.data)
    return Effects(total, [], entity_id=customer.list_id)


def _ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    addresses(data)
    if options.linked and row.txn_type != "SalesReceipt":
        data["LinkedTxn"] = linked_txns(ctx, row.txn_id)


SALES_RECEIPT = declare(TxnType("SalesReceipt", _sales_receipt, lines=(SALES_RECEIPT_LINE,),
                                totals=("Subtotal", "SalesTaxTotal", "TotalAmount"), ret_extra=_ret,
                                locked_when_used=("DepositToAccountRef",)))
ESTIMATE = declare(TxnType("Estimate", _estimate, lines=(ESTIMATE_LINE,), totals=("Subtotal", "TotalAmount"),
                           ret_extra=_ret))
SALES_ORDER = declare(TxnType("SalesOrder", _sales_order, lines=(SALES_ORDER_LINE,),
                              totals=("Subtotal", "TotalAmount"), ret_extra=_ret, on_used=links.follow_sales_order))
