"""HostQuery, CompanyQuery and PreferencesQuery: what QuickBooks says about itself and the open company.

ASSUMPTION: the simulated product is QuickBooks Desktop Pro 2023 (US), single currency, sales tax off, class
tracking on; the company's settings (name, address, preferences, closing date) live in the company file and can be
changed through `CompanyFile.set_setting` (defaults: `fakeqb.company.settings`).
"""

from __future__ import annotations

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.settings import read_setting
from fakeqb.qbxml.envelope import SUPPORTED_VERSIONS
from fakeqb.qbxml.records import Data

PRODUCT = {"ProductName": "QuickBooks Pro 2023", "MajorVersion": "33", "MinorVersion": "0", "Country": "US"}
LIST_CAPACITY = 14500  # Pro/Premier limit on names; used for every list's MaxCapacity


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
