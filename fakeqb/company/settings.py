"""The company's settings in the file: company information, preferences, closing date, integrated applications.

A setting not stored yet reads as QuickBooks' default for a new company (`DEFAULTS`).
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from sqlalchemy import Connection, delete, select

from fakeqb.company.store import settings
from fakeqb.qbxml.records import Data

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


def write_setting(conn: Connection, key: str, value: Any) -> None:
    conn.execute(delete(settings).where(settings.c.key == key))
    conn.execute(settings.insert().values(key=key, value=value))
