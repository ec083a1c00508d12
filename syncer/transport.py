"""A session with QuickBooks through a QBXMLRP2 request processor (the COM object, or anything with its methods).

    with Session(rp, "Cashflow360") as qb:
        rs = qb.send(list_query("Vendor"))

The session opens the connection and begins a session on the company file (trying again while QuickBooks answers
that it is busy or starting), sends one request per message set, sends a request again after a pause when QuickBooks
answers with a lock status (3170, 3175, 3176, 3180: the list or record is in use by someone else), and ends the
session and the connection whatever happens. Every answer is checked against its request before it is returned
(`syncer.qbxml.answers`): one that does not answer it raises `BadAnswerError`, for the engine to report for the
object concerned. 3175 and 3176 are always about a lock; 3170 and 3180 also report
failures that no retry cures ("An item must be specified for each line..."), so they are sent again only when
QuickBooks' message says the record is in use or was modified by another user.

Errors are read by their shape only, as pywin32 raises them (`args == (hresult, text, excepinfo, argerror)`,
`excepinfo[5]` QuickBooks' HRESULT). Any failure of the request processor ends the sync run with
`QuickBooksUnavailable` carrying a message for the user, except QuickBooks' parse error (0x80040400), which rejects
one request only (`RequestRejectedError`). A request is never sent again after the request processor raised: a write
whose response was lost may have been saved, and it is the engine that finds out (see `syncer.engine.transactions`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from syncer import hresults
from syncer.errors import QuickBooksUnavailable, RequestRejectedError
from syncer.qbxml.answers import answer
from syncer.qbxml.build import Element, document
from syncer.qbxml.read import Rs

log = logging.getLogger("syncer")

LOCAL_QBD = 1  # QBXMLRPConnectionType
DO_NOT_CARE = 2  # QBFileMode: single- or multi-user, whichever the file is open in
LOCK_STATUSES = frozenset((3170, 3175, 3176, 3180))
_ALWAYS_LOCKS = frozenset((3175, 3176))
_LOCK_PHRASES = ("modified by another user", "in use", "locked", "acquire the lock")


def is_lock(rs: Rs) -> bool:
    """Whether a response says the record or list is locked by someone else (worth sending again later)."""
    if rs.code in _ALWAYS_LOCKS:
        return True
    message = rs.message.lower()
    return rs.code in LOCK_STATUSES and any(phrase in message for phrase in _LOCK_PHRASES)


@dataclass(frozen=True)
class ComFailure:
    """What a request processor's exception says: QuickBooks' HRESULT (unsigned) and its text."""

    hresult: int | None
    text: str


def com_failure(exc: BaseException) -> ComFailure:
    """Read an exception shaped like pywin32's com_error; anything else is a failure without an HRESULT."""
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    if len(args) == 4 and isinstance(args[0], int):
        excepinfo = args[2]
        if isinstance(excepinfo, tuple) and len(excepinfo) >= 6 and isinstance(excepinfo[5], int) and excepinfo[5]:
            return ComFailure(excepinfo[5] & 0xFFFFFFFF, str(excepinfo[2] or args[1] or ""))
        return ComFailure(args[0] & 0xFFFFFFFF, str(args[1] or ""))
    return ComFailure(None, str(exc) or type(exc).__name__)


class Session:
    """One connection and session with QuickBooks; a context manager."""

    def __init__(self, rp: Any, app_name: str, company_file: str = "", *, lock_retries: int = 4,
                 backoff: float = 0.5, begin_retries: int = 3, sleep: Callable[[float], None] = time.sleep):
        self.rp = rp
        self.app_name = app_name
        self.company_file = company_file
        self.lock_retries = lock_retries
        self.backoff = backoff
        self.begin_retries = begin_retries
        self.sleep = sleep
        self.ticket: str | None = None
        self.connected = False
        self.requests = 0  # ProcessRequest calls made
        #: Whether the request processor may be called from another thread (one call at a time): the COM object may
        #: not, an HTTP client may (`any_thread`).
        self.any_thread = bool(getattr(rp, "any_thread", False))
        self._calls = threading.Lock()

    # -- opening and closing ------------------------------------------------------------------------------------
    def __enter__(self) -> Session:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        try:
            self.rp.OpenConnection2("", self.app_name, LOCAL_QBD)
        except Exception as exc:
            raise self._unavailable(exc) from exc
        self.connected = True
        for attempt in range(self.begin_retries + 1):
            try:
                self.ticket = self.rp.BeginSession(self.company_file, DO_NOT_CARE)
                return
            except Exception as exc:
                failure = com_failure(exc)
                if failure.hresult in hresults.TRANSIENT and attempt < self.begin_retries:
                    self.sleep(self.backoff * 2 ** attempt)
                    continue
                self.close()
                raise self._unavailable(exc) from exc

    def close(self) -> None:
        """End the session and close the connection; failures here are logged, never raised."""
        if self.ticket is not None:
            try:
                self.rp.EndSession(self.ticket)
            except Exception as exc:
                log.info("EndSession failed: %s", com_failure(exc).text)
            self.ticket = None
        if self.connected:
            try:
                self.rp.CloseConnection()
            except Exception as exc:
                log.info("CloseConnection failed: %s", com_failure(exc).text)
            self.connected = False

    # -- what the session knows ----------------------------------------------------------------------------------
    def versions(self) -> tuple[str, ...]:
        """The qbXML versions QuickBooks supports for this session."""
        try:
            versions = self.rp.QBXMLVersionsForSession(self.ticket)
        except Exception as exc:
            raise self._unavailable(exc) from exc
        if isinstance(versions, str | bytes) or not hasattr(versions, "__iter__"):
            return ()  # not a list of versions: the version is not known
        return tuple(str(v) for v in versions)

    def current_file(self) -> str:
        """The company file open in QuickBooks, when the request processor can say ("" otherwise)."""
        getter = getattr(self.rp, "GetCurrentCompanyFileName", None)
        if getter is None:
            return ""
        try:
            return str(getter(self.ticket) or "")
        except Exception as exc:
            log.info("GetCurrentCompanyFileName failed: %s", com_failure(exc).text)
            return ""

    # -- requests -------------------------------------------------------------------------------------------------
    def send(self, rq: Element) -> Rs:
        """Send one request; its response (status included), checked against the request (`BadAnswerError` when it
        does not answer it). Lock statuses are retried with a growing pause."""
        xml = document([rq])
        for attempt in range(self.lock_retries + 1):
            rs = self._process(rq, xml)
            if is_lock(rs) and attempt < self.lock_retries:
                log.info("%s: %s; trying again", rq.tag, rs.message)
                self.sleep(self.backoff * 2 ** attempt)
                continue
            return rs
        raise AssertionError("unreachable")

    def _process(self, rq: Element, xml: str) -> Rs:
        name = str(rq.tag)
        self.requests += 1
        try:
            with self._calls:
                text = self.rp.ProcessRequest(self.ticket, xml)
        except Exception as exc:
            failure = com_failure(exc)
            if failure.hresult == hresults.PARSE_ERROR:
                raise RequestRejectedError(f"QuickBooks could not read the {name.removesuffix('Rq')} request "
                                           f"(error 0x{failure.hresult:08X}).") from exc
            raise self._unavailable(exc) from exc
        return answer(rq, text)

    def _unavailable(self, exc: BaseException) -> QuickBooksUnavailable:
        failure = com_failure(exc)
        message = hresults.user_message(failure.hresult, failure.text, self.app_name, self.company_file)
        return QuickBooksUnavailable(message, failure.hresult, failure.text)
