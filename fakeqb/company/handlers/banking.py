"""Checks, transfers between accounts, and general journal entries.

A check (Write Checks) credits its bank account and debits each expense or item line's account, as a bill does; its
Amount is the total of its lines and its Address is its payee's. A transfer debits the account transferred to and
credits the one transferred from; its Ret shows both accounts' balances as they are now. A journal entry posts each
debit and credit line to its account (and, on A/P and A/R lines, to the name on the line); its lines keep the order
they were entered in, debits and credits mixed.

ASSUMPTIONS:
* A check is written from a bank account (another type is an invalid reference, 3140); its payee is optional. Its
  RefNumber and IsToBePrinted are kept as sent (no check number is assigned). A check applied to bills
  (ApplyCheckToTxnAdd/Mod) is not simulated (3250): bills are paid with BillPaymentCheck. A check's item lines may
  receive purchase order lines (`links`), and an inventory part's line moves its stock (`inventory`).
* A transfer is between two different balance-sheet accounts other than A/R and A/P (QuickBooks' Transfer Funds
  window), of a positive amount; all three are needed (3180, wording assumed).
* Every journal line needs an account; debits must equal credits; an A/P line must name a vendor and an A/R line a
  customer (3180, wordings modelled on QuickBooks' messages for the same mistakes). Amounts default to 0.00.
* Journal entries are numbered: without a RefNumber an entry takes the number after the highest numeric RefNumber of
  the company's journal entries (QuickBooks' "automatically assign general journal entry number", on by default).
* A JournalLineMod with TxnLineID -1 adds a line and must say its JournalLineType; lines not named are removed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from fakeqb.company.context import Context
from fakeqb.company.handlers.declare import declare
from fakeqb.company.handlers.payables import EXPENSE, ITEM, payee_address, purchase_effects, receive
from fakeqb.company.handlers.transactions import (
    ZERO,
    Draft,
    Effects,
    RetOptions,
    TxnType,
    account_ref,
    amount,
    linked_txns,
    listed,
    merge_line,
    new_line_id,
)
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import BALANCE_SHEET_TYPES
from fakeqb.company.store import transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.records import INTERLEAVED, Data
from fakeqb.qbxml.values import fmt_amount, whole_number

TRANSFER_TYPES = BALANCE_SHEET_TYPES - {"AccountsReceivable", "AccountsPayable"}
#: The name an A/P or A/R journal line must carry: (list type, what QuickBooks asks for).
_NAME_NEEDED = {"AccountsPayable": ("Vendor", "vendor"), "AccountsReceivable": ("Customer", "customer")}


# -- checks ---------------------------------------------------------------------------------------------------------

def _check(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    if draft.request:  # ApplyCheckToTxnAdd / ApplyCheckToTxnMod
        raise status.not_supported()
    bank = account_ref(ctx, data, "AccountRef", ("Bank",), "Check")
    payee = (data.get("PayeeEntityRef") or {}).get("ListID")
    if draft.row is None:
        data.setdefault("IsToBePrinted", "false")
        if payee:
            payee_address(ctx, data)
    pending = receive(ctx, draft, True, "PayeeEntityRef")
    effects = purchase_effects(ctx, data, "Check", pending, bank.list_id, payee)
    data["Amount"] = fmt_amount(effects.amount)
    return effects


def _check_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    if options.linked:
        data["LinkedTxn"] = linked_txns(ctx, row.txn_id)


CHECK = declare(TxnType("Check", _check, lines=(EXPENSE, ITEM), totals=("Amount",), ret_extra=_check_ret,
                        request_only=("ApplyCheckToTxnAdd", "ApplyCheckToTxnMod")))


# -- transfers ------------------------------------------------------------------------------------------------------

def _transfer(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    if not (data.get("TransferFromAccountRef") and data.get("TransferToAccountRef") and data.get("Amount")):
        raise status.cannot_save_txn("Transfer", "A transfer needs an account to transfer from, an account to "
                                                 "transfer to and an amount.")
    source = account_ref(ctx, data, "TransferFromAccountRef", TRANSFER_TYPES, "Transfer")
    target = account_ref(ctx, data, "TransferToAccountRef", TRANSFER_TYPES, "Transfer")
    if source.list_id == target.list_id:
        raise status.cannot_save_txn("Transfer", "You cannot transfer funds from an account to itself.")
    value = Decimal(data["Amount"])
    if value <= 0:
        raise status.cannot_save_txn("Transfer", "The amount of a transfer must be more than zero.")
    return Effects(value, [Posting(target.list_id, None, value), Posting(source.list_id, None, -value)])


def _transfer_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    for ref, field in (("TransferFromAccountRef", "FromAccountBalance"), ("TransferToAccountRef", "ToAccountBalance")):
        account = listed(ctx.conn, "Account", data[ref]["ListID"])
        data[field] = fmt_amount(account.balance)


TRANSFER = declare(TxnType("Transfer", _transfer, totals=("Amount",), ret_extra=_transfer_ret))


# -- journal entries ------------------------------------------------------------------------------------------------

def _journal(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    totals = {"JournalDebitLine": ZERO, "JournalCreditLine": ZERO}
    postings = []
    for name, line in data.get(INTERLEAVED, []):
        if not line.get("AccountRef"):
            raise status.cannot_save_txn("JournalEntry", "An account must be specified for each line.")
        account = listed(ctx.conn, "Account", line["AccountRef"]["ListID"])
        value = amount(line.get("Amount"))
        line["Amount"] = fmt_amount(value)
        entity = (line.get("EntityRef") or {}).get("ListID")
        needed = _NAME_NEEDED.get(account.data.get("AccountType"))
        if needed is not None:
            named = listed(ctx.conn, "name", entity) if entity else None
            if named is None or named.list_type != needed[0]:
                raise status.cannot_save_txn("JournalEntry", f"When you use {account.full_name} in a journal entry, "
                                                             f"you must specify a {needed[1]} in the Name column.")
        totals[name] += value
        postings.append(Posting(account.list_id, entity, value if name == "JournalDebitLine" else -value))
    if totals["JournalDebitLine"] != totals["JournalCreditLine"]:
        raise status.cannot_save_txn("JournalEntry", "The transaction is not in balance.  Make sure the amounts in "
                                                     "the debit column equal the amounts in the credit column.")
    if draft.row is None:
        data.setdefault("IsAdjustment", "false")
        if not data.get("RefNumber"):
            data["RefNumber"] = str(_last_number(ctx) + 1)
    return Effects(totals["JournalDebitLine"], postings)


def _last_number(ctx: Context) -> int:
    refs = ctx.conn.execute(select(transactions.c.ref_number).where(transactions.c.txn_type == "JournalEntry"))
    return max((n for (r,) in refs if r and (n := whole_number(r)) is not None), default=0)


def _merge_journal(ctx: Context, draft: Draft, changes: Data) -> None:
    """A JournalEntryMod's lines: the lines it names, in its order (see the module's ASSUMPTIONS)."""
    if "JournalLineMod" not in changes:
        return
    current = {line["TxnLineID"]: (name, line) for name, line in draft.data.get(INTERLEAVED, [])}
    merged: list[list[Any]] = []
    for sent in changes.pop("JournalLineMod"):
        line_id, side = sent.pop("TxnLineID"), sent.pop("JournalLineType", None)
        if line_id == "-1":
            if side is None:
                raise status.cannot_save_txn("JournalEntry", "A new line must say whether it is a debit or a credit.")
            merged.append([f"Journal{side}Line", {"TxnLineID": new_line_id(ctx.conn, draft.txn_id), **sent}])
        elif line_id in current:
            name, line = current[line_id]
            merged.append([f"Journal{side}Line" if side else name, merge_line(line, sent)])
        else:
            raise status.object_not_found(line_id)
    draft.data[INTERLEAVED] = merged


JOURNAL_ENTRY = declare(TxnType("JournalEntry", _journal, interleaved=("JournalDebitLine", "JournalCreditLine"),
                                merge_lines=_merge_journal, entity_in_lines=True))
