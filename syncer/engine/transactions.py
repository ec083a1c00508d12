"""Transactions the app sends to QuickBooks: the declaration of a type (`TxnSpec`), and sending a new one so that a
lost response never makes a duplicate. What is sent is what the change journal lists (`syncer.app.journal`).

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

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload, selectinload

from syncer.app import journal
from syncer.app.models import Link, Settings
from syncer.engine import messages
from syncer.engine.context import BlockedError, QueryError, Run
from syncer.engine.report import TO_APP, TO_QUICKBOOKS
from syncer.engine.state import (
    LINKED,
    PENDING,
    advance_cursor,
    cursor_since,
    forget,
    later,
    link_by_qb,
    link_for,
    mark_pending,
    new_marker,
    refs_of,
    rows,
    same_marker,
    set_linked,
)
from syncer.errors import BadAnswerError, RequestRejectedError
from syncer.kinds import plural
from syncer.qbxml import txns
from syncer.qbxml.build import Element
from syncer.qbxml.read import Rs, text

ADOPTED = object()  # the lookup found the write done (e.g. credits applied by a payment that made no transaction)

#: (run, session, app object, marker) -> the values its Add writes; BlockedError while it refers to what is not synced.
Values = Callable[[Run, Session, Any, str], Any]
#: (run, session, spec, app object, marker) -> the pending Add found in QuickBooks: its Ret, ADOPTED, or None.
Find = Callable[[Run, Session, "TxnSpec", Any, str], Any]
#: (session, app object, the saved Ret) -> the values the link keeps as agreed by both sides.
Base = Callable[[Session, Any, Element | None], dict[str, Any]]


@dataclass(frozen=True)
class TxnSpec:
    """A transaction type the app sends to QuickBooks, declared once: `push_new` and `send_new` do the rest.

    `request` is its qbXML declaration, whose name is also the type a lookup queries; `lines` the Ret's lines whose
    TxnLineIDs the link keeps; `base` may also take back into the app object what QuickBooks filled in; `refused`
    words QuickBooks' refusal (by default `messages.refused`); `sends` selects the rows the app sends (all of them by
    default).
    """

    kind: str  # link and report kind ("bill")
    model: type[Any]  # its table in the app
    request: txns.TxnRequest[Any]
    values: Values
    find: Find
    lines: str | None = None
    base: Base | None = None
    refused: Callable[[Run, Any, Rs], str] | None = None
    sends: tuple[Any, ...] = ()

    @property
    def noun(self) -> str:
        return self.kind.replace("_", " ")


def among(entity: str, lines: bool = False) -> Find:
    """Find a pending Add by its marker among the transactions of its type with the object's `entity` (vendor,
    customer) on its date (with their lines, for a type whose link keeps what QuickBooks saved)."""

    def find(run: Run, s: Session, spec: TxnSpec, obj: Any, marker: str) -> Any:
        entity_id = refs_of(s).qb(entity, getattr(obj, f"{entity}_id"))
        return by_marker(run, txns.txn_query(spec.request.name, entity_id=entity_id, from_date=obj.date,
                                             to_date=obj.date, include_lines=lines), marker) if entity_id else None

    return find


BATCH = 500  # journal entries checked per query


def push_new(run: Run, spec: TxnSpec) -> None:
    """Send the objects of a type that the change journal lists and QuickBooks does not have (those whose Add may
    have been lost looked for first)."""
    entries = run.changes(spec.kind)
    todo: list[tuple[int, int]] = []
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        with run.session() as s:
            ids = [app_id for app_id, _ in batch]
            sendable = set(s.scalars(select(spec.model.id).where(spec.model.id.in_(ids), *spec.sends)))
            states = dict(rows(s, _STATES, kind=spec.kind, ids=ids).all())
            journal.clear(s, spec.kind, [(i, e) for i, e in batch if i not in sendable or states.get(i) == LINKED])
            todo += [(i, e) for i, e in batch if i in sendable and states.get(i, PENDING) == PENDING]
    phase = f"{plural(spec.kind)} to QuickBooks"
    for done, (object_id, entry) in enumerate(todo):
        run.tell(phase, done, len(todo))
        send_new(run, spec, object_id, entry)
    if todo:
        run.tell(phase, len(todo), len(todo), finished=True)


_LINKS = Link.__table__.c
_STATES = select(_LINKS.app_id, _LINKS.state).where(_LINKS.kind == bindparam("kind"),
                                                    _LINKS.app_id.in_(bindparam("ids", expanding=True)))


def send_new(run: Run, spec: TxnSpec, object_id: int, entry: int | None = None) -> bool:
    """Send one object unless it is already in QuickBooks; whether it is in QuickBooks now. Once it is, its journal
    `entry` is cleared."""
    try:
        with run.session() as s:
            obj = s.get(spec.model, object_id)
            if obj is None:
                return False
            label = obj.label
            link = link_for(s, spec.kind, object_id)
            if link is not None and link.state == LINKED:
                _settled(s, spec, object_id, entry)
                return True
            marker = link.marker if link is not None and link.marker else new_marker()
            if link is not None and link.state == PENDING:
                found = spec.find(run, s, spec, obj, marker)
                if found is not None:
                    _link(s, spec, obj, None if found is ADOPTED else found)
                    _settled(s, spec, object_id, entry)
                    run.report.moved(TO_QUICKBOOKS, spec.kind, label)
                    return True
            rq = spec.request.add(spec.values(run, s, obj, marker))
            mark_pending(s, spec.kind, object_id, marker, link=link)
    except BlockedError as exc:
        run.report.error(spec.kind, label, str(exc))
        return False
    except QueryError as exc:
        run.report.error(spec.kind, label, messages.refused(spec.noun, exc.rs))
        return False
    except BadAnswerError as exc:
        run.report.error(spec.kind, label, messages.bad_lookup(spec.noun, exc))
        return False
    try:
        rs = run.qb.send(rq)
    except RequestRejectedError as exc:
        with run.session() as s:
            forget(s, spec.kind, object_id)
        run.report.error(spec.kind, label, exc.message)
        return False
    except BadAnswerError as exc:  # QuickBooks may have saved it: the link stays pending, found by its marker
        run.report.error(spec.kind, label, messages.bad_answer(spec.noun, exc, adding=True))
        return False
    if rs.is_error:
        message = spec.refused(run, obj, rs) if spec.refused else messages.refused(spec.noun, rs)
        with run.session() as s:
            forget(s, spec.kind, object_id)
        run.report.error(spec.kind, label, message)
        return False
    with run.session() as s:
        s.add(obj)  # the object as read above (its references loaded), in this session again
        rets = rs.rets()
        _link(s, spec, obj, rets[0] if rets else None)
        _settled(s, spec, object_id, entry)
    run.report.moved(TO_QUICKBOOKS, spec.kind, label)
    return True


def _settled(s: Session, spec: TxnSpec, object_id: int, entry: int | None) -> None:
    if entry is not None:
        journal.clear(s, spec.kind, [(object_id, entry)])


def _link(s: Session, spec: TxnSpec, obj: Any, ret: Element | None) -> None:
    link_txn(s, spec.kind, obj.id, ret, base=spec.base(s, obj, ret) if spec.base else None, line_tag=spec.lines)


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


def pull_deleted(run: Run, s: Session, kind: str, txn_type: str, model: type[Any],
                 kept: Callable[[Any], str | None]) -> None:
    """The app's transactions of `kind` whose `txn_type` QuickBooks deleted since the last read are deleted in the app
    too, unless `kept` says why one stays (a sync error for it)."""
    cursor_kind = f"{kind}_deleted"
    newest, skipped = None, run.skipped
    for el in run.found(txns.txn_deleted_query([txn_type], cursor_since(s, cursor_kind, run.overlap))):
        newest = later(newest, text(el, "TimeDeleted"))
        link = link_by_qb(s, kind, text(el, "TxnID") or "")
        obj = s.get(model, link.app_id) if link is not None else None
        if link is None or obj is None:
            continue
        why = kept(obj)
        if why is not None:
            run.report.error(kind, obj.label, why)
            continue
        label = obj.label
        s.delete(obj)
        s.delete(link)
        run.report.moved(TO_APP, kind, f"{label} (deleted)")
    if run.skipped == skipped:  # a record left out as unusable is read again next time
        advance_cursor(s, cursor_kind, newest)


def by_marker(run: Run, rq: Element, marker: str) -> Element | None:
    """The transaction among a query's answers whose ExternalGUID is `marker`."""
    for el in run.found(rq):
        if same_marker(text(el, "ExternalGUID"), marker):
            return el
    return None


# -- what the values of an Add are made of ------------------------------------------------------------------------

def clean(value: Any) -> str | None:
    """Text as both sides compare it: stripped, blank is None."""
    if value is None:
        return None
    result = str(value).strip()
    return result or None


def need(s: Session, kind: str, object_id: int | None, name: str) -> str | None:
    """The QuickBooks ID of a referenced object; BlockedError when it is not in QuickBooks yet."""
    if object_id is None:
        return None
    found = refs_of(s).qb(kind, object_id)
    if found is None:
        raise BlockedError(messages.not_synced(kind, name))
    return found


def mapped(s: Session, settings: Settings, mapping: str) -> str | None:
    """The QuickBooks ID of a mapped account (`ap_account`...), None when none is mapped."""
    account = getattr(settings, mapping)
    return need(s, "account", getattr(settings, f"{mapping}_id"), account.full_name if account else "")


def expense_lines(s: Session, lines: list[Any], line_ids: list[str] | None = None) -> list[txns.ExpenseLine]:
    """A bill's or vendor credit's lines; with `line_ids` (a Mod), each line's TxnLineID (NEW_LINE for a new one)."""
    refs = refs_of(s)
    refs.load_qb("account", (line.account_id for line in lines))
    refs.load_qb("customer", (line.customer_id for line in lines))
    refs.load_qb("department", (line.department_id for line in lines))
    result = []
    for position, line in enumerate(lines):
        result.append(txns.ExpenseLine(
            account_id=need(s, "account", line.account_id, line.account.full_name) or "",
            amount=line.amount, memo=line.memo,
            customer_id=need(s, "customer", line.customer_id, line.customer.full_name if line.customer else ""),
            class_id=need(s, "department", line.department_id, line.department.full_name if line.department else ""),
            billable=line.billable if line.customer_id is not None else None,
            line_id=(line_ids[position] if line_ids and position < len(line_ids) else txns.NEW_LINE)
            if line_ids is not None else None,
        ))
    return result


def only_lines(lines: Any) -> tuple[Any, ...]:
    """Loader options for a scan: the lines' columns, none of the graph the app's snapshots load."""
    return lazyload("*"), selectinload(lines).lazyload("*")
