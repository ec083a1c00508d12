"""List queries: by ListID or FullName, or by filter with MaxReturned, iterators and metaData.

ASSUMPTION: NameRangeFilter is inclusive at both ends and compares FullNames case-insensitively in listing order (each
parent directly before its sub-elements), so a range is a contiguous slice of the list as QuickBooks shows it; ToName
"Jones" does not include "Jones:Kitchen" (it sorts after "Jones"), nor "Jonesboro". A price level query's ItemRef
keeps the levels with a price for that item; one naming no item matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import cast, func, or_, select
from sqlalchemy.sql import ColumnElement

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.handlers.iterators import Page, paginate
from fakeqb.company.handlers.lists import ret_item
from fakeqb.company.lists import (
    LIST_TYPES,
    MIXED_QUERIES,
    PageTotals,
    find,
    find_by_name,
    hierarchy_key,
    name_key,
    total_balance,
)
from fakeqb.company.store import ORDERED_TEXT, list_objects
from fakeqb.qbxml import status
from fakeqb.qbxml.values import parse_datetime


@dataclass
class ListFilter:
    """The filter of a list query, kept with an iterator between pages."""

    name_space: str
    types: tuple[str, ...]
    active: str = "ActiveOnly"
    from_modified: int | None = None
    to_modified: int | None = None
    name_match: tuple[str, str] | None = None  # (criterion, text)
    name_range: tuple[str | None, str | None] = (None, None)
    account_types: tuple[str, ...] = ()
    balance: tuple[str, Decimal] | None = None
    class_ids: tuple[str, ...] | None = None
    priced_item: str | None = None  # a price level query's ItemRef: the levels that price this item
    owners: list[str] = field(default_factory=list)

    def where(self) -> list[ColumnElement[bool]]:
        c = list_objects.c
        conds: list[ColumnElement[bool]] = [c.name_space == self.name_space, c.list_type.in_(self.types)]
        if self.active != "All":
            conds.append(c.is_active.is_(self.active == "ActiveOnly"))
        if self.from_modified is not None:
            conds.append(c.time_modified >= self.from_modified)
        if self.to_modified is not None:
            conds.append(c.time_modified <= self.to_modified)
        if self.name_match is not None:
            criterion, text = self.name_match
            key = name_key(text)
            if criterion == "StartsWith":
                conds.append(c.name_key.startswith(key, autoescape=True))
            elif criterion == "Contains":
                conds.append(c.name_key.contains(key, autoescape=True))
            else:
                conds.append(c.name_key.endswith(key, autoescape=True))
        low, high = self.name_range
        if low is not None or high is not None:
            ordered = cast(func.replace(c.name_key, ":", "\x01"), ORDERED_TEXT)  # hierarchy_key, in SQL
            if low is not None:
                conds.append(ordered >= hierarchy_key(low))
            if high is not None:
                conds.append(ordered <= hierarchy_key(high))
        return conds

    def keep(self, ctx: Context, row: Any) -> bool:
        """Conditions on fields kept in the object's JSON, checked row by row."""
        if self.account_types and row.data.get("AccountType") not in self.account_types:
            return False
        if self.class_ids is not None and (row.data.get("ClassRef") or {}).get("ListID") not in self.class_ids:
            return False
        if self.priced_item is not None and not any(
                p["ItemRef"]["ListID"] == self.priced_item for p in row.data.get("PriceLevelPerItemRet", [])):
            return False
        if self.balance is not None:
            op, amount = self.balance
            value = total_balance(ctx.conn, row) if row.list_type == "Customer" else Decimal(row.balance)
            return {"LessThan": value < amount, "LessThanEqual": value <= amount, "Equal": value == amount,
                    "GreaterThan": value > amount, "GreaterThanEqual": value >= amount}[op]
        return True

    @property
    def filters_rows(self) -> bool:
        return (bool(self.account_types) or self.class_ids is not None or self.balance is not None
                or self.priced_item is not None)


@handles(*(f"{name}QueryRq" for name, lt in LIST_TYPES.items() if "Query" in lt.requests),
         *(f"{name}QueryRq" for name in MIXED_QUERIES))
def query(ctx: Context) -> Result:
    el = ctx.request.element
    name = ctx.request.name.removesuffix("QueryRq")
    types = MIXED_QUERIES.get(name) or (name,)
    space = LIST_TYPES[types[0]].name_space
    owners = [o.text or "" for o in el.iterchildren("OwnerID")]  # iterchildren: findall's paths cost more
    ids = [e.text or "" for e in el.iterchildren("ListID")]
    names = [e.text or "" for e in el.iterchildren("FullName")]
    if ids or names:
        return _by_identity(ctx, space, types, ids, names, owners)
    filt = _list_filter(ctx, space, types, owners)
    page = paginate(ctx, filt, list_rows)
    return _page_result(ctx, page, filt.owners)


def _by_identity(ctx: Context, space: str, types: tuple[str, ...], ids: list[str], names: list[str],
                 owners: list[str]) -> Result:
    result = Result()
    missing: list[str] = []
    for value in ids or names:
        row = find(ctx.conn, space, value) if ids else find_by_name(ctx.conn, space, value)
        if row is None or row.list_type not in types:
            missing.append(value)
        else:
            result.rets.append(ret_item(ctx, row, owners))
    if missing:
        warning = status.not_found_warning(missing[0])
        result.status = (warning.code, warning.severity, warning.message)
    return result


def _list_filter(ctx: Context, space: str, types: tuple[str, ...], owners: list[str]) -> ListFilter:
    el = ctx.request.element
    tz = ctx.company.clock.tz
    filt = ListFilter(space, types, owners=owners)
    filt.active = el.findtext("ActiveStatus") or "ActiveOnly"
    if (text := el.findtext("FromModifiedDate")) is not None:
        filt.from_modified = time_bound(ctx, text, "FromModifiedDate", tz, end=False)
    if (text := el.findtext("ToModifiedDate")) is not None:
        filt.to_modified = time_bound(ctx, text, "ToModifiedDate", tz, end=True)
    if (nf := el.find("NameFilter")) is not None:
        filt.name_match = (nf.findtext("MatchCriterion") or "", nf.findtext("Name") or "")
    if (nr := el.find("NameRangeFilter")) is not None:
        filt.name_range = (nr.findtext("FromName"), nr.findtext("ToName"))
    filt.account_types = tuple(e.text or "" for e in el.findall("AccountType"))
    if (tb := el.find("TotalBalanceFilter")) is not None:
        filt.balance = (tb.findtext("Operator") or "", Decimal(tb.findtext("Amount") or "0"))
    if (cf := el.find("ClassFilter")) is not None:
        filt.class_ids = _class_filter(ctx, cf)
    if (item := el.find("ItemRef")) is not None:
        ref = {tag: item.findtext(tag) for tag in ("ListID", "FullName") if item.findtext(tag) is not None}
        found = find(ctx.conn, "item", ref["ListID"]) if "ListID" in ref else \
            find_by_name(ctx.conn, "item", ref.get("FullName", ""))
        filt.priced_item = found.list_id if found is not None else ""
    if el.find("CurrencyFilter") is not None:
        raise status.not_supported()  # ASSUMPTION: multi-currency is off in the simulated company
    return filt


def time_bound(ctx: Context, text: str, field_name: str, tz: Any, end: bool) -> int:
    """A modified-date bound: date-only means the day's start (From) or end (To), in company time."""
    try:
        return int(parse_datetime(text, tz, end_of_day=end).timestamp())
    except ValueError:
        raise status.invalid_date(text, field_name) from None


def _class_filter(ctx: Context, cf: Any) -> tuple[str, ...]:
    ids = [e.text or "" for e in cf.findall("ListID")]
    names = [e.text or "" for e in cf.findall("FullName")]
    rows = [find(ctx.conn, "Class", i) for i in ids] + [find_by_name(ctx.conn, "Class", n) for n in names]
    found = [r for r in rows if r is not None]
    for tag in ("ListIDWithChildren", "FullNameWithChildren"):
        if (text := cf.findtext(tag)) is not None:
            top = find(ctx.conn, "Class", text) if tag.startswith("ListID") else find_by_name(ctx.conn, "Class", text)
            if top is not None:
                found.append(top)
                found += ctx.conn.execute(select(list_objects).where(
                    list_objects.c.name_space == "Class",
                    list_objects.c.name_key.startswith(top.name_key + ":", autoescape=True))).all()
    return tuple(r.list_id for r in found)


def list_rows(ctx: Context, filt: ListFilter) -> Any:
    """A function giving matching rows in listing order after an iterator position, and their count."""
    c = list_objects.c

    def fetch(after: tuple[str, int] | None, limit: int | None) -> list[Any]:
        stmt = select(list_objects).where(*filt.where())
        if after is not None:
            stmt = stmt.where(or_(c.sort_key > after[0], (c.sort_key == after[0]) & (c.id > after[1])))
        stmt = stmt.order_by(c.sort_key, c.id)
        if not filt.filters_rows:
            return list(ctx.conn.execute(stmt.limit(limit) if limit is not None else stmt).all())
        out = []
        for row in ctx.conn.execute(stmt.execution_options(yield_per=500)):
            if filt.keep(ctx, row):
                out.append(row)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def count(after: tuple[str, int] | None) -> int:
        if filt.filters_rows:
            return len(fetch(after, None))
        stmt = select(func.count()).select_from(list_objects).where(*filt.where())
        if after is not None:
            stmt = stmt.where(or_(c.sort_key > after[0], (c.sort_key == after[0]) & (c.id > after[1])))
        return int(ctx.conn.execute(stmt).scalar() or 0)

    return fetch, count


def _page_result(ctx: Context, page: Page, owners: list[str]) -> Result:
    result = Result(attrs=page.attrs)
    totals = PageTotals(ctx.conn, page.rows)
    result.rets = [ret_item(ctx, row, owners, totals) for row in page.rows]
    if not page.rows and page.empty_is_no_match:
        nm = status.no_match()
        result.status = (nm.code, nm.severity, nm.message)
    return result


