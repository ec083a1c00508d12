"""The app's database: opening one by URL, its tables created when missing (a SQLite file in WAL mode); the
sessions, which keep the change journal (`syncer.app.journal`).

An in-memory database ("sqlite://") gets its tables copied from an empty one made once per process (SQLite's backup
API), and its engine, emptied the same way, goes back to a few spares when the app closes: the next in-memory app
takes one, with the statements it has compiled (creating an engine and compiling statements cost far more than a
small app's work).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from syncer.app.journal import record
from syncer.app.models import Base

MEMORY = ("sqlite://", "sqlite:///:memory:")
SPARE_ENGINES = 4


class AppSession(Session):
    """A session of the app's database; its flushes are recorded in the change journal unless `info["journal"]` is
    False (the sync's own writes)."""


event.listen(AppSession, "after_flush", record)

_spare: list[Engine] = []
_lock = threading.Lock()
_empty: list[Any] = []  # the DBAPI connection of an in-memory database holding the empty schema, made once


def open_database(url: str) -> tuple[Engine, sessionmaker[AppSession]]:
    """An engine and a session factory for `url`; the tables are created when missing."""
    if url in MEMORY:
        engine = _memory_engine()
    else:
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_file)
            # pysqlite commits each CREATE on its own (a sync to disk each); in one transaction the file is written
            # once.
            with engine.connect() as connection:
                connection.exec_driver_sql("BEGIN")
                Base.metadata.create_all(connection)
                connection.commit()
        else:
            Base.metadata.create_all(engine)
    return engine, sessionmaker(engine, class_=AppSession, expire_on_commit=False)


def close_database(url: str, engine: Engine) -> None:
    """Done with an app's engine: an in-memory one is emptied and kept for the next in-memory app (a few at most),
    any other disposed."""
    if url in MEMORY:
        _empty_database(engine)
        with _lock:
            if len(_spare) < SPARE_ENGINES:
                _spare.append(engine)
                return
    engine.dispose()


def _memory_engine() -> Engine:
    with _lock:
        if _spare:
            return _spare.pop()
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_foreign_keys)
    _empty_database(engine)
    return engine


def _empty_database(engine: Engine) -> None:
    """Make an in-memory database hold the app's empty tables: a copy of one made once with `create_all` (SQLite's
    backup API replaces every page, rows and counters included)."""
    target = engine.raw_connection()
    try:
        with _lock:
            if not _empty:
                template = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
                Base.metadata.create_all(template)
                _empty.append(template.raw_connection().dbapi_connection)
            _empty[0].backup(target.dbapi_connection)
    finally:
        target.close()


def _sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_file(dbapi_connection: Any, connection_record: Any) -> None:
    """A SQLite file is written ahead (WAL): a commit is one write and one sync of the log, where a rollback journal
    takes several, and the sync commits often (each write to QuickBooks on its own). Commits stay durable (the
    default synchronous=FULL)."""
    _sqlite_foreign_keys(dbapi_connection, connection_record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
