"""Receivables: invoices (created in the app or pulled from QuickBooks), emailing them, invoice payments.

The app's rules (from the help center): an invoice created in the app can be edited until it syncs to QuickBooks;
after that, and for invoices that came from QuickBooks, it is edited in QuickBooks only. Invoices created in
QuickBooks can be emailed from the app when they are marked To be emailed. Invoice numbers continue from the newest
invoice, wherever it was created. A payment may apply QuickBooks credit memos (by number) along with money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syncer.app import rules
from syncer.app.base import Transactions
from syncer.app.lists import Customers, Items
from syncer.app.models import ZERO, Invoice, InvoiceLine, InvoicePayment, InvoicePaymentLine, fold
from syncer.errors import DuplicateError, InvalidInputError, NotAllowedError

FIRST_NUMBER = "1001"


def next_number(s: Session) -> str:
    """The number after the newest invoice's (its trailing digits plus one), or 1001 for the first."""
    newest = s.scalar(select(Invoice.number).order_by(Invoice.created_at.desc(), Invoice.id.desc()).limit(1))
    if newest is None:
        return FIRST_NUMBER
    match = re.search(r"(\d+)(\D*)$", newest)
    if match is None:
        return f"{newest}-1"
    digits = match[1]
    following = str(int(digits) + 1).zfill(len(digits))
    return newest[:match.start(1)] + following + match[2]


class Invoices(Transactions[Invoice]):
    model = Invoice
    kind = "invoice"
    key_column = "number"

    def next_number(self) -> str:
        with self._app.session() as s:
            return next_number(s)

    def create(self, customer: Any, *, date: Any, lines: Iterable[Mapping[str, Any]] | None = None,
               number: Any = None, due_date: Any = None, memo: Any = None, to_be_emailed: bool = False,
               item: Any = None, amount: Any = None, description: Any = None) -> Invoice:
        """Create an invoice for a customer or a job: lines with item, description, quantity, rate, amount.

        Without `number` it takes the next one. One line can be given as `item`, `amount`, `description`.
        """
        with self._app.session() as s:
            invoice = Invoice(origin="app")
            self._fill(s, invoice, dict(customer=customer, date=date, number=number, due_date=due_date, memo=memo,
                                        to_be_emailed=to_be_emailed, lines=lines, item=item, amount=amount,
                                        description=description))
            s.add(invoice)
            s.flush()
            invoice_id = invoice.id
        return self._reload(invoice_id)

    def update(self, key: Any, **fields: Any) -> Invoice:
        """Change an invoice created in the app, until it syncs to QuickBooks."""
        with self._app.session() as s:
            invoice = self._find(s, key)
            self._check_editable(s, invoice)
            if invoice.amount != invoice.balance_due and ({"lines", "item", "amount"} & set(fields)):
                raise NotAllowedError(f"Invoice {invoice.number} has a payment: its amount can no longer change.")
            current = dict(customer=invoice.customer_id, date=invoice.date, number=invoice.number,
                           due_date=invoice.due_date, memo=invoice.memo, to_be_emailed=invoice.to_be_emailed)
            unknown = set(fields) - {*current, "lines", "item", "amount", "description"}
            if unknown:
                raise InvalidInputError(f"An invoice has no field {', '.join(sorted(unknown))}.")
            if not {"lines", "item", "amount"} & set(fields):
                current["keep_lines"] = True
            elif "lines" not in fields and len(invoice.lines) == 1:  # a one-line invoice keeps the rest of its line
                line = invoice.lines[0]
                fields["lines"] = [{"item": fields.get("item", line.item_id),
                                    "description": fields.get("description", line.description),
                                    "quantity": None if "amount" in fields else line.quantity,
                                    "rate": None if "amount" in fields else line.rate,
                                    "amount": fields.get("amount", line.amount)}]
            current.update(fields)
            self._fill(s, invoice, current)
            invoice_id = invoice.id
        return self._reload(invoice_id)

    def email(self, key: Any, to: Any = None) -> Invoice:
        """Email an invoice to its customer (or to `to`). Invoices from QuickBooks must be marked To be emailed."""
        with self._app.session() as s:
            invoice = self._find(s, key)
            if invoice.origin != "app" and not invoice.to_be_emailed:
                raise NotAllowedError(f"Invoice {invoice.number} was created in QuickBooks without To be emailed. "
                                      "Select To be emailed on the invoice in QuickBooks and sync; then it can be "
                                      f"emailed from {self._app.brand}.")
            recipient = rules.email(to) or invoice.customer.email
            if recipient is None:
                raise InvalidInputError(f"{invoice.customer.full_name} has no email address: add one, or give the "
                                        "address to send to.")
            invoice.emailed_to = recipient
            invoice.emailed_at = datetime.now()
            invoice_id = invoice.id
        return self._reload(invoice_id)

    def to_email(self) -> list[Invoice]:
        """The invoices that can be selected for emailing and have not been emailed yet."""
        return [i for i in self.list() if self._emailable(i) and i.emailed_at is None]

    def can_email(self, key: Any) -> bool:
        """Whether the invoice can be selected for emailing (one from QuickBooks must be marked To be emailed)."""
        return self._emailable(self.get(key))

    @staticmethod
    def _emailable(invoice: Invoice) -> bool:
        return invoice.origin == "app" or invoice.to_be_emailed

    def can_edit(self, key: Any) -> bool:
        """Whether the invoice can be edited in the app (created here, not synced yet)."""
        with self._app.session() as s:
            invoice = self._find(s, key)
            try:
                self._check_editable(s, invoice)
            except NotAllowedError:
                return False
            return True

    def is_synced(self, key: Any) -> bool:
        with self._app.session() as s:
            return self._link(s, self._find(s, key).id) is not None

    def _check_editable(self, s: Session, invoice: Invoice) -> None:
        if invoice.origin != "app":
            raise NotAllowedError(f"Invoice {invoice.number} was created in QuickBooks: edit it in QuickBooks, and the "
                                  f"changes come to {self._app.brand} with the next sync.")
        if self._link(s, invoice.id) is not None:
            raise NotAllowedError(f"Invoice {invoice.number} has synced to QuickBooks, so it can only be edited in "
                                  f"QuickBooks now: edit it there, and the changes come to {self._app.brand} with the "
                                  "next sync.")

    def _fill(self, s: Session, invoice: Invoice, given: dict[str, Any]) -> None:
        customer = Customers(self._app)._find(s, given["customer"])
        if not customer.is_active:
            raise NotAllowedError(f'The customer "{customer.full_name}" is inactive in {self._app.brand}: reactivate '
                                  "them first.")
        invoice.customer_id, invoice.customer = customer.id, customer
        invoice.date = rules.day(given["date"], "invoice date")
        invoice.due_date = rules.optional_day(given.get("due_date"), "due date")
        if invoice.due_date is not None and invoice.due_date < invoice.date:
            raise InvalidInputError(f"The due date {invoice.due_date} is before the invoice date {invoice.date}.")
        invoice.memo = rules.text(given.get("memo"), "memo", rules.MEMO_LIMIT)
        invoice.to_be_emailed = bool(given.get("to_be_emailed"))
        if invoice.to_be_emailed and not customer.email:
            raise InvalidInputError(f"{customer.full_name} has no email address, which To be emailed needs: QuickBooks "
                                    "refuses it too.")
        number = rules.text(given.get("number"), "invoice number", rules.INVOICE_NUMBER_LIMIT) or next_number(s)
        clash = s.scalar(select(Invoice.id).where(Invoice.key == fold(number), Invoice.id != invoice.id))
        if clash is not None:
            raise DuplicateError(f"Invoice number {number} is already used.")
        invoice.number = number
        if not given.get("keep_lines"):
            invoice.lines = self._lines(s, given.get("lines"), given.get("item"), given.get("amount"),
                                        given.get("description"))
            invoice.amount = sum((line.amount for line in invoice.lines), ZERO)
            if invoice.amount < 0:
                raise InvalidInputError("An invoice's total cannot be negative.")
            invoice.balance_due = invoice.amount

    def _lines(self, s: Session, lines: Iterable[Mapping[str, Any]] | None, item: Any, amount: Any,
               description: Any) -> list[InvoiceLine]:
        if lines is None:
            if amount is None:
                raise InvalidInputError("Give the invoice's lines (item, quantity, rate or amount), or an item and an "
                                        "amount.")
            lines = [{"item": item, "amount": amount, "description": description}]
        result = []
        for position, given in enumerate(lines, 1):
            unknown = set(given) - {"item", "description", "quantity", "rate", "amount"}
            if unknown:
                raise InvalidInputError(f"Line {position} has unknown fields: {', '.join(sorted(unknown))}.")
            found = Items(self._app)._find(s, given["item"]) if given.get("item") else None
            quantity = rules.quantity(given["quantity"], "quantity") if given.get("quantity") is not None else None
            rate = rules.money(given["rate"], "rate", negative=True) if given.get("rate") is not None else None
            if given.get("amount") is not None:
                value = rules.money(given["amount"], f"amount of line {position}", negative=True)
            elif rate is not None:
                value = (rate * (quantity if quantity is not None else Decimal(1))).quantize(rules.CENT)
            elif found is not None and found.price is not None:
                rate = found.price
                value = (rate * (quantity if quantity is not None else Decimal(1))).quantize(rules.CENT)
            elif given.get("description"):
                value = ZERO  # a line of text only
            else:
                raise InvalidInputError(f"Line {position} needs an amount, or a rate.")
            if found is None and value != ZERO:
                raise InvalidInputError(f"Line {position} needs an item: QuickBooks needs an item on every invoice "
                                        "line with an amount (items come from QuickBooks with the sync).")
            result.append(InvoiceLine(position=position, item_id=found.id if found else None, item=found,
                                      description=rules.text(given.get("description"), "description",
                                                             rules.MEMO_LIMIT),
                                      quantity=quantity, rate=rate, amount=value))
        if not result:
            raise InvalidInputError("An invoice needs at least one line.")
        return result


class InvoicePayments(Transactions[InvoicePayment]):
    model = InvoicePayment
    kind = "invoice_payment"
    key_column = "reference"

    def create(self, invoices: Any, *, date: Any, amount: Any = None, customer: Any = None, reference: Any = None,
               memo: Any = None, credit_memo: Any = None, credit_amount: Any = None) -> InvoicePayment:
        """Record a payment received for one or more invoices of one customer.

        `invoices` is an invoice (paid with `amount`, or in full), a mapping / list of (invoice, amount), or a list of
        dicts {invoice, amount, credit_memo, credit_amount} applying a QuickBooks credit memo (by number) as well.
        Apply partial payments to an invoice before applying credit memos.
        """
        with self._app.session() as s:
            parts = self._parts(s, invoices, amount, credit_memo, credit_amount)
            owner = Customers(self._app)._find(s, customer) if customer is not None else parts[0][0].customer
            payment = InvoicePayment(customer_id=owner.id, date=rules.day(date, "payment date"),
                                     reference=rules.text(reference, "reference", rules.REFERENCE_LIMIT),
                                     memo=rules.text(memo, "memo", rules.MEMO_LIMIT), amount=ZERO)
            for invoice, value, memo_number, credit in parts:
                if invoice.customer_id != owner.id:
                    raise InvalidInputError(f"Invoice {invoice.number} is {invoice.customer.full_name}'s, not "
                                            f"{owner.full_name}'s.")
                if value + credit > invoice.balance_due:
                    raise InvalidInputError(f"Invoice {invoice.number} has {invoice.balance_due:.2f} due; "
                                            f"{value + credit:.2f} is too much.")
                payment.lines.append(InvoicePaymentLine(invoice_id=invoice.id, amount=value, credit_memo=memo_number,
                                                        credit_amount=credit))
                payment.amount += value
                invoice.balance_due -= value + credit
            if amount is not None and len(parts) > 1 and rules.money(amount, "amount") != payment.amount:
                raise InvalidInputError(f"The amounts applied add up to {payment.amount:.2f}, not {amount}.")
            s.add(payment)
            s.flush()
            payment_id = payment.id
        return self._reload(payment_id)

    def _parts(self, s: Session, invoices: Any, amount: Any, credit_memo: Any,
               credit_amount: Any) -> list[tuple[Invoice, Decimal, str | None, Decimal]]:
        finder = Invoices(self._app)
        if isinstance(invoices, Mapping):
            given: list[Any] = [{"invoice": k, "amount": v} for k, v in invoices.items()]
        elif isinstance(invoices, list | tuple):
            given = [g if isinstance(g, Mapping) else
                     ({"invoice": g[0], "amount": g[1]} if isinstance(g, tuple | list) else {"invoice": g})
                     for g in invoices]
        else:
            given = [{"invoice": invoices, "amount": amount, "credit_memo": credit_memo,
                      "credit_amount": credit_amount}]
        parts = []
        for entry in given:
            invoice = finder._find(s, entry["invoice"])
            memo_number = rules.text(entry.get("credit_memo"), "credit memo number", rules.BILL_NUMBER_LIMIT)
            credit = rules.money(entry["credit_amount"], "credit amount") if entry.get("credit_amount") else ZERO
            if (memo_number is None) != (credit == ZERO):
                raise InvalidInputError("A credit memo needs both its number and the amount to apply.")
            value = rules.money(entry["amount"], "payment amount") if entry.get("amount") is not None \
                else invoice.balance_due - credit
            if value + credit <= ZERO:
                raise InvalidInputError(f"Nothing is paid on invoice {invoice.number}.")
            parts.append((invoice, value, memo_number, credit))
        if not parts:
            raise InvalidInputError("Which invoices does the payment pay?")
        return parts
