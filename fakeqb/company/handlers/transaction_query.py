"""TransactionQuery: transactions of every simulated type, one summary TransactionRet each, in the order entered.

A TransactionRet names the transaction's type, TxnID, times, the name it is with, its main account (the account
that holds its total: A/P for a bill, vendor credit or item receipt; A/R for an invoice or credit memo; the account
deposited to for a payment, sales receipt or deposit; the bank or card account for a check, bill payment, charge or
credit; the account transferred from for a transfer), its date, RefNumber, Amount and Memo.

ASSUMPTIONS:
* Amount is what the transaction posts to its main account, debit-positive (a check or a bill is negative, an
  invoice or a deposit positive); a non-posting form (estimate, sales order, purchase order) has no account and its
  total as Amount; a journal entry has no main account and its debits as Amount.
* TransactionDetailLevelFilter other than SummaryOnly (line-level rows), TransactionItemFilter and
  TransactionClassFilter are not simulated (3250), nor is CurrencyFilter (multi-currency is off).
* TransactionPaidStatusFilter: Open keeps what has something open (a bill or invoice not paid, a credit not used, a
  payment not applied), Closed the rest. TransactionPostingStatusFilter NonPosting keeps estimates, sales orders and
  purchase orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.sql import ColumnElement

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.handlers.iterators import paginate
from fakeqb.company.handlers.list_queries import time_bound
from fakeqb.company.handlers.transactions import TXN_TYPES, RetOptions, find_txn
from fakeqb.company.handlers.txn_queries import TxnFilter, date_macro, in_ref_range, list_ids
from fakeqb.company.store import list_objects, postings, transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_amount

NON_POSTING = ("Estimate", "SalesOrder", "PurchaseOrder")
#: The header reference naming each type's main account.
MAIN_ACCOUNT = {"Bill": "APAccountRef", "VendorCredit": "APAccountRef", "ItemReceipt": "APAccountRef",
                "Invoice": "ARAccountRef", "CreditMemo": "ARAccountRef", "ReceivePayment": "DepositToAccountRef",
                "SalesReceipt": "DepositToAccountRef", "Deposit": "DepositToAccountRef", "Check": "AccountRef",
                "CreditCardCharge": "AccountRef", "CreditCardCredit": "AccountRef",
                "BillPaymentCheck": "BankAccountRef", "BillPaymentCreditCard": "CreditCardAccountRef",
                "Transfer": "TransferFromAccountRef"}
_ASSETS = ("Bank", "AccountsReceivable", "OtherCurrentAsset", "FixedAsset", "OtherAsset")
_LIABILITIES = ("AccountsPayable", "CreditCard", "OtherCurrentLiability", "LongTermLiability")
_P_AND_L = ("Income", "CostOfGoodsSold", "Expense", "OtherIncome", "OtherExpense")
#: AccountTypeFilter values that name groups of account types.
ACCOUNT_GROUPS: dict[str, tuple[str, ...]] = {
    "Asset": _ASSETS, "CurrentAsset": _ASSETS[:3], "Liability": _LIABILITIES, "CurrentLiability": _LIABILITIES[:3],
    "BalanceSheet": (*_ASSETS, *_LIABILITIES, "Equity"), "LiabilityAndEquity": (*_LIABILITIES, "Equity"),
    "IncomeAndExpense": _P_AND_L, "EquityAndIncomeAndExpense": ("Equity", *_P_AND_L),
    "CostOfSales": ("CostOfGoodsSold",), "OrdinaryIncome": ("Income",), "OrdinaryExpense": ("Expense",),
    "OrdinaryIncomeAndCOGS": ("Income", "CostOfGoodsSold"), "OrdinaryIncomeAndExpense": ("Income", "CostOfGoodsSold",
                                                                                      "Expense"),
    "IncomeAndOtherIncome": ("Income", "OtherIncome"),
    "ExpenseAndOtherExpense": ("Expense", "OtherExpense"), "OtherIncomeOrExpense": ("OtherIncome", "OtherExpense"),
    "CurrentAssetAndExpense": (*_ASSETS[:3], "Expense"), "ARAndAP": ("AccountsReceivable", "AccountsPayable"),
    "APOrCreditCard": ("AccountsPayable", "CreditCard"), "BankAndUF": ("Bank",),
    "BankAndARAndAPAndUF": ("Bank", "AccountsReceivable", "AccountsPayable"),
    "APAndSalesTax": ("AccountsPayable",), "AllowedFor1099": ("Expense", "OtherExpense", "CostOfGoodsSold"),
}
#: Special accounts some groups add (Undeposited Funds, Sales Tax Payable).
_SPECIAL = {"BankAndUF": "UndepositedFunds", "BankAndARAndAPAndUF": "UndepositedFunds",
            "APAndSalesTax": "SalesTaxPayable"}


@dataclass
class AnyTxnFilter(TxnFilter):
    """A transaction filter over several types."""

    types: tuple[str, ...] = ()
    entity_type: str | None = None
    account_types: tuple[tuple[str, ...], str | None] | None = None
    posting: str = "Either"
    ref_values: tuple[list[str], list[str]] = ([], [])  # RefNumber (case-folded), RefNumberCaseSensitive

    def where(self) -> list[ColumnElement[bool]]:
        conds = super().where()[1:]  # every condition but the first, the one type
        c = transactions.c
        conds.append(c.txn_type.in_(self.types))
        if self.entity_type is not None:
            conds.append(c.entity_id.in_(select(list_objects.c.list_id).where(
                list_objects.c.name_space == "name", list_objects.c.list_type == self.entity_type)))
        if self.account_types is not None:
            types, special = self.account_types
            data = list_objects.c.data
            accounts = select(list_objects.c.list_id).where(list_objects.c.name_space == "Account", (
                data["AccountType"].as_string().in_(types)) | (
                data["SpecialAccountType"].as_string() == (special or "-")))
            conds.append(exists().where(postings.c.txn_id == c.txn_id, postings.c.account_id.in_(accounts)))
        return conds


@handles("TransactionQueryRq")
def transaction_query(ctx: Context) -> Result:
    el = ctx.request.element
    ids = [e.text or "" for e in el.iterchildren("TxnID")]
    if ids:
        return _by_ids(ctx, ids)
    for unsupported in ("TransactionItemFilter", "TransactionClassFilter", "CurrencyFilter"):
        if el.find(unsupported) is not None:
            raise status.not_supported()
    if (el.findtext("TransactionDetailLevelFilter") or "SummaryOnly") != "SummaryOnly":
        raise status.not_supported()
    filt = _filter(ctx)
    page = paginate(ctx, filt, _rows)
    result = Result(attrs=page.attrs, rets=[("TransactionRet", summary(ctx, row)) for row in page.rows])
    if not page.rows and page.empty_is_no_match:
        nm = status.no_match()
        result.status = (nm.code, nm.severity, nm.message)
    return result


def _by_ids(ctx: Context, ids: list[str]) -> Result:
    result, missing = Result(), []
    for txn_id in ids:
        row = find_txn(ctx.conn, txn_id)
        if row is None:
            missing.append(txn_id)
        else:
            result.rets.append(("TransactionRet", summary(ctx, row)))
    if missing:
        warning = status.not_found_warning(missing[0])
        result.status = (warning.code, warning.severity, warning.message)
    return result


def _filter(ctx: Context) -> AnyTxnFilter:
    el = ctx.request.element
    tz = ctx.company.clock.tz
    kinds = [e.text or "" for e in el.iterfind("TransactionTypeFilter/TxnTypeFilter")]
    types = tuple(TXN_TYPES) if not kinds or "All" in kinds else tuple(k for k in kinds if k in TXN_TYPES)
    posting = el.findtext("TransactionPostingStatusFilter") or "Either"
    if posting != "Either":
        types = tuple(t for t in types if (t in NON_POSTING) == (posting == "NonPosting"))
    paid = {"Open": "NotPaidOnly", "Closed": "PaidOnly"}.get(el.findtext("TransactionPaidStatusFilter") or "", "All")
    filt = AnyTxnFilter(next(iter(TXN_TYPES.values())), RetOptions(), paid=paid, types=types, posting=posting)
    if (mr := el.find("TransactionModifiedDateRangeFilter")) is not None:
        if (macro := mr.findtext("DateMacro")) is not None:
            low, high = date_macro(ctx, macro)
            filt.from_modified = time_bound(ctx, low, "FromModifiedDate", tz, end=False) if low else None
            filt.to_modified = time_bound(ctx, high, "ToModifiedDate", tz, end=True) if high else None
        else:
            if (text := mr.findtext("FromModifiedDate")) is not None:
                filt.from_modified = time_bound(ctx, text, "FromModifiedDate", tz, end=False)
            if (text := mr.findtext("ToModifiedDate")) is not None:
                filt.to_modified = time_bound(ctx, text, "ToModifiedDate", tz, end=True)
    if (dr := el.find("TransactionDateRangeFilter")) is not None:
        macro = dr.findtext("DateMacro")
        filt.from_date, filt.to_date = date_macro(ctx, macro) if macro is not None else (
            dr.findtext("FromTxnDate"), dr.findtext("ToTxnDate"))
    if (ef := el.find("TransactionEntityFilter")) is not None:
        if (kind := ef.findtext("EntityTypeFilter")) is not None:
            filt.entity_type = kind
        else:
            filt.entity_ids = list_ids(ctx, ef, "name")
    if (af := el.find("TransactionAccountFilter")) is not None:
        if (kind := af.findtext("AccountTypeFilter")) is not None:
            filt.account_types = (ACCOUNT_GROUPS.get(kind, (kind,)), _SPECIAL.get(kind))
        else:
            filt.account_ids = list_ids(ctx, af, "Account")
    refs = [e.text or "" for e in el.iterchildren("RefNumber")]
    exact = [e.text or "" for e in el.iterchildren("RefNumberCaseSensitive")]
    if refs or exact:
        filt.ref_values = ([r.casefold() for r in refs], exact)
    if (rf := el.find("RefNumberFilter")) is not None:
        filt.ref_match = (rf.findtext("MatchCriterion") or "", (rf.findtext("RefNumber") or "").casefold())
    if (rr := el.find("RefNumberRangeFilter")) is not None:
        filt.ref_range = (rr.findtext("FromRefNumber"), rr.findtext("ToRefNumber"))
    return filt


def _rows(ctx: Context, filt: AnyTxnFilter) -> Any:
    c = transactions.c

    def conditions(after: tuple[str, int] | None) -> list[ColumnElement[bool]]:
        conds = filt.where()
        keys, exact = filt.ref_values
        if keys:
            conds.append(c.ref_key.in_(keys))
        if exact:
            conds.append(c.ref_number.in_(exact))
        if after is not None:
            conds.append(c.id > after[1])
        return conds

    def fetch(after: tuple[str, int] | None, limit: int | None) -> list[Any]:
        stmt = select(transactions).where(*conditions(after)).order_by(c.id)
        if filt.ref_range is None:
            return list(ctx.conn.execute(stmt.limit(limit) if limit is not None else stmt).all())
        out = []
        for row in ctx.conn.execute(stmt.execution_options(yield_per=500)):
            if in_ref_range(row.ref_number or "", *filt.ref_range):
                out.append(row)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def count(after: tuple[str, int] | None) -> int:
        if filt.ref_range is not None:
            return len(fetch(after, None))
        stmt = select(func.count()).select_from(transactions).where(*conditions(after))
        return int(ctx.conn.execute(stmt).scalar() or 0)

    return fetch, count


def summary(ctx: Context, row: Any) -> Data:
    """A transaction's TransactionRet."""
    stamp = ctx.company.clock.stamp
    data = row.data
    out: Data = {"TxnType": row.txn_type, "TxnID": row.txn_id, "TimeCreated": stamp(row.time_created),
                 "TimeModified": stamp(row.time_modified)}
    if row.entity_id:
        out["EntityRef"] = {"ListID": row.entity_id}
    account = (data.get(MAIN_ACCOUNT.get(row.txn_type, "")) or {}).get("ListID")
    value = Decimal(row.amount)
    if account:
        out["AccountRef"] = {"ListID": account}
        value = Decimal(ctx.conn.execute(select(func.coalesce(func.sum(postings.c.amount), 0)).where(
            postings.c.txn_id == row.txn_id, postings.c.account_id == account)).scalar() or 0)
    out["TxnDate"] = row.txn_date
    if row.ref_number:
        out["RefNumber"] = row.ref_number
    out["Amount"] = fmt_amount(value)
    if data.get("Memo"):
        out["Memo"] = data["Memo"]
    return out
