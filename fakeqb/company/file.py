"""`CompanyFile`: the company file open in QuickBooks: its database, its clock, its settings.

This is what the engine and the request handlers work on. Everything QuickBooks keeps outside the file (sessions,
fault rules, the request log) belongs to the running program (`fakeqb.com.host.Host`). A new (or emptied) file gets
QuickBooks' default lists in its first transaction (`fakeqb.company.defaults`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, text

from fakeqb.company.behaviours import Behaviours
from fakeqb.company.clock import DEFAULT_TIMEZONE, CompanyClock
from fakeqb.company.defaults import ensure_defaults
from fakeqb.company.settings import read_setting, write_setting
from fakeqb.company.store import close_engine, open_engine

DEFAULT_COMPANY_FILE = r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Fake Company.qbw"
#: Seconds the file's own connection may stay idle before it goes back to the pool: the next checkout checks it
#: (pool_pre_ping), so a database restarted meanwhile costs no request.
CONNECTION_IDLE = 10.0


_COMPANY_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('fakeqb company ' || current_database()))")
#: The file's open mode across processes: held shared while sessions are open in multi-user mode, exclusively while a
#: single-user session is (a two-key lock: a space of its own).
_OPEN_LOCKS = {mode: text(f"SELECT {fn}(hashtext('fakeqb company ' || current_database()), 1)")
               for mode, fn in (("shared", "pg_try_advisory_lock_shared"), ("exclusive", "pg_try_advisory_lock"))}
_RELEASE_OPEN = text("SELECT pg_advisory_unlock_all()")


class CompanyFile:
    """A company file: a database by SQLAlchemy URL ("sqlite://" keeps it in memory), its clock and its name."""

    def __init__(self, url: str = "sqlite://", *, name: str = DEFAULT_COMPANY_FILE,
                 timezone: str = DEFAULT_TIMEZONE, behaviours: Mapping[str, str] | None = None):
        self.url = url
        self.name = name
        self.behaviours = Behaviours(behaviours)
        self._engine: Engine | None = open_engine(url)
        self.clock = CompanyClock(timezone, self.behaviours)
        self.lock = threading.RLock()  # QuickBooks answers one request at a time
        self._conn: Connection | None = None  # kept between transactions (see `transaction`)
        #: On PostgreSQL several processes may serve the same company: each transaction first takes the company's
        #: lock (a transaction-level advisory lock, released at commit), so QuickBooks answers one request at a time
        #: across them too, as the in-process `lock` does within one.
        self._serialize = _COMPANY_LOCK if self.engine.dialect.name == "postgresql" else None
        self._holder: Connection | None = None  # holds the open-mode lock (PostgreSQL)
        self._conn_used = 0.0
        self._defaults_checked = False  # whether the file is known to hold QuickBooks' default lists

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError(f"the company file {self.name} is closed")
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One database transaction, holding `lock`, on the file's own connection.

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
                    if self._serialize is not None:
                        conn.execute(self._serialize)
                    if not self._defaults_checked:
                        ensure_defaults(conn, self.clock.unix())
                    yield conn
                self._defaults_checked = True  # committed
            finally:
                self._conn_used = time.monotonic()

    def emptied(self) -> None:
        """The file's tables were emptied or replaced (a reset, a restore): its next transaction writes QuickBooks'
        default lists if it has none."""
        self._defaults_checked = False

    def hold_open(self, exclusive: bool) -> bool:
        """Mark the file open by this process, in single-user (`exclusive`) or multi-user mode; False when another
        process has it open in a mode that excludes it. Only PostgreSQL is shared by processes: elsewhere it is
        always True. The mark goes with `release_open`, or with the process."""
        if self._serialize is None:
            return True
        with self.lock:
            self.release_open()
            holder = self.engine.connect()
            if holder.execute(_OPEN_LOCKS["exclusive" if exclusive else "shared"]).scalar():
                holder.commit()
                self._holder = holder
                return True
            holder.close()
            return False

    def release_open(self) -> None:
        with self.lock:
            holder, self._holder = self._holder, None
            if holder is not None:
                holder.execute(_RELEASE_OPEN)
                holder.commit()
                holder.close()

    def setting(self, key: str) -> Any:
        with self.engine.connect() as conn:
            return read_setting(conn, key)

    def set_setting(self, key: str, value: Any) -> None:
        """Change a company setting ("company", "preferences", "closing_date")."""
        with self.transaction() as conn:
            write_setting(conn, key, value)

    def close(self) -> None:
        with self.lock:
            self.release_open()
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            engine, self._engine = self._engine, None
        if engine is not None:
            close_engine(self.url, engine)
