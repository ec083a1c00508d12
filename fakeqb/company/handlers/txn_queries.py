"""Transaction queries: by TxnID or RefNumber, or by filter with MaxReturned, iterators and metaData.

Transactions are returned in the order they were entered. Lines are left out unless IncludeLineItems is true, linked
transactions unless IncludeLinkedTxns is true.

ASSUMPTIONS:
* RefNumber (the list and RefNumberFilter) compares case-insensitively, RefNumberCaseSensitive exactly;
  RefNumberRangeFilter compares as numbers when both bounds and the RefNumber are digits, else as text (case-folded),
  inclusive at both ends, as Intuit describes it.
* AccountFilter matches the transactions that post to the account (a voided one still does, with zero); EntityFilter
  matches the name the transaction is with (for a journal entry, the names on its lines).
* DateMacro weeks start on Sunday; the fiscal year starts in the company's FirstMonthFiscalYear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.sql import ColumnElement

from fakeqb.company.context import Context, Result
from fakeqb.company.handlers.iterators import paginate
from fakeqb.company.handlers.list_queries import time_bound
from fakeqb.company.handlers.transactions import TXN_TYPES, RetOptions, TxnType, find_txn, read_links_ahead, ret_item
from fakeqb.company.lists import find, find_by_name, name_key
from fakeqb.company.settings import read_setting
from fakeqb.company.store import list_objects, postings, transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.values import parse_bool, whole_number

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass
class TxnFilter:
    """The filter of a transaction query, kept with an iterator between pages."""

    kind: TxnType
    options: RetOptions
    from_modified: int | None = None
    to_modified: int | None = None
    from_date: str | None = None
    to_date: str | None = None
    entity_ids: tuple[str, ...] | None = None
    account_ids: tuple[str, ...] | None = None
    ref_match: tuple[str, str] | None = None
    ref_range: tuple[str | None, str | None] | None = None
    paid: str = "All"

    def where(self) -> list[ColumnElement[bool]]:
        c = transactions.c
        conds: list[ColumnElement[bool]] = [c.txn_type == self.kind.name]
        if self.from_modified is not None:
            conds.append(c.time_modified >= self.from_modified)
        if self.to_modified is not None:
            conds.append(c.time_modified <= self.to_modified)
        if self.from_date is not None:
            conds.append(c.txn_date >= self.from_date)
        if self.to_date is not None:
            conds.append(c.txn_date <= self.to_date)
        if self.entity_ids is not None:
            if self.kind.entity_in_lines:
                conds.append(exists().where(postings.c.txn_id == c.txn_id, postings.c.entity_id.in_(self.entity_ids)))
            else:
                conds.append(c.entity_id.in_(self.entity_ids))
        if self.account_ids is not None:
            conds.append(exists().where(postings.c.txn_id == c.txn_id, postings.c.account_id.in_(self.account_ids)))
        if self.ref_match is not None:
            criterion, key = self.ref_match
            if criterion == "StartsWith":
                conds.append(c.ref_key.startswith(key, autoescape=True))
            elif criterion == "Contains":
                conds.append(c.ref_key.contains(key, autoescape=True))
            else:
                conds.append(c.ref_key.endswith(key, autoescape=True))
        if self.paid == "PaidOnly":
            conds.append(c.open_amount == 0)
        elif self.paid == "NotPaidOnly":
            conds.append(c.open_amount != 0)
        return conds

    def keep(self, row: Any) -> bool:
        if self.ref_range is None:
            return True
        return in_ref_range(row.ref_number or "", *self.ref_range)


def in_ref_range(ref: str, low: str | None, high: str | None) -> bool:
    """Whether a RefNumber is within a range: compared as numbers when all three are whole numbers, else as text."""
    given = [x for x in (ref, low, high) if x is not None]
    key: Callable[[str], Any] = whole_number if all(whole_number(x) is not None for x in given) else str.casefold
    value = key(ref)
    return (low is None or value >= key(low)) and (high is None or value <= key(high))


def query(ctx: Context) -> Result:
    el = ctx.request.element
    kind = TXN_TYPES[ctx.request.name.removesuffix("QueryRq")]
    options = RetOptions(lines=parse_bool(el.findtext("IncludeLineItems") or "false"),
                         linked=parse_bool(el.findtext("IncludeLinkedTxns") or "false"))
    for tag in ("TxnID", "RefNumberCaseSensitive", "RefNumber"):
        values = [e.text or "" for e in el.findall(tag)]
        if values:
            return _by_identity(ctx, kind, tag, values, options)
    filt = _filter(ctx, kind, options)
    page = paginate(ctx, filt, _rows)
    if options.linked and page.rows:
        read_links_ahead(ctx, [row.txn_id for row in page.rows])
    result = Result(attrs=page.attrs, rets=[ret_item(ctx, row, options) for row in page.rows])
    if not page.rows and page.empty_is_no_match:
        nm = status.no_match()
        result.status = (nm.code, nm.severity, nm.message)
    return result


def _by_identity(ctx: Context, kind: TxnType, tag: str, values: list[str], options: RetOptions) -> Result:
    result, missing = Result(), []
    c = transactions.c
    for value in values:
        if tag == "TxnID":
            row = find_txn(ctx.conn, value)
            rows = [row] if row is not None and row.txn_type == kind.name else []
        else:
            match = c.ref_number == value if tag == "RefNumberCaseSensitive" else c.ref_key == value.casefold()
            rows = list(ctx.conn.execute(select(transactions).where(c.txn_type == kind.name, match).order_by(c.id)))
        if not rows:
            missing.append(value)
        result.rets += [ret_item(ctx, row, options) for row in rows]
    if missing:
        warning = status.not_found_warning(missing[0])
        result.status = (warning.code, warning.severity, warning.message)
    return result


def _filter(ctx: Context, kind: TxnType, options: RetOptions) -> TxnFilter:
    el = ctx.request.element
    tz = ctx.company.clock.tz
    filt = TxnFilter(kind, options, paid=el.findtext("PaidStatus") or "All")
    if (text := el.findtext("ModifiedDateRangeFilter/FromModifiedDate")) is not None:
        filt.from_modified = time_bound(ctx, text, "FromModifiedDate", tz, end=False)
    if (text := el.findtext("ModifiedDateRangeFilter/ToModifiedDate")) is not None:
        filt.to_modified = time_bound(ctx, text, "ToModifiedDate", tz, end=True)
    if (dr := el.find("TxnDateRangeFilter")) is not None:
        macro = dr.findtext("DateMacro")
        if macro is not None:
            filt.from_date, filt.to_date = date_macro(ctx, macro)
        else:
            filt.from_date, filt.to_date = dr.findtext("FromTxnDate"), dr.findtext("ToTxnDate")
    if (ef := el.find("EntityFilter")) is not None:
        filt.entity_ids = list_ids(ctx, ef, "name")
    if (af := el.find("AccountFilter")) is not None:
        filt.account_ids = list_ids(ctx, af, "Account")
    if (rf := el.find("RefNumberFilter")) is not None:
        filt.ref_match = (rf.findtext("MatchCriterion") or "", (rf.findtext("RefNumber") or "").casefold())
    if (rr := el.find("RefNumberRangeFilter")) is not None:
        filt.ref_range = (rr.findtext("FromRefNumber"), rr.findtext("ToRefNumber"))
    if el.find("CurrencyFilter") is not None:
        raise status.not_supported()  # ASSUMPTION (as for lists): multi-currency is off in the simulated company
    return filt


def list_ids(ctx: Context, el: Any, space: str) -> tuple[str, ...]:
    """The ListIDs an EntityFilter or AccountFilter names (with their descendants for the ...WithChildren forms)."""
    found = [find(ctx.conn, space, e.text or "") for e in el.findall("ListID")]
    found += [find_by_name(ctx.conn, space, e.text or "") for e in el.findall("FullName")]
    for tag in ("ListIDWithChildren", "FullNameWithChildren"):
        if (text := el.findtext(tag)) is not None:
            top = find(ctx.conn, space, text) if tag.startswith("ListID") else find_by_name(ctx.conn, space, text)
            if top is not None:
                found.append(top)
                found += ctx.conn.execute(select(list_objects).where(
                    list_objects.c.name_space == space,
                    list_objects.c.name_key.startswith(name_key(top.full_name) + ":", autoescape=True))).all()
    return tuple(r.list_id for r in found if r is not None)


def _rows(ctx: Context, filt: TxnFilter) -> Any:
    """Matching transactions in the order they were entered, after an iterator position, and their count."""
    c = transactions.c

    def fetch(after: tuple[str, int] | None, limit: int | None) -> list[Any]:
        stmt = select(transactions).where(*filt.where())
        if after is not None:
            stmt = stmt.where(c.id > after[1])
        stmt = stmt.order_by(c.id)
        if filt.ref_range is None:
            return list(ctx.conn.execute(stmt.limit(limit) if limit is not None else stmt).all())
        out = []
        for row in ctx.conn.execute(stmt.execution_options(yield_per=500)):
            if filt.keep(row):
                out.append(row)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def count(after: tuple[str, int] | None) -> int:
        if filt.ref_range is not None:
            return len(fetch(after, None))
        stmt = select(func.count()).select_from(transactions).where(*filt.where())
        if after is not None:
            stmt = stmt.where(c.id > after[1])
        return int(ctx.conn.execute(stmt).scalar() or 0)

    return fetch, count


def date_macro(ctx: Context, macro: str) -> tuple[str | None, str | None]:
    """The TxnDate range a DateMacro stands for, in company time (None: open-ended)."""
    day = ctx.now.date()
    first_month = _MONTHS.index(read_setting(ctx.conn, "company").get("FirstMonthFiscalYear", "January")) + 1
    week = day - timedelta(days=(day.weekday() + 1) % 7)
    month = day.replace(day=1)
    quarter = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    fiscal_year = day.replace(month=first_month, day=1)
    if fiscal_year > day:
        fiscal_year = _add_months(fiscal_year, -12)
    fiscal_quarter = _add_months(fiscal_year, (_months_between(fiscal_year, month) // 3) * 3)
    year = day.replace(month=1, day=1)
    periods: dict[str, tuple[date, int, str]] = {  # start of the current period, its length, its unit
        "Week": (week, 7, "days"), "Month": (month, 1, "months"), "CalendarQuarter": (quarter, 3, "months"),
        "FiscalQuarter": (fiscal_quarter, 3, "months"), "CalendarYear": (year, 12, "months"),
        "FiscalYear": (fiscal_year, 12, "months"),
    }

    def shift(start: date, length: int, unit: str, n: int) -> date:
        return start + timedelta(days=length * n) if unit == "days" else _add_months(start, length * n)

    def span(name: str, n: int = 0, to_date: bool = False) -> tuple[date, date]:
        start, length, unit = periods[name]
        begin = shift(start, length, unit, n)
        end = shift(start, length, unit, n + 1) - timedelta(days=1)
        return begin, (min(end, day if n == 0 else shift(day, length, unit, n)) if to_date else end)

    if macro == "All":
        return None, None
    if macro == "Today":
        low, high = day, day
    elif macro == "Yesterday":
        low = high = day - timedelta(days=1)
    elif macro == "NextFourWeeks":
        low, high = day, day + timedelta(days=27)
    else:
        to_date = macro.endswith("ToDate")
        name = macro.removesuffix("ToDate")
        n = 0
        for prefix, offset in (("This", 0), ("Last", -1), ("Next", 1)):
            if name.startswith(prefix):
                name, n = name[len(prefix):], offset
        low, high = span(name, n, to_date)
    return low.isoformat(), high.isoformat()


def _add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
