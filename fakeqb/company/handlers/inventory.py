"""What purchases and sales move in and out of stock (`fakeqb.company.stock`), and the cost of goods sold they post.

A purchase's item line for an inventory part or assembly debits its asset account (`payables.item_line`) and brings
its quantity in at its amount; a return to the vendor (a vendor credit, a credit card credit) takes them out. A sale
(an invoice, a sales receipt) takes the quantity out at the item's average cost: cost of goods sold is debited and the
inventory asset account credited with that cost; a credit memo brings the quantity back at the average cost and
reverses the posting. An item without a COGS or an asset account posts no cost (QuickBooks asks for both).
"""

from __future__ import annotations

from decimal import Decimal

from fakeqb.company import stock
from fakeqb.company.context import Context
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import find
from fakeqb.company.stock import Move
from fakeqb.qbxml.records import Data

ZERO = Decimal(0)


def purchase_moves(ctx: Context, data: Data, sign: int) -> list[Move]:
    """The stock an item line brings in (sign 1) or takes back out (sign -1): its quantity, at its amount."""
    moves = []
    for line in data.get("ItemLineRet", []):
        item = find(ctx.conn, "item", line["ItemRef"]["ListID"]) if line.get("ItemRef") else None
        if stock.is_stocked(item) and not line.get("OverrideItemAccountRef"):
            assert item is not None
            moves.append(Move(item.list_id, sign * Decimal(line.get("Quantity") or 0),
                              sign * Decimal(line.get("Amount") or 0)))
    return moves


def sale_moves(ctx: Context, lines: list[Data], sign: int) -> tuple[list[Move], list[Posting]]:
    """The stock sale lines take out (sign 1) or a credit memo's bring back (sign -1), at the average cost, and the
    cost of goods sold they post."""
    moves: list[Move] = []
    postings: list[Posting] = []
    state: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for line in lines:
        item = find(ctx.conn, "item", line["ItemRef"]["ListID"]) if line.get("ItemRef") else None
        if not stock.is_stocked(item) or not line.get("Quantity"):
            continue
        assert item is not None
        quantity, value, average = state.get(item.list_id) or stock.on_hand(ctx.conn, item.list_id)
        sold = Decimal(line["Quantity"])
        cost = stock.cost_of(sold, average)
        quantity, value = quantity - sign * sold, value - sign * cost
        state[item.list_id] = (quantity, value, value / quantity if quantity > 0 else average)
        moves.append(Move(item.list_id, -sign * sold, -sign * cost))
        cogs, asset = item.data.get("COGSAccountRef"), item.data.get("AssetAccountRef")
        if cogs and asset and cost:
            postings += [Posting(cogs["ListID"], None, sign * cost), Posting(asset["ListID"], None, -sign * cost)]
    return moves, postings
