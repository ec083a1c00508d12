"""`FakeQuickBooks`: a simulated QuickBooks Desktop with one company file open.

    qb = FakeQuickBooks()                                   # an empty company in memory
    qb = FakeQuickBooks("sqlite:///company.db")             # a company file that persists and reopens
    qb = FakeQuickBooks("postgresql+psycopg://localhost/test")
    rp = qb.request_processor()                             # the QBXMLRP2 surface
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import delete

from fakeqb import hresults as hr
from fakeqb.clock import DEFAULT_TIMEZONE, CompanyClock
from fakeqb.engine import Engine, Session
from fakeqb.handlers.company import read_setting
from fakeqb.hresults import ComError
from fakeqb.processor import SINGLE_USER, RequestProcessor
from fakeqb.store import open_engine, settings

DEFAULT_COMPANY_FILE = r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Fake Company.qbw"


class FakeQuickBooks:
    """QuickBooks running with a company file open: the database, its clock, and the sessions on it."""

    def __init__(self, url: str = "sqlite://", *, company_file: str = DEFAULT_COMPANY_FILE,
                 timezone: str = DEFAULT_TIMEZONE):
        self.url = url
        self.engine = open_engine(url)
        self.clock = CompanyClock(timezone)
        self.file_name = company_file
        self.lock = threading.RLock()  # QuickBooks answers one request at a time
        self.running = True
        self._sessions: dict[str, Session] = {}
        self.qbxml = Engine(self)

    def request_processor(self) -> RequestProcessor:
        """A new QBXMLRP2 request processor object connected to this QuickBooks."""
        return RequestProcessor(self)

    # -- sessions -------------------------------------------------------------------------------------------------
    def check_running(self) -> None:
        if not self.running:
            raise ComError.qb(hr.COULD_NOT_START)

    def begin_session(self, session: Session) -> None:
        """Register a session; a single-user session excludes every other one."""
        with self.lock:
            self.check_running()
            others = list(self._sessions.values())
            if session.file_mode == SINGLE_USER and others:
                raise ComError.qb(hr.SINGLE_USER_CONFLICT)
            if any(o.file_mode == SINGLE_USER for o in others):
                raise ComError.qb(hr.FILE_MODE_MISMATCH)
            self._sessions[session.ticket] = session

    def end_session(self, ticket: str) -> None:
        with self.lock:
            self._sessions.pop(ticket, None)

    def session(self, ticket: str) -> Session | None:
        return self._sessions.get(ticket)

    # -- company settings -----------------------------------------------------------------------------------------
    def setting(self, key: str) -> Any:
        with self.engine.connect() as conn:
            return read_setting(conn, key)

    def set_setting(self, key: str, value: Any) -> None:
        """Change a company setting ("company", "preferences", "closing_date")."""
        with self.lock, self.engine.begin() as conn:
            conn.execute(delete(settings).where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> FakeQuickBooks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def seed(self, seed: int = 0, **sizes: int) -> Any:
        """Fill this (empty) company with a small business's lists; returns the `fakeqb.seed.SeedSummary`.

        `sizes` are `fakeqb.seed.seed_company`'s: vendors, customers, max_jobs, items, classes, employees, other_names.
        """
        from fakeqb.seed import seed_company  # Faker is imported only when seeding

        return seed_company(self.request_processor(), seed, **sizes)


__all__ = ["FakeQuickBooks"]
