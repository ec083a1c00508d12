"""Receivables: invoices both ways, invoice payments to QuickBooks.

Rules (from the help center):
* The date the sync was connected is the AR sync start date: only invoices dated on or after it come from
  QuickBooks, whatever their creation date; new and edited invoices come, and QuickBooks is their master (the app
  edits an invoice only until it syncs).
* An invoice created in the app goes to QuickBooks once. If QuickBooks already has an invoice with its number (one
  dated before the start date, which never came to the app), it is a duplicate error: delete the invoice in
  QuickBooks and sync again, and the app's invoice syncs.
* On accounts created before June 5, 2020, invoice status and amount due come from QuickBooks. On newer accounts the
  app keeps its own amount due (from the payments recorded in the app), and invoices already partially or fully paid
  in QuickBooks do not come to the app.
* Payments received in the app go to QuickBooks (ReceivePayment), with the QuickBooks credit memos they apply. A
  payment refused because a credit memo was applied before a partial payment is explained: partial payments should
  be applied to an invoice before applying credit memos.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, lazyload, selectinload

from syncer.app.models import ZERO, Invoice, InvoiceLine, InvoicePayment, InvoicePaymentLine, Link, fold
from syncer.engine import messages
from syncer.engine.context import BlockedError, QueryError, Run
from syncer.engine.report import TO_APP
from syncer.engine.state import (
    LINKED,
    Markers,
    NewRow,
    PageLinks,
    Refs,
    refs_of,
    rows,
    same_marker,
    set_linked,
)
from syncer.engine.transactions import TxnSpec, among, by_marker, mapped, need, pull_deleted
from syncer.errors import BadAnswerError
from syncer.qbxml import txns
from syncer.qbxml.read import Element, Rs, text
from syncer.qbxml.records import InvoiceRecord, read_invoice

#: Accounts created before this date take invoice status and amount due from QuickBooks.
STATUS_SYNC_BEFORE = date(2020, 6, 5)


def status_from_quickbooks(run: Run) -> bool:
    """Invoice status and amount due follow QuickBooks: accounts created before June 5, 2020, unless Customer
    Support has turned it off."""
    return run.settings.account_created_on < STATUS_SYNC_BEFORE and run.settings.invoice_status_sync


# -- invoices to QuickBooks ---------------------------------------------------------------------------------------

def _invoice(run: Run, s: Session, invoice: Invoice, marker: str) -> txns.Invoice:
    """QuickBooks takes a second invoice with a number it already has: the app checks first."""
    for el in run.found(txns.txn_query("Invoice", ref_numbers=[invoice.number])):
        if not same_marker(text(el, "ExternalGUID"), marker):
            raise BlockedError(messages.invoice_exists(invoice.number, run.brand))
    refs = refs_of(s)
    refs.load_qb("item", (line.item_id for line in invoice.lines))
    lines = []
    for line in invoice.lines:
        item_id = None
        if line.item_id is not None:
            item_id = refs.qb("item", line.item_id)
            if item_id is None:
                name = line.item.full_name if line.item else ""
                raise BlockedError(messages.item_not_in_quickbooks(name, run.brand))
        lines.append(txns.InvoiceLine(item_id=item_id, description=line.description, quantity=line.quantity,
                                      rate=line.rate, amount=line.amount))
    ar_account = mapped(s, run.settings, "ar_account")
    return txns.Invoice(
        customer_id=need(s, "customer", invoice.customer_id, invoice.customer.full_name) or "",
        ar_account_id=ar_account, date=invoice.date, ref_number=invoice.number, due_date=invoice.due_date,
        memo=invoice.memo, to_be_emailed=invoice.to_be_emailed or None, external_guid=marker, lines=lines)


def _find_invoice(run: Run, s: Session, spec: TxnSpec, invoice: Invoice, marker: str) -> Element | None:
    """An invoice is looked for by its number."""
    return by_marker(run, txns.txn_query("Invoice", ref_numbers=[invoice.number]), marker)


#: The invoices created in the app go to QuickBooks once.
INVOICES = TxnSpec("invoice", Invoice, txns.INVOICE, _invoice, _find_invoice, lines="InvoiceLineRet",
                   sends=(Invoice.origin == "app",))


# -- invoices from QuickBooks -------------------------------------------------------------------------------------

def pull_invoices(run: Run) -> None:
    """New and edited invoices dated on or after the AR sync start date, in one database transaction."""

    def page(since: str | None, iterator: str | None, iterator_id: str | None) -> Element:
        return txns.txn_query("Invoice", from_modified=since, include_lines=True, max_returned=run.page_size,
                              iterator=iterator, iterator_id=iterator_id)

    with run.reading("invoice", "invoices", "Invoices"), run.session() as s:
        markers = Markers(s, "invoice")
        for found in run.changed(s, "invoice", page, "Invoices from QuickBooks"):
            records = [read_invoice(el) for el in found.elements]
            batch = InvoicePage(run, s, found.links, records, markers)
            for rec in records:
                batch.apply(rec)
        pull_deleted(run, s, "invoice", "Invoice", Invoice, lambda invoice: _kept(run, s, invoice))


def _kept(run: Run, s: Session, invoice: Invoice) -> str | None:
    """Why an invoice deleted in QuickBooks stays in the app (a change to an invoice, which the app picks up): a
    payment the app recorded of it."""
    if s.scalar(select(InvoicePaymentLine.id).where(InvoicePaymentLine.invoice_id == invoice.id).limit(1)) is None:
        return None
    return (f"This invoice was deleted in QuickBooks, but it has payments in {run.brand}, so it was kept. Enter the "
            "invoice in QuickBooks again, or contact Customer Support to remove its payments.")


_LINES, _LINKS = InvoicePaymentLine.__table__.c, Link.__table__.c
#: What the app's payments apply to invoices, each with whether its payment is in QuickBooks.
_PAID = select(_LINES.invoice_id, _LINES.amount, _LINES.credit_amount, _LINKS.qb_id, _LINKS.state).select_from(
    InvoicePaymentLine.__table__.outerjoin(Link.__table__, and_(_LINKS.kind == "invoice_payment",
                                                                _LINKS.app_id == _LINES.payment_id))
).where(_LINES.invoice_id.in_(bindparam("ids", expanding=True)))


class InvoicePage:
    """A page of QuickBooks invoices and what the app has of them, read in a few queries: the linked invoices with
    their lines, what the app's payments apply to them, the invoice numbers the app has, the references."""

    def __init__(self, run: Run, s: Session, links: PageLinks, records: list[InvoiceRecord], markers: Markers):
        self.run, self.s, self.links, self.markers = run, s, links, markers
        linked = [link.app_id for link in links.by_qb.values() if isinstance(link, Link)]
        self.invoices = {i.id: i for i in s.scalars(
            select(Invoice).options(lazyload("*"), selectinload(Invoice.lines).lazyload("*"))
            .where(Invoice.id.in_(linked)))} if linked else {}
        self.paid: dict[int, list[tuple[Decimal, bool]]] = {}
        if self.invoices:
            for row in rows(s, _PAID, ids=list(self.invoices)):
                synced = row.state == LINKED and row.qb_id is not None
                self.paid.setdefault(row.invoice_id, []).append((row.amount + row.credit_amount, synced))
        numbers = {fold(rec.txn.ref_number or rec.txn.txn_id) for rec in records if links.get(rec.txn.txn_id) is None}
        self.numbers: set[str | None] = set(s.scalars(select(Invoice.key).where(Invoice.key.in_(numbers)))) \
            if numbers else set()
        self.refs = Refs(s)
        self.refs.load_app("customer", (rec.customer_id for rec in records))
        self.refs.load_app("item", (line.item_id for rec in records for line in rec.lines))

    def apply(self, rec: InvoiceRecord, again: bool = False) -> None:
        """Bring one QuickBooks invoice into the app; `again`: a linked one read again although it has the same
        EditSequence (its amount due may have changed)."""
        run, s = self.run, self.s
        if rec.txn.date is None:
            return
        link = self.links.get(rec.txn.txn_id)
        if link is not None and link.state == LINKED and link.edit_sequence == rec.txn.edit_sequence and not again:
            return
        if link is None:
            own = self.markers.app_id(rec.txn.external_guid)
            if own is not None:  # the app's own invoice, whose Add response was lost
                set_linked(s, "invoice", own, rec.txn.txn_id, rec.txn.edit_sequence)
                self.markers.adopted(rec.txn.external_guid or "")
                return
            start = run.settings.connected_on
            if start is not None and rec.txn.date < start:
                return  # before the AR sync start date: never comes to the app (one the app sent takes its edits)
            if rec.has_payments and not status_from_quickbooks(run):
                return  # partially or fully paid in QuickBooks: does not come to accounts created after June 5, 2020
            number = rec.txn.ref_number or rec.txn.txn_id
            if fold(number) in self.numbers:
                run.report.error("invoice", number, messages.invoice_exists(number, run.brand))
                return
            self._new_invoice(rec, number)
            return
        existing = self.invoices.get(link.app_id) if isinstance(link, Link) else link.obj
        link.edit_sequence = rec.txn.edit_sequence
        if existing is None or isinstance(existing, NewRow):
            return
        problem = self._set_invoice(existing, rec)
        if problem:
            run.report.error("invoice", existing.number, problem)
            return
        if s.is_modified(existing) or any(s.is_modified(line) for line in existing.lines):
            run.report.moved(TO_APP, "invoice", existing.number)

    def _new_invoice(self, rec: InvoiceRecord, number: str) -> None:
        """A QuickBooks invoice the app does not have: a new row, inserted with the page's others."""
        refs = self.refs
        customer = refs.app("customer", rec.customer_id)
        if customer is None:
            self.run.report.error("invoice", number, "Its customer is not in the app yet; it will come with a later "
                                                     "sync.")
            return
        lines = [{"position": position, "item_id": refs.app("item", line.item_id), "description": line.description,
                  "quantity": line.quantity, "rate": line.rate, "amount": line.amount}
                 for position, line in enumerate(rec.lines, 1)]
        balance = rec.balance if status_from_quickbooks(self.run) else rec.total
        row = self.links.inserts.add(Invoice, {
            "origin": "QuickBooks", "number": number, "key": fold(number), "customer_id": customer,
            "date": rec.txn.date, "due_date": rec.due_date, "memo": rec.txn.memo, "to_be_emailed": rec.to_be_emailed,
            "amount": rec.total, "balance_due": max(balance, ZERO)}, lines=(InvoiceLine, "invoice_id", lines))
        self.numbers.add(fold(number))
        self.links.link(row, rec.txn.txn_id, rec.txn.edit_sequence)
        self.run.report.moved(TO_APP, "invoice", number)

    def _set_invoice(self, invoice: Invoice, rec: InvoiceRecord) -> str | None:
        """Give the app's invoice QuickBooks' version; what is wrong, if it cannot."""
        refs = self.refs
        customer = refs.app("customer", rec.customer_id)
        if customer is None:
            return "Its customer is not in the app yet; it will come with a later sync."
        new_lines = [(position, refs.app("item", line.item_id), line.description, line.quantity, line.rate,
                      line.amount) for position, line in enumerate(rec.lines, 1)]
        current = [(x.position, x.item_id, x.description, x.quantity, x.rate, x.amount) for x in invoice.lines]
        if current != new_lines:
            invoice.lines = [InvoiceLine(position=p, item_id=i, description=d, quantity=q, rate=r, amount=a)
                             for p, i, d, q, r, a in new_lines]
        _assign(invoice, customer_id=customer, number=rec.txn.ref_number or invoice.number,
                date=rec.txn.date, due_date=rec.due_date, memo=rec.txn.memo, to_be_emailed=rec.to_be_emailed,
                amount=rec.total)
        if status_from_quickbooks(self.run):
            balance = rec.balance - self._paid_in_app(invoice.id, only_unsynced=True)
        else:
            balance = rec.total - self._paid_in_app(invoice.id, only_unsynced=False)
        _assign(invoice, balance_due=max(balance, ZERO))
        return None

    def _paid_in_app(self, invoice_id: int | None, only_unsynced: bool) -> Decimal:
        """What the app's payments apply to an invoice (money and credit memos); with `only_unsynced`, only the
        payments not in QuickBooks yet (QuickBooks' amount due does not know them)."""
        applied = self.paid.get(invoice_id, []) if invoice_id is not None else []
        return sum((value for value, synced in applied if not (only_unsynced and synced)), ZERO)


def _assign(obj: Any, **values: Any) -> None:
    """Set attributes that differ (so an unchanged invoice is not counted as changed)."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


# -- invoice payments ---------------------------------------------------------------------------------------------

def _credit_memo(run: Run, s: Session, number: str, customer_id: str, customer: str) -> str:
    """The TxnID of a QuickBooks credit memo of this customer, by number."""
    for el in run.found(txns.txn_query("CreditMemo", ref_numbers=[number])):
        if text(el, "CustomerRef/ListID") == customer_id:
            return text(el, "TxnID") or ""
    raise BlockedError(messages.credit_memo_missing(number, customer))


def _receipt(run: Run, s: Session, payment: InvoicePayment, marker: str) -> txns.ReceivePayment:
    refs_of(s).load_qb("invoice", (line.invoice_id for line in payment.lines))
    customer = need(s, "customer", payment.customer_id, payment.customer.full_name) or ""
    applied = []
    for line in payment.lines:
        invoice = need(s, "invoice", line.invoice_id, line.invoice.number) or ""
        credits = ((_credit_memo(run, s, line.credit_memo, customer, payment.customer.full_name),
                    line.credit_amount),) if line.credit_memo else ()
        applied.append(txns.Applied(invoice, line.amount, credits))
    return txns.ReceivePayment(
        customer_id=customer, date=payment.date, total=payment.amount, applied=applied,
        ar_account_id=mapped(s, run.settings, "ar_account"), ref_number=payment.reference, memo=payment.memo,
        external_guid=marker, deposit_account_id=mapped(s, run.settings, "deposit_account"))


def _receipt_refused(run: Run, payment: InvoicePayment, rs: Rs) -> str:
    invoice = _invoice_with_credit_memo(run, payment.id)
    if invoice is None and any(line.credit_memo for line in payment.lines) and payment.lines:
        invoice = payment.lines[0].invoice.number
    if invoice is not None:
        return messages.credit_memo_first(invoice, rs)
    return messages.refused("invoice payment", rs)


def _invoice_with_credit_memo(run: Run, payment_id: int) -> str | None:
    """The number of an invoice of the payment that has a credit memo applied in QuickBooks, if one has."""
    with run.session() as s:
        payment = s.get(InvoicePayment, payment_id)
        assert payment is not None
        refs = refs_of(s)
        ids = {refs.qb("invoice", line.invoice_id): line.invoice.number for line in payment.lines}
    txn_ids = [i for i in ids if i]
    if not txn_ids:
        return None
    try:
        for el in run.found(txns.txn_query("Invoice", txn_ids=txn_ids, include_linked=True)):
            if read_invoice(el).credit_memos:
                return ids.get(text(el, "TxnID"))
    except (QueryError, BadAnswerError):
        return None
    return None


INVOICE_PAYMENTS = TxnSpec("invoice_payment", InvoicePayment, txns.RECEIVE_PAYMENT, _receipt, among("customer"),
                           refused=_receipt_refused)
