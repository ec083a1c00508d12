"""The company file: SQLAlchemy tables (SQLite in memory, a SQLite file, or PostgreSQL).

List objects of every type share one table: the columns QuickBooks filters, sorts and enforces uniqueness on are real
indexed columns; the rest of the object (addresses, phone numbers, refs...) is kept as JSON in `data`, keyed by qbXML
element name, and written back in schema order when the object is returned. Transactions are kept the same way in
their own table, with the ledger (postings) and the links between them beside it.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.pool import StaticPool

metadata = MetaData()
#: Text compared byte by byte on every database, so listing order and iterator positions agree everywhere.
ORDERED_TEXT = String(1100).with_variant(String(1100, collation="C"), "postgresql")
_ORDERED_TEXT = ORDERED_TEXT

list_objects = Table(
    "list_objects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_type", String(32), nullable=False),  # Customer, Vendor, Account, ItemService, ...
    Column("name_space", String(16), nullable=False),  # names sharing uniqueness: name, item, Account, Class
    Column("list_id", String(36), nullable=False),
    Column("name", String(255), nullable=False),
    Column("full_name", String(1024), nullable=False),
    Column("name_key", ORDERED_TEXT, nullable=False),  # full_name case-folded (names are case-insensitive); ranges
    # of it find an object's descendants
    Column("sort_key", _ORDERED_TEXT, nullable=False),  # listing order (see fakeqb.company.lists.sort_key)
    Column("parent_id", Integer, ForeignKey("list_objects.id"), nullable=True),
    Column("sublevel", Integer, nullable=False, default=0),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("time_created", BigInteger, nullable=False),  # Unix seconds
    Column("time_modified", BigInteger, nullable=False),
    Column("edit_sequence", BigInteger, nullable=False),
    Column("balance", Numeric(16, 2), nullable=False, default=0),
    Column("data", JSON, nullable=False),
    Index("ix_list_id", "name_space", "list_id", unique=True),
    Index("ix_list_name", "name_space", "name_key", unique=True),
    Index("ix_list_type_modified", "list_type", "time_modified"),
    Index("ix_list_order", "name_space", "sort_key", "id"),
    Index("ix_list_parent", "parent_id"),
)

deleted_objects = Table(
    "deleted_objects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("del_type", String(32), nullable=False),  # ListDelType / TxnDelType value
    Column("object_id", String(36), nullable=False),
    Column("full_name", String(1024), nullable=True),
    Column("time_created", BigInteger, nullable=False),
    Column("time_deleted", BigInteger, nullable=False),
    Index("ix_deleted_type_time", "del_type", "time_deleted"),
)

#: Transactions of every type: what queries filter and sort on in columns, the rest (lines, refs...) as JSON in `data`,
#: keyed by the `*Ret` element names. `amount` is the transaction's total, `open_amount` what is left of it once the
#: links to it (or from it) are counted: a bill's unpaid part, a credit's unused part, a payment's unapplied part.
transactions = Table(
    "transactions",
    metadata,
    Column("id", Integer, primary_key=True),  # creation order: the order queries and iterators return
    Column("txn_type", String(32), nullable=False),  # Bill, VendorCredit, BillPaymentCheck, ...
    Column("txn_id", String(36), nullable=False, unique=True),
    Column("txn_number", Integer, nullable=False, unique=True),
    Column("ref_number", String(32), nullable=True),
    Column("ref_key", String(32), nullable=True),  # ref_number case-folded
    Column("txn_date", String(10), nullable=False),  # ISO date
    Column("entity_id", String(36), nullable=True),  # the vendor, payee, customer the transaction is with
    Column("time_created", BigInteger, nullable=False),
    Column("time_modified", BigInteger, nullable=False),
    Column("edit_sequence", BigInteger, nullable=False),
    Column("amount", Numeric(16, 2), nullable=False, default=0),
    Column("open_amount", Numeric(16, 2), nullable=False, default=0),
    Column("data", JSON, nullable=False),
    Index("ix_txn_type_modified", "txn_type", "time_modified"),
    Index("ix_txn_type_date", "txn_type", "txn_date"),
    Index("ix_txn_type_entity", "txn_type", "entity_id"),
    Index("ix_txn_type_ref", "txn_type", "ref_key"),
)

#: The ledger: one row per account a transaction line touches, signed debit-positive. Account balances and the
#: balances of the names on A/P and A/R lines are kept equal to their opening balance plus these.
postings = Table(
    "postings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("txn_id", String(36), ForeignKey("transactions.txn_id"), nullable=False),
    Column("line", Integer, nullable=False),
    Column("account_id", String(36), nullable=False),
    Column("entity_id", String(36), nullable=True),
    Column("amount", Numeric(16, 2), nullable=False),
    Index("ix_posting_txn", "txn_id"),
    Index("ix_posting_account", "account_id"),
    Index("ix_posting_entity", "entity_id"),
)

#: What transactions are applied to: a payment or a credit (`source`) to a bill or an invoice (`target`). A link made
#: by a payment (its own amount, or a credit it sets) is owned by that payment and goes with it; a credit set without
#: a payment has no owner.
txn_links = Table(
    "txn_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(36), ForeignKey("transactions.txn_id"), nullable=False),
    Column("target", String(36), ForeignKey("transactions.txn_id"), nullable=False),
    Column("owner", String(36), nullable=True),  # the transaction whose request made the link
    Column("amount", Numeric(16, 2), nullable=False),
    Index("ix_link_source", "source"),
    Index("ix_link_target", "target"),
    Index("ix_link_owner", "owner"),
)

#: What a transaction takes from another without paying it: a deposit the payments it deposits, an item receipt or a
#: bill the purchase order lines it receives, an invoice or sales order the estimate or sales order lines it is made
#: from. Owned by the transaction that uses (`user`); they go with it. `line` is the used transaction's TxnLineID (none
#: for a whole transaction), `quantity` and `amount` how much of it.
txn_uses = Table(
    "txn_uses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user", String(36), nullable=False),
    Column("used", String(36), nullable=False),
    Column("line", String(36), nullable=True),
    Column("quantity", Numeric(18, 5), nullable=True),
    Column("amount", Numeric(16, 2), nullable=False, default=0),
    Index("ix_use_user", "user"),
    Index("ix_use_used", "used"),
)

#: What a transaction moves in or out of stock: per inventory part or assembly, the quantity and the inventory value
#: (its asset account's share), signed: in is positive. Undone with the transaction's postings.
stock_moves = Table(
    "stock_moves",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("txn_id", String(36), nullable=False),
    Column("item_id", String(36), nullable=False),
    Column("quantity", Numeric(18, 5), nullable=False),
    Column("value", Numeric(16, 2), nullable=False),
    Index("ix_stock_txn", "txn_id"),
    Index("ix_stock_item", "item_id"),
)

#: What open purchase and sales orders hold of each item: an order's open quantity of it (ordered less received, or
#: less invoiced; none once closed), kept with the order.
stock_orders = Table(
    "stock_orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("txn_id", String(36), nullable=False),
    Column("txn_type", String(32), nullable=False),  # PurchaseOrder, SalesOrder
    Column("item_id", String(36), nullable=False),
    Column("quantity", Numeric(18, 5), nullable=False),
    Index("ix_order_txn", "txn_id"),
    Index("ix_order_item", "item_id", "txn_type"),
)

data_ext_defs = Table(
    "data_ext_defs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", String(38), nullable=False),  # "0" or an upper-case {GUID}
    Column("name", String(31), nullable=False),
    Column("name_key", String(31), nullable=False),
    Column("data_ext_id", Integer, nullable=False),
    Column("data", JSON, nullable=False),  # DataExtType, AssignToObject list, ...
    Index("ix_dataextdef_name", "owner_id", "name_key", unique=True),
)

data_ext_values = Table(
    "data_ext_values",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", String(38), nullable=False),
    Column("name_key", String(31), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(36), nullable=False),
    Column("value", Text, nullable=False),
    Index("ix_dataext_object", "object_id", "owner_id"),
    Index("ix_dataext_unique", "owner_id", "name_key", "object_type", "object_id", unique=True),
)

counters = Table(
    "counters",
    metadata,
    Column("space", String(32).with_variant(String(32, collation="C"), "postgresql"), primary_key=True),  # ordered
    # byte by byte, as ORDERED_TEXT: snapshots list the counters in the same order everywhere
    Column("value", BigInteger, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)


MEMORY = ("sqlite://", "sqlite:///:memory:")
#: In-memory engines of closed company files, emptied, kept for the next in-memory company: each keeps the statements
#: it compiled, which a new engine would compile again (a new in-memory company costs about a third as much).
_spare: list[Engine] = []
SPARE_ENGINES = 4
_spare_lock, _empty_lock = threading.Lock(), threading.Lock()
_empty: list[Any] = []  # the DBAPI connection of an in-memory database holding the empty schema, made once


def open_engine(url: str) -> Engine:
    """An engine for the company file at `url`, its tables created if missing (an in-memory one starts empty)."""
    if url in MEMORY:
        with _spare_lock:
            if _spare:
                return _spare.pop()
        engine = _memory_engine()
        _empty_database(engine)
        return engine
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def close_engine(url: str, engine: Engine) -> None:
    """Done with a company file's engine (no connection of it checked out): an in-memory one is emptied and kept for
    the next in-memory company, any other disposed."""
    if url in MEMORY:
        _empty_database(engine)
        with _spare_lock:
            if len(_spare) < SPARE_ENGINES:
                _spare.append(engine)
                return
    engine.dispose()


def _memory_engine() -> Engine:
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _empty_database(engine: Engine) -> None:
    """Make an in-memory database hold the empty schema: a copy of one made once with `create_all` (SQLite's backup
    API replaces every page, rows and counters included)."""
    raw = engine.raw_connection()
    try:
        with _empty_lock:
            if not _empty:
                template = _memory_engine()
                metadata.create_all(template)
                _empty.append(template.raw_connection().dbapi_connection)
            _empty[0].backup(raw.dbapi_connection)
    finally:
        raw.close()


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
