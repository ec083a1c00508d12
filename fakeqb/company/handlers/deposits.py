"""Deposits: payments held in Undeposited Funds, and other money, put into a bank account.

A deposit debits the account deposited to with its total and credits each line's account: a line naming a payment
(PaymentTxnID: a payment received or a sales receipt held in Undeposited Funds) credits Undeposited Funds with the
payment's amount, emptying it of that payment; any other line credits the account it names. Cash back (CashBackInfo)
is money kept out of the deposit: its account is debited and the total is the lines less it.

ASSUMPTIONS:
* A deposit is made to a bank or other current asset account other than Undeposited Funds (else an invalid
  reference, 3140). A payment line names a ReceivePayment or SalesReceipt deposited to Undeposited Funds that no other
  deposit holds; any other TxnID is not found (3120). The line takes the payment's customer, Undeposited Funds, its
  memo, its check number (a payment's RefNumber, a sales receipt's CheckNumber), its payment method and amount;
  OverrideMemo, OverrideCheckNumber and OverrideClassRef replace the memo, check number and class.
* A deposit needs a line and its total cannot be negative (3180). An other line without Amount deposits 0.00.
* A payment a deposit holds cannot be deleted or voided, nor change its customer, amount or deposit account (3180,
  "linked to other transactions"): QuickBooks would leave the deposit holding money that is not there. Deleting or
  voiding the deposit, or a Mod that drops the line, returns the payment to Undeposited Funds (a voided deposit's
  lines still name the payments, with zero amounts).
* A deposit is not a LinkedTxn of the payments it holds (the link shows on the deposit's lines: TxnType and TxnID).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fakeqb.company import ledger
from fakeqb.company.context import Context
from fakeqb.company.handlers.declare import declare
from fakeqb.company.handlers.receivables import DEPOSIT_TYPES, UNDEPOSITED_FUNDS
from fakeqb.company.handlers.transactions import (
    ZERO,
    Draft,
    Effects,
    LineKind,
    TxnType,
    account_ref,
    amount,
    find_txn,
    listed,
    new_line_id,
)
from fakeqb.company.ledger import Posting, Use
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_amount

DEPOSIT_LINE = LineKind("DepositLineAdd", "DepositLineRet", "DepositLineMod")
#: What a deposit line may hold: payments received and sales receipts left in Undeposited Funds.
DEPOSITABLE = ("ReceivePayment", "SalesReceipt")
_OVERRIDES = (("OverrideMemo", "Memo"), ("OverrideCheckNumber", "CheckNumber"), ("OverrideClassRef", "ClassRef"))


def is_undeposited_funds(account: Any) -> bool:
    return bool(account.data.get("SpecialAccountType") == "UndepositedFunds" or account.name == UNDEPOSITED_FUNDS)


def _deposit(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    target = account_ref(ctx, data, "DepositToAccountRef", DEPOSIT_TYPES, "Deposit")
    if is_undeposited_funds(target):
        raise status.invalid_reference("Account", target.full_name, "Deposit")
    lines = data.get(DEPOSIT_LINE.ret, [])
    if not lines:
        raise status.cannot_save_txn("Deposit", "The transaction is empty.")
    postings: list[Posting] = []
    uses: list[Use] = []
    held: set[str] = set()
    for i, line in enumerate(lines):
        if "PaymentTxnID" in line or "TxnType" in line:
            line = lines[i] = _payment_line(ctx, line, held)
            uses.append(Use(line["TxnID"], None, None, Decimal(line["Amount"])))
        else:
            if not line.get("AccountRef"):
                raise status.cannot_save_txn("Deposit", "An account must be specified for each line.")
            line["Amount"] = fmt_amount(amount(line.get("Amount")))
        entity = (line.get("EntityRef") or {}).get("ListID")
        postings.append(Posting(line["AccountRef"]["ListID"], entity, -Decimal(line["Amount"])))
    total = sum((Decimal(line["Amount"]) for line in lines), ZERO)
    back = _cash_back(ctx, draft)
    if back is not None:
        postings.append(Posting(back[0], None, back[1]))
        total -= back[1]
    if total < 0:
        raise status.cannot_save_txn("Deposit", "The total of the transaction cannot be negative.")
    data["DepositTotal"] = fmt_amount(total)
    postings.append(Posting(target.list_id, None, total))
    return Effects(total, postings, uses=uses)


def _payment_line(ctx: Context, line: Data, held: set[str]) -> Data:
    """A line depositing a payment: what it takes from the payment, with the overrides sent."""
    payment_id = line.pop("PaymentTxnID", None) or line["TxnID"]
    payment = find_txn(ctx.conn, payment_id)
    if payment is None or payment.txn_type not in DEPOSITABLE or payment_id in held or ledger.used_by(
            ctx.conn, payment_id):
        raise status.object_not_found(payment_id)
    account = listed(ctx.conn, "Account", payment.data["DepositToAccountRef"]["ListID"])
    if not is_undeposited_funds(account):
        raise status.object_not_found(payment_id)
    held.add(payment_id)
    out: Data = {"TxnLineID": line["TxnLineID"], "TxnType": payment.txn_type, "TxnID": payment_id}
    if line.get("PaymentTxnLineID"):
        out["PaymentTxnLineID"] = line["PaymentTxnLineID"]
    fresh = line.get("TxnID") != payment_id
    pay = payment.data
    if pay.get("CustomerRef"):
        out["EntityRef"] = dict(pay["CustomerRef"])
    out["AccountRef"] = {"ListID": account.list_id}
    check = pay.get("CheckNumber") if payment.txn_type == "SalesReceipt" else payment.ref_number
    for field, value in (("Memo", pay.get("Memo")), ("CheckNumber", check), ("ClassRef", None)):
        kept = value if fresh else line.get(field)
        if kept:
            out[field] = kept
    if pay.get("PaymentMethodRef"):
        out["PaymentMethodRef"] = dict(pay["PaymentMethodRef"])
    for override, field in _OVERRIDES:
        if line.get(override):
            out[field] = line[override]
    out["Amount"] = fmt_amount(payment.amount)
    return out


def _cash_back(ctx: Context, draft: Draft) -> tuple[str, Decimal] | None:
    """The cash back a deposit keeps out: (its account, its amount); CashBackInfoMod changes what it has."""
    data = draft.data
    sent = data.pop("CashBackInfoAdd", None) or data.pop("CashBackInfoMod", None)
    current = data.get("CashBackInfoRet")
    if sent is not None:
        merged = {**(current or {}), **{k: v for k, v in sent.items() if v not in ("", {})}}
        merged.setdefault("TxnLineID", new_line_id(ctx.conn, draft.txn_id))
        current = data["CashBackInfoRet"] = merged
    if not current:
        return None
    if not current.get("AccountRef"):
        raise status.cannot_save_txn("Deposit", "An account must be specified for the cash back.")
    value = amount(current.get("Amount"))
    current["Amount"] = fmt_amount(value)
    return current["AccountRef"]["ListID"], value


DEPOSIT = declare(TxnType("Deposit", _deposit, lines=(DEPOSIT_LINE,), totals=("DepositTotal",)))
