"""The sync's bookkeeping in the app's database: links (app id <-> QuickBooks ID) and per-type cursors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syncer.app.models import Cursor, Link
from syncer.qbxml.read import parse_moment

PENDING, LINKED = "pending", "linked"


def link_for(s: Session, kind: str, app_id: int) -> Link | None:
    return s.scalar(select(Link).where(Link.kind == kind, Link.app_id == app_id))


def link_by_qb(s: Session, kind: str, qb_id: str) -> Link | None:
    return s.scalar(select(Link).where(Link.kind == kind, Link.qb_id == qb_id))


def links_of(s: Session, kind: str) -> dict[int, Link]:
    """Every link of `kind`, by app id."""
    return {link.app_id: link for link in s.scalars(select(Link).where(Link.kind == kind))}


def pending_links(s: Session, kind: str) -> list[Link]:
    """The links of `kind` whose Add may have been saved without its response being read."""
    return list(s.scalars(select(Link).where(Link.kind == kind, Link.state == PENDING)))


def pending_with_marker(s: Session, kind: str, marker: str | None) -> int | None:
    """The app id of the pending write of `kind` whose marker is `marker`."""
    if marker is None:
        return None
    for link in pending_links(s, kind):
        if same_marker(link.marker, marker):
            return link.app_id
    return None


def qb_id(s: Session, kind: str, app_id: int | None) -> str | None:
    """The QuickBooks ID of a linked app object (None when it is not linked, or not given)."""
    if app_id is None:
        return None
    link = link_for(s, kind, app_id)
    return link.qb_id if link is not None and link.state == LINKED else None


def app_id(s: Session, kind: str, qb: str | None) -> int | None:
    if qb is None:
        return None
    link = link_by_qb(s, kind, qb)
    return link.app_id if link is not None and link.state == LINKED else None


def new_marker() -> str:
    """A marker for a write (an ExternalGUID): "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"."""
    return "{" + str(uuid.uuid4()).upper() + "}"


def same_marker(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip("{} ").upper() == b.strip("{} ").upper()


def mark_pending(s: Session, kind: str, app_object_id: int, marker: str | None = None) -> Link:
    """Record, before an Add is sent, that it is about to be: the next run looks for it before sending it again."""
    link = link_for(s, kind, app_object_id)
    if link is None:
        link = Link(kind=kind, app_id=app_object_id)
        s.add(link)
    link.state = PENDING
    link.marker = marker or link.marker or new_marker()
    link.attempted_at = datetime.now()
    s.flush()
    return link


def set_linked(s: Session, kind: str, app_object_id: int, qb: str, edit_sequence: str,
               base: dict[str, Any] | None = None, line_ids: list[str] | None = None) -> Link:
    link = link_for(s, kind, app_object_id)
    if link is None:
        link = Link(kind=kind, app_id=app_object_id)
        s.add(link)
    link.qb_id, link.edit_sequence, link.state = qb, edit_sequence, LINKED
    link.base = base
    if line_ids is not None:
        link.line_ids = line_ids
    s.flush()
    return link


def forget(s: Session, kind: str, app_object_id: int) -> None:
    """Drop a link (a pending write QuickBooks refused; an object deleted on the other side)."""
    link = link_for(s, kind, app_object_id)
    if link is not None:
        s.delete(link)
        s.flush()


def cursor_since(s: Session, kind: str, overlap: timedelta) -> str | None:
    """The FromModifiedDate for the next read of `kind`: the newest time read, less the overlap."""
    row = s.get(Cursor, kind)
    if row is None:
        return None
    moment = parse_moment(row.value)
    if moment is None:
        return None
    return (moment - overlap).isoformat()


def later(current: str | None, candidate: str | None) -> str | None:
    """The later of two times as QuickBooks wrote them (compared as instants)."""
    if candidate is None:
        return current
    if current is None:
        return candidate
    a, b = parse_moment(current), parse_moment(candidate)
    if a is None or b is None:
        return candidate if a is None else current
    return candidate if _instant(b) > _instant(a) else current


def _instant(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def advance_cursor(s: Session, kind: str, newest: str | None) -> None:
    if newest is None:
        return
    row = s.get(Cursor, kind)
    if row is None:
        s.add(Cursor(kind=kind, value=newest))
    else:
        row.value = later(row.value, newest) or newest
