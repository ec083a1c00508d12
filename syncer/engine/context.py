"""`Run`: what one sync run works with (the app, the QuickBooks session, settings, the report, progress) and its
helpers: paged and incremental reads, one page at a time in the app's database (its links read in one query, the
session emptied after it, so memory stays flat whatever the company's size)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session as DbSession

from syncer.app import journal
from syncer.app.app import App
from syncer.app.models import Settings
from syncer.engine import messages
from syncer.engine.progress import Progress, Step, silent
from syncer.engine.report import SyncReport
from syncer.engine.state import LINKED, PageLinks, advance_cursor, cursor, later, links_by_qb, since
from syncer.errors import BadAnswerError
from syncer.kinds import singular
from syncer.qbxml.build import Element
from syncer.qbxml.read import Rs
from syncer.qbxml.records import version
from syncer.transport import Session

DEFAULT_PAGE_SIZE = 100
#: How far before the newest TimeModified already read the next read starts, so that a change saved in QuickBooks
#: while the previous run was reading is not missed; what is read twice is recognised by its EditSequence.
DEFAULT_OVERLAP = timedelta(minutes=2)

#: The kind a query's records are reported as, by the query's object type.
QUERY_KINDS = {"Account": "account", "Class": "department", "Vendor": "vendor", "Customer": "customer",
               "Item": "item", "Bill": "bill", "VendorCredit": "vendor_credit", "BillPaymentCheck": "bill_payment",
               "Transfer": "funds_transfer", "Invoice": "invoice", "CreditMemo": "invoice_payment",
               "ReceivePayment": "invoice_payment"}

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
class Page:
    """A page of QuickBooks objects the app has not read in this version, and the links of the page's objects."""

    elements: list[Element]
    links: PageLinks


@dataclass
class Run:
    app: App
    qb: Session
    settings: Settings
    report: SyncReport
    page_size: int = DEFAULT_PAGE_SIZE
    overlap: timedelta = DEFAULT_OVERLAP
    progress: Progress = field(default=silent)
    _changes: dict[str, list[tuple[int, int]]] | None = field(default=None, repr=False)
    skipped: int = 0  # records of query answers left out as unusable, so far

    @property
    def brand(self) -> str:
        return self.settings.brand

    @property
    def app_is_master(self) -> bool:
        return self.settings.conflict_master == "app"

    def session(self) -> AbstractContextManager[DbSession]:
        """A session of the app's database for the sync's own writes (not recorded in the change journal)."""
        return self.app.session(journal=False)

    def changes(self, kind: str) -> list[tuple[int, int]]:
        """The app objects of `kind` the change journal lists (app id, entry id), read for all kinds at the first
        ask (a change the app makes later in the run is sent by the next run)."""
        if self._changes is None:
            with self.session() as s:
                self._changes = journal.listed(s)
        return self._changes.get(kind, [])

    def tell(self, phase: str, done: int, total: int | None = None, finished: bool = False) -> None:
        self.progress(Step(phase, done, total, finished))

    def query(self, rq: Element) -> Rs:
        """Send a query; an error status raises QueryError (no match and not-found warnings are empty answers)."""
        rs = self.qb.send(rq)
        if rs.is_error:
            raise QueryError(rs)
        self._skip(rq, rs)
        return rs

    def _skip(self, rq: Element, rs: Rs) -> None:
        """Report the records QuickBooks' answer held that were left out as unusable."""
        if not rs.rejected:
            return
        self.skipped += len(rs.rejected)
        qb_type = str(rq.tag).removesuffix("QueryRq")
        if qb_type == "TxnDeleted":  # the type of the transactions deleted
            qb_type = rq.findtext("TxnDelType") or ""
        kind = QUERY_KINDS.get(qb_type, "item")
        for label, problem in rs.rejected:
            self.report.error(kind, label, messages.skipped(singular(kind).lower(), problem))

    def pages(self, build: BuildPage, iterable: bool = True) -> Iterator[tuple[list[Element], int]]:
        """The `*Ret` elements of a query, page by page (an iterator of MaxReturned pages when the query has one), each
        with how many are left to read. When the request processor may be called from another thread, the next page
        is read there while the caller applies this one. An iterator whose count of objects left does not go down is
        not followed further (`BadAnswerError`)."""
        if not iterable:
            yield self.query(build(None, None)).rets(), 0
            return
        rs = self.query(build("Start", None))
        with ThreadPoolExecutor(1, thread_name_prefix="syncer-read") if self.qb.any_thread else nullcontext() as ahead:
            while True:
                more = rs.remaining > 0 and rs.iterator_id
                following = ahead.submit(self.query, build("Continue", rs.iterator_id)) \
                    if more and ahead is not None else None
                yield rs.rets(), rs.remaining
                if not more:
                    return
                left = rs.remaining
                rs = following.result() if following is not None else self.query(build("Continue", rs.iterator_id))
                if rs.remaining >= left:
                    raise BadAnswerError(f"QuickBooks' iterator still had {rs.remaining} objects to read after "
                                         f"{left} were left")

    def changed(self, s: DbSession, kind: str, query: ChangedSince, phase: str, iterable: bool = True,
                id_tag: str = "TxnID") -> Iterator[Page]:
        """The `*Ret`s of `kind` modified since its cursor (less the overlap) that the app has not read yet (same
        EditSequence), page by page; once the caller has applied a page its new links are written and the session is
        flushed and emptied. The cursor advances once all are read."""
        current = cursor(s, kind)
        skipped = self.skipped
        start = since(current, self.overlap)
        newest = None
        read = 0
        self.tell(phase, 0)
        for rets, remaining in self.pages(lambda iterator, iterator_id: query(start, iterator, iterator_id), iterable):
            if not rets:
                continue
            versions = [version(el, id_tag) for el in rets]
            links = links_by_qb(s, kind, (object_id for object_id, _, _ in versions))
            fresh = []
            for el, (object_id, edit_sequence, modified) in zip(rets, versions, strict=True):
                link = links.get(object_id)
                if link is None or link.state != LINKED or link.edit_sequence != edit_sequence:
                    fresh.append(el)
                newest = later(newest, modified)
            if fresh:
                page = Page(fresh, PageLinks(s, kind, dict(links)))
                yield page
                page.links.write()
            s.flush()
            s.expunge_all()
            read += len(rets)
            self.tell(phase, read, read + remaining)
        if self.skipped == skipped:  # a record left out is read again next time, from the same cursor
            advance_cursor(s, kind, newest, current)
        self.tell(phase, read, read, finished=True)

    @contextmanager
    def reading(self, kind: str, name: str, what: str) -> Iterator[None]:
        """A query QuickBooks answers with an error, or with an answer that cannot be used, ends the block as a sync
        error: `what` could not be read."""
        try:
            yield
        except QueryError as exc:
            self.report.error(kind, name, messages.unreadable(what, exc.rs))
        except BadAnswerError as exc:
            self.report.error(kind, name, messages.bad_read(what, exc))

    def found(self, rq: Element) -> list[Element]:
        """The objects a query by ID, name or number finds (none is not an error)."""
        rs = self.qb.send(rq)
        if rs.is_error:
            raise QueryError(rs)
        self._skip(rq, rs)
        return rs.rets()
