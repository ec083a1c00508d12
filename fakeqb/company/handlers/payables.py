"""The payables side: bills, vendor credits, and bill payments by check or by credit card.

A bill credits A/P for the vendor and debits each line's account (an item line the item's purchase account); a vendor
credit does the reverse. A payment debits A/P for the vendor and credits the bank or credit card account; it is
applied to bills (AppliedToTxnAdd) and may set vendor credits on them (SetCredit). A bill's OpenAmount is its AmountDue
less the payments and credits applied to it; IsPaid when nothing is left.

ASSUMPTIONS:
* Without APAccountRef the company's A/P account is used (the first in the chart of accounts); with none, QuickBooks'
  "Accounts Payable" is created, as QuickBooks does when the first bill is entered.
* A new bill takes its vendor's TermsRef when it names none; DueDate follows the terms (`fakeqb.company.terms`), and
  without terms is TxnDate plus the "bills are due" preference (DaysBillsAreDue).
* An expense line needs an account (the "require accounts" preference is on) and a bill or credit needs a line; a
  negative total is refused (3180, wording assumed). Amounts default to 0.00; an item line without Amount costs
  Quantity (1 if none) times Cost (the item's purchase cost if none), its Desc defaults to the item's purchase
  description. An inventory part's line moves its stock (`inventory`).
* A payment pays bills, and sets vendor credits, of its payee in its A/P account: another TxnID is not found (3120).
  A PaymentAmount left out is 0.00. A request that only sets credits (every PaymentAmount 0) creates no transaction,
  as Intuit documents for ReceivePaymentAdd and BillPaymentCreditCardAdd, and answers without a Ret; the credits stay
  set on the bills.
  Credits set through a payment belong to it: they are released when it is deleted, voided, or modified to set others.
* A BillPaymentCheckMod without AppliedToTxnMod keeps the bills paid; with it, the payment pays exactly the bills it
  names. Its Amount (the check's total) may exceed what is applied (the rest is an unapplied payment), not fall below.
* A check's Address is the payee's address when added. DiscountAmount and TxnLineDetail (line-level payments) are not
  simulated (3250). Wrong-type bank, credit card or A/P accounts are invalid references (3140). A bill receives a
  purchase order's lines, or turns an item receipt into a bill, as `links` describes; a vendor credit's LinkToTxn
  names no transaction it can take from (3120).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fakeqb.company.context import Context
from fakeqb.company.handlers import inventory, links, opening
from fakeqb.company.handlers.declare import declare
from fakeqb.company.handlers.transactions import (
    ZERO,
    Applying,
    Draft,
    Effects,
    LineKind,
    RetOptions,
    TxnType,
    account_ref,
    amount,
    applications,
    applied_to,
    default_account,
    listed,
    open_ret,
    previous_applications,
)
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import STOCK_TYPES, address_block
from fakeqb.company.settings import read_setting
from fakeqb.company.terms import due_date
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data, normalise
from fakeqb.qbxml.values import fmt_amount

EXPENSE = LineKind("ExpenseLineAdd", "ExpenseLineRet", "ExpenseLineMod", "ClearExpenseLines")
ITEM = LineKind("ItemLineAdd", "ItemLineRet", "ItemLineMod", "ClearItemLines", price="Cost")
CENT = Decimal("0.01")


def ap_account(ctx: Context, data: Data, label: str) -> Any:
    """The A/P account a transaction names (it must be one), or the company's; set as its APAccountRef."""
    if data.get("APAccountRef"):
        row = account_ref(ctx, data, "APAccountRef", ("AccountsPayable",), label)
    else:
        row = default_account(ctx, "AccountsPayable", "Accounts Payable")
    data["APAccountRef"] = {"ListID": row.list_id}
    return row


# -- bills and vendor credits ---------------------------------------------------------------------------------------

def _purchase(ctx: Context, draft: Draft, label: str, sign: int) -> Effects:
    """A bill (sign 1: lines debited, A/P credited) or a vendor credit (sign -1)."""
    data = draft.data
    if not data.get(EXPENSE.ret) and not data.get(ITEM.ret) and data.get(opening.MARK) and draft.row is not None:
        return opening.effects_of(ctx, label, data, Decimal(draft.row.amount))
    pending = receive(ctx, draft, label == "Bill", "VendorRef", receipts=True)
    vendor_id = data["VendorRef"]["ListID"]
    ap = ap_account(ctx, data, label)
    return purchase_effects(ctx, data, label, pending, ap.list_id, vendor_id, sign)


def purchase_effects(ctx: Context, data: Data, label: str, pending: Any, against: str, entity: str | None,
                     sign: int = 1) -> Effects:
    """A purchase's effects: each line's account debited and `against` (A/P, the bank, the card) credited with the
    total for `entity` (sign -1: the other way, a credit), its stock moved, the forms it receives from used."""
    lines = purchase_lines(ctx, data, label)
    total = sum((value for _, _, value in lines), ZERO)
    postings = [Posting(account, line_entity, sign * value) for account, line_entity, value in lines]
    postings.append(Posting(against, entity, -sign * total))
    return Effects(total, postings, entity_id=entity, uses=links.uses(pending),
                   moves=inventory.purchase_moves(ctx, data, sign))


def receive(ctx: Context, draft: Draft, takes: bool, payee: str, receipts: bool = False) -> links.Pending:
    """The item lines a purchase takes from purchase orders (`takes`; otherwise a link names nothing it can take
    from: 3120)."""
    data = draft.data
    if takes:
        return links.take(ctx, draft, ITEM.ret, "Cost", ("PurchaseOrder",), payee, receipts=receipts)
    linked = list(data.get("LinkToTxnID", [])) + [x["LinkToTxn"]["TxnID"] for x in data.get(ITEM.ret, [])
                                                  if x.get("LinkToTxn")]
    if linked:
        raise status.object_not_found(linked[0])
    return []


def purchase_lines(ctx: Context, data: Data, label: str) -> list[tuple[str, str | None, Decimal]]:
    """The expense and item lines of a purchase (a bill, vendor credit or check), completed: (the account each posts
    to, its customer or job, its amount). A purchase needs a line, and its total cannot be negative."""
    lines: list[tuple[str, str | None, Decimal]] = []
    for line in data.get(EXPENSE.ret, []):
        if not line.get("AccountRef"):
            raise status.cannot_save_txn(label, "An account must be specified for each expense line.")
        lines.append((line["AccountRef"]["ListID"], _ref_id(line, "CustomerRef"), _amount_of(line)))
    for line in data.get(ITEM.ret, []):
        lines.append((item_line(ctx, line, label), _ref_id(line, "CustomerRef"), _amount_of(line)))
    if not lines:
        raise status.cannot_save_txn(label, "The transaction is empty.")
    if sum((value for _, _, value in lines), ZERO) < 0:
        raise status.cannot_save_txn(label, "The total of the transaction cannot be negative.")
    return lines


def _ref_id(data: Data, name: str) -> str | None:
    return (data.get(name) or {}).get("ListID")


def _amount_of(line: Data) -> Decimal:
    value = amount(line.get("Amount"))
    line["Amount"] = fmt_amount(value)
    return value


def item_line(ctx: Context, line: Data, label: str, price: str = "Cost") -> str:
    """Complete an item line (Desc, Quantity, its `price` (Cost, or a purchase order's Rate), Amount); returns the
    account it posts to."""
    if not line.get("ItemRef"):
        raise status.cannot_save_txn(label, "An item must be specified for each item line.")
    item = listed(ctx.conn, "item", line["ItemRef"]["ListID"])
    fields = item.data
    both, one = fields.get("SalesAndPurchase") or {}, fields.get("SalesOrPurchase") or {}
    if item.list_type in STOCK_TYPES:
        account, cost, desc = fields.get("AssetAccountRef"), fields.get("PurchaseCost"), fields.get("PurchaseDesc")
    elif both:
        account, cost, desc = both.get("ExpenseAccountRef"), both.get("PurchaseCost"), both.get("PurchaseDesc")
    else:
        account, cost, desc = one.get("AccountRef"), one.get("Price"), one.get("Desc")
    account = line.get("OverrideItemAccountRef") or account
    if not account:
        raise status.cannot_save_txn(label, "The item has no account for purchases.")
    if desc and "Desc" not in line:
        line["Desc"] = desc
    quantity = Decimal(line["Quantity"]) if line.get("Quantity") else None
    if line.get("Amount"):
        if quantity and price not in line:
            line[price] = normalise("price", str((Decimal(line["Amount"]) / quantity).quantize(Decimal("0.00001"))))
    else:
        unit = Decimal(line.get(price) or cost or 0)
        line.setdefault(price, normalise("price", str(unit)))
        if quantity is None:
            quantity = Decimal(1)
            line["Quantity"] = normalise("quan", "1")
        line["Amount"] = fmt_amount((unit * quantity).quantize(CENT, ROUND_HALF_UP))
    return str(account["ListID"])


def _bill(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    vendor = listed(ctx.conn, "name", data["VendorRef"]["ListID"])
    if "VendorAddress" not in data and vendor.data.get("VendorAddress"):
        data["VendorAddress"] = dict(vendor.data["VendorAddress"])
    if draft.row is None and "TermsRef" not in data and vendor.data.get("TermsRef"):
        data["TermsRef"] = dict(vendor.data["TermsRef"])
    if "DueDate" not in data and data.get("TermsRef"):
        data["DueDate"] = due_date(ctx.conn, data["TermsRef"], data["TxnDate"]) or data["TxnDate"]
    if "DueDate" not in data:
        days = read_setting(ctx.conn, "preferences")["PurchasesAndVendorsPreferences"].get("DaysBillsAreDue", "0")
        try:
            data["DueDate"] = (date.fromisoformat(data["TxnDate"]) + timedelta(days=int(days))).isoformat()
        except OverflowError:  # due after 9999-12-31: no day QuickBooks holds
            raise status.invalid_date(data["TxnDate"], "TxnDate") from None
    effects = _purchase(ctx, draft, "Bill", 1)
    data["AmountDue"] = fmt_amount(effects.amount)
    return effects


def _vendor_credit(ctx: Context, draft: Draft) -> Effects:
    effects = _purchase(ctx, draft, "VendorCredit", -1)
    draft.data["CreditAmount"] = fmt_amount(effects.amount)
    return effects


BILL = declare(TxnType("Bill", _bill, lines=(EXPENSE, ITEM), totals=("AmountDue",),
                       ret_extra=open_ret("OpenAmount", "IsPaid")))
VENDOR_CREDIT = declare(TxnType("VendorCredit", _vendor_credit, lines=(EXPENSE, ITEM), totals=("CreditAmount",),
                                ret_extra=open_ret("OpenAmount")))


# -- bill payments ----------------------------------------------------------------------------------------------------

def _payment(ctx: Context, draft: Draft, label: str, account_field: str, account_type: str) -> Effects:
    """A bill payment: A/P debited for the payee, the bank or credit card account credited."""
    data, request = draft.data, draft.request
    payee_id = data["PayeeEntityRef"]["ListID"]
    ap = ap_account(ctx, data, label)
    account = account_ref(ctx, data, account_field, (account_type,), label)
    field = "AppliedToTxnAdd" if draft.row is None else "AppliedToTxnMod"
    keep = draft.row is not None and field not in request
    apps = previous_applications(draft) if keep else request.get(field, [])
    applying = Applying(draft.txn_id, payee_id, "APAccountRef", ap.list_id, "Bill", ("VendorCredit",))
    links = applications(ctx, applying, field, apps)
    applied = sum((x.amount for x in links if x.source == draft.txn_id), ZERO)
    if "Amount" in request:
        total = Decimal(request["Amount"])
        if total < applied:
            raise status.invalid_value("Amount", request["Amount"], "The amount is less than the amount applied.")
    elif keep:
        total = Decimal(data.get("Amount", "0"))
    else:
        total = applied
    if draft.row is None and total == 0:
        if links:
            return Effects(ZERO, [], links=links, creates=False)
        raise status.cannot_save_txn(label, "The transaction is empty.")
    data["Amount"] = fmt_amount(total)
    postings = [Posting(ap.list_id, payee_id, total), Posting(account.list_id, payee_id, -total)]
    return Effects(total, postings, entity_id=payee_id, links=links)


def _check(ctx: Context, draft: Draft) -> Effects:
    data, request = draft.data, draft.request
    if "RefNumber" in request:  # a check number, or to be printed: a choice
        data["RefNumber"] = request["RefNumber"]
        data["IsToBePrinted"] = "false"
    elif "IsToBePrinted" in request:
        data["IsToBePrinted"] = request["IsToBePrinted"] or "false"
        if data["IsToBePrinted"] == "true":
            data.pop("RefNumber", None)
    if not data.get("RefNumber"):
        data.pop("RefNumber", None)
    if draft.row is None:
        payee_address(ctx, data)
    return _payment(ctx, draft, "BillPaymentCheck", "BankAccountRef", "Bank")


def payee_address(ctx: Context, data: Data) -> None:
    """A new check's Address: its payee's address (a vendor's, customer's, other name's or employee's), if any."""
    payee = listed(ctx.conn, "name", data["PayeeEntityRef"]["ListID"])
    address = next((payee.data[k] for k in ("VendorAddress", "BillAddress", "OtherNameAddress",
                                            "EmployeeAddress") if payee.data.get(k)), None)
    if address:
        data["Address"] = dict(address)
        address_block(data, "Address", "AddressBlock")


def _credit_card(ctx: Context, draft: Draft) -> Effects:
    return _payment(ctx, draft, "BillPaymentCreditCard", "CreditCardAccountRef", "CreditCard")


def _payment_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    data["AppliedToTxnRet"] = applied_to(ctx, row.txn_id)


_PAYMENT_FIELDS = ("AppliedToTxnAdd", "AppliedToTxnMod", "Amount")
BILL_PAYMENT_CHECK = declare(TxnType("BillPaymentCheck", _check, totals=("Amount",), ret_extra=_payment_ret,
                                     request_only=(*_PAYMENT_FIELDS, "RefNumber", "IsToBePrinted")))
BILL_PAYMENT_CREDIT_CARD = declare(TxnType("BillPaymentCreditCard", _credit_card, requests=("Add", "Query"),
                                           totals=("Amount",), ret_extra=_payment_ret, request_only=_PAYMENT_FIELDS))
