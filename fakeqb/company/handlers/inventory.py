"""What purchases and sales move in and out of stock, and the cost of goods sold they post (`fakeqb.company.stock`).

A purchase's item line for an inventory part or assembly debits its asset account (`payables.item_line`) and brings
its quantity in at its amount; a return to the vendor (a vendor credit, a credit card credit) takes them out. A sale
(an invoice, a sales receipt) takes the quantity out at the item's average cost: cost of goods sold is debited and the
inventory asset account credited with that cost; a credit memo brings the quantity back at the average cost and
reverses the posting. An item without a COGS or an asset account posts no cost (QuickBooks asks for both).
"""

from __future__ import annotations

from typing import Any

from fakeqb.company import stock
from fakeqb.company.context import Context
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import find
from fakeqb.company.stock import Move
from fakeqb.qbxml.records import Data


def purchase_moves(ctx: Context, data: Data, sign: int) -> list[Move]:
    return stock.purchase_moves(data.get("ItemLineRet", []), lambda list_id: find(ctx.conn, "item", list_id), sign)


def sale_moves(ctx: Context, lines: list[Data], sign: int) -> tuple[list[Move], list[Posting]]:
    def data_of(list_id: str) -> dict[str, Any]:
        item = find(ctx.conn, "item", list_id)
        return dict(item.data) if item is not None else {}

    return stock.sale_moves(lines, lambda list_id: find(ctx.conn, "item", list_id), data_of, sign)
