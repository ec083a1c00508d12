"""Payables: bills, approvals, vendor credits and their application, bill payments, funds transfers.

The app's rules (from the help center): bills may have negative lines as long as the bill's total is not negative;
a line without an account goes to the Unallocated Expenses account; an account on a bill must be active; once a bill
has a payment its vendor and amount are fixed. Approvals stay in the app. A vendor credit applied to a bill reaches
QuickBooks with the payment that pays the rest of the bill, so a credit that covers the whole bill creates a $0.00
payment. Payments made through the app ("epayment") post to the Money Out Clearing account when the app records
funds transfers (the default); when the app withdraws the money, the day's withdrawals from one bank account add up
to one lump-sum transfer from the bank to the clearing account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syncer.app import rules
from syncer.app.base import Host, Transactions
from syncer.app.lists import Accounts, Customers, Departments, Vendors
from syncer.app.models import (
    APPROVED,
    WAITING,
    ZERO,
    Account,
    Bill,
    BillLine,
    BillPayment,
    BillPaymentLine,
    CreditApplication,
    FundsTransfer,
    Link,
    Settings,
    VendorCredit,
    VendorCreditLine,
)
from syncer.app.preferences import clearing_account, expense_account
from syncer.errors import DuplicateError, InvalidInputError, NotAllowedError

LineInput = Mapping[str, Any]
METHODS = ("epayment", "offline")


def _active(obj: Any, noun: str, brand: str) -> Any:
    if not obj.is_active:
        name = getattr(obj, "full_name", None) or obj.name
        raise NotAllowedError(f'The {noun} "{name}" is inactive in {brand}: reactivate it first.')
    return obj


def expense_lines(app: Host, s: Session, line_class: Callable[..., Any], lines: Iterable[LineInput] | None,
                  account: Any, amount: Any, memo: Any = None) -> list[Any]:
    """The expense lines of a bill or vendor credit: `lines`, or one line from `account` and `amount`.

    A line without an account goes to the Unallocated Expenses account.
    """
    if lines is None:
        if amount is None:
            raise InvalidInputError("Give the lines (account and amount for each), or an amount.")
        lines = [{"account": account, "amount": amount, "memo": memo}]
    result = []
    for position, given in enumerate(lines, 1):
        unknown = set(given) - {"account", "amount", "memo", "department", "customer", "job", "billable"}
        if unknown:
            raise InvalidInputError(f"Line {position} has unknown fields: {', '.join(sorted(unknown))}.")
        if given.get("account") is None:
            settings = s.get(Settings, 1)
            assert settings is not None
            acct = expense_account(s, settings)
        else:
            acct = _active(Accounts(app)._find(s, given["account"]), "account", app.brand)
        dept = given.get("department")
        department = _active(Departments(app)._find(s, dept), "department", app.brand) if dept else None
        who = given.get("customer") or given.get("job")
        customer = _active(Customers(app)._find(s, who), "customer", app.brand) if who else None
        billable = bool(given.get("billable", False))
        if billable and customer is None:
            raise InvalidInputError(f"Line {position} is billable but has no customer or job to bill.")
        result.append(line_class(
            position=position, account_id=acct.id, account=acct,
            amount=rules.money(given.get("amount"), f"amount of line {position}", negative=True),
            memo=rules.text(given.get("memo"), "memo", rules.MEMO_LIMIT),
            department_id=department.id if department else None, department=department,
            customer_id=customer.id if customer else None, customer=customer, billable=billable,
        ))
    if not result:
        raise InvalidInputError("A bill or credit needs at least one line.")
    return result


def _total(lines: list[Any], noun: str) -> Decimal:
    total = sum((line.amount for line in lines), ZERO)
    if total < 0:
        raise InvalidInputError(f"The {noun}'s lines add up to {total:.2f}: negative lines are allowed as long as the "
                                "total is not negative.")
    return total


def _changed_lines(app: Host, s: Session, line_class: Callable[..., Any], current: list[Any],
                   fields: dict[str, Any], noun: str) -> tuple[list[Any], Decimal]:
    """The lines an update gives (`lines`, or an `account` and `amount`: a one-line bill or credit keeps the rest of
    its line), and their total."""
    given = fields.get("lines")
    if "lines" not in fields and len(current) == 1:
        line = current[0]
        given = [{"account": fields.get("account", line.account_id), "amount": fields.get("amount", line.amount),
                  "memo": line.memo, "department": line.department_id, "customer": line.customer_id,
                  "billable": line.billable}]
    lines = expense_lines(app, s, line_class, given, fields.get("account"), fields.get("amount"))
    return lines, _total(lines, noun)


class Bills(Transactions[Bill]):
    model = Bill
    kind = "bill"
    key_column = "number"

    def create(self, vendor: Any, *, date: Any, number: Any = None, due_date: Any = None, memo: Any = None,
               lines: Iterable[LineInput] | None = None, account: Any = None, amount: Any = None) -> Bill:
        """Enter a bill: lines with account, amount, memo, department, customer or job, billable."""
        with self._app.session() as s:
            bill = Bill(date=rules.day(date, "bill date"), memo=rules.text(memo, "memo", rules.MEMO_LIMIT))
            self._set_vendor_and_number(s, bill, vendor, number)
            bill.due_date = self._due(bill.date, due_date)
            bill.lines = expense_lines(self._app, s, BillLine, lines, account, amount)
            bill.amount = _total(bill.lines, "bill")
            s.add(bill)
            s.flush()
            bill_id = bill.id
        return self._reload(bill_id)

    def update(self, key: Any, **fields: Any) -> Bill:
        """Change a bill (vendor, number, dates, memo, lines); once it has a payment, vendor and amount are fixed."""
        allowed = {"vendor", "number", "date", "due_date", "memo", "lines", "account", "amount"}
        unknown = set(fields) - allowed
        if unknown:
            raise InvalidInputError(f"A bill has no field {', '.join(sorted(unknown))}.")
        with self._app.session() as s:
            bill = self._find(s, key)
            paid = bill.paid_amount != ZERO
            if "vendor" in fields:
                vendor = Vendors(self._app)._find(s, fields["vendor"])
                if paid and vendor.id != bill.vendor_id:
                    raise NotAllowedError(f"Bill {bill.label} has a payment: its vendor can no longer change.")
            if "vendor" in fields or "number" in fields:
                self._set_vendor_and_number(s, bill, fields.get("vendor", bill.vendor),
                                            fields.get("number", bill.number))
            if "date" in fields:
                bill.date = rules.day(fields["date"], "bill date")
            if "due_date" in fields or "date" in fields:
                bill.due_date = self._due(bill.date, fields.get("due_date", bill.due_date))
            if "memo" in fields:
                bill.memo = rules.text(fields["memo"], "memo", rules.MEMO_LIMIT)
            if {"lines", "account", "amount"} & set(fields):
                lines, total = _changed_lines(self._app, s, BillLine, bill.lines, fields, "bill")
                if paid and total != bill.amount:
                    raise NotAllowedError(f"Bill {bill.label} has a payment: its amount can no longer change "
                                          f"({bill.amount:.2f}); its lines may be split differently.")
                bill.lines = lines
                bill.amount = total
            bill_id = bill.id
        return self._reload(bill_id)

    def request_approval(self, key: Any) -> Bill:
        """Send a bill for approval: it waits for its approver (approvals stay in the app)."""
        return self._approval(key, WAITING)

    def approve(self, key: Any) -> Bill:
        """Approve a bill (approvals stay in the app; on QuickBooks Desktop bills sync whatever their approval)."""
        return self._approval(key, APPROVED)

    def _approval(self, key: Any, status: str) -> Bill:
        with self._app.session() as s:
            bill = self._find(s, key)
            bill.approval_status = status
            bill_id = bill.id
        return self._reload(bill_id)

    def make_billable(self, key: Any, customer: Any) -> Bill:
        """Make every line of a bill billable to a customer or job."""
        with self._app.session() as s:
            bill = self._find(s, key)
            who = _active(Customers(self._app)._find(s, customer), "customer", self._app.brand)
            for line in bill.lines:
                line.customer_id, line.customer, line.billable = who.id, who, True
            bill_id = bill.id
        return self._reload(bill_id)

    def _set_vendor_and_number(self, s: Session, bill: Bill, vendor_key: Any, number: Any) -> None:
        vendor = _active(Vendors(self._app)._find(s, vendor_key), "vendor", self._app.brand)
        bill.vendor_id, bill.vendor = vendor.id, vendor
        bill.number = rules.text(number, "bill number", rules.BILL_NUMBER_LIMIT)
        if bill.number is not None:
            clash = s.scalar(select(Bill.id).where(Bill.vendor_id == vendor.id, Bill.number == bill.number,
                                                   Bill.id != bill.id))
            if clash is not None:
                raise DuplicateError(f'{vendor.name} already has a bill numbered "{bill.number}".')

    @staticmethod
    def _due(bill_date: date, due: Any) -> date | None:
        due_date = rules.optional_day(due, "due date")
        if due_date is not None and due_date < bill_date:
            raise InvalidInputError(f"The due date {due_date} is before the bill date {bill_date}.")
        return due_date


class VendorCredits(Transactions[VendorCredit]):
    model = VendorCredit
    kind = "vendor_credit"
    key_column = "number"

    def create(self, vendor: Any, *, date: Any, number: Any = None, memo: Any = None,
               lines: Iterable[LineInput] | None = None, account: Any = None, amount: Any = None) -> VendorCredit:
        """Enter a vendor credit (lines like a bill's)."""
        with self._app.session() as s:
            found = _active(Vendors(self._app)._find(s, vendor), "vendor", self._app.brand)
            credit = VendorCredit(vendor_id=found.id, vendor=found, date=rules.day(date, "credit date"),
                                  number=rules.text(number, "credit number", rules.BILL_NUMBER_LIMIT),
                                  memo=rules.text(memo, "memo", rules.MEMO_LIMIT))
            credit.lines = expense_lines(self._app, s, VendorCreditLine, lines, account, amount)
            credit.amount = _total(credit.lines, "vendor credit")
            if credit.amount == ZERO:
                raise InvalidInputError("A vendor credit needs an amount.")
            s.add(credit)
            s.flush()
            credit_id = credit.id
        return self._reload(credit_id)

    def update(self, key: Any, **fields: Any) -> VendorCredit:
        """Change a credit (number, date, memo, lines or amount); after its first sync, edits stay in the app."""
        with self._app.session() as s:
            credit = self._find(s, key)
            for field, value in fields.items():
                if field == "number":
                    credit.number = rules.text(value, "credit number", rules.BILL_NUMBER_LIMIT)
                elif field == "date":
                    credit.date = rules.day(value, "credit date")
                elif field == "memo":
                    credit.memo = rules.text(value, "memo", rules.MEMO_LIMIT)
                elif field not in ("lines", "account", "amount"):
                    raise InvalidInputError(f'A vendor credit has no field "{field}".')
            if {"lines", "account", "amount"} & set(fields):
                lines, total = _changed_lines(self._app, s, VendorCreditLine, credit.lines, fields, "vendor credit")
                if total < credit.applied_amount:
                    raise NotAllowedError(f"{credit.applied_amount:.2f} of credit {credit.label} is applied already; "
                                          "its amount cannot go below that.")
                credit.lines, credit.amount = lines, total
            credit_id = credit.id
        return self._reload(credit_id)

    def apply(self, credit: Any, bill: Any, amount: Any = None) -> CreditApplication:
        """Apply a credit to a bill of the same vendor (by default as much as both allow).

        The application reaches QuickBooks with the payment that pays the rest of the bill; when the credit covers
        the whole bill, the app records a $0.00 payment from the default bank account to carry it.
        """
        with self._app.session() as s:
            found = self._find(s, credit)
            target = Bills(self._app)._find(s, bill)
            application = apply_credit(s, found, target, amount)
            if target.balance_due == ZERO:
                settings = s.get(Settings, 1)
                assert settings is not None
                if settings.bank_account_id is None:
                    raise NotAllowedError(f"The credit pays bill {target.label} in full, which takes a $0.00 payment: "
                                          f"set the default bank account in the sync preferences of {self._app.brand} "
                                          "first.")
                payment = BillPayment(vendor_id=target.vendor_id, date=max(found.date, target.date),
                                      bank_account_id=settings.bank_account_id,
                                      payment_account_id=settings.bank_account_id, method="offline", amount=ZERO)
                payment.lines = [BillPaymentLine(bill_id=target.id, amount=ZERO)]
                s.add(payment)
                s.flush()
                _attach_credits(s, payment, [target.id])
            application_id = application.id
        with self._app.session() as s:
            result = s.get(CreditApplication, application_id)
            assert result is not None
            return result


def apply_credit(s: Session, credit: VendorCredit, bill: Bill, amount: Any) -> CreditApplication:
    """Apply `amount` of a credit (by default as much as both allow) to a bill of its vendor."""
    if bill.vendor_id != credit.vendor_id:
        raise InvalidInputError(f"Credit {credit.label} is from {credit.vendor.name}; bill {bill.label} is from "
                                f"{bill.vendor.name}. A credit applies only to bills of its vendor.")
    most = min(credit.remaining, bill.balance_due)
    value = most if amount is None else rules.money(amount, "credit amount")
    if value <= ZERO:
        raise InvalidInputError(f"Nothing to apply: credit {credit.label} has {credit.remaining:.2f} left and bill "
                                f"{bill.label} {bill.balance_due:.2f} due.")
    if value > most:
        raise InvalidInputError(f"At most {most:.2f} of credit {credit.label} can be applied to bill {bill.label}.")
    application = CreditApplication(vendor_credit_id=credit.id, bill_id=bill.id, amount=value)
    s.add(application)
    credit.applied_amount += value
    bill.paid_amount += value
    s.flush()
    return application


def _attach_credits(s: Session, payment: BillPayment, bill_ids: list[int]) -> None:
    """Give `payment` the credit applications waiting for a payment on these bills."""
    for application in s.scalars(select(CreditApplication).where(CreditApplication.bill_id.in_(bill_ids),
                                                                  CreditApplication.payment_id.is_(None))):
        application.payment_id = payment.id


class BillPayments(Transactions[BillPayment]):
    model = BillPayment
    kind = "bill_payment"
    key_column = "check_number"

    def create(self, bills: Any, *, date: Any, bank_account: Any = None, amount: Any = None,
               method: str = "epayment", check_number: Any = None, memo: Any = None,
               credits: Any = None) -> BillPayment:
        """Pay one or more bills of one vendor from a bank account, optionally applying vendor credits.

        `bills` is a bill (paid in full, or `amount` of it), or a mapping / list of (bill, amount). `credits` applies
        vendor credits first: a mapping / list of (credit, amount) when the payment pays one bill, or of
        (credit, bill, amount). Credits applied to a bill this payment pays in full go to QuickBooks with it.
        `method` is "epayment" (paid through the app) or "offline" (paid outside the app, recorded here).
        """
        if method not in METHODS:
            raise InvalidInputError(f'The payment method "{method}" is not one of {", ".join(METHODS)}.')
        with self._app.session() as s:
            settings = s.get(Settings, 1)
            assert settings is not None
            given = self._pairs(s, bills, amount)
            vendors = {bill.vendor_id for bill, _ in given}
            if len(vendors) > 1:
                raise InvalidInputError("One payment pays the bills of one vendor.")
            self._apply_credits(s, credits, [bill for bill, _ in given])
            pairs = [(bill, bill.balance_due if value is None else value) for bill, value in given]
            account = self._bank(s, bank_account, settings)
            # Paid through the app, the money goes through the clearing account; once scheduled, that stays.
            posts_to = clearing_account(s, settings) if method == "epayment" and settings.record_funds_transfer \
                else account
            payment = BillPayment(vendor_id=pairs[0][0].vendor_id, date=rules.day(date, "payment date"),
                                  bank_account_id=account.id, payment_account_id=posts_to.id, method=method,
                                  check_number=rules.text(check_number, "check number", rules.CHECK_NUMBER_LIMIT),
                                  memo=rules.text(memo, "memo", 170), amount=ZERO)
            in_full = []
            for bill, value in pairs:
                if value > bill.balance_due:
                    raise InvalidInputError(f"Bill {bill.label} has {bill.balance_due:.2f} due; {value:.2f} is too "
                                            "much.")
                if value == bill.balance_due:
                    in_full.append(bill.id)
                payment.lines.append(BillPaymentLine(bill_id=bill.id, amount=value))
                payment.amount += value
                bill.paid_amount += value
            s.add(payment)
            s.flush()
            _attach_credits(s, payment, in_full)
            payment_id = payment.id
        return self._reload(payment_id)

    def withdraw(self, *payments: Any, on: Any = None) -> list[FundsTransfer]:
        """The app takes the money for payments made through it (given as payments or as the bills they pay).

        When the app records funds transfers, each day's withdrawals from one bank account add up to one lump-sum
        transfer from the bank to the clearing account, which goes to QuickBooks; the transfers are returned.
        """
        with self._app.session() as s:
            settings = s.get(Settings, 1)
            assert settings is not None
            chosen = self._payments_of(s, payments)
            transfers: dict[int, FundsTransfer] = {}
            for payment in chosen:
                if payment.method != "epayment" or payment.withdrawn or payment.amount == ZERO:
                    continue
                payment.withdrawn = True
                if settings.record_funds_transfer:
                    day = rules.day(on, "withdrawal date") if on is not None else payment.date
                    transfer = self._lump_sum(s, settings, payment, day)
                    payment.funds_transfer_id = transfer.id
                    transfers[transfer.id] = transfer
            ids = list(transfers)
        return [FundsTransfers(self._app)._reload(i) for i in ids]

    def _payments_of(self, s: Session, keys: tuple[Any, ...]) -> list[BillPayment]:
        found: list[BillPayment] = []
        for key in keys:
            if isinstance(key, BillPayment | int):
                found.append(self._find(s, key))
                continue
            bill = Bills(self._app)._find(s, key)
            paying = list(s.scalars(select(BillPayment).join(BillPaymentLine).where(BillPaymentLine.bill_id == bill.id)
                                    .order_by(BillPayment.id)))
            if not paying:
                raise InvalidInputError(f"Bill {bill.label} has no payment to withdraw money for.")
            found.extend(paying)
        return found

    def _apply_credits(self, s: Session, credits: Any, bills: list[Bill]) -> None:
        if not credits:
            return
        entries = list(credits.items()) if isinstance(credits, Mapping) else list(credits)
        finder, credit_finder = Bills(self._app), VendorCredits(self._app)
        for given in entries:
            entry: tuple[Any, ...] = tuple(given)
            if len(entry) == 3:
                credit_key, value = entry[0], entry[2]
                bill = finder._find(s, entry[1])
                if bill.id not in {b.id for b in bills}:
                    raise InvalidInputError(f"Credit for bill {bill.label}: the payment does not pay that bill.")
            elif len(bills) == 1:
                (credit_key, value), bill = entry, bills[0]
            else:
                raise InvalidInputError("The payment pays several bills: give each credit as (credit, bill, amount).")
            apply_credit(s, credit_finder._find(s, credit_key), bill, value)

    def _pairs(self, s: Session, bills: Any, amount: Any) -> list[tuple[Bill, Decimal | None]]:
        finder = Bills(self._app)
        if isinstance(bills, Mapping):
            items: list[Any] = list(bills.items())
        elif isinstance(bills, list | tuple) and bills and isinstance(bills[0], tuple | list):
            items = list(bills)
        elif isinstance(bills, list | tuple):
            items = [(bill, None) for bill in bills]
        else:
            items = [(bills, amount)]
        pairs = []
        seen = set()
        for key, value in items:
            bill = finder._find(s, key)
            if bill.id in seen:
                raise InvalidInputError(f"Bill {bill.label} is listed twice.")
            seen.add(bill.id)
            if bill.balance_due <= ZERO:
                raise InvalidInputError(f"Bill {bill.label} has nothing to pay ({bill.balance_due:.2f} due).")
            paid = None if value is None else rules.money(value, "payment amount")
            if paid is not None and paid <= ZERO:
                raise InvalidInputError("A payment amount must be more than 0.00.")
            pairs.append((bill, paid))
        if not pairs:
            raise InvalidInputError("Which bills does the payment pay?")
        return pairs

    def _bank(self, s: Session, key: Any, settings: Settings) -> Account:
        if key is None:
            if settings.bank_account_id is None:
                raise InvalidInputError("Which bank account does the payment come from? Give one, or set the default "
                                        "bank account in the sync preferences.")
            key = settings.bank_account_id
        account = Accounts(self._app)._find(s, key)
        if account.account_type != "Bank":
            raise InvalidInputError(f'"{account.full_name}" is not a bank account: QuickBooks records bill payments '
                                    "from Bank accounts only.")
        return _active(account, "account", self._app.brand)  # type: ignore[no-any-return]

    def _lump_sum(self, s: Session, settings: Settings, payment: BillPayment, day: date) -> FundsTransfer:
        """The day's lump-sum transfer from the payment's bank account to the clearing account, grown by it.

        A transfer that has already gone to QuickBooks is not changed: the payment starts the day's next one.
        """
        clearing = clearing_account(s, settings)
        candidates = s.scalars(select(FundsTransfer).where(
            FundsTransfer.date == day, FundsTransfer.from_account_id == payment.bank_account_id,
            FundsTransfer.to_account_id == clearing.id).order_by(FundsTransfer.id.desc()))
        for transfer in candidates:
            synced = s.scalar(select(Link).where(Link.kind == "funds_transfer", Link.app_id == transfer.id))
            if synced is None:
                transfer.amount += payment.amount
                return transfer
        transfer = FundsTransfer(date=day, from_account_id=payment.bank_account_id, to_account_id=clearing.id,
                                 amount=payment.amount, memo=f"{self._app.brand} payments {day}")
        s.add(transfer)
        s.flush()
        return transfer


class FundsTransfers(Transactions[FundsTransfer]):
    model = FundsTransfer
    kind = "funds_transfer"
    key_column = "memo"

    def create(self, *, date: Any, from_account: Any, to_account: Any, amount: Any, memo: Any = None) -> FundsTransfer:
        """Record money moved between two accounts."""
        with self._app.session() as s:
            accounts = Accounts(self._app)
            source = _active(accounts._find(s, from_account), "account", self._app.brand)
            target = _active(accounts._find(s, to_account), "account", self._app.brand)
            if source.id == target.id:
                raise InvalidInputError("A transfer moves money between two different accounts.")
            value = rules.money(amount, "transfer amount")
            if value == ZERO:
                raise InvalidInputError("A transfer needs an amount.")
            transfer = FundsTransfer(date=rules.day(date, "transfer date"), from_account_id=source.id,
                                     to_account_id=target.id, amount=value,
                                     memo=rules.text(memo, "memo", rules.MEMO_LIMIT))
            s.add(transfer)
            s.flush()
            transfer_id = transfer.id
        return self._reload(transfer_id)

