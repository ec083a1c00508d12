"""Forms made from other forms, by quantity: a bill, item receipt, check or credit card charge receiving a purchase
order's lines; an invoice made from an estimate's or a sales order's lines.

A line names the line it takes from with LinkToTxn (TxnID, TxnLineID); a LinkToTxnID on the header takes every open
line of the transaction it names. A line taken from another gets that line's item, description, unit price (its Rate,
as the new line's Cost or Rate) and class unless it sends its own, and the quantity still open on it unless it sends
one. What each form takes is recorded (`ledger.Use`): a purchase order's lines show their ReceivedQuantity (what bills,
item receipts, checks and charges took), UnbilledQuantity and IsBilled (what bills took), the order IsFullyReceived
when every line with a quantity is received or closed; a sales order's lines show Invoiced, the order
IsFullyInvoiced. Both sides show the link as LinkedTxn (IncludeLinkedTxns).

ASSUMPTIONS:
* The transaction linked to must be of a kind the form takes from (a purchase order for purchases; an estimate or a
  sales order for an invoice), with the same vendor or customer, and not manually closed; a line must be one of its
  lines with an item. Anything else is not found (3120). Taking more than is open is allowed (QuickBooks warns, then
  saves): the quantities show it.
* A quantity link shows as LinkedTxn with LinkType QUANTYPE and Amount 0.00 (the schema needs an Amount; quantity
  links carry none).
* A bill linked (LinkToTxnID) to an item receipt of its vendor is that receipt turned into a bill: the bill takes the
  receipt's lines (their purchase order links with them) and the receipt is gone, recorded as a deleted ItemReceipt.
  A voided transaction has nothing left to take (3120).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import update

from fakeqb.company import ledger, stock
from fakeqb.company.context import Context
from fakeqb.company.handlers.transactions import Draft, find_txn, new_line_id, remove_txn
from fakeqb.company.ledger import Use
from fakeqb.company.lists import find
from fakeqb.company.store import transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data, normalise
from fakeqb.qbxml.values import fmt_bool

#: Lines a form can take from, by the type of the transaction taken from.
SOURCE_LINES = {"PurchaseOrder": "PurchaseOrderLineRet", "Estimate": "EstimateLineRet",
                "SalesOrder": "SalesOrderLineRet"}
ZERO = Decimal(0)
Pending = list[tuple[Data, str, str]]  # (the new line, the TxnID and TxnLineID it takes from)


def take(ctx: Context, draft: Draft, line_key: str, price: str, sources: tuple[str, ...], entity_field: str,
         receipts: bool = False) -> Pending:
    """Fill in the lines of `draft` that take from other transactions (and add those LinkToTxnID takes whole; with
    `receipts`, a LinkToTxnID may name an item receipt to turn into this bill); the lines' amounts are computed
    afterwards, then `uses` records them."""
    data = draft.data
    entity = (data.get(entity_field) or {}).get("ListID")
    taken: dict[tuple[str, str], Decimal] = {}
    pending: Pending = []
    for txn_id in data.pop("LinkToTxnID", []):
        source = _source(ctx, txn_id, sources + (("ItemReceipt",) if receipts and draft.row is None else ()), entity)
        if source.txn_type == "ItemReceipt":
            _take_receipt(ctx, draft, source)
            continue
        for line in source.data.get(SOURCE_LINES[source.txn_type], []):
            if line.get("ItemRef") and line.get("IsManuallyClosed") != "true":
                left = _open(ctx, source, line) - taken.get((source.txn_id, line["TxnLineID"]), ZERO)
                if left > 0:
                    data.setdefault(line_key, []).append({"TxnLineID": new_line_id(ctx.conn, draft.txn_id),
                                                          "LinkToTxn": {"TxnID": source.txn_id,
                                                                        "TxnLineID": line["TxnLineID"]}})
    for line in data.get(line_key, []):
        link = line.get("LinkToTxn")
        if not link:
            continue
        source = _source(ctx, link["TxnID"], sources, entity)
        found = next((x for x in source.data.get(SOURCE_LINES[source.txn_type], [])
                      if x["TxnLineID"] == link["TxnLineID"] and x.get("ItemRef")), None)
        if found is None:
            raise status.object_not_found(link["TxnLineID"])
        for field in ("ItemRef", "Desc", "ClassRef"):
            if field not in line and found.get(field):
                line[field] = found[field]
        if price not in line and "Amount" not in line and found.get("Rate"):
            line[price] = found["Rate"]
        key = (source.txn_id, found["TxnLineID"])
        if "Quantity" not in line:
            left = _open(ctx, source, found) - taken.get(key, ZERO)
            line["Quantity"] = normalise("quan", str(max(left, ZERO)))
        taken[key] = taken.get(key, ZERO) + Decimal(line["Quantity"])
        pending.append((line, source.txn_id, found["TxnLineID"]))
    return pending


def uses(pending: Pending) -> list[Use]:
    """What the completed lines take: quantity and amount of each."""
    return [Use(source, source_line, Decimal(line.get("Quantity") or 0), Decimal(line.get("Amount") or 0))
            for line, source, source_line in pending]


def _source(ctx: Context, txn_id: str, sources: tuple[str, ...], entity: str | None) -> Any:
    row = find_txn(ctx.conn, txn_id)
    if row is None or row.txn_type not in sources or row.entity_id != entity or \
            row.data.get("IsManuallyClosed") == "true" or _is_void(row):
        raise status.object_not_found(txn_id)
    return row


def _is_void(row: Any) -> bool:
    """A voided transaction (amounts zero, memo marked) has nothing left to take."""
    return Decimal(row.amount) == 0 and str(row.data.get("Memo", "")).startswith("VOID:")


def _open(ctx: Context, source: Any, line: Data) -> Decimal:
    """What is still open on a line: its quantity less what other transactions took."""
    took = sum((Decimal(u.quantity or 0) for u in ledger.used_by(ctx.conn, source.txn_id)
                if u.line == line["TxnLineID"]), ZERO)
    return Decimal(line.get("Quantity") or 0) - took


def _take_receipt(ctx: Context, draft: Draft, receipt: Any) -> None:
    """A bill made of an item receipt: its lines (new TxnLineIDs), then the receipt is removed."""
    for key in ("ExpenseLineRet", "ItemLineRet"):
        for line in receipt.data.get(key, []):
            draft.data.setdefault(key, []).append({**line, "TxnLineID": new_line_id(ctx.conn, draft.txn_id)})
    for field in ("APAccountRef", "RefNumber", "Memo"):
        if field not in draft.data and receipt.data.get(field):
            draft.data[field] = receipt.data[field]
    remove_txn(ctx, receipt)


# -- the transactions taken from -----------------------------------------------------------------------------------

def follow_purchase_order(ctx: Context, row: Any) -> None:
    """Bring a purchase order's received and billed quantities up to date."""
    _store(ctx, row, refresh_purchase_order(ctx, row.txn_id, dict(row.data)))


def refresh_purchase_order(ctx: Context, txn_id: str, data: Data) -> Data:
    users = _users(ctx, txn_id)
    lines, fully = [], True
    for line in data.get("PurchaseOrderLineRet", []):
        line = dict(line)
        received = sum((q for t, q in users.get(line["TxnLineID"], []) if t != "Deposit"), ZERO)
        billed = sum((q for t, q in users.get(line["TxnLineID"], []) if t == "Bill"), ZERO)
        if line.get("ItemRef"):
            quantity = Decimal(line.get("Quantity") or 0)
            line["ReceivedQuantity"] = normalise("quan", str(received))
            line["UnbilledQuantity"] = normalise("quan", str(max(quantity - billed, ZERO)))
            line["IsBilled"] = fmt_bool(billed >= quantity)
            line.setdefault("IsManuallyClosed", "false")
            fully = fully and (received >= quantity or line["IsManuallyClosed"] == "true")
        lines.append(line)
    if "PurchaseOrderLineRet" in data:
        data["PurchaseOrderLineRet"] = lines
    data["IsFullyReceived"] = fmt_bool(fully)
    _on_order(ctx, txn_id, "PurchaseOrder", data, lines, "ReceivedQuantity")
    return data


def follow_sales_order(ctx: Context, row: Any) -> None:
    _store(ctx, row, refresh_sales_order(ctx, row.txn_id, dict(row.data)))


def refresh_sales_order(ctx: Context, txn_id: str, data: Data) -> Data:
    users = _users(ctx, txn_id)
    lines, fully = [], True
    for line in data.get("SalesOrderLineRet", []):
        line = dict(line)
        if line.get("ItemRef"):
            invoiced = sum((q for _, q in users.get(line["TxnLineID"], [])), ZERO)
            line["Invoiced"] = normalise("quan", str(invoiced))
            line.setdefault("IsManuallyClosed", "false")
            fully = fully and (invoiced >= Decimal(line.get("Quantity") or 0) or line["IsManuallyClosed"] == "true")
        lines.append(line)
    if "SalesOrderLineRet" in data:
        data["SalesOrderLineRet"] = lines
    data["IsFullyInvoiced"] = fmt_bool(fully)
    _on_order(ctx, txn_id, "SalesOrder", data, lines, "Invoiced")
    return data


def _on_order(ctx: Context, txn_id: str, txn_type: str, data: Data, lines: list[Data], done: str) -> None:
    """What an order holds open of each stocked item: each open line's quantity less what was received (invoiced);
    nothing once the order or the line is closed."""
    held: dict[str, Decimal] = {}
    if data.get("IsManuallyClosed") != "true":
        for line in lines:
            item = find(ctx.conn, "item", line["ItemRef"]["ListID"]) if line.get("ItemRef") else None
            if stock.is_stocked(item) and line.get("IsManuallyClosed") != "true":
                assert item is not None
                left = Decimal(line.get("Quantity") or 0) - Decimal(line.get(done) or 0)
                held[item.list_id] = held.get(item.list_id, ZERO) + max(left, ZERO)
    stock.set_orders(ctx.conn, txn_id, txn_type, held.items())


def _users(ctx: Context, txn_id: str) -> dict[str, list[tuple[str, Decimal]]]:
    """What other transactions took from each line: line -> [(their type, quantity)]."""
    out: dict[str, list[tuple[str, Decimal]]] = {}
    for u in ledger.used_by(ctx.conn, txn_id):
        user = find_txn(ctx.conn, u.user)
        out.setdefault(u.line or "", []).append((user.txn_type if user is not None else "", Decimal(u.quantity or 0)))
    return out


def _store(ctx: Context, row: Any, data: Data) -> None:
    ctx.conn.execute(update(transactions).where(transactions.c.txn_id == row.txn_id).values(data=data))

