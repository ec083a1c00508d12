"""Contract tests: every simulated request type, in success and error cases, checked against the official XSDs.

Each case sends requests through a connected `tests.support.Client`. Every request document is validated against the
qbXML schema of its version before it is sent (so no case can pass on a request QuickBooks would refuse) and every
response document is validated after it comes back, for qbXML 13.0, 16.0 and an older version (12.0, checked against
the 13.0 family). The request processor is created in one fixture, `request_processor`, for the transport `--qb`
names: fakeqb in process (the default) or over HTTP, or the real QuickBooks through its COM object (see
tests/transports.py); the same cases and expectations for each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from lxml import etree

from fakeqb import FakeQuickBooks
from fakeqb.company.engine import HANDLERS
from fakeqb.pytest_plugin import behaviours_of
from fakeqb.qbxml.model import family_of
from tests.support import Client, assert_valid, envelope, schema, xsd_dir
from tests.transports import Transport

VERSIONS = ("13.0", "16.0")
#: An old version is checked against the 13.0 schema family; the cases marked with it run in it too.
OLD = "12.0"
with_old_version = pytest.mark.parametrize("version", (*VERSIONS, OLD))
START = datetime(2024, 3, 1, 9, 30, 0)
OWNER = "{6B063959-81B0-4A2E-9E3F-2B5C8A4A1D01}"


# -- the processor under test ---------------------------------------------------------------------------------------

_SNAPSHOTS: dict[str, bytes] = {}
#: The cases a live QuickBooks test company can answer (`--qb=com`): they need the SEED objects to exist, nothing
#: more. conftest marks every other case `control_plane` and `--qb=com` deselects it: it counts on an empty company,
#: on times equal to START (fakeqb's stopped clock), on names it adds not being there from an earlier run, or on
#: fakeqb's own answer to what it does not simulate (3250).
LIVE_CASES = frozenset({"test_add_errors", "test_mod", "test_host_company_preferences"})
_LIVE_SEEDED: set[str] = set()


@pytest.fixture
def request_processor(request: pytest.FixtureRequest, version: str, qb_transport: Transport) -> Iterator[Any]:
    """The one place the processor under test is created: a QBXMLRP2-shaped object on an empty company.

    For `seeded` cases the company first gets the SEED objects, sent as requests (and checked like every other
    request). fakeqb's in-memory company file is then snapshotted, so later cases start from a copy of it instead
    of sending SEED again; a processor that cannot be copied would simply be seeded with requests each time.
    `qb_transport` (`--qb`) serves the company in process or over HTTP; the real QuickBooks (`live`) answers from its
    open company file, which gets SEED once per run (what an earlier run added is answered 3100 and kept).
    """
    if qb_transport.live:
        if "seeded" in request.fixturenames and not _LIVE_SEEDED:
            seeder = Contract(Client(qb_transport.processor(None)), version)
            responses = seeder.send(SEED, on_error="continueOnError")
            failed = [rs.get("statusMessage") for rs in responses if rs.get("statusCode") not in ("0", "3100")]
            seeder.client.close()
            assert not failed, failed
            _LIVE_SEEDED.add(version)
        yield qb_transport.processor(None)
        return
    company = FakeQuickBooks(behaviours=behaviours_of(request.config))
    company.clock.set(START)
    raw = company.engine.raw_connection()
    if "seeded" in request.fixturenames:
        if version not in _SNAPSHOTS:
            seeder = Contract(Client(company.request_processor(), "Seeder"), version)
            responses = seeder.send(SEED)
            failed = [rs.get("statusMessage") for rs in responses if rs.get("statusCode") != "0"]
            assert len(responses) == SEED.count("AddRq>") // 2 and not failed, failed
            seeder.client.close()
            _SNAPSHOTS[version] = raw.driver_connection.serialize()
        else:
            raw.driver_connection.deserialize(_SNAPSHOTS[version])
    yield qb_transport.processor(company)
    raw.close()
    company.close()


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def qb(request_processor: Any, version: str) -> Iterator[Contract]:
    xsd_dir()  # skips (or fails on CI) without the schemas
    client = Client(request_processor)
    yield Contract(client, version)
    client.close()


class Contract:
    """Sends request elements in one version; validates each request and each response against the XSD."""

    def __init__(self, client: Client, version: str):
        self.client, self.version = client, version
        self.sent = 0

    def send(self, body: str, on_error: str = "stopOnError", too_long: bool = False) -> list[etree._Element]:
        """Send request elements; `too_long`: the request breaks maxLength facets (and nothing else) on purpose."""
        request = envelope(body, self.version, on_error)
        if too_long:
            assert_valid_but_too_long(request, self.version)
        else:
            assert_valid(request, self.version)
        response = self.client.rp.ProcessRequest(self.client.ticket, request)
        root = assert_valid(response, self.version)
        self.sent += 1
        rs_list = list(root.find("QBXMLMsgsRs"))
        assert rs_list, "a message set with requests got no responses"
        return rs_list

    def one(self, body: str, code: int = 0, too_long: bool | None = None) -> etree._Element:
        """Send one request; assert its statusCode and the severity that goes with it; return the Rs.

        A 3070 case is expected to break a maxLength facet of the schema unless `too_long` is False.
        """
        (rs,) = self.send(body, too_long=code == 3070 if too_long is None else too_long)
        assert rs.get("statusCode") == str(code), etree.tostring(rs, encoding="unicode")
        severity = "Info" if code < 500 else "Warn" if code < 1000 else "Error"
        assert rs.get("statusSeverity") == severity
        return rs

    def ret(self, body: str) -> etree._Element:
        """Send one request that must succeed with exactly one `*Ret`; return it."""
        rs = self.one(body)
        rets = [c for c in rs if c.tag.endswith("Ret")]
        assert len(rets) == 1, etree.tostring(rs, encoding="unicode")
        return rets[0]


_MAX_LENGTH = re.compile(r"Element '(\w+)': \[facet 'maxLength'\].* maximum length of '(\d+)'")


def assert_valid_but_too_long(xml: str, version: str) -> None:
    """Assert that `xml` breaks only maxLength facets: invalid as it is, valid once the long values are cut."""
    root = etree.fromstring(xml.encode())
    sch = schema(family_of(version))
    assert not sch.validate(root), "the request has no over-long value"
    limits = {}
    for entry in sch.error_log:
        m = _MAX_LENGTH.search(entry.message)
        assert entry.type_name == "SCHEMAV_CVC_MAXLENGTH_VALID" and m is not None, entry
        limits[m.group(1)] = int(m.group(2))
    for el in root.iter(*limits):
        el.text = (el.text or "")[: limits[el.tag]]
    assert sch.validate(root), sch.error_log


def ref(tag: str, full_name: str) -> str:
    return f"<{tag}><FullName>{full_name}</FullName></{tag}>"


ADDRESS = ("<Addr1>{who}</Addr1><Addr2>100 Main Street</Addr2><City>Springfield</City><State>IL</State>"
           "<PostalCode>62701</PostalCode><Country>US</Country>")


def address(tag: str, who: str) -> str:
    return f"<{tag}>{ADDRESS.format(who=who)}</{tag}>"


#: The company every case starts from: a class tree, a chart of accounts with a sub-account (and A/P, A/R and a credit
#: card), a vendor, a customer with a job, employees, an other name and an item of every type with its account
#: references.
SEED = "".join((
    "<ClassAddRq><ClassAdd><Name>Retail</Name></ClassAdd></ClassAddRq>",
    "<ClassAddRq><ClassAdd><Name>Wholesale</Name></ClassAdd></ClassAddRq>",
    f"<ClassAddRq><ClassAdd><Name>Online</Name>{ref('ParentRef', 'Retail')}</ClassAdd></ClassAddRq>",
    "<AccountAddRq><AccountAdd><Name>Checking</Name><AccountType>Bank</AccountType><AccountNumber>1000</AccountNumber>"
    "<BankNumber>123456789</BankNumber><Desc>Main account</Desc><OpenBalance>2500.00</OpenBalance>"
    "<OpenBalanceDate>2024-01-01</OpenBalanceDate></AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Sales</Name><AccountType>Income</AccountType><AccountNumber>4000</AccountNumber>"
    "</AccountAdd></AccountAddRq>",
    f"<AccountAddRq><AccountAdd><Name>Wholesale</Name>{ref('ParentRef', 'Sales')}<AccountType>Income</AccountType>"
    "</AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Supplies</Name><AccountType>Expense</AccountType></AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Cost of Goods Sold</Name><AccountType>CostOfGoodsSold</AccountType>"
    "</AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Inventory Asset</Name><AccountType>OtherCurrentAsset</AccountType>"
    "</AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Accounts Payable</Name><AccountType>AccountsPayable</AccountType>"
    "</AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Accounts Receivable</Name><AccountType>AccountsReceivable</AccountType>"
    "</AccountAdd></AccountAddRq>",
    "<AccountAddRq><AccountAdd><Name>Visa</Name><AccountType>CreditCard</AccountType></AccountAdd></AccountAddRq>",
    f"<VendorAddRq><VendorAdd><Name>Acme Supply</Name><CompanyName>Acme Supply Co</CompanyName>"
    f"<FirstName>Ann</FirstName><LastName>Acme</LastName>{address('VendorAddress', 'Acme Supply Co')}"
    "<Phone>217-555-0101</Phone><Fax>217-555-0102</Fax><Email>ap@acme.example</Email><NameOnCheck>Acme Supply Co"
    "</NameOnCheck><AccountNumber>A-77</AccountNumber><Notes>Net 30</Notes><CreditLimit>5000.00</CreditLimit>"
    "<IsVendorEligibleFor1099>true</IsVendorEligibleFor1099><OpenBalance>120.50</OpenBalance>"
    f"<OpenBalanceDate>2024-01-01</OpenBalanceDate>{ref('PrefillAccountRef', 'Supplies')}</VendorAdd></VendorAddRq>",
    f"<CustomerAddRq><CustomerAdd><Name>Jones</Name>{ref('ClassRef', 'Retail')}<CompanyName>Jones LLC</CompanyName>"
    f"<FirstName>Kim</FirstName><LastName>Jones</LastName>{address('BillAddress', 'Kim Jones')}"
    f"{address('ShipAddress', 'Jones Warehouse')}<Phone>217-555-0110</Phone><Mobile>217-555-0111</Mobile>"
    "<Email>kim@jones.example</Email><Contact>Kim Jones</Contact><OpenBalance>300.00</OpenBalance>"
    "<OpenBalanceDate>2024-01-01</OpenBalanceDate><AccountNumber>C-1</AccountNumber><CreditLimit>1000.00</CreditLimit>"
    "<Notes>Good customer</Notes></CustomerAdd></CustomerAddRq>",
    f"<CustomerAddRq><CustomerAdd><Name>Kitchen</Name>{ref('ParentRef', 'Jones')}"
    f"{address('BillAddress', 'Kim Jones')}<JobStatus>InProgress</JobStatus><JobStartDate>2024-02-01</JobStartDate>"
    "<JobDesc>Kitchen remodel</JobDesc></CustomerAdd></CustomerAddRq>",
    "<EmployeeAddRq><EmployeeAdd><FirstName>Sam</FirstName><LastName>Boss</LastName></EmployeeAdd></EmployeeAddRq>",
    "<EmployeeAddRq><EmployeeAdd><Name>Pat Lee</Name><FirstName>Pat</FirstName><LastName>Lee</LastName>"
    "<JobTitle>Clerk</JobTitle>"
    "<EmployeeAddress><Addr1>5 Elm St</Addr1><City>Springfield</City><State>IL</State><PostalCode>62702</PostalCode>"
    "</EmployeeAddress><Phone>217-555-0120</Phone><Email>pat@example.com</Email><EmployeeType>Regular</EmployeeType>"
    "<HiredDate>2023-05-01</HiredDate><BirthDate>1990-07-04</BirthDate><AccountNumber>E-2</AccountNumber>"
    "</EmployeeAdd></EmployeeAddRq>",
    f"<OtherNameAddRq><OtherNameAdd><Name>Owner</Name><CompanyName>Owner Holdings</CompanyName>"
    f"{address('OtherNameAddress', 'Owner Holdings')}<Phone>217-555-0130</Phone><Email>owner@example.com</Email>"
    "<AccountNumber>O-1</AccountNumber><Notes>Draws</Notes></OtherNameAdd></OtherNameAddRq>",
    f"<ItemServiceAddRq><ItemServiceAdd><Name>Consulting</Name>{ref('ClassRef', 'Retail')}<SalesOrPurchase>"
    f"<Desc>Hourly consulting</Desc><Price>95.00</Price>{ref('AccountRef', 'Sales')}</SalesOrPurchase>"
    "</ItemServiceAdd></ItemServiceAddRq>",
    f"<ItemServiceAddRq><ItemServiceAdd><Name>Remote</Name>{ref('ParentRef', 'Consulting')}<SalesAndPurchase>"
    f"<SalesDesc>Remote hour</SalesDesc><SalesPrice>80.00</SalesPrice>{ref('IncomeAccountRef', 'Sales:Wholesale')}"
    f"<PurchaseDesc>Subcontractor hour</PurchaseDesc><PurchaseCost>50.00</PurchaseCost>"
    f"{ref('ExpenseAccountRef', 'Supplies')}{ref('PrefVendorRef', 'Acme Supply')}</SalesAndPurchase>"
    "</ItemServiceAdd></ItemServiceAddRq>",
    f"<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Widget</Name>{ref('ClassRef', 'Retail:Online')}"
    "<ManufacturerPartNumber>W-1</ManufacturerPartNumber><SalesAndPurchase><SalesDesc>Widget</SalesDesc>"
    f"<SalesPrice>12.5</SalesPrice>{ref('IncomeAccountRef', 'Sales')}<PurchaseCost>7.25</PurchaseCost>"
    f"{ref('ExpenseAccountRef', 'Supplies')}{ref('PrefVendorRef', 'Acme Supply')}</SalesAndPurchase>"
    "</ItemNonInventoryAdd></ItemNonInventoryAddRq>",
    "<ItemOtherChargeAddRq><ItemOtherChargeAdd><Name>Freight</Name><SalesOrPurchase><Desc>Freight</Desc>"
    f"<PricePercent>5</PricePercent>{ref('AccountRef', 'Sales')}</SalesOrPurchase></ItemOtherChargeAdd>"
    "</ItemOtherChargeAddRq>",
    f"<ItemInventoryAddRq><ItemInventoryAdd><Name>Beans</Name>{ref('ClassRef', 'Retail')}"
    f"<ManufacturerPartNumber>B-12</ManufacturerPartNumber><SalesDesc>Coffee beans</SalesDesc><SalesPrice>14.00"
    f"</SalesPrice>{ref('IncomeAccountRef', 'Sales')}<PurchaseDesc>Green beans</PurchaseDesc><PurchaseCost>6.00"
    f"</PurchaseCost>{ref('COGSAccountRef', 'Cost of Goods Sold')}{ref('PrefVendorRef', 'Acme Supply')}"
    f"{ref('AssetAccountRef', 'Inventory Asset')}<ReorderPoint>10</ReorderPoint><QuantityOnHand>40</QuantityOnHand>"
    "<TotalValue>240.00</TotalValue><InventoryDate>2024-02-15</InventoryDate></ItemInventoryAdd></ItemInventoryAddRq>",
    "<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>State Tax</Name><ItemDesc>State sales tax</ItemDesc>"
    f"<TaxRate>6.25</TaxRate>{ref('TaxVendorRef', 'Acme Supply')}</ItemSalesTaxAdd></ItemSalesTaxAddRq>",
    "<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>County Tax</Name><TaxRate>1.75</TaxRate></ItemSalesTaxAdd>"
    "</ItemSalesTaxAddRq>",
    "<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>City Tax</Name><ItemDesc>State and county</ItemDesc>"
    f"{ref('ItemSalesTaxRef', 'State Tax')}{ref('ItemSalesTaxRef', 'County Tax')}</ItemSalesTaxGroupAdd>"
    "</ItemSalesTaxGroupAddRq>",
    "<ItemDiscountAddRq><ItemDiscountAdd><Name>Loyalty</Name><ItemDesc>Loyalty discount</ItemDesc>"
    f"<DiscountRatePercent>10</DiscountRatePercent>{ref('AccountRef', 'Sales')}</ItemDiscountAdd>"
    "</ItemDiscountAddRq>",
    "<ItemPaymentAddRq><ItemPaymentAdd><Name>Card Payment</Name><ItemDesc>Paid by card</ItemDesc>"
    f"{ref('DepositToAccountRef', 'Checking')}{ref('PaymentMethodRef', 'Visa')}</ItemPaymentAdd></ItemPaymentAddRq>",
    "<ItemSubtotalAddRq><ItemSubtotalAdd><Name>Subtotal</Name><ItemDesc>Subtotal</ItemDesc></ItemSubtotalAdd>"
    "</ItemSubtotalAddRq>",
    "<ItemGroupAddRq><ItemGroupAdd><Name>Coffee Kit</Name><ItemDesc>Beans and a widget</ItemDesc>"
    f"<ItemGroupLine>{ref('ItemRef', 'Beans')}<Quantity>2</Quantity></ItemGroupLine>"
    f"<ItemGroupLine>{ref('ItemRef', 'Widget')}<Quantity>1</Quantity></ItemGroupLine></ItemGroupAdd>"
    "</ItemGroupAddRq>",
    f"<ItemInventoryAssemblyAddRq><ItemInventoryAssemblyAdd><Name>Gift Box</Name><SalesDesc>Gift box</SalesDesc>"
    f"<SalesPrice>40.00</SalesPrice>{ref('IncomeAccountRef', 'Sales')}{ref('COGSAccountRef', 'Cost of Goods Sold')}"
    f"{ref('AssetAccountRef', 'Inventory Asset')}<BuildPoint>3</BuildPoint><ItemInventoryAssemblyLine>"
    f"{ref('ItemInventoryRef', 'Beans')}<Quantity>2</Quantity></ItemInventoryAssemblyLine>"
    "</ItemInventoryAssemblyAdd></ItemInventoryAssemblyAddRq>",
    "<PriceLevelAddRq><PriceLevelAdd><Name>Trade</Name><PriceLevelFixedPercentage>-10</PriceLevelFixedPercentage>"
    "</PriceLevelAdd></PriceLevelAddRq>",
    "<PriceLevelAddRq><PriceLevelAdd><Name>Retail Plus</Name><PriceLevelFixedPercentage>5</PriceLevelFixedPercentage>"
    "</PriceLevelAdd></PriceLevelAddRq>",
    f"<SalesRepAddRq><SalesRepAdd><Initial>SB</Initial>{ref('SalesRepEntityRef', 'Sam Boss')}</SalesRepAdd>"
    "</SalesRepAddRq>",
    "<CustomerTypeAddRq><CustomerTypeAdd><Name>Retail</Name></CustomerTypeAdd></CustomerTypeAddRq>",
    "<ShipMethodAddRq><ShipMethodAdd><Name>UPS</Name></ShipMethodAdd></ShipMethodAddRq>",
))


@pytest.fixture
def seeded(qb: Contract) -> Contract:
    """A connected client on a company holding the SEED objects (see `request_processor`)."""
    return qb


# -- the list types ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListSpec:
    """What a contract case needs to know about one list type."""

    name: str
    existing: str  # FullName of a seeded object of this type
    add: str  # the content of a rich Add aggregate (Name first)
    new_name: str  # its Name
    too_long: str  # an Add aggregate content with one over-long string
    too_long_field: str
    bad_ref: str | None  # an Add aggregate content naming a missing object (3140; a missing parent 3130)
    mod: str  # Mod fields after ListID/EditSequence
    iterator: bool  # whether the query takes iterator attributes
    del_type: str
    clash: str  # the Name of another top-level object in the same name space
    check: Callable[[etree._Element], None] = lambda ret: None  # checks on the Ret of the rich Add


def _check_account(ret: etree._Element) -> None:
    assert ret.findtext("FullName") == "Sales:Retail Sales"
    assert ret.findtext("ParentRef/FullName") == "Sales" and ret.findtext("Sublevel") == "1"
    assert ret.findtext("CashFlowClassification") == "NotApplicable"  # written on every account


def _check_customer(ret: etree._Element) -> None:
    assert ret.findtext("FullName") == "Jones:Bathroom" and ret.findtext("Sublevel") == "1"
    assert ret.findtext("JobStatus") == "Pending"
    assert ret.findtext("ClassRef/FullName") == "Retail:Online"
    assert ret.findtext("BillAddress/City") == "Springfield"
    assert ret.findtext("BillAddressBlock/Addr1") == "Kim Jones"


def _check_vendor(ret: etree._Element) -> None:
    assert ret.findtext("VendorAddress/PostalCode") == "62701" and ret.findtext("Phone") == "217-555-0199"
    assert ret.findtext("IsVendorEligibleFor1099") == "true"


def _check_employee(ret: etree._Element) -> None:
    assert ret.findtext("EmployeeAddress/City") == "Peoria" and ret.findtext("HiredDate") == "2024-01-15"


def _check_item(path: str, account: str) -> Callable[[etree._Element], None]:
    def check(ret: etree._Element) -> None:
        assert ret.findtext(path + "/FullName") == account, etree.tostring(ret, encoding="unicode")
        assert ret.findtext("ClassRef/FullName") == "Retail"

    return check


LISTS: tuple[ListSpec, ...] = (
    ListSpec("Account", "Checking",
             f"<Name>Retail Sales</Name>{ref('ParentRef', 'Sales')}<AccountType>Income</AccountType>"
             "<AccountNumber>4100</AccountNumber><Desc>Shop sales</Desc>", "Retail Sales",
             "<Name>Savings</Name><AccountType>Bank</AccountType><AccountNumber>12345678</AccountNumber>",
             "AccountNumber",
             f"<Name>Orphan</Name>{ref('ParentRef', 'No Such Account')}<AccountType>Income</AccountType>",
             "<AccountNumber>1001</AccountNumber><Desc>Operating account</Desc>", False, "Account", "Sales",
             _check_account),
    ListSpec("Class", "Retail", f"<Name>Stores</Name>{ref('ParentRef', 'Retail')}", "Stores",
             "<Name>" + "C" * 32 + "</Name>", "Name",
             f"<Name>Orphan</Name>{ref('ParentRef', 'No Such Class')}", "<Name>Retail Shops</Name>", False, "Class",
             "Wholesale",
             lambda ret: None if ret.findtext("FullName") == "Retail:Stores" else pytest.fail("FullName")),
    ListSpec("Customer", "Jones",
             f"<Name>Bathroom</Name>{ref('ClassRef', 'Retail:Online')}{ref('ParentRef', 'Jones')}"
             f"<CompanyName>Jones LLC</CompanyName>{address('BillAddress', 'Kim Jones')}"
             f"{address('ShipAddress', 'Site')}<Phone>217-555-0140</Phone><Email>bath@jones.example</Email>"
             "<JobStatus>Pending</JobStatus><JobProjectedEndDate>2024-06-30</JobProjectedEndDate>", "Bathroom",
             "<Name>Smith</Name><FirstName>" + "F" * 26 + "</FirstName>", "FirstName",
             f"<Name>Orphan</Name>{ref('ClassRef', 'No Such Class')}",
             f"{ref('ClassRef', 'Retail')}{address('BillAddress', 'Kim Jones-Smith')}<Phone>217-555-0150</Phone>",
             True, "Customer", "Acme Supply", _check_customer),
    ListSpec("Vendor", "Acme Supply",
             f"<Name>Bolt Bros</Name>{ref('ClassRef', 'Retail')}<CompanyName>Bolt Brothers</CompanyName>"
             f"{address('VendorAddress', 'Bolt Brothers')}<Phone>217-555-0199</Phone><Email>bolt@example.com</Email>"
             "<Contacts><FirstName>Bo</FirstName><LastName>Bolt</LastName></Contacts>"
             "<AdditionalNotes><Note>Call before delivery</Note></AdditionalNotes>"
             "<IsVendorEligibleFor1099>1</IsVendorEligibleFor1099>", "Bolt Bros",
             "<Name>" + "V" * 42 + "</Name>", "Name",
             f"<Name>Orphan</Name>{ref('ClassRef', 'No Such Class')}",
             f"<CompanyName>Acme Supply Corp</CompanyName>{address('VendorAddress', 'Acme Supply Corp')}",
             True, "Vendor", "Jones", _check_vendor),
    ListSpec("Employee", "Pat Lee",
             "<Name>Lou Park</Name><FirstName>Lou</FirstName><LastName>Park</LastName>"
             "<EmployeeAddress><Addr1>9 Oak St</Addr1><City>Peoria</City>"
             "<State>IL</State></EmployeeAddress><Phone>309-555-0100</Phone><HiredDate>2024-01-15</HiredDate>",
             "Lou Park", "<Name>Long Name</Name><MiddleName>Abcdef</MiddleName>", "MiddleName",
             f"<Name>Orphan</Name>{ref('BillingRateRef', 'No Such Rate')}",
             "<JobTitle>Senior clerk</JobTitle><Phone>217-555-0121</Phone>", False, "Employee", "Owner",
             _check_employee),
    ListSpec("OtherName", "Owner",
             f"<Name>Partner</Name><CompanyName>Partner Co</CompanyName>{address('OtherNameAddress', 'Partner Co')}"
             "<Phone>217-555-0160</Phone>", "Partner",
             "<Name>Short</Name><Phone>" + "5" * 22 + "</Phone>", "Phone", None,
             "<Phone>217-555-0131</Phone><Notes>Owner draws</Notes>", False, "OtherName", "Pat Lee",
             lambda ret: None if ret.findtext("OtherNameAddressBlock/Addr1") == "Partner Co" else pytest.fail("block")),
    ListSpec("ItemService", "Consulting",
             f"<Name>Design</Name>{ref('ClassRef', 'Retail')}<SalesAndPurchase><SalesDesc>Design hour</SalesDesc>"
             f"<SalesPrice>110.00</SalesPrice>{ref('IncomeAccountRef', 'Sales')}<PurchaseCost>60.00</PurchaseCost>"
             f"{ref('ExpenseAccountRef', 'Supplies')}{ref('PrefVendorRef', 'Acme Supply')}</SalesAndPurchase>",
             "Design", "<Name>" + "S" * 32 + "</Name><SalesOrPurchase><Desc>x</Desc></SalesOrPurchase>", "Name",
             "<Name>Orphan</Name><SalesOrPurchase><Desc>x</Desc>" + ref("AccountRef", "No Such Account")
             + "</SalesOrPurchase>",
             f"<SalesOrPurchaseMod><Desc>Consulting hour</Desc><Price>99.00</Price>{ref('AccountRef', 'Sales')}"
             "</SalesOrPurchaseMod>", True, "ItemService", "Widget",
             _check_item("SalesAndPurchase/IncomeAccountRef", "Sales")),
    ListSpec("ItemNonInventory", "Widget",
             f"<Name>Gadget</Name>{ref('ClassRef', 'Retail')}<ManufacturerPartNumber>G-1</ManufacturerPartNumber>"
             f"<SalesOrPurchase><Desc>Gadget</Desc><Price>3.5</Price>{ref('AccountRef', 'Sales:Wholesale')}"
             "</SalesOrPurchase>", "Gadget",
             "<Name>Gizmo</Name><ManufacturerPartNumber>" + "M" * 32 + "</ManufacturerPartNumber>"
             "<SalesOrPurchase><Desc>x</Desc></SalesOrPurchase>", "ManufacturerPartNumber",
             f"<Name>Orphan</Name><SalesOrPurchase><Desc>x</Desc>{ref('AccountRef', 'No Such Account')}"
             "</SalesOrPurchase>",
             f"<SalesAndPurchaseMod><SalesPrice>13.00</SalesPrice>{ref('PrefVendorRef', 'Acme Supply')}"
             "</SalesAndPurchaseMod>", True, "ItemNonInventory", "Beans",
             _check_item("SalesOrPurchase/AccountRef", "Sales:Wholesale")),
    ListSpec("ItemOtherCharge", "Freight",
             f"<Name>Handling</Name>{ref('ClassRef', 'Retail')}<SalesOrPurchase><Desc>Handling</Desc>"
             f"<Price>4.00</Price>{ref('AccountRef', 'Sales')}</SalesOrPurchase>", "Handling",
             "<Name>Fee</Name><BarCode><BarCodeValue>" + "9" * 51 + "</BarCodeValue></BarCode>"
             "<SalesOrPurchase><Desc>x</Desc></SalesOrPurchase>", "BarCodeValue",
             f"<Name>Orphan</Name>{ref('ClassRef', 'No Such Class')}<SalesOrPurchase><Desc>x</Desc></SalesOrPurchase>",
             "<SalesOrPurchaseMod><Desc>Freight charge</Desc></SalesOrPurchaseMod>", True, "ItemOtherCharge", "Widget",
             _check_item("SalesOrPurchase/AccountRef", "Sales")),
    ListSpec("ItemInventory", "Beans",
             f"<Name>Mugs</Name>{ref('ClassRef', 'Retail')}<SalesDesc>Mug</SalesDesc><SalesPrice>9.00</SalesPrice>"
             f"{ref('IncomeAccountRef', 'Sales')}<PurchaseCost>3.00</PurchaseCost>"
             f"{ref('COGSAccountRef', 'Cost of Goods Sold')}{ref('PrefVendorRef', 'Acme Supply')}"
             f"{ref('AssetAccountRef', 'Inventory Asset')}<ReorderPoint>5</ReorderPoint>", "Mugs",
             "<Name>Cups</Name><ManufacturerPartNumber>" + "P" * 32 + "</ManufacturerPartNumber>",
             "ManufacturerPartNumber",
             f"<Name>Orphan</Name>{ref('IncomeAccountRef', 'Sales')}{ref('COGSAccountRef', 'No Such Account')}",
             f"<SalesPrice>15.00</SalesPrice>{ref('IncomeAccountRef', 'Sales:Wholesale')}", True, "ItemInventory",
             "Freight",
             _check_item("COGSAccountRef", "Cost of Goods Sold")),
)
LISTS += (
    ListSpec("ItemSalesTax", "State Tax",
             f"<Name>Metro Tax</Name><ItemDesc>Metro district</ItemDesc><TaxRate>0.5</TaxRate>"
             f"{ref('TaxVendorRef', 'Acme Supply')}", "Metro Tax", "<Name>" + "T" * 32 + "</Name>", "Name",
             f"<Name>Orphan</Name>{ref('TaxVendorRef', 'No Such Vendor')}",
             "<ItemDesc>State tax</ItemDesc><TaxRate>6.5</TaxRate>", True, "ItemSalesTax", "Widget",
             lambda ret: None if (ret.findtext("TaxVendorRef/FullName"), ret.findtext("TaxRate")) == (
                 "Acme Supply", "0.5") else pytest.fail("TaxVendorRef")),
    ListSpec("ItemSalesTaxGroup", "City Tax",
             f"<Name>Metro Group</Name><ItemDesc>Metro</ItemDesc>{ref('ItemSalesTaxRef', 'State Tax')}",
             "Metro Group", "<Name>" + "G" * 32 + f"</Name>{ref('ItemSalesTaxRef', 'State Tax')}", "Name",
             f"<Name>Orphan</Name>{ref('ItemSalesTaxRef', 'No Such Tax')}",
             f"<ItemDesc>State only</ItemDesc>{ref('ItemSalesTaxRef', 'State Tax')}", True, "ItemSalesTaxGroup",
             "Widget",
             lambda ret: None if [e.findtext("FullName") for e in ret.findall("ItemSalesTaxRef")] == ["State Tax"]
             else pytest.fail("ItemSalesTaxRef")),
    ListSpec("ItemDiscount", "Loyalty",
             f"<Name>Promo</Name>{ref('ClassRef', 'Retail')}<ItemDesc>Promotion</ItemDesc>"
             f"<DiscountRate>5.00</DiscountRate>{ref('AccountRef', 'Sales')}", "Promo",
             "<Name>" + "D" * 32 + "</Name>", "Name",
             f"<Name>Orphan</Name>{ref('AccountRef', 'No Such Account')}",
             "<ItemDesc>Loyal customers</ItemDesc><DiscountRatePercent>12</DiscountRatePercent>", True, "ItemDiscount",
             "Widget", _check_item("AccountRef", "Sales")),
    ListSpec("ItemPayment", "Card Payment",
             f"<Name>Check Payment</Name>{ref('ClassRef', 'Retail')}<ItemDesc>Paid by check</ItemDesc>"
             f"{ref('DepositToAccountRef', 'Checking')}{ref('PaymentMethodRef', 'Check')}", "Check Payment",
             "<Name>" + "P" * 32 + "</Name>", "Name",
             f"<Name>Orphan</Name>{ref('DepositToAccountRef', 'No Such Account')}",
             "<ItemDesc>Card payment received</ItemDesc>", True, "ItemPayment", "Widget",
             _check_item("DepositToAccountRef", "Checking")),
    ListSpec("ItemSubtotal", "Subtotal", "<Name>Section Total</Name><ItemDesc>Section</ItemDesc>", "Section Total",
             "<Name>" + "S" * 32 + "</Name>", "Name", None, "<ItemDesc>Subtotal of the lines above</ItemDesc>", True,
             "ItemSubtotal", "Widget"),
    ListSpec("ItemGroup", "Coffee Kit",
             "<Name>Starter Kit</Name><ItemDesc>Starter</ItemDesc><IsPrintItemsInGroup>true</IsPrintItemsInGroup>"
             f"<ItemGroupLine>{ref('ItemRef', 'Beans')}<Quantity>1</Quantity></ItemGroupLine>", "Starter Kit",
             "<Name>" + "K" * 32 + "</Name>", "Name",
             f"<Name>Orphan</Name><ItemGroupLine>{ref('ItemRef', 'No Such Item')}</ItemGroupLine>",
             f"<ItemDesc>Kit</ItemDesc><ItemGroupLine>{ref('ItemRef', 'Widget')}<Quantity>3</Quantity></ItemGroupLine>",
             True, "ItemGroup", "Widget",
             lambda ret: None if (ret.findtext("ItemGroupLine/ItemRef/FullName"), ret.findtext(
                 "IsPrintItemsInGroup")) == ("Beans", "true") else pytest.fail("ItemGroupLine")),
    ListSpec("ItemInventoryAssembly", "Gift Box",
             f"<Name>Sampler</Name>{ref('ClassRef', 'Retail')}<SalesDesc>Sampler</SalesDesc><SalesPrice>30.00"
             f"</SalesPrice>{ref('IncomeAccountRef', 'Sales')}{ref('COGSAccountRef', 'Cost of Goods Sold')}"
             f"{ref('AssetAccountRef', 'Inventory Asset')}<BuildPoint>2</BuildPoint><ItemInventoryAssemblyLine>"
             f"{ref('ItemInventoryRef', 'Beans')}<Quantity>3</Quantity></ItemInventoryAssemblyLine>", "Sampler",
             "<Name>Set</Name><ManufacturerPartNumber>" + "A" * 32 + "</ManufacturerPartNumber>",
             "ManufacturerPartNumber",
             f"<Name>Orphan</Name>{ref('IncomeAccountRef', 'Sales')}{ref('COGSAccountRef', 'No Such Account')}",
             f"<SalesPrice>42.00</SalesPrice><ItemInventoryAssemblyLine>{ref('ItemInventoryRef', 'Beans')}"
             "<Quantity>4</Quantity></ItemInventoryAssemblyLine>", True, "ItemInventoryAssembly", "Widget",
             _check_item("COGSAccountRef", "Cost of Goods Sold")),
    ListSpec("PriceLevel", "Trade",
             f"<Name>Preferred</Name><PriceLevelPerItem>{ref('ItemRef', 'Beans')}<AdjustPercentage>-10"
             "</AdjustPercentage><AdjustRelativeTo>StandardPrice</AdjustRelativeTo></PriceLevelPerItem>"
             f"<PriceLevelPerItem>{ref('ItemRef', 'Widget')}<CustomPrice>11.00</CustomPrice></PriceLevelPerItem>",
             "Preferred", "<Name>" + "L" * 32 + "</Name><PriceLevelFixedPercentage>1</PriceLevelFixedPercentage>",
             "Name",
             f"<Name>Orphan</Name><PriceLevelPerItem>{ref('ItemRef', 'No Such Item')}<CustomPrice>1.00</CustomPrice>"
             "</PriceLevelPerItem>",
             "<PriceLevelFixedPercentage>-15</PriceLevelFixedPercentage>", False, "PriceLevel", "Retail Plus",
             lambda ret: None if ([(e.findtext("ItemRef/FullName"), e.findtext("CustomPrice"))
                                   for e in ret.findall("PriceLevelPerItemRet")], ret.findtext("PriceLevelType")) == (
                 [("Beans", "12.6"), ("Widget", "11")], "PerItem") else pytest.fail("PriceLevelPerItemRet")),
)
LIST_IDS = [spec.name for spec in LISTS]


def full_name(ret: etree._Element) -> str:
    """FullName, or Name for the lists that are not hierarchical (their Ret has no FullName)."""
    return ret.findtext("FullName") or ret.findtext("Name") or ""


def identity(ret: etree._Element) -> tuple[str, str]:
    return ret.findtext("ListID") or "", ret.findtext("EditSequence") or ""


def query_by_name(q: Contract, spec: ListSpec, full_name: str, extra: str = "") -> etree._Element:
    return q.ret(f"<{spec.name}QueryRq><FullName>{full_name}</FullName>{extra}</{spec.name}QueryRq>")


@with_old_version
@pytest.mark.parametrize("spec", LISTS, ids=LIST_IDS)
def test_add(seeded: Contract, spec: ListSpec) -> None:
    q, t = seeded, spec.name
    ret = q.ret(f'<{t}AddRq requestID="add-1"><{t}Add>{spec.add}</{t}Add></{t}AddRq>')
    assert ret.tag == f"{t}Ret" and ret.findtext("Name") == spec.new_name
    assert ret.findtext("TimeCreated") == "2024-03-01T09:30:00-05:00" and ret.findtext("IsActive") == "true"
    spec.check(ret)
    # the object is stored as returned
    again = q.ret(f"<{t}QueryRq><ListID>{identity(ret)[0]}</ListID></{t}QueryRq>")
    assert etree.tostring(again) == etree.tostring(ret)
    # a duplicate name (case-insensitive) is refused
    duplicate = spec.add.replace(f"<Name>{spec.new_name}</Name>", f"<Name>{spec.new_name.upper()}</Name>")
    rs = q.one(f"<{t}AddRq><{t}Add>{duplicate}</{t}Add></{t}AddRq>", 3100)
    assert rs.get("statusMessage") == f'The name "{spec.new_name.upper()}" of the list element is already in use.'
    assert len(rs) == 0


@pytest.mark.parametrize("spec", LISTS, ids=LIST_IDS)
def test_add_errors(seeded: Contract, spec: ListSpec) -> None:
    q, t = seeded, spec.name
    rs = q.one(f'<{t}AddRq requestID="7"><{t}Add>{spec.too_long}</{t}Add></{t}AddRq>', 3070)
    assert rs.get("requestID") == "7" and f'in the field "{spec.too_long_field}" is too long.' in rs.get(
        "statusMessage", "")
    if spec.bad_ref is not None:  # a parent that does not exist is 3130, any other reference 3140
        parent = "<ParentRef>" in spec.bad_ref
        rs = q.one(f"<{t}AddRq><{t}Add>{spec.bad_ref}</{t}Add></{t}AddRq>", 3130 if parent else 3140)
        assert ("There is an invalid reference to a parent" if parent else "There is an invalid reference to "
                "QuickBooks") in rs.get("statusMessage", "")
        assert rs.get("statusMessage", "").endswith("The specified record does not exist in the list.")
    # nothing was saved by the failed requests
    q.one(f"<{t}QueryRq><FullName>Orphan</FullName></{t}QueryRq>", 500)


@pytest.mark.parametrize("spec", LISTS, ids=LIST_IDS)
def test_mod(seeded: Contract, spec: ListSpec) -> None:
    q, t = seeded, spec.name
    before = query_by_name(q, spec, spec.existing)
    list_id, sequence = identity(before)
    after = q.ret(f"<{t}ModRq><{t}Mod><ListID>{list_id}</ListID><EditSequence>{sequence}</EditSequence>{spec.mod}"
                  f"</{t}Mod></{t}ModRq>")
    assert identity(after)[0] == list_id and identity(after)[1] != sequence
    sent = etree.fromstring(f"<x>{spec.mod}</x>")
    for leaf in sent.iter():
        if len(leaf) == 0 and leaf.tag != "FullName" and leaf.getparent() is not None:
            path = "/".join(a.tag.removesuffix("Mod") for a in reversed(list(leaf.iterancestors())) if a.tag != "x")
            found = after.findtext(f"{path}/{leaf.tag}" if path else leaf.tag)
            assert found is not None and found.rstrip("0").rstrip(".") == (leaf.text or "").rstrip("0").rstrip("."), (
                leaf.tag, etree.tostring(after, encoding="unicode"))
    # the old EditSequence is stale now
    rs = q.one(f"<{t}ModRq><{t}Mod><ListID>{list_id}</ListID><EditSequence>{sequence}</EditSequence>"
               f"</{t}Mod></{t}ModRq>", 3200)
    assert rs.get("statusMessage") == f'The provided edit sequence "{sequence}" is out-of-date. '
    (current,) = rs  # answered with the object as it is now
    assert identity(current) == identity(after) and current.tag == f"{t}Ret"
    # a ListID that names nothing
    rs = q.one(f"<{t}ModRq><{t}Mod><ListID>80000999-1700000000</ListID><EditSequence>1</EditSequence>"
               f"</{t}Mod></{t}ModRq>", 3120)
    assert rs.get("statusMessage", "").startswith('Object "80000999-1700000000" specified in the request cannot be')
    # a rename onto a name in use in the same name space (the name list is shared by customers, vendors, ...)
    rs = q.one(f"<{t}ModRq><{t}Mod><ListID>{list_id}</ListID><EditSequence>{identity(after)[1]}</EditSequence>"
               f"<Name>{spec.clash}</Name></{t}Mod></{t}ModRq>", 3100)
    assert rs.get("statusMessage") == f'The name "{spec.clash}" of the list element is already in use.'


@with_old_version
@pytest.mark.parametrize("spec", LISTS, ids=LIST_IDS)
def test_query(seeded: Contract, spec: ListSpec) -> None:
    q, t = seeded, spec.name
    ret = query_by_name(q, spec, spec.existing.lower())
    assert full_name(ret) == spec.existing
    # by ListID, two of them, one missing: what was found, and a 500 warning naming the missing one
    rs = q.one(f"<{t}QueryRq><ListID>{identity(ret)[0]}</ListID><ListID>80000999-1700000000</ListID></{t}QueryRq>",
               500)
    assert [r.findtext("ListID") for r in rs] == [identity(ret)[0]]
    assert '("80000999-1700000000")' in rs.get("statusMessage", "")
    # a filter that matches nothing
    rs = q.one(f"<{t}QueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>zzz</Name></NameFilter>"
               f"</{t}QueryRq>", 1)
    assert rs.get("statusMessage") == "A query request did not find a matching object in QuickBooks" and len(rs) == 0
    # everything, then metadata only
    everything = q.one(f"<{t}QueryRq><ActiveStatus>All</ActiveStatus></{t}QueryRq>")
    total = len(everything)
    assert total >= 1 and all(r.tag == f"{t}Ret" for r in everything)
    rs = q.one(f'<{t}QueryRq metaData="MetaDataOnly"><ActiveStatus>All</ActiveStatus></{t}QueryRq>')
    assert rs.get("retCount") == str(total) and len(rs) == 0
    rs = q.one(f'<{t}QueryRq metaData="MetaDataAndResponseData"><MaxReturned>1</MaxReturned></{t}QueryRq>')
    assert rs.get("retCount") == "1" and len(rs) == 1
    # IncludeRetElement limits what each Ret holds
    rs = q.one(f"<{t}QueryRq><FullName>{spec.existing}</FullName><IncludeRetElement>ListID</IncludeRetElement>"
               f"<IncludeRetElement>Name</IncludeRetElement></{t}QueryRq>")
    assert [c.tag for c in rs[0]] == ["ListID", "Name"]
    # modified-date filters: everything was made at START
    q.one(f"<{t}QueryRq><FromModifiedDate>2024-03-01</FromModifiedDate><ToModifiedDate>2024-03-01</ToModifiedDate>"
          f"</{t}QueryRq>")
    q.one(f"<{t}QueryRq><FromModifiedDate>2024-03-02T00:00:00-05:00</FromModifiedDate></{t}QueryRq>", 1)


@pytest.mark.parametrize("spec", [s for s in LISTS if s.iterator], ids=[s.name for s in LISTS if s.iterator])
def test_query_iterator(seeded: Contract, spec: ListSpec) -> None:
    q, t = seeded, spec.name
    for i in range(3):
        body = spec.add.replace(f"<Name>{spec.new_name}</Name>", f"<Name>{spec.new_name} {i}</Name>")
        q.one(f"<{t}AddRq><{t}Add>{body}</{t}Add></{t}AddRq>")
    total = len(q.one(f"<{t}QueryRq/>"))
    rs = q.one(f'<{t}QueryRq iterator="Start"><MaxReturned>2</MaxReturned></{t}QueryRq>')
    iterator_id = rs.get("iteratorID", "")
    assert len(rs) == 2 and rs.get("iteratorRemainingCount") == str(total - 2)
    seen = [r.findtext("ListID") for r in rs]
    while rs.get("iteratorRemainingCount") != "0":
        rs = q.one(f'<{t}QueryRq iterator="Continue" iteratorID="{iterator_id}"><MaxReturned>2</MaxReturned>'
                   f"</{t}QueryRq>")
        assert rs.get("iteratorID") == iterator_id
        seen += [r.findtext("ListID") for r in rs]
    assert len(seen) == len(set(seen)) == total
    # the iterator is gone once it has been read to its end
    rs = q.one(f'<{t}QueryRq iterator="Continue" iteratorID="{iterator_id}"></{t}QueryRq>', 3000)
    # Stop ends an iterator early
    rs = q.one(f'<{t}QueryRq iterator="Start"><MaxReturned>1</MaxReturned></{t}QueryRq>')
    stop = q.one(f'<{t}QueryRq iterator="Stop" iteratorID="{rs.get("iteratorID")}"></{t}QueryRq>')
    assert stop.get("iteratorRemainingCount") == "0" and len(stop) == 0


@pytest.mark.parametrize("spec", LISTS, ids=LIST_IDS)
def test_list_del(seeded: Contract, spec: ListSpec) -> None:
    q, t = seeded, spec.name
    ret = q.ret(f"<{t}AddRq><{t}Add>{spec.add}</{t}Add></{t}AddRq>")
    list_id, name = ret.findtext("ListID"), full_name(ret)
    q.send("<DataExtDefAddRq><DataExtDefAdd><OwnerID>0</OwnerID><DataExtName>Tag</DataExtName>"
           "<DataExtType>STR255TYPE</DataExtType><AssignToObject>Customer</AssignToObject></DataExtDefAdd>"
           "</DataExtDefAddRq>")
    rs = q.one(f"<ListDelRq><ListDelType>{spec.del_type}</ListDelType><ListID>{list_id}</ListID></ListDelRq>")
    assert [c.tag for c in rs] == ["ListDelType", "ListID", "TimeDeleted", "FullName"]
    assert rs.findtext("ListID") == list_id and rs.findtext("FullName") == name
    q.one(f"<{t}QueryRq><ListID>{list_id}</ListID></{t}QueryRq>", 500)
    q.one(f"<ListDelRq><ListDelType>{spec.del_type}</ListDelType><ListID>{list_id}</ListID></ListDelRq>", 3120)
    rs = q.one(f"<ListDeletedQueryRq><ListDelType>{spec.del_type}</ListDelType></ListDeletedQueryRq>")
    assert [(r.findtext("ListID"), r.findtext("FullName")) for r in rs] == [(list_id, name)]
    assert rs[0].findtext("TimeDeleted") == "2024-03-01T09:30:00-05:00"
    # an object with sub-elements (or in use) cannot be deleted
    parent = {"Account": "Sales", "Class": "Retail", "Customer": "Jones", "ItemService": "Consulting",
              "Vendor": "Acme Supply"}.get(t)
    if parent is not None:
        row = query_by_name(q, spec, parent)
        q.one(f"<ListDelRq><ListDelType>{spec.del_type}</ListDelType><ListID>{row.findtext('ListID')}</ListID>"
              "</ListDelRq>", 3170)


@with_old_version
# -- company, items, deleted objects, data extensions -----------------------------------------------------------------

def test_host_company_preferences(qb: Contract) -> None:
    rs = qb.send("<HostQueryRq/><CompanyQueryRq/><PreferencesQueryRq/>")
    assert [r.get("statusCode") for r in rs] == ["0", "0", "0"]
    host, company, prefs = (r[0] for r in rs)
    assert host.tag == "HostRet" and "13.0" in [e.text for e in host.findall("SupportedQBXMLVersion")]
    assert company.findtext("CompanyName") == "Fake Company"
    assert prefs.findtext("AccountingPreferences/IsUsingClassTracking") == "true"
    rs = qb.one('<HostQueryRq requestID="h"><IncludeListMetaData><IncludeMaxCapacity>true</IncludeMaxCapacity>'
                "</IncludeListMetaData></HostQueryRq>")
    assert rs.get("requestID") == "h" and rs.findtext("HostRet/ListMetaData/AccountMetaData/MaxCapacity")
    rs = qb.one("<CompanyQueryRq><IncludeRetElement>CompanyName</IncludeRetElement></CompanyQueryRq>")
    assert [c.tag for c in rs[0]] == ["CompanyName"]
    rs = qb.one("<PreferencesQueryRq><IncludeRetElement>AccountingPreferences</IncludeRetElement>"
                "</PreferencesQueryRq>")
    assert [c.tag for c in rs[0]] == ["AccountingPreferences"]

@with_old_version

def test_item_query(seeded: Contract) -> None:
    rs = seeded.one("<ItemQueryRq/>")
    assert [(r.tag, full_name(r)) for r in rs] == [
        ("ItemInventoryRet", "Beans"), ("ItemPaymentRet", "Card Payment"), ("ItemSalesTaxGroupRet", "City Tax"),
        ("ItemGroupRet", "Coffee Kit"), ("ItemServiceRet", "Consulting"), ("ItemServiceRet", "Consulting:Remote"),
        ("ItemSalesTaxRet", "County Tax"), ("ItemOtherChargeRet", "Freight"),
        ("ItemInventoryAssemblyRet", "Gift Box"), ("ItemDiscountRet", "Loyalty"), ("ItemSalesTaxRet", "State Tax"),
        ("ItemSubtotalRet", "Subtotal"), ("ItemNonInventoryRet", "Widget")]
    rs = seeded.one("<ItemQueryRq><FullName>widget</FullName><FullName>beans</FullName><FullName>gift box</FullName>"
                    "</ItemQueryRq>")
    assert [r.tag for r in rs] == ["ItemNonInventoryRet", "ItemInventoryRet", "ItemInventoryAssemblyRet"]
    seeded.one("<ItemQueryRq><FullName>Nothing</FullName></ItemQueryRq>", 500)
    rs = seeded.one('<ItemQueryRq iterator="Start"><MaxReturned>10</MaxReturned></ItemQueryRq>')
    assert len(rs) == 10 and rs.get("iteratorRemainingCount") == "3"
    rs = seeded.one(f'<ItemQueryRq iterator="Continue" iteratorID="{rs.get("iteratorID")}"><MaxReturned>10'
                    "</MaxReturned></ItemQueryRq>")
    assert len(rs) == 3 and rs.get("iteratorRemainingCount") == "0"
    seeded.one('<ItemQueryRq metaData="MetaDataOnly"><NameFilter><MatchCriterion>Contains</MatchCriterion>'
               "<Name>qqq</Name></NameFilter></ItemQueryRq>", 1)

@with_old_version

def test_list_deleted_query(seeded: Contract) -> None:
    seeded.one("<ListDeletedQueryRq><ListDelType>Customer</ListDelType><ListDelType>Vendor</ListDelType>"
               "</ListDeletedQueryRq>", 1)
    ids = {}
    for t in ("Customer", "Vendor", "Class"):
        ret = seeded.ret(f"<{t}AddRq><{t}Add><Name>Temp {t}</Name></{t}Add></{t}AddRq>")
        ids[t] = ret.findtext("ListID")
        seeded.one(f"<ListDelRq><ListDelType>{t}</ListDelType><ListID>{ids[t]}</ListID></ListDelRq>")
    rs = seeded.one('<ListDeletedQueryRq requestID="d"><ListDelType>Customer</ListDelType><ListDelType>Vendor'
                    "</ListDelType><DeletedDateRangeFilter><FromDeletedDate>2024-03-01</FromDeletedDate>"
                    "<ToDeletedDate>2024-03-01</ToDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>")
    assert sorted(r.findtext("ListID") for r in rs) == sorted([ids["Customer"], ids["Vendor"]])
    assert {r.findtext("ListDelType") for r in rs} == {"Customer", "Vendor"}
    seeded.one("<ListDeletedQueryRq><ListDelType>Class</ListDelType><DeletedDateRangeFilter>"
               "<FromDeletedDate>2024-03-02</FromDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>", 1)
    rs = seeded.one('<ListDeletedQueryRq metaData="MetaDataOnly"><ListDelType>Class</ListDelType>'
                    "</ListDeletedQueryRq>")
    assert rs.get("retCount") == "1" and len(rs) == 0
    rs = seeded.one("<ListDeletedQueryRq><ListDelType>Class</ListDelType><IncludeRetElement>ListID"
                    "</IncludeRetElement></ListDeletedQueryRq>")
    assert [c.tag for c in rs[0]] == ["ListID"] and rs[0].text.strip() == "" and rs.findtext("*/ListID") == ids["Class"]


def _def_add(name: str, owner: str = OWNER, kind: str = "STR255TYPE", *objects: str) -> str:
    assigned = "".join(f"<AssignToObject>{o}</AssignToObject>" for o in objects or ("Customer", "Item"))
    return (f"<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner}</OwnerID><DataExtName>{name}</DataExtName>"
            f"<DataExtType>{kind}</DataExtType>{assigned}</DataExtDefAdd></DataExtDefAddRq>")


def _ext(op: str, name: str, list_type: str, full_name: str, value: str | None, owner: str = OWNER) -> str:
    value_el = f"<DataExtValue>{value}</DataExtValue>" if value is not None else ""
    return (f"<DataExt{op}Rq><DataExt{op}><OwnerID>{owner}</OwnerID><DataExtName>{name}</DataExtName>"
            f"<ListDataExtType>{list_type}</ListDataExtType><ListObjRef><FullName>{full_name}</FullName></ListObjRef>"
            f"{value_el}</DataExt{op}></DataExt{op}Rq>")

@with_old_version

def test_data_ext_defs(qb: Contract) -> None:
    qb.one("<DataExtDefQueryRq/>", 1)
    ret = qb.ret(_def_add("Region", OWNER.lower()))
    assert ret.findtext("OwnerID") == OWNER and ret.findtext("DataExtID") == "1"
    assert ret.findtext("DataExtType") == "STR255TYPE"
    assert [e.text for e in ret.findall("AssignToObject")] == ["Customer", "Item"]
    qb.one(_def_add("region"), 3100)
    qb.ret(_def_add("Score", "0", "INTTYPE", "Vendor"))
    rs = qb.one(f"<DataExtDefQueryRq><OwnerID>{OWNER}</OwnerID></DataExtDefQueryRq>")
    assert [r.findtext("DataExtName") for r in rs] == ["Region"]
    rs = qb.one("<DataExtDefQueryRq><AssignToObject>Vendor</AssignToObject></DataExtDefQueryRq>")
    assert [r.findtext("DataExtName") for r in rs] == ["Score"]
    rs = qb.one("<DataExtDefQueryRq><IncludeRetElement>DataExtName</IncludeRetElement></DataExtDefQueryRq>")
    assert [[c.tag for c in r] for r in rs] == [["DataExtID", "DataExtName", "DataExtListRequire", "DataExtTxnRequire",
                                                 "DataExtFormatString"]] * 2  # the schema requires the others
    rs = qb.one('<DataExtDefQueryRq metaData="MetaDataAndResponseData"></DataExtDefQueryRq>')
    assert rs.get("retCount") == "2" and len(rs) == 2
    ret = qb.ret(f"<DataExtDefModRq><DataExtDefMod><OwnerID>{OWNER}</OwnerID><DataExtName>Region</DataExtName>"
                 "<DataExtNewName>Territory</DataExtNewName><AssignToObject>Vendor</AssignToObject>"
                 "<RemoveFromObject>Item</RemoveFromObject><DataExtListRequire>true</DataExtListRequire>"
                 "</DataExtDefMod></DataExtDefModRq>")
    assert ret.findtext("DataExtName") == "Territory" and ret.findtext("DataExtListRequire") == "true"
    assert [e.text for e in ret.findall("AssignToObject")] == ["Customer", "Vendor"]
    qb.one(f"<DataExtDefModRq><DataExtDefMod><OwnerID>{OWNER}</OwnerID><DataExtName>Region</DataExtName>"
           "</DataExtDefMod></DataExtDefModRq>", 3120)
    rs = qb.one(f"<DataExtDefDelRq><OwnerID>{OWNER}</OwnerID><DataExtName>territory</DataExtName></DataExtDefDelRq>")
    assert rs.findtext("DataExtDefDelRet/DataExtName") == "Territory"
    assert rs.findtext("DataExtDefDelRet/TimeDeleted") == "2024-03-01T09:30:00-05:00"
    qb.one(f"<DataExtDefDelRq><OwnerID>{OWNER}</OwnerID><DataExtName>Territory</DataExtName></DataExtDefDelRq>", 3120)
    qb.one(f"<DataExtDefQueryRq><OwnerID>{OWNER}</OwnerID></DataExtDefQueryRq>", 1)

@with_old_version

def test_data_ext_values(seeded: Contract) -> None:
    q = seeded
    q.send(_def_add("Region") + _def_add("Rating", "0", "INTTYPE", "Vendor", "Customer"))
    ret = q.ret(_ext("Add", "Region", "Customer", "Jones", "North"))
    assert ret.tag == "DataExtRet" and [c.tag for c in ret] == ["OwnerID", "DataExtName", "DataExtType",
                                                                "DataExtValue"]
    q.one(_ext("Add", "Region", "Customer", "Jones", "South"), 3100)
    q.one(_ext("Add", "Rating", "Vendor", "Acme Supply", "5", "0"))
    q.one(_ext("Add", "Rating", "Customer", "Jones", "five", "0"), 3210)
    q.one(_ext("Add", "Region", "Item", "Beans", "x" * 256), 3070, too_long=False)  # the XSD has no limit here
    q.one(_ext("Add", "Region", "Item", "Beans", "West"))
    q.one(_ext("Add", "Region", "Vendor", "Acme Supply", "East"), 3210)
    q.one(_ext("Add", "Nope", "Customer", "Jones", "x"), 3120)
    q.one(_ext("Add", "Region", "Customer", "Nobody", "x"), 3120)
    ret = q.ret(_ext("Mod", "Region", "Customer", "Jones", "North-East"))
    assert ret.findtext("DataExtValue") == "North-East"
    q.one(_ext("Mod", "Region", "Customer", "Jones:Kitchen", "x"), 3120)
    # OwnerID on a query returns the values of that owner, as DataExtRet at the end of the Ret
    ret = q.ret(f"<CustomerQueryRq><FullName>Jones</FullName><OwnerID>{OWNER.lower()}</OwnerID>"
                "<OwnerID>0</OwnerID></CustomerQueryRq>")
    ext = ret.findall("DataExtRet")
    assert [(e.findtext("OwnerID"), e.findtext("DataExtName"), e.findtext("DataExtValue")) for e in ext] == [
        (OWNER, "Region", "North-East")]
    assert ret[-1].tag == "DataExtRet"
    ret = q.ret("<VendorQueryRq><FullName>Acme Supply</FullName><OwnerID>0</OwnerID></VendorQueryRq>")
    assert ret.findtext("DataExtRet/DataExtValue") == "5" and ret.findtext("DataExtRet/DataExtType") == "INTTYPE"
    rs = q.one(f"<ItemQueryRq><FullName>Beans</FullName><OwnerID>{OWNER}</OwnerID></ItemQueryRq>")
    assert rs.findtext("ItemInventoryRet/DataExtRet/DataExtValue") == "West"
    assert q.ret("<CustomerQueryRq><FullName>Jones</FullName></CustomerQueryRq>").find("DataExtRet") is None
    rs = q.one(_ext("Del", "Region", "Customer", "Jones", None))
    assert rs.findtext("DataExtDelRet/ListObjRef/ListID") and rs.findtext("DataExtDelRet/ListDataExtType") == "Customer"
    q.one(_ext("Del", "Region", "Customer", "Jones", None), 3120)


# -- what a new company holds: QuickBooks' default lists --------------------------------------------------------------

#: The requests of the lists a new company already has (`fakeqb.company.defaults`).
DEFAULT_LIST_REQUESTS = {
    "StandardTermsAddRq", "StandardTermsQueryRq", "DateDrivenTermsAddRq", "DateDrivenTermsQueryRq", "TermsQueryRq",
    "SalesTaxCodeAddRq", "SalesTaxCodeModRq", "SalesTaxCodeQueryRq", "TemplateQueryRq", "CustomerMsgAddRq",
    "CustomerMsgQueryRq", "PaymentMethodAddRq", "PaymentMethodQueryRq"}


def names(rs: etree._Element) -> list[str]:
    return [r.findtext("Name") or "" for r in rs]


@with_old_version
def test_a_new_company_has_quickbooks_default_lists(qb: Contract) -> None:
    """A new company answers with QuickBooks' default terms, sales tax codes, templates, customer messages and payment
    methods, each list's ListIDs counted from 80000001 with the company's creation time."""
    created = "1709303400"  # START, when the company was created
    rs = qb.one("<TermsQueryRq/>")
    assert names(rs) == ["1% 10 Net 30", "2% 10 Net 30", "Due on receipt", "Net 15", "Net 30", "Net 60"]
    assert {r.tag for r in rs} == {"StandardTermsRet"}
    net30 = rs[4]
    assert (net30.findtext("ListID"), net30.findtext("StdDueDays"), net30.findtext("IsActive")) == (
        f"80000005-{created}", "30", "true")
    assert (rs[0].findtext("StdDiscountDays"), rs[0].findtext("DiscountPct")) == ("10", "1")
    assert names(qb.one("<StandardTermsQueryRq><MaxReturned>2</MaxReturned></StandardTermsQueryRq>")) == [
        "1% 10 Net 30", "2% 10 Net 30"]
    qb.one("<DateDrivenTermsQueryRq/>", 1)  # a new company has none
    codes = {r.findtext("Name"): (r.findtext("IsTaxable"), r.findtext("Desc"))
             for r in qb.one("<SalesTaxCodeQueryRq/>")}
    assert codes == {"Tax": ("true", "Taxable Sales"), "Non": ("false", "Non-Taxable Sales")}
    templates = {r.findtext("Name"): (r.findtext("ListID"), r.findtext("TemplateType"))
                 for r in qb.one("<TemplateQueryRq/>")}
    assert templates["Intuit Product Invoice"] == (f"80000001-{created}", "Invoice")
    assert {kind for _, kind in templates.values()} == {"Invoice", "CreditMemo", "SalesReceipt", "Estimate",
                                                        "SalesOrder", "PurchaseOrder"}
    assert "Thank you for your business." in names(qb.one("<CustomerMsgQueryRq/>"))
    methods = {r.findtext("Name"): r.findtext("PaymentMethodType") for r in qb.one("<PaymentMethodQueryRq/>")}
    assert len(methods) == 11 and methods["Visa"] == "Visa" and methods["E-Check"] == "ECheck"
    assert qb.ret("<PaymentMethodQueryRq><FullName>Cash</FullName></PaymentMethodQueryRq>").findtext(
        "ListID") == f"80000001-{created}"
    # the lists the seed checks for emptiness stay empty
    for empty in ("Account", "Customer", "Vendor", "Item"):
        qb.one(f"<{empty}QueryRq/>", 1)


@with_old_version
def test_default_list_adds_mods_and_deletes(seeded: Contract) -> None:
    q = seeded
    ret = q.ret("<StandardTermsAddRq><StandardTermsAdd><Name>Net 45</Name><StdDueDays>45</StdDueDays>"
                "<StdDiscountDays>15</StdDiscountDays><DiscountPct>1.5</DiscountPct></StandardTermsAdd>"
                "</StandardTermsAddRq>")
    assert (ret.findtext("Name"), ret.findtext("StdDueDays"), ret.findtext("DiscountPct")) == ("Net 45", "45", "1.5")
    ret = q.ret("<DateDrivenTermsAddRq><DateDrivenTermsAdd><Name>Net 10th</Name><DayOfMonthDue>10</DayOfMonthDue>"
                "<DueNextMonthDays>5</DueNextMonthDays></DateDrivenTermsAdd></DateDrivenTermsAddRq>")
    assert ret.tag == "DateDrivenTermsRet" and ret.findtext("DayOfMonthDue") == "10"
    assert names(q.one("<TermsQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Net</Name>"
                       "</NameFilter></TermsQueryRq>")) == ["Net 10th", "Net 15", "Net 30", "Net 45", "Net 60"]
    # terms share one name space: a date-driven "Net 30" is a duplicate
    rs = q.one("<DateDrivenTermsAddRq><DateDrivenTermsAdd><Name>Net 30</Name><DayOfMonthDue>1</DayOfMonthDue>"
               "</DateDrivenTermsAdd></DateDrivenTermsAddRq>", 3100)
    assert rs.get("statusMessage") == 'The name "Net 30" of the list element is already in use.'
    code = q.ret("<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Out</Name><IsTaxable>false</IsTaxable>"
                 "<Desc>Out of state</Desc></SalesTaxCodeAdd></SalesTaxCodeAddRq>")
    code = q.ret(f"<SalesTaxCodeModRq><SalesTaxCodeMod><ListID>{code.findtext('ListID')}</ListID><EditSequence>"
                 f"{code.findtext('EditSequence')}</EditSequence><Desc>Out-of-state sales</Desc></SalesTaxCodeMod>"
                 "</SalesTaxCodeModRq>")
    assert (code.findtext("Name"), code.findtext("IsTaxable"), code.findtext("Desc")) == (
        "Out", "false", "Out-of-state sales")
    q.one("<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Taxed</Name><IsTaxable>true</IsTaxable></SalesTaxCodeAdd>"
          "</SalesTaxCodeAddRq>", 3070)
    msg = q.ret("<CustomerMsgAddRq><CustomerMsgAdd><Name>See you soon!</Name></CustomerMsgAdd></CustomerMsgAddRq>")
    method = q.ret("<PaymentMethodAddRq><PaymentMethodAdd><Name>Venmo</Name><PaymentMethodType>Other"
                   "</PaymentMethodType></PaymentMethodAdd></PaymentMethodAddRq>")
    assert (msg.findtext("Name"), method.findtext("Name")) == ("See you soon!", "Venmo")
    q.one("<PaymentMethodAddRq><PaymentMethodAdd><Name>Visa</Name></PaymentMethodAdd></PaymentMethodAddRq>", 3100)
    # references to them work; one that names nothing is 3140
    customer = q.ret(f"<CustomerAddRq><CustomerAdd><Name>Termed</Name>{ref('TermsRef', 'Net 10th')}"
                     f"{ref('SalesTaxCodeRef', 'Non')}</CustomerAdd></CustomerAddRq>")
    assert (customer.findtext("TermsRef/FullName"), customer.findtext("SalesTaxCodeRef/FullName")) == (
        "Net 10th", "Non")
    rs = q.one(f"<VendorAddRq><VendorAdd><Name>Untermed</Name>{ref('TermsRef', 'Net 99')}</VendorAdd></VendorAddRq>",
               3140)
    assert 'QuickBooks Terms "Net 99" in the Vendor.' in rs.get("statusMessage", "")
    # ListDel: what nothing uses; the default tax codes are in use by the company's preferences
    rs = q.one(f"<ListDelRq><ListDelType>CustomerMsg</ListDelType><ListID>{msg.findtext('ListID')}</ListID>"
               "</ListDelRq>")
    assert rs.findtext("FullName") == "See you soon!"
    q.one(f"<ListDelRq><ListDelType>PaymentMethod</ListDelType><ListID>{method.findtext('ListID')}</ListID>"
          "</ListDelRq>")
    net10 = q.ret("<TermsQueryRq><FullName>Net 10th</FullName></TermsQueryRq>").findtext("ListID")
    rs = q.one(f"<ListDelRq><ListDelType>DateDrivenTerms</ListDelType><ListID>{net10}</ListID></ListDelRq>", 3170)
    tax = q.ret("<SalesTaxCodeQueryRq><FullName>Tax</FullName></SalesTaxCodeQueryRq>").findtext("ListID")
    q.one(f"<ListDelRq><ListDelType>SalesTaxCode</ListDelType><ListID>{tax}</ListID></ListDelRq>", 3170)
    rs = q.one("<ListDeletedQueryRq><ListDelType>CustomerMsg</ListDelType><ListDelType>PaymentMethod</ListDelType>"
               "</ListDeletedQueryRq>")
    assert sorted(r.findtext("FullName") or "" for r in rs) == ["See you soon!", "Venmo"]


@with_old_version
def test_forms_carry_template_terms_and_ship_date(seeded: Contract) -> None:
    """An invoice or credit memo always has a template (the form's default when none is sent) and a ship date (its
    date when none is sent); terms give the due date, the customer's terms when the form names none."""
    q = seeded
    ret = invoice_add(q, sales_line("Widget"), f"{ref('TermsRef', 'Net 15')}"
                                              f"{ref('CustomerMsgRef', 'Thank you for your business.')}")
    assert (ret.findtext("TemplateRef/FullName"), ret.findtext("ShipDate"), ret.findtext("DueDate")) == (
        "Intuit Product Invoice", "2024-02-20", "2024-03-06")
    assert ret.findtext("CustomerMsgRef/FullName") == "Thank you for your business."
    ret = q.ret(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}"
                f"{ref('TemplateRef', 'Intuit Service Invoice')}<TxnDate>2024-02-11</TxnDate>"
                f"<ShipDate>2024-02-12</ShipDate>{sales_line('Widget')}</InvoiceAdd></InvoiceAddRq>")
    assert (ret.findtext("TemplateRef/FullName"), ret.findtext("ShipDate")) == ("Intuit Service Invoice", "2024-02-12")
    memo = q.ret(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Jones')}<TxnDate>2024-02-26</TxnDate>"
                 f"{sales_line('Widget', tag='CreditMemoLineAdd')}</CreditMemoAdd></CreditMemoAddRq>")
    assert (memo.findtext("TemplateRef/FullName"), memo.findtext("ShipDate")) == ("Custom Credit Memo", "2024-02-26")
    q.ret(f"<CustomerAddRq><CustomerAdd><Name>Monthly</Name>{ref('TermsRef', 'Net 30')}</CustomerAdd>"
          "</CustomerAddRq>")
    ret = invoice_add(q, sales_line("Widget"), customer="Monthly")
    assert (ret.findtext("TermsRef/FullName"), ret.findtext("DueDate")) == ("Net 30", "2024-03-21")
    bill = bill_add(q, expense("Supplies", "5.00"), f"{ref('TermsRef', 'Net 60')}")
    assert bill.findtext("DueDate") == "2024-04-20"
    payment = receive_payment(q, f"<TotalAmount>1.00</TotalAmount>{ref('PaymentMethodRef', 'Check')}"
                                 "<IsAutoApply>false</IsAutoApply>")[0][0]
    assert payment.findtext("PaymentMethodRef/FullName") == "Check"
    q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}{ref('TemplateRef', 'No Such Form')}"
          f"{sales_line('Widget')}</InvoiceAdd></InvoiceAddRq>", 3140)


@with_old_version
def test_opening_balances_are_transactions(seeded: Contract) -> None:
    """An opening balance is QuickBooks' own invoice (a customer's) or bill (a vendor's), against Opening Balance
    Equity: no lines, memo "Opening balance", no RefNumber, dated the OpenBalanceDate."""
    q = seeded
    invoice = q.ret("<InvoiceQueryRq><EntityFilter><FullName>Jones</FullName></EntityFilter>"
                    "<IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>")
    assert (invoice.findtext("Memo"), invoice.findtext("RefNumber"), invoice.findtext("TxnDate"),
            invoice.findtext("Subtotal"), invoice.findtext("BalanceRemaining"), invoice.find("InvoiceLineRet")) == (
        "Opening balance", None, "2024-01-01", "300.00", "300.00", None)
    assert invoice.findtext("TemplateRef/FullName") == "Intuit Product Invoice"
    bill = q.ret("<BillQueryRq><EntityFilter><FullName>Acme Supply</FullName></EntityFilter></BillQueryRq>")
    assert (bill.findtext("Memo"), bill.findtext("AmountDue"), bill.findtext("TxnDate")) == (
        "Opening balance", "120.50", "2024-01-01")
    equity = q.ret("<AccountQueryRq><FullName>Opening Balance Equity</FullName></AccountQueryRq>")
    assert (equity.findtext("AccountType"), equity.findtext("SpecialAccountType"), equity.findtext("Balance")) == (
        "Equity", "OpeningBalanceEquity", "179.50")  # 300.00 owed by Jones less 120.50 owed to Acme Supply
    assert (balance(q, "Account", "Accounts Receivable"), balance(q, "Account", "Accounts Payable")) == (
        "300.00", "120.50")
    # paid as any invoice is; a header change keeps its amount
    receive_payment(q, applied_to(invoice.findtext("TxnID") or "", "100.00"))
    assert customer_balances(q, "Jones") == ("200.00", "200.00")
    invoice = q.ret(f"<InvoiceQueryRq><TxnID>{invoice.findtext('TxnID')}</TxnID></InvoiceQueryRq>")
    ret = q.ret(f"<InvoiceModRq><InvoiceMod><TxnID>{invoice.findtext('TxnID')}</TxnID><EditSequence>"
                f"{invoice.findtext('EditSequence')}</EditSequence><Memo>Opening balance, 2023</Memo></InvoiceMod>"
                "</InvoiceModRq>")
    assert (ret.findtext("Subtotal"), ret.findtext("BalanceRemaining")) == ("300.00", "200.00")
    # a negative opening balance is a credit; a job's is the job's
    q.ret(f"<CustomerAddRq><CustomerAdd><Name>Deck</Name>{ref('ParentRef', 'Jones')}<OpenBalance>-25.00</OpenBalance>"
          "<OpenBalanceDate>2024-02-01</OpenBalanceDate></CustomerAdd></CustomerAddRq>")
    memo = q.ret("<CreditMemoQueryRq><EntityFilter><FullName>Jones:Deck</FullName></EntityFilter></CreditMemoQueryRq>")
    assert (memo.findtext("Memo"), memo.findtext("CreditRemaining")) == ("Opening balance", "25.00")
    assert customer_balances(q, "Jones:Deck") == ("-25.00", "-25.00")
    q.ret("<VendorAddRq><VendorAdd><Name>Owed Us</Name><OpenBalance>-10.00</OpenBalance></VendorAdd></VendorAddRq>")
    credit = q.ret("<VendorCreditQueryRq><EntityFilter><FullName>Owed Us</FullName></EntityFilter>"
                   "</VendorCreditQueryRq>")
    assert (credit.findtext("CreditAmount"), credit.findtext("TxnDate")) == ("10.00", "2024-03-01")
    assert balance(q, "Vendor", "Owed Us") == "-10.00"


# -- message-set behaviour --------------------------------------------------------------------------------------------

@with_old_version
@pytest.mark.parametrize("body", [
    "<ChargeQueryRq><MaxReturned>5</MaxReturned></ChargeQueryRq>",
    "<InventoryAdjustmentQueryRq><MaxReturned>5</MaxReturned></InventoryAdjustmentQueryRq>",
    "<VehicleQueryRq></VehicleQueryRq>",
], ids=["ChargeQuery", "InventoryAdjustmentQuery", "VehicleQuery"])
def test_known_but_not_simulated(seeded: Contract, body: str) -> None:
    rs = seeded.one(body.replace(">", ' requestID="x">', 1), 3250)
    assert rs.get("requestID") == "x"
    assert rs.get("statusMessage") == "This feature is not enabled or not available in this version of QuickBooks."

@with_old_version

def test_on_error(seeded: Contract) -> None:
    bad = "<VendorAddRq><VendorAdd><Name>Acme Supply</Name></VendorAdd></VendorAddRq>"
    good = "<VendorAddRq><VendorAdd><Name>Zed</Name></VendorAdd></VendorAddRq>"
    rs = seeded.send(bad + good, on_error="stopOnError")
    assert [r.get("statusCode") for r in rs] == ["3100", "3231"]  # each request after the error: not processed
    assert rs[1].get("statusMessage") == "The request has not been processed." and len(rs[1]) == 0
    seeded.one("<VendorQueryRq><FullName>Zed</FullName></VendorQueryRq>", 500)
    rs = seeded.send(bad + good + "<VehicleQueryRq/>", on_error="continueOnError")
    assert [r.get("statusCode") for r in rs] == ["3100", "0", "3250"]
    seeded.one("<VendorQueryRq><FullName>Zed</FullName></VendorQueryRq>")


@with_old_version
def test_elements_quickbooks_always_writes(seeded: Contract) -> None:
    """What captured responses always carry, set or not: a vendor's 1099 flag, a customer's job status and delivery
    method (from qbXML 12.0), every account's cash flow classification."""
    vendor = seeded.ret("<VendorAddRq><VendorAdd><Name>Plain Vendor</Name></VendorAdd></VendorAddRq>")
    assert vendor.findtext("IsVendorEligibleFor1099") == "false"
    customer = seeded.ret("<CustomerAddRq><CustomerAdd><Name>Plain Customer</Name></CustomerAdd></CustomerAddRq>")
    assert (customer.findtext("JobStatus"), customer.findtext("PreferredDeliveryMethod")) == ("None", "None")
    flows = {a.findtext("Name"): a.findtext("CashFlowClassification") for a in seeded.one("<AccountQueryRq/>")}
    assert flows["Checking"] == "NotApplicable" and flows["Inventory Asset"] == "Operating"
    assert flows["Accounts Receivable"] == "Operating" and None not in flows.values()


def test_every_simulated_request_is_covered() -> None:
    """The cases above exercise every request type fakeqb simulates (update this file with HANDLERS)."""
    import fakeqb.company.handlers  # noqa: F401

    txn_types = ("Bill", "VendorCredit", "BillPaymentCheck", "Check", "Transfer", "JournalEntry", "Invoice",
                 "CreditMemo", "ReceivePayment", "SalesReceipt", "Estimate", "SalesOrder", "PurchaseOrder",
                 "ItemReceipt", "Deposit", "CreditCardCharge", "CreditCardCredit")  # with Add, Mod and Query
    covered = {f"{spec.name}{op}Rq" for spec in LISTS for op in ("Add", "Mod", "Query")} | {
        "HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq", "ItemQueryRq", "ListDelRq", "ListDeletedQueryRq",
        "DataExtDefAddRq", "DataExtDefModRq", "DataExtDefDelRq", "DataExtDefQueryRq", "DataExtAddRq", "DataExtModRq",
        "DataExtDelRq"} | {f"{t}{op}Rq" for t in txn_types for op in ("Add", "Mod", "Query")} | {
        "BillPaymentCreditCardAddRq", "BillPaymentCreditCardQueryRq", "TxnDelRq", "TxnVoidRq", "TxnDeletedQueryRq",
        "TransactionQueryRq", "GeneralSummaryReportQueryRq", "AgingReportQueryRq"}
    add_query = ("CustomerType", "VendorType", "JobType", "ShipMethod")
    more_lists = {f"{t}{op}Rq" for t in add_query for op in ("Add", "Query")} | {
        "SalesRepAddRq", "SalesRepModRq", "SalesRepQueryRq", "ItemSitesQueryRq"}
    assert set(HANDLERS) == covered | DEFAULT_LIST_REQUESTS | more_lists


# -- transactions: the payables side, transfers, journal entries ---------------------------------------------------

def expense(account: str, amount: str, extra: str = "") -> str:
    return f"<ExpenseLineAdd>{ref('AccountRef', account)}<Amount>{amount}</Amount>{extra}</ExpenseLineAdd>"


def bill_add(q: Contract, lines: str, extra: str = "", vendor: str = "Acme Supply") -> etree._Element:
    return q.ret(f"<BillAddRq><BillAdd>{ref('VendorRef', vendor)}<TxnDate>2024-02-20</TxnDate>{extra}{lines}"
                 "</BillAdd></BillAddRq>")


def txn(ret: etree._Element) -> tuple[str, str]:
    return ret.findtext("TxnID") or "", ret.findtext("EditSequence") or ""


def check_payment(q: Contract, bill_id: str, amount: str, extra: str = "", number: str = "1001") -> list[Any]:
    return q.send(f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', 'Acme Supply')}"
                  f"<TxnDate>2024-03-01</TxnDate>{ref('BankAccountRef', 'Checking')}<RefNumber>{number}</RefNumber>"
                  f"<AppliedToTxnAdd><TxnID>{bill_id}</TxnID><PaymentAmount>{amount}</PaymentAmount>{extra}"
                  "</AppliedToTxnAdd></BillPaymentCheckAdd></BillPaymentCheckAddRq>")


def balance(q: Contract, kind: str, name: str) -> str:
    return q.ret(f"<{kind}QueryRq><FullName>{name}</FullName></{kind}QueryRq>").findtext("Balance") or ""


@with_old_version
def test_bill(seeded: Contract) -> None:
    q = seeded
    ret = bill_add(q, expense("Supplies", "100.00", "<Memo>Paper</Memo>" + ref("CustomerRef", "Jones:Kitchen")
                              + "<BillableStatus>Billable</BillableStatus>")
                   + f"<ItemLineAdd>{ref('ItemRef', 'Widget')}<Quantity>2</Quantity></ItemLineAdd>",
                   "<RefNumber>INV-77</RefNumber><Memo>February supplies</Memo>")
    bill_id, sequence = txn(ret)
    # TxnNumber 3: the seeded vendor's and customer's opening balances are transactions 1 and 2
    assert ret.tag == "BillRet" and ret.findtext("TxnNumber") == "3" and ret.findtext("RefNumber") == "INV-77"
    assert ret.findtext("APAccountRef/FullName") == "Accounts Payable" and ret.findtext("DueDate") == "2024-03-01"
    assert ret.findtext("VendorAddress/Addr1") == (None if q.version == OLD else "Acme Supply Co")  # new in 13.0
    assert (ret.findtext("AmountDue"), ret.findtext("OpenAmount"), ret.findtext("IsPaid")) == ("114.50", "114.50",
                                                                                               "false")
    item = ret.find("ItemLineRet")
    assert (item.findtext("Desc"), item.findtext("Quantity"), item.findtext("Cost"), item.findtext("Amount")) == (
        None, "2", "7.25", "14.50")
    line_ids = [e.text for e in ret.iter("TxnLineID")]
    assert len(set(line_ids)) == 2 and all(i.endswith(bill_id.split("-")[1]) for i in line_ids)
    assert ret.findtext("ExpenseLineRet/CustomerRef/FullName") == "Jones:Kitchen"
    assert balance(q, "Vendor", "Acme Supply") == "235.00" and balance(q, "Account", "Accounts Payable") == "235.00"
    # a query leaves the lines out unless asked
    again = q.ret(f"<BillQueryRq><TxnID>{bill_id}</TxnID></BillQueryRq>")
    assert again.find("ExpenseLineRet") is None and again.findtext("OpenAmount") == "114.50"
    full = q.ret(f"<BillQueryRq><TxnID>{bill_id}</TxnID><IncludeLineItems>true</IncludeLineItems></BillQueryRq>")
    assert etree.tostring(full) == etree.tostring(ret)
    # Mod: one line changed, one added (TxnLineID -1), the item line dropped (not named)
    expense_id = ret.findtext("ExpenseLineRet/TxnLineID")
    ret = q.ret(f"<BillModRq><BillMod><TxnID>{bill_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                f"<Memo>Corrected</Memo><ExpenseLineMod><TxnLineID>{expense_id}</TxnLineID><Amount>90.00</Amount>"
                f"</ExpenseLineMod><ExpenseLineMod><TxnLineID>-1</TxnLineID>{ref('AccountRef', 'Supplies')}"
                "<Amount>5.00</Amount></ExpenseLineMod><ItemLineMod><TxnLineID>"
                f"{item.findtext('TxnLineID')}</TxnLineID><Quantity>4</Quantity></ItemLineMod></BillMod></BillModRq>")
    assert ret.findtext("Memo") == "Corrected" and txn(ret)[1] != sequence
    assert [e.findtext("Amount") for e in ret.findall("ExpenseLineRet")] == ["90.00", "5.00"]
    assert ret.findtext("ExpenseLineRet/Memo") == "Paper" and ret.findtext("ItemLineRet/Amount") == "29.00"
    assert ret.findtext("AmountDue") == "124.00" and balance(q, "Account", "Accounts Payable") == "244.50"
    rs = q.one(f"<BillModRq><BillMod><TxnID>{bill_id}</TxnID><EditSequence>{sequence}</EditSequence></BillMod>"
               "</BillModRq>", 3200)
    assert rs.get("statusMessage") == f'The provided edit sequence "{sequence}" is out-of-date. '
    assert [(c.tag, txn(c)) for c in rs] == [("BillRet", txn(ret))]  # answered with the bill as it is now
    q.one("<BillModRq><BillMod><TxnID>999-1700000000</TxnID><EditSequence>1</EditSequence></BillMod></BillModRq>",
          3120)


def test_bill_errors(seeded: Contract) -> None:
    q = seeded
    rs = q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Nobody')}{expense('Supplies', '1.00')}</BillAdd></BillAddRq>",
               3140)
    assert rs.get("statusMessage", "").startswith('There is an invalid reference to QuickBooks Vendor "Nobody" in the '
                                                  "Bill.  ")
    rs = q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}{expense('Nothing', '1.00')}</BillAdd>"
               "</BillAddRq>", 3140)
    assert 'QuickBooks Account "Nothing" in the Bill line.' in rs.get("statusMessage", "")
    rs = q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}<RefNumber>{'R' * 21}</RefNumber>"
               f"{expense('Supplies', '1.00')}</BillAdd></BillAddRq>", 3070)
    assert rs.get("statusMessage") == f'The string "{"R" * 21}" in the field "RefNumber" is too long.'
    rs = q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}</BillAdd></BillAddRq>", 3180)
    assert rs.get("statusMessage") == ("There was an error when saving a Bill. QuickBooks error message: The "
                                       "transaction is empty.")
    rs = q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}{ref('APAccountRef', 'Checking')}"
               f"{expense('Supplies', '1.00')}</BillAdd></BillAddRq>", 3140)
    assert [r.findtext("Memo") for r in q.one("<BillQueryRq/>")] == ["Opening balance"]
    assert balance(q, "Vendor", "Acme Supply") == "120.50"


@with_old_version
def test_vendor_credit(seeded: Contract) -> None:
    q = seeded
    ret = q.ret(f"<VendorCreditAddRq><VendorCreditAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-25</TxnDate>"
                f"<RefNumber>CR-1</RefNumber>{expense('Supplies', '20.00')}</VendorCreditAdd></VendorCreditAddRq>")
    credit_id, sequence = txn(ret)
    assert (ret.findtext("CreditAmount"), ret.findtext("OpenAmount")) == ("20.00", "20.00")
    assert balance(q, "Vendor", "Acme Supply") == "100.50" and balance(q, "Account", "Supplies") == "-20.00"
    ret = q.ret(f"<VendorCreditModRq><VendorCreditMod><TxnID>{credit_id}</TxnID><EditSequence>{sequence}"
                f"</EditSequence><ExpenseLineMod><TxnLineID>{ret.findtext('ExpenseLineRet/TxnLineID')}</TxnLineID>"
                "<Amount>25.00</Amount></ExpenseLineMod></VendorCreditMod></VendorCreditModRq>")
    assert ret.findtext("CreditAmount") == "25.00" and balance(q, "Vendor", "Acme Supply") == "95.50"
    # the credit set on a bill through a payment of nothing: no transaction, the bill's open amount goes down
    bill_id = txn(bill_add(q, expense("Supplies", "30.00")))[0]
    (rs,) = check_payment(q, bill_id, "0.00", f"<SetCredit><CreditTxnID>{credit_id}</CreditTxnID>"
                                              "<AppliedAmount>25.00</AppliedAmount></SetCredit>")
    assert rs.get("statusCode") == "0" and len(rs) == 0
    ret = q.ret("<VendorCreditQueryRq><RefNumber>cr-1</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns>"
                "</VendorCreditQueryRq>")
    assert ret.findtext("OpenAmount") == "0.00"
    assert (ret.findtext("LinkedTxn/TxnID"), ret.findtext("LinkedTxn/TxnType"), ret.findtext("LinkedTxn/Amount")) == (
        bill_id, "Bill", "-25.00")
    bill = q.ret(f"<BillQueryRq><TxnID>{bill_id}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns></BillQueryRq>")
    assert bill.findtext("OpenAmount") == "5.00" and bill.findtext("LinkedTxn/TxnType") == "VendorCredit"
    q.one("<VendorCreditQueryRq><RefNumberCaseSensitive>cr-1</RefNumberCaseSensitive></VendorCreditQueryRq>", 500)


@with_old_version
def test_bill_payment_check(seeded: Contract) -> None:
    q = seeded
    bill_id = txn(bill_add(q, expense("Supplies", "129.43"), "<RefNumber>B-1</RefNumber>"))[0]
    (rs,) = check_payment(q, bill_id, "129.44")
    assert (rs.get("statusCode"), rs.get("statusMessage")) == ("3210", 'The "AppliedToTxnAdd payment amount" field has '
                                                               'an invalid value "129.44".  QuickBooks error message: '
                                                               "You cannot pay more than the amount due.")
    (rs,) = check_payment(q, bill_id, "100.00")
    ret = rs[0]
    payment_id, sequence = txn(ret)
    assert (ret.findtext("Amount"), ret.findtext("RefNumber"), ret.findtext("IsToBePrinted")) == ("100.00", "1001",
                                                                                                   "false")
    assert ret.findtext("AddressBlock/Addr1") == "Acme Supply Co"
    applied = ret.find("AppliedToTxnRet")
    assert (applied.findtext("TxnID"), applied.findtext("TxnType"), applied.findtext("RefNumber"),
            applied.findtext("BalanceRemaining"), applied.findtext("Amount")) == (bill_id, "Bill", "B-1", "29.43",
                                                                                  "100.00")
    assert balance(q, "Account", "Checking") == "2400.00" and balance(q, "Vendor", "Acme Supply") == "149.93"
    bill = q.ret(f"<BillQueryRq><TxnID>{bill_id}</TxnID><IncludeLinkedTxns>1</IncludeLinkedTxns></BillQueryRq>")
    assert (bill.findtext("IsPaid"), bill.findtext("OpenAmount"), bill.findtext("LinkedTxn/Amount")) == (
        "false", "29.43", "-100.00")
    # Mod: pay the rest, change the memo
    ret = q.ret(f"<BillPaymentCheckModRq><BillPaymentCheckMod><TxnID>{payment_id}</TxnID><EditSequence>{sequence}"
                f"</EditSequence><Memo>All paid</Memo><AppliedToTxnMod><TxnID>{bill_id}</TxnID><PaymentAmount>129.43"
                "</PaymentAmount></AppliedToTxnMod></BillPaymentCheckMod></BillPaymentCheckModRq>")
    assert (ret.findtext("Amount"), ret.findtext("Memo")) == ("129.43", "All paid")
    assert q.ret(f"<BillQueryRq><TxnID>{bill_id}</TxnID></BillQueryRq>").findtext("IsPaid") == "true"
    rs = q.one("<BillQueryRq><PaidStatus>NotPaidOnly</PaidStatus></BillQueryRq>")
    assert [r.findtext("Memo") for r in rs] == ["Opening balance"]
    rs = q.one("<BillPaymentCheckQueryRq><RefNumber>1001</RefNumber></BillPaymentCheckQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [payment_id]
    # a payment from an account that is not a bank account
    bill_id = txn(bill_add(q, expense("Supplies", "10.00")))[0]
    rs = q.one(f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', 'Acme Supply')}"
               f"{ref('BankAccountRef', 'Supplies')}<IsToBePrinted>true</IsToBePrinted><AppliedToTxnAdd>"
               f"<TxnID>{bill_id}</TxnID><PaymentAmount>10.00</PaymentAmount></AppliedToTxnAdd></BillPaymentCheckAdd>"
               "</BillPaymentCheckAddRq>", 3140)
    assert 'QuickBooks Account "Supplies" in the BillPaymentCheck.' in rs.get("statusMessage", "")
    q.one(f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', 'Acme Supply')}"
          f"{ref('BankAccountRef', 'Checking')}<IsToBePrinted>true</IsToBePrinted><AppliedToTxnAdd><TxnID>"
          "999-1700000000</TxnID><PaymentAmount>1.00</PaymentAmount></AppliedToTxnAdd></BillPaymentCheckAdd>"
          "</BillPaymentCheckAddRq>", 3120)


def test_bill_payment_credit_card(seeded: Contract) -> None:
    q = seeded
    bill_id = txn(bill_add(q, expense("Supplies", "40.00")))[0]
    body = (f"<BillPaymentCreditCardAddRq><BillPaymentCreditCardAdd>{ref('PayeeEntityRef', 'Acme Supply')}"
            f"<TxnDate>2024-03-01</TxnDate>{ref('CreditCardAccountRef', '{account}')}<RefNumber>V-1</RefNumber>"
            f"<AppliedToTxnAdd><TxnID>{bill_id}</TxnID><PaymentAmount>40.00</PaymentAmount></AppliedToTxnAdd>"
            "</BillPaymentCreditCardAdd></BillPaymentCreditCardAddRq>")
    rs = q.one(body.replace("{account}", "Checking"), 3140)
    assert 'QuickBooks Account "Checking" in the BillPaymentCreditCard.' in rs.get("statusMessage", "")
    ret = q.ret(body.replace("{account}", "Visa"))
    assert ret.tag == "BillPaymentCreditCardRet" and ret.findtext("AppliedToTxnRet/BalanceRemaining") == "0.00"
    assert balance(q, "Account", "Visa") == "40.00" and balance(q, "Vendor", "Acme Supply") == "120.50"
    rs = q.one("<BillPaymentCreditCardQueryRq><EntityFilter><FullName>Acme Supply</FullName></EntityFilter>"
               "</BillPaymentCreditCardQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [ret.findtext("TxnID")]


@with_old_version
def test_check(seeded: Contract) -> None:
    q = seeded
    ret = q.ret(f"<CheckAddRq><CheckAdd>{ref('AccountRef', 'Checking')}{ref('PayeeEntityRef', 'Acme Supply')}"
                "<RefNumber>101</RefNumber><TxnDate>2024-03-01</TxnDate><Memo>Paper</Memo>"
                f"{expense('Supplies', '40.00')}<ItemLineAdd>{ref('ItemRef', 'Widget')}<Quantity>2</Quantity>"
                "</ItemLineAdd></CheckAdd></CheckAddRq>")
    check_id, sequence = txn(ret)
    assert ret.tag == "CheckRet" and ret.findtext("AccountRef/FullName") == "Checking"
    assert (ret.findtext("RefNumber"), ret.findtext("Amount"), ret.findtext("IsToBePrinted")) == ("101", "54.50",
                                                                                                   "false")
    assert ret.findtext("AddressBlock/Addr1") == "Acme Supply Co"
    assert [e.findtext("Amount") for e in ret.iter("ExpenseLineRet", "ItemLineRet")] == ["40.00", "14.50"]
    assert balance(q, "Account", "Checking") == "2445.50" and balance(q, "Vendor", "Acme Supply") == "120.50"  # no A/P
    # Mod: the expense line changed; the item lines, not named, stay
    line_id = ret.findtext("ExpenseLineRet/TxnLineID")
    ret = q.ret(f"<CheckModRq><CheckMod><TxnID>{check_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                f"<ExpenseLineMod><TxnLineID>{line_id}</TxnLineID><Amount>60.00</Amount></ExpenseLineMod>"
                "</CheckMod></CheckModRq>")
    assert ret.findtext("Amount") == "74.50" and ret.findtext("ItemLineRet/Amount") == "14.50"
    assert balance(q, "Account", "Checking") == "2425.50"
    rs = q.one("<CheckQueryRq><EntityFilter><FullName>Acme Supply</FullName></EntityFilter></CheckQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [check_id]
    # from an account that is not a bank account; without lines
    rs = q.one(f"<CheckAddRq><CheckAdd>{ref('AccountRef', 'Supplies')}{expense('Supplies', '1.00')}</CheckAdd>"
               "</CheckAddRq>", 3140)
    assert 'QuickBooks Account "Supplies" in the Check.' in rs.get("statusMessage", "")
    q.one(f"<CheckAddRq><CheckAdd>{ref('AccountRef', 'Checking')}</CheckAdd></CheckAddRq>", 3180)


@with_old_version
def test_transfer(seeded: Contract) -> None:
    q = seeded
    ret = q.ret(f"<TransferAddRq><TransferAdd><TxnDate>2024-03-01</TxnDate>{ref('TransferFromAccountRef', 'Checking')}"
                f"{ref('TransferToAccountRef', 'Visa')}<Amount>500.00</Amount><Memo>Card payment</Memo></TransferAdd>"
                "</TransferAddRq>")
    transfer_id, sequence = txn(ret)
    assert (ret.findtext("FromAccountBalance"), ret.findtext("ToAccountBalance")) == ("2000.00", "-500.00")
    ret = q.ret(f"<TransferModRq><TransferMod><TxnID>{transfer_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                "<Amount>250.00</Amount></TransferMod></TransferModRq>")
    assert (ret.findtext("Amount"), ret.findtext("FromAccountBalance")) == ("250.00", "2250.00")
    rs = q.one("<TransferQueryRq><TxnDateRangeFilter><FromTxnDate>2024-03-01</FromTxnDate></TxnDateRangeFilter>"
               "</TransferQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [transfer_id]
    rs = q.one(f"<TransferAddRq><TransferAdd>{ref('TransferFromAccountRef', 'Checking')}"
               f"{ref('TransferToAccountRef', 'Checking')}<Amount>1.00</Amount></TransferAdd></TransferAddRq>", 3180)
    assert rs.get("statusMessage", "").startswith("There was an error when saving a Transfer. QuickBooks error message")


def journal_line(side: str, account: str, amount: str, extra: str = "") -> str:
    return f"<Journal{side}Line>{ref('AccountRef', account)}<Amount>{amount}</Amount>{extra}</Journal{side}Line>"


@with_old_version
def test_journal_entry(seeded: Contract) -> None:
    q = seeded
    lines = (journal_line("Credit", "Checking", "70.00") + journal_line("Debit", "Supplies", "50.00")
             + journal_line("Debit", "Accounts Payable", "20.00", ref("EntityRef", "Acme Supply")))
    ret = q.ret(f"<JournalEntryAddRq><JournalEntryAdd><TxnDate>2024-03-01</TxnDate><Memo>Adjust</Memo>{lines}"
                "</JournalEntryAdd></JournalEntryAddRq>")
    entry_id, sequence = txn(ret)
    assert [c.tag for c in ret if c.tag.startswith("Journal")] == ["JournalCreditLine", "JournalDebitLine",
                                                                   "JournalDebitLine"]
    assert ret.findtext("RefNumber") == "1" and ret.findtext("IsAdjustment") == "false"
    assert balance(q, "Vendor", "Acme Supply") == "100.50" and balance(q, "Account", "Checking") == "2430.00"
    rs = q.one(f"<JournalEntryAddRq><JournalEntryAdd>{journal_line('Debit', 'Supplies', '1.00')}"
               f"{journal_line('Credit', 'Checking', '2.00')}</JournalEntryAdd></JournalEntryAddRq>", 3180)
    assert "not in balance" in rs.get("statusMessage", "")
    q.one(f"<JournalEntryAddRq><JournalEntryAdd>{journal_line('Debit', 'Accounts Payable', '1.00')}"
          f"{journal_line('Credit', 'Checking', '1.00')}</JournalEntryAdd></JournalEntryAddRq>", 3180)
    credit_id = ret.find("JournalCreditLine").findtext("TxnLineID")
    debit_id = ret.find("JournalDebitLine").findtext("TxnLineID")
    ret = q.ret(f"<JournalEntryModRq><JournalEntryMod><TxnID>{entry_id}</TxnID><EditSequence>{sequence}"
                f"</EditSequence><JournalLineMod><TxnLineID>{debit_id}</TxnLineID><Amount>70.00</Amount>"
                f"</JournalLineMod><JournalLineMod><TxnLineID>{credit_id}</TxnLineID></JournalLineMod>"
                "</JournalEntryMod></JournalEntryModRq>")
    assert [(c.tag, c.findtext("Amount")) for c in ret if c.tag.startswith("Journal")] == [
        ("JournalDebitLine", "70.00"), ("JournalCreditLine", "70.00")]
    assert balance(q, "Vendor", "Acme Supply") == "120.50"
    rs = q.one("<JournalEntryQueryRq><AccountFilter><FullName>Supplies</FullName></AccountFilter>"
               "</JournalEntryQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [entry_id] and rs[0].find("JournalDebitLine") is None


@with_old_version
def test_txn_del_and_deleted_query(seeded: Contract) -> None:
    q = seeded
    q.one("<TxnDeletedQueryRq><TxnDelType>Bill</TxnDelType></TxnDeletedQueryRq>", 1)
    bill_id = txn(bill_add(q, expense("Supplies", "10.00"), "<RefNumber>DEL-1</RefNumber>"))[0]
    rs = q.one(f"<TxnDelRq><TxnDelType>Bill</TxnDelType><TxnID>{bill_id}</TxnID></TxnDelRq>")
    assert [(c.tag, c.text) for c in rs] == [("TxnDelType", "Bill"), ("TxnID", bill_id),
                                             ("TimeDeleted", "2024-03-01T09:30:00-05:00"), ("RefNumber", "DEL-1")]
    assert balance(q, "Vendor", "Acme Supply") == "120.50"
    q.one(f"<TxnDelRq><TxnDelType>Bill</TxnDelType><TxnID>{bill_id}</TxnID></TxnDelRq>", 3120)
    q.one(f"<BillQueryRq><TxnID>{bill_id}</TxnID></BillQueryRq>", 500)
    rs = q.one("<TxnDeletedQueryRq><TxnDelType>Bill</TxnDelType><TxnDelType>VendorCredit</TxnDelType>"
               "<DeletedDateRangeFilter><FromDeletedDate>2024-03-01</FromDeletedDate></DeletedDateRangeFilter>"
               "</TxnDeletedQueryRq>")
    assert [(r.findtext("TxnDelType"), r.findtext("TxnID"), r.findtext("RefNumber")) for r in rs] == [
        ("Bill", bill_id, "DEL-1")]
    rs = q.one('<TxnDeletedQueryRq metaData="MetaDataOnly"><TxnDelType>Bill</TxnDelType></TxnDeletedQueryRq>')
    assert rs.get("retCount") == "1" and len(rs) == 0


@with_old_version
def test_txn_void(seeded: Contract) -> None:
    q = seeded
    ret = bill_add(q, expense("Supplies", "10.00"), "<RefNumber>V-9</RefNumber><Memo>Paper</Memo>")
    bill_id = txn(ret)[0]
    rs = q.one(f"<TxnVoidRq><TxnVoidType>Bill</TxnVoidType><TxnID>{bill_id}</TxnID></TxnVoidRq>")
    assert [c.tag for c in rs] == ["TxnVoidType", "TxnID", "TimeCreated", "TimeModified", "RefNumber"]
    ret = q.ret(f"<BillQueryRq><TxnID>{bill_id}</TxnID><IncludeLineItems>true</IncludeLineItems></BillQueryRq>")
    assert (ret.findtext("Memo"), ret.findtext("AmountDue"), ret.findtext("ExpenseLineRet/Amount")) == (
        "VOID: Paper", "0.00", "0.00")
    assert balance(q, "Vendor", "Acme Supply") == "120.50"
    q.one(f"<TxnVoidRq><TxnVoidType>VendorCredit</TxnVoidType><TxnID>{bill_id}</TxnID></TxnVoidRq>", 3120)


# -- transactions: the receivables side -------------------------------------------------------------------------------

def sales_line(item: str, extra: str = "", tag: str = "InvoiceLineAdd") -> str:
    return f"<{tag}>{ref('ItemRef', item)}{extra}</{tag}>"


def invoice_add(q: Contract, lines: str, extra: str = "", customer: str = "Jones", head: str = "") -> etree._Element:
    return q.ret(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}{head}<TxnDate>2024-02-20</TxnDate>{extra}"
                 f"{lines}</InvoiceAdd></InvoiceAddRq>")


def receive_payment(q: Contract, fields: str, customer: str = "Jones") -> list[Any]:
    return q.send(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TxnDate>2024-03-01</TxnDate>"
                  f"{fields}</ReceivePaymentAdd></ReceivePaymentAddRq>")


def applied_to(txn_id: str, amount: str, credit: tuple[str, str] | None = None, tag: str = "AppliedToTxnAdd") -> str:
    sets = (f"<SetCredit><CreditTxnID>{credit[0]}</CreditTxnID><AppliedAmount>{credit[1]}</AppliedAmount></SetCredit>"
            if credit else "")
    return f"<{tag}><TxnID>{txn_id}</TxnID><PaymentAmount>{amount}</PaymentAmount>{sets}</{tag}>"


def customer_balances(q: Contract, name: str) -> tuple[str, str]:
    ret = q.ret(f"<CustomerQueryRq><FullName>{name}</FullName></CustomerQueryRq>")
    return ret.findtext("Balance") or "", ret.findtext("TotalBalance") or ""


@with_old_version
def test_invoice(seeded: Contract) -> None:
    q = seeded
    lines = (sales_line("Consulting", "<Quantity>2</Quantity>" + ref("ClassRef", "Retail"))
             + sales_line("Consulting:Remote", "<Quantity>0.5</Quantity><Amount>40.00</Amount>")
             + sales_line("Widget", "<Quantity>3</Quantity><Rate>12.50</Rate><ServiceDate>2024-02-18</ServiceDate>")
             + sales_line("Freight") + "<InvoiceLineAdd><Desc>Thank you</Desc></InvoiceLineAdd>")
    ret = invoice_add(q, lines, "<PONumber>PO-7</PONumber><Memo>February work</Memo>", customer="Jones:Kitchen",
                      head=ref("ClassRef", "Retail"))
    invoice_id, sequence = txn(ret)
    assert ret.tag == "InvoiceRet" and ret.findtext("TxnNumber") == "3" and ret.findtext("RefNumber") == "1"
    assert ret.findtext("CustomerRef/FullName") == "Jones:Kitchen"
    assert ret.findtext("ARAccountRef/FullName") == "Accounts Receivable" and ret.findtext("DueDate") == "2024-02-20"
    assert (ret.findtext("BillAddress/Addr1"), ret.findtext("BillAddressBlock/Addr3")) == ("Kim Jones",
                                                                                          "Springfield, IL 62701")
    assert (ret.findtext("Subtotal"), ret.findtext("SalesTaxTotal"), ret.findtext("AppliedAmount"),
            ret.findtext("BalanceRemaining"), ret.findtext("IsPaid")) == ("269.38", "0.00", "0.00", "269.38", "false")
    got = [(x.findtext("Desc"), x.findtext("Quantity"), x.findtext("Rate"), x.findtext("RatePercent"),
            x.findtext("Amount")) for x in ret.findall("InvoiceLineRet")]
    assert got == [("Hourly consulting", "2", "95", None, "190.00"),
                   ("Remote hour", "0.5", "80", None, "40.00"), ("Widget", "3", "12.5", None, "37.50"),
                   ("Freight", None, None, "5", "1.88"), ("Thank you", None, None, None, None)]
    assert customer_balances(q, "Jones:Kitchen") == ("269.38", "269.38")
    assert customer_balances(q, "Jones") == ("300.00", "569.38")
    assert (balance(q, "Account", "Accounts Receivable"), balance(q, "Account", "Sales"),
            balance(q, "Account", "Sales:Wholesale")) == ("569.38", "229.38", "40.00")
    # a query leaves the lines out unless asked
    again = q.ret(f"<InvoiceQueryRq><TxnID>{invoice_id}</TxnID></InvoiceQueryRq>")
    assert again.find("InvoiceLineRet") is None and again.findtext("BalanceRemaining") == "269.38"
    full = q.ret(f"<InvoiceQueryRq><TxnID>{invoice_id}</TxnID><IncludeLineItems>true</IncludeLineItems>"
                 "</InvoiceQueryRq>")
    assert etree.tostring(full) == etree.tostring(ret)
    # Mod: the first line's quantity changed, a line added, the others dropped (not named)
    first = ret.findtext("InvoiceLineRet/TxnLineID")
    ret = q.ret(f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                f"<Memo>Corrected</Memo><InvoiceLineMod><TxnLineID>{first}</TxnLineID><Quantity>3</Quantity>"
                f"</InvoiceLineMod><InvoiceLineMod><TxnLineID>-1</TxnLineID>{ref('ItemRef', 'Beans')}"
                "</InvoiceLineMod></InvoiceMod></InvoiceModRq>")
    assert ret.findtext("Memo") == "Corrected" and txn(ret)[1] != sequence
    assert [(x.findtext("Quantity"), x.findtext("Amount")) for x in ret.findall("InvoiceLineRet")] == [
        ("3", "285.00"), ("1", "14.00")]
    assert ret.findtext("Subtotal") == "299.00" and customer_balances(q, "Jones") == ("300.00", "599.00")
    rs = q.one(f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>{sequence}</EditSequence>"
               "</InvoiceMod></InvoiceModRq>", 3200)
    assert rs.get("statusMessage") == f'The provided edit sequence "{sequence}" is out-of-date. '
    q.one("<InvoiceModRq><InvoiceMod><TxnID>999-1700000000</TxnID><EditSequence>1</EditSequence></InvoiceMod>"
          "</InvoiceModRq>", 3120)
    # numbered after the last numeric RefNumber
    assert invoice_add(q, sales_line("Widget")).findtext("RefNumber") == "2"


def test_invoice_errors(seeded: Contract) -> None:
    q = seeded
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Nobody')}{sales_line('Widget')}</InvoiceAdd>"
               "</InvoiceAddRq>", 3140)
    assert rs.get("statusMessage", "").startswith('There is an invalid reference to QuickBooks Customer "Nobody" in '
                                                  "the Invoice.  ")
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}{sales_line('Nothing')}</InvoiceAdd>"
               "</InvoiceAddRq>", 3140)
    assert 'QuickBooks Item "Nothing" in the Invoice line.' in rs.get("statusMessage", "")
    q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}{ref('TermsRef', 'Net 99')}{sales_line('Widget')}"
          "</InvoiceAdd></InvoiceAddRq>", 3140)
    q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}{ref('ARAccountRef', 'Checking')}"
          f"{sales_line('Widget')}</InvoiceAdd></InvoiceAddRq>", 3140)
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}<RefNumber>{'R' * 12}</RefNumber>"
               f"{sales_line('Widget')}</InvoiceAdd></InvoiceAddRq>", 3070)
    assert rs.get("statusMessage") == f'The string "{"R" * 12}" in the field "RefNumber" is too long.'
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}</InvoiceAdd></InvoiceAddRq>", 3180)
    assert rs.get("statusMessage") == ("There was an error when saving a Invoice. QuickBooks error message: The "
                                       "transaction is empty.")
    assert [r.findtext("Memo") for r in q.one("<InvoiceQueryRq/>")] == ["Opening balance"]
    assert customer_balances(q, "Jones") == ("300.00", "300.00")


@with_old_version
def test_credit_memo(seeded: Contract) -> None:
    q = seeded
    ret = q.ret(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Jones')}<TxnDate>2024-02-25</TxnDate>"
                f"<RefNumber>CM-1</RefNumber>{sales_line('Consulting', tag='CreditMemoLineAdd')}</CreditMemoAdd>"
                "</CreditMemoAddRq>")
    credit_id, sequence = txn(ret)
    assert (ret.findtext("Subtotal"), ret.findtext("TotalAmount"), ret.findtext("CreditRemaining")) == (
        "95.00", "95.00", "95.00")
    assert ret.findtext("ShipAddressBlock/Addr1") == "Jones Warehouse"
    assert customer_balances(q, "Jones") == ("205.00", "205.00") and balance(q, "Account", "Sales") == "-95.00"
    assert balance(q, "Account", "Accounts Receivable") == "205.00"  # the opening balance's 300.00 less the credit
    ret = q.ret(f"<CreditMemoModRq><CreditMemoMod><TxnID>{credit_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                f"<CreditMemoLineMod><TxnLineID>{ret.findtext('CreditMemoLineRet/TxnLineID')}</TxnLineID>"
                "<Amount>100.00</Amount></CreditMemoLineMod></CreditMemoMod></CreditMemoModRq>")
    assert ret.findtext("TotalAmount") == "100.00" and customer_balances(q, "Jones") == ("200.00", "200.00")
    # set on an invoice through a payment of nothing: no transaction, the invoice's balance goes down
    invoice_id = txn(invoice_add(q, sales_line("Consulting", "<Amount>130.00</Amount>")))[0]
    (rs,) = receive_payment(q, applied_to(invoice_id, "0.00", (credit_id, "100.00")))
    assert rs.get("statusCode") == "0" and len(rs) == 0
    ret = q.ret("<CreditMemoQueryRq><RefNumber>cm-1</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns>"
                "</CreditMemoQueryRq>")
    assert ret.findtext("CreditRemaining") == "0.00"
    assert (ret.findtext("LinkedTxn/TxnID"), ret.findtext("LinkedTxn/TxnType"), ret.findtext("LinkedTxn/Amount")) == (
        invoice_id, "Invoice", "-100.00")
    invoice = q.ret(f"<InvoiceQueryRq><TxnID>{invoice_id}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns>"
                    "</InvoiceQueryRq>")
    assert (invoice.findtext("AppliedAmount"), invoice.findtext("BalanceRemaining"),
            invoice.findtext("LinkedTxn/TxnType")) == ("-100.00", "30.00", "CreditMemo")
    assert customer_balances(q, "Jones") == ("330.00", "330.00")
    q.one(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Jones')}<CreditMemoLineAdd><Desc>Sorry</Desc>"
          "<Amount>5.00</Amount></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>", 3180)


@with_old_version
def test_receive_payment(seeded: Contract) -> None:
    q = seeded
    invoice_id = txn(invoice_add(q, sales_line("Consulting", "<Amount>129.43</Amount>"), "<RefNumber>INV-9"
                                 "</RefNumber>"))[0]
    (rs,) = receive_payment(q, applied_to(invoice_id, "129.44"))
    assert (rs.get("statusCode"), rs.get("statusMessage")) == ("3210", 'The "AppliedToTxnAdd payment amount" field has '
                                                               'an invalid value "129.44".  QuickBooks error message: '
                                                               "You cannot pay more than the amount due.")
    (rs,) = receive_payment(q, "<RefNumber>CHK-1</RefNumber><TotalAmount>150.00</TotalAmount><Memo>Thanks</Memo>"
                            + applied_to(invoice_id, "100.00"))
    ret = rs[0]
    payment_id, sequence = txn(ret)
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment"), ret.findtext("UnusedCredits")) == (
        "150.00", "50.00", "0.00")
    assert ret.findtext("DepositToAccountRef/FullName") == "Undeposited Funds"
    applied = ret.find("AppliedToTxnRet")
    assert (applied.findtext("TxnID"), applied.findtext("TxnType"), applied.findtext("RefNumber"),
            applied.findtext("BalanceRemaining"), applied.findtext("Amount")) == (invoice_id, "Invoice", "INV-9",
                                                                                  "29.43", "100.00")
    assert customer_balances(q, "Jones") == ("279.43", "279.43")
    assert (balance(q, "Account", "Undeposited Funds"), balance(q, "Account", "Accounts Receivable")) == (
        "150.00", "279.43")
    invoice = q.ret(f"<InvoiceQueryRq><TxnID>{invoice_id}</TxnID><IncludeLinkedTxns>1</IncludeLinkedTxns>"
                    "</InvoiceQueryRq>")
    assert (invoice.findtext("IsPaid"), invoice.findtext("AppliedAmount"), invoice.findtext("LinkedTxn/TxnType"),
            invoice.findtext("LinkedTxn/Amount")) == ("false", "-100.00", "ReceivePayment", "-100.00")
    # Mod: pay the rest, deposit to the bank
    ret = q.ret(f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{payment_id}</TxnID><EditSequence>{sequence}"
                f"</EditSequence><Memo>All paid</Memo>{ref('DepositToAccountRef', 'Checking')}"
                f"{applied_to(invoice_id, '129.43', tag='AppliedToTxnMod')}</ReceivePaymentMod></ReceivePaymentModRq>")
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment"), ret.findtext("Memo")) == (
        "150.00", "20.57", "All paid")
    assert (balance(q, "Account", "Checking"), balance(q, "Account", "Undeposited Funds")) == ("2650.00", "0.00")
    assert q.ret(f"<InvoiceQueryRq><TxnID>{invoice_id}</TxnID></InvoiceQueryRq>").findtext("IsPaid") == "true"
    rs = q.one("<InvoiceQueryRq><PaidStatus>NotPaidOnly</PaidStatus></InvoiceQueryRq>")
    assert [r.findtext("Memo") for r in rs] == ["Opening balance"]
    rs = q.one("<ReceivePaymentQueryRq><RefNumber>CHK-1</RefNumber></ReceivePaymentQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [payment_id]
    # IsAutoApply: the invoice whose balance is the amount; an account that cannot take deposits
    first = txn(invoice_add(q, sales_line("Widget", "<Amount>10.00</Amount>")))[0]
    second = txn(invoice_add(q, sales_line("Widget", "<Amount>25.00</Amount>")))[0]
    ret = receive_payment(q, "<TotalAmount>25.00</TotalAmount><IsAutoApply>true</IsAutoApply>")[0][0]
    assert [(a.findtext("TxnID"), a.findtext("Amount")) for a in ret.findall("AppliedToTxnRet")] == [(second, "25.00")]
    ret = receive_payment(q, "<TotalAmount>4.00</TotalAmount><IsAutoApply>true</IsAutoApply>")[0][0]
    opening = q.one("<InvoiceQueryRq><MaxReturned>1</MaxReturned></InvoiceQueryRq>")[0].findtext("TxnID")
    assert [(a.findtext("TxnID"), a.findtext("BalanceRemaining")) for a in ret.findall("AppliedToTxnRet")] == [
        (opening, "296.00")]  # the oldest: the opening balance's invoice
    assert first != opening
    rs = q.one(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', 'Jones')}<TotalAmount>1.00</TotalAmount>"
               f"{ref('DepositToAccountRef', 'Supplies')}<IsAutoApply>false</IsAutoApply></ReceivePaymentAdd>"
               "</ReceivePaymentAddRq>", 3140)
    assert 'QuickBooks Account "Supplies" in the ReceivePayment.' in rs.get("statusMessage", "")
    q.one(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', 'Jones:Kitchen')}"
          f"{applied_to(first, '1.00')}</ReceivePaymentAdd></ReceivePaymentAddRq>", 3120)


def test_receivables_queries(seeded: Contract) -> None:
    q = seeded
    opening = q.ret("<InvoiceQueryRq/>").findtext("TxnID")  # the seeded customer's opening balance
    kitchen = txn(invoice_add(q, sales_line("Consulting:Remote"), customer="Jones:Kitchen"))[0]
    jones = txn(invoice_add(q, sales_line("Widget")))[0]
    rs = q.one("<InvoiceQueryRq><EntityFilter><FullNameWithChildren>Jones</FullNameWithChildren></EntityFilter>"
               "</InvoiceQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [opening, kitchen, jones]
    rs = q.one("<InvoiceQueryRq><EntityFilter><FullName>Jones</FullName></EntityFilter></InvoiceQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [opening, jones]
    rs = q.one("<InvoiceQueryRq><AccountFilter><FullName>Sales:Wholesale</FullName></AccountFilter></InvoiceQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [kitchen]
    rs = q.one('<InvoiceQueryRq iterator="Start"><MaxReturned>1</MaxReturned><TxnDateRangeFilter><FromTxnDate>'
               "2024-02-01</FromTxnDate><ToTxnDate>2024-02-29</ToTxnDate></TxnDateRangeFilter></InvoiceQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [kitchen] and rs.get("iteratorRemainingCount") == "1"
    rs = q.one(f'<InvoiceQueryRq iterator="Continue" iteratorID="{rs.get("iteratorID")}"><MaxReturned>1'
               "</MaxReturned></InvoiceQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [jones] and rs.get("iteratorRemainingCount") == "0"
    receive_payment(q, applied_to(jones, "12.50"))
    rs = q.one("<InvoiceQueryRq><PaidStatus>PaidOnly</PaidStatus></InvoiceQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [jones]
    rs = q.one("<ReceivePaymentQueryRq><ModifiedDateRangeFilter><FromModifiedDate>2024-03-01</FromModifiedDate>"
               "</ModifiedDateRangeFilter><IncludeLineItems>true</IncludeLineItems></ReceivePaymentQueryRq>")
    assert [r.findtext("AppliedToTxnRet/TxnID") for r in rs] == [jones]
    q.one("<CreditMemoQueryRq><EntityFilter><FullName>Jones</FullName></EntityFilter></CreditMemoQueryRq>", 1)


@with_old_version
def test_receivables_del_and_void(seeded: Contract) -> None:
    q = seeded
    invoice_id = txn(invoice_add(q, sales_line("Consulting"), "<RefNumber>D-1</RefNumber>"))[0]
    payment_id = receive_payment(q, applied_to(invoice_id, "95.00"))[0][0].findtext("TxnID")
    rs = q.one(f"<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>{invoice_id}</TxnID></TxnDelRq>")
    assert [(c.tag, c.text) for c in rs] == [("TxnDelType", "Invoice"), ("TxnID", invoice_id),
                                             ("TimeDeleted", "2024-03-01T09:30:00-05:00"), ("RefNumber", "D-1")]
    ret = q.ret(f"<ReceivePaymentQueryRq><TxnID>{payment_id}</TxnID></ReceivePaymentQueryRq>")
    assert ret.find("AppliedToTxnRet") is None and ret.findtext("UnusedPayment") == "95.00"
    assert customer_balances(q, "Jones") == ("205.00", "205.00")
    rs = q.one("<TxnDeletedQueryRq><TxnDelType>Invoice</TxnDelType><TxnDelType>ReceivePayment</TxnDelType>"
               "</TxnDeletedQueryRq>")
    assert [(r.findtext("TxnDelType"), r.findtext("TxnID")) for r in rs] == [("Invoice", invoice_id)]
    credit = q.ret(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Jones')}<Memo>Returned</Memo>"
                   f"{sales_line('Widget', tag='CreditMemoLineAdd')}</CreditMemoAdd></CreditMemoAddRq>")
    q.one(f"<TxnVoidRq><TxnVoidType>CreditMemo</TxnVoidType><TxnID>{credit.findtext('TxnID')}</TxnID></TxnVoidRq>")
    ret = q.ret(f"<CreditMemoQueryRq><TxnID>{credit.findtext('TxnID')}</TxnID><IncludeLineItems>true"
                "</IncludeLineItems></CreditMemoQueryRq>")
    assert (ret.findtext("Memo"), ret.findtext("TotalAmount"), ret.findtext("CreditRemaining"),
            ret.findtext("CreditMemoLineRet/Amount")) == ("VOID: Returned", "0.00", "0.00", "0.00")
    assert customer_balances(q, "Jones") == ("205.00", "205.00")
    q.one(f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment_id}</TxnID></TxnDelRq>")
    assert customer_balances(q, "Jones") == ("300.00", "300.00")


def test_a_field_quickbooks_does_not_take_is_dropped_with_a_warning(seeded: Contract) -> None:
    """As captured: IsStatementWithParent is answered 530 (Warn) and the customer is saved and returned without it."""
    rs = seeded.one("<CustomerAddRq><CustomerAdd><Name>Statement Kid</Name><IsStatementWithParent>true"
                    "</IsStatementWithParent></CustomerAdd></CustomerAddRq>", 530)
    assert rs.get("statusMessage") == 'The field "IsStatementWithParent" is not supported by this implementation.'
    (ret,) = rs
    assert ret.findtext("Name") == "Statement Kid" and ret.find("IsStatementWithParent") is None
    rs = seeded.one(f"<CustomerModRq><CustomerMod><ListID>{ret.findtext('ListID')}</ListID><EditSequence>"
                    f"{ret.findtext('EditSequence')}</EditSequence><Phone>555-0100</Phone><IsStatementWithParent>false"
                    "</IsStatementWithParent></CustomerMod></CustomerModRq>", 530)
    assert rs[0].findtext("Phone") == "555-0100"


def test_error_recovery_by_message_set_id(seeded: Contract) -> None:
    """Intuit's ErrRecovery samples: a message set sent with newMessageSetID is kept; a status check with the old ID
    answers it again (the Check was added once); the old ID alone forgets it."""
    def document(attributes: str, body: str = "") -> etree._Element:
        request = envelope(body, seeded.version).replace('<QBXMLMsgsRq onError="stopOnError">',
                                                         f'<QBXMLMsgsRq {attributes} onError="continueOnError">')
        assert_valid(request, seeded.version)
        return assert_valid(seeded.client.rp.ProcessRequest(seeded.client.ticket, request), seeded.version)

    check = (f"<CheckAddRq requestID=\"1\"><CheckAdd>{ref('AccountRef', 'Checking')}"
             f"{ref('PayeeEntityRef', 'Acme Supply')}<TxnDate>2024-03-01</TxnDate><Memo>Installment check</Memo>"
             f"<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}<Amount>520.00</Amount></ExpenseLineAdd></CheckAdd>"
             "</CheckAddRq>")
    first = document('newMessageSetID="AB1F2395"', check).find("QBXMLMsgsRs")
    assert (first.get("newMessageSetID"), first.get("messageSetStatusCode")) == ("AB1F2395", "0")
    txn_id = first[0][0].findtext("TxnID")
    again = document('oldMessageSetID="AB1F2395" newMessageSetID="AB1F2395"').find("QBXMLMsgsRs")
    assert again.get("messageSetStatusCode") == "0" and again[0][0].findtext("TxnID") == txn_id
    gone = document('oldMessageSetID="AB1F2395"').find("QBXMLMsgsRs")
    assert gone.get("messageSetStatusCode") == "0" and len(gone) == 0
    unknown = document('oldMessageSetID="AB1F2395" newMessageSetID="AB1F2395"').find("QBXMLMsgsRs")
    assert unknown.get("messageSetStatusCode") == "600" and len(unknown) == 0
    memos = [c.findtext("Memo") for c in seeded.one("<CheckQueryRq/>") if c.findtext("Memo") == "Installment check"]
    assert memos == ["Installment check"]  # added once


# -- sales receipts, estimates, sales orders -------------------------------------------------------------------------

@with_old_version
def test_sales_receipt(seeded: Contract) -> None:
    """A sale paid on the spot: income credited, Undeposited Funds (or the account named) debited; no open amount."""
    q = seeded
    ret = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd>{ref('CustomerRef', 'Jones')}<TxnDate>2024-02-21</TxnDate>"
                f"<CheckNumber>5501</CheckNumber>{ref('PaymentMethodRef', 'Check')}"
                f"{sales_line('Consulting', '<Quantity>2</Quantity>', 'SalesReceiptLineAdd')}"
                f"{sales_line('Widget', tag='SalesReceiptLineAdd')}</SalesReceiptAdd></SalesReceiptAddRq>")
    receipt_id, sequence = txn(ret)
    assert (ret.findtext("RefNumber"), ret.findtext("TemplateRef/FullName"), ret.findtext("ShipDate")) == (
        "1", "Custom Sales Receipt", "2024-02-21")
    assert (ret.findtext("Subtotal"), ret.findtext("SalesTaxTotal"), ret.findtext("TotalAmount")) == (
        "202.50", "0.00", "202.50")
    assert (ret.findtext("DepositToAccountRef/FullName"), ret.findtext("PaymentMethodRef/FullName")) == (
        "Undeposited Funds", "Check")
    assert ret.findtext("BillAddressBlock/Addr1") == "Kim Jones"
    assert (balance(q, "Account", "Undeposited Funds"), balance(q, "Account", "Sales")) == ("202.50", "202.50")
    assert customer_balances(q, "Jones") == ("300.00", "300.00")  # paid: nothing owed
    ret = q.ret(f"<SalesReceiptModRq><SalesReceiptMod><TxnID>{receipt_id}</TxnID><EditSequence>{sequence}"
                f"</EditSequence><Memo>Counter sale</Memo>{ref('DepositToAccountRef', 'Checking')}"
                f"<SalesReceiptLineMod><TxnLineID>{ret.findtext('SalesReceiptLineRet/TxnLineID')}</TxnLineID>"
                "<Quantity>1</Quantity></SalesReceiptLineMod></SalesReceiptMod></SalesReceiptModRq>")
    assert (ret.findtext("TotalAmount"), ret.findtext("Memo")) == ("95.00", "Counter sale")
    assert (balance(q, "Account", "Undeposited Funds"), balance(q, "Account", "Checking")) == ("0.00", "2595.00")
    rs = q.one("<SalesReceiptQueryRq><EntityFilter><FullName>Jones</FullName></EntityFilter>"
               "<IncludeLineItems>true</IncludeLineItems></SalesReceiptQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [receipt_id] and len(rs[0].findall("SalesReceiptLineRet")) == 1
    second = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd><TxnDate>2024-02-22</TxnDate>"
                   f"{sales_line('Widget', tag='SalesReceiptLineAdd')}</SalesReceiptAdd></SalesReceiptAddRq>")
    assert second.find("CustomerRef") is None and second.findtext("RefNumber") == "2"  # a cash sale, no customer
    rs = q.one(f"<TxnVoidRq><TxnVoidType>SalesReceipt</TxnVoidType><TxnID>{second.findtext('TxnID')}</TxnID>"
               "</TxnVoidRq>")
    assert rs.findtext("TxnID") == second.findtext("TxnID") and balance(q, "Account", "Undeposited Funds") == "0.00"
    q.one(f"<TxnDelRq><TxnDelType>SalesReceipt</TxnDelType><TxnID>{receipt_id}</TxnID></TxnDelRq>")
    assert (balance(q, "Account", "Checking"), balance(q, "Account", "Sales")) == ("2500.00", "0.00")
    # errors
    rs = q.one(f"<SalesReceiptAddRq><SalesReceiptAdd>{ref('CustomerRef', 'Jones')}"
               f"{sales_line('Widget', '<Amount>-5.00</Amount>', 'SalesReceiptLineAdd')}</SalesReceiptAdd>"
               "</SalesReceiptAddRq>", 3180)
    assert rs.get("statusMessage", "").endswith("The total of the transaction cannot be negative.")
    rs = q.one(f"<SalesReceiptAddRq><SalesReceiptAdd>{ref('DepositToAccountRef', 'Supplies')}"
               f"{sales_line('Widget', tag='SalesReceiptLineAdd')}</SalesReceiptAdd></SalesReceiptAddRq>", 3140)
    assert 'QuickBooks Account "Supplies" in the SalesReceipt.' in rs.get("statusMessage", "")
    q.one(f"<SalesReceiptAddRq><SalesReceiptAdd>{sales_line('Nothing', tag='SalesReceiptLineAdd')}"
          "</SalesReceiptAdd></SalesReceiptAddRq>", 3140)
    q.one("<SalesReceiptModRq><SalesReceiptMod><TxnID>999-1700000000</TxnID><EditSequence>1</EditSequence>"
          "</SalesReceiptMod></SalesReceiptModRq>", 3120)


@with_old_version
def test_estimate_and_sales_order(seeded: Contract) -> None:
    """Non-posting forms: priced as an invoice is, no balance moves."""
    q = seeded
    list_id, sequence = identity(q.ret("<CustomerQueryRq><FullName>Jones</FullName></CustomerQueryRq>"))
    q.ret(f"<CustomerModRq><CustomerMod><ListID>{list_id}</ListID><EditSequence>{sequence}</EditSequence>"
          f"{ref('TermsRef', 'Net 30')}</CustomerMod></CustomerModRq>")
    before = (balance(q, "Account", "Accounts Receivable"), balance(q, "Account", "Sales"))
    estimate = q.ret(f"<EstimateAddRq><EstimateAdd>{ref('CustomerRef', 'Jones')}<TxnDate>2024-02-01</TxnDate>"
                     f"{sales_line('Consulting', '<Quantity>3</Quantity>', 'EstimateLineAdd')}</EstimateAdd>"
                     "</EstimateAddRq>")
    assert (estimate.findtext("RefNumber"), estimate.findtext("IsActive"), estimate.findtext("TotalAmount"),
            estimate.findtext("TemplateRef/FullName"), estimate.findtext("DueDate")) == (
        "1", "true", "285.00", "Custom Estimate", "2024-03-02")
    order = q.ret(f"<SalesOrderAddRq><SalesOrderAdd>{ref('CustomerRef', 'Jones:Kitchen')}<TxnDate>2024-02-02"
                  f"</TxnDate><RefNumber>SO-1</RefNumber>"
                  f"{sales_line('Widget', '<Quantity>4</Quantity>', 'SalesOrderLineAdd')}</SalesOrderAdd>"
                  "</SalesOrderAddRq>")
    assert (order.findtext("RefNumber"), order.findtext("TotalAmount"), order.findtext("IsManuallyClosed"),
            order.findtext("IsFullyInvoiced"), order.findtext("ShipDate")) == (
        "SO-1", "50.00", "false", "false", "2024-02-02")
    assert (balance(q, "Account", "Accounts Receivable"), balance(q, "Account", "Sales")) == before
    assert customer_balances(q, "Jones") == ("300.00", "300.00")
    order_id, sequence = txn(order)
    order = q.ret(f"<SalesOrderModRq><SalesOrderMod><TxnID>{order_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                  "<IsManuallyClosed>true</IsManuallyClosed></SalesOrderMod></SalesOrderModRq>")
    assert order.findtext("IsManuallyClosed") == "true"
    estimate_id, sequence = txn(estimate)
    estimate = q.ret(f"<EstimateModRq><EstimateMod><TxnID>{estimate_id}</TxnID><EditSequence>{sequence}"
                     "</EditSequence><IsActive>false</IsActive><Memo>Declined</Memo></EstimateMod></EstimateModRq>")
    assert (estimate.findtext("IsActive"), estimate.findtext("Memo")) == ("false", "Declined")
    rs = q.one("<EstimateQueryRq><TxnDateRangeFilter><FromTxnDate>2024-02-01</FromTxnDate></TxnDateRangeFilter>"
               "</EstimateQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [estimate_id]
    rs = q.one("<SalesOrderQueryRq><EntityFilter><FullNameWithChildren>Jones</FullNameWithChildren></EntityFilter>"
               "</SalesOrderQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [order_id]
    q.one(f"<TxnDelRq><TxnDelType>Estimate</TxnDelType><TxnID>{estimate_id}</TxnID></TxnDelRq>")
    q.one(f"<TxnDelRq><TxnDelType>SalesOrder</TxnDelType><TxnID>{order_id}</TxnID></TxnDelRq>")
    q.one("<EstimateQueryRq/>", 1)
    rs = q.one(f"<EstimateAddRq><EstimateAdd>{ref('CustomerRef', 'Nobody')}"
               f"{sales_line('Widget', tag='EstimateLineAdd')}</EstimateAdd></EstimateAddRq>", 3140)
    assert 'QuickBooks Customer "Nobody" in the Estimate.' in rs.get("statusMessage", "")
    q.one(f"<SalesOrderAddRq><SalesOrderAdd>{ref('CustomerRef', 'Jones')}"
          f"{sales_line('Widget', '<Amount>-5.00</Amount>', 'SalesOrderLineAdd')}</SalesOrderAdd></SalesOrderAddRq>",
          3180)


# -- more lists: types, ship methods, sales reps, price levels, groups, item sites -----------------------------------

@with_old_version
def test_type_lists_and_ship_methods(seeded: Contract) -> None:
    """Customer, vendor and job types (hierarchical) and ship methods: Add and Query; references to them work."""
    q = seeded
    for kind in ("CustomerType", "VendorType", "JobType"):
        top = q.ret(f"<{kind}AddRq><{kind}Add><Name>Trade</Name></{kind}Add></{kind}AddRq>")
        sub = q.ret(f"<{kind}AddRq><{kind}Add><Name>Local</Name>{ref('ParentRef', 'Trade')}</{kind}Add></{kind}AddRq>")
        assert (sub.findtext("FullName"), sub.findtext("Sublevel"), sub.findtext("ParentRef/ListID")) == (
            "Trade:Local", "1", top.findtext("ListID"))
        rs = q.one(f"<{kind}AddRq><{kind}Add><Name>TRADE</Name></{kind}Add></{kind}AddRq>", 3100)
        assert rs.get("statusMessage") == 'The name "TRADE" of the list element is already in use.'
        q.one(f"<{kind}AddRq><{kind}Add><Name>Orphan</Name>{ref('ParentRef', 'Nothing')}</{kind}Add></{kind}AddRq>",
              3130)
        assert [full_name(r) for r in q.one(f"<{kind}QueryRq><NameFilter><MatchCriterion>StartsWith"
                                            f"</MatchCriterion><Name>tr</Name></NameFilter></{kind}QueryRq>")] == [
            "Trade", "Trade:Local"]
        q.one(f'<{kind}QueryRq metaData="MetaDataOnly"><FullName>Trade:Local</FullName></{kind}QueryRq>')
    ship = q.ret("<ShipMethodAddRq><ShipMethodAdd><Name>Courier</Name><IsActive>false</IsActive></ShipMethodAdd>"
                 "</ShipMethodAddRq>")
    assert (ship.findtext("Name"), ship.findtext("IsActive")) == ("Courier", "false")
    assert names(q.one("<ShipMethodQueryRq/>")) == ["UPS"]
    assert names(q.one("<ShipMethodQueryRq><ActiveStatus>All</ActiveStatus></ShipMethodQueryRq>")) == ["Courier", "UPS"]
    q.one("<ShipMethodAddRq><ShipMethodAdd><Name>" + "U" * 16 + "</Name></ShipMethodAdd></ShipMethodAddRq>", 3070)
    customer = q.ret(f"<CustomerAddRq><CustomerAdd><Name>Typed</Name>{ref('CustomerTypeRef', 'Trade:Local')}"
                     f"{ref('SalesRepRef', 'SB')}{ref('PreferredPaymentMethodRef', 'Visa')}"
                     f"{ref('JobTypeRef', 'Trade')}{ref('PriceLevelRef', 'Trade')}</CustomerAdd></CustomerAddRq>")
    assert (customer.findtext("CustomerTypeRef/FullName"), customer.findtext("SalesRepRef/FullName"),
            customer.findtext("PriceLevelRef/FullName"), customer.findtext("JobTypeRef/FullName")) == (
        "Trade:Local", "SB", "Trade", "Trade")
    assert customer.findtext("PreferredPaymentMethodRef/FullName") == "Visa"
    vendor = q.ret(f"<VendorAddRq><VendorAdd><Name>Typed Vendor</Name>{ref('VendorTypeRef', 'Trade')}</VendorAdd>"
                   "</VendorAddRq>")
    assert vendor.findtext("VendorTypeRef/FullName") == "Trade"
    rs = q.one(f"<CustomerAddRq><CustomerAdd><Name>Untyped</Name>{ref('CustomerTypeRef', 'Nothing')}</CustomerAdd>"
               "</CustomerAddRq>", 3140)
    assert 'QuickBooks CustomerType "Nothing" in the Customer.' in rs.get("statusMessage", "")
    # a type in use cannot be deleted; an unused one can
    local = q.ret("<CustomerTypeQueryRq><FullName>Trade:Local</FullName></CustomerTypeQueryRq>").findtext("ListID")
    q.one(f"<ListDelRq><ListDelType>CustomerType</ListDelType><ListID>{local}</ListID></ListDelRq>", 3170)
    ship_id = ship.findtext("ListID")
    rs = q.one(f"<ListDelRq><ListDelType>ShipMethod</ListDelType><ListID>{ship_id}</ListID></ListDelRq>")
    assert rs.findtext("FullName") == "Courier"


@with_old_version
def test_sales_rep(seeded: Contract) -> None:
    """A sales rep is named by its initials and is an employee, a vendor or an other name."""
    q = seeded
    rep = q.ret("<SalesRepQueryRq><FullName>sb</FullName></SalesRepQueryRq>")
    assert (rep.findtext("Initial"), rep.findtext("SalesRepEntityRef/FullName")) == ("SB", "Sam Boss")
    new = q.ret(f"<SalesRepAddRq><SalesRepAdd><Initial>AS</Initial>{ref('SalesRepEntityRef', 'Acme Supply')}"
                "</SalesRepAdd></SalesRepAddRq>")
    list_id, sequence = identity(new)
    changed = q.ret(f"<SalesRepModRq><SalesRepMod><ListID>{list_id}</ListID><EditSequence>{sequence}</EditSequence>"
                    f"<Initial>ACS</Initial>{ref('SalesRepEntityRef', 'Owner')}</SalesRepMod></SalesRepModRq>")
    assert (changed.findtext("Initial"), changed.findtext("SalesRepEntityRef/FullName")) == ("ACS", "Owner")
    assert [r.findtext("Initial") for r in q.one("<SalesRepQueryRq/>")] == ["ACS", "SB"]
    rs = q.one(f"<SalesRepAddRq><SalesRepAdd><Initial>sb</Initial>{ref('SalesRepEntityRef', 'Pat Lee')}"
               "</SalesRepAdd></SalesRepAddRq>", 3100)
    assert rs.get("statusMessage") == 'The name "sb" of the list element is already in use.'
    rs = q.one(f"<SalesRepAddRq><SalesRepAdd><Initial>JO</Initial>{ref('SalesRepEntityRef', 'Jones')}"
               "</SalesRepAdd></SalesRepAddRq>", 3140)  # a customer cannot be a sales rep
    assert 'QuickBooks Entity "Jones" in the SalesRep.' in rs.get("statusMessage", "")
    q.one(f"<SalesRepAddRq><SalesRepAdd><Initial>TOOLONG</Initial>{ref('SalesRepEntityRef', 'Pat Lee')}"
          "</SalesRepAdd></SalesRepAddRq>", 3070)
    q.one(f"<SalesRepModRq><SalesRepMod><ListID>{list_id}</ListID><EditSequence>{sequence}</EditSequence>"
          "</SalesRepMod></SalesRepModRq>", 3200)
    q.one(f"<ListDelRq><ListDelType>SalesRep</ListDelType><ListID>{list_id}</ListID></ListDelRq>")
    q.one(f"<SalesRepQueryRq><ListID>{list_id}</ListID></SalesRepQueryRq>", 500)


@with_old_version
def test_groups_and_price_levels(seeded: Contract) -> None:
    """What a group, a sales tax group or an assembly may hold; price levels by item, adjusted and filtered."""
    q = seeded
    rs = q.one(f"<ItemGroupAddRq><ItemGroupAdd><Name>Nested</Name><ItemGroupLine>{ref('ItemRef', 'Coffee Kit')}"
               "</ItemGroupLine></ItemGroupAdd></ItemGroupAddRq>", 3140)  # no group in a group
    assert 'QuickBooks Item "Coffee Kit" in the ItemGroup.' in rs.get("statusMessage", "")
    q.one(f"<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>Nested</Name>{ref('ItemSalesTaxRef', 'City Tax')}"
          "</ItemSalesTaxGroupAdd></ItemSalesTaxGroupAddRq>", 3140)
    q.one(f"<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>Nested</Name>{ref('ItemSalesTaxRef', 'Widget')}"
          "</ItemSalesTaxGroupAdd></ItemSalesTaxGroupAddRq>", 3140)
    q.one(f"<ItemInventoryAssemblyAddRq><ItemInventoryAssemblyAdd><Name>Nested</Name><ItemInventoryAssemblyLine>"
          f"{ref('ItemInventoryRef', 'Subtotal')}</ItemInventoryAssemblyLine></ItemInventoryAssemblyAdd>"
          "</ItemInventoryAssemblyAddRq>", 3140)
    kit = q.ret("<ItemGroupQueryRq><FullName>Coffee Kit</FullName></ItemGroupQueryRq>")
    assert [(e.findtext("ItemRef/FullName"), e.findtext("Quantity")) for e in kit.findall("ItemGroupLine")] == [
        ("Beans", "2"), ("Widget", "1")]
    kit = q.ret(f"<ItemGroupModRq><ItemGroupMod><ListID>{kit.findtext('ListID')}</ListID><EditSequence>"
                f"{kit.findtext('EditSequence')}</EditSequence><ClearItemsInGroup>true</ClearItemsInGroup>"
                "</ItemGroupMod></ItemGroupModRq>")
    assert kit.find("ItemGroupLine") is None and kit.findtext("IsPrintItemsInGroup") == "false"
    box = q.ret("<ItemInventoryAssemblyQueryRq><FullName>Gift Box</FullName></ItemInventoryAssemblyQueryRq>")
    assert (box.findtext("ItemInventoryAssemblyLine/ItemInventoryRef/FullName"), box.findtext("QuantityOnHand")) == (
        "Beans", "0")
    discount = q.ret("<ItemDiscountQueryRq><FullName>Loyalty</FullName></ItemDiscountQueryRq>")
    discount = q.ret(f"<ItemDiscountModRq><ItemDiscountMod><ListID>{discount.findtext('ListID')}</ListID>"
                     f"<EditSequence>{discount.findtext('EditSequence')}</EditSequence><DiscountRate>2.50"
                     "</DiscountRate></ItemDiscountMod></ItemDiscountModRq>")
    assert (discount.findtext("DiscountRate"), discount.find("DiscountRatePercent")) == ("2.5", None)
    # price levels: by item, adjusted from the item's cost or the level's current price
    level = q.ret(f"<PriceLevelAddRq><PriceLevelAdd><Name>Cost Plus</Name><PriceLevelPerItem>{ref('ItemRef', 'Beans')}"
                  "<AdjustPercentage>50</AdjustPercentage><AdjustRelativeTo>Cost</AdjustRelativeTo></PriceLevelPerItem>"
                  "</PriceLevelAdd></PriceLevelAddRq>")
    assert level.findtext("PriceLevelPerItemRet/CustomPrice") == "9"  # 6.00 + 50%
    level = q.ret(f"<PriceLevelModRq><PriceLevelMod><ListID>{level.findtext('ListID')}</ListID><EditSequence>"
                  f"{level.findtext('EditSequence')}</EditSequence><PriceLevelPerItem>{ref('ItemRef', 'Beans')}"
                  "<AdjustPercentage>10</AdjustPercentage><AdjustRelativeTo>CurrentCustomPrice</AdjustRelativeTo>"
                  f"</PriceLevelPerItem><PriceLevelPerItem>{ref('ItemRef', 'Consulting')}<CustomPricePercent>-5"
                  "</CustomPricePercent></PriceLevelPerItem></PriceLevelMod></PriceLevelModRq>")
    assert [(e.findtext("ItemRef/FullName"), e.findtext("CustomPrice"), e.findtext("CustomPricePercent"))
            for e in level.findall("PriceLevelPerItemRet")] == [("Beans", "9.9", None), ("Consulting", None, "-5")]
    assert names(q.one(f"<PriceLevelQueryRq>{ref('ItemRef', 'Consulting')}</PriceLevelQueryRq>")) == ["Cost Plus"]
    q.one(f"<PriceLevelQueryRq>{ref('ItemRef', 'Widget')}</PriceLevelQueryRq>", 1)
    q.one(f"<PriceLevelQueryRq>{ref('ItemRef', 'No Such Item')}</PriceLevelQueryRq>", 1)
    trade = q.ret("<PriceLevelQueryRq><FullName>Trade</FullName></PriceLevelQueryRq>")
    assert (trade.findtext("PriceLevelType"), trade.findtext("PriceLevelFixedPercentage")) == ("FixedPercentage", "-10")


@pytest.mark.parametrize("version", VERSIONS)
def test_item_sites(seeded: Contract) -> None:
    """Each inventory part and assembly in the one place a company without inventory sites stocks it."""
    q = seeded
    rs = q.one("<ItemSitesQueryRq/>")
    assert [(r[4].tag, r.findtext("*/FullName"), r.findtext("QuantityOnHand"), r.findtext("ReorderLevel"),
             r.findtext("AssemblyBuildPoint")) for r in rs] == [
        ("ItemInventoryRef", "Beans", "40", "10", None), ("ItemInventoryAssemblyRef", "Gift Box", "0", None, "3")]
    beans = q.ret("<ItemInventoryQueryRq><FullName>Beans</FullName></ItemInventoryQueryRq>")
    assert rs[0].findtext("ListID") == beans.findtext("ListID") and rs[0].find("InventorySiteRef") is None
    rs = q.one("<ItemSitesQueryRq><ItemTypeFilter>Assembly</ItemTypeFilter></ItemSitesQueryRq>")
    assert [r.findtext("*/FullName") for r in rs] == ["Gift Box"]
    q.one("<ItemSitesQueryRq><ItemTypeFilter>Service</ItemTypeFilter></ItemSitesQueryRq>", 1)
    rs = q.one("<ItemSitesQueryRq><ItemSiteFilter><ItemFilter><FullName>Beans</FullName></ItemFilter>"
               "</ItemSiteFilter></ItemSitesQueryRq>")
    assert [r.findtext("*/FullName") for r in rs] == ["Beans"]
    q.one("<ItemSitesQueryRq><ItemSiteFilter><SiteFilter><FullName>Main</FullName></SiteFilter></ItemSiteFilter>"
          "</ItemSitesQueryRq>", 1)
    rs = q.one(f"<ItemSitesQueryRq><ListID>{beans.findtext('ListID')}</ListID></ItemSitesQueryRq>")
    assert len(rs) == 1
    rs = q.one('<ItemSitesQueryRq iterator="Start"><MaxReturned>1</MaxReturned></ItemSitesQueryRq>')
    assert len(rs) == 1 and rs.get("iteratorRemainingCount") == "1"


# -- purchase orders, item receipts, credit card charges and credits, deposits ---------------------------------------

def po_line(item: str, extra: str = "", tag: str = "PurchaseOrderLineAdd") -> str:
    return f"<{tag}>{ref('ItemRef', item)}{extra}</{tag}>"


def item_line(item: str, extra: str = "", tag: str = "ItemLineAdd") -> str:
    return f"<{tag}>{ref('ItemRef', item)}{extra}</{tag}>"


@with_old_version
def test_purchase_order(seeded: Contract) -> None:
    """A non-posting form: priced from the items' costs, numbered, no balance moves."""
    q = seeded
    before = (balance(q, "Vendor", "Acme Supply"), balance(q, "Account", "Accounts Payable"))
    ret = q.ret(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-26</TxnDate>"
                f"{po_line('Beans', '<Quantity>10</Quantity>')}"
                f"{po_line('Widget', '<Quantity>4</Quantity><Rate>7.00</Rate>')}"
                "<PurchaseOrderLineAdd><Desc>Deliver to the back door</Desc></PurchaseOrderLineAdd>"
                "</PurchaseOrderAdd></PurchaseOrderAddRq>")
    po_id, sequence = txn(ret)
    assert (ret.findtext("RefNumber"), ret.findtext("TemplateRef/FullName"), ret.findtext("TotalAmount"),
            ret.findtext("DueDate"), ret.findtext("IsManuallyClosed"), ret.findtext("IsFullyReceived")) == (
        "1", "Custom Purchase Order", "88.00", "2024-02-26", "false", "false")
    assert ret.findtext("VendorAddressBlock/Addr1") == "Acme Supply Co"
    lines = ret.findall("PurchaseOrderLineRet")
    assert [(x.findtext("Desc"), x.findtext("Quantity"), x.findtext("Rate"), x.findtext("Amount")) for x in lines] == [
        ("Green beans", "10", "6", "60.00"), (None, "4", "7", "28.00"), ("Deliver to the back door", None, None, None)]
    assert (balance(q, "Vendor", "Acme Supply"), balance(q, "Account", "Accounts Payable")) == before
    ret = q.ret(f"<PurchaseOrderModRq><PurchaseOrderMod><TxnID>{po_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                "<IsManuallyClosed>true</IsManuallyClosed><PurchaseOrderLineMod><TxnLineID>"
                f"{lines[0].findtext('TxnLineID')}</TxnLineID><Quantity>12</Quantity></PurchaseOrderLineMod>"
                "</PurchaseOrderMod></PurchaseOrderModRq>")
    assert (ret.findtext("TotalAmount"), ret.findtext("IsManuallyClosed")) == ("72.00", "true")
    second = q.ret(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}"
                   f"{po_line('Widget')}</PurchaseOrderAdd></PurchaseOrderAddRq>")
    assert (second.findtext("RefNumber"), second.findtext("TotalAmount")) == ("2", "7.25")
    rs = q.one("<PurchaseOrderQueryRq><RefNumber>1</RefNumber><IncludeLineItems>true</IncludeLineItems>"
               "</PurchaseOrderQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [po_id] and len(rs[0].findall("PurchaseOrderLineRet")) == 1
    rs = q.one("<PurchaseOrderQueryRq><EntityFilter><FullName>Acme Supply</FullName></EntityFilter>"
               "</PurchaseOrderQueryRq>")
    assert len(rs) == 2
    q.one(f"<TxnDelRq><TxnDelType>PurchaseOrder</TxnDelType><TxnID>{po_id}</TxnID></TxnDelRq>")
    q.one(f"<PurchaseOrderQueryRq><TxnID>{po_id}</TxnID></PurchaseOrderQueryRq>", 500)
    # errors
    rs = q.one(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{po_line('Widget')}</PurchaseOrderAdd></PurchaseOrderAddRq>",
               3180)
    assert rs.get("statusMessage", "").endswith("A vendor must be specified.")
    rs = q.one(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}{po_line('Nothing')}"
               "</PurchaseOrderAdd></PurchaseOrderAddRq>", 3140)
    assert 'QuickBooks Item "Nothing" in the PurchaseOrder line.' in rs.get("statusMessage", "")
    q.one(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Jones')}{po_line('Widget')}"
          "</PurchaseOrderAdd></PurchaseOrderAddRq>", 3140)
    q.one("<PurchaseOrderModRq><PurchaseOrderMod><TxnID>999-1700000000</TxnID><EditSequence>1</EditSequence>"
          "</PurchaseOrderMod></PurchaseOrderModRq>", 3120)


@with_old_version
def test_item_receipt(seeded: Contract) -> None:
    """Items received without a bill: posted as a bill is, in the vendor's balance, but not open to payments."""
    q = seeded
    ret = q.ret(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-27</TxnDate>"
                f"<RefNumber>PS-88</RefNumber>{expense('Supplies', '10.00')}"
                f"{item_line('Beans', '<Quantity>5</Quantity>')}</ItemReceiptAdd></ItemReceiptAddRq>")
    receipt_id, sequence = txn(ret)
    assert (ret.findtext("TotalAmount"), ret.findtext("APAccountRef/FullName"), ret.findtext("ItemLineRet/Cost"),
            ret.findtext("ItemLineRet/Amount")) == ("40.00", "Accounts Payable", "6", "30.00")
    assert (balance(q, "Vendor", "Acme Supply"), balance(q, "Account", "Accounts Payable"),
            balance(q, "Account", "Inventory Asset"), balance(q, "Account", "Supplies")) == (
        "160.50", "160.50", "270.00", "10.00")  # Beans opened with 240.00 of stock
    (rs,) = check_payment(q, receipt_id, "40.00")
    assert rs.get("statusCode") == "3120"  # not a bill
    ret = q.ret(f"<ItemReceiptModRq><ItemReceiptMod><TxnID>{receipt_id}</TxnID><EditSequence>{sequence}"
                f"</EditSequence><Memo>Short one bag</Memo><ItemLineMod><TxnLineID>"
                f"{ret.findtext('ItemLineRet/TxnLineID')}</TxnLineID><Quantity>4</Quantity></ItemLineMod>"
                "</ItemReceiptMod></ItemReceiptModRq>")
    assert (ret.findtext("TotalAmount"), ret.findtext("ExpenseLineRet/Amount")) == ("34.00", "10.00")
    assert balance(q, "Vendor", "Acme Supply") == "154.50"
    rs = q.one("<ItemReceiptQueryRq><RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>PS"
               "</RefNumber></RefNumberFilter></ItemReceiptQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [receipt_id]
    q.one(f"<TxnVoidRq><TxnVoidType>ItemReceipt</TxnVoidType><TxnID>{receipt_id}</TxnID></TxnVoidRq>")
    assert (balance(q, "Vendor", "Acme Supply"), balance(q, "Account", "Inventory Asset")) == ("120.50", "240.00")
    q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}<LinkToTxnID>{receipt_id}</LinkToTxnID></BillAdd>"
          "</BillAddRq>", 3120)  # a voided receipt has nothing left to bill
    q.one(f"<TxnDelRq><TxnDelType>ItemReceipt</TxnDelType><TxnID>{receipt_id}</TxnID></TxnDelRq>")
    rs = q.one(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Nobody')}{item_line('Beans')}"
               "</ItemReceiptAdd></ItemReceiptAddRq>", 3140)
    assert 'QuickBooks Vendor "Nobody" in the ItemReceipt.' in rs.get("statusMessage", "")
    q.one(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Acme Supply')}</ItemReceiptAdd></ItemReceiptAddRq>",
          3180)
    q.one(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Acme Supply')}{ref('APAccountRef', 'Checking')}"
          f"{item_line('Beans')}</ItemReceiptAdd></ItemReceiptAddRq>", 3140)


@with_old_version
def test_credit_card_charge_and_credit(seeded: Contract) -> None:
    q = seeded
    charge = q.ret(f"<CreditCardChargeAddRq><CreditCardChargeAdd>{ref('AccountRef', 'Visa')}"
                   f"{ref('PayeeEntityRef', 'Acme Supply')}<TxnDate>2024-02-28</TxnDate><RefNumber>4471</RefNumber>"
                   f"{expense('Supplies', '25.00')}{item_line('Widget', '<Quantity>2</Quantity>')}"
                   "</CreditCardChargeAdd></CreditCardChargeAddRq>")
    charge_id, sequence = txn(charge)
    assert (charge.findtext("Amount"), charge.findtext("PayeeEntityRef/FullName")) == ("39.50", "Acme Supply")
    assert (balance(q, "Account", "Visa"), balance(q, "Account", "Supplies"), balance(q, "Vendor", "Acme Supply")) == (
        "39.50", "39.50", "120.50")
    credit = q.ret(f"<CreditCardCreditAddRq><CreditCardCreditAdd>{ref('AccountRef', 'Visa')}"
                   f"{ref('PayeeEntityRef', 'Acme Supply')}<TxnDate>2024-02-29</TxnDate>{expense('Supplies', '10.00')}"
                   "</CreditCardCreditAdd></CreditCardCreditAddRq>")
    assert credit.findtext("Amount") == "10.00"
    assert (balance(q, "Account", "Visa"), balance(q, "Account", "Supplies")) == ("29.50", "29.50")
    charge = q.ret(f"<CreditCardChargeModRq><CreditCardChargeMod><TxnID>{charge_id}</TxnID><EditSequence>{sequence}"
                   f"</EditSequence><ExpenseLineMod><TxnLineID>{charge.findtext('ExpenseLineRet/TxnLineID')}"
                   "</TxnLineID><Amount>30.00</Amount></ExpenseLineMod></CreditCardChargeMod></CreditCardChargeModRq>")
    assert charge.findtext("Amount") == "44.50" and balance(q, "Account", "Visa") == "34.50"
    rs = q.one("<CreditCardChargeQueryRq><AccountFilter><FullName>Visa</FullName></AccountFilter>"
               "</CreditCardChargeQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [charge_id]
    q.one(f"<TxnVoidRq><TxnVoidType>CreditCardCredit</TxnVoidType><TxnID>{credit.findtext('TxnID')}</TxnID>"
          "</TxnVoidRq>")
    assert balance(q, "Account", "Visa") == "44.50"
    q.one(f"<TxnDelRq><TxnDelType>CreditCardCharge</TxnDelType><TxnID>{charge_id}</TxnID></TxnDelRq>")
    assert (balance(q, "Account", "Visa"), balance(q, "Account", "Supplies")) == ("0.00", "0.00")
    rs = q.one(f"<CreditCardChargeAddRq><CreditCardChargeAdd>{ref('AccountRef', 'Checking')}"
               f"{expense('Supplies', '1.00')}</CreditCardChargeAdd></CreditCardChargeAddRq>", 3140)
    assert 'QuickBooks Account "Checking" in the CreditCardCharge.' in rs.get("statusMessage", "")
    q.one(f"<CreditCardCreditAddRq><CreditCardCreditAdd>{ref('AccountRef', 'Visa')}</CreditCardCreditAdd>"
          "</CreditCardCreditAddRq>", 3180)
    q.one(f"<CreditCardChargeAddRq><CreditCardChargeAdd>{ref('AccountRef', 'Visa')}{expense('Supplies', '-1.00')}"
          "</CreditCardChargeAdd></CreditCardChargeAddRq>", 3180)


def payment_held(q: Contract, number: str, total: str) -> str:
    """A payment from Jones left in Undeposited Funds; its TxnID."""
    (rs,) = receive_payment(q, f"<RefNumber>{number}</RefNumber><TotalAmount>{total}</TotalAmount>"
                               f"{ref('PaymentMethodRef', 'Check')}<Memo>From Jones</Memo>"
                               "<IsAutoApply>false</IsAutoApply>")
    return rs[0].findtext("TxnID") or ""


@with_old_version
def test_deposit(seeded: Contract) -> None:
    """A deposit empties Undeposited Funds of the payments it holds and puts the money in the bank."""
    q = seeded
    payment_id = payment_held(q, "CHK-7", "100.00")
    receipt = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd><TxnDate>2024-03-01</TxnDate><CheckNumber>555</CheckNumber>"
                    f"{sales_line('Widget', '<Quantity>4</Quantity>', 'SalesReceiptLineAdd')}</SalesReceiptAdd>"
                    "</SalesReceiptAddRq>")
    receipt_id = receipt.findtext("TxnID") or ""
    assert balance(q, "Account", "Undeposited Funds") == "150.00"
    ret = q.ret(f"<DepositAddRq><DepositAdd><TxnDate>2024-03-01</TxnDate>{ref('DepositToAccountRef', 'Checking')}"
                f"<Memo>Friday deposit</Memo><CashBackInfoAdd>{ref('AccountRef', 'Supplies')}<Amount>30.00</Amount>"
                f"</CashBackInfoAdd><DepositLineAdd><PaymentTxnID>{payment_id}</PaymentTxnID></DepositLineAdd>"
                f"<DepositLineAdd><PaymentTxnID>{receipt_id}</PaymentTxnID><OverrideMemo>Counter sale</OverrideMemo>"
                f"</DepositLineAdd><DepositLineAdd>{ref('EntityRef', 'Owner')}{ref('AccountRef', 'Sales')}"
                "<Memo>Scrap sold</Memo><Amount>20.00</Amount></DepositLineAdd></DepositAdd></DepositAddRq>")
    deposit_id, sequence = txn(ret)
    assert (ret.findtext("DepositTotal"), ret.findtext("CashBackInfoRet/Amount"),
            ret.findtext("CashBackInfoRet/AccountRef/FullName")) == ("140.00", "30.00", "Supplies")
    lines = ret.findall("DepositLineRet")
    assert [(x.findtext("TxnType"), x.findtext("TxnID"), x.findtext("EntityRef/FullName"),
             x.findtext("AccountRef/FullName"), x.findtext("Memo"), x.findtext("CheckNumber"),
             x.findtext("PaymentMethodRef/FullName"), x.findtext("Amount")) for x in lines] == [
        ("ReceivePayment", payment_id, "Jones", "Undeposited Funds", "From Jones", "CHK-7", "Check", "100.00"),
        ("SalesReceipt", receipt_id, None, "Undeposited Funds", "Counter sale", "555", None, "50.00"),
        (None, None, "Owner", "Sales", "Scrap sold", None, None, "20.00")]
    assert (balance(q, "Account", "Undeposited Funds"), balance(q, "Account", "Checking"),
            balance(q, "Account", "Supplies"), balance(q, "Account", "Sales")) == ("0.00", "2640.00", "30.00", "70.00")
    # a payment is deposited once; a deposited payment keeps its amount and stays where it is
    rs = q.one(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Checking')}<DepositLineAdd><PaymentTxnID>"
               f"{payment_id}</PaymentTxnID></DepositLineAdd></DepositAdd></DepositAddRq>", 3120)
    rs = q.one(f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment_id}</TxnID></TxnDelRq>", 3180)
    assert rs.get("statusMessage", "").endswith("This transaction is linked to other transactions.")
    payment = q.ret(f"<ReceivePaymentQueryRq><TxnID>{payment_id}</TxnID></ReceivePaymentQueryRq>")
    q.one(f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{payment_id}</TxnID><EditSequence>"
          f"{payment.findtext('EditSequence')}</EditSequence><TotalAmount>90.00</TotalAmount></ReceivePaymentMod>"
          "</ReceivePaymentModRq>", 3180)
    # a Mod that drops a payment's line returns it to Undeposited Funds
    ret = q.ret(f"<DepositModRq><DepositMod><TxnID>{deposit_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                f"<DepositLineMod><TxnLineID>{lines[0].findtext('TxnLineID')}</TxnLineID><PaymentTxnID>{payment_id}"
                "</PaymentTxnID><OverrideCheckNumber>7</OverrideCheckNumber></DepositLineMod></DepositMod>"
                "</DepositModRq>")
    assert (ret.findtext("DepositTotal"), ret.findtext("DepositLineRet/CheckNumber")) == ("70.00", "7")
    assert (balance(q, "Account", "Undeposited Funds"), balance(q, "Account", "Checking")) == ("50.00", "2570.00")
    rs = q.one("<DepositQueryRq><AccountFilter><FullName>Checking</FullName></AccountFilter><IncludeLineItems>true"
               "</IncludeLineItems></DepositQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [deposit_id] and len(rs[0].findall("DepositLineRet")) == 1
    q.one(f"<TxnVoidRq><TxnVoidType>Deposit</TxnVoidType><TxnID>{deposit_id}</TxnID></TxnVoidRq>")
    assert (balance(q, "Account", "Undeposited Funds"), balance(q, "Account", "Checking")) == ("150.00", "2500.00")
    q.one(f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment_id}</TxnID></TxnDelRq>")
    q.one(f"<TxnDelRq><TxnDelType>Deposit</TxnDelType><TxnID>{deposit_id}</TxnID></TxnDelRq>")
    # errors
    rs = q.one(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Undeposited Funds')}<DepositLineAdd>"
               f"<PaymentTxnID>{receipt_id}</PaymentTxnID></DepositLineAdd></DepositAdd></DepositAddRq>", 3140)
    q.one(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Sales')}<DepositLineAdd><PaymentTxnID>"
          f"{receipt_id}</PaymentTxnID></DepositLineAdd></DepositAdd></DepositAddRq>", 3140)
    q.one(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Checking')}<DepositLineAdd><PaymentTxnID>"
          "999-1700000000</PaymentTxnID></DepositLineAdd></DepositAdd></DepositAddRq>", 3120)
    q.one(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Checking')}</DepositAdd></DepositAddRq>", 3180)
    q.one(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Checking')}<DepositLineAdd>"
          f"{ref('AccountRef', 'Nothing')}<Amount>1.00</Amount></DepositLineAdd></DepositAdd></DepositAddRq>", 3140)


# -- forms made from other forms: purchase orders received and billed, estimates and sales orders invoiced -----------

def linked(ret: etree._Element) -> list[tuple[str | None, str | None, str | None]]:
    return [(x.findtext("TxnType"), x.findtext("LinkType"), x.findtext("Amount")) for x in ret.findall("LinkedTxn")]


def po_lines(q: Contract, po_id: str) -> tuple[etree._Element, list[tuple[str | None, ...]]]:
    po = q.ret(f"<PurchaseOrderQueryRq><TxnID>{po_id}</TxnID><IncludeLineItems>true</IncludeLineItems>"
               "<IncludeLinkedTxns>true</IncludeLinkedTxns></PurchaseOrderQueryRq>")
    return po, [(x.findtext("ReceivedQuantity"), x.findtext("UnbilledQuantity"), x.findtext("IsBilled"))
                for x in po.findall("PurchaseOrderLineRet")]


@with_old_version
def test_purchase_order_received_and_billed(seeded: Contract) -> None:
    """An item receipt and a bill take a purchase order's lines; a bill turns an item receipt into a bill."""
    q = seeded
    po = q.ret(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-20</TxnDate>"
               f"{po_line('Beans', '<Quantity>10</Quantity>')}"
               f"{po_line('Widget', '<Quantity>4</Quantity><Rate>7.00</Rate>')}</PurchaseOrderAdd>"
               "</PurchaseOrderAddRq>")
    po_id = po.findtext("TxnID") or ""
    beans_line = po.findall("PurchaseOrderLineRet")[0].findtext("TxnLineID")
    receipt = q.ret(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-22</TxnDate>"
                    f"<ItemLineAdd><Quantity>6</Quantity><LinkToTxn><TxnID>{po_id}</TxnID><TxnLineID>{beans_line}"
                    "</TxnLineID></LinkToTxn></ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>")
    receipt_id = receipt.findtext("TxnID") or ""
    line = receipt.find("ItemLineRet")
    assert (line.findtext("ItemRef/FullName"), line.findtext("Cost"), line.findtext("Amount")) == (
        "Beans", "6", "36.00")
    po, lines = po_lines(q, po_id)
    assert lines == [("6", "10", "false"), ("0", "4", "false")] and po.findtext("IsFullyReceived") == "false"
    assert linked(po) == [("ItemReceipt", "QUANTYPE", "0.00")]
    receipt = q.ret(f"<ItemReceiptQueryRq><TxnID>{receipt_id}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns>"
                    "</ItemReceiptQueryRq>")
    assert linked(receipt) == [("PurchaseOrder", "QUANTYPE", "0.00")]
    # a bill for what is left on the order
    bill = q.ret(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-25</TxnDate>"
                 f"<LinkToTxnID>{po_id}</LinkToTxnID></BillAdd></BillAddRq>")
    assert [(x.findtext("ItemRef/FullName"), x.findtext("Quantity"), x.findtext("Amount"))
            for x in bill.findall("ItemLineRet")] == [("Beans", "4", "24.00"), ("Widget", "4", "28.00")]
    po, lines = po_lines(q, po_id)
    assert lines == [("10", "6", "false"), ("4", "0", "true")] and po.findtext("IsFullyReceived") == "true"
    # the item receipt turned into a bill: its lines, then it is gone
    converted = q.ret(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}<TxnDate>2024-02-28</TxnDate>"
                      f"<LinkToTxnID>{receipt_id}</LinkToTxnID></BillAdd></BillAddRq>")
    assert (converted.findtext("AmountDue"), converted.findtext("ItemLineRet/Quantity")) == ("36.00", "6")
    q.one(f"<ItemReceiptQueryRq><TxnID>{receipt_id}</TxnID></ItemReceiptQueryRq>", 500)
    rs = q.one("<TxnDeletedQueryRq><TxnDelType>ItemReceipt</TxnDelType></TxnDeletedQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [receipt_id]
    po, lines = po_lines(q, po_id)
    assert lines == [("10", "0", "true"), ("4", "0", "true")]
    assert sorted(t for t, _, _ in linked(po)) == ["Bill", "Bill"]
    assert balance(q, "Vendor", "Acme Supply") == "208.50"  # 120.50 + 52.00 + 36.00
    # what cannot be linked
    rs = q.one(f"<TxnDelRq><TxnDelType>PurchaseOrder</TxnDelType><TxnID>{po_id}</TxnID></TxnDelRq>", 3180)
    q.one(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Owed Us')}<LinkToTxnID>{po_id}</LinkToTxnID>"
          "</ItemReceiptAdd></ItemReceiptAddRq>", 3140)  # no such vendor in this company
    q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}<ItemLineAdd><LinkToTxn><TxnID>{po_id}</TxnID>"
          "<TxnLineID>999-1700000000</TxnLineID></LinkToTxn></ItemLineAdd></BillAdd></BillAddRq>", 3120)
    q.one(f"<VendorCreditAddRq><VendorCreditAdd>{ref('VendorRef', 'Acme Supply')}<ItemLineAdd><LinkToTxn><TxnID>"
          f"{po_id}</TxnID><TxnLineID>{beans_line}</TxnLineID></LinkToTxn></ItemLineAdd></VendorCreditAdd>"
          "</VendorCreditAddRq>", 3120)
    closed = q.ret(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}{po_line('Widget')}"
                   "</PurchaseOrderAdd></PurchaseOrderAddRq>")
    closed = q.ret(f"<PurchaseOrderModRq><PurchaseOrderMod><TxnID>{closed.findtext('TxnID')}</TxnID><EditSequence>"
                   f"{closed.findtext('EditSequence')}</EditSequence><IsManuallyClosed>true</IsManuallyClosed>"
                   "</PurchaseOrderMod></PurchaseOrderModRq>")
    q.one(f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme Supply')}<LinkToTxnID>{closed.findtext('TxnID')}"
          "</LinkToTxnID></BillAdd></BillAddRq>", 3120)  # a closed order
    charge = q.ret(f"<CreditCardChargeAddRq><CreditCardChargeAdd>{ref('AccountRef', 'Visa')}"
                   f"{ref('PayeeEntityRef', 'Acme Supply')}<ItemLineAdd><Quantity>1</Quantity><LinkToTxn><TxnID>{po_id}"
                   f"</TxnID><TxnLineID>{beans_line}</TxnLineID></LinkToTxn></ItemLineAdd></CreditCardChargeAdd>"
                   "</CreditCardChargeAddRq>")
    assert charge.findtext("Amount") == "6.00" and po_lines(q, po_id)[1][0] == ("11", "0", "true")


@with_old_version
def test_invoices_from_estimates_and_sales_orders(seeded: Contract) -> None:
    q = seeded
    estimate = q.ret(f"<EstimateAddRq><EstimateAdd>{ref('CustomerRef', 'Jones')}<TxnDate>2024-02-01</TxnDate>"
                     f"{sales_line('Consulting', '<Quantity>3</Quantity>', 'EstimateLineAdd')}</EstimateAdd>"
                     "</EstimateAddRq>")
    estimate_id = estimate.findtext("TxnID") or ""
    invoice = invoice_add(q, "", f"<LinkToTxnID>{estimate_id}</LinkToTxnID>")
    assert [(x.findtext("ItemRef/FullName"), x.findtext("Quantity"), x.findtext("Rate"), x.findtext("Amount"))
            for x in invoice.findall("InvoiceLineRet")] == [("Consulting", "3", "95", "285.00")]
    assert customer_balances(q, "Jones") == ("585.00", "585.00")
    invoice = q.ret(f"<InvoiceQueryRq><TxnID>{invoice.findtext('TxnID')}</TxnID><IncludeLinkedTxns>true"
                    "</IncludeLinkedTxns></InvoiceQueryRq>")
    assert linked(invoice) == [("Estimate", "QUANTYPE", "0.00")]
    estimate = q.ret(f"<EstimateQueryRq><TxnID>{estimate_id}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns>"
                     "</EstimateQueryRq>")
    assert linked(estimate) == [("Invoice", "QUANTYPE", "0.00")]
    order = q.ret(f"<SalesOrderAddRq><SalesOrderAdd>{ref('CustomerRef', 'Jones')}<TxnDate>2024-02-02</TxnDate>"
                  f"{sales_line('Widget', '<Quantity>4</Quantity>', 'SalesOrderLineAdd')}</SalesOrderAdd>"
                  "</SalesOrderAddRq>")
    order_id, order_line = order.findtext("TxnID") or "", order.findtext("SalesOrderLineRet/TxnLineID")
    part = invoice_add(q, f"<InvoiceLineAdd><Quantity>1</Quantity><LinkToTxn><TxnID>{order_id}</TxnID><TxnLineID>"
                          f"{order_line}</TxnLineID></LinkToTxn></InvoiceLineAdd>")
    assert part.findtext("Subtotal") == "12.50"
    order = q.ret(f"<SalesOrderQueryRq><TxnID>{order_id}</TxnID><IncludeLineItems>true</IncludeLineItems>"
                  "</SalesOrderQueryRq>")
    assert (order.findtext("SalesOrderLineRet/Invoiced"), order.findtext("IsFullyInvoiced")) == ("1", "false")
    rest = invoice_add(q, "", f"<LinkToTxnID>{order_id}</LinkToTxnID>")
    assert (rest.findtext("Subtotal"), rest.findtext("InvoiceLineRet/Quantity")) == ("37.50", "3")
    order = q.ret(f"<SalesOrderQueryRq><TxnID>{order_id}</TxnID><IncludeLineItems>true</IncludeLineItems>"
                  "</SalesOrderQueryRq>")
    assert (order.findtext("SalesOrderLineRet/Invoiced"), order.findtext("IsFullyInvoiced")) == ("4", "true")
    # deleting an invoice opens the order again
    q.one(f"<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>{rest.findtext('TxnID')}</TxnID></TxnDelRq>")
    order = q.ret(f"<SalesOrderQueryRq><TxnID>{order_id}</TxnID><IncludeLineItems>true</IncludeLineItems>"
                  "</SalesOrderQueryRq>")
    assert (order.findtext("SalesOrderLineRet/Invoiced"), order.findtext("IsFullyInvoiced")) == ("1", "false")
    q.one(f"<TxnDelRq><TxnDelType>Estimate</TxnDelType><TxnID>{estimate_id}</TxnID></TxnDelRq>", 3180)
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones:Kitchen')}<LinkToTxnID>{estimate_id}"
               "</LinkToTxnID></InvoiceAdd></InvoiceAddRq>", 3120)  # another customer's estimate
    assert rs.get("statusMessage", "").startswith(f'Object "{estimate_id}" specified in the request cannot be')


@with_old_version
def test_transaction_query(seeded: Contract) -> None:
    """Transactions of every type, one summary each: the main account and what posts to it."""
    q = seeded
    bill = bill_add(q, expense("Supplies", "40.00"), "<RefNumber>B-1</RefNumber>")
    invoice = invoice_add(q, sales_line("Widget", "<Quantity>2</Quantity>"))
    order = q.ret(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}{po_line('Widget')}"
                  "</PurchaseOrderAdd></PurchaseOrderAddRq>")
    rs = q.one("<TransactionQueryRq/>")
    summaries = [(r.findtext("TxnType"), r.findtext("AccountRef/FullName"), r.findtext("EntityRef/FullName"),
                  r.findtext("Amount")) for r in rs]
    # the seeded vendor's and customer's opening balances come first
    assert summaries == [("Bill", "Accounts Payable", "Acme Supply", "-120.50"),
                         ("Invoice", "Accounts Receivable", "Jones", "300.00"),
                         ("Bill", "Accounts Payable", "Acme Supply", "-40.00"),
                         ("Invoice", "Accounts Receivable", "Jones", "25.00"),
                         ("PurchaseOrder", None, "Acme Supply", "7.25")]
    assert rs[2].findtext("TxnID") == bill.findtext("TxnID") and rs[2].findtext("RefNumber") == "B-1"
    rs = q.one("<TransactionQueryRq><TransactionTypeFilter><TxnTypeFilter>Invoice</TxnTypeFilter><TxnTypeFilter>"
               "PurchaseOrder</TxnTypeFilter></TransactionTypeFilter></TransactionQueryRq>")
    assert [r.findtext("TxnType") for r in rs] == ["Invoice", "Invoice", "PurchaseOrder"]
    rs = q.one("<TransactionQueryRq><TransactionPostingStatusFilter>NonPosting</TransactionPostingStatusFilter>"
               "</TransactionQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [order.findtext("TxnID")]
    rs = q.one("<TransactionQueryRq><TransactionEntityFilter><EntityTypeFilter>Customer</EntityTypeFilter>"
               "</TransactionEntityFilter></TransactionQueryRq>")
    assert [r.findtext("TxnType") for r in rs] == ["Invoice", "Invoice"]
    rs = q.one("<TransactionQueryRq><TransactionAccountFilter><FullName>Supplies</FullName></TransactionAccountFilter>"
               "</TransactionQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [bill.findtext("TxnID")]
    rs = q.one("<TransactionQueryRq><TransactionDateRangeFilter><FromTxnDate>2024-02-01</FromTxnDate>"
               "</TransactionDateRangeFilter><TransactionAccountFilter><AccountTypeFilter>IncomeAndExpense"
               "</AccountTypeFilter></TransactionAccountFilter></TransactionQueryRq>")
    assert [r.findtext("TxnID") for r in rs] == [bill.findtext("TxnID"), invoice.findtext("TxnID")]
    rs = q.one("<TransactionQueryRq><TransactionTypeFilter><TxnTypeFilter>Bill</TxnTypeFilter></TransactionTypeFilter>"
               "<TransactionPaidStatusFilter>Open</TransactionPaidStatusFilter></TransactionQueryRq>")
    assert len(rs) == 2
    rs = q.one(f"<TransactionQueryRq><TxnID>{invoice.findtext('TxnID')}</TxnID><TxnID>999-1700000000</TxnID>"
               "</TransactionQueryRq>", 500)
    assert [r.findtext("TxnType") for r in rs] == ["Invoice"]
    rs = q.one('<TransactionQueryRq iterator="Start"><MaxReturned>2</MaxReturned></TransactionQueryRq>')
    assert len(rs) == 2 and rs.get("iteratorRemainingCount") == "3"
    q.one("<TransactionQueryRq><RefNumber>b-1</RefNumber></TransactionQueryRq>")
    q.one("<TransactionQueryRq><TransactionDateRangeFilter><FromTxnDate>2030-01-01</FromTxnDate>"
          "</TransactionDateRangeFilter></TransactionQueryRq>", 1)
    q.one("<TransactionQueryRq><TransactionDetailLevelFilter>All</TransactionDetailLevelFilter>"
          "</TransactionQueryRq>", 3250)


# -- sales tax ------------------------------------------------------------------------------------------------------

def taxed_company(q: Contract) -> None:
    """A taxable part (Taxed Part, 2.00), a customer taxed by the City Tax group (6.25% and 1.75%), a reseller."""
    q.ret(f"<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Taxed Part</Name>{ref('SalesTaxCodeRef', 'Tax')}"
          f"<SalesOrPurchase><Price>2.00</Price>{ref('AccountRef', 'Sales')}</SalesOrPurchase></ItemNonInventoryAdd>"
          "</ItemNonInventoryAddRq>")
    q.ret(f"<CustomerAddRq><CustomerAdd><Name>Taxed Co</Name>{ref('SalesTaxCodeRef', 'Tax')}"
          f"{ref('ItemSalesTaxRef', 'City Tax')}</CustomerAdd></CustomerAddRq>")
    q.ret(f"<CustomerAddRq><CustomerAdd><Name>Reseller</Name>{ref('SalesTaxCodeRef', 'Non')}"
          f"{ref('ItemSalesTaxRef', 'City Tax')}</CustomerAdd></CustomerAddRq>")


@with_old_version
def test_sales_tax(seeded: Contract) -> None:
    """Taxable lines by code, the customer's tax item, each tax item of a group rounded on its own, on the taxable
    subtotal; Sales Tax Payable credited; a non-taxable customer pays none."""
    q = seeded
    taxed_company(q)
    invoice = invoice_add(q, sales_line("Taxed Part") + sales_line("Consulting"), customer="Taxed Co")
    invoice_id, sequence = txn(invoice)
    # 2.00 taxable: 6.25% is 0.125 (0.13), 1.75% is 0.035 (0.04): 0.17, where 8% of 2.00 would be 0.16
    assert (invoice.findtext("Subtotal"), invoice.findtext("ItemSalesTaxRef/FullName"),
            invoice.findtext("SalesTaxPercentage"), invoice.findtext("SalesTaxTotal"),
            invoice.findtext("BalanceRemaining"), invoice.findtext("CustomerSalesTaxCodeRef/FullName")) == (
        "97.00", "City Tax", "8", "0.17", "97.17", "Tax")
    assert [x.findtext("SalesTaxCodeRef/FullName") for x in invoice.findall("InvoiceLineRet")] == ["Tax", None]
    assert (balance(q, "Account", "Sales Tax Payable"), customer_balances(q, "Taxed Co")) == (
        "0.17", ("97.17", "97.17"))
    payable = q.ret("<AccountQueryRq><FullName>Sales Tax Payable</FullName></AccountQueryRq>")
    assert (payable.findtext("AccountType"), payable.findtext("SpecialAccountType")) == (
        "OtherCurrentLiability", "SalesTaxPayable")
    # the tax on the subtotal, not line by line: two lines of 1.00 at 6.25% are 0.13, not 0.06 + 0.06
    invoice = q.ret(f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                    f"{ref('ItemSalesTaxRef', 'State Tax')}<InvoiceLineMod><TxnLineID>-1</TxnLineID>"
                    f"{ref('ItemRef', 'Taxed Part')}<Amount>1.00</Amount></InvoiceLineMod><InvoiceLineMod><TxnLineID>-1"
                    f"</TxnLineID>{ref('ItemRef', 'Taxed Part')}<Amount>1.00</Amount></InvoiceLineMod><InvoiceLineMod>"
                    f"<TxnLineID>-1</TxnLineID>{ref('ItemRef', 'Taxed Part')}<Amount>5.00</Amount>"
                    f"{ref('SalesTaxCodeRef', 'Non')}</InvoiceLineMod></InvoiceMod></InvoiceModRq>")
    assert (invoice.findtext("SalesTaxPercentage"), invoice.findtext("SalesTaxTotal"),
            invoice.findtext("BalanceRemaining")) == ("6.25", "0.13", "7.13")
    assert balance(q, "Account", "Sales Tax Payable") == "0.13"
    # a credit memo gives the tax back
    memo = q.ret(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Taxed Co')}<TxnDate>2024-02-21</TxnDate>"
                 f"{sales_line('Taxed Part', '<Amount>10.00</Amount>', 'CreditMemoLineAdd')}</CreditMemoAdd>"
                 "</CreditMemoAddRq>")
    assert (memo.findtext("SalesTaxTotal"), memo.findtext("TotalAmount"), memo.findtext("CreditRemaining")) == (
        "0.81", "10.81", "10.81")  # 0.625 (0.63) and 0.175 (0.18)
    assert balance(q, "Account", "Sales Tax Payable") == "-0.68"
    # a reseller pays no tax, whatever the lines' codes
    exempt = invoice_add(q, sales_line("Taxed Part"), customer="Reseller")
    assert (exempt.findtext("SalesTaxPercentage"), exempt.findtext("SalesTaxTotal"),
            exempt.findtext("BalanceRemaining")) == ("8", "0.00", "2.00")
    # a sales receipt collects it; estimates and sales orders show it and post nothing
    receipt = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd>{ref('CustomerRef', 'Taxed Co')}"
                    f"{sales_line('Taxed Part', '<Quantity>5</Quantity>', 'SalesReceiptLineAdd')}</SalesReceiptAdd>"
                    "</SalesReceiptAddRq>")
    assert (receipt.findtext("SalesTaxTotal"), receipt.findtext("TotalAmount")) == ("0.81", "10.81")
    assert (balance(q, "Account", "Sales Tax Payable"), balance(q, "Account", "Undeposited Funds")) == (
        "0.13", "10.81")
    for kind in ("Estimate", "SalesOrder"):
        form = q.ret(f"<{kind}AddRq><{kind}Add>{ref('CustomerRef', 'Taxed Co')}"
                     f"{sales_line('Taxed Part', '<Quantity>5</Quantity>', f'{kind}LineAdd')}</{kind}Add>"
                     f"</{kind}AddRq>")
        assert (form.findtext("SalesTaxTotal"), form.findtext("TotalAmount")) == ("0.81", "10.81")
    assert balance(q, "Account", "Sales Tax Payable") == "0.13"
    # voiding zeroes the tax with the rest
    q.one(f"<TxnVoidRq><TxnVoidType>SalesReceipt</TxnVoidType><TxnID>{receipt.findtext('TxnID')}</TxnID></TxnVoidRq>")
    receipt = q.ret(f"<SalesReceiptQueryRq><TxnID>{receipt.findtext('TxnID')}</TxnID></SalesReceiptQueryRq>")
    assert (receipt.findtext("SalesTaxTotal"), balance(q, "Account", "Sales Tax Payable")) == ("0.00", "-0.68")
    # a customer without a tax item: no tax (the invoices before sales tax stay at 0.00)
    plain = invoice_add(q, sales_line("Taxed Part"))
    assert (plain.findtext("SalesTaxPercentage"), plain.findtext("SalesTaxTotal")) == ("0.00", "0.00")
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}{ref('ItemSalesTaxRef', 'Widget')}"
               f"{sales_line('Taxed Part')}</InvoiceAdd></InvoiceAddRq>", 3140)
    assert 'QuickBooks ItemSalesTax "Widget" in the Invoice.' in rs.get("statusMessage", "")


# -- inventory ------------------------------------------------------------------------------------------------------

def on_hand(q: Contract, item: str = "Beans") -> tuple[str | None, str | None]:
    ret = q.ret(f"<ItemInventoryQueryRq><FullName>{item}</FullName></ItemInventoryQueryRq>")
    return ret.findtext("QuantityOnHand"), ret.findtext("AverageCost")


@with_old_version
def test_inventory(seeded: Contract) -> None:
    """Purchases bring stock in at their cost, sales take it out at the average cost and post cost of goods sold;
    stock may go negative; a deleted sale puts it back."""
    q = seeded
    assert on_hand(q) == ("40", "6") and balance(q, "Account", "Inventory Asset") == "240.00"  # its opening value
    bill_add(q, item_line("Beans", "<Quantity>10</Quantity><Amount>70.00</Amount>"))
    assert on_hand(q) == ("50", "6.2") and balance(q, "Account", "Inventory Asset") == "310.00"
    invoice = invoice_add(q, sales_line("Beans", "<Quantity>5</Quantity>"))
    assert on_hand(q) == ("45", "6.2")
    assert (balance(q, "Account", "Cost of Goods Sold"), balance(q, "Account", "Inventory Asset")) == (
        "31.00", "279.00")
    q.ret(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Jones')}"
          f"{sales_line('Beans', '<Quantity>1</Quantity>', 'CreditMemoLineAdd')}</CreditMemoAdd></CreditMemoAddRq>")
    assert on_hand(q) == ("46", "6.2") and balance(q, "Account", "Cost of Goods Sold") == "24.80"
    receipt = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd>"
                    f"{sales_line('Beans', '<Quantity>50</Quantity>', 'SalesReceiptLineAdd')}</SalesReceiptAdd>"
                    "</SalesReceiptAddRq>")
    assert on_hand(q) == ("-4", "6.2")  # QuickBooks lets stock go negative, at the last average cost
    assert balance(q, "Account", "Cost of Goods Sold") == "334.80"
    rs = q.one("<ItemSitesQueryRq><ItemTypeFilter>Inventory</ItemTypeFilter></ItemSitesQueryRq>")
    assert rs.findtext("ItemSitesRet/QuantityOnHand") == "-4"
    q.one(f"<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>{invoice.findtext('TxnID')}</TxnID></TxnDelRq>")
    assert on_hand(q) == ("1", "6.2") and balance(q, "Account", "Cost of Goods Sold") == "303.80"
    q.one(f"<TxnVoidRq><TxnVoidType>SalesReceipt</TxnVoidType><TxnID>{receipt.findtext('TxnID')}</TxnID></TxnVoidRq>")
    assert on_hand(q) == ("51", "6.2") and balance(q, "Account", "Cost of Goods Sold") == "-6.20"
    # an item receipt and a vendor credit move it too; a non-stock line does not
    q.ret(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Acme Supply')}"
          f"{item_line('Beans', '<Quantity>9</Quantity><Amount>45.00</Amount>')}{item_line('Widget')}"
          "</ItemReceiptAdd></ItemReceiptAddRq>")
    assert on_hand(q) == ("60", "6.02")  # (316.20 + 45.00) / 60
    q.ret(f"<VendorCreditAddRq><VendorCreditAdd>{ref('VendorRef', 'Acme Supply')}"
          f"{item_line('Beans', '<Quantity>10</Quantity><Amount>60.00</Amount>')}</VendorCreditAdd>"
          "</VendorCreditAddRq>")
    assert on_hand(q) == ("50", "6.024")


# -- reports --------------------------------------------------------------------------------------------------------

def report_rows(rs: etree._Element) -> list[tuple[str, ...]]:
    """Each row of a ReportRet: its kind and its cells' values (a TextRow's value)."""
    rows = []
    for row in rs.find("ReportRet/ReportData"):
        cells = [c.get("value") or "" for c in row.findall("ColData")] if row.tag != "TextRow" else [row.get("value")]
        rows.append((row.tag, *cells))
    return rows


@with_old_version
def test_reports(seeded: Contract) -> None:
    """Profit and loss, balance sheet, trial balance and aging, computed from the ledger in QuickBooks' report shape."""
    q = seeded
    invoice_add(q, sales_line("Beans", "<Quantity>2</Quantity>"))
    bill_add(q, expense("Supplies", "40.00"))
    period = ("<ReportPeriod><FromReportDate>2024-01-01</FromReportDate><ToReportDate>2024-03-01</ToReportDate>"
              "</ReportPeriod>")
    rs = q.one("<GeneralSummaryReportQueryRq><GeneralSummaryReportType>ProfitAndLossStandard"
               f"</GeneralSummaryReportType>{period}</GeneralSummaryReportQueryRq>")
    report = rs.find("ReportRet")
    assert (report.findtext("ReportTitle"), report.findtext("ReportSubtitle"), report.findtext("ReportBasis"),
            report.findtext("NumColumns")) == ("Profit & Loss", "January 1, 2024 through March 1, 2024", "Accrual", "2")
    assert [d.get("colID") for d in report.findall("ColDesc")] == ["1", "2"]
    assert report_rows(rs) == [
        ("TextRow", "Ordinary Income/Expense"), ("TextRow", "Income"), ("DataRow", "Sales", "28.00"),
        ("SubtotalRow", "Total Income", "28.00"), ("TextRow", "Cost of Goods Sold"),
        ("DataRow", "Cost of Goods Sold", "12.00"), ("SubtotalRow", "Total COGS", "12.00"),
        ("SubtotalRow", "Gross Profit", "16.00"), ("TextRow", "Expense"), ("DataRow", "Supplies", "40.00"),
        ("SubtotalRow", "Total Expense", "40.00"), ("SubtotalRow", "Net Ordinary Income", "-24.00"),
        ("TotalRow", "Net Income", "-24.00")]
    assert report.findtext("NumRows") == "13"
    rs = q.one("<GeneralSummaryReportQueryRq><GeneralSummaryReportType>BalanceSheetStandard</GeneralSummaryReportType>"
               f"{period}</GeneralSummaryReportQueryRq>")
    rows = report_rows(rs)
    assert ("SubtotalRow", "TOTAL ASSETS", "3056.00") in rows  # 2500.00 + 328.00 + 240.00 - 12.00 (the bags sold)
    assert ("DataRow", "Inventory Asset", "228.00") in rows
    assert rows[-1] == ("TotalRow", "TOTAL LIABILITIES & EQUITY", "3056.00")
    assert ("DataRow", "Net Income", "-24.00") in rows and ("DataRow", "Accounts Payable", "160.50") in rows
    rs = q.one(f"<GeneralSummaryReportQueryRq><GeneralSummaryReportType>TrialBalance</GeneralSummaryReportType>"
               f"{period}</GeneralSummaryReportQueryRq>")
    rows = report_rows(rs)
    assert rows[-1] == ("TotalRow", "TOTAL", "3108.00", "3108.00")  # debits equal credits
    assert ("DataRow", "Supplies", "40.00") in rows and ("DataRow", "Sales", "28.00") in rows
    rs = q.one("<AgingReportQueryRq><AgingReportType>ARAgingSummary</AgingReportType><ReportPeriod><ToReportDate>"
               "2024-03-01</ToReportDate></ReportPeriod></AgingReportQueryRq>")
    assert rs.findtext("ReportRet/ReportSubtitle") == "As of March 1, 2024"
    assert [t.get("value") for t in rs.findall("ReportRet/ColDesc/ColTitle")] == [
        None, "Current", "1 - 30", "31 - 60", "61 - 90", "> 90", "TOTAL"]
    # the opening invoice (due 2024-01-01) is 60 days late, the invoice of 2024-02-20 ten days
    assert report_rows(rs) == [("DataRow", "Jones", "0.00", "28.00", "300.00", "0.00", "0.00", "328.00"),
                               ("TotalRow", "TOTAL", "0.00", "28.00", "300.00", "0.00", "0.00", "328.00")]
    rs = q.one("<AgingReportQueryRq><AgingReportType>APAgingSummary</AgingReportType></AgingReportQueryRq>")
    assert report_rows(rs)[-1] == ("TotalRow", "TOTAL", "40.00", "0.00", "120.50", "0.00", "0.00", "160.50")
    q.one("<GeneralSummaryReportQueryRq><GeneralSummaryReportType>SalesByItemSummary</GeneralSummaryReportType>"
          "</GeneralSummaryReportQueryRq>", 3250)
    q.one("<GeneralSummaryReportQueryRq><GeneralSummaryReportType>ProfitAndLossStandard</GeneralSummaryReportType>"
          "<ReportBasis>Cash</ReportBasis></GeneralSummaryReportQueryRq>", 3250)
    q.one("<GeneralSummaryReportQueryRq><GeneralSummaryReportType>ProfitAndLossStandard</GeneralSummaryReportType>"
          "<SummarizeColumnsBy>Month</SummarizeColumnsBy></GeneralSummaryReportQueryRq>", 3250)
    rs = q.one("<GeneralSummaryReportQueryRq><GeneralSummaryReportType>ProfitAndLossStandard</GeneralSummaryReportType>"
               "<ReportDateMacro>ThisMonthToDate</ReportDateMacro></GeneralSummaryReportQueryRq>")
    assert rs.findtext("ReportRet/ReportSubtitle") == "March 1, 2024 through March 1, 2024"


@with_old_version
def test_subtotal_and_discount_lines(seeded: Contract) -> None:
    """A subtotal adds up the lines above it; a discount takes its rate off the line directly above."""
    q = seeded
    invoice = invoice_add(q, sales_line("Widget", "<Quantity>4</Quantity>") + sales_line("Consulting")
                          + sales_line("Subtotal") + sales_line("Loyalty") + sales_line("Freight"))
    assert [(x.findtext("ItemRef/FullName"), x.findtext("Desc"), x.findtext("RatePercent"), x.findtext("Amount"))
            for x in invoice.findall("InvoiceLineRet")] == [
        ("Widget", "Widget", None, "50.00"), ("Consulting", "Hourly consulting", None, "95.00"),
        ("Subtotal", "Subtotal", None, "145.00"), ("Loyalty", "Loyalty discount", "-10", "-14.50"),
        ("Freight", "Freight", "5", "-0.73")]  # freight is 5% of the line above
    assert invoice.findtext("Subtotal") == "129.77" and balance(q, "Account", "Sales") == "129.77"
    receipt = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd>"
                    f"{sales_line('Consulting', '<Quantity>2</Quantity>', 'SalesReceiptLineAdd')}"
                    f"{sales_line('Loyalty', '<Rate>-20.00</Rate>', 'SalesReceiptLineAdd')}"
                    f"{sales_line('Subtotal', tag='SalesReceiptLineAdd')}</SalesReceiptAdd></SalesReceiptAddRq>")
    assert [x.findtext("Amount") for x in receipt.findall("SalesReceiptLineRet")] == ["190.00", "-20.00", "170.00"]
    assert receipt.findtext("TotalAmount") == "170.00"
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}{sales_line('Coffee Kit')}</InvoiceAdd>"
               "</InvoiceAddRq>", 3180)
    assert rs.get("statusMessage", "").endswith("The item has no income account.")


@with_old_version
def test_quantities_on_order(seeded: Contract) -> None:
    """What open purchase and sales orders hold of an inventory part, less what was received or invoiced."""
    q = seeded

    def on_order() -> tuple[str | None, ...]:
        beans = q.ret("<ItemInventoryQueryRq><FullName>Beans</FullName></ItemInventoryQueryRq>")
        site = q.ret("<ItemSitesQueryRq><ItemTypeFilter>Inventory</ItemTypeFilter></ItemSitesQueryRq>")
        assert site.findtext("QuantityOnPurchaseOrders") == beans.findtext("QuantityOnOrder")
        return tuple(beans.findtext(f) for f in ("QuantityOnOrder", "QuantityOnSalesOrder", "QuantityOnHand"))

    po = q.ret(f"<PurchaseOrderAddRq><PurchaseOrderAdd>{ref('VendorRef', 'Acme Supply')}"
               f"{po_line('Beans', '<Quantity>10</Quantity>')}{po_line('Widget', '<Quantity>3</Quantity>')}"
               "</PurchaseOrderAdd></PurchaseOrderAddRq>")
    order = q.ret(f"<SalesOrderAddRq><SalesOrderAdd>{ref('CustomerRef', 'Jones')}"
                  f"{sales_line('Beans', '<Quantity>3</Quantity>', 'SalesOrderLineAdd')}</SalesOrderAdd>"
                  "</SalesOrderAddRq>")
    assert on_order() == ("10", "3", "40")
    q.ret(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', 'Acme Supply')}<ItemLineAdd><Quantity>6</Quantity>"
          f"<LinkToTxn><TxnID>{po.findtext('TxnID')}</TxnID><TxnLineID>{po.findtext('PurchaseOrderLineRet/TxnLineID')}"
          "</TxnLineID></LinkToTxn></ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>")
    invoice_add(q, f"<InvoiceLineAdd><Quantity>1</Quantity><LinkToTxn><TxnID>{order.findtext('TxnID')}</TxnID>"
                   f"<TxnLineID>{order.findtext('SalesOrderLineRet/TxnLineID')}</TxnLineID></LinkToTxn>"
                   "</InvoiceLineAdd>")
    assert on_order() == ("4", "2", "45")
    po = q.ret(f"<PurchaseOrderQueryRq><TxnID>{po.findtext('TxnID')}</TxnID></PurchaseOrderQueryRq>")
    q.ret(f"<PurchaseOrderModRq><PurchaseOrderMod><TxnID>{po.findtext('TxnID')}</TxnID><EditSequence>"
          f"{po.findtext('EditSequence')}</EditSequence><IsManuallyClosed>true</IsManuallyClosed></PurchaseOrderMod>"
          "</PurchaseOrderModRq>")
    assert on_order() == ("0", "2", "45")
    q.one(f"<TxnDelRq><TxnDelType>SalesOrder</TxnDelType><TxnID>{order.findtext('TxnID')}</TxnID></TxnDelRq>", 3180)


@pytest.mark.parametrize("version", VERSIONS)
def test_group_lines_are_not_simulated(seeded: Contract) -> None:
    """An item group entered on a form is answered 3250, never saved without its lines."""
    q = seeded
    for kind in ("Invoice", "SalesReceipt", "Estimate", "SalesOrder", "CreditMemo"):
        q.one(f"<{kind}AddRq><{kind}Add>{ref('CustomerRef', 'Jones')}{sales_line('Widget', tag=f'{kind}LineAdd')}"
              f"<{kind}LineGroupAdd>{ref('ItemGroupRef', 'Coffee Kit')}</{kind}LineGroupAdd></{kind}Add></{kind}AddRq>",
              3250)
    for kind in ("Bill", "ItemReceipt", "VendorCredit"):
        q.one(f"<{kind}AddRq><{kind}Add>{ref('VendorRef', 'Acme Supply')}<ItemGroupLineAdd>"
              f"{ref('ItemGroupRef', 'Coffee Kit')}</ItemGroupLineAdd></{kind}Add></{kind}AddRq>", 3250)
    assert len(q.one("<TransactionQueryRq/>")) == 2  # nothing was saved: the opening balances only


@with_old_version
def test_price_levels_price_lines(seeded: Contract) -> None:
    """A line without a Rate is priced at its price level, else at its customer's."""
    q = seeded
    jones = q.ret("<CustomerQueryRq><FullName>Jones</FullName></CustomerQueryRq>")
    q.ret(f"<CustomerModRq><CustomerMod><ListID>{jones.findtext('ListID')}</ListID><EditSequence>"
          f"{jones.findtext('EditSequence')}</EditSequence>{ref('PriceLevelRef', 'Trade')}</CustomerMod>"
          "</CustomerModRq>")
    q.ret(f"<PriceLevelAddRq><PriceLevelAdd><Name>Beans Deal</Name><PriceLevelPerItem>{ref('ItemRef', 'Beans')}"
          "<CustomPrice>10.00</CustomPrice></PriceLevelPerItem></PriceLevelAdd></PriceLevelAddRq>")
    invoice = invoice_add(q, sales_line("Widget", "<Quantity>2</Quantity>")
                          + sales_line("Consulting", f"<Quantity>1</Quantity>{ref('PriceLevelRef', 'Retail Plus')}")
                          + sales_line("Beans", f"<Quantity>1</Quantity>{ref('PriceLevelRef', 'Beans Deal')}")
                          + sales_line("Freight")
                          + sales_line("Widget", "<Quantity>1</Quantity><Rate>12.00</Rate>"))
    assert [(x.findtext("Rate"), x.findtext("Amount")) for x in invoice.findall("InvoiceLineRet")] == [
        ("11.25", "22.50"), ("99.75", "99.75"), ("10", "10.00"), (None, "0.50"), ("12", "12.00")]
    receipt = q.ret(f"<SalesReceiptAddRq><SalesReceiptAdd>{ref('CustomerRef', 'Jones')}"
                    f"{sales_line('Widget', tag='SalesReceiptLineAdd')}</SalesReceiptAdd></SalesReceiptAddRq>")
    assert receipt.findtext("SalesReceiptLineRet/Rate") == "11.25"
    rs = q.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Jones')}"
               f"{sales_line('Widget', ref('PriceLevelRef', 'No Such Level'))}</InvoiceAdd></InvoiceAddRq>", 3140)
    assert 'QuickBooks PriceLevel "No Such Level" in the Invoice line.' in rs.get("statusMessage", "")
