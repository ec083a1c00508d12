"""Payables: bills (both ways with 2-way bill sync), vendor credits, bill payments and funds transfers (to QuickBooks).

Rules (from the help center):
* Without 2-way bill sync, bills go from the app to QuickBooks only: new bills and the app's edits; edits made in
  QuickBooks do not come back, and the app's version wins when both changed (the app is the bills' master).
* With 2-way bill sync, QuickBooks' new bills come to the app when they are fully unpaid, and edits and deletions of
  bills come too, except edits to bills paid in full in the app. A bill changed on both sides is merged field by
  field (its lines as a whole), the master in case of conflict deciding.
* Vendor credits, their application, payments and funds transfers go from the app to QuickBooks only. A vendor credit
  edited in the app after its first sync is not sent again (the user is told). Credits applied to a bill travel with
  the payment that pays the rest of it (SetCredit), a $0.00 payment when the credit covers the whole bill.
* A payment made through the app posts to the clearing account when the app records funds transfers, and the day's
  lump-sum transfer moves the money from the bank to the clearing account.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, selectinload

from syncer.app.models import (
    ZERO,
    Bill,
    BillLine,
    BillPayment,
    CreditApplication,
    FundsTransfer,
    Settings,
    VendorCredit,
)
from syncer.engine import messages
from syncer.engine.context import BlockedError, QueryError, Run
from syncer.engine.merge import merge
from syncer.engine.report import TO_APP, TO_QUICKBOOKS
from syncer.engine.state import (
    LINKED,
    PENDING,
    QbIds,
    advance_cursor,
    already_read,
    app_id,
    cursor_since,
    forget,
    known_versions,
    later,
    link_by_qb,
    link_for,
    link_rows,
    link_states,
    links_of,
    pending_with_marker,
    qb_id,
    set_linked,
)
from syncer.engine.transactions import ADOPTED, NewTxn, by_marker, link_txn, send_new
from syncer.qbxml import txns
from syncer.qbxml.read import Element, text
from syncer.qbxml.records import BillRecord, read_bill, read_txn, version

EXPENSE_LINE = "ExpenseLineRet"


# -- values both sides compare ------------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    if value is None:
        return None
    result = str(value).strip()
    return result or None


def _need(s: Session, kind: str, object_id: int | None, name: str) -> str | None:
    """The QuickBooks ID of a referenced object; BlockedError when it is not in QuickBooks yet."""
    if object_id is None:
        return None
    found = qb_id(s, kind, object_id)
    if found is None:
        raise BlockedError(messages.not_synced(kind, name))
    return found


def bill_values(s: Session, bill: Bill, ids: QbIds | None = None) -> dict[str, Any]:
    """A bill's synced fields, references as QuickBooks IDs (None where not linked; `ids` looks them up in a scan)."""
    ref = ids or (lambda kind, object_id: qb_id(s, kind, object_id))
    return {
        "vendor": ref("vendor", bill.vendor_id),
        "number": _text(bill.number),
        "date": bill.date.isoformat(),
        "due_date": bill.due_date.isoformat() if bill.due_date else None,
        "memo": _text(bill.memo),
        "lines": [[ref("account", line.account_id), f"{line.amount:.2f}", _text(line.memo),
                   ref("customer", line.customer_id), ref("department", line.department_id),
                   bool(line.billable and line.customer_id is not None)] for line in bill.lines],
    }


def record_values(rec: BillRecord) -> dict[str, Any]:
    """A QuickBooks bill's synced fields, as `bill_values` has them."""
    return {
        "vendor": rec.vendor_id,
        "number": _text(rec.txn.ref_number),
        "date": rec.txn.date.isoformat() if rec.txn.date else None,
        "due_date": rec.due_date.isoformat() if rec.due_date else None,
        "memo": _text(rec.txn.memo),
        "lines": [[line.account_id, f"{line.amount:.2f}", _text(line.memo), line.customer_id, line.class_id,
                   bool(line.billable and line.customer_id is not None)] for line in rec.lines],
    }


def _expense_lines(s: Session, lines: list[Any], line_ids: list[str] | None = None) -> list[txns.ExpenseLine]:
    result = []
    for position, line in enumerate(lines):
        result.append(txns.ExpenseLine(
            account_id=_need(s, "account", line.account_id, line.account.full_name) or "",
            amount=line.amount, memo=line.memo,
            customer_id=_need(s, "customer", line.customer_id, line.customer.full_name if line.customer else ""),
            class_id=_need(s, "department", line.department_id,
                           line.department.full_name if line.department else ""),
            billable=line.billable if line.customer_id is not None else None,
            line_id=(line_ids[position] if line_ids and position < len(line_ids) else txns.NEW_LINE)
            if line_ids is not None else None,
        ))
    return result


def _ap_account(s: Session, settings: Settings) -> str | None:
    if settings.ap_account_id is None:
        return None
    found = qb_id(s, "account", settings.ap_account_id)
    if found is None:
        raise BlockedError(messages.not_synced("account", settings.ap_account.full_name if settings.ap_account else ""))
    return found


def _bill_doc(s: Session, settings: Settings, bill: Bill, marker: str | None,
              line_ids: list[str] | None = None) -> txns.Bill:
    return txns.Bill(
        vendor_id=_need(s, "vendor", bill.vendor_id, bill.vendor.name) or "",
        ap_account_id=_ap_account(s, settings), date=bill.date, due_date=bill.due_date, ref_number=bill.number,
        memo=bill.memo, external_guid=marker, lines=_expense_lines(s, bill.lines, line_ids))


def _only_lines(lines: Any) -> tuple[Any, ...]:
    """Loader options for a scan: the lines' columns, none of the graph the app's snapshots load."""
    return lazyload("*"), selectinload(lines).lazyload("*")


# -- bills to QuickBooks ------------------------------------------------------------------------------------------

def push_bills(run: Run) -> None:
    """Send new bills, and bills changed in the app since they last synced."""
    with run.app.session() as s:
        links = link_rows(s, "bill")
        ids = QbIds(s)
        todo = []
        for bill in s.scalars(select(Bill).options(*_only_lines(Bill.lines)).order_by(Bill.id)):
            link = links.get(bill.id)
            if link is None or link.state == PENDING:
                todo.append((bill.id, True))
            elif bill_values(s, bill, ids) != link.base:
                todo.append((bill.id, False))
    for bill_id, adding in todo:
        if adding:
            _add_bill(run, bill_id)
        else:
            try:
                _modify_bill(run, bill_id)
            except (BlockedError, QueryError) as exc:
                run.report.error("bill", _bill_label(run, bill_id),
                                 str(exc) if isinstance(exc, BlockedError) else messages.refused("bill", exc.rs))


def _bill_label(run: Run, bill_id: int) -> str:
    with run.app.session() as s:
        bill = s.get(Bill, bill_id)
        return bill.label if bill is not None else str(bill_id)


def _add_bill(run: Run, bill_id: int) -> None:
    with run.app.session() as s:
        bill = s.get(Bill, bill_id)
        assert bill is not None
        label, vendor_id, bill_date = bill.label, bill.vendor_id, bill.date

    def build(s: Session, marker: str) -> Element:
        bill = s.get(Bill, bill_id)
        assert bill is not None
        return txns.bill_add(_bill_doc(s, run.settings, bill, marker))

    def lookup(s: Session, marker: str) -> Any:
        vendor = qb_id(s, "vendor", vendor_id)
        return by_marker(run, txns.txn_query("Bill", entity_id=vendor, from_date=bill_date, to_date=bill_date,
                                             include_lines=True), marker) if vendor else None

    def finish(s: Session, ret: Element | None) -> None:
        bill = s.get(Bill, bill_id)
        assert bill is not None and ret is not None
        _take_back(bill, bill_values(s, bill), read_bill(ret))
        link_txn(s, "bill", bill_id, ret, base=record_values(read_bill(ret)), line_tag=EXPENSE_LINE)

    send_new(run, NewTxn("bill", bill_id, label, build, lookup, finish, lambda rs: messages.refused("bill", rs)))


def _take_back(bill: Bill, sent: dict[str, Any], rec: BillRecord) -> None:
    """QuickBooks' version of header fields the app left to it (a due date it filled in, a trimmed memo)."""
    qb = record_values(rec)
    if sent["due_date"] != qb["due_date"] and rec.due_date is not None and bill.due_date is None:
        bill.due_date = rec.due_date
    if sent["memo"] != qb["memo"] and _text(bill.memo) == sent["memo"]:
        bill.memo = rec.txn.memo


def _modify_bill(run: Run, bill_id: int, retried: bool = False) -> None:
    with run.app.session() as s:
        bill = s.get(Bill, bill_id)
        link = link_for(s, "bill", bill_id)
        assert bill is not None and link is not None and link.qb_id is not None
        sent = bill_values(s, bill)
        rq = txns.bill_mod(link.qb_id, link.edit_sequence or "",
                           _bill_doc(s, run.settings, bill, None, line_ids=link.line_ids or []))
        txn_id, label = link.qb_id, bill.label
    rs = run.qb.send(rq)
    if rs.code == messages.STALE and not retried:
        current = run.found(txns.txn_query("Bill", txn_ids=[txn_id], include_lines=True))
        if current:
            with run.app.session() as s:
                _apply_bill(run, s, read_bill(current[0]), for_push=True)
            _modify_bill(run, bill_id, retried=True)
            return
    with run.app.session() as s:
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
            run.report.moved(TO_QUICKBOOKS, "bill", label)


# -- bills from QuickBooks (2-way bill sync) ----------------------------------------------------------------------

def pull_bills(run: Run) -> None:
    """New, edited and deleted bills in QuickBooks, in one database transaction."""
    try:
        with run.app.session() as s:
            since = cursor_since(s, "bill", run.overlap)
            newest = None

            def page(iterator: str | None, iterator_id: str | None) -> Element:
                return txns.txn_query("Bill", from_modified=since, include_lines=True, include_linked=True,
                                      max_returned=run.page_size, iterator=iterator, iterator_id=iterator_id)

            known = known_versions(s, "bill")
            for rets in run.pages(page):
                for el in rets:
                    txn_id, edit_sequence, modified = version(el, "TxnID")
                    if not already_read(known, txn_id, edit_sequence):
                        known.pop(txn_id, None)
                        _apply_bill(run, s, read_bill(el))
                    newest = later(newest, modified)
                s.flush()
                s.expunge_all()
            advance_cursor(s, "bill", newest)
            _pull_deleted_bills(run, s)
    except QueryError as exc:
        run.report.error("bill", "bills", f"Bills could not be read from QuickBooks ({messages.said(exc.rs)}).")


def _apply_bill(run: Run, s: Session, rec: BillRecord, for_push: bool = False) -> None:
    """Bring one QuickBooks bill into the app (new, or merged with the app's version)."""
    txn_id = rec.txn.txn_id
    link = link_by_qb(s, "bill", txn_id)
    if link is not None and link.state == LINKED and link.edit_sequence == rec.txn.edit_sequence:
        return
    qb = record_values(rec)
    if link is None:
        pending = pending_with_marker(s, "bill", rec.txn.external_guid)
        if pending is not None:  # the app's own bill, whose Add response was lost
            set_linked(s, "bill", pending, txn_id, rec.txn.edit_sequence, base=qb,
                       line_ids=[line.line_id for line in rec.lines])
            return
        if not for_push:
            _new_bill(run, s, rec, qb)
        return
    bill = s.get(Bill, link.app_id)
    if bill is None:
        return
    if not run.settings.two_way_bill_sync or bill.status == "Paid":
        # The app's version stands; QuickBooks' EditSequence and lines are what the next Mod needs. After a stale
        # Mod (for_push) the base becomes QuickBooks' version, so the app's whole version is sent again.
        if not for_push and qb != link.base:
            run.report.notice("bill", bill.label, "This bill was changed in QuickBooks after it was paid in full in "
                                                  f"{run.brand}; edits to fully paid bills do not sync.")
        link.edit_sequence, link.line_ids = rec.txn.edit_sequence, [x.line_id for x in rec.lines]
        if for_push:
            link.base = qb
        return
    ours = bill_values(s, bill)
    merged = merge(link.base, ours, qb, run.app_is_master)
    if merged.from_quickbooks:
        problem = _set_bill(s, bill, merged.values)
        if problem:
            run.report.error("bill", bill.label, problem)
            return
        run.report.moved(TO_APP, "bill", bill.label)
    if merged.conflicts:
        run.report.notice("bill", bill.label, messages.conflict("bill", bill.label, merged.conflicts,
                                                                run.settings.conflict_master, run.brand))
    link.edit_sequence, link.line_ids, link.base = rec.txn.edit_sequence, [x.line_id for x in rec.lines], qb


def _new_bill(run: Run, s: Session, rec: BillRecord, qb: dict[str, Any]) -> None:
    name = f"{rec.txn.ref_number or rec.txn.txn_id}"
    if rec.has_payments:
        return  # only fully unpaid bills come to the app; QuickBooks' payments do not sync
    if rec.item_lines:
        run.report.error("bill", name, "This bill has item lines, which do not sync: only bills with expense lines "
                                       f"come to {run.brand}.")
        return
    bill = Bill(origin="QuickBooks", amount=ZERO, paid_amount=ZERO, date=rec.txn.date or date.today())
    problem = _set_bill(s, bill, qb)
    if problem:
        run.report.error("bill", name, problem)
        return
    s.add(bill)
    s.flush()
    set_linked(s, "bill", bill.id, rec.txn.txn_id, rec.txn.edit_sequence, base=qb,
               line_ids=[line.line_id for line in rec.lines])
    run.report.moved(TO_APP, "bill", bill.label)


def _set_bill(s: Session, bill: Bill, values: dict[str, Any]) -> str | None:
    """Give the app's bill these values (references as QuickBooks IDs); what is wrong, if it cannot."""
    vendor = app_id(s, "vendor", values["vendor"])
    if vendor is None:
        return "Its vendor is not in the app yet; it will come with a later sync."
    lines = []
    for position, (account, amount, memo, customer, department, billable) in enumerate(values["lines"], 1):
        account_id = app_id(s, "account", account)
        if account_id is None:
            return f"The account of line {position} is not in the app yet; it will come with a later sync."
        lines.append(BillLine(position=position, account_id=account_id, amount=Decimal(amount), memo=memo,
                              customer_id=app_id(s, "customer", customer),
                              department_id=app_id(s, "department", department), billable=bool(billable)))
    total = sum((line.amount for line in lines), ZERO)
    if total < bill.paid_amount:
        return (f"QuickBooks lowered the bill to {total:.2f}, below the {bill.paid_amount:.2f} already paid in the "
                "app; the change was not taken.")
    bill.vendor_id = vendor
    bill.number = values["number"]
    bill.date = date.fromisoformat(values["date"]) if values["date"] else bill.date
    bill.due_date = date.fromisoformat(values["due_date"]) if values["due_date"] else None
    bill.memo = values["memo"]
    bill.lines = lines
    bill.amount = total
    return None


def _pull_deleted_bills(run: Run, s: Session) -> None:
    since = cursor_since(s, "bill_deleted", run.overlap)
    newest = None
    for el in run.found(txns.txn_deleted_query(["Bill"], since)):
        newest = later(newest, text(el, "TimeDeleted"))
        link = link_by_qb(s, "bill", text(el, "TxnID") or "")
        bill = s.get(Bill, link.app_id) if link is not None else None
        if link is None or bill is None:
            continue
        if bill.paid_amount != ZERO:
            run.report.error("bill", bill.label, f"This bill was deleted in QuickBooks, but it has payments or "
                                                 f"credits in {run.brand}, so it was kept. Void those first, or "
                                                 "enter the bill in QuickBooks again.")
            continue
        label = bill.label
        s.delete(bill)
        s.delete(link)
        run.report.moved(TO_APP, "bill", f"{label} (deleted)")
    advance_cursor(s, "bill_deleted", newest)


# -- vendor credits -----------------------------------------------------------------------------------------------

def _credit_values(s: Session, credit: VendorCredit) -> dict[str, Any]:
    """What of a vendor credit the app compares to notice an edit after its first sync."""
    return {"number": _text(credit.number), "date": credit.date.isoformat(), "memo": _text(credit.memo),
            "lines": [[line.account_id, f"{line.amount:.2f}", _text(line.memo)] for line in credit.lines]}


def push_vendor_credits(run: Run) -> None:
    with run.app.session() as s:
        links = links_of(s, "vendor_credit")
        todo = []
        for credit in s.scalars(select(VendorCredit).options(*_only_lines(VendorCredit.lines))
                                .order_by(VendorCredit.id)):
            link = links.get(credit.id)
            if link is None or link.state == PENDING:
                todo.append(credit.id)
            elif link.base is not None and _credit_values(s, credit) != link.base:
                run.report.notice("vendor_credit", credit.label, messages.vendor_credit_edited(run.brand))
                link.base = _credit_values(s, credit)
    for credit_id in todo:
        _add_credit(run, credit_id)


def _add_credit(run: Run, credit_id: int) -> None:
    with run.app.session() as s:
        credit = s.get(VendorCredit, credit_id)
        assert credit is not None
        label, vendor_id, credit_date = credit.label, credit.vendor_id, credit.date

    def build(s: Session, marker: str) -> Element:
        credit = s.get(VendorCredit, credit_id)
        assert credit is not None
        return txns.vendor_credit_add(txns.VendorCredit(
            vendor_id=_need(s, "vendor", credit.vendor_id, credit.vendor.name) or "",
            ap_account_id=_ap_account(s, run.settings), date=credit.date, ref_number=credit.number,
            memo=credit.memo, external_guid=marker, lines=_expense_lines(s, credit.lines)))

    def lookup(s: Session, marker: str) -> Any:
        vendor = qb_id(s, "vendor", vendor_id)
        return by_marker(run, txns.txn_query("VendorCredit", entity_id=vendor, from_date=credit_date,
                                             to_date=credit_date), marker) if vendor else None

    def finish(s: Session, ret: Element | None) -> None:
        credit = s.get(VendorCredit, credit_id)
        assert credit is not None
        link_txn(s, "vendor_credit", credit_id, ret, base=_credit_values(s, credit), line_tag=EXPENSE_LINE)

    send_new(run, NewTxn("vendor_credit", credit_id, label, build, lookup, finish,
                         lambda rs: messages.refused("vendor credit", rs)))


# -- bill payments ------------------------------------------------------------------------------------------------

def push_bill_payments(run: Run) -> None:
    with run.app.session() as s:
        states = link_states(s, "bill_payment")
        todo = [i for i in s.scalars(select(BillPayment.id).order_by(BillPayment.id))
                if states.get(i, PENDING) == PENDING]
    for payment_id in todo:
        _add_payment(run, payment_id)


def _applied(s: Session, payment: BillPayment) -> list[txns.Applied]:
    applied = []
    for line in payment.lines:
        credits = [(_need(s, "vendor_credit", c.vendor_credit_id, c.vendor_credit.label) or "", c.amount)
                   for c in payment.credits if c.bill_id == line.bill_id]
        applied.append(txns.Applied(_need(s, "bill", line.bill_id, line.bill.label) or "", line.amount,
                                    tuple(credits)))
    return applied


def _add_payment(run: Run, payment_id: int) -> None:
    with run.app.session() as s:
        payment = s.get(BillPayment, payment_id)
        assert payment is not None
        label, vendor_id, paid_on = payment.label, payment.vendor_id, payment.date
        first_bill = payment.lines[0].bill.label if payment.lines else ""
        with_credits = bool(payment.credits)
        credit_only = payment.amount == ZERO
        bill_ids = [line.bill_id for line in payment.lines]

    def build(s: Session, marker: str) -> Element:
        payment = s.get(BillPayment, payment_id)
        assert payment is not None
        return txns.bill_payment_check_add(txns.BillPayment(
            vendor_id=_need(s, "vendor", payment.vendor_id, payment.vendor.name) or "",
            ap_account_id=_ap_account(s, run.settings), date=payment.date,
            bank_account_id=_need(s, "account", payment.payment_account_id, payment.payment_account.full_name) or "",
            ref_number=payment.check_number,
            memo=payment.memo, external_guid=marker, applied=_applied(s, payment)))

    def lookup(s: Session, marker: str) -> Any:
        vendor = qb_id(s, "vendor", vendor_id)
        if vendor is None:
            return None
        if credit_only:  # QuickBooks saves no payment for credits alone: look at the bills' credits instead
            return ADOPTED if _credits_set(run, s, payment_id, bill_ids) else None
        return by_marker(run, txns.txn_query("BillPaymentCheck", entity_id=vendor, from_date=paid_on,
                                             to_date=paid_on), marker)

    def finish(s: Session, ret: Element | None) -> None:
        link_txn(s, "bill_payment", payment_id, ret)

    def refused(rs: Any) -> str:
        if rs.code in (*messages.NOT_FOUND_CODES, messages.INVALID_VALUE) or (
                rs.code == messages.INVALID_REFERENCE and "Bill" in rs.message):
            return messages.bill_payment_refused(first_bill, rs, with_credits)
        return messages.refused("bill payment", rs)

    send_new(run, NewTxn("bill_payment", payment_id, label, build, lookup, finish, refused))


def _credits_set(run: Run, s: Session, payment_id: int, bill_ids: list[int]) -> bool:
    """Whether every credit a credit-only payment sets is already linked to its bill in QuickBooks."""
    wanted = {(qb_id(s, "bill", c.bill_id), qb_id(s, "vendor_credit", c.vendor_credit_id))
              for c in s.scalars(select(CreditApplication).where(CreditApplication.payment_id == payment_id))}
    bills = [b for b in (qb_id(s, "bill", i) for i in bill_ids) if b]
    if not bills:
        return False
    found = set()
    for el in run.found(txns.txn_query("Bill", txn_ids=bills, include_linked=True)):
        rec = read_txn(el)
        found |= {(rec.txn_id, lt.txn_id) for lt in rec.linked if lt.txn_type == "VendorCredit"}
    return wanted <= found


# -- funds transfers ----------------------------------------------------------------------------------------------

def _transfer_tag(brand: str, marker: str) -> str:
    return f"({brand} ref {marker.strip('{}')[:13]})"


def push_funds_transfers(run: Run) -> None:
    with run.app.session() as s:
        states = link_states(s, "funds_transfer")
        todo = [i for i in s.scalars(select(FundsTransfer.id).order_by(FundsTransfer.id))
                if states.get(i, PENDING) == PENDING]
    for transfer_id in todo:
        _add_transfer(run, transfer_id)


def _add_transfer(run: Run, transfer_id: int) -> None:
    with run.app.session() as s:
        transfer = s.get(FundsTransfer, transfer_id)
        assert transfer is not None
        label, moved_on = transfer.label, transfer.date

    def build(s: Session, marker: str) -> Element:
        transfer = s.get(FundsTransfer, transfer_id)
        assert transfer is not None
        memo = " ".join(p for p in (transfer.memo, _transfer_tag(run.brand, marker)) if p)
        return txns.transfer_add(txns.Transfer(
            date=transfer.date, amount=transfer.amount, memo=memo,
            from_account_id=_need(s, "account", transfer.from_account_id, transfer.from_account.full_name) or "",
            to_account_id=_need(s, "account", transfer.to_account_id, transfer.to_account.full_name) or ""))

    def lookup(s: Session, marker: str) -> Any:
        tag = _transfer_tag(run.brand, marker)
        for el in run.found(txns.txn_query("Transfer", from_date=moved_on, to_date=moved_on)):
            if tag in (text(el, "Memo") or ""):
                return el
        return None

    def finish(s: Session, ret: Element | None) -> None:
        link_txn(s, "funds_transfer", transfer_id, ret)

    send_new(run, NewTxn("funds_transfer", transfer_id, label, build, lookup, finish,
                         lambda rs: messages.refused("funds transfer", rs)))


