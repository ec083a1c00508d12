"""Payables after the bill: vendor credits, bill payments and funds transfers, from the app to QuickBooks only.

Rules (from the help center):
* A vendor credit edited in the app after its first sync is not sent again (the user is told). Credits applied to a
  bill travel with the payment that pays the rest of it (SetCredit), a $0.00 payment when the credit covers the whole
  bill.
* A payment made through the app posts to the clearing account when the app records funds transfers, and the day's
  lump-sum transfer moves the money from the bank to the clearing account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syncer.app import journal
from syncer.app.models import ZERO, BillPayment, CreditApplication, FundsTransfer, VendorCredit
from syncer.engine import messages
from syncer.engine.context import Run
from syncer.engine.state import PENDING, links_for, refs_of
from syncer.engine.transactions import (
    ADOPTED,
    BATCH,
    TxnSpec,
    among,
    clean,
    expense_lines,
    mapped,
    need,
    only_lines,
    send_new,
)
from syncer.qbxml import txns
from syncer.qbxml.read import Element, Rs, text
from syncer.qbxml.records import read_txn

# -- vendor credits -----------------------------------------------------------------------------------------------

def _credit_values(credit: VendorCredit) -> dict[str, Any]:
    """What of a vendor credit the app compares to notice an edit after its first sync."""
    return {"number": clean(credit.number), "date": credit.date.isoformat(), "memo": clean(credit.memo),
            "lines": [[line.account_id, f"{line.amount:.2f}", clean(line.memo)] for line in credit.lines]}


def _credit(run: Run, s: Session, credit: VendorCredit, marker: str) -> txns.VendorCredit:
    return txns.VendorCredit(
        vendor_id=need(s, "vendor", credit.vendor_id, credit.vendor.name) or "",
        ap_account_id=mapped(s, run.settings, "ap_account"), date=credit.date, ref_number=credit.number,
        memo=credit.memo, external_guid=marker, lines=expense_lines(s, credit.lines))


VENDOR_CREDITS = TxnSpec("vendor_credit", VendorCredit, txns.VENDOR_CREDIT, _credit, among("vendor"),
                         lines="ExpenseLineRet", base=lambda s, credit, ret: _credit_values(credit))


def push_vendor_credits(run: Run) -> None:
    """Send new vendor credits (those the change journal lists); an edit after the first sync is a notice."""
    entries = run.changes("vendor_credit")
    todo = []
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        with run.session() as s:
            ids = [credit_id for credit_id, _ in batch]
            credits = {c.id: c for c in s.scalars(select(VendorCredit).options(*only_lines(VendorCredit.lines))
                                                  .where(VendorCredit.id.in_(ids)))}
            links = links_for(s, "vendor_credit", ids)
            settled = []
            for credit_id, entry in batch:
                credit, link = credits.get(credit_id), links.get(credit_id)
                if credit is None:
                    settled.append((credit_id, entry))
                elif link is None or link.state == PENDING:
                    todo.append((credit_id, entry))
                    continue
                elif link.base is not None and _credit_values(credit) != link.base:
                    run.report.notice("vendor_credit", credit.label, messages.vendor_credit_edited(run.brand))
                    link.base = _credit_values(credit)
                settled.append((credit_id, entry))
            journal.clear(s, "vendor_credit", settled)
    for done, (credit_id, entry) in enumerate(todo):
        run.tell("Vendor credits to QuickBooks", done, len(todo))
        send_new(run, VENDOR_CREDITS, credit_id, entry)
    if todo:
        run.tell("Vendor credits to QuickBooks", len(todo), len(todo), finished=True)


# -- bill payments ------------------------------------------------------------------------------------------------

def _payment(run: Run, s: Session, payment: BillPayment, marker: str) -> txns.BillPayment:
    return txns.BillPayment(
        vendor_id=need(s, "vendor", payment.vendor_id, payment.vendor.name) or "",
        ap_account_id=mapped(s, run.settings, "ap_account"), date=payment.date,
        bank_account_id=need(s, "account", payment.payment_account_id, payment.payment_account.full_name) or "",
        ref_number=payment.check_number, memo=payment.memo, external_guid=marker, applied=_applied(s, payment))


def _applied(s: Session, payment: BillPayment) -> list[txns.Applied]:
    refs = refs_of(s)
    refs.load_qb("bill", (line.bill_id for line in payment.lines))
    refs.load_qb("vendor_credit", (c.vendor_credit_id for c in payment.credits))
    applied = []
    for line in payment.lines:
        credits = [(need(s, "vendor_credit", c.vendor_credit_id, c.vendor_credit.label) or "", c.amount)
                   for c in payment.credits if c.bill_id == line.bill_id]
        applied.append(txns.Applied(need(s, "bill", line.bill_id, line.bill.label) or "", line.amount,
                                    tuple(credits)))
    return applied


_AMONG_CHECKS = among("vendor")


def _find_payment(run: Run, s: Session, spec: TxnSpec, payment: BillPayment, marker: str) -> Any:
    """QuickBooks saves no payment for credits alone: a credit-only payment is found by the credits on its bills."""
    if payment.amount == ZERO and refs_of(s).qb("vendor", payment.vendor_id) is not None:
        return ADOPTED if _credits_set(run, s, payment) else None
    return _AMONG_CHECKS(run, s, spec, payment, marker)


def _credits_set(run: Run, s: Session, payment: BillPayment) -> bool:
    """Whether every credit a credit-only payment sets is already linked to its bill in QuickBooks."""
    refs = refs_of(s)
    applications = list(s.scalars(select(CreditApplication).where(CreditApplication.payment_id == payment.id)))
    refs.load_qb("bill", [*(c.bill_id for c in applications), *(line.bill_id for line in payment.lines)])
    refs.load_qb("vendor_credit", (c.vendor_credit_id for c in applications))
    wanted = {(refs.qb("bill", c.bill_id), refs.qb("vendor_credit", c.vendor_credit_id)) for c in applications}
    bills = [b for b in (refs.qb("bill", line.bill_id) for line in payment.lines) if b]
    if not bills:
        return False
    found = set()
    for el in run.found(txns.txn_query("Bill", txn_ids=bills, include_linked=True)):
        rec = read_txn(el)
        found |= {(rec.txn_id, lt.txn_id) for lt in rec.linked if lt.txn_type == "VendorCredit"}
    return wanted <= found


def _payment_refused(run: Run, payment: BillPayment, rs: Rs) -> str:
    if rs.code in (*messages.NOT_FOUND_CODES, messages.INVALID_VALUE) or (
            rs.code == messages.INVALID_REFERENCE and "Bill" in rs.message):
        first_bill = payment.lines[0].bill.label if payment.lines else ""
        return messages.bill_payment_refused(first_bill, rs, bool(payment.credits))
    return messages.refused("bill payment", rs)


BILL_PAYMENTS = TxnSpec("bill_payment", BillPayment, txns.BILL_PAYMENT_CHECK, _payment, _find_payment,
                        refused=_payment_refused)


# -- funds transfers ----------------------------------------------------------------------------------------------

def _transfer_tag(brand: str, marker: str) -> str:
    return f"({brand} ref {marker.strip('{}')[:13]})"


def _transfer(run: Run, s: Session, transfer: FundsTransfer, marker: str) -> txns.Transfer:
    memo = " ".join(p for p in (transfer.memo, _transfer_tag(run.brand, marker)) if p)
    return txns.Transfer(
        date=transfer.date, amount=transfer.amount, memo=memo,
        from_account_id=need(s, "account", transfer.from_account_id, transfer.from_account.full_name) or "",
        to_account_id=need(s, "account", transfer.to_account_id, transfer.to_account.full_name) or "")


def _find_transfer(run: Run, s: Session, spec: TxnSpec, transfer: FundsTransfer, marker: str) -> Element | None:
    """A transfer has no ExternalGUID: its marker ends its memo."""
    tag = _transfer_tag(run.brand, marker)
    for el in run.found(txns.txn_query("Transfer", from_date=transfer.date, to_date=transfer.date)):
        if tag in (text(el, "Memo") or ""):
            return el
    return None


FUNDS_TRANSFERS = TxnSpec("funds_transfer", FundsTransfer, txns.TRANSFER, _transfer, _find_transfer)
