"""fakeqb.seed: a realistic company, the same for the same seed, built only from requests QuickBooks accepts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from faker import Faker
from lxml import etree

from fakeqb import FakeQuickBooks
from fakeqb.company.lists import ACCOUNT_TYPE_ORDER
from fakeqb.seed import lists as seed_module
from fakeqb.seed.lists import Add, NameSpace, SeedError, SeedSummary, ref, seed_company, send
from tests.conftest import START
from tests.support import Client

SMALL = {"vendors": 4, "customers": 4, "max_jobs": 2, "items": 12, "classes": 4, "employees": 2, "other_names": 2}
LISTS = ("Account", "Class", "Vendor", "Customer", "Item", "Employee", "OtherName")


def company(seed: int = 0, **sizes: int) -> FakeQuickBooks:
    qb = FakeQuickBooks()
    qb.clock.set(START)
    qb.seed(seed, **sizes)
    return qb


def everything(qb: FakeQuickBooks) -> dict[str, list[etree._Element]]:
    """Every object of every list, by list name, in QuickBooks' order."""
    client = Client(qb.request_processor())
    try:
        return {name: list(client.one(f"<{name}QueryRq><ActiveStatus>All</ActiveStatus></{name}QueryRq>"))
                for name in LISTS}
    finally:
        client.close()


def raw_lists(qb: FakeQuickBooks) -> str:
    client = Client(qb.request_processor())
    try:
        return client.raw("".join(f"<{name}QueryRq><ActiveStatus>All</ActiveStatus></{name}QueryRq>" for name in LISTS))
    finally:
        client.close()


@pytest.fixture(scope="module")
def default_company() -> Iterator[tuple[SeedSummary, dict[str, list[etree._Element]]]]:
    """The one default-size run: the summary and every list."""
    qb = FakeQuickBooks()
    qb.clock.set(START)
    summary = seed_company(qb.request_processor(), 0)
    yield summary, everything(qb)
    qb.close()


def names_of(rets: list[etree._Element], path: str = "Name") -> list[str]:
    return [r.findtext(path) or "" for r in rets]


# -- determinism ----------------------------------------------------------------------------------------------------

def test_same_seed_and_clock_give_identical_companies() -> None:
    first, second = company(7, **SMALL), company(7, **SMALL)
    a, b = raw_lists(first), raw_lists(second)
    assert "<ListID>" in a and "<VendorRet>" in a and "<CustomerRet>" in a
    assert a == b


def test_a_different_seed_gives_different_names() -> None:
    one, two = everything(company(1, **SMALL)), everything(company(2, **SMALL))
    for list_name in ("Vendor", "Customer", "Employee", "OtherName"):
        assert names_of(one[list_name]) != names_of(two[list_name]), list_name
    assert names_of(one["Account"]) == names_of(two["Account"])  # the chart of accounts is standard


# -- sizes ----------------------------------------------------------------------------------------------------------

def test_default_sizes(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    summary, lists = default_company
    customers = [c for c in lists["Customer"] if c.find("ParentRef") is None]
    jobs = [c for c in lists["Customer"] if c.find("ParentRef") is not None]
    assert (summary.vendors, summary.customers, summary.classes, summary.employees, summary.other_names,
            summary.items) == (25, 20, 6, 4, 3, 16)
    assert (len(lists["Vendor"]), len(customers), len(lists["Class"]), len(lists["Employee"]),
            len(lists["OtherName"]), len(lists["Item"])) == (25, 20, 6, 4, 3, 16)
    assert len(jobs) == summary.jobs and len(lists["Account"]) == summary.accounts
    per_customer = Counter(j.findtext("ParentRef/FullName") for j in jobs)
    assert max(per_customer.values()) <= 3
    assert summary.total == sum(len(v) for v in lists.values())


@pytest.mark.parametrize("sizes", [
    {"vendors": 0, "customers": 0, "max_jobs": 0, "items": 0, "classes": 0, "employees": 0, "other_names": 0},
    {"vendors": 1, "customers": 2, "max_jobs": 0, "items": 5, "classes": 1, "employees": 1, "other_names": 0},
    {"vendors": 9, "customers": 7, "max_jobs": 5, "items": 21, "classes": 10, "employees": 3, "other_names": 4},
])
def test_sizes_are_respected(sizes: dict[str, int]) -> None:
    qb = FakeQuickBooks()
    summary = qb.seed(4, **sizes)
    lists = everything(qb)
    jobs = [c for c in lists["Customer"] if c.find("ParentRef") is not None]
    assert len(lists["Vendor"]) == summary.vendors == sizes["vendors"]
    assert len(lists["Customer"]) - len(jobs) == summary.customers == sizes["customers"]
    assert len(jobs) == summary.jobs <= sizes["customers"] * sizes["max_jobs"]
    assert len(lists["Item"]) == summary.items == sizes["items"]
    assert len(lists["Class"]) == summary.classes == sizes["classes"]
    assert len(lists["Employee"]) == summary.employees == sizes["employees"]
    assert len(lists["OtherName"]) == summary.other_names == sizes["other_names"]


def test_customers_get_up_to_max_jobs() -> None:
    lists = everything(company(5, customers=12, max_jobs=3, vendors=0, items=0, employees=0, other_names=0))
    jobs = [c for c in lists["Customer"] if c.find("ParentRef") is not None]
    per_customer = Counter(c.findtext("ParentRef/FullName") for c in jobs)
    top = [c.findtext("FullName") for c in lists["Customer"] if c.find("ParentRef") is None]
    counts = [per_customer.get(name, 0) for name in top]
    assert max(counts) <= 3 and sum(counts) > 0
    assert 0 in counts or len(set(counts)) > 1  # job counts vary between customers


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="vendors"):
        FakeQuickBooks().seed(0, vendors=-1)


# -- content --------------------------------------------------------------------------------------------------------

def test_every_account_type_is_present(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    accounts = default_company[1]["Account"]
    types = [a.findtext("AccountType") for a in accounts]
    assert set(types) == set(ACCOUNT_TYPE_ORDER)
    assert types == sorted(types, key=ACCOUNT_TYPE_ORDER.index)  # QuickBooks' order
    by_name = {a.findtext("FullName"): a for a in accounts}
    assert by_name["Undeposited Funds"].findtext("AccountType") == "OtherCurrentAsset"
    for bank in ("Checking", "Savings"):
        assert by_name[bank].findtext("AccountType") == "Bank"
        assert Decimal(by_name[bank].findtext("Balance") or "0") > 0
    subs = [a for a in accounts if a.find("ParentRef") is not None]
    assert sum(a.findtext("AccountType") == "Expense" for a in subs) >= 3
    for sub in subs:
        parent = by_name[sub.findtext("ParentRef/FullName")]
        assert sub.findtext("AccountType") == parent.findtext("AccountType")
        assert sub.findtext("Sublevel") == "1"
    assert all(len(a.findtext("Name") or "") <= 31 for a in accounts)


def test_classes_have_a_hierarchy(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    classes = default_company[1]["Class"]
    top = {c.findtext("FullName") for c in classes if c.findtext("Sublevel") == "0"}
    subs = [c for c in classes if c.findtext("Sublevel") == "1"]
    assert top and subs
    assert all(c.findtext("ParentRef/FullName") in top for c in subs)


def test_jobs_are_customers_with_a_parent(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    jobs = [c for c in default_company[1]["Customer"] if c.find("ParentRef") is not None]
    assert jobs
    for job in jobs:
        assert job.findtext("FullName") == f"{job.findtext('ParentRef/FullName')}:{job.findtext('Name')}"
        assert job.findtext("Sublevel") == "1"
        assert job.findtext("JobStatus")
    top = [c for c in default_company[1]["Customer"] if c.find("ParentRef") is None]
    assert all(c.findtext("Sublevel") == "0" and c.find("BillAddress/Addr2") is not None for c in top)
    assert all(c.findtext("Email") for c in top)


def test_vendors_look_real(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    vendors = default_company[1]["Vendor"]
    for vendor in vendors:
        for path in ("CompanyName", "Phone", "Email", "AccountNumber", "VendorAddress/City", "VendorAddress/State"):
            assert vendor.findtext(path), (vendor.findtext("Name"), path)
    eligible = [v.findtext("IsVendorEligibleFor1099") == "true" for v in vendors]
    assert any(eligible) and not all(eligible)


def test_items_of_all_four_types(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    summary, lists = default_company
    items = lists["Item"]
    kinds = Counter(i.tag for i in items)
    assert kinds == {"ItemServiceRet": summary.service_items, "ItemNonInventoryRet": summary.non_inventory_items,
                     "ItemOtherChargeRet": summary.other_charge_items, "ItemInventoryRet": summary.inventory_items}
    assert set(kinds.values()) == {4}
    for item in items:
        if item.tag == "ItemInventoryRet":
            for path in ("IncomeAccountRef/FullName", "COGSAccountRef/FullName", "AssetAccountRef/FullName"):
                assert item.findtext(path), path
            assert item.findtext("AssetAccountRef/FullName") == "Inventory Asset"
        else:
            assert item.findtext("SalesOrPurchase/AccountRef/FullName")
            assert Decimal(item.findtext("SalesOrPurchase/Price") or "0") > 0
        assert len(item.findtext("Name") or "") <= 31
    subs = [i for i in items if i.find("ParentRef") is not None]
    assert subs and all(i.findtext("Sublevel") == "1" for i in subs)


def test_employees_and_other_names(default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    lists = default_company[1]
    for employee in lists["Employee"]:
        assert employee.findtext("Name") == f"{employee.findtext('FirstName')} {employee.findtext('LastName')}"
    assert all(o.findtext("Name") and o.findtext("Phone") for o in lists["OtherName"])


def shared_names(lists: dict[str, list[etree._Element]]) -> list[str]:
    """Customers (with jobs, by full name), vendors, employees and other names: QuickBooks' one name list."""
    return [*names_of(lists["Customer"], "FullName"), *names_of(lists["Vendor"]), *names_of(lists["Employee"]),
            *names_of(lists["OtherName"])]


def test_no_collisions_in_the_shared_name_list(
        default_company: tuple[SeedSummary, dict[str, list[etree._Element]]]) -> None:
    names = shared_names(default_company[1])
    assert len({n.casefold() for n in names}) == len(names)
    assert all(0 < len(n.rpartition(":")[2]) <= 41 for n in names)


class Repetitive:
    """Faker, except that every person is Pat Smith and every company the same (too long, with a colon)."""

    def __init__(self, locale: str):
        self._faker = Faker(locale)

    def __getattr__(self, name: str) -> Any:
        if name == "company":
            return lambda: "Acme: Builders and Sons Incorporated of America"
        if name == "last_name":
            return lambda: "Smith"
        if name.startswith("first_name"):
            return lambda: "Pat"
        return getattr(self._faker, name)


def test_colliding_names_are_made_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seed_module, "Faker", Repetitive)
    qb = FakeQuickBooks()
    summary = qb.seed(1, vendors=8, customers=8, max_jobs=2, items=0, classes=0, employees=3, other_names=3)
    lists = everything(qb)
    names = shared_names(lists)
    assert len(names) == 8 + 8 + summary.jobs + 3 + 3
    assert len({n.casefold() for n in names}) == len(names)
    assert all(0 < len(n.rpartition(":")[2]) <= 41 for n in names)
    assert "Acme Builders and Sons Incorporated of 2" in names  # no colon, cut to make room for the suffix
    assert {"Smith, Pat", "Smith, Pat 2"} <= set(names_of(lists["Customer"]))
    assert names_of(lists["Employee"]) == ["Pat A Smith", "Pat B Smith", "Pat Smith"]  # named by their first,
    assert names_of(lists["OtherName"]) == ["Pat Smith 2", "Pat Smith 3", "Pat Smith 4"]  # middle and last names


def test_name_space_makes_names_unique_and_short() -> None:
    space = NameSpace(10)
    assert space.claim("Acme") == "Acme"
    assert space.claim("ACME") == "ACME 2"
    assert space.claim("acme") == "acme 3"
    assert space.claim("Plumbing: Supply Co") == "Plumbing S"  # no colons, at most 10 characters
    assert space.claim("Plumbing Supply") == "Plumbing 2"
    assert space.claim("Framing", parent="Acme") == "Framing"
    assert space.claim("Framing", parent="Other") == "Framing"
    assert space.claim("framing", parent="acme") == "framing 2"


# -- requests and sessions ------------------------------------------------------------------------------------------

def test_a_refused_request_stops_the_seed_with_a_clear_error(client: Client) -> None:
    adds = [Add("Class", [("Name", "Good")]), Add("Class", [("Name", "Orphan"), ("ParentRef", ref("Missing"))]),
            Add("Class", [("Name", "Never sent")])]
    with pytest.raises(SeedError, match=r"ClassAdd 'Orphan' failed: status 3130 .*Missing"):
        send(client.rp, client.ticket, adds)
    rs = client.one("<ClassQueryRq/>")
    assert names_of(list(rs)) == ["Good"]


def test_seeding_a_company_with_data_is_refused(qb: FakeQuickBooks) -> None:
    qb.seed(0, **SMALL)
    before = raw_lists(qb)
    with pytest.raises(SeedError, match="already has data"):
        qb.seed(1, **SMALL)
    assert raw_lists(qb) == before


def test_the_seed_ends_its_session(qb: FakeQuickBooks) -> None:
    rp = qb.request_processor()
    summary = seed_company(rp, 0, **SMALL)
    assert isinstance(summary, SeedSummary)
    rp.OpenConnection2("", "After", 1)  # the seed closed its connection: this one is allowed
    assert rp.BeginSession("", 0)  # and no session is left open: single-user mode is allowed
