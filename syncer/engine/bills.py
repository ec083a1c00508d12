"""Bills: to QuickBooks (new bills and the app's edits), and from QuickBooks with 2-way bill sync.

Rules (from the help center):
* Without 2-way bill sync, bills go from the app to QuickBooks only: new bills and the app's edits; edits made in
  QuickBooks do not come back, and the app's version wins when both changed (the app is the bills' master).
* With 2-way bill sync, QuickBooks' new bills come to the app when they are fully unpaid, and edits and deletions of
  bills come too, except edits to bills paid in full in the app. A bill changed on both sides is merged field by
  field (its lines as a whole), the master in case of conflict deciding.

Bills are read page by page, what a page needs from the app's database (links, bills, vendors, references) in a few
queries for the whole page; the bills the app sends are those the change journal lists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from syncer.app import journal
from syncer.app.models import ZERO, Bill, BillLine, Link, Vendor, fold
from syncer.engine import messages
from syncer.engine.context import BlockedError, QueryError, Run
from syncer.engine.merge import merge
from syncer.engine.report import TO_APP, TO_QUICKBOOKS
from syncer.engine.state import (
    LINKED,
    PENDING,
    Markers,
    NewRow,
    PageLinks,
    Refs,
    forget,
    link_for,
    links_by_qb,
    links_for,
    refs_of,
    set_linked,
)
from syncer.engine.transactions import (
    BATCH,
    TxnSpec,
    among,
    clean,
    expense_lines,
    link_txn,
    mapped,
    need,
    only_lines,
    pull_deleted,
    send_new,
)
from syncer.errors import BadAnswerError
from syncer.qbxml import txns
from syncer.qbxml.read import Element
from syncer.qbxml.records import BillRecord, read_bill

EXPENSE_LINE = "ExpenseLineRet"


# -- the declaration, and the values both sides compare -------------------------------------------------------------

def bill_values(refs: Refs, bill: Bill) -> dict[str, Any]:
    """A bill's synced fields, references as QuickBooks IDs (None where not linked)."""
    ref = refs.qb
    return {
        "vendor": ref("vendor", bill.vendor_id),
        "number": clean(bill.number),
        "date": bill.date.isoformat(),
        "due_date": bill.due_date.isoformat() if bill.due_date else None,
        "memo": clean(bill.memo),
        "lines": [[ref("account", line.account_id), f"{line.amount:.2f}", clean(line.memo),
                   ref("customer", line.customer_id), ref("department", line.department_id),
                   bool(line.billable and line.customer_id is not None)] for line in bill.lines],
    }


def record_values(rec: BillRecord) -> dict[str, Any]:
    """A QuickBooks bill's synced fields, as `bill_values` has them."""
    return {
        "vendor": rec.vendor_id,
        "number": clean(rec.txn.ref_number),
        "date": rec.txn.date.isoformat() if rec.txn.date else None,
        "due_date": rec.due_date.isoformat() if rec.due_date else None,
        "memo": clean(rec.txn.memo),
        "lines": [[line.account_id, f"{line.amount:.2f}", clean(line.memo), line.customer_id, line.class_id,
                   bool(line.billable and line.customer_id is not None)] for line in rec.lines],
    }


def _bill(run: Run, s: Session, bill: Bill, marker: str | None, line_ids: list[str] | None = None) -> txns.Bill:
    """What a bill's Add writes (`marker`), or its Mod (`line_ids`)."""
    return txns.Bill(
        vendor_id=need(s, "vendor", bill.vendor_id, bill.vendor.name) or "",
        ap_account_id=mapped(s, run.settings, "ap_account"), date=bill.date, due_date=bill.due_date,
        ref_number=bill.number, memo=bill.memo, external_guid=marker, lines=expense_lines(s, bill.lines, line_ids))


def _saved(s: Session, bill: Bill, ret: Element | None) -> dict[str, Any]:
    """What QuickBooks saved: taken back where the app left it to QuickBooks; the link's base."""
    assert ret is not None
    rec = read_bill(ret)
    _take_back(bill, bill_values(refs_of(s), bill), rec)
    return record_values(rec)


def _take_back(bill: Bill, sent: dict[str, Any], rec: BillRecord) -> None:
    """QuickBooks' version of header fields the app left to it (a due date it filled in, a trimmed memo)."""
    qb = record_values(rec)
    if sent["due_date"] != qb["due_date"] and rec.due_date is not None and bill.due_date is None:
        bill.due_date = rec.due_date
    if sent["memo"] != qb["memo"] and clean(bill.memo) == sent["memo"]:
        bill.memo = rec.txn.memo


BILLS = TxnSpec("bill", Bill, txns.BILL, _bill, among("vendor", lines=True), lines=EXPENSE_LINE, base=_saved)


# -- bills to QuickBooks ------------------------------------------------------------------------------------------

def push_bills(run: Run) -> None:
    """Send new bills, and bills changed in the app since they last synced (those the change journal lists)."""
    entries = run.changes("bill")
    todo = []
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        with run.session() as s:
            ids = [bill_id for bill_id, _ in batch]
            bills = {b.id: b for b in s.scalars(select(Bill).options(*only_lines(Bill.lines)).where(Bill.id.in_(ids)))}
            links = links_for(s, "bill", ids)
            refs = _refs_of_bills(s, bills.values())
            settled = []
            for bill_id, entry in batch:
                bill, link = bills.get(bill_id), links.get(bill_id)
                if bill is None:
                    settled.append((bill_id, entry))
                elif link is None or link.state == PENDING:
                    todo.append((bill_id, entry, True))
                elif bill_values(refs, bill) != link.base:
                    todo.append((bill_id, entry, False))
                else:
                    settled.append((bill_id, entry))
            journal.clear(s, "bill", settled)
    for done, (bill_id, entry, adding) in enumerate(todo):
        run.tell("Bills to QuickBooks", done, len(todo))
        if adding:
            send_new(run, BILLS, bill_id, entry)
        else:
            try:
                _modify_bill(run, bill_id, entry)
            except (BlockedError, QueryError) as exc:
                run.report.error("bill", _bill_label(run, bill_id),
                                 str(exc) if isinstance(exc, BlockedError) else messages.refused("bill", exc.rs))
            except BadAnswerError as exc:
                run.report.error("bill", _bill_label(run, bill_id), messages.bad_answer("bill", exc, adding=False))
    if todo:
        run.tell("Bills to QuickBooks", len(todo), len(todo), finished=True)


def _refs_of_bills(s: Session, bills: Any) -> Refs:
    """The `Refs` of a batch of bills, their vendors' and lines' references read in one query per kind."""
    bills = list(bills)
    refs = Refs(s)
    refs.load_qb("vendor", (b.vendor_id for b in bills))
    lines = [line for b in bills for line in b.lines]
    refs.load_qb("account", (line.account_id for line in lines))
    refs.load_qb("customer", (line.customer_id for line in lines))
    refs.load_qb("department", (line.department_id for line in lines))
    return refs


CUSTOMER, CLASS = 3, 4  # positions in a line of `bill_values`


def _kept_line_ids(line_ids: list[str], base: list[list[Any]], ours: list[list[Any]]) -> list[str]:
    """The TxnLineIDs a BillMod reuses: not that of a line that lost its customer or class in the app, as QuickBooks
    keeps a reference a modified line leaves out; such a line is sent as a new one (replacing the old)."""
    kept = []
    for position, line_id in enumerate(line_ids):
        before = base[position] if position < len(base) else None
        now = ours[position] if position < len(ours) else None
        dropped = before is not None and now is not None and any(
            before[i] is not None and now[i] is None for i in (CUSTOMER, CLASS))
        kept.append(txns.NEW_LINE if dropped else line_id)
    return kept


def _bill_label(run: Run, bill_id: int) -> str:
    with run.session() as s:
        bill = s.get(Bill, bill_id)
        return bill.label if bill is not None else str(bill_id)


def _modify_bill(run: Run, bill_id: int, entry: int, retried: bool = False) -> None:
    with run.session() as s:
        bill = s.get(Bill, bill_id)
        link = link_for(s, "bill", bill_id)
        assert bill is not None and link is not None and link.qb_id is not None
        sent = bill_values(refs_of(s), bill)
        line_ids = _kept_line_ids(link.line_ids or [], (link.base or {}).get("lines") or [], sent["lines"])
        rq = txns.BILL.mod(link.qb_id, link.edit_sequence or "", _bill(run, s, bill, None, line_ids=line_ids))
        txn_id, label = link.qb_id, bill.label
    rs = run.qb.send(rq)
    if rs.code == messages.STALE and not retried:
        current = run.found(txns.txn_query("Bill", txn_ids=[txn_id], include_lines=True))
        if current:
            with run.session() as s:
                rec = read_bill(current[0])
                links = PageLinks(s, "bill", links_by_qb(s, "bill", [txn_id]))
                BillPage(run, s, links, [rec]).apply(rec, for_push=True)
                links.write()
            _modify_bill(run, bill_id, entry, retried=True)
            return
    with run.session() as s:
        bill = s.get(Bill, bill_id)
        assert bill is not None
        if rs.code in messages.NOT_FOUND_CODES:
            forget(s, "bill", bill_id)
            run.report.error("bill", label, messages.deleted_in_quickbooks("bill", label, run.brand))
        elif rs.is_error:
            run.report.error("bill", label, messages.refused("bill", rs))
        else:
            rec = read_bill(rs.rets()[0])
            _take_back(bill, sent, rec)
            link_txn(s, "bill", bill_id, rs.rets()[0], base=record_values(rec), line_tag=EXPENSE_LINE)
            journal.clear(s, "bill", [(bill_id, entry)])
            run.report.moved(TO_QUICKBOOKS, "bill", label)


# -- bills from QuickBooks (2-way bill sync) ----------------------------------------------------------------------

def pull_bills(run: Run) -> None:
    """New, edited and deleted bills in QuickBooks, in one database transaction."""

    def page(since: str | None, iterator: str | None, iterator_id: str | None) -> Element:
        return txns.txn_query("Bill", from_modified=since, include_lines=True, include_linked=True,
                              max_returned=run.page_size, iterator=iterator, iterator_id=iterator_id)

    with run.reading("bill", "bills", "Bills"), run.session() as s:
        markers = Markers(s, "bill")
        for found in run.changed(s, "bill", page, "Bills from QuickBooks"):
            records = [read_bill(el) for el in found.elements]
            batch = BillPage(run, s, found.links, records, markers)
            for rec in records:
                batch.apply(rec)
        pull_deleted(run, s, "bill", "Bill", Bill, lambda bill: _kept(run, bill))


class BillPage:
    """A page of QuickBooks bills and what the app has of them, read in a few queries: the linked bills with their
    lines, the vendors, the references of every line."""

    def __init__(self, run: Run, s: Session, links: PageLinks, records: list[BillRecord],
                 markers: Markers | None = None):
        self.run, self.s, self.links = run, s, links
        self.markers = markers or Markers(s, "bill")
        linked = [link.app_id for link in links.by_qb.values() if isinstance(link, Link)]
        self.bills = {b.id: b for b in s.scalars(select(Bill).options(*only_lines(Bill.lines))
                                                 .where(Bill.id.in_(linked)))} if linked else {}
        self.refs = refs = _refs_of_bills(s, self.bills.values())
        lines = [line for rec in records for line in rec.lines]
        refs.load_app("vendor", (rec.vendor_id for rec in records))
        refs.load_app("account", (line.account_id for line in lines))
        refs.load_app("customer", (line.customer_id for line in lines))
        refs.load_app("department", (line.class_id for line in lines))
        vendors = {refs.app("vendor", rec.vendor_id) for rec in records} | {b.vendor_id for b in self.bills.values()}
        vendors.discard(None)
        self.vendors = {v.id: v for v in s.scalars(select(Vendor).options(lazyload("*"))
                                                   .where(Vendor.id.in_(vendors)))} if vendors else {}

    def apply(self, rec: BillRecord, for_push: bool = False) -> None:
        """Bring one QuickBooks bill into the app (new, or merged with the app's version)."""
        run, s = self.run, self.s
        txn_id = rec.txn.txn_id
        link = self.links.get(txn_id)
        if link is not None and link.state == LINKED and link.edit_sequence == rec.txn.edit_sequence:
            return
        qb = record_values(rec)
        if link is None:
            pending = self.markers.app_id(rec.txn.external_guid)
            if pending is not None:  # the app's own bill, whose Add response was lost
                set_linked(s, "bill", pending, txn_id, rec.txn.edit_sequence, base=qb,
                           line_ids=[line.line_id for line in rec.lines])
                self.markers.adopted(rec.txn.external_guid or "")
                return
            if not for_push:
                self._new_bill(rec, qb)
            return
        bill = self.bills.get(link.app_id) if isinstance(link, Link) else link.obj
        if bill is None or isinstance(bill, NewRow):
            return
        if not run.settings.two_way_bill_sync or bill.status == "Paid":
            # The app's version stands; QuickBooks' EditSequence and lines are what the next Mod needs. After a stale
            # Mod (for_push) the base becomes QuickBooks' version, so the app's whole version is sent again.
            own = qb == bill_values(self.refs, bill)  # the app's own edit, read back after a lost response
            if not for_push and qb != link.base and not own:
                run.report.notice("bill", bill.label, "This bill was changed in QuickBooks after it was paid in full "
                                                      f"in {run.brand}; edits to fully paid bills do not sync, so "
                                                      f"{run.brand} keeps its version. Edit the bill in QuickBooks "
                                                      "back if the change was a mistake.")
            link.edit_sequence, link.line_ids = rec.txn.edit_sequence, [x.line_id for x in rec.lines]
            if for_push or own:
                link.base = qb
            return
        ours = bill_values(self.refs, bill)
        merged = merge(link.base, ours, qb, run.app_is_master)
        if merged.from_quickbooks:
            problem = self._set_bill(bill, merged.values)
            if problem:
                run.report.error("bill", bill.label, problem)
                return
            run.report.moved(TO_APP, "bill", bill.label)
        if merged.conflicts:
            run.report.notice("bill", bill.label, messages.conflict("bill", bill.label, merged.conflicts,
                                                                    run.settings.conflict_master, run.brand))
        link.edit_sequence, link.line_ids, link.base = rec.txn.edit_sequence, [x.line_id for x in rec.lines], qb

    def _new_bill(self, rec: BillRecord, qb: dict[str, Any]) -> None:
        """A QuickBooks bill the app does not have: a new row, inserted with the page's others."""
        run = self.run
        name = f"{rec.txn.ref_number or rec.txn.txn_id}"
        if rec.has_payments:
            return  # only fully unpaid bills come to the app; QuickBooks' payments do not sync
        if rec.item_lines:
            run.report.error("bill", name, "This bill has item lines, which do not sync: only bills with expense "
                                           f"lines come to {run.brand}.")
            return
        found = self._columns(qb, ZERO, rec.txn.date or date.today())
        if isinstance(found, str):
            run.report.error("bill", name, found)
            return
        header, lines = found
        header.update(origin="QuickBooks", paid_amount=ZERO, key=fold(header["number"]))
        row = self.links.inserts.add(Bill, header, lines=(BillLine, "bill_id", lines))
        self.links.link(row, rec.txn.txn_id, rec.txn.edit_sequence, base=qb,
                        line_ids=[line.line_id for line in rec.lines])
        run.report.moved(TO_APP, "bill", Bill.label_for(self._vendor(header["vendor_id"]).name, header["number"],
                                                        header["date"]))

    def _set_bill(self, bill: Bill, values: dict[str, Any]) -> str | None:
        """Give the app's bill these values (references as QuickBooks IDs); what is wrong, if it cannot."""
        found = self._columns(values, bill.paid_amount, bill.date)
        if isinstance(found, str):
            return found
        header, lines = found
        for name, value in header.items():
            setattr(bill, name, value)
        bill.vendor = self._vendor(header["vendor_id"])
        bill.lines = [BillLine(**line) for line in lines]
        return None

    def _columns(self, values: dict[str, Any], paid: Decimal, day: date) -> tuple[dict[str, Any], list[Any]] | str:
        """A bill's columns and its lines' from its synced values (references as QuickBooks IDs; `paid` is what the
        app has paid of it, `day` its date if the values have none); what is wrong, if they cannot be taken."""
        refs = self.refs
        vendor = refs.app("vendor", values["vendor"])
        if vendor is None:
            return "Its vendor is not in the app yet; it will come with a later sync."
        lines = []
        for position, (account, amount, memo, customer, department, billable) in enumerate(values["lines"], 1):
            account_id = refs.app("account", account)
            if account_id is None:
                return f"The account of line {position} is not in the app yet; it will come with a later sync."
            lines.append({"position": position, "account_id": account_id, "amount": Decimal(amount), "memo": memo,
                          "customer_id": refs.app("customer", customer),
                          "department_id": refs.app("department", department), "billable": bool(billable)})
        total = sum((line["amount"] for line in lines), ZERO)
        if total < paid:
            return (f"QuickBooks lowered the bill to {total:.2f}, below the {paid:.2f} already paid in the app; the "
                    "change was not taken.")
        return {"vendor_id": vendor, "number": values["number"],
                "date": date.fromisoformat(values["date"]) if values["date"] else day,
                "due_date": date.fromisoformat(values["due_date"]) if values["due_date"] else None,
                "memo": values["memo"], "amount": total}, lines

    def _vendor(self, vendor_id: int) -> Vendor:
        found = self.vendors.get(vendor_id) or self.s.get(Vendor, vendor_id, options=(lazyload("*"),))
        assert found is not None
        return found


def _kept(run: Run, bill: Bill) -> str | None:
    """Why a bill deleted in QuickBooks stays in the app: its payments or credits there."""
    if bill.paid_amount == ZERO:
        return None
    return (f"This bill was deleted in QuickBooks, but it has payments or credits in {run.brand}, so it was kept. "
            "Void those first, or enter the bill in QuickBooks again.")
