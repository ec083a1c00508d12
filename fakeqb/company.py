"""`FakeQuickBooks`: a simulated QuickBooks Desktop with one company file open.

    qb = FakeQuickBooks()                                   # an empty company in memory
    qb = FakeQuickBooks("sqlite:///company.db")             # a company file that persists and reopens
    qb = FakeQuickBooks("postgresql+psycopg://localhost/test")
    rp = qb.request_processor()                             # the QBXMLRP2 surface
    qb.control                                              # reset, snapshot, clock, request log, faults, apps

Besides the company file, a running QuickBooks has state that is not saved in it: the open sessions, the fault rules
(`qb.faults`) and the request log (`qb.request_log`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete

from fakeqb import hresults as hr
from fakeqb.clock import DEFAULT_TIMEZONE, CompanyClock
from fakeqb.engine import Engine, Session
from fakeqb.faults import FaultPlan
from fakeqb.handlers.company import read_setting
from fakeqb.hresults import ComError
from fakeqb.processor import SINGLE_USER, RequestProcessor
from fakeqb.requestlog import DEFAULT_CAPACITY, RequestLog
from fakeqb.store import open_engine, settings

if TYPE_CHECKING:
    from fakeqb.control import Control

DEFAULT_COMPANY_FILE = r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Fake Company.qbw"
#: Seconds the company's own connection may stay idle before it goes back to the pool: the next checkout checks it
#: (pool_pre_ping), so a database restarted meanwhile costs no request.
CONNECTION_IDLE = 10.0


class FakeQuickBooks:
    """QuickBooks running with a company file open: the database, its clock, and the sessions on it."""

    def __init__(self, url: str = "sqlite://", *, company_file: str = DEFAULT_COMPANY_FILE,
                 timezone: str = DEFAULT_TIMEZONE, log_size: int = DEFAULT_CAPACITY):
        self.url = url
        self.engine = open_engine(url)
        self.clock = CompanyClock(timezone)
        self.file_name = company_file
        self.lock = threading.RLock()  # QuickBooks answers one request at a time
        self._conn: Connection | None = None  # kept between transactions (see `transaction`)
        self._conn_used = 0.0
        self.running = True
        self._sessions: dict[str, Session] = {}
        self.faults = FaultPlan()
        self.request_log = RequestLog(log_size)
        self.qbxml = Engine(self)
        self._control: Control | None = None

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

    @property
    def session_count(self) -> int:
        return len(self._sessions)

    def end_sessions(self) -> int:
        """End every open session (their tickets become invalid); returns how many there were."""
        with self.lock:
            count = len(self._sessions)
            self._sessions.clear()
            return count

    def close_quickbooks(self) -> None:
        """QuickBooks closes: every session ends, and nothing connects until `start_quickbooks`."""
        with self.lock:
            self.running = False
            self._sessions.clear()

    def start_quickbooks(self) -> None:
        with self.lock:
            self.running = True

    @property
    def control(self) -> Control:
        """The control plane: reset, seed, snapshot/restore, clock, request log, fault rules, app authorization."""
        if self._control is None:
            from fakeqb.control import Control

            self._control = Control(self)
        return self._control

    # -- the company file -----------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One database transaction, holding `lock`, on the company's own connection.

        The connection is kept between transactions, as requests are answered one at a time: a pool checkout and
        return per request cost more than its BEGIN and COMMIT (with PostgreSQL, a ping too). A connection the
        database dropped (SQLAlchemy invalidates it) or one idle for CONNECTION_IDLE seconds is replaced by a fresh
        checkout.
        """
        with self.lock:
            conn, now = self._conn, time.monotonic()
            if conn is not None and (conn.invalidated or conn.closed or now - self._conn_used > CONNECTION_IDLE):
                conn.close()
                conn = None
            if conn is None:
                conn = self._conn = self.engine.connect()
            try:
                with conn.begin():
                    yield conn
            finally:
                self._conn_used = time.monotonic()

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
        with self.lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        self.engine.dispose()

    def __enter__(self) -> FakeQuickBooks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def seed(self, seed: int = 0, **sizes: int) -> Any:
        """Fill this (empty) company with a small business's lists; returns the `fakeqb.seed.SeedSummary`.

        `sizes` are `fakeqb.seed.seed_company`'s: vendors, customers, max_jobs, items, classes, employees, other_names.
        Seeding works as the administrator would: app authorization, fault rules and the request log do not apply.
        """
        from fakeqb.seed import seed_company  # Faker is imported only when seeding

        return seed_company(RequestProcessor(self, admin=True), seed, **sizes)


__all__ = ["FakeQuickBooks"]
