"""The receivables side: invoices, credit memos, and payments received from customers.

An invoice debits A/R for its customer or job and credits each line's income account; a credit memo does the reverse.
A payment credits A/R for the customer or job and debits the account it is deposited to; it is applied to invoices
(AppliedToTxnAdd, or IsAutoApply) and may set credit memos on them (SetCredit). An invoice's BalanceRemaining is its
total less the payments and credits applied to it, which QuickBooks writes as a negative AppliedAmount (-55.00 on an
invoice of 100.00 with 45.00 left); IsPaid when nothing is left. A credit memo's CreditRemaining is what has not been
used of it, a payment's UnusedPayment what it has not applied: both stay on the customer's balance as credit. A job's
transactions move the job's Balance, and so its parent's TotalBalance.

"Partial payments should be applied to an invoice before applying credit memos" (the app's sync rule) is advice about
the app, not a rule of QuickBooks: QuickBooks takes payments and credit memos in either order. What goes wrong is the
order of events around the sync. The app does not see credit memos; a credit memo applied in QuickBooks before the
app's payment lowers the invoice's BalanceRemaining, and the payment the app then sends for the amount it still
believes is due is more than is left: QuickBooks refuses it with 3210 (`The "AppliedToTxnAdd payment amount" field has
an invalid value "1000.00".  QuickBooks error message: You cannot pay more than the amount due.`). That is the guard
every payment goes through (`transactions.applications`); nothing here is special to it. A partial payment synced
first leaves room for the credit memo, which is then applied against the smaller balance.

ASSUMPTIONS:
* Sales tax is worked out as `sales_tax` describes: BalanceRemaining is the Subtotal and the tax, less what is
  applied (0.00 tax on a form without a sales tax item). A subtotal line adds up the lines above it back to the
  previous subtotal and posts nothing; a discount line takes its item's DiscountRatePercent off the line directly
  above (RatePercent written negative, as QuickBooks prints "-10.0%"), or its DiscountRate as a negative Rate, and
  posts to the discount item's account (a taxable discount lowers the taxable amount). A line naming a group,
  payment or sales tax item is refused as naming an item without an income account (3180): those lines are not
  simulated. A sales rep or ship method named on a form is kept. A line without a Rate is priced at its
  PriceLevelRef, else at its customer's price level (PriceLevelRef on the customer), as QuickBooks fills in the rate:
  the item's price for the level, or its sales price raised (lowered) by the level's percentage, rounded half up to
  cents;
  QuickBooks Online-only elements (DiscountLineAdd, SalesTaxLineAdd, ShippingLineAdd), credit card processing
  (CreditCardTxnInfo), discounts and line-level payments (DiscountAmount, TxnLineDetail) are not simulated (3250).
  An invoice is made from an estimate's or a sales order's lines as `links` describes; a credit memo's LinkToTxn
  names no transaction it can take from (3120).
* Without ARAccountRef the company's A/R account is used (the first in the chart of accounts); with none, QuickBooks'
  "Accounts Receivable" is created, as it is when the first invoice is entered.
* Invoices and credit memos are numbered in one sequence, as QuickBooks numbers its sales forms: without a RefNumber
  one takes the number after the most recently entered numeric RefNumber of either (1 for the first); an empty
  RefNumber stays empty.
* As captured, a new invoice or credit memo always has a TemplateRef (the form's default template,
  `fakeqb.company.defaults.DEFAULT_TEMPLATES`, when none is sent) and a ShipDate (its TxnDate when none is sent).
* A new invoice takes its customer's TermsRef when it names none; DueDate follows the terms (`fakeqb.company.terms`),
  and is the TxnDate without terms. BillAddress and ShipAddress default to the
  customer's or job's own; IsPending, IsFinanceCharge, IsToBePrinted and IsToBeEmailed default to false.
  IsToBeEmailed true needs a customer with an e-mail address (Intuit documents the refusal; 3180, wording assumed).
* Lines: an item line without Amount is Quantity (1 if none) times Rate (the item's sales price if none), rounded half
  up to cents; with RatePercent (or an item priced as a percentage) it is that percentage of the amount of the line
  above, when the line is saved. With Amount and Quantity but no Rate, the Rate is the Amount divided by the Quantity;
  an empty number is no number. Desc defaults to the item's sales description. A line posts to its
  OverrideItemAccountRef or its item's income account; an inventory part's cost of goods sold is posted and its
  stock moves (`inventory`). A line without an item is a description line and carries no amount (3180 if it has
  one). A form needs a line, and its total cannot be negative (3180, wordings as for bills).
* An invoice's SetCredit applies credit memos (or unused payments) of its customer or job to it when it is saved;
  those credits belong to it. A Mod naming SetCredit replaces them, one naming none keeps them.
* An invoice cannot be changed to less than is applied to it, nor a credit memo to less than has been used of it
  (3180, the rule `transactions` applies to every type): QuickBooks would otherwise leave payments applied to nothing.
* A payment pays invoices of its own customer or job in its A/R account (a job's invoices are not its parent's): any
  other TxnID is not found (3120). SetCredit sets a credit memo of the same customer or job, or the unused part of an
  earlier payment of it. A PaymentAmount left out is 0.00.
* TotalAmount defaults to the sum of the PaymentAmounts, and can be neither less than it nor negative (3210). A
  request that only sets credits (every PaymentAmount 0, no TotalAmount) creates no transaction and answers without a
  Ret, as Intuit documents; the credits stay set on the invoices.
* IsAutoApply true applies TotalAmount to the oldest open invoice whose BalanceRemaining equals it, else to the open
  invoices of the customer or job oldest first (TxnDate, then entry order), as Intuit documents; false applies
  nothing. What is not applied is UnusedPayment.
* A ReceivePaymentMod keeps its TotalAmount unless it sends one; without AppliedToTxnMod it keeps what it applied,
  with it, it applies exactly what it names (credits included).
* UnusedCredits is what the credit memos of the payment's customer or job in its A/R account have left when the
  payment is read.
* DepositToAccountRef defaults to "Undeposited Funds", created as an OtherCurrentAsset account (special account
  UndepositedFunds) when the company has no account of that name, as QuickBooks keeps one for payments received. A
  payment is deposited to a bank or other current asset account (another is an invalid reference, 3140).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from fakeqb.company import ledger
from fakeqb.company.context import Context
from fakeqb.company.defaults import default_template
from fakeqb.company.handlers import inventory, links, opening, sales_tax
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
    set_credits,
)
from fakeqb.company.ledger import Posting
from fakeqb.company.lists import LIST_TYPES, STOCK_TYPES, address_block, find, find_by_name, insert_object
from fakeqb.company.store import transactions
from fakeqb.company.terms import due_date
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data, normalise
from fakeqb.qbxml.values import fmt_amount, whole_number

INVOICE_LINE = LineKind("InvoiceLineAdd", "InvoiceLineRet", "InvoiceLineMod", price="Rate")
CREDIT_MEMO_LINE = LineKind("CreditMemoLineAdd", "CreditMemoLineRet", "CreditMemoLineMod", price="Rate")
CENT = Decimal("0.01")
UNDEPOSITED_FUNDS = "Undeposited Funds"
#: What sets credits on an invoice: credit memos, and what earlier payments left unused.
CREDITS = ("CreditMemo", "ReceivePayment")
#: Sales forms numbered in one sequence.
_NUMBERED = ("Invoice", "CreditMemo")
#: Elements of the schema QuickBooks Desktop does not take (QuickBooks Online's).
_ONLINE_ONLY = ("DiscountLineAdd", "SalesTaxLineAdd", "ShippingLineAdd")
#: The numbers of a sales line.
_NUMBERS = ("Quantity", "Rate", "RatePercent", "Amount")
#: Account types a payment may be deposited to.
DEPOSIT_TYPES = ("Bank", "OtherCurrentAsset")


def ar_account(ctx: Context, data: Data, label: str) -> Any:
    """The A/R account a transaction names (it must be one), or the company's; set as its ARAccountRef."""
    if data.get("ARAccountRef"):
        row = account_ref(ctx, data, "ARAccountRef", ("AccountsReceivable",), label)
    else:
        row = default_account(ctx, "AccountsReceivable", "Accounts Receivable")
    data["ARAccountRef"] = {"ListID": row.list_id}
    return row


# -- invoices and credit memos --------------------------------------------------------------------------------------

def _sale(ctx: Context, draft: Draft, label: str, kind: LineKind, sign: int) -> Effects:
    """An invoice (sign 1: A/R debited, income credited) or a credit memo (sign -1)."""
    data = draft.data
    if any(name in data for name in _ONLINE_ONLY):
        raise status.not_supported()
    lines = data.get(kind.ret, [])
    if not lines and data.get(opening.MARK) and draft.row is not None:
        return opening.effects_of(ctx, label, data, Decimal(draft.row.amount))
    pending: links.Pending = []
    if label == "Invoice":
        pending = links.take(ctx, draft, kind.ret, "Rate", ("Estimate", "SalesOrder"), "CustomerRef")
        lines = data.get(kind.ret, [])
    else:
        linked = list(data.get("LinkToTxnID", [])) + [x["LinkToTxn"]["TxnID"] for x in lines if x.get("LinkToTxn")]
        if linked:
            raise status.object_not_found(linked[0])
    customer = listed(ctx.conn, "name", data["CustomerRef"]["ListID"])
    ar = ar_account(ctx, data, label)
    if draft.row is None:
        _defaults(ctx, data, customer, label)
    if (data.get("IsToBeEmailed") == "true" and not customer.data.get("Email")
            and ctx.company.behaviours["email_without_address"] == "refused"):
        raise status.cannot_save_txn(label, "The customer has no e-mail address to send the form to.")
    if not lines:
        raise status.cannot_save_txn(label, "The transaction is empty.")
    level = (customer.data.get("PriceLevelRef") or {}).get("ListID")
    postings = [Posting(account, None, -sign * amount(line.get("Amount")))
                for line, account in price_lines(ctx, lines, label, level) if account is not None]
    total = sum((-sign * p.amount for p in postings), ZERO)
    if total < 0:
        raise status.cannot_save_txn(label, "The total of the transaction cannot be negative.")
    data["Subtotal"] = fmt_amount(total)
    tax = sales_tax.apply(ctx, data, lines, customer, draft.row is None)
    postings += tax.postings(ctx, sign)
    due = total + tax.total
    moves, costs = inventory.sale_moves(ctx, lines, sign)
    postings += costs
    postings.append(Posting(ar.list_id, customer.list_id, sign * due))
    return Effects(due, postings, entity_id=customer.list_id, uses=links.uses(pending), moves=moves)


def _defaults(ctx: Context, data: Data, customer: Any, form: str) -> None:
    """What QuickBooks fills in on a new invoice or credit memo."""
    if "TemplateRef" not in data:
        template = default_template(ctx.conn, form)
        if template is not None:
            data["TemplateRef"] = template
    data.setdefault("ShipDate", data["TxnDate"])
    for field in ("BillAddress", "ShipAddress"):
        if field not in data and customer.data.get(field):
            data[field] = dict(customer.data[field])
    for flag in ("IsPending", "IsToBePrinted", "IsToBeEmailed"):
        data.setdefault(flag, "false")
    if "RefNumber" not in data:
        data["RefNumber"] = _next_number(ctx)
    elif not data["RefNumber"]:
        del data["RefNumber"]


def _next_number(ctx: Context) -> str:
    """The number after the most recently entered numeric RefNumber of the sales forms (1 for the first)."""
    c = transactions.c
    with ctx.conn.execute(select(c.ref_number).where(c.txn_type.in_(_NUMBERED), c.ref_number.is_not(None))
                          .order_by(c.id.desc()).execution_options(yield_per=100)) as refs:
        return next((str(n + 1) for (ref,) in refs if (n := whole_number(ref)) is not None), "1")


def price_lines(ctx: Context, lines: list[Data], label: str, level: str | None = None) -> list[tuple[Data, str | None]]:
    """Complete a sales form's lines in order (`level`: the customer's price level); each with the account it posts to
    (None: it posts nothing)."""
    out: list[tuple[Data, str | None]] = []
    above = section = ZERO
    for line in lines:
        account = sales_line(ctx, line, above, label, section, level)
        value = amount(line.get("Amount"))
        section = ZERO if line.get("ItemRef") and account is None else section + value  # a subtotal starts anew
        above = value
        out.append((line, account))
    return out


def sales_line(ctx: Context, line: Data, above: Decimal, label: str, section: Decimal = ZERO,
               level: str | None = None) -> str | None:
    """Complete a line (Desc, Quantity, Rate, Amount); returns the account it posts to (None: a description or a
    subtotal line). `above` is the amount of the line above, `section` the lines' since the last subtotal."""
    if line.get("CreditCardTxnInfo"):
        raise status.not_supported()
    for name in _NUMBERS:
        if line.get(name) == "":
            del line[name]  # an empty value is no value
    if not line.get("ItemRef"):
        if any(name in line for name in _NUMBERS):
            raise status.cannot_save_txn(label, "An item must be specified for each line with an amount.")
        return None
    item = listed(ctx.conn, "item", line["ItemRef"]["ListID"])
    if item.list_type in ("ItemSubtotal", "ItemDiscount"):
        return _subtotal_or_discount(line, item, above, section, label)
    account, price, percent, desc = _sales_terms(item)
    account = line.get("OverrideItemAccountRef") or account
    if not account:
        raise status.cannot_save_txn(label, "The item has no income account.")
    if desc and "Desc" not in line:
        line["Desc"] = desc
    quantity = Decimal(line["Quantity"]) if "Quantity" in line else None
    if "Amount" not in line and "Rate" not in line and ("RatePercent" in line or percent is not None):
        if "RatePercent" not in line:
            line["RatePercent"] = normalise("percent", str(percent))
        line["Amount"] = fmt_amount((above * Decimal(line["RatePercent"]) / 100).quantize(CENT, ROUND_HALF_UP))
    elif "Amount" in line:
        if quantity and "Rate" not in line and "RatePercent" not in line:
            line["Rate"] = normalise("price", str((Decimal(line["Amount"]) / quantity).quantize(Decimal("0.00001"))))
        line["Amount"] = fmt_amount(line["Amount"])
    else:
        level_ref = line.get("PriceLevelRef") or ({"ListID": level} if level else None)
        rate = Decimal(line.get("Rate") or (_level_price(ctx, level_ref, item, Decimal(price or 0)) if level_ref
                                            and "Rate" not in line else price) or 0)
        line["Rate"] = normalise("price", str(rate))
        if quantity is None:
            quantity = Decimal(1)
            line["Quantity"] = normalise("quan", "1")
        line["Amount"] = fmt_amount((rate * quantity).quantize(CENT, ROUND_HALF_UP))
    return str(account["ListID"])


def _level_price(ctx: Context, ref: Data, item: Any, price: Decimal) -> Decimal:
    """An item's price at a price level: its own price there, or the item's price raised (lowered) by a percentage,
    rounded half up to cents."""
    level = find(ctx.conn, "PriceLevel", ref["ListID"])
    if level is None:
        return price
    fields = level.data
    percent = fields.get("PriceLevelFixedPercentage")
    for entry in fields.get("PriceLevelPerItemRet", []):
        if entry["ItemRef"]["ListID"] == item.list_id:
            if "CustomPrice" in entry:
                return Decimal(entry["CustomPrice"])
            percent = entry.get("CustomPricePercent")
    if percent is None:
        return price
    return (price * (100 + Decimal(percent)) / 100).quantize(CENT, ROUND_HALF_UP)


def _subtotal_or_discount(line: Data, item: Any, above: Decimal, section: Decimal, label: str) -> str | None:
    """A subtotal line: the amounts since the last subtotal, posting nothing. A discount line: its item's rate off
    the line above (a percentage of it, or an amount), posting to the discount's account."""
    fields = item.data
    if fields.get("ItemDesc") and "Desc" not in line:
        line["Desc"] = fields["ItemDesc"]
    if item.list_type == "ItemSubtotal":
        for name in ("Quantity", "Rate", "RatePercent"):
            line.pop(name, None)
        line["Amount"] = fmt_amount(section)
        return None
    account = line.get("OverrideItemAccountRef") or fields.get("AccountRef")
    if not account:
        raise status.cannot_save_txn(label, "The item has no income account.")
    if "Amount" in line:
        line["Amount"] = fmt_amount(line["Amount"])
    elif "RatePercent" in line or ("Rate" not in line and fields.get("DiscountRatePercent")):
        line.setdefault("RatePercent", normalise("percent", str(-Decimal(fields["DiscountRatePercent"]))))
        line["Amount"] = fmt_amount((above * Decimal(line["RatePercent"]) / 100).quantize(CENT, ROUND_HALF_UP))
    else:
        line.setdefault("Rate", normalise("price", str(-Decimal(fields.get("DiscountRate") or 0))))
        line["Amount"] = fmt_amount(Decimal(line["Rate"]).quantize(CENT, ROUND_HALF_UP))
    return str(account["ListID"])


def _sales_terms(item: Any) -> tuple[Data | None, str | None, str | None, str | None]:
    """An item's income account, sales price (or percentage) and sales description."""
    fields = item.data
    both, one = fields.get("SalesAndPurchase") or {}, fields.get("SalesOrPurchase") or {}
    if item.list_type in STOCK_TYPES:
        return fields.get("IncomeAccountRef"), fields.get("SalesPrice"), None, fields.get("SalesDesc")
    if both:
        return both.get("IncomeAccountRef"), both.get("SalesPrice"), None, both.get("SalesDesc")
    return one.get("AccountRef"), one.get("Price"), one.get("PricePercent"), one.get("Desc")


def _invoice(ctx: Context, draft: Draft) -> Effects:
    data = draft.data
    if draft.row is None:
        customer = listed(ctx.conn, "name", data["CustomerRef"]["ListID"])
        if "TermsRef" not in data and customer.data.get("TermsRef"):
            data["TermsRef"] = dict(customer.data["TermsRef"])
        data.setdefault("DueDate", due_date(ctx.conn, data.get("TermsRef"), data["TxnDate"]) or data["TxnDate"])
        data.setdefault("IsFinanceCharge", "false")
    effects = _sale(ctx, draft, "Invoice", INVOICE_LINE, 1)
    applying = Applying(draft.txn_id, data["CustomerRef"]["ListID"], "ARAccountRef", data["ARAccountRef"]["ListID"],
                        "Invoice", CREDITS)
    sets = draft.request["SetCredit"] if "SetCredit" in draft.request else [
        {"CreditTxnID": x.source, "AppliedAmount": fmt_amount(x.amount)} for x in draft.previous]
    left = effects.amount - ledger.applied(ctx.conn, draft.txn_id)  # what payments of others left open
    effects.links, _ = set_credits(ctx, applying, draft.txn_id, sets, left, {})
    return effects


def _credit_memo(ctx: Context, draft: Draft) -> Effects:
    effects = _sale(ctx, draft, "CreditMemo", CREDIT_MEMO_LINE, -1)
    draft.data["TotalAmount"] = fmt_amount(effects.amount)
    return effects


def addresses(data: Data) -> None:
    for field in ("BillAddress", "ShipAddress"):
        address_block(data, field, field + "Block")


_INVOICE_OPEN = open_ret("BalanceRemaining", "IsPaid")
_CREDIT_OPEN = open_ret("CreditRemaining")


def _invoice_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    _INVOICE_OPEN(ctx, row, data, options)
    data["AppliedAmount"] = fmt_amount(Decimal(row.open_amount) - Decimal(row.amount))
    addresses(data)


def _credit_memo_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    _CREDIT_OPEN(ctx, row, data, options)
    addresses(data)


INVOICE = declare(TxnType("Invoice", _invoice, lines=(INVOICE_LINE,), totals=("Subtotal", "SalesTaxTotal"),
                          ret_extra=_invoice_ret,
                          request_only=("SetCredit",)))
CREDIT_MEMO = declare(TxnType("CreditMemo", _credit_memo, lines=(CREDIT_MEMO_LINE,),
                              totals=("Subtotal", "SalesTaxTotal", "TotalAmount"), ret_extra=_credit_memo_ret))


# -- payments received ------------------------------------------------------------------------------------------------

def _receive_payment(ctx: Context, draft: Draft) -> Effects:
    """A payment: A/R credited for the customer or job, the deposit account debited."""
    data, request = draft.data, draft.request
    if data.get("CreditCardTxnInfo") or data.get("CreditCardTxnInfoMod"):
        raise status.not_supported()
    customer_id = data["CustomerRef"]["ListID"]
    ar = ar_account(ctx, data, "ReceivePayment")
    if data.get("DepositToAccountRef"):
        deposit = account_ref(ctx, data, "DepositToAccountRef", DEPOSIT_TYPES, "ReceivePayment")
    else:
        deposit = undeposited_funds(ctx)
        data["DepositToAccountRef"] = {"ListID": deposit.list_id}
    applying = Applying(draft.txn_id, customer_id, "ARAccountRef", ar.list_id, "Invoice", CREDITS)
    field = "AppliedToTxnAdd" if draft.row is None else "AppliedToTxnMod"
    keep = draft.row is not None and field not in request
    if "TotalAmount" in request:
        total: Decimal | None = Decimal(request["TotalAmount"])
    else:
        total = Decimal(data["TotalAmount"]) if draft.row is not None else None
    if request.get("IsAutoApply") == "true":
        apps = _auto_apply(ctx, applying, total or ZERO)
    elif request.get("IsAutoApply") == "false":
        apps = []
    else:
        apps = previous_applications(draft) if keep else request.get(field, [])
    links = applications(ctx, applying, field, apps)
    applied = sum((x.amount for x in links if x.source == draft.txn_id), ZERO)
    if total is None:
        total = applied
    elif total < 0:
        raise status.invalid_value("TotalAmount", fmt_amount(total), "The amount cannot be negative.")
    elif total < applied:
        raise status.invalid_value("TotalAmount", fmt_amount(total), "The amount is less than the amount applied.")
    if draft.row is None and total == 0:
        if links:
            return Effects(ZERO, [], links=links, creates=False)
        raise status.cannot_save_txn("ReceivePayment", "The transaction is empty.")
    data["TotalAmount"] = fmt_amount(total)
    postings = [Posting(ar.list_id, customer_id, -total), Posting(deposit.list_id, customer_id, total)]
    return Effects(total, postings, entity_id=customer_id, links=links)


def undeposited_funds(ctx: Context) -> Any:
    """The account payments wait in before they are deposited; created as QuickBooks keeps it if it is missing."""
    row = find_by_name(ctx.conn, "Account", UNDEPOSITED_FUNDS)
    if row is None:
        return insert_object(ctx.conn, LIST_TYPES["Account"], UNDEPOSITED_FUNDS,
                             {"AccountType": "OtherCurrentAsset", "SpecialAccountType": "UndepositedFunds"}, ctx.unix)
    if row.data.get("AccountType") not in DEPOSIT_TYPES:
        raise status.invalid_reference("Account", row.full_name, "ReceivePayment")
    return row


def _auto_apply(ctx: Context, applying: Applying, total: Decimal) -> list[Data]:
    """IsAutoApply: the open invoice whose balance is exactly `total` (the oldest), else the oldest first."""
    c = transactions.c
    open_invoices = [r for r in ctx.conn.execute(
        select(transactions).where(c.txn_type == "Invoice", c.entity_id == applying.entity_id, c.open_amount > 0)
        .order_by(c.txn_date, c.id)) if applying.holds(r, ("Invoice",))]
    exact = next((r for r in open_invoices if Decimal(r.open_amount) == total), None)
    apps, left = [], total
    for row in [exact] if exact is not None else open_invoices:
        pay = min(left, Decimal(row.open_amount))
        if pay <= 0:
            break
        apps.append({"TxnID": row.txn_id, "PaymentAmount": fmt_amount(pay)})
        left -= pay
    return apps


def _receive_payment_ret(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
    c = transactions.c
    account_id = row.data["ARAccountRef"]["ListID"]
    memos = ctx.conn.execute(select(c.open_amount, c.data).where(
        c.txn_type == "CreditMemo", c.entity_id == row.entity_id, c.open_amount != 0))
    data["UnusedPayment"] = fmt_amount(row.open_amount)
    data["UnusedCredits"] = fmt_amount(sum((Decimal(m.open_amount) for m in memos
                                            if m.data["ARAccountRef"]["ListID"] == account_id), ZERO))
    data["AppliedToTxnRet"] = applied_to(ctx, row.txn_id)


RECEIVE_PAYMENT = declare(TxnType("ReceivePayment", _receive_payment, totals=("TotalAmount",),
                                  ret_extra=_receive_payment_ret,
                                  request_only=("AppliedToTxnAdd", "AppliedToTxnMod", "IsAutoApply", "TotalAmount"),
                                  locked_when_used=("DepositToAccountRef",)))

