"""Invoices whose amount due QuickBooks changed without touching them.

Whether applying a payment or a credit memo gives the invoice a new TimeModified is not certain (fakeqb's behaviour
`payment_restamps`); when it does not, the invoice's modified-date read misses the change. So, where invoice status
and amount due come from QuickBooks, each run also reads the payments and credit memos modified or deleted since the
last run and reads again the app's invoices they apply to, or applied to when last read (a voided or deleted payment
no longer names them): `qb_applications` keeps what each applied to.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from syncer.app.models import Application
from syncer.engine.context import Run
from syncer.engine.receivables import InvoicePage
from syncer.engine.state import Markers, PageLinks, advance_cursor, cursor, later, links_by_qb, since
from syncer.qbxml import txns
from syncer.qbxml.read import Element, text
from syncer.qbxml.records import read_invoice

#: What applies money or credit to invoices, and where its Ret names them.
APPLYING = {"ReceivePayment": "AppliedToTxnRet", "CreditMemo": "LinkedTxn"}


def pull_applied(run: Run, read_again: bool = True) -> None:
    """Read again the linked invoices that payments and credit memos changed in QuickBooks since the last run
    (without `read_again`, when every invoice the app has came whole in this run, it only learns what each payment
    and credit memo applies to)."""
    with run.reading("invoice", "invoices", "Invoices"), run.session() as s:
        affected: set[str] = set()
        for txn_type, tag in APPLYING.items():
            affected |= _modified(run, s, txn_type, tag)
        affected |= _deleted(run, s)
        if read_again:
            _read_again(run, s, affected)


def _modified(run: Run, s: Session, txn_type: str, tag: str) -> set[str]:
    kind = f"applied_{txn_type}"
    current = cursor(s, kind)
    start, newest, affected = since(current, run.overlap), None, set()
    skipped = run.skipped

    def page(iterator: str | None, iterator_id: str | None) -> Element:
        return txns.txn_query(txn_type, from_modified=start, include_linked=tag == "LinkedTxn",
                              max_returned=run.page_size, iterator=iterator, iterator_id=iterator_id,
                              include=("TxnID", "TimeModified", tag))

    for rets, _ in run.pages(page):
        now: dict[str, set[str]] = {}
        for el in rets:
            newest = later(newest, text(el, "TimeModified"))
            now[text(el, "TxnID") or ""] = {text(x, "TxnID") or "" for x in el.findall(tag)
                                            if text(x, "TxnType") == "Invoice"}
        affected |= _remember(s, now)
    if run.skipped == skipped:  # a record left out as unusable is read again next time
        advance_cursor(s, kind, newest, current)
    return affected


def _deleted(run: Run, s: Session) -> set[str]:
    current = cursor(s, "applied_deleted")
    newest, affected, skipped = None, set(), run.skipped
    gone: dict[str, set[str]] = {}
    for el in run.found(txns.txn_deleted_query(list(APPLYING), since(current, run.overlap))):
        newest = later(newest, text(el, "TimeDeleted"))
        gone[text(el, "TxnID") or ""] = set()
    affected |= _remember(s, gone)
    if run.skipped == skipped:
        advance_cursor(s, "applied_deleted", newest, current)
    return affected


def _remember(s: Session, now: dict[str, set[str]]) -> set[str]:
    """Record what each source (a payment or credit memo) applies to now, in a few statements for all; the invoices
    they applied to before or apply to now."""
    if not now:
        return set()
    before: dict[str, set[str]] = {}
    for source, target in s.execute(select(Application.source, Application.target)
                                    .where(Application.source.in_(list(now)))):
        before.setdefault(source, set()).add(target)
    changed = [source for source, targets in now.items() if before.get(source, set()) != targets]
    if changed:
        s.execute(delete(Application).where(Application.source.in_(changed)))
        rows = [{"source": source, "target": t} for source in changed for t in sorted(now[source])]
        if rows:
            s.execute(insert(Application), rows)
    return {t for targets in [*before.values(), *now.values()] for t in targets}


def _read_again(run: Run, s: Session, txn_ids: Iterable[str]) -> None:
    linked = sorted(links_by_qb(s, "invoice", txn_ids))
    markers = Markers(s, "invoice")
    for start in range(0, len(linked), run.page_size):
        batch = linked[start:start + run.page_size]
        records = [read_invoice(el) for el in run.found(txns.txn_query("Invoice", txn_ids=batch,
                                                                        include_lines=True))]
        links = PageLinks(s, "invoice", links_by_qb(s, "invoice", batch))
        page = InvoicePage(run, s, links, records, markers)
        for rec in records:
            page.apply(rec, again=True)
        links.write()
        s.flush()
        s.expunge_all()  # a page at a time in memory
