"""Sending a new transaction so that a lost response never makes a duplicate.

Before an Add is sent, the app records a pending link with a marker (a GUID). The marker travels in the
transaction's ExternalGUID (or, for a transfer, whose schema has none, at the end of its memo). When the request
processor fails after QuickBooks may have saved the transaction, the link stays pending; before anything is sent
again, the next run looks for the marker among the transactions of that vendor or customer on that date (a narrow
query, whatever the company's size) and adopts what it finds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from syncer.engine import messages
from syncer.engine.context import BlockedError, QueryError, Run
from syncer.engine.report import TO_QUICKBOOKS
from syncer.engine.state import LINKED, PENDING, forget, link_for, mark_pending, new_marker, same_marker, set_linked
from syncer.errors import RequestRejectedError
from syncer.qbxml.build import Element
from syncer.qbxml.read import Rs, text

#: Looks for a pending write's transaction in QuickBooks: (session, marker) -> its Ret, ADOPTED, or None.
Lookup = Callable[[Session, str], Any]
#: Records a saved transaction in the app: (session, its Ret, or None when QuickBooks saved no transaction).
Finish = Callable[[Session, Element | None], None]

ADOPTED = object()  # the lookup found the write done (e.g. credits applied by a payment that made no transaction)


@dataclass
class NewTxn:
    """How to send one new transaction of the app."""

    kind: str
    object_id: int
    label: str
    build: Callable[[Session, str], Element]  # (session, marker) -> the Add request; raises BlockedError
    lookup: Lookup
    finish: Finish
    refused: Callable[[Rs], str]


def send_new(run: Run, txn: NewTxn) -> bool:
    """Send `txn` unless it is already in QuickBooks; whether it is in QuickBooks now."""
    try:
        return _send_new(run, txn)
    except BlockedError as exc:
        run.report.error(txn.kind, txn.label, str(exc))
    except QueryError as exc:
        run.report.error(txn.kind, txn.label, messages.refused(txn.kind.replace("_", " "), exc.rs))
    return False


def _send_new(run: Run, txn: NewTxn) -> bool:
    with run.app.session() as s:
        link = link_for(s, txn.kind, txn.object_id)
        if link is not None and link.state == LINKED:
            return True
        marker = link.marker if link is not None and link.marker else new_marker()
        if link is not None and link.state == PENDING:
            found = txn.lookup(s, marker)
            if found is not None:
                txn.finish(s, None if found is ADOPTED else found)
                run.report.moved(TO_QUICKBOOKS, txn.kind, txn.label)
                return True
        rq = txn.build(s, marker)
        mark_pending(s, txn.kind, txn.object_id, marker)
    try:
        rs = run.qb.send(rq)
    except RequestRejectedError as exc:
        with run.app.session() as s:
            forget(s, txn.kind, txn.object_id)
        run.report.error(txn.kind, txn.label, exc.message)
        return False
    if rs.is_error:
        message = txn.refused(rs)
        with run.app.session() as s:
            forget(s, txn.kind, txn.object_id)
        run.report.error(txn.kind, txn.label, message)
        return False
    with run.app.session() as s:
        rets = rs.rets()
        txn.finish(s, rets[0] if rets else None)
    run.report.moved(TO_QUICKBOOKS, txn.kind, txn.label)
    return True


def link_txn(s: Session, kind: str, object_id: int, ret: Element | None, base: dict[str, Any] | None = None,
             line_tag: str | None = None) -> None:
    """Link an app transaction to the one QuickBooks saved (no TxnID when QuickBooks saved none)."""
    txn_id = text(ret, "TxnID") if ret is not None else None
    edit_sequence = text(ret, "EditSequence") if ret is not None else None
    line_ids = [text(line, "TxnLineID") or "" for line in ret.findall(line_tag)] \
        if ret is not None and line_tag else None
    link = set_linked(s, kind, object_id, txn_id or "", edit_sequence or "", base=base, line_ids=line_ids)
    if txn_id is None:
        link.qb_id = None


def by_marker(run: Run, rq: Element, marker: str) -> Element | None:
    """The transaction among a query's answers whose ExternalGUID is `marker`."""
    for el in run.found(rq):
        if same_marker(text(el, "ExternalGUID"), marker):
            return el
    return None
