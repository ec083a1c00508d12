"""ItemSitesQuery: the quantities of each inventory part and assembly where it is stocked.

ASSUMPTIONS (no capture): the simulated company does not use multiple inventory sites, so each inventory part or
assembly is stocked in one place, the company as a whole: one ItemSitesRet per item, without InventorySiteRef, its
ListID, times and EditSequence those of the item, its quantities the item's (QuantityOnHand, QuantityOnOrder as
QuantityOnPurchaseOrders, QuantityOnSalesOrder as QuantityOnSalesOrders; nothing pending on builds or transfers), its
ReorderLevel the item's ReorderPoint (an assembly's BuildPoint as AssemblyBuildPoint). A SiteFilter names a site the
company does not have: nothing matches. An ItemTypeFilter other than Inventory, Assembly or InventoryAndAssembly
matches no stocked item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.sql import ColumnElement

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.handlers.iterators import paginate
from fakeqb.company.handlers.list_queries import ListFilter, list_rows
from fakeqb.company.lists import STOCK_TYPES, find, find_by_name, ret_data
from fakeqb.company.store import list_objects
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data

_TYPE_FILTERS = {"Inventory": ("ItemInventory",), "Assembly": ("ItemInventoryAssembly",),
                 "InventoryAndAssembly": STOCK_TYPES}


@dataclass
class SiteFilter(ListFilter):
    """A list filter over stocked items, narrowed to some of them (their ListIDs, or prefixes of their names)."""

    list_ids: tuple[str, ...] | None = None
    name_prefixes: tuple[str, ...] = ()

    def where(self) -> list[ColumnElement[bool]]:
        conds = super().where()
        c = list_objects.c
        if self.list_ids is not None:
            conds.append(c.list_id.in_(self.list_ids))
        for prefix in self.name_prefixes:
            conds.append(c.name_key.startswith(prefix, autoescape=True) | (c.name_key == prefix.rstrip(":")))
        return conds


@handles("ItemSitesQueryRq")
def item_sites(ctx: Context) -> Result:
    el = ctx.request.element
    ids = [e.text or "" for e in el.iterchildren("ListID")]
    types: tuple[str, ...] = STOCK_TYPES
    if (kind := el.findtext("ItemTypeFilter")) is not None:
        types = _TYPE_FILTERS.get(kind, ())
    filt = SiteFilter("item", types, active=el.findtext("ActiveStatus") or "ActiveOnly",
                      list_ids=tuple(ids) if ids else None)
    if (site_filter := el.find("ItemSiteFilter")) is not None:
        if site_filter.find("SiteFilter") is not None:
            filt.types = ()
        if (item_filter := site_filter.find("ItemFilter")) is not None:
            _narrow(ctx, filt, item_filter)
    page = paginate(ctx, filt, list_rows)
    result = Result(attrs=page.attrs)
    result.rets = [("ItemSitesRet", _site(ctx, row)) for row in page.rows]
    if not page.rows and page.empty_is_no_match:
        nm = status.no_match()
        result.status = (nm.code, nm.severity, nm.message)
    return result


def _narrow(ctx: Context, filt: SiteFilter, item_filter: Any) -> None:
    """An ItemFilter: items by ListID or FullName, or an item and its sub-items."""
    ids = [e.text or "" for e in item_filter.iterchildren("ListID")]
    names = [e.text or "" for e in item_filter.iterchildren("FullName")]
    rows = [find(ctx.conn, "item", i) for i in ids] + [find_by_name(ctx.conn, "item", n) for n in names]
    if ids or names:
        filt.list_ids = tuple(r.list_id for r in rows if r is not None)
        return
    top_id, top_name = item_filter.findtext("ListIDWithChildren"), item_filter.findtext("FullNameWithChildren")
    top = find(ctx.conn, "item", top_id) if top_id is not None else find_by_name(ctx.conn, "item", top_name or "")
    filt.name_prefixes = (top.name_key + ":",) if top is not None else ()
    if top is None:
        filt.list_ids = ()


def _site(ctx: Context, row: Any) -> Data:
    item = ret_data(ctx.conn, row, ctx.company.clock.stamp)
    assembly = row.list_type == "ItemInventoryAssembly"
    site: Data = {key: item[key] for key in ("ListID", "TimeCreated", "TimeModified", "EditSequence")}
    site["ItemInventoryAssemblyRef" if assembly else "ItemInventoryRef"] = {"ListID": row.list_id}
    if not assembly and item.get("ReorderPoint"):
        site["ReorderLevel"] = item["ReorderPoint"]
    site.update(QuantityOnHand=item.get("QuantityOnHand", "0"),
                QuantityOnPurchaseOrders=item.get("QuantityOnOrder", "0"),
                QuantityOnSalesOrders=item.get("QuantityOnSalesOrder", "0"),
                QuantityToBeBuiltByPendingBuildTxns="0", QuantityRequiredByPendingBuildTxns="0",
                QuantityOnPendingTransfers="0")
    if assembly and item.get("BuildPoint"):
        site["AssemblyBuildPoint"] = item["BuildPoint"]
    return site
