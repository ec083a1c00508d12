"""Inventory: what transactions move in and out of stock, and the quantity, value and average cost of each inventory
part and assembly.

An item's QuantityOnHand and inventory value start from its Add (QuantityOnHand, TotalValue) and change by exactly
what transactions move, as balances change by postings: a purchase's item line brings its quantity in at its amount (a
return to the vendor takes it out at its amount); a sale takes its quantity out at the average cost, and a return
from a customer brings it back at the average cost. AverageCost is the value over the quantity on hand; when nothing is
on hand it stays at the last average (the item's purchase cost before any). Negative quantities are allowed, as
QuickBooks allows them (it warns, then saves). QuantityOnOrder and QuantityOnSalesOrder are what open purchase and
sales orders hold of the item: each open line's quantity less what was received (invoiced) against it.

ASSUMPTIONS:
* Average cost follows the order transactions are entered, not their dates: a change to an earlier purchase does not
  recompute the cost of later sales (QuickBooks recomputes by date). A sale's cost is worked out when it is saved.
* A line without a Quantity moves no stock. The opening quantity and value of an Add are no transaction: the value
  enters the asset account's balance as an account's opening balance does (`handlers.lists`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, select, update

from fakeqb.company.ledger import Posting
from fakeqb.company.lists import STOCK_TYPES
from fakeqb.company.store import list_objects, stock_moves, stock_orders
from fakeqb.qbxml.records import normalise

ZERO = Decimal(0)
CENT = Decimal("0.01")


class Move(NamedTuple):
    item_id: str
    quantity: Decimal  # in is positive
    value: Decimal


_ITEM = select(list_objects).where(list_objects.c.name_space == "item", list_objects.c.list_id == bindparam("item"))


def is_stocked(item: Any) -> bool:
    return item is not None and item.list_type in STOCK_TYPES


def on_hand(conn: Connection, item_id: str) -> tuple[Decimal, Decimal, Decimal]:
    """An item's quantity on hand, inventory value and average cost."""
    item = conn.execute(_ITEM, {"item": item_id}).one()
    return _state(item.data)


def _state(data: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal]:
    quantity = Decimal(data.get("QuantityOnHand") or 0)
    value = Decimal(data.get("TotalValue") or 0)
    last = Decimal(data.get("AverageCost") or data.get("PurchaseCost") or 0)
    return quantity, value, (value / quantity if quantity > 0 else last)


def cost_of(quantity: Decimal, average: Decimal) -> Decimal:
    return (quantity * average).quantize(CENT, ROUND_HALF_UP)


def apply(conn: Connection, txn_id: str, moves: Iterable[Move]) -> None:
    """Record a transaction's moves and bring the items up to date."""
    moves = [m for m in moves if m.quantity or m.value]
    if moves:
        conn.execute(stock_moves.insert(), [dict(txn_id=txn_id, item_id=m.item_id, quantity=m.quantity, value=m.value)
                                            for m in moves])
        _move(conn, moves, 1)


def revert(conn: Connection, txn_id: str) -> None:
    """Undo a transaction's moves (a Mod before it is saved again, a delete, a void)."""
    rows = conn.execute(select(stock_moves).where(stock_moves.c.txn_id == txn_id)).all()
    if rows:
        _move(conn, [Move(r.item_id, Decimal(r.quantity), Decimal(r.value)) for r in rows], -1)
        conn.execute(delete(stock_moves).where(stock_moves.c.txn_id == txn_id))


def _move(conn: Connection, moves: list[Move], direction: int) -> None:
    for item_id, quantity, value in totals(moves, direction):
        item = conn.execute(_ITEM, {"item": item_id}).first()
        if item is not None:
            conn.execute(update(list_objects).where(list_objects.c.id == item.id).values(
                data=moved(item.data, quantity, value)))


def totals(moves: list[Move], direction: int) -> list[tuple[str, Decimal, Decimal]]:
    """What moves move for each item, in the order the items first appear."""
    return [(item_id, direction * sum((m.quantity for m in moves if m.item_id == item_id), ZERO),
             direction * sum((m.value for m in moves if m.item_id == item_id), ZERO))
            for item_id in dict.fromkeys(m.item_id for m in moves)]


def moved(data: dict[str, Any], quantity_change: Decimal, value_change: Decimal) -> dict[str, Any]:
    """An item's stored fields after a move: quantity on hand, inventory value, average cost."""
    data = dict(data)
    quantity, value, average = _state(data)
    quantity += quantity_change
    value += value_change
    if quantity > 0:
        average = value / quantity
    data.update(QuantityOnHand=normalise("quan", str(quantity)), TotalValue=str(value.quantize(CENT)),
                AverageCost=normalise("price", str(average.quantize(Decimal("0.00001"), ROUND_HALF_UP))))
    return data


# -- what lines move ---------------------------------------------------------------------------------------------

ItemOf = Callable[[str], Any]  # an item by ListID: its list_type, list_id and data
DataOf = Callable[[str], dict[str, Any]]  # an item's stored fields as they stand now


def purchase_moves(lines: list[dict[str, Any]], item_of: ItemOf, sign: int) -> list[Move]:
    """The stock item lines bring in (sign 1) or take back out (sign -1): each line's quantity, at its amount (a line
    posting to another account, OverrideItemAccountRef, moves none)."""
    moves = []
    for line in lines:
        item: Any = item_of(line["ItemRef"]["ListID"]) if line.get("ItemRef") else None
        if is_stocked(item) and not line.get("OverrideItemAccountRef"):
            moves.append(Move(item.list_id, sign * Decimal(line.get("Quantity") or 0),
                              sign * Decimal(line.get("Amount") or 0)))
    return moves


def sale_moves(lines: list[dict[str, Any]], item_of: ItemOf, data_of: DataOf,
               sign: int) -> tuple[list[Move], list[Posting]]:
    """The stock sale lines take out (sign 1) or a credit memo's bring back (sign -1), at the average cost, and the
    cost of goods sold they post (debited on a sale, with the inventory asset account credited)."""
    moves: list[Move] = []
    postings: list[Posting] = []
    state: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for line in lines:
        item: Any = item_of(line["ItemRef"]["ListID"]) if line.get("ItemRef") else None
        if not is_stocked(item) or not line.get("Quantity"):
            continue
        quantity, value, average = state.get(item.list_id) or _state(data_of(item.list_id))
        sold = Decimal(line["Quantity"])
        cost = cost_of(sold, average)
        quantity, value = quantity - sign * sold, value - sign * cost
        state[item.list_id] = (quantity, value, value / quantity if quantity > 0 else average)
        moves.append(Move(item.list_id, -sign * sold, -sign * cost))
        cogs, asset = item.data.get("COGSAccountRef"), item.data.get("AssetAccountRef")
        if cogs and asset and cost:
            postings += [Posting(cogs["ListID"], None, sign * cost), Posting(asset["ListID"], None, -sign * cost)]
    return moves, postings


# -- on order: what open purchase and sales orders hold ------------------------------------------------------------

def set_orders(conn: Connection, txn_id: str, txn_type: str, open_lines: Iterable[tuple[str, Decimal]]) -> None:
    """What an order holds open of each item (in place of what it held)."""
    drop_orders(conn, txn_id)
    rows = [dict(txn_id=txn_id, txn_type=txn_type, item_id=item_id, quantity=quantity)
            for item_id, quantity in open_lines if quantity]
    if rows:
        conn.execute(stock_orders.insert(), rows)


def drop_orders(conn: Connection, txn_id: str) -> None:
    conn.execute(delete(stock_orders).where(stock_orders.c.txn_id == txn_id))

