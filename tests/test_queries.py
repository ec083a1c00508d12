"""List queries: identity lists, filters, empty results, iterators and metaData, as QuickBooks answers them."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from lxml import etree

from fakeqb import FakeQuickBooks
from tests.support import Client

NO_MATCH = ("1", "Info", "A query request did not find a matching object in QuickBooks")
GUID = re.compile(r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}\Z")


def add(client: Client, list_type: str, body: str) -> etree._Element:
    rs = client.one(f"<{list_type}AddRq><{list_type}Add>{body}</{list_type}Add></{list_type}AddRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    return rs[0]


def query(client: Client, list_type: str, body: str = "", attrs: str = "") -> etree._Element:
    return client.one(f"<{list_type}QueryRq{attrs}>{body}</{list_type}QueryRq>")


def status(rs: etree._Element) -> tuple[str, str, str]:
    return rs.get("statusCode") or "", rs.get("statusSeverity") or "", rs.get("statusMessage") or ""


def names(rs: etree._Element) -> list[str]:
    return [r.findtext("FullName") or r.findtext("Name") or "" for r in rs]


def vendors(client: Client, *vendor_names: str) -> list[etree._Element]:
    return [add(client, "Vendor", f"<Name>{n}</Name>") for n in vendor_names]


# -- ListID / FullName lists --------------------------------------------------------------------------------------

def test_list_ids_are_answered_in_request_order(client: Client) -> None:
    a, b, c = vendors(client, "Alpha", "Bravo", "Charlie")
    ids = [c.findtext("ListID"), a.findtext("ListID"), b.findtext("ListID")]
    rs = query(client, "Vendor", "".join(f"<ListID>{i}</ListID>" for i in ids))
    assert status(rs) == ("0", "Info", "Status OK")
    assert names(rs) == ["Charlie", "Alpha", "Bravo"]


def test_full_names_are_answered_in_request_order_case_insensitively(client: Client) -> None:
    vendors(client, "Alpha", "Bravo")
    rs = query(client, "Vendor", "<FullName>BRAVO</FullName><FullName>alpha</FullName>")
    assert names(rs) == ["Bravo", "Alpha"]


def test_a_missing_list_id_is_a_500_warning_and_the_found_ones_are_returned(client: Client) -> None:
    a, b = vendors(client, "Alpha", "Bravo")
    rs = query(client, "Vendor", f"<ListID>{b.findtext('ListID')}</ListID><ListID>80000099-1</ListID>"
                                 f"<ListID>{a.findtext('ListID')}</ListID>")
    assert status(rs) == ("500", "Warn", 'The query request has not been fully completed. There was a required '
                                         'element ("80000099-1") that could not be found in QuickBooks.')
    assert names(rs) == ["Bravo", "Alpha"]


def test_a_missing_full_name_is_a_500_warning(client: Client) -> None:
    rs = query(client, "Customer", "<FullName>Nobody</FullName>")
    assert status(rs) == ("500", "Warn", 'The query request has not been fully completed. There was a required '
                                         'element ("Nobody") that could not be found in QuickBooks.')
    assert len(rs) == 0


def test_identity_queries_ignore_active_status(client: Client) -> None:
    ret = add(client, "Vendor", "<Name>Gone</Name><IsActive>false</IsActive>")
    assert names(query(client, "Vendor", f"<ListID>{ret.findtext('ListID')}</ListID>")) == ["Gone"]


# -- filters ------------------------------------------------------------------------------------------------------

def test_empty_result_is_status_1(client: Client) -> None:
    assert status(query(client, "Vendor")) == NO_MATCH
    vendors(client, "Alpha")
    assert status(query(client, "Vendor", "<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Z</Name>"
                                          "</NameFilter>")) == NO_MATCH


def test_max_returned_limits_in_name_order(client: Client) -> None:
    vendors(client, "Delta", "alpha", "Charlie", "Bravo")
    assert names(query(client, "Vendor", "<MaxReturned>3</MaxReturned>")) == ["alpha", "Bravo", "Charlie"]
    assert names(query(client, "Vendor")) == ["alpha", "Bravo", "Charlie", "Delta"]


def test_active_status(client: Client) -> None:
    vendors(client, "Alpha")
    add(client, "Vendor", "<Name>Bravo</Name><IsActive>false</IsActive>")
    assert names(query(client, "Vendor")) == ["Alpha"]
    assert names(query(client, "Vendor", "<ActiveStatus>ActiveOnly</ActiveStatus>")) == ["Alpha"]
    assert names(query(client, "Vendor", "<ActiveStatus>InactiveOnly</ActiveStatus>")) == ["Bravo"]
    assert names(query(client, "Vendor", "<ActiveStatus>All</ActiveStatus>")) == ["Alpha", "Bravo"]


@pytest.fixture
def modified_on_three_days(qb: FakeQuickBooks, client: Client) -> Client:
    """Alpha modified 2024-03-01 09:30, Bravo 2024-03-02 00:00:00, Charlie 2024-03-02 23:59:59 (company time)."""
    vendors(client, "Alpha")
    qb.clock.advance(hours=14, minutes=30)
    vendors(client, "Bravo")
    qb.clock.advance(hours=23, minutes=59, seconds=59)
    vendors(client, "Charlie")
    return client


def test_from_modified_date_is_on_or_after_and_date_only_is_start_of_day(modified_on_three_days: Client) -> None:
    client = modified_on_three_days
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-02</FromModifiedDate>")) == ["Bravo", "Charlie"]
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-01T09:30:00</FromModifiedDate>")) == [
        "Alpha", "Bravo", "Charlie"]
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-01T09:30:01</FromModifiedDate>")) == [
        "Bravo", "Charlie"]
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-02T23:59:59-05:00</FromModifiedDate>")) == [
        "Charlie"]
    # the same instant written in another offset
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-03T04:59:59+00:00</FromModifiedDate>")) == [
        "Charlie"]
    assert status(query(client, "Vendor", "<FromModifiedDate>2024-03-03</FromModifiedDate>")) == NO_MATCH


def test_to_modified_date_is_on_or_before_and_date_only_is_end_of_day(modified_on_three_days: Client) -> None:
    client = modified_on_three_days
    assert names(query(client, "Vendor", "<ToModifiedDate>2024-03-01</ToModifiedDate>")) == ["Alpha"]
    assert names(query(client, "Vendor", "<ToModifiedDate>2024-03-02</ToModifiedDate>")) == [
        "Alpha", "Bravo", "Charlie"]
    assert names(query(client, "Vendor", "<ToModifiedDate>2024-03-02T00:00:00</ToModifiedDate>")) == [
        "Alpha", "Bravo"]
    assert names(query(client, "Vendor", "<ToModifiedDate>2024-03-01T09:29:59</ToModifiedDate>")) == []
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-01T10:00:00</FromModifiedDate>"
                                         "<ToModifiedDate>2024-03-02T12:00:00</ToModifiedDate>")) == ["Bravo"]


def test_date_only_bounds_are_company_days_in_summer_too(qb: FakeQuickBooks, client: Client) -> None:
    qb.clock.set(datetime(2024, 7, 1, 23, 59, 59))
    vendors(client, "June")  # 2024-07-01T23:59:59-04:00, i.e. 03:59:59 UTC on July 2
    qb.clock.advance(seconds=1)
    vendors(client, "July")
    assert names(query(client, "Vendor", "<ToModifiedDate>2024-07-01</ToModifiedDate>")) == ["June"]
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-07-02</FromModifiedDate>")) == ["July"]


def test_modified_dates_use_time_modified_not_time_created(qb: FakeQuickBooks, client: Client) -> None:
    alpha, _ = vendors(client, "Alpha", "Bravo")
    qb.clock.advance(days=2)
    rs = client.one(f"<VendorModRq><VendorMod><ListID>{alpha.findtext('ListID')}</ListID><EditSequence>"
                    f"{alpha.findtext('EditSequence')}</EditSequence><Phone>1</Phone></VendorMod></VendorModRq>")
    assert status(rs)[0] == "0"
    assert names(query(client, "Vendor", "<FromModifiedDate>2024-03-02</FromModifiedDate>")) == ["Alpha"]
    assert names(query(client, "Vendor", "<ToModifiedDate>2024-03-02</ToModifiedDate>")) == ["Bravo"]


def test_an_impossible_date_is_refused(client: Client) -> None:
    vendors(client, "Alpha")
    rs = query(client, "Vendor", "<FromModifiedDate>2024-02-30</FromModifiedDate>")
    assert status(rs)[1] == "Error"
    assert len(rs) == 0


@pytest.mark.parametrize("criterion,text,expected", [
    ("StartsWith", "br", ["Brass Works", "Bravo"]),
    ("StartsWith", "BRAVO", ["Bravo"]),
    ("Contains", "AS", ["Brass Works", "Glass_Co"]),
    ("Contains", "_", ["Glass_Co"]),  # no SQL wildcards
    ("Contains", "%", []),
    ("EndsWith", "WORKS", ["Brass Works", "Iron works"]),
    ("EndsWith", "o", ["Bravo", "Glass_Co"]),
])
def test_name_filter(client: Client, criterion: str, text: str, expected: list[str]) -> None:
    vendors(client, "Bravo", "Brass Works", "Iron works", "Glass_Co", "Alpha")
    rs = query(client, "Vendor", f"<NameFilter><MatchCriterion>{criterion}</MatchCriterion><Name>{text}</Name>"
                                 "</NameFilter>")
    assert names(rs) == expected


def test_name_filter_matches_full_names_of_jobs(client: Client) -> None:
    add(client, "Customer", "<Name>Jones</Name>")
    add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    add(client, "Customer", "<Name>Smith</Name>")
    rs = query(client, "Customer", "<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>jones</Name>"
                                   "</NameFilter>")
    assert names(rs) == ["Jones", "Jones:Kitchen"]


@pytest.mark.parametrize("bounds,expected", [
    ("<FromName>bravo</FromName><ToName>Delta</ToName>", ["Bravo", "Charlie", "Delta"]),
    ("<FromName>Bz</FromName>", ["Charlie", "Delta", "Echo"]),
    ("<ToName>c</ToName>", ["Alpha", "Bravo"]),
    ("<ToName>Charlie</ToName>", ["Alpha", "Bravo", "Charlie"]),
    ("<FromName>Delta</FromName><ToName>Bravo</ToName>", []),
    ("", ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
])
def test_name_range_filter(client: Client, bounds: str, expected: list[str]) -> None:
    vendors(client, "Echo", "Delta", "Charlie", "Bravo", "Alpha")
    assert names(query(client, "Vendor", f"<NameRangeFilter>{bounds}</NameRangeFilter>")) == expected


def test_name_range_filter_is_a_slice_of_the_listing(client: Client) -> None:
    """A range follows the listing order, where each parent is directly followed by its jobs."""
    for name in ("Jones", "Jones Ltd", "Smith"):
        add(client, "Customer", f"<Name>{name}</Name>")
    add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    listing = names(query(client, "Customer"))
    assert listing == ["Jones", "Jones:Kitchen", "Jones Ltd", "Smith"]
    rs = query(client, "Customer", "<NameRangeFilter><FromName>Jones</FromName><ToName>Jones Ltd</ToName>"
                                   "</NameRangeFilter>")
    assert names(rs) == ["Jones", "Jones:Kitchen", "Jones Ltd"]


def test_account_type_filter(client: Client) -> None:
    add(client, "Account", "<Name>Checking</Name><AccountType>Bank</AccountType>")
    add(client, "Account", "<Name>Rent</Name><AccountType>Expense</AccountType>")
    add(client, "Account", "<Name>Sales</Name><AccountType>Income</AccountType>")
    add(client, "Account", "<Name>Savings</Name><AccountType>Bank</AccountType>")
    assert names(query(client, "Account", "<AccountType>Bank</AccountType>")) == ["Checking", "Savings"]
    assert names(query(client, "Account", "<AccountType>Income</AccountType><AccountType>Expense</AccountType>")) == [
        "Sales", "Rent"]
    assert status(query(client, "Account", "<AccountType>Equity</AccountType>")) == NO_MATCH
    assert names(query(client, "Account", "<MaxReturned>1</MaxReturned><AccountType>Bank</AccountType>")) == [
        "Checking"]


@pytest.mark.parametrize("operator,amount,expected", [
    ("GreaterThan", "100.00", ["Jones"]),
    ("GreaterThanEqual", "150.00", ["Jones"]),
    ("Equal", "150.00", ["Jones"]),
    ("Equal", "0", ["Adams"]),
    ("LessThan", "100", ["Adams", "Jones:Kitchen"]),
    ("LessThanEqual", "100", ["Adams", "Jones:Kitchen", "Smith"]),
])
def test_total_balance_filter(client: Client, operator: str, amount: str, expected: list[str]) -> None:
    add(client, "Customer", "<Name>Adams</Name>")
    add(client, "Customer", "<Name>Jones</Name><OpenBalance>100.00</OpenBalance>")
    add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>"
                            "<OpenBalance>50.00</OpenBalance>")
    add(client, "Customer", "<Name>Smith</Name><OpenBalance>100.00</OpenBalance>")
    rs = query(client, "Customer", f"<TotalBalanceFilter><Operator>{operator}</Operator><Amount>{amount}</Amount>"
                                   "</TotalBalanceFilter>")
    assert names(rs) == expected


# -- iterators ----------------------------------------------------------------------------------------------------

def start(client: Client, max_returned: int, list_type: str = "Customer", body: str = "") -> etree._Element:
    return query(client, list_type, f"<MaxReturned>{max_returned}</MaxReturned>{body}", ' iterator="Start"')


def cont(client: Client, iterator_id: str, max_returned: int = 2, list_type: str = "Customer") -> etree._Element:
    return query(client, list_type, f"<MaxReturned>{max_returned}</MaxReturned>",
                 f' iterator="Continue" iteratorID="{iterator_id}"')


def customers(client: Client, count: int) -> list[str]:
    created = [f"Customer {i:02d}" for i in range(count)]
    for name in reversed(created):
        add(client, "Customer", f"<Name>{name}</Name>")
    return created


def test_iterator_walks_every_page_without_gaps_or_duplicates(client: Client) -> None:
    expected = customers(client, 7)
    rs = start(client, 3)
    assert status(rs)[0] == "0"
    iterator_id = rs.get("iteratorID") or ""
    assert GUID.match(iterator_id)
    assert rs.get("iteratorRemainingCount") == "4"
    seen = names(rs)
    remaining = [rs.get("iteratorRemainingCount")]
    while rs.get("iteratorRemainingCount") != "0":
        rs = cont(client, iterator_id, 3)
        assert status(rs)[0] == "0"
        assert rs.get("iteratorID") == iterator_id
        seen += names(rs)
        remaining.append(rs.get("iteratorRemainingCount"))
    assert seen == expected
    assert remaining == ["4", "1", "0"]


def test_iterator_whose_pages_end_exactly(client: Client) -> None:
    expected = customers(client, 4)
    rs = start(client, 2)
    first = names(rs)
    rs = cont(client, rs.get("iteratorID") or "")
    assert rs.get("iteratorRemainingCount") == "0"
    assert first + names(rs) == expected


def test_iterator_keeps_its_filter(client: Client) -> None:
    customers(client, 5)
    add(client, "Customer", "<Name>Other</Name>")
    body = "<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>customer</Name></NameFilter>"
    rs = start(client, 2, body=body)
    assert rs.get("iteratorRemainingCount") == "3"
    iterator_id = rs.get("iteratorID") or ""
    seen = names(rs)
    while rs.get("iteratorRemainingCount") != "0":
        rs = cont(client, iterator_id)
        seen += names(rs)
    assert "Other" not in seen
    assert len(seen) == 5


def test_continue_after_the_end_fails(client: Client) -> None:
    customers(client, 2)
    rs = start(client, 5)
    assert rs.get("iteratorRemainingCount") == "0"
    rs = cont(client, rs.get("iteratorID") or "")
    assert status(rs)[1] == "Error"
    assert len(rs) == 0


def test_continue_with_an_unknown_id_fails(client: Client) -> None:
    customers(client, 2)
    rs = cont(client, "{00000000-0000-4000-8000-000000000000}")
    assert status(rs)[1] == "Error"
    assert "{00000000-0000-4000-8000-000000000000}" in status(rs)[2]


def test_iterator_is_bound_to_its_session(qb: FakeQuickBooks, client: Client) -> None:
    customers(client, 5)
    iterator_id = start(client, 2).get("iteratorID") or ""
    other = Client(qb.request_processor(), app="Other App", mode=1)
    try:
        assert status(cont(other, iterator_id))[1] == "Error"
    finally:
        other.close()
    assert status(cont(client, iterator_id))[0] == "0"  # still valid where it started
    # a new session of the same processor cannot continue it either
    client.rp.EndSession(client.ticket)
    client.ticket = client.rp.BeginSession("", 2)
    assert status(cont(client, iterator_id))[1] == "Error"


def test_iterator_is_bound_to_its_request_type(client: Client) -> None:
    customers(client, 5)
    vendors(client, "Alpha", "Bravo", "Charlie")
    iterator_id = start(client, 2).get("iteratorID") or ""
    assert status(cont(client, iterator_id, list_type="Vendor"))[1] == "Error"
    assert status(cont(client, iterator_id, list_type="ItemService"))[1] == "Error"
    assert names(cont(client, iterator_id)) == ["Customer 02", "Customer 03"]


def test_iterator_stop_ends_it(client: Client) -> None:
    customers(client, 5)
    iterator_id = start(client, 2).get("iteratorID") or ""
    rs = query(client, "Customer", "", f' iterator="Stop" iteratorID="{iterator_id}"')
    assert status(rs)[0] == "0"
    assert status(cont(client, iterator_id))[1] == "Error"


def test_item_query_iterates_across_item_types(client: Client) -> None:
    sales = "<SalesOrPurchase><Price>1</Price></SalesOrPurchase>"
    for i, kind in enumerate(("ItemService", "ItemNonInventory", "ItemOtherCharge", "ItemService")):
        add(client, kind, f"<Name>Item {i}</Name>{sales}")
    rs = start(client, 3, "Item")
    assert [r.tag for r in rs] == ["ItemServiceRet", "ItemNonInventoryRet", "ItemOtherChargeRet"]
    rs = cont(client, rs.get("iteratorID") or "", 3, "Item")
    assert names(rs) == ["Item 3"]
    assert rs.get("iteratorRemainingCount") == "0"


def test_metadata_only_gives_the_count_and_no_rets(client: Client) -> None:
    vendors(client, "Alpha", "Bravo", "Charlie")
    rs = query(client, "Vendor", "", ' metaData="MetaDataOnly"')
    assert status(rs)[0] == "0"
    assert rs.get("retCount") == "3"
    assert len(rs) == 0
    rs = query(client, "Vendor", "<MaxReturned>2</MaxReturned>", ' metaData="MetaDataAndResponseData"')
    assert (rs.get("retCount"), names(rs)) == ("2", ["Alpha", "Bravo"])
    rs = query(client, "Vendor", "<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Z</Name></NameFilter>",
               ' metaData="MetaDataOnly"')
    assert status(rs) == NO_MATCH
    assert rs.get("retCount") == "0"
    assert query(client, "Vendor").get("retCount") is None
