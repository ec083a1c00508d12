"""Query paging: MaxReturned, metaData, and iterators (Start / Continue / Stop) bound to the session.

As in QuickBooks, an iterator is valid only in the session that started it and only for the same request type; it
ends when its last page has been returned, or (behaviour `iterator_lifetime` "10m") after ten minutes of company time
without a page. ASSUMPTION: the remaining count is recounted for each page, so objects
added during the iteration that sort after the current position are included.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakeqb.company.context import Context
from fakeqb.qbxml import status

Position = tuple[str, int] | None
Fetch = Callable[[Position, int | None], list[Any]]
Count = Callable[[Position], int]
Source = Callable[[Context, Any], tuple[Fetch, Count]]


@dataclass
class Page:
    rows: list[Any]
    attrs: dict[str, str] = field(default_factory=dict)
    empty_is_no_match: bool = True


@dataclass
class IteratorState:
    request_name: str
    filt: Any
    source: Source
    after: Position
    max_returned: int | None
    used_at: int  # company time of its last page (Unix)


LIFETIMES = {"session": None, "10m": 600}  # seconds of company time without a page, by `iterator_lifetime`


def _expired(ctx: Context, state: IteratorState) -> bool:
    lifetime = LIFETIMES[ctx.company.behaviours["iterator_lifetime"]]
    return lifetime is not None and ctx.unix - state.used_at > lifetime


def _position(row: Any) -> Position:
    """Where a row stands: list objects by (sort_key, id), transactions by id alone."""
    return (getattr(row, "sort_key", ""), row.id)


def paginate(ctx: Context, filt: Any, source: Source) -> Page:
    el = ctx.request.element
    mode = el.get("iterator")
    text = el.findtext("MaxReturned")
    max_returned = int(text) if text is not None else None
    if mode is None:
        fetch, count = source(ctx, filt)
        meta = el.get("metaData", "NoMetaData")
        rows = [] if meta == "MetaDataOnly" else fetch(None, max_returned)
        page = Page(rows)
        if meta != "NoMetaData":
            total = count(None)
            page.attrs["retCount"] = str(min(total, max_returned) if max_returned is not None else total)
            page.empty_is_no_match = total == 0
        return page
    if mode == "Start":
        state = IteratorState(ctx.request.name, filt, source, None, max_returned, ctx.unix)
        iterator_id = "{" + str(uuid.uuid4()) + "}"
        ctx.session.iterators[iterator_id] = state
    else:
        iterator_id = el.get("iteratorID") or ""
        found = ctx.session.iterators.get(iterator_id)
        if found is not None and _expired(ctx, found):
            del ctx.session.iterators[iterator_id]
            found = None
        if found is None or found.request_name != ctx.request.name:
            raise status.invalid_iterator(iterator_id)
        state = found
        state.used_at = ctx.unix
        if mode == "Stop":
            del ctx.session.iterators[iterator_id]
            return Page([], {"iteratorRemainingCount": "0", "iteratorID": iterator_id}, empty_is_no_match=False)
        if max_returned is not None:
            state.max_returned = max_returned
    fetch, count = state.source(ctx, state.filt)
    rows = fetch(state.after, state.max_returned)
    if rows:
        state.after = _position(rows[-1])
    remaining = count(state.after) if rows else 0
    if remaining == 0:
        ctx.session.iterators.pop(iterator_id, None)
    return Page(rows, {"iteratorRemainingCount": str(remaining), "iteratorID": iterator_id})
