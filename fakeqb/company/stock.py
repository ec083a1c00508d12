"""Inventory: what transactions move in and out of stock, and the quantity, value and average cost of each inventory
part and assembly.

An item's QuantityOnHand and inventory value start from its Add (QuantityOnHand, TotalValue) and change by exactly
what transactions move, as balances change by postings: a purchase's item line brings its quantity in at its amount (a
return to the vendor takes it out at its amount); a sale takes its quantity out at the average cost, and a return
from a customer brings it back at the average cost. AverageCost is the value over the quantity on hand; when nothing is
on hand it stays at the last average (the item's purchase cost before any). Negative quantities are allowed, as
QuickBooks allows them (it warns, then saves).

ASSUMPTIONS:
* Average cost follows the order transactions are entered, not their dates: a change to an earlier purchase does not
  recompute the cost of later sales (QuickBooks recomputes by date). A sale's cost is worked out when it is saved.
* A line without a Quantity moves no stock. The opening quantity and value of an Add are not posted (the Inventory
  Asset account shows only what transactions move), as for account opening balances.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, select, update

from fakeqb.company.lists import STOCK_TYPES
from fakeqb.company.store import list_objects, stock_moves
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
    for item_id in dict.fromkeys(m.item_id for m in moves):
        item = conn.execute(_ITEM, {"item": item_id}).first()
        if item is None:
            continue
        data = dict(item.data)
        quantity, value, average = _state(data)
        quantity += direction * sum((m.quantity for m in moves if m.item_id == item_id), ZERO)
        value += direction * sum((m.value for m in moves if m.item_id == item_id), ZERO)
        if quantity > 0:
            average = value / quantity
        data.update(QuantityOnHand=normalise("quan", str(quantity)), TotalValue=str(value.quantize(CENT)),
                    AverageCost=normalise("price", str(average.quantize(Decimal("0.00001"), ROUND_HALF_UP))))
        conn.execute(update(list_objects).where(list_objects.c.id == item.id).values(data=data))
