"""The change journal: which objects the app's own operations created or changed since the sync last sent them.

Every flush of an app session (`App.session()`) records, for each object of a kind the sync sends that was added,
changed or had its lines changed, one entry (kind, app id) in `sync_changes`; an entry made again replaces the
previous one with a higher id. The sync's own writes (`App.session(journal=False)`) are not recorded: what it takes
from QuickBooks is what both sides agree on. A sync sends what the journal lists and clears an entry once the object
is in QuickBooks as the app has it (`clear`, only up to the id it read: a change made meanwhile stays listed). An
object that could not be sent keeps its entry, and the next run tries again; a run with nothing listed compares
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from syncer.app.models import (
    Account,
    Bill,
    BillLine,
    BillPayment,
    BillPaymentLine,
    Change,
    CreditApplication,
    Customer,
    Department,
    FundsTransfer,
    Invoice,
    InvoiceLine,
    InvoicePayment,
    InvoicePaymentLine,
    Vendor,
    VendorCredit,
    VendorCreditLine,
)

#: For each table whose rows the sync sends: the kind of the object a changed row belongs to, and that object's id.
OWNERS: dict[type[Any], tuple[str, Callable[[Any], int | None]]] = {
    Account: ("account", lambda o: o.id),
    Department: ("department", lambda o: o.id),
    Vendor: ("vendor", lambda o: o.id),
    Customer: ("customer", lambda o: o.id),
    Bill: ("bill", lambda o: o.id),
    BillLine: ("bill", lambda o: o.bill_id),
    VendorCredit: ("vendor_credit", lambda o: o.id),
    VendorCreditLine: ("vendor_credit", lambda o: o.vendor_credit_id),
    BillPayment: ("bill_payment", lambda o: o.id),
    BillPaymentLine: ("bill_payment", lambda o: o.payment_id),
    CreditApplication: ("bill_payment", lambda o: o.payment_id),
    FundsTransfer: ("funds_transfer", lambda o: o.id),
    Invoice: ("invoice", lambda o: o.id),
    InvoiceLine: ("invoice", lambda o: o.invoice_id),
    InvoicePayment: ("invoice_payment", lambda o: o.id),
    InvoicePaymentLine: ("invoice_payment", lambda o: o.payment_id),
}

_TABLE: Table = Change.__table__  # type: ignore[assignment]
_FORGET = delete(_TABLE).where(_TABLE.c.kind == bindparam("k"), _TABLE.c.app_id == bindparam("a"))
_ADD = insert(_TABLE).values(kind=bindparam("k"), app_id=bindparam("a"))
_LISTED = select(_TABLE.c.kind, _TABLE.c.app_id, _TABLE.c.id).order_by(_TABLE.c.kind, _TABLE.c.app_id)
_CLEAR = delete(_TABLE).where(_TABLE.c.kind == bindparam("k"), _TABLE.c.app_id == bindparam("a"),
                              _TABLE.c.id <= bindparam("seen"))


def record(session: Session, flush_context: Any) -> None:
    """After a flush of an app session: list the objects whose rows it added, changed or deleted."""
    if not session.info.get("journal", True):
        return
    touched: set[tuple[str, int]] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        owner = OWNERS.get(type(obj))
        if owner is None or (obj in session.dirty and not session.is_modified(obj)):
            continue
        object_id = owner[1](obj)
        if object_id is not None:
            touched.add((owner[0], object_id))
    if touched:
        mark(session, touched)


def mark(session: Session, objects: Iterable[tuple[str, int]]) -> None:
    """List objects (kind, app id) as changed: each gets a new entry, later than any the sync has read."""
    params = [{"k": kind, "a": app_id} for kind, app_id in sorted(objects)]
    connection = session.connection()
    connection.execute(_FORGET, params)
    connection.execute(_ADD, params)


def listed(session: Session) -> dict[str, list[tuple[int, int]]]:
    """The objects the journal lists, by kind: (app id, entry id), by app id."""
    session.flush()
    found: dict[str, list[tuple[int, int]]] = {}
    for row in session.connection().execute(_LISTED):
        found.setdefault(row.kind, []).append((row.app_id, row.id))
    return found


def clear(session: Session, kind: str, entries: Iterable[tuple[int, int]]) -> None:
    """The sync has sent these objects (app id, entry id read): their entries go, unless changed again since."""
    params = [{"k": kind, "a": app_id, "seen": seen} for app_id, seen in entries]
    if params:
        session.connection().execute(_CLEAR, params)
