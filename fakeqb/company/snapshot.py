"""Snapshots of a company file: every table's rows as gzip-compressed JSON, taken and reloaded in one transaction.

The format does not depend on the database, so a snapshot of an in-memory SQLite company restores into a SQLite file
or PostgreSQL and back. Values are written by column type (amounts as decimal strings, dates in ISO 8601, bytes in
base64) and read back by the column types of the company being restored.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    Time,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

FORMAT = "fakeqb-snapshot"
VERSION = 1
MAX_BYTES = 1 << 30  # the largest snapshot accepted, uncompressed
BATCH = 1000


class SnapshotError(ValueError):
    """The data is not a snapshot this company can restore; the company is left as it was."""


def dump(engine: Engine, metadata: MetaData) -> bytes:
    """Every row of every table, read in one transaction (repeatable read where the database has it)."""
    tables: dict[str, Any] = {}
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        for table in metadata.sorted_tables:
            columns = list(table.columns)
            order = list(table.primary_key.columns) or columns
            rows = conn.execute(select(*columns).order_by(*order))
            tables[table.name] = {"columns": [c.name for c in columns],
                                  "rows": [[_encode(c, v) for c, v in zip(columns, row, strict=True)] for row in rows]}
    document = {"format": FORMAT, "version": VERSION, "dialect": engine.dialect.name, "tables": tables}
    return gzip.compress(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(), mtime=0)


def load(engine: Engine, metadata: MetaData, data: bytes) -> dict[str, int]:
    """Replace every table's rows with the snapshot's, in one transaction; returns the rows restored per table."""
    document = _read(data)
    plan = _plan(metadata, document["tables"])
    try:
        with engine.begin() as conn:
            _delete_all(conn, metadata)
            for table, rows in plan:
                for start in range(0, len(rows), BATCH):
                    conn.execute(table.insert(), rows[start:start + BATCH])
            _sync_sequences(conn, metadata)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SnapshotError(f"the snapshot does not fit this company file: {reason}") from None
    return {table.name: len(rows) for table, rows in plan}


def clear(engine: Engine, metadata: MetaData) -> None:
    """Delete every row of every table, in one transaction."""
    with engine.begin() as conn:
        _delete_all(conn, metadata)
        _sync_sequences(conn, metadata)


def _read(data: bytes) -> dict[str, Any]:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise SnapshotError("a snapshot is bytes")
    raw = bytes(data)
    try:
        inflater = zlib.decompressobj(wbits=31)  # gzip
        text_bytes = inflater.decompress(raw, MAX_BYTES)
        if inflater.unconsumed_tail:
            raise SnapshotError(f"the snapshot is larger than {MAX_BYTES} bytes uncompressed")
        document = json.loads(text_bytes.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError("not a fakeqb snapshot (expected gzip-compressed JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SnapshotError("not a fakeqb snapshot")
    if document.get("version") != VERSION:
        raise SnapshotError(f"snapshot format version {document.get('version')!r} is not supported (only {VERSION})")
    if not isinstance(document.get("tables"), dict):
        raise SnapshotError("the snapshot has no tables")
    return document


def _plan(metadata: MetaData, tables: dict[str, Any]) -> list[tuple[Table, list[dict[str, Any]]]]:
    """The rows to insert, table by table in dependency order, decoded and checked against this company's tables."""
    unknown = sorted(set(tables) - set(metadata.tables))
    if unknown:
        raise SnapshotError(f"the snapshot has tables this company file does not: {', '.join(unknown)}")
    plan = []
    for table in metadata.sorted_tables:
        content = tables.get(table.name, {"columns": [], "rows": []})
        if not isinstance(content, dict) or not isinstance(content.get("columns"), list) \
                or not isinstance(content.get("rows"), list):
            raise SnapshotError(f"table {table.name} in the snapshot is malformed")
        names = content["columns"]
        missing = [n for n in names if n not in table.columns]
        if missing:
            raise SnapshotError(f"table {table.name} has no column(s) {', '.join(map(str, missing))}")
        columns = [table.columns[n] for n in names]
        rows = []
        for number, row in enumerate(content["rows"], 1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise SnapshotError(f"row {number} of table {table.name} does not match its columns")
            try:
                rows.append({c.name: _decode(c, v) for c, v in zip(columns, row, strict=True)})
            except (TypeError, ValueError, InvalidOperation) as exc:
                raise SnapshotError(f"row {number} of table {table.name}: {exc}") from None
        plan.append((table, _parents_first(table, rows)))
    return plan


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table referring to itself (a parent row), ordered so that every parent comes before its children."""
    links = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return rows
    child_col, key_col = links[0]
    by_key = {row.get(key_col): row for row in rows}
    done: set[int] = set()
    ordered: list[dict[str, Any]] = []
    for row in rows:
        chain: list[dict[str, Any]] = []
        current: dict[str, Any] | None = row
        while current is not None and id(current) not in done and all(current is not c for c in chain):
            chain.append(current)
            parent_key = current.get(child_col)
            current = by_key.get(parent_key) if parent_key is not None else None
        for item in reversed(chain):
            done.add(id(item))
            ordered.append(item)
    return ordered


def _delete_all(conn: Connection, metadata: MetaData) -> None:
    for table in reversed(metadata.sorted_tables):
        conn.execute(table.delete())


def _sync_sequences(conn: Connection, metadata: MetaData) -> None:
    """PostgreSQL: move each serial column's sequence past the highest id, as if the rows had been inserted."""
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        for column in _serial_columns(table.columns):
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 1), '
                f'(SELECT MAX("{column.name}") FROM "{table.name}") IS NOT NULL)'),
                {"table": table.name, "column": column.name})


def _serial_columns(columns: Iterable[Column[Any]]) -> list[Column[Any]]:
    found = []
    for column in columns:
        if column.primary_key and column.autoincrement in (True, "auto") and isinstance(column.type, Integer) \
                and len(column.table.primary_key.columns) == 1 and not column.foreign_keys:
            found.append(column)
    return found


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Float):
        return float(value)
    if isinstance(kind, Numeric):
        return str(value)
    if isinstance(kind, DateTime | Date | Time):
        return value.isoformat()
    if isinstance(kind, Interval):
        return value.total_seconds()
    if isinstance(kind, LargeBinary):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Float):
        return float(value)
    if isinstance(kind, Numeric):
        return Decimal(str(value))
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    if isinstance(kind, Interval):
        return timedelta(seconds=float(value))
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value
