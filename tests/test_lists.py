"""Add, Mod, Query and ListDel semantics of every simulated list, as QuickBooks applies them."""

from __future__ import annotations

import pytest
from lxml import etree

from fakeqb import FakeQuickBooks
from tests.support import Client

NOT_IN_LIST = "QuickBooks error message: Invalid argument.  The specified record does not exist in the list."
OWNER = "{6b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d}"
SALES = "<SalesOrPurchase><Price>10.00</Price></SalesOrPurchase>"


def add(client: Client, list_type: str, body: str) -> etree._Element:
    return client.one(f"<{list_type}AddRq><{list_type}Add>{body}</{list_type}Add></{list_type}AddRq>")


def added(client: Client, list_type: str, body: str) -> etree._Element:
    """Add an object that must be accepted; return its Ret."""
    rs = add(client, list_type, body)
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    return rs[0]


def mod(client: Client, list_type: str, ret: etree._Element, body: str) -> etree._Element:
    return client.one(f"<{list_type}ModRq><{list_type}Mod><ListID>{ret.findtext('ListID')}</ListID>"
                      f"<EditSequence>{ret.findtext('EditSequence')}</EditSequence>{body}"
                      f"</{list_type}Mod></{list_type}ModRq>")


def query(client: Client, list_type: str, body: str = "") -> etree._Element:
    return client.one(f"<{list_type}QueryRq>{body}</{list_type}QueryRq>")


def names(rs: etree._Element, tag: str = "FullName") -> list[str]:
    return [r.findtext(tag) or "" for r in rs]


def by_id(client: Client, list_type: str, list_id: str) -> etree._Element:
    rs = query(client, list_type, f"<ListID>{list_id}</ListID>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    return rs[0]


def status(rs: etree._Element) -> tuple[str, str, str]:
    return rs.get("statusCode") or "", rs.get("statusSeverity") or "", rs.get("statusMessage") or ""


# -- customers and jobs -------------------------------------------------------------------------------------------

def test_job_has_parent_ref_full_name_and_sublevel(client: Client) -> None:
    parent = added(client, "Customer", "<Name>Jones</Name>")
    job = added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>jones</FullName></ParentRef>")
    sub = added(client, "Customer", f"<Name>Cabinets</Name><ParentRef><ListID>{job.findtext('ListID')}</ListID>"
                                    "</ParentRef>")
    assert parent.findtext("Sublevel") == "0"
    assert parent.find("ParentRef") is None
    assert job.findtext("FullName") == "Jones:Kitchen"
    assert job.findtext("Name") == "Kitchen"
    assert job.findtext("Sublevel") == "1"
    assert job.findtext("ParentRef/ListID") == parent.findtext("ListID")
    assert job.findtext("ParentRef/FullName") == "Jones"
    assert sub.findtext("FullName") == "Jones:Kitchen:Cabinets"
    assert sub.findtext("Sublevel") == "2"
    rs = query(client, "Customer", "<FullName>JONES:kitchen:CABINETS</FullName>")
    assert rs.findtext("CustomerRet/ListID") == sub.findtext("ListID")


def test_job_with_missing_parent_is_refused(client: Client) -> None:
    rs = add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Nobody</FullName></ParentRef>")
    assert status(rs)[:2] == ("3130", "Error")  # as captured from QuickBooks
    assert status(rs)[2] == 'There is an invalid reference to a parent "Nobody" in the Customers list.  ' + NOT_IN_LIST
    assert len(rs) == 0


def test_renaming_a_parent_renames_its_jobs(qb: FakeQuickBooks, client: Client) -> None:
    parent = added(client, "Customer", "<Name>Jones</Name>")
    job = added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    sub = added(client, "Customer", "<Name>Tiles</Name><ParentRef><FullName>Jones:Kitchen</FullName></ParentRef>")
    qb.clock.advance(minutes=5)
    rs = mod(client, "Customer", parent, "<Name>Jones-Smith</Name>")
    assert status(rs)[0] == "0"
    assert rs.findtext("CustomerRet/FullName") == "Jones-Smith"
    moved = by_id(client, "Customer", job.findtext("ListID") or "")
    assert moved.findtext("FullName") == "Jones-Smith:Kitchen"
    assert moved.findtext("ParentRef/FullName") == "Jones-Smith"
    assert by_id(client, "Customer", sub.findtext("ListID") or "").findtext("FullName") == "Jones-Smith:Kitchen:Tiles"
    assert query(client, "Customer", "<FullName>Jones:Kitchen</FullName>").get("statusCode") == "500"


def test_moving_a_customer_under_another_moves_its_jobs(client: Client) -> None:
    added(client, "Customer", "<Name>Acme</Name>")
    smith = added(client, "Customer", "<Name>Smith</Name>")
    job = added(client, "Customer", "<Name>Roof</Name><ParentRef><FullName>Smith</FullName></ParentRef>")
    rs = mod(client, "Customer", smith, "<ParentRef><FullName>Acme</FullName></ParentRef>")
    assert status(rs)[0] == "0"
    assert rs.findtext("CustomerRet/FullName") == "Acme:Smith"
    assert rs.findtext("CustomerRet/Sublevel") == "1"
    moved = by_id(client, "Customer", job.findtext("ListID") or "")
    assert (moved.findtext("FullName"), moved.findtext("Sublevel")) == ("Acme:Smith:Roof", "2")
    # and back to the top level with an empty ParentRef
    smith = by_id(client, "Customer", smith.findtext("ListID") or "")
    rs = mod(client, "Customer", smith, "<ParentRef></ParentRef>")
    assert rs.findtext("CustomerRet/FullName") == "Smith"
    assert rs.find("CustomerRet/ParentRef") is None
    assert by_id(client, "Customer", job.findtext("ListID") or "").findtext("Sublevel") == "1"


def test_a_customer_cannot_move_under_its_own_job(client: Client) -> None:
    smith = added(client, "Customer", "<Name>Smith</Name>")
    added(client, "Customer", "<Name>Roof</Name><ParentRef><FullName>Smith</FullName></ParentRef>")
    rs = mod(client, "Customer", smith, "<ParentRef><FullName>Smith:Roof</FullName></ParentRef>")
    assert status(rs)[1] == "Error"
    assert by_id(client, "Customer", smith.findtext("ListID") or "").findtext("FullName") == "Smith"


# -- names --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("first,second", [
    ("Customer", "Customer"), ("Customer", "Vendor"), ("Vendor", "Employee"), ("Employee", "OtherName"),
    ("OtherName", "Customer"),
])
def test_names_are_unique_across_the_name_lists_case_insensitively(client: Client, first: str, second: str) -> None:
    added(client, first, "<Name>Acme Supply</Name>")
    rs = add(client, second, "<Name>ACME supply</Name>")
    assert status(rs) == ("3100", "Error", 'The name "ACME supply" of the list element is already in use.')
    assert len(rs) == 0


def test_jobs_of_different_customers_may_share_a_name(client: Client) -> None:
    added(client, "Customer", "<Name>Jones</Name>")
    added(client, "Customer", "<Name>Smith</Name>")
    added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Smith</FullName></ParentRef>")
    added(client, "Customer", "<Name>Kitchen</Name>")  # a top-level customer too
    rs = add(client, "Customer", "<Name>kitchen</Name><ParentRef><FullName>Smith</FullName></ParentRef>")
    assert status(rs)[:1] == ("3100",)
    assert status(rs)[2] == 'The name "kitchen" of the list element is already in use.'


def test_other_lists_have_their_own_names(client: Client) -> None:
    added(client, "Customer", "<Name>Consulting</Name>")
    added(client, "ItemService", f"<Name>Consulting</Name>{SALES}")
    added(client, "Account", "<Name>Consulting</Name><AccountType>Income</AccountType>")
    added(client, "Class", "<Name>Consulting</Name>")
    rs = add(client, "ItemNonInventory", f"<Name>consulting</Name>{SALES}")  # items share one name list
    assert status(rs)[0] == "3100"


def test_rename_onto_a_used_name_is_refused_case_change_is_not(client: Client) -> None:
    added(client, "Vendor", "<Name>Acme</Name>")
    other = added(client, "Vendor", "<Name>Beta</Name>")
    rs = mod(client, "Vendor", other, "<Name>ACME</Name>")
    assert status(rs) == ("3100", "Error", 'The name "ACME" of the list element is already in use.')
    rs = mod(client, "Vendor", other, "<Name>BETA</Name>")
    assert status(rs)[0] == "0"
    assert rs.findtext("VendorRet/Name") == "BETA"


@pytest.mark.parametrize("list_type", ["Vendor", "Customer", "Class"])
def test_a_name_cannot_hold_the_full_name_separator(client: Client, list_type: str) -> None:
    added(client, "Customer", "<Name>Jones</Name>")
    rs = add(client, list_type, "<Name>Jones:Kitchen</Name>")
    assert status(rs)[:2] == ("3180", "Error")
    assert query(client, "Customer", "<FullName>Jones:Kitchen</FullName>").get("statusCode") == "500"


def test_a_name_cannot_be_blanked_by_a_mod(client: Client) -> None:
    ret = added(client, "Vendor", "<Name>Acme</Name>")
    rs = mod(client, "Vendor", ret, "<Name></Name>")
    assert status(rs)[:2] == ("3180", "Error")
    rs = mod(client, "Vendor", ret, "<Name>Acme:Two</Name>")
    assert status(rs)[:2] == ("3180", "Error")
    assert by_id(client, "Vendor", ret.findtext("ListID") or "").findtext("Name") == "Acme"


# -- Mod ----------------------------------------------------------------------------------------------------------

def test_mod_of_a_missing_list_id_is_3120(client: Client) -> None:
    rs = client.one("<VendorModRq><VendorMod><ListID>80000099-1700000000</ListID><EditSequence>1</EditSequence>"
                    "<Name>X</Name></VendorMod></VendorModRq>")
    assert status(rs) == ("3120", "Error", 'Object "80000099-1700000000" specified in the request cannot be found.  '
                                           "QuickBooks error message: Invalid argument.  The specified record does "
                                           "not exist in the list.")


def test_mod_of_an_object_of_another_list_is_3120(client: Client) -> None:
    customer = added(client, "Customer", "<Name>Acme</Name>")
    rs = mod(client, "Vendor", customer, "<Name>X</Name>")
    assert status(rs)[0] == "3120"


def test_stale_edit_sequence_is_3200(qb: FakeQuickBooks, client: Client) -> None:
    ret = added(client, "Vendor", "<Name>Acme</Name>")
    qb.clock.advance(seconds=30)
    assert status(mod(client, "Vendor", ret, "<Phone>1</Phone>"))[0] == "0"
    rs = mod(client, "Vendor", ret, "<Phone>2</Phone>")
    sent = ret.findtext("EditSequence")
    assert status(rs) == ("3200", "Error", f'The provided edit sequence "{sent}" is out-of-date. ')
    assert query(client, "Vendor").findtext("VendorRet/Phone") == "1"


def test_bad_reference_is_3140(client: Client) -> None:
    rs = add(client, "Customer", "<Name>Acme</Name><ClassRef><FullName>Nowhere</FullName></ClassRef>")
    assert status(rs) == ("3140", "Error", f'There is an invalid reference to QuickBooks Class "Nowhere" in the '
                                           f"Customer.  {NOT_IN_LIST}")
    assert query(client, "Customer").get("statusCode") == "1"  # nothing saved


def test_reference_to_a_class_is_kept_and_returned_with_its_full_name(client: Client) -> None:
    cls = added(client, "Class", "<Name>East</Name>")
    ret = added(client, "Customer", "<Name>Acme</Name><ClassRef><FullName>east</FullName></ClassRef>")
    assert ret.findtext("ClassRef/ListID") == cls.findtext("ListID")
    assert ret.findtext("ClassRef/FullName") == "East"
    rs = mod(client, "Class", cls, "<Name>Eastern</Name>")
    assert by_id(client, "Customer", ret.findtext("ListID") or "").findtext("ClassRef/FullName") == "Eastern"
    assert status(rs)[0] == "0"


def test_mod_with_a_bad_reference_changes_nothing(client: Client) -> None:
    ret = added(client, "Vendor", "<Name>Acme</Name><Phone>1</Phone>")
    rs = mod(client, "Vendor", ret, "<ClassRef><ListID>80000123-1</ListID></ClassRef><Phone>2</Phone>")
    assert status(rs)[0] == "3140"
    again = by_id(client, "Vendor", ret.findtext("ListID") or "")
    assert again.findtext("Phone") == "1"
    assert again.findtext("EditSequence") == ret.findtext("EditSequence")


def test_empty_element_in_a_mod_clears_the_field(client: Client) -> None:
    ret = added(client, "Customer", "<Name>Acme</Name><CompanyName>Acme Inc</CompanyName>"
                                    "<BillAddress><Addr1>1 Main St</Addr1><City>Boston</City></BillAddress>"
                                    "<Phone>555-0100</Phone>")
    assert ret.findtext("BillAddressBlock/Addr1") == "1 Main St"
    rs = mod(client, "Customer", ret, "<CompanyName></CompanyName><BillAddress></BillAddress>")
    assert status(rs)[0] == "0"
    after = rs[0]
    assert after.find("CompanyName") is None
    assert after.find("BillAddress") is None
    assert after.find("BillAddressBlock") is None
    assert after.findtext("Phone") == "555-0100"  # fields not sent are kept


def test_mod_changes_only_what_is_sent(client: Client) -> None:
    ret = added(client, "Vendor", "<Name>Acme</Name><CompanyName>Acme Inc</CompanyName>"
                                  "<VendorAddress><Addr1>1 Main St</Addr1></VendorAddress>")
    rs = mod(client, "Vendor", ret, "<Phone>555</Phone>")
    after = rs[0]
    assert (after.findtext("Name"), after.findtext("CompanyName")) == ("Acme", "Acme Inc")
    assert after.findtext("VendorAddress/Addr1") == "1 Main St"
    assert after.findtext("Phone") == "555"


# -- active status ------------------------------------------------------------------------------------------------

def test_inactive_objects_are_hidden_from_default_queries(client: Client) -> None:
    ret = added(client, "Vendor", "<Name>Acme</Name>")
    added(client, "Vendor", "<Name>Beta</Name>")
    rs = mod(client, "Vendor", ret, "<IsActive>false</IsActive>")
    assert rs.findtext("VendorRet/IsActive") == "false"
    assert names(query(client, "Vendor"), "Name") == ["Beta"]
    assert names(query(client, "Vendor", "<ActiveStatus>InactiveOnly</ActiveStatus>"), "Name") == ["Acme"]
    assert names(query(client, "Vendor", "<ActiveStatus>All</ActiveStatus>"), "Name") == ["Acme", "Beta"]
    assert by_id(client, "Vendor", ret.findtext("ListID") or "").findtext("IsActive") == "false"
    assert query(client, "Vendor", "<FullName>acme</FullName>").findtext("VendorRet/Name") == "Acme"


def test_inactive_on_add(client: Client) -> None:
    added(client, "Class", "<Name>Old</Name><IsActive>0</IsActive>")
    assert query(client, "Class").get("statusCode") == "1"
    assert names(query(client, "Class", "<ActiveStatus>InactiveOnly</ActiveStatus>")) == ["Old"]


def test_making_a_customer_inactive_makes_its_jobs_inactive(qb: FakeQuickBooks, client: Client) -> None:
    parent = added(client, "Customer", "<Name>Jones</Name>")
    job = added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    added(client, "Customer", "<Name>Smith</Name>")
    rs = mod(client, "Customer", parent, "<IsActive>false</IsActive>")
    assert status(rs)[0] == "0"
    assert names(query(client, "Customer")) == ["Smith"]
    after = by_id(client, "Customer", job.findtext("ListID") or "")
    assert after.findtext("IsActive") == "false"
    assert after.findtext("EditSequence") != job.findtext("EditSequence")
    # the job's old EditSequence is stale now
    assert status(mod(client, "Customer", job, "<Phone>1</Phone>"))[0] == "3200"


# -- accounts -----------------------------------------------------------------------------------------------------

ACCOUNT_TYPES = ("AccountsPayable", "AccountsReceivable", "Bank", "CostOfGoodsSold", "CreditCard", "Equity", "Expense",
                 "FixedAsset", "Income", "LongTermLiability", "NonPosting", "OtherAsset", "OtherCurrentAsset",
                 "OtherCurrentLiability", "OtherExpense", "OtherIncome")


def test_every_account_type_is_accepted_and_listed_by_type(client: Client) -> None:
    for account_type in reversed(ACCOUNT_TYPES):
        ret = added(client, "Account", f"<Name>{account_type} account</Name><AccountType>{account_type}</AccountType>")
        assert ret.findtext("AccountType") == account_type
    rs = query(client, "Account")
    types = [r.findtext("AccountType") for r in rs]
    assert sorted(types) == sorted(ACCOUNT_TYPES)
    assert types[:3] == ["Bank", "AccountsReceivable", "OtherCurrentAsset"]  # chart of accounts order
    assert types[-1] == "NonPosting"


def test_sub_account_must_have_its_parents_type(client: Client) -> None:
    added(client, "Account", "<Name>Checking</Name><AccountType>Bank</AccountType>")
    rs = add(client, "Account", "<Name>Rent</Name><ParentRef><FullName>Checking</FullName></ParentRef>"
                                "<AccountType>Expense</AccountType>")
    assert status(rs)[:2] == ("3180", "Error")
    assert query(client, "Account", "<FullName>Checking:Rent</FullName>").get("statusCode") == "500"
    sub = added(client, "Account", "<Name>Payroll</Name><ParentRef><FullName>Checking</FullName></ParentRef>"
                                   "<AccountType>Bank</AccountType>")
    assert (sub.findtext("FullName"), sub.findtext("Sublevel")) == ("Checking:Payroll", "1")


def test_type_of_an_account_with_sub_accounts_cannot_change(client: Client) -> None:
    parent = added(client, "Account", "<Name>Checking</Name><AccountType>Bank</AccountType>")
    sub = added(client, "Account", "<Name>Payroll</Name><ParentRef><FullName>Checking</FullName></ParentRef>"
                                   "<AccountType>Bank</AccountType>")
    assert status(mod(client, "Account", parent, "<AccountType>Expense</AccountType>"))[:2] == ("3180", "Error")
    assert status(mod(client, "Account", sub, "<AccountType>Expense</AccountType>"))[:2] == ("3180", "Error")
    rs = mod(client, "Account", sub, "<ParentRef></ParentRef><AccountType>Expense</AccountType>")
    assert status(rs)[0] == "0"
    parent = by_id(client, "Account", parent.findtext("ListID") or "")
    rs = mod(client, "Account", parent, "<AccountType>OtherCurrentAsset</AccountType>")
    assert rs.findtext("AccountRet/AccountType") == "OtherCurrentAsset"
    assert names(query(client, "Account")) == ["Checking", "Payroll"]  # other current asset before expense


def test_bank_opening_balance_and_total_balance_of_sub_accounts(client: Client) -> None:
    added(client, "Account", "<Name>Checking</Name><AccountType>Bank</AccountType><OpenBalance>1000.00</OpenBalance>"
                             "<OpenBalanceDate>2024-01-01</OpenBalanceDate>")
    added(client, "Account", "<Name>Payroll</Name><ParentRef><FullName>Checking</FullName></ParentRef>"
                             "<AccountType>Bank</AccountType><OpenBalance>250.10</OpenBalance>")
    added(client, "Account", "<Name>Petty</Name><ParentRef><FullName>Checking:Payroll</FullName></ParentRef>"
                             "<AccountType>Bank</AccountType><OpenBalance>0.20</OpenBalance>")
    added(client, "Account", "<Name>Checking2</Name><AccountType>Bank</AccountType><OpenBalance>7</OpenBalance>")
    income = added(client, "Account", "<Name>Sales</Name><AccountType>Income</AccountType>"
                                      "<OpenBalance>99.00</OpenBalance>")
    rs = query(client, "Account", "<AccountType>Bank</AccountType>")
    balances = {r.findtext("FullName"): (r.findtext("Balance"), r.findtext("TotalBalance")) for r in rs}
    assert balances == {
        "Checking": ("1000.00", "1250.30"),
        "Checking:Payroll": ("250.10", "250.30"),
        "Checking:Payroll:Petty": ("0.20", "0.20"),
        "Checking2": ("7.00", "7.00"),
    }
    assert (income.findtext("Balance"), income.findtext("TotalBalance")) == ("0.00", "0.00")


def test_customer_total_balance_includes_jobs(client: Client) -> None:
    added(client, "Customer", "<Name>Jones</Name><OpenBalance>100.00</OpenBalance>")
    added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>"
                              "<OpenBalance>50.00</OpenBalance>")
    added(client, "Customer", "<Name>Jonesy</Name><OpenBalance>1.00</OpenBalance>")  # not a job of Jones
    rs = query(client, "Customer", "<FullName>Jones</FullName>")
    assert (rs.findtext("CustomerRet/Balance"), rs.findtext("CustomerRet/TotalBalance")) == ("100.00", "150.00")


# -- classes, employees, items ------------------------------------------------------------------------------------

def test_class_hierarchy(client: Client) -> None:
    added(client, "Class", "<Name>West</Name>")
    added(client, "Class", "<Name>East</Name>")
    added(client, "Class", "<Name>Boston</Name><ParentRef><FullName>East</FullName></ParentRef>")
    added(client, "Class", "<Name>Boston</Name><ParentRef><FullName>West</FullName></ParentRef>")
    rs = query(client, "Class")
    assert names(rs) == ["East", "East:Boston", "West", "West:Boston"]
    assert [r.findtext("Sublevel") for r in rs] == ["0", "1", "0", "1"]
    assert rs[1].findtext("ParentRef/FullName") == "East"


def test_employee_is_named_from_first_and_last_name(client: Client) -> None:
    ret = added(client, "Employee", "<FirstName>Ada</FirstName><LastName>Lovelace</LastName>")
    assert ret.findtext("Name") == "Ada Lovelace"
    assert (ret.findtext("FirstName"), ret.findtext("LastName")) == ("Ada", "Lovelace")
    rs = add(client, "Customer", "<Name>ada lovelace</Name>")
    assert status(rs)[0] == "3100"
    assert query(client, "Employee", "<FullName>Ada Lovelace</FullName>").findtext("EmployeeRet/ListID") == \
        ret.findtext("ListID")


def test_items_of_every_type_are_returned_together_in_name_order(client: Client) -> None:
    added(client, "Account", "<Name>Sales</Name><AccountType>Income</AccountType>")
    added(client, "Account", "<Name>COGS</Name><AccountType>CostOfGoodsSold</AccountType>")
    added(client, "Account", "<Name>Inventory</Name><AccountType>OtherCurrentAsset</AccountType>")
    service = added(client, "ItemService", "<Name>Delta service</Name><SalesOrPurchase><Price>80.00</Price>"
                                           "<AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase>")
    assert service.findtext("SalesOrPurchase/AccountRef/FullName") == "Sales"
    added(client, "ItemNonInventory", f"<Name>alpha part</Name>{SALES}")
    added(client, "ItemOtherCharge", "<Name>Charlie fee</Name><SalesOrPurchase><Price>5</Price></SalesOrPurchase>")
    inventory = added(client, "ItemInventory", "<Name>Bravo widget</Name>"
                      "<IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef>"
                      "<COGSAccountRef><FullName>COGS</FullName></COGSAccountRef>"
                      "<AssetAccountRef><FullName>Inventory</FullName></AssetAccountRef>")
    assert inventory.findtext("QuantityOnHand") == "0"
    added(client, "ItemNonInventory", "<Name>Sub</Name><ParentRef><FullName>alpha part</FullName></ParentRef>"
                                      f"{SALES}")
    rs = query(client, "Item")
    assert [(r.tag, r.findtext("FullName")) for r in rs] == [
        ("ItemNonInventoryRet", "alpha part"),
        ("ItemNonInventoryRet", "alpha part:Sub"),
        ("ItemInventoryRet", "Bravo widget"),
        ("ItemOtherChargeRet", "Charlie fee"),
        ("ItemServiceRet", "Delta service"),
    ]
    assert names(query(client, "ItemNonInventory")) == ["alpha part", "alpha part:Sub"]
    assert query(client, "ItemService", "<FullName>Bravo widget</FullName>").get("statusCode") == "500"


def test_sub_item_must_have_its_parents_type(client: Client) -> None:
    """ASSUMPTION (fakeqb.company.handlers.lists): QuickBooks offers only items of the same type as "Subitem of"."""
    added(client, "ItemNonInventory", f"<Name>Part</Name>{SALES}")
    rs = add(client, "ItemService", f"<Name>Sub</Name><ParentRef><FullName>Part</FullName></ParentRef>{SALES}")
    assert status(rs)[:2] == ("3140", "Error")


def test_item_with_a_bad_account_reference_is_3140(client: Client) -> None:
    rs = add(client, "ItemService", "<Name>S</Name><SalesOrPurchase><Price>1</Price>"
                                    "<AccountRef><FullName>Nope</FullName></AccountRef></SalesOrPurchase>")
    assert status(rs)[:2] == ("3140", "Error")
    assert 'QuickBooks Account "Nope" in the Item.' in status(rs)[2]


# -- ListDel ------------------------------------------------------------------------------------------------------

def list_del(client: Client, del_type: str, list_id: str) -> etree._Element:
    return client.one(f"<ListDelRq><ListDelType>{del_type}</ListDelType><ListID>{list_id}</ListID></ListDelRq>")


def deleted(client: Client, types: str, extra: str = "") -> etree._Element:
    return client.one(f"<ListDeletedQueryRq>{types}{extra}</ListDeletedQueryRq>")


def test_list_del_removes_the_object_and_records_the_deletion(qb: FakeQuickBooks, client: Client) -> None:
    ret = added(client, "Vendor", "<Name>Acme</Name>")
    qb.clock.advance(days=1)
    rs = list_del(client, "Vendor", ret.findtext("ListID") or "")
    assert status(rs)[0] == "0"
    assert [(c.tag, c.text) for c in rs] == [("ListDelType", "Vendor"), ("ListID", ret.findtext("ListID")),
                                             ("TimeDeleted", "2024-03-02T09:30:00-05:00"), ("FullName", "Acme")]
    assert query(client, "Vendor", f"<ListID>{ret.findtext('ListID')}</ListID>").get("statusCode") == "500"
    rs = deleted(client, "<ListDelType>Vendor</ListDelType>")
    assert status(rs)[0] == "0"
    row = rs[0]
    assert row.findtext("ListID") == ret.findtext("ListID")
    assert row.findtext("TimeCreated") == "2024-03-01T09:30:00-05:00"
    assert row.findtext("TimeDeleted") == "2024-03-02T09:30:00-05:00"
    assert row.findtext("FullName") == "Acme"
    assert deleted(client, "<ListDelType>Customer</ListDelType>").get("statusCode") == "1"
    added(client, "Vendor", "<Name>Acme</Name>")  # the name is free again


def test_list_del_of_a_missing_object_is_3120(client: Client) -> None:
    rs = list_del(client, "Customer", "80000001-1")
    assert status(rs)[:2] == ("3120", "Error")
    assert status(rs)[2].startswith('Object "80000001-1" specified in the request cannot be found.  ')
    vendor = added(client, "Vendor", "<Name>Acme</Name>")
    assert status(list_del(client, "Customer", vendor.findtext("ListID") or ""))[0] == "3120"


def test_a_customer_with_jobs_cannot_be_deleted(client: Client) -> None:
    parent = added(client, "Customer", "<Name>Jones</Name>")
    job = added(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    rs = list_del(client, "Customer", parent.findtext("ListID") or "")
    assert status(rs)[:2] == ("3170", "Error")
    assert query(client, "Customer", "<FullName>Jones</FullName>").get("statusCode") == "0"
    assert status(list_del(client, "Customer", job.findtext("ListID") or ""))[0] == "0"
    assert status(list_del(client, "Customer", parent.findtext("ListID") or ""))[0] == "0"


def test_an_object_in_use_cannot_be_deleted(client: Client) -> None:
    cls = added(client, "Class", "<Name>East</Name>")
    customer = added(client, "Customer", "<Name>Acme</Name><ClassRef><FullName>East</FullName></ClassRef>")
    rs = list_del(client, "Class", cls.findtext("ListID") or "")
    assert status(rs)[:2] == ("3170", "Error")
    assert query(client, "Class").get("statusCode") == "0"
    assert status(list_del(client, "Customer", customer.findtext("ListID") or ""))[0] == "0"
    assert status(list_del(client, "Class", cls.findtext("ListID") or ""))[0] == "0"


def test_a_list_id_used_in_another_list_does_not_block_deletion(client: Client) -> None:
    """ListIDs are unique per list only: a class and a vendor can have the same ListID."""
    cls = added(client, "Class", "<Name>East</Name>")
    vendor = added(client, "Vendor", "<Name>Acme</Name>")
    assert cls.findtext("ListID") == vendor.findtext("ListID")
    added(client, "Customer", "<Name>Jones</Name><ClassRef><FullName>East</FullName></ClassRef>")
    assert status(list_del(client, "Vendor", vendor.findtext("ListID") or ""))[0] == "0"
    assert status(list_del(client, "Class", cls.findtext("ListID") or ""))[1] == "Error"


def test_an_account_used_by_an_item_cannot_be_deleted(client: Client) -> None:
    account = added(client, "Account", "<Name>Sales</Name><AccountType>Income</AccountType>")
    added(client, "ItemService", "<Name>S</Name><SalesOrPurchase><Price>1</Price>"
                                 "<AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase>")
    assert status(list_del(client, "Account", account.findtext("ListID") or ""))[1] == "Error"


def test_deleted_query_keeps_90_days_only(qb: FakeQuickBooks, client: Client) -> None:
    old = added(client, "Vendor", "<Name>Old</Name>")
    recent = added(client, "Vendor", "<Name>Recent</Name>")
    list_del(client, "Vendor", old.findtext("ListID") or "")
    qb.clock.advance(days=60)
    list_del(client, "Vendor", recent.findtext("ListID") or "")
    qb.clock.advance(days=31)  # the first deletion is 91 days old now
    window = "<DeletedDateRangeFilter><FromDeletedDate>2020-01-01</FromDeletedDate></DeletedDateRangeFilter>"
    for extra in ("", window):
        rs = deleted(client, "<ListDelType>Vendor</ListDelType>", extra)
        assert names(rs) == ["Recent"]
    rs = deleted(client, "<ListDelType>Vendor</ListDelType>", "<DeletedDateRangeFilter><ToDeletedDate>2024-04-29"
                                                              "</ToDeletedDate></DeletedDateRangeFilter>")
    assert rs.get("statusCode") == "1"
    rs = deleted(client, "<ListDelType>Vendor</ListDelType>", "<DeletedDateRangeFilter><ToDeletedDate>2024-04-30"
                                                              "</ToDeletedDate></DeletedDateRangeFilter>")
    assert names(rs) == ["Recent"]


def test_deleted_query_by_several_types(qb: FakeQuickBooks, client: Client) -> None:
    vendor = added(client, "Vendor", "<Name>V</Name>")
    item = added(client, "ItemService", f"<Name>I</Name>{SALES}")
    list_del(client, "ItemService", item.findtext("ListID") or "")
    qb.clock.advance(seconds=1)
    list_del(client, "Vendor", vendor.findtext("ListID") or "")
    rs = deleted(client, "<ListDelType>Vendor</ListDelType><ListDelType>ItemService</ListDelType>")
    assert [(r.findtext("ListDelType"), r.findtext("FullName")) for r in rs] == [("ItemService", "I"),
                                                                                  ("Vendor", "V")]
    assert deleted(client, "<ListDelType>ItemInventory</ListDelType>").get("statusCode") == "1"


# -- data extensions ----------------------------------------------------------------------------------------------

def define_field(client: Client, owner: str = OWNER) -> etree._Element:
    return client.one(f"<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner}</OwnerID><DataExtName>AppId</DataExtName>"
                      "<DataExtType>STR255TYPE</DataExtType><AssignToObject>Vendor</AssignToObject>"
                      "</DataExtDefAdd></DataExtDefAddRq>")


def ext(client: Client, op: str, list_id: str, value: str | None) -> etree._Element:
    value_el = f"<DataExtValue>{value}</DataExtValue>" if value is not None else ""
    return client.one(f"<DataExt{op}Rq><DataExt{op}><OwnerID>{OWNER}</OwnerID><DataExtName>AppId</DataExtName>"
                      f"<ListDataExtType>Vendor</ListDataExtType><ListObjRef><ListID>{list_id}</ListID></ListObjRef>"
                      f"{value_el}</DataExt{op}></DataExt{op}Rq>")


def test_private_data_extension_on_a_vendor(client: Client) -> None:
    rs = define_field(client)
    assert status(rs)[0] == "0"
    assert rs.findtext("DataExtDefRet/OwnerID") == OWNER.upper()
    vendor = added(client, "Vendor", "<Name>Acme</Name>")
    list_id = vendor.findtext("ListID") or ""
    assert status(ext(client, "Add", list_id, "app-42"))[0] == "0"
    rs = query(client, "Vendor", f"<ListID>{list_id}</ListID><OwnerID>{OWNER}</OwnerID>")
    data_ext = rs.find("VendorRet/DataExtRet")
    assert data_ext is not None
    assert [(c.tag, c.text) for c in data_ext] == [("OwnerID", OWNER.upper()), ("DataExtName", "AppId"),
                                                   ("DataExtType", "STR255TYPE"), ("DataExtValue", "app-42")]
    assert query(client, "Vendor", f"<ListID>{list_id}</ListID>").find("VendorRet/DataExtRet") is None
    assert query(client, "Vendor", "<OwnerID>0</OwnerID>").find("VendorRet/DataExtRet") is None
    rs = query(client, "Vendor", f"<OwnerID>{OWNER.upper()}</OwnerID>")  # filter queries too
    assert rs.findtext("VendorRet/DataExtRet/DataExtValue") == "app-42"

    assert status(ext(client, "Mod", list_id, "app-43"))[0] == "0"
    rs = query(client, "Vendor", f"<ListID>{list_id}</ListID><OwnerID>{OWNER}</OwnerID>")
    assert rs.findtext("VendorRet/DataExtRet/DataExtValue") == "app-43"

    assert status(ext(client, "Del", list_id, None))[0] == "0"
    rs = query(client, "Vendor", f"<ListID>{list_id}</ListID><OwnerID>{OWNER}</OwnerID>")
    assert rs.find("VendorRet/DataExtRet") is None
    assert status(ext(client, "Mod", list_id, "again"))[1] == "Error"


def test_data_extension_on_a_missing_vendor_is_refused(client: Client) -> None:
    define_field(client)
    rs = ext(client, "Add", "80000077-1", "x")
    assert status(rs)[1] == "Error"


# -- aggregates returned in another form --------------------------------------------------------------------------

def test_contacts_and_notes_come_back_and_can_be_changed(qb: FakeQuickBooks, client: Client) -> None:
    vendor = added(client, "Vendor", "<Name>Acme</Name><Contacts><FirstName>Jo</FirstName><LastName>Doe</LastName>"
                                     "</Contacts><AdditionalNotes><Note>Pays late</Note></AdditionalNotes>")
    contact = vendor.find("ContactsRet")
    assert contact is not None and contact.findtext("Contact") == "Jo Doe"
    assert contact.findtext("ListID", "").startswith("80000001-")
    assert [(n.findtext("NoteID"), n.findtext("Note")) for n in vendor.iter("AdditionalNotesRet")] == [
        ("1", "Pays late")]
    qb.clock.advance(minutes=1)
    rs = mod(client, "Vendor", vendor, f"<ContactsMod><ListID>{contact.findtext('ListID')}</ListID>"
                                       f"<EditSequence>{contact.findtext('EditSequence')}</EditSequence>"
                                       "<FirstName>Joe</FirstName></ContactsMod>"
                                       "<ContactsMod><FirstName>Ann</FirstName></ContactsMod>"
                                       "<AdditionalNotesMod><NoteID>1</NoteID><Note>Pays on time</Note>"
                                       "</AdditionalNotesMod>")
    assert status(rs)[0] == "0", status(rs)
    contacts = rs[0].findall("ContactsRet")
    assert [c.findtext("Contact") for c in contacts] == ["Joe Doe", "Ann"]
    assert contacts[0].findtext("EditSequence") != contact.findtext("EditSequence")
    assert rs[0].findtext("AdditionalNotesRet/Note") == "Pays on time"
    stale = mod(client, "Vendor", rs[0], f"<ContactsMod><ListID>{contact.findtext('ListID')}</ListID>"
                                         f"<EditSequence>{contact.findtext('EditSequence')}</EditSequence>"
                                         "<FirstName>Jim</FirstName></ContactsMod>")
    assert status(stale)[0] == "3200"
    missing = mod(client, "Vendor", rs[0], "<AdditionalNotesMod><NoteID>9</NoteID><Note>x</Note>"
                                           "</AdditionalNotesMod>")
    assert status(missing)[0] == "3120"


def test_address_block_lines_fit_their_41_characters(client: Client) -> None:
    vendor = added(client, "Vendor", "<Name>Acme</Name><VendorAddress><Addr1>1 Main St</Addr1>"
                                     f"<City>{'C' * 31}</City><State>{'S' * 21}</State>"
                                     "<PostalCode>12345</PostalCode></VendorAddress>")
    block = vendor.find("VendorAddressBlock")
    assert block is not None
    assert [line.text for line in block] == ["1 Main St", ("C" * 31 + ", " + "S" * 21)[:41]]


def test_employee_is_renamed_when_a_mod_changes_their_names(client: Client) -> None:
    employee = added(client, "Employee", "<FirstName>Ann</FirstName><LastName>Lee</LastName>")
    rs = mod(client, "Employee", employee, "<LastName>Park</LastName>")
    assert rs[0].findtext("Name") == "Ann Park"
