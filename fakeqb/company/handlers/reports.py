"""Reports computed from the ledger, in QuickBooks' ReportRet shape: GeneralSummaryReportQuery (ProfitAndLossStandard,
BalanceSheetStandard, TrialBalance) and AgingReportQuery (APAgingSummary, ARAgingSummary).

A report has a title and subtitle, its basis, its columns (ColDesc: a label column, then amounts) and its rows in
order: TextRow headings, a DataRow per account or name (RowData names it), SubtotalRow and TotalRow sums.

* Profit & Loss: what each income, cost of goods sold, expense, other income and other expense account posted in the
  period (income credit-positive), with Total Income, Total COGS, Gross Profit, Total Expense, Net Ordinary Income and
  Net Income.
* Balance Sheet: each balance-sheet account's balance at the end of the period, assets then liabilities and equity;
  the period's net income (all income and expense to date) is shown in equity as Net Income, so the sheet balances.
* Trial Balance: each account's balance at the end of the period in a Debit or Credit column, and their totals.
* A/R and A/P aging: per customer or vendor, what is open on invoices (bills) less open credits, by days past due at
  the end of the period: Current, 1 - 30, 31 - 60, 61 - 90, > 90, and the total.

ASSUMPTIONS:
* Reports are on the accrual basis (ReportBasis Cash is not simulated: 3250), over every class, name and item (the
  other report filters are not simulated: 3250), with one column of amounts (SummarizeColumnsBy other than TotalOnly,
  and ReportDetailLevelFilter other than All, are not simulated: 3250) and a row per account with activity
  (ReturnRows ActiveOnly).
  Sub-accounts are listed by FullName, each with its own amount.
* An account's opening balance (entered with the account, not posted by a transaction) stands in the balance at every
  date, its other side in Opening Balance Equity, as QuickBooks posts it there.
* Aging takes what is open on each transaction now, for the transactions dated by the end of the period; a
  transaction without a DueDate is due on its date. A credit (a credit memo, an unused payment, a vendor credit, an
  unapplied bill payment) counts as current.
* Without ReportPeriod or ReportDateMacro, a Profit & Loss runs from the first day of the company's fiscal year to
  today; the other reports are as of today.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.handlers.txn_queries import date_macro
from fakeqb.company.ledger import account_sign
from fakeqb.company.lists import BALANCE_SHEET_TYPES
from fakeqb.company.store import list_objects, postings, transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.records import INTERLEAVED, Data
from fakeqb.qbxml.values import fmt_amount

ZERO = Decimal("0.00")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_UNSUPPORTED = ("ReportAccountFilter", "ReportEntityFilter", "ReportItemFilter", "ReportClassFilter",
                "ReportTxnTypeFilter", "ReportModifiedDateRangeFilter", "ReportModifiedDateRangeMacro")
_AGING = ("Current", "1 - 30", "31 - 60", "61 - 90", "> 90")


class Report:
    """A report being written: its columns and rows."""

    def __init__(self, title: str, subtitle: str, columns: list[str]):
        self.title, self.subtitle, self.columns = title, subtitle, columns
        self.rows: list[tuple[str, Data]] = []

    def text(self, label: str) -> None:
        self.rows.append(("TextRow", {"@value": label}))

    def row(self, kind: str, label: str, amounts: list[Decimal | None], row_type: str | None = None) -> None:
        cells: list[Data] = [{"@colID": "1", "@value": label}]
        for i, value in enumerate(amounts, 2):
            if value is not None:
                cells.append({"@colID": str(i), "@value": fmt_amount(value)})
        data: Data = {"ColData": cells}
        if row_type is not None:
            data["RowData"] = {"@rowType": row_type, "@value": label}
        self.rows.append((kind, data))

    def ret(self) -> Data:
        cols: list[Data] = [{"@colID": "1", "@dataType": "STRTYPE", "ColTitle": [{"@titleRow": "1"}],
                             "ColType": "Label"}]
        for i, title in enumerate(self.columns, 2):
            cols.append({"@colID": str(i), "@dataType": "AMTTYPE",
                         "ColTitle": [{"@titleRow": "1", "@value": title}], "ColType": "Amount"})
        rows = [[kind, {"@rowNumber": str(number), **data}] for number, (kind, data) in enumerate(self.rows, 1)]
        out: Data = {"ReportTitle": self.title, "ReportSubtitle": self.subtitle, "ReportBasis": "Accrual",
                     "NumRows": str(len(self.rows)), "NumColumns": str(len(cols)), "NumColTitleRows": "1",
                     "ColDesc": cols}
        if self.rows:
            out["ReportData"] = {INTERLEAVED: rows}  # the rows in their order, whatever their kind
        return out


def _long(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _period(ctx: Context, default_from: bool) -> tuple[date | None, date]:
    el = ctx.request.element
    today = ctx.now.date()
    if (macro := el.findtext("ReportDateMacro")) is not None:
        name = macro.replace("Quarter", "CalendarQuarter").replace("Year", "CalendarYear")
        first, last = date_macro(ctx, name)
        return (date.fromisoformat(first) if first else None), (date.fromisoformat(last) if last else today)
    low_text, high_text = el.findtext("ReportPeriod/FromReportDate"), el.findtext("ReportPeriod/ToReportDate")
    low = date.fromisoformat(low_text) if low_text else None
    if low is None and default_from and el.find("ReportPeriod") is None:
        low = date.fromisoformat(date_macro(ctx, "ThisFiscalYearToDate")[0] or today.isoformat())
    return low, date.fromisoformat(high_text) if high_text else today


def _check(ctx: Context) -> None:
    el = ctx.request.element
    if (any(el.find(name) is not None for name in _UNSUPPORTED) or el.findtext("ReportBasis") == "Cash"
            or (el.findtext("SummarizeColumnsBy") or "TotalOnly") != "TotalOnly"
            or (el.findtext("ReportDetailLevelFilter") or "All") != "All"):
        raise status.not_supported()


def _accounts(ctx: Context) -> list[Any]:
    return list(ctx.conn.execute(select(list_objects).where(list_objects.c.name_space == "Account")
                                 .order_by(list_objects.c.sort_key)))


def _posted(ctx: Context, low: date | None, high: date | None) -> dict[str, Decimal]:
    """What each account posted (debit-positive) between two dates (open-ended where None)."""
    stmt = (select(postings.c.account_id, func.coalesce(func.sum(postings.c.amount), 0))
            .join(transactions, transactions.c.txn_id == postings.c.txn_id).group_by(postings.c.account_id))
    if low is not None:
        stmt = stmt.where(transactions.c.txn_date >= low.isoformat())
    if high is not None:
        stmt = stmt.where(transactions.c.txn_date <= high.isoformat())
    return {account: Decimal(total) for account, total in ctx.conn.execute(stmt)}


def _balances(ctx: Context, accounts: list[Any], high: date) -> tuple[dict[str, Decimal], Decimal]:
    """Each account's balance (as QuickBooks shows it) at the end of `high`, and the opening balances' other side."""
    to_date, ever = _posted(ctx, None, high), _posted(ctx, None, None)
    out, openings = {}, ZERO
    for a in accounts:
        sign = account_sign(a.data.get("AccountType", ""))
        opening = Decimal(a.balance) - sign * ever.get(a.list_id, ZERO)
        openings += sign * opening  # debit-positive
        out[a.list_id] = opening + sign * to_date.get(a.list_id, ZERO)
    return out, openings


# -- general summary reports -----------------------------------------------------------------------------------------

@handles("GeneralSummaryReportQueryRq")
def general_summary(ctx: Context) -> Result:
    _check(ctx)
    kind = ctx.request.element.findtext("GeneralSummaryReportType") or ""
    builders = {"ProfitAndLossStandard": _profit_and_loss, "BalanceSheetStandard": _balance_sheet,
                "TrialBalance": _trial_balance}
    if kind not in builders:
        raise status.not_supported()
    return Result(rets=[("ReportRet", builders[kind](ctx).ret())])


_PL_SECTIONS = (("Income", "Income"), ("CostOfGoodsSold", "Cost of Goods Sold"), ("Expense", "Expense"),
                ("OtherIncome", "Other Income"), ("OtherExpense", "Other Expense"))


def _profit_and_loss(ctx: Context) -> Report:
    low, high = _period(ctx, default_from=True)
    report = Report("Profit & Loss", f"{_long(low)} through {_long(high)}" if low else "All Transactions",
                    ["TOTAL"])
    posted = _posted(ctx, low, high)
    accounts = _accounts(ctx)
    totals: dict[str, Decimal] = {}
    for account_type, label in _PL_SECTIONS:
        rows = [(a.full_name, account_sign(account_type) * posted.get(a.list_id, ZERO))
                for a in accounts if a.data.get("AccountType") == account_type and posted.get(a.list_id)]
        totals[account_type] = sum((amount for _, amount in rows), ZERO)
        if account_type == "Income" or rows:
            if account_type == "Income":
                report.text("Ordinary Income/Expense")
            if account_type == "OtherIncome":
                report.text("Other Income/Expense")
            report.text(label)
            for name, amount in rows:
                report.row("DataRow", name, [amount], "account")
            report.row("SubtotalRow", f"Total {label if account_type != 'CostOfGoodsSold' else 'COGS'}",
                       [totals[account_type]])
        if account_type == "CostOfGoodsSold":
            report.row("SubtotalRow", "Gross Profit", [totals["Income"] - totals["CostOfGoodsSold"]])
        if account_type == "Expense":
            report.row("SubtotalRow", "Net Ordinary Income", [_ordinary(totals)])
    other = totals["OtherIncome"] - totals["OtherExpense"]
    if totals["OtherIncome"] or totals["OtherExpense"]:
        report.row("SubtotalRow", "Net Other Income", [other])
    report.row("TotalRow", "Net Income", [_ordinary(totals) + other])
    return report


def _ordinary(totals: dict[str, Decimal]) -> Decimal:
    return totals["Income"] - totals["CostOfGoodsSold"] - totals["Expense"]


_BS_SECTIONS = (("ASSETS", ("Bank", "AccountsReceivable", "OtherCurrentAsset", "FixedAsset", "OtherAsset")),
                ("LIABILITIES", ("AccountsPayable", "CreditCard", "OtherCurrentLiability", "LongTermLiability")),
                ("EQUITY", ("Equity",)))


def _balance_sheet(ctx: Context) -> Report:
    _, high = _period(ctx, default_from=False)
    report = Report("Balance Sheet", f"As of {_long(high)}", ["TOTAL"])
    accounts = [a for a in _accounts(ctx) if a.data.get("AccountType") in BALANCE_SHEET_TYPES]
    balances, openings = _balances(ctx, _accounts(ctx), high)
    income = _net_income(ctx, high)
    totals = {}
    for label, types in _BS_SECTIONS:
        if label == "LIABILITIES":
            report.text("LIABILITIES & EQUITY")
        report.text(label.title() if label != "ASSETS" else label)
        rows = [(a.full_name, balances[a.list_id]) for a in accounts if a.data.get("AccountType") in types
                and (balances[a.list_id] or a.name == "Opening Balance Equity")]
        if label == "EQUITY":
            rows = _with_openings(rows, openings)
            rows.append(("Net Income", income))
        for name, amount in rows:
            report.row("DataRow", name, [amount], "account" if name != "Net Income" else None)
        totals[label] = sum((amount for _, amount in rows), ZERO)
        report.row("SubtotalRow", "TOTAL ASSETS" if label == "ASSETS" else f"Total {label.title()}",
                   [totals[label]])
    report.row("TotalRow", "TOTAL LIABILITIES & EQUITY", [totals["LIABILITIES"] + totals["EQUITY"]])
    return report


def _with_openings(rows: list[tuple[str, Decimal]], openings: Decimal) -> list[tuple[str, Decimal]]:
    """Equity with the opening balances' other side in Opening Balance Equity (credit-positive)."""
    if not openings:
        return rows
    found = [i for i, (name, _) in enumerate(rows) if name == "Opening Balance Equity"]
    if found:
        name, amount = rows[found[0]]
        rows[found[0]] = (name, amount + openings)
        return rows
    return [*rows, ("Opening Balance Equity", openings)]


def _net_income(ctx: Context, high: date) -> Decimal:
    posted = _posted(ctx, None, high)
    total = ZERO
    for a in _accounts(ctx):
        if a.data.get("AccountType") not in BALANCE_SHEET_TYPES and a.data.get("AccountType") != "NonPosting":
            total -= posted.get(a.list_id, ZERO)  # credits raise income
    return total


def _trial_balance(ctx: Context) -> Report:
    _, high = _period(ctx, default_from=False)
    report = Report("Trial Balance", f"As of {_long(high)}", ["Debit", "Credit"])
    accounts = _accounts(ctx)
    balances, openings = _balances(ctx, accounts, high)
    debit_total = credit_total = ZERO
    rows = []
    for a in accounts:
        debit = account_sign(a.data.get("AccountType", "")) * balances[a.list_id]
        if a.name == "Opening Balance Equity":
            debit -= openings
        if debit:
            rows.append((a.full_name, debit))
    if openings and not any(a.name == "Opening Balance Equity" for a in accounts):
        rows.append(("Opening Balance Equity", -openings))
    for name, debit in rows:
        report.row("DataRow", name, [debit if debit > 0 else None, -debit if debit < 0 else None], "account")
        debit_total += max(debit, ZERO)
        credit_total += max(-debit, ZERO)
    report.row("TotalRow", "TOTAL", [debit_total, credit_total])
    return report


# -- aging -----------------------------------------------------------------------------------------------------------

_AGED = {"ARAgingSummary": (("Invoice",), ("CreditMemo", "ReceivePayment"), "A/R Aging Summary"),
         "APAgingSummary": (("Bill",), ("VendorCredit", "BillPaymentCheck", "BillPaymentCreditCard"),
                            "A/P Aging Summary")}


@handles("AgingReportQueryRq")
def aging(ctx: Context) -> Result:
    _check(ctx)
    kind = ctx.request.element.findtext("AgingReportType") or ""
    if kind not in _AGED or ctx.request.element.find("IncludeColumn") is not None:
        raise status.not_supported()
    owed, credits, title = _AGED[kind]
    _, high = _period(ctx, default_from=False)
    report = Report(title, f"As of {_long(high)}", [*_AGING, "TOTAL"])
    c = transactions.c
    by_name: dict[str, list[Decimal]] = {}
    stmt = select(c.txn_type, c.entity_id, c.txn_date, c.open_amount, c.data).where(
        c.txn_type.in_(owed + credits), c.open_amount != 0, c.txn_date <= high.isoformat(), c.entity_id.is_not(None))
    for row in ctx.conn.execute(stmt):
        buckets = by_name.setdefault(row.entity_id, [ZERO] * len(_AGING))
        if row.txn_type in credits:
            buckets[0] -= Decimal(row.open_amount)
            continue
        late = (high - date.fromisoformat(row.data.get("DueDate") or row.txn_date)).days
        index = 0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4
        buckets[index] += Decimal(row.open_amount)
    names = {r.list_id: r.full_name for r in ctx.conn.execute(select(list_objects.c.list_id, list_objects.c.full_name)
                                                               .where(list_objects.c.name_space == "name",
                                                                      list_objects.c.list_id.in_(list(by_name))))}
    totals = [ZERO] * len(_AGING)
    for entity in sorted(by_name, key=lambda e: names.get(e, "").casefold()):
        buckets = by_name[entity]
        if not any(buckets):
            continue
        report.row("DataRow", names.get(entity, ""), [*buckets, sum(buckets, ZERO)], "name")
        totals = [t + b for t, b in zip(totals, buckets, strict=True)]
    report.row("TotalRow", "TOTAL", [*totals, sum(totals, ZERO)])
    return Result(rets=[("ReportRet", report.ret())])
