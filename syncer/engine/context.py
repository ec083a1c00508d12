"""`Run`: what one sync run works with (the app, the QuickBooks session, settings, the report) and its helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session as DbSession

from syncer.app.app import App
from syncer.app.models import Settings
from syncer.engine import messages
from syncer.engine.report import SyncReport
from syncer.engine.state import advance_cursor, already_read, cursor_since, known_versions, later
from syncer.qbxml.build import Element
from syncer.qbxml.read import Rs
from syncer.qbxml.records import version
from syncer.transport import Session

DEFAULT_PAGE_SIZE = 100
#: How far before the newest TimeModified already read the next read starts, so that a change saved in QuickBooks
#: while the previous run was reading is not missed; what is read twice is recognised by its EditSequence.
DEFAULT_OVERLAP = timedelta(minutes=2)

BuildPage = Callable[[str | None, str | None], Element]  # (iterator, iteratorID) -> request
ChangedSince = Callable[[str | None, str | None, str | None], Element]  # (FromModifiedDate, iterator, iteratorID)


class BlockedError(Exception):
    """An object cannot be sent yet (a vendor, account, item... it refers to is not in QuickBooks)."""


class QueryError(Exception):
    """QuickBooks answered a query with an error status."""

    def __init__(self, rs: Rs):
        super().__init__(rs.message)
        self.rs = rs


@dataclass
class Run:
    app: App
    qb: Session
    settings: Settings
    report: SyncReport
    page_size: int = DEFAULT_PAGE_SIZE
    overlap: timedelta = DEFAULT_OVERLAP

    @property
    def brand(self) -> str:
        return self.settings.brand

    @property
    def app_is_master(self) -> bool:
        return self.settings.conflict_master == "app"

    def query(self, rq: Element) -> Rs:
        """Send a query; an error status raises QueryError (no match and not-found warnings are empty answers)."""
        rs = self.qb.send(rq)
        if rs.is_error:
            raise QueryError(rs)
        return rs

    def pages(self, build: BuildPage, iterable: bool = True) -> Iterator[list[Element]]:
        """The `*Ret` elements of a query, page by page (an iterator of MaxReturned pages when the query has one)."""
        if not iterable:
            yield self.query(build(None, None)).rets()
            return
        rs = self.query(build("Start", None))
        yield rs.rets()
        while rs.remaining > 0 and rs.iterator_id:
            rs = self.query(build("Continue", rs.iterator_id))
            yield rs.rets()

    def changed(self, s: DbSession, kind: str, query: ChangedSince, iterable: bool = True,
                id_tag: str = "TxnID") -> Iterator[Element]:
        """The `*Ret`s of `kind` modified since its cursor (less the overlap) that the app has not read yet (same
        EditSequence), page by page, the session flushed and emptied after each; the cursor advances once all are
        read."""
        since = cursor_since(s, kind, self.overlap)
        newest = None
        known = known_versions(s, kind)
        for rets in self.pages(lambda iterator, iterator_id: query(since, iterator, iterator_id), iterable):
            for el in rets:
                object_id, edit_sequence, modified = version(el, id_tag)
                if not already_read(known, object_id, edit_sequence):
                    known.pop(object_id, None)
                    yield el
                newest = later(newest, modified)
            s.flush()
            s.expunge_all()
        advance_cursor(s, kind, newest)

    @contextmanager
    def reading(self, kind: str, name: str, what: str) -> Iterator[None]:
        """A query QuickBooks answers with an error ends the block as a sync error: `what` could not be read."""
        try:
            yield
        except QueryError as exc:
            self.report.error(kind, name, messages.unreadable(what, exc.rs))

    def found(self, rq: Element) -> list[Element]:
        """The objects a query by ID, name or number finds (none is not an error)."""
        rs = self.qb.send(rq)
        if rs.is_error:
            raise QueryError(rs)
        return rs.rets()
