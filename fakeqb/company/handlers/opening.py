"""Opening balances of customers and vendors: the transactions QuickBooks enters for them.

An OpenBalance on a new customer or job is entered by QuickBooks as its own invoice, as captured: no lines, memo
"Opening balance", no RefNumber, dated the OpenBalanceDate (the day it is entered if none), returned by InvoiceQuery.
It debits A/R for the customer and credits "Opening Balance Equity", an equity account (SpecialAccountType
OpeningBalanceEquity) created as QuickBooks creates it when the company has none.

ASSUMPTIONS:
* A vendor's OpenBalance is entered the same way, as a bill (QuickBooks' help: the opening balance of a vendor is an
  unpaid bill in A/P, shown in the Unpaid Bills report): no lines, memo "Opening balance", no RefNumber, crediting A/P
  for the vendor and debiting Opening Balance Equity; its DueDate is its TxnDate.
* A negative opening balance is a credit: a credit memo for a customer, a vendor credit for a vendor.
* These transactions are ordinary ones afterwards (payments apply to them, they can be changed, voided, deleted); a
  Mod keeps their amount while they have no lines.
* An account's opening balance is not entered as a transaction: only the balance it gives is kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fakeqb.company.context import Context
from fakeqb.company.defaults import default_template
from fakeqb.company.handlers.transactions import (
    TXN_TYPES,
    Draft,
    Effects,
    default_account,
    new_txn_id,
    save_new,
    today,
)
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import LIST_TYPES, find_by_name, insert_object
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_amount

MEMO = "Opening balance"
EQUITY = "Opening Balance Equity"
#: A stored transaction QuickBooks entered for an opening balance (not written in the `*Ret`: no such element).
MARK = "*opening*"
#: Per list type: (the form for a balance owed, the form for a credit).
_FORMS = {"Customer": ("Invoice", "CreditMemo"), "Vendor": ("Bill", "VendorCredit")}


def opening_balance_equity(ctx: Context) -> Any:
    row = find_by_name(ctx.conn, "Account", EQUITY)
    if row is None:
        return insert_object(ctx.conn, LIST_TYPES["Account"], EQUITY,
                             {"AccountType": "Equity", "SpecialAccountType": "OpeningBalanceEquity"}, ctx.unix)
    if row.data.get("AccountType") != "Equity":
        raise status.invalid_reference("Account", row.full_name, "OpeningBalance")
    return row


def enter(ctx: Context, name: Any, value: Decimal, txn_date: str | None) -> None:
    """Enter the transaction for the opening balance `value` of customer or vendor `name` (its list row)."""
    if not value:
        return
    owed, credit = _FORMS[name.list_type]
    form = owed if value > 0 else credit
    day = txn_date or today(ctx)
    data: Data
    if name.list_type == "Customer":
        data = {"CustomerRef": {"ListID": name.list_id}, "TxnDate": day}
        template = default_template(ctx.conn, form)
        if template is not None:
            data["TemplateRef"] = template
    else:
        data = {"VendorRef": {"ListID": name.list_id}, "TxnDate": day}
    data["Memo"] = MEMO
    data[MARK] = "true"
    draft = Draft(new_txn_id(ctx.conn, ctx.unix), data, None)
    effects = effects_of(ctx, form, data, abs(value))
    save_new(ctx, TXN_TYPES[form], draft, effects)


def effects_of(ctx: Context, form: str, data: Data, total: Decimal) -> Effects:
    """What an opening-balance transaction of `total` posts, its fields completed."""
    equity = opening_balance_equity(ctx)
    if form in ("Invoice", "CreditMemo"):
        entity = data["CustomerRef"]["ListID"]
        account = _account(ctx, data, "ARAccountRef", "AccountsReceivable", "Accounts Receivable")
        sign = 1 if form == "Invoice" else -1
        flags = ("IsPending", "IsToBePrinted", "IsToBeEmailed") + (("IsFinanceCharge",) if form == "Invoice" else ())
        for flag in flags:
            data.setdefault(flag, "false")
        if form == "Invoice":
            data.setdefault("DueDate", data["TxnDate"])
        data.setdefault("ShipDate", data["TxnDate"])
        data.update(Subtotal=fmt_amount(total), SalesTaxPercentage="0.00", SalesTaxTotal="0.00")
        if form == "CreditMemo":
            data["TotalAmount"] = fmt_amount(total)
    else:
        entity = data["VendorRef"]["ListID"]
        account = _account(ctx, data, "APAccountRef", "AccountsPayable", "Accounts Payable")
        sign = -1 if form == "Bill" else 1
        if form == "Bill":
            data.setdefault("DueDate", data["TxnDate"])
            data["AmountDue"] = fmt_amount(total)
        else:
            data["CreditAmount"] = fmt_amount(total)
    postings = [Posting(account, entity, sign * total), Posting(equity.list_id, None, -sign * total)]
    return Effects(total, postings, entity_id=entity)


def _account(ctx: Context, data: Data, field: str, account_type: str, name: str) -> str:
    if not data.get(field):
        data[field] = {"ListID": default_account(ctx, account_type, name).list_id}
    return str(data[field]["ListID"])

