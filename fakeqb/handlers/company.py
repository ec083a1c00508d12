"""HostQuery, CompanyQuery and PreferencesQuery: what QuickBooks says about itself and the open company.

ASSUMPTION: the simulated product is QuickBooks Desktop Pro 2023 (US), single currency, sales tax off, class
tracking on; the company's settings (name, address, preferences, closing date) live in the company file and can be
changed through `FakeQuickBooks.settings`.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from sqlalchemy import Connection, select

from fakeqb.engine import Context, Result, handles
from fakeqb.qbxml.envelope import SUPPORTED_VERSIONS
from fakeqb.qbxml.records import Data
from fakeqb.store import settings

PRODUCT = {"ProductName": "QuickBooks Pro 2023", "MajorVersion": "33", "MinorVersion": "0", "Country": "US"}
LIST_CAPACITY = 14500  # Pro/Premier limit on names; used for every list's MaxCapacity

DEFAULTS: dict[str, Data] = {
    "company": {
        "IsSampleCompany": "false",
        "CompanyName": "Fake Company",
        "LegalCompanyName": "Fake Company LLC",
        "Address": {"Addr1": "100 Main Street", "City": "Springfield", "State": "IL", "PostalCode": "62701",
                    "Country": "US"},
        "Phone": "217-555-0100",
        "Email": "books@example.com",
        "FirstMonthFiscalYear": "January",
        "FirstMonthIncomeTaxYear": "January",
        "CompanyType": "General Product-based Business",
        "TaxForm": "OtherOrNone",
    },
    "preferences": {
        "AccountingPreferences": {"IsUsingAccountNumbers": "false", "IsRequiringAccounts": "true",
                                  "IsUsingClassTracking": "true", "AssignClassesTo": "Accounts",
                                  "IsUsingAuditTrail": "true", "IsAssigningJournalEntryNumbers": "true"},
        "FinanceChargePreferences": {"GracePeriod": "0", "IsAssessingForOverdueCharges": "false",
                                     "CalculateChargesFrom": "DueDate", "IsMarkedToBePrinted": "false"},
        "JobsAndEstimatesPreferences": {"IsUsingEstimates": "true", "IsUsingProgressInvoicing": "false",
                                        "IsPrintingItemsWithZeroAmounts": "false"},
        "MultiCurrencyPreferences": {"IsMultiCurrencyOn": "false"},
        "MultiLocationInventoryPreferences": {"IsMultiLocationInventoryAvailable": "false",
                                              "IsMultiLocationInventoryEnabled": "false"},
        "PurchasesAndVendorsPreferences": {"IsUsingInventory": "true", "DaysBillsAreDue": "10",
                                           "IsAutomaticallyUsingDiscounts": "false"},
        "ReportsPreferences": {"AgingReportBasis": "AgeFromDueDate", "SummaryReportBasis": "Accrual"},
        "SalesAndCustomersPreferences": {"IsTrackingReimbursedExpensesAsIncome": "false",
                                         "IsAutoApplyingPayments": "true",
                                         "PriceLevels": {"IsUsingPriceLevels": "false"}},
        "TimeTrackingPreferences": {"FirstDayOfWeek": "Monday"},
        "CurrentAppAccessRights": {"IsAutomaticLoginAllowed": "true", "IsPersonalDataAccessAllowed": "true"},
    },
}


def read_setting(conn: Connection, key: str) -> Any:
    value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
    return deepcopy(DEFAULTS.get(key)) if value is None else value


@handles("HostQueryRq")
def host(ctx: Context) -> Result:
    metadata = {f"{name}MetaData": {"MaxCapacity": str(LIST_CAPACITY)} for name in (
        "Account", "BillingRate", "Class", "CustomerMsg", "CustomerType", "Entity", "Item", "JobType",
        "PaymentMethod", "PayrollItem", "PriceLevel", "SalesRep", "SalesTaxCode", "ShipMethod", "Template", "Terms",
        "ToDo", "Vehicle", "VendorType")}
    data: Data = dict(PRODUCT)
    data.update(SupportedQBXMLVersion=list(SUPPORTED_VERSIONS), IsAutomaticLogin="false",
                QBFileMode="SingleUser" if ctx.session.file_mode == 0 else "MultiUser", ListMetaData=metadata)
    return Result(rets=[("HostRet", data)])


@handles("CompanyQueryRq")
def company(ctx: Context) -> Result:
    return Result(rets=[("CompanyRet", read_setting(ctx.conn, "company"))])


@handles("PreferencesQueryRq")
def preferences(ctx: Context) -> Result:
    data = read_setting(ctx.conn, "preferences")
    closing = read_setting(ctx.conn, "closing_date")
    if closing:
        data["AccountingPreferences"]["ClosingDate"] = closing
    return Result(rets=[("PreferencesRet", data)])
