"""`Host`: QuickBooks itself, running with a company file open.

Besides the company file (`host.company`), a running QuickBooks has state that is not saved in the file: the open
sessions, whether it is running at all, the fault rules (`host.faults`) and the request log (`host.request_log`).
Request processors (`fakeqb.com.processor.RequestProcessor(host)`) are its QBXMLRP2 surface.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from fakeqb.com import hresults as hr
from fakeqb.com.faults import FaultPlan
from fakeqb.com.hresults import ComError
from fakeqb.com.requestlog import DEFAULT_CAPACITY, DEFAULT_MAX_CHARS, RequestLog
from fakeqb.company.clock import DEFAULT_TIMEZONE, CompanyClock
from fakeqb.company.context import Session
from fakeqb.company.engine import Engine as MessageEngine
from fakeqb.company.file import DEFAULT_COMPANY_FILE, CompanyFile

SINGLE_USER, MULTI_USER, DO_NOT_CARE = 0, 1, 2  # QBFileMode


class Host:
    """QuickBooks running with one company file open: the file, the sessions on it, its fault rules and log."""

    def __init__(self, url: str = "sqlite://", *, company_file: str = DEFAULT_COMPANY_FILE,
                 timezone: str = DEFAULT_TIMEZONE, log_size: int = DEFAULT_CAPACITY,
                 log_chars: int = DEFAULT_MAX_CHARS, behaviours: Mapping[str, str] | None = None):
        self.company = CompanyFile(url, name=company_file, timezone=timezone, behaviours=behaviours)
        self.lock = self.company.lock  # one request, session change or control operation at a time
        self.running = True
        self._sessions: dict[str, Session] = {}
        self.faults = FaultPlan()
        self.request_log = RequestLog(log_size, log_chars)
        self.qbxml = MessageEngine(self.company)

    def answer(self, text: str, session: Session) -> str:
        """Answer a request document in `session`; status fault rules apply except to the administrator's."""
        if session.admin:
            return self.qbxml.process(text, session)
        terse = self.company.behaviours["lock_texts"] == "terse"
        return self.qbxml.process(text, session, lambda request: self.faults.status_error(request, terse))

    # -- the company file, for short ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.company.url

    @property
    def engine(self) -> Engine:
        return self.company.engine

    @property
    def clock(self) -> CompanyClock:
        return self.company.clock

    @property
    def file_name(self) -> str:
        return self.company.name

    def setting(self, key: str) -> Any:
        return self.company.setting(key)

    def set_setting(self, key: str, value: Any) -> None:
        """Change a company setting ("company", "preferences", "closing_date")."""
        self.company.set_setting(key, value)

    def now(self) -> datetime:
        return self.company.clock.now()

    # -- sessions -------------------------------------------------------------------------------------------------
    def check_running(self) -> None:
        if not self.running:
            raise ComError.qb(hr.COULD_NOT_START)

    def begin_session(self, session: Session) -> None:
        """Register a session; a single-user session excludes every other one."""
        with self.lock:
            self.check_running()
            others = list(self._sessions.values())
            single = session.file_mode == SINGLE_USER
            if single and others:
                raise ComError.qb(hr.SINGLE_USER_CONFLICT)
            if any(o.file_mode == SINGLE_USER for o in others):
                raise ComError.qb(hr.FILE_MODE_MISMATCH)
            if not others and not self.company.hold_open(exclusive=single):  # another process has it open
                raise ComError.qb(hr.SINGLE_USER_CONFLICT if single else hr.FILE_MODE_MISMATCH)
            self._sessions[session.ticket] = session

    def revoke_sessions(self, app_name: str, app_id: str = "") -> int:
        """Mark the open sessions of an application whose access was revoked (any app ID, or this one); their next
        call is refused. Returns how many."""
        with self.lock:
            hit = [s for s in self._sessions.values() if s.app_name == app_name and (not app_id or s.app_id == app_id)]
            for session in hit:
                session.revoked = True
            return len(hit)

    def end_session(self, ticket: str) -> None:
        with self.lock:
            if self._sessions.pop(ticket, None) is not None and not self._sessions:
                self.company.release_open()

    def session(self, ticket: str) -> Session | None:
        return self._sessions.get(ticket)

    @property
    def session_count(self) -> int:
        return len(self._sessions)

    def end_sessions(self) -> int:
        """End every open session (their tickets become invalid); returns how many there were."""
        with self.lock:
            count = len(self._sessions)
            self._sessions.clear()
            self.company.release_open()
            return count

    def close_quickbooks(self) -> None:
        """QuickBooks closes: every session ends, and nothing connects until `start_quickbooks`."""
        with self.lock:
            self.running = False
            self.end_sessions()

    def start_quickbooks(self) -> None:
        with self.lock:
            self.running = True

    def close(self) -> None:
        self.company.close()

    def __enter__(self) -> Host:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
