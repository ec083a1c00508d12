"""The sync's bookkeeping in the app's database: links (app id <-> QuickBooks ID) and per-type cursors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Executable, bindparam, select
from sqlalchemy.orm import Session

from syncer.app.models import Cursor, Link
from syncer.qbxml.read import parse_moment

PENDING, LINKED = "pending", "linked"

# The queries each run makes many times, built once (building a statement costs more than running it here).
_LINKS, _CURSORS = Link.__table__.c, Cursor.__table__.c
_LINK_FOR = select(Link).where(Link.kind == bindparam("kind"), Link.app_id == bindparam("app_id"))
_LINK_BY_QB = select(Link).where(Link.kind == bindparam("kind"), Link.qb_id == bindparam("qb_id"))
_LINKS_OF = select(Link).where(Link.kind == bindparam("kind"))
_PENDING = select(Link).where(Link.kind == bindparam("kind"), Link.state == PENDING)
_LINK_ROWS = select(_LINKS.app_id, _LINKS.qb_id, _LINKS.state, _LINKS.base).where(_LINKS.kind == bindparam("kind"))
_LINK_STATES = select(_LINKS.app_id, _LINKS.state).where(_LINKS.kind == bindparam("kind"))
_LINKED_IDS = select(_LINKS.app_id, _LINKS.qb_id).where(_LINKS.kind == bindparam("kind"), _LINKS.state == LINKED)
_VERSIONS = select(_LINKS.qb_id, _LINKS.edit_sequence, _LINKS.state).where(_LINKS.kind == bindparam("kind"))
_CURSOR = select(_CURSORS.value).where(_CURSORS.kind == bindparam("kind"))


def rows(s: Session, statement: Executable, **params: Any) -> Any:
    """Run a read on the session's connection, without the ORM's per-query cost; what the session has pending is
    flushed first, as an ORM query would."""
    s.flush()
    return s.connection().execute(statement, params)


def link_for(s: Session, kind: str, app_id: int) -> Link | None:
    return s.scalar(_LINK_FOR, {"kind": kind, "app_id": app_id})


def link_by_qb(s: Session, kind: str, qb_id: str) -> Link | None:
    if qb_id is None:
        return s.scalar(select(Link).where(Link.kind == kind, Link.qb_id.is_(None)))
    return s.scalar(_LINK_BY_QB, {"kind": kind, "qb_id": qb_id})


def links_of(s: Session, kind: str) -> dict[int, Link]:
    """Every link of `kind`, by app id."""
    return {link.app_id: link for link in s.scalars(_LINKS_OF, {"kind": kind})}


def link_rows(s: Session, kind: str) -> dict[int, Any]:
    """Every link of `kind`, by app id, as read-only rows (app_id, qb_id, state, base): for scans."""
    return {row.app_id: row for row in rows(s, _LINK_ROWS, kind=kind)}


def link_states(s: Session, kind: str) -> dict[int, str]:
    """The state of every link of `kind`, by app id (the scans that only ask what was sent need no more)."""
    return dict(rows(s, _LINK_STATES, kind=kind).all())


class QbIds:
    """`qb_id` for a scan that writes no links: the QuickBooks IDs of each kind's linked objects, read once."""

    def __init__(self, s: Session):
        self._s = s
        self._kinds: dict[str, dict[int, str | None]] = {}

    def __call__(self, kind: str, app_id: int | None) -> str | None:
        if app_id is None:
            return None
        ids = self._kinds.get(kind)
        if ids is None:
            ids = self._kinds[kind] = dict(rows(self._s, _LINKED_IDS, kind=kind).all())
        return ids.get(app_id)


def known_versions(s: Session, kind: str) -> dict[str | None, str | None]:
    """QuickBooks ID -> EditSequence of the links of `kind` a read can skip an object by: linked, and the only link
    with that ID (what `link_by_qb` would find). A snapshot: an object applied since must be dropped from it."""
    versions: dict[str | None, str | None] = {}
    ambiguous = set()
    for qb, edit_sequence, state in rows(s, _VERSIONS, kind=kind):
        if qb in versions or qb in ambiguous or state != LINKED:
            versions.pop(qb, None)
            ambiguous.add(qb)
        else:
            versions[qb] = edit_sequence
    return versions


def already_read(known: dict[str | None, str | None], qb: str, edit_sequence: str) -> bool:
    """Whether `known` (from `known_versions`) says this version of the object is the one the app has."""
    return qb in known and known[qb] == edit_sequence


def pending_links(s: Session, kind: str) -> list[Link]:
    """The links of `kind` whose Add may have been saved without its response being read."""
    return list(s.scalars(_PENDING, {"kind": kind}))


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
    value = rows(s, _CURSOR, kind=kind).scalar()
    if value is None:
        return None
    moment = parse_moment(value)
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
    current = rows(s, _CURSOR, kind=kind).scalar()
    if current is not None and later(current, newest) == current:
        return  # nothing newer than the cursor
    row = s.get(Cursor, kind)
    if row is None:
        s.add(Cursor(kind=kind, value=newest))
    else:
        row.value = later(row.value, newest) or newest
