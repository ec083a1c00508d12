"""The app's database: opening one by URL, its tables created when missing."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from syncer.app.models import Base


def open_database(url: str) -> tuple[Engine, sessionmaker[Any]]:
    """An engine and a session factory for `url`; the tables are created when missing."""
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    if in_memory:
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    if in_memory:
        _copy_empty_schema(engine)
    elif engine.dialect.name == "sqlite":
        # pysqlite commits each CREATE on its own (a sync to disk each); in one transaction the file is written once.
        with engine.connect() as connection:
            connection.exec_driver_sql("BEGIN")
            Base.metadata.create_all(connection)
            connection.commit()
    else:
        Base.metadata.create_all(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)


_template_lock = threading.Lock()
_template: list[Any] = []  # the engine of an in-memory database holding the empty schema, and its connection


def _copy_empty_schema(engine: Engine) -> None:
    """Give a new in-memory database the app's tables by copying an empty one made once per process with
    `create_all` (SQLite's backup API): the same schema, for a fraction of the cost of creating it table by table."""
    with _template_lock:
        if not _template:
            template = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
            Base.metadata.create_all(template)
            _template.extend((template, template.raw_connection()))
        target = engine.raw_connection()
        try:
            _template[1].dbapi_connection.backup(target.dbapi_connection)
        finally:
            target.close()


def _sqlite_foreign_keys(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
