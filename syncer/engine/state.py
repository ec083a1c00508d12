"""The sync's bookkeeping in the app's database: links (app id <-> QuickBooks ID) and per-type cursors.

Reads that a run makes for many objects at once go by batch, one query for the QuickBooks objects of a page or the
app objects of a batch (`links_by_qb`, `Refs`), never one query per object and never a whole table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Executable, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from syncer.app.models import Cursor, Link
from syncer.qbxml.read import parse_moment

PENDING, LINKED = "pending", "linked"

# The queries each run makes many times, built once (building a statement costs more than running it here).
_LINKS, _CURSORS = Link.__table__.c, Cursor.__table__.c
_LINK_FOR = select(Link).where(Link.kind == bindparam("kind"), Link.app_id == bindparam("app_id"))
_LINK_BY_QB = select(Link).where(Link.kind == bindparam("kind"), Link.qb_id == bindparam("qb_id"))
_LINKS_BY_QB = select(Link).where(Link.kind == bindparam("kind"), Link.qb_id.in_(bindparam("ids", expanding=True))) \
    .order_by(Link.id)
_LINKS_FOR = select(Link).where(Link.kind == bindparam("kind"), Link.app_id.in_(bindparam("ids", expanding=True)))
_PENDING_MARKERS = select(_LINKS.marker, _LINKS.app_id).where(_LINKS.kind == bindparam("kind"),
                                                              _LINKS.state == PENDING)
# By (kind, app id) and (kind, QuickBooks ID) only: with the state in the condition, SQLite may take the index on
# (kind, state) instead, and read every link of the kind.
_QB_IDS = select(_LINKS.app_id, _LINKS.qb_id, _LINKS.state).where(
    _LINKS.kind == bindparam("kind"), _LINKS.app_id.in_(bindparam("ids", expanding=True)))
_APP_IDS = select(_LINKS.qb_id, _LINKS.app_id, _LINKS.state, _LINKS.id).where(
    _LINKS.kind == bindparam("kind"), _LINKS.qb_id.in_(bindparam("ids", expanding=True)))
_CURSOR = select(_CURSORS.value).where(_CURSORS.kind == bindparam("kind"))
_LINK_TABLE: Table = Link.__table__  # type: ignore[assignment]
_INSERT_LINK = insert(_LINK_TABLE)


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


def links_by_qb(s: Session, kind: str, qb_ids: Iterable[str]) -> dict[str, Link]:
    """The links of `kind` to these QuickBooks IDs, in one query (the first made, where an ID has two)."""
    found: dict[str, Link] = {}
    wanted = list(set(qb_ids))
    if wanted:
        for link in s.scalars(_LINKS_BY_QB, {"kind": kind, "ids": wanted}):
            found.setdefault(link.qb_id or "", link)
    return found


def links_for(s: Session, kind: str, app_ids: Iterable[int]) -> dict[int, Link]:
    """The links of these app objects of `kind`, by app id, in one query."""
    wanted = list(set(app_ids))
    return {link.app_id: link for link in s.scalars(_LINKS_FOR, {"kind": kind, "ids": wanted})} if wanted else {}


class Refs:
    """QuickBooks IDs of linked app objects and app ids of linked QuickBooks objects, by kind: read in one query for
    the ids a batch names (`load_qb`, `load_app`), or one by one, and kept for the batch (a link it makes is told with
    `linked`)."""

    def __init__(self, s: Session):
        self._s = s
        self._qb: dict[str, dict[int, str | None]] = {}
        self._app: dict[str, dict[str, int | None]] = {}

    def load_qb(self, kind: str, app_ids: Iterable[int | None]) -> None:
        known = self._qb.setdefault(kind, {})
        wanted = {i for i in app_ids if i is not None and i not in known}
        if wanted:
            found = {app: qb for app, qb, state in rows(self._s, _QB_IDS, kind=kind, ids=list(wanted))
                     if state == LINKED}
            known.update({i: found.get(i) for i in wanted})

    def load_app(self, kind: str, qb_ids: Iterable[str | None]) -> None:
        known = self._app.setdefault(kind, {})
        wanted = {i for i in qb_ids if i is not None and i not in known}
        if wanted:
            oldest: dict[str, tuple[int, int, str]] = {}  # the link `link_by_qb` finds, where an ID has two
            for qb, app, state, link_id in rows(self._s, _APP_IDS, kind=kind, ids=list(wanted)):
                if qb not in oldest or link_id < oldest[qb][0]:
                    oldest[qb] = (link_id, app, state)
            known.update({i: oldest[i][1] if i in oldest and oldest[i][2] == LINKED else None for i in wanted})

    def qb(self, kind: str, app_id: int | None) -> str | None:
        """The QuickBooks ID of a linked app object (None when it is not linked, or not given)."""
        if app_id is None:
            return None
        known = self._qb.get(kind)
        if known is None or app_id not in known:
            self.load_qb(kind, (app_id,))
            known = self._qb[kind]
        return known[app_id]

    def app(self, kind: str, qb_id: str | None) -> int | None:
        """The app id of a linked QuickBooks object (None when it is not linked, or not given)."""
        if qb_id is None:
            return None
        known = self._app.get(kind)
        if known is None or qb_id not in known:
            self.load_app(kind, (qb_id,))
            known = self._app[kind]
        return known[qb_id]

    def linked(self, kind: str, app_id: int, qb_id: str) -> None:
        self._qb.setdefault(kind, {})[app_id] = qb_id
        self._app.setdefault(kind, {})[qb_id] = app_id


def refs_of(s: Session) -> Refs:
    """The `Refs` of a session that builds one object's request: made on first use, gone with the session."""
    refs = s.info.get("refs")
    if refs is None:
        refs = s.info["refs"] = Refs(s)
    return refs  # type: ignore[no-any-return]


@dataclass(eq=False)
class NewRow:
    """An app object a page creates, inserted with the others of its table (`Inserts`): its columns, the rows of its
    lines, and its id once inserted."""

    model: type[Any]
    values: dict[str, Any]
    lines: tuple[type[Any], str, list[dict[str, Any]]] | None = None  # (line model, its foreign key, line rows)
    parent: NewRow | None = None  # a new object it is under (inserted first; its id is the row's parent_id)
    id: int | None = None

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


class Inserts:
    """The app objects a page creates, inserted together when the page is done (or when one's id is needed first):
    one INSERT per table and level, instead of the ORM's work for each object."""

    def __init__(self, s: Session):
        self.s = s
        self.rows: list[NewRow] = []

    def add(self, model: type[Any], values: dict[str, Any], lines: tuple[type[Any], str, list[dict[str, Any]]] | None
            = None, parent: NewRow | None = None) -> NewRow:
        row = NewRow(model, values, lines, parent)
        self.rows.append(row)
        return row

    def write(self) -> None:
        todo, self.rows = self.rows, []
        if not todo:
            return
        self.s.flush()
        groups: dict[tuple[int, type[Any], tuple[str, ...]], list[NewRow]] = {}
        for row in todo:
            if row.parent is not None:
                row.values["parent_id"] = None
            groups.setdefault((row.depth, row.model, tuple(sorted(row.values))), []).append(row)
        connection = self.s.connection()
        for (_, model, _), group in sorted(groups.items(), key=lambda item: item[0][0]):
            for row in group:
                if row.parent is not None:
                    row.values["parent_id"] = row.parent.id
            for row, new_id in zip(group, _insert(connection, model.__table__, [r.values for r in group]),
                                   strict=True):
                row.id = new_id
        lines: dict[type[Any], list[dict[str, Any]]] = {}
        for row in todo:
            if row.lines is not None:
                line_model, key, rows_of_lines = row.lines
                for line in rows_of_lines:
                    line[key] = row.id
                lines.setdefault(line_model, []).extend(rows_of_lines)
        for line_model, line_rows in lines.items():
            if line_rows:
                connection.execute(insert(line_model.__table__), line_rows)


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows; their ids, in order.

    On SQLite the rows are inserted with executemany and their ids are the largest in the table: each new row's id is
    one more than the largest (SQLite's rowid rule while ids are below 2**63), and no other connection can write
    until the transaction ends. Elsewhere the ids come back with RETURNING, in the rows' order.
    """
    if connection.dialect.name == "sqlite":
        connection.execute(insert(table), rows)
        newest = connection.execute(select(table.c.id).order_by(table.c.id.desc()).limit(len(rows))).scalars().all()
        return list(reversed(newest))
    return list(connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                   rows).scalars().all())


@dataclass
class NewLink:
    """A link made while a page is applied, written with the page's others (`PageLinks.write`)."""

    obj: Any  # the app object, or the `NewRow` of one the page creates (its id is known once inserted)
    qb_id: str
    edit_sequence: str
    base: dict[str, Any] | None = None
    line_ids: list[str] | None = None
    state: str = LINKED

    @property
    def app_id(self) -> int | None:
        return self.obj.id  # type: ignore[no-any-return]


@dataclass
class PageLinks:
    """The links of one kind that a page of QuickBooks objects needs, read in one query (`by_qb`); the objects and
    links the page makes are inserted together when it is done (`write`)."""

    s: Session
    kind: str
    by_qb: dict[str, Any]
    new: list[NewLink] = field(default_factory=list)
    inserts: Inserts = field(init=False)

    def __post_init__(self) -> None:
        self.inserts = Inserts(self.s)

    def get(self, qb_id: str) -> Any:
        """The link (a `Link` or a `NewLink`) to a QuickBooks object, None if none."""
        return self.by_qb.get(qb_id)

    def link(self, obj: Any, qb_id: str, edit_sequence: str, base: dict[str, Any] | None = None,
             line_ids: list[str] | None = None, link: Link | None = None) -> None:
        """Link `obj` to a QuickBooks object: `link` (the object's link, if it has one) is updated, or a new one is
        made."""
        if link is not None:
            link.qb_id, link.edit_sequence, link.state, link.base = qb_id, edit_sequence, LINKED, base
            if line_ids is not None:
                link.line_ids = line_ids
            self.by_qb[qb_id] = link
            return
        new = NewLink(obj, qb_id, edit_sequence, base, line_ids)
        self.new.append(new)
        self.by_qb[qb_id] = new

    def write(self) -> None:
        """Insert the page's new app objects and flush its changes, then insert the links it made."""
        self.inserts.write()
        self.s.flush()
        if self.new:
            self.s.connection().execute(_INSERT_LINK, [
                {"kind": self.kind, "app_id": n.obj.id, "qb_id": n.qb_id, "edit_sequence": n.edit_sequence,
                 "state": LINKED, "marker": None, "base": n.base, "line_ids": n.line_ids, "attempted_at": None}
                for n in self.new])
            self.new = []


class Markers:
    """The markers of the pending writes of a kind, read once when first asked for (pending links are few: writes
    whose response was lost)."""

    def __init__(self, s: Session, kind: str):
        self._s, self._kind = s, kind
        self._markers: dict[str, int] | None = None

    def app_id(self, marker: str | None) -> int | None:
        """The app id of the pending write whose marker is `marker`."""
        if marker is None:
            return None
        if self._markers is None:
            self._markers = {_canonical(m): app for m, app in rows(self._s, _PENDING_MARKERS, kind=self._kind)
                             if m is not None}
        return self._markers.get(_canonical(marker))

    def adopted(self, marker: str) -> None:
        if self._markers is not None:
            self._markers.pop(_canonical(marker), None)








def new_marker() -> str:
    """A marker for a write (an ExternalGUID): "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"."""
    return "{" + str(uuid.uuid4()).upper() + "}"


def _canonical(marker: str) -> str:
    return marker.strip("{} ").upper()


def same_marker(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and _canonical(a) == _canonical(b)


def mark_pending(s: Session, kind: str, app_object_id: int, marker: str | None = None,
                 link: Link | None = None) -> Link:
    """Record, before an Add is sent, that it is about to be: the next run looks for it before sending it again."""
    if link is None:
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


def cursor(s: Session, kind: str) -> str | None:
    """The newest TimeModified (or TimeDeleted) of `kind` read so far, as QuickBooks wrote it."""
    return rows(s, _CURSOR, kind=kind).scalar()  # type: ignore[no-any-return]


def since(value: str | None, overlap: timedelta) -> str | None:
    """The FromModifiedDate for the next read from a cursor's value: the newest time read, less the overlap."""
    moment = parse_moment(value) if value is not None else None
    if moment is None:
        return None
    return (moment - overlap).isoformat()


def cursor_since(s: Session, kind: str, overlap: timedelta) -> str | None:
    """The FromModifiedDate for the next read of `kind`: the newest time read, less the overlap."""
    return since(cursor(s, kind), overlap)


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


def _across_offset_change(current: str | None, newest: str) -> str:
    """`newest`, less the change of UTC offset since `current` was read. QuickBooks may write a time with the offset in
    force when it answers, not at the event: read after daylight saving time ends, a change made before is stamped up
    to an hour after it happened, and a cursor that far ahead would skip what changes next."""
    a, b = (parse_moment(current) if current is not None else None), parse_moment(newest)
    before, after = (a.utcoffset() if a else None), (b.utcoffset() if b else None)
    if b is None or before is None or after is None or before == after:
        return newest
    return (b - abs(after - before)).isoformat()


def advance_cursor(s: Session, kind: str, newest: str | None, current: str | None = None) -> None:
    """Move the cursor of `kind` to `newest` if that is later (`current`: its value, when the caller has read it)."""
    if newest is None:
        return
    if current is None:
        current = cursor(s, kind)
    newest = _across_offset_change(current, newest)
    if current is not None and later(current, newest) == current:
        return  # nothing newer than the cursor
    row = s.get(Cursor, kind)
    if row is None:
        s.add(Cursor(kind=kind, value=newest))
    else:
        row.value = later(row.value, newest) or newest
