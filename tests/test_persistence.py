"""Company files that persist: a SQLite file, and PostgreSQL (the local server, one database per test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import sqlalchemy as sa
from lxml import etree

from fakeqb import FakeQuickBooks
from tests.support import Client

POSTGRES_URL = os.environ.get("FAKEQB_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
START = datetime(2024, 3, 1, 9, 30, 0)


def open_company(url: str) -> tuple[FakeQuickBooks, Client]:
    qb = FakeQuickBooks(url)
    qb.clock.set(START)
    return qb, Client(qb.request_processor())


def add(client: Client, list_type: str, body: str) -> etree._Element:
    rs = client.one(f"<{list_type}AddRq><{list_type}Add>{body}</{list_type}Add></{list_type}AddRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    return rs[0]


def full_names(rs: etree._Element) -> list[str]:
    return [r.findtext("FullName") or r.findtext("Name") or "" for r in rs]


# -- the core list flow, the same on every database -----------------------------------------------------------------

CUSTOMERS = ("Zeta Corp", "alpha & sons", "Émile Café", "Jones", "Jones Ltd", "jones-west", "100 Acres", "Beta_2",
             "beta 1", "Omega%")
EXPECTED = {
    "customers": ["100 Acres", "alpha & sons", "beta 1", "Beta_2", "Jones", "Jones:Bath", "Jones:Kitchen",
                  "Jones:Kitchen:Tiles", "Jones Ltd", "jones-west", "Omega%", "Émile Café"],
    "vendors": ["Acme Supply", "Bolt Co"],
    "starts_jones": ["Jones", "Jones:Bath", "Jones:Kitchen", "Jones:Kitchen:Tiles", "Jones Ltd", "jones-west"],
    "contains_percent": ["Omega%"],
    "range": ["beta 1", "Beta_2", "Jones", "Jones:Bath", "Jones:Kitchen", "Jones:Kitchen:Tiles", "Jones Ltd"],
    "modified_after": ["Jones:Kitchen", "Jones:Kitchen:Tiles", "Jones Ltd"],
    "balance_over_100": ["Jones"],
    "inactive": ["Zeta Corp"],
    "pages": [["100 Acres", "alpha & sons", "beta 1", "Beta_2"], ["Jones", "Jones:Bath", "Jones:Kitchen",
                                                                  "Jones:Kitchen:Tiles"],
              ["Jones Ltd", "jones-west", "Omega%", "Émile Café"]],
    "remaining": ["8", "4", "0"],
}


def core_flow(qb: FakeQuickBooks, client: Client) -> dict[str, object]:
    """Customers with jobs, vendors, filters and an iterator; returns what the queries answered."""
    for name in CUSTOMERS:
        add(client, "Customer", f"<Name>{escape(name)}</Name>")
    add(client, "Customer", "<Name>Bath</Name><ParentRef><FullName>jones</FullName></ParentRef>"
                            "<OpenBalance>75.00</OpenBalance>")
    qb.clock.advance(days=1)
    add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>JONES</FullName></ParentRef>"
                            "<OpenBalance>50.00</OpenBalance>")
    add(client, "Customer", "<Name>Tiles</Name><ParentRef><FullName>Jones:Kitchen</FullName></ParentRef>")
    ltd = client.one("<CustomerQueryRq><FullName>jones ltd</FullName></CustomerQueryRq>")[0]
    rs = client.one(f"<CustomerModRq><CustomerMod><ListID>{ltd.findtext('ListID')}</ListID><EditSequence>"
                    f"{ltd.findtext('EditSequence')}</EditSequence><Phone>555</Phone></CustomerMod></CustomerModRq>")
    assert rs.get("statusCode") == "0"
    zeta = client.one("<CustomerQueryRq><FullName>Zeta Corp</FullName></CustomerQueryRq>")[0]
    rs = client.one(f"<CustomerModRq><CustomerMod><ListID>{zeta.findtext('ListID')}</ListID><EditSequence>"
                    f"{zeta.findtext('EditSequence')}</EditSequence><IsActive>false</IsActive></CustomerMod>"
                    "</CustomerModRq>")
    assert rs.get("statusCode") == "0"
    add(client, "Vendor", "<Name>Bolt Co</Name>")
    add(client, "Vendor", "<Name>Acme Supply</Name>")
    assert client.one("<VendorAddRq><VendorAdd><Name>JONES</Name></VendorAdd></VendorAddRq>").get(
        "statusCode") == "3100"

    def q(body: str, list_type: str = "Customer") -> list[str]:
        return full_names(client.one(f"<{list_type}QueryRq>{body}</{list_type}QueryRq>"))

    seen: dict[str, object] = {
        "customers": q(""),
        "vendors": q("", "Vendor"),
        "starts_jones": q("<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>JONES</Name></NameFilter>"),
        "contains_percent": q("<NameFilter><MatchCriterion>Contains</MatchCriterion><Name>%</Name></NameFilter>"),
        "range": q("<NameRangeFilter><FromName>B</FromName><ToName>jones ltd</ToName></NameRangeFilter>"),
        "modified_after": q("<FromModifiedDate>2024-03-02</FromModifiedDate>"),
        "balance_over_100": q("<TotalBalanceFilter><Operator>GreaterThan</Operator><Amount>100.00</Amount>"
                              "</TotalBalanceFilter>"),
        "inactive": q("<ActiveStatus>InactiveOnly</ActiveStatus>"),
    }
    rs = client.one('<CustomerQueryRq iterator="Start"><MaxReturned>4</MaxReturned></CustomerQueryRq>')
    pages, remaining = [full_names(rs)], [rs.get("iteratorRemainingCount")]
    while rs.get("iteratorRemainingCount") != "0":
        rs = client.one(f'<CustomerQueryRq iterator="Continue" iteratorID="{rs.get("iteratorID")}">'
                        "<MaxReturned>4</MaxReturned></CustomerQueryRq>")
        pages.append(full_names(rs))
        remaining.append(rs.get("iteratorRemainingCount"))
    seen.update(pages=pages, remaining=remaining)
    return seen


def test_core_flow_on_sqlite_file(tmp_path: Path) -> None:
    qb, client = open_company(f"sqlite:///{tmp_path / 'company.db'}")
    try:
        assert core_flow(qb, client) == EXPECTED
    finally:
        client.close()
        qb.close()


# -- SQLite file --------------------------------------------------------------------------------------------------

def persisted_company(url: str) -> None:
    """Objects, counters and deletions survive closing and reopening the company file."""
    qb, client = open_company(url)
    first = add(client, "Customer", "<Name>Jones</Name><Phone>555</Phone>")
    add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
    gone = add(client, "Vendor", "<Name>Gone</Name>")
    add(client, "Class", "<Name>East</Name>")
    rs = client.one(f"<ListDelRq><ListDelType>Vendor</ListDelType><ListID>{gone.findtext('ListID')}</ListID>"
                    "</ListDelRq>")
    assert rs.get("statusCode") == "0"
    client.close()
    qb.close()

    qb, client = open_company(url)
    try:
        rs = client.one("<CustomerQueryRq/>")
        assert full_names(rs) == ["Jones", "Jones:Kitchen"]
        again = rs[0]
        for tag in ("ListID", "EditSequence", "TimeCreated", "Phone"):
            assert again.findtext(tag) == first.findtext(tag)
        new = add(client, "Vendor", "<Name>New</Name>")
        assert new.findtext("ListID") == f"80000004-{int(qb.clock.now().timestamp())}"  # the counter went on
        assert add(client, "Class", "<Name>West</Name>").findtext("ListID", "").startswith("80000002-")
        assert client.one("<CustomerAddRq><CustomerAdd><Name>jones</Name></CustomerAdd></CustomerAddRq>").get(
            "statusCode") == "3100"
        deleted = client.one("<ListDeletedQueryRq><ListDelType>Vendor</ListDelType></ListDeletedQueryRq>")
        assert full_names(deleted) == ["Gone"]
        rs = client.one(f"<CustomerModRq><CustomerMod><ListID>{again.findtext('ListID')}</ListID><EditSequence>"
                        f"{again.findtext('EditSequence')}</EditSequence><Phone>556</Phone></CustomerMod>"
                        "</CustomerModRq>")
        assert rs.get("statusCode") == "0"
    finally:
        client.close()
        qb.close()


def test_sqlite_file_persists_and_reopens(tmp_path: Path) -> None:
    persisted_company(f"sqlite:///{tmp_path / 'company.db'}")


# -- PostgreSQL ---------------------------------------------------------------------------------------------------

def create_database(conn: sa.Connection, name: str) -> None:
    """Create database `name` with a linguistic (ICU en-US) default collation where the server has one, as
    production databases usually have, so that ordering which depends on the collation shows up here."""
    try:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE \'en-US\' '
                             "ENCODING 'UTF8'"))
    except sa.exc.ProgrammingError:  # PostgreSQL < 15 or no ICU
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named database on the local PostgreSQL server, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"fakeqb_{uuid.uuid4().hex}"
    try:
        with admin.connect() as conn:
            create_database(conn, name)
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(reason=f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.orig}")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_core_flow_on_postgres_matches_sqlite(postgres_url: str) -> None:
    qb, client = open_company(postgres_url)
    try:
        assert qb.engine.dialect.name == "postgresql"
        on_postgres = core_flow(qb, client)
    finally:
        client.close()
        qb.close()
    with FakeQuickBooks() as memory:
        memory.clock.set(START)
        on_sqlite = core_flow(memory, Client(memory.request_processor()))
    assert on_postgres == on_sqlite == EXPECTED


@pytest.mark.postgres
def test_postgres_persists_and_reopens(postgres_url: str) -> None:
    persisted_company(postgres_url)


@pytest.mark.postgres
def test_postgres_hierarchy_deactivation_and_deletion(postgres_url: str) -> None:
    """The statements that differ most between databases: descendants, balances, in-use checks."""
    qb, client = open_company(postgres_url)
    try:
        add(client, "Account", "<Name>Checking</Name><AccountType>Bank</AccountType><OpenBalance>10.00</OpenBalance>")
        add(client, "Account", "<Name>Sub</Name><ParentRef><FullName>Checking</FullName></ParentRef>"
                               "<AccountType>Bank</AccountType><OpenBalance>2.50</OpenBalance>")
        rs = client.one("<AccountQueryRq><FullName>Checking</FullName></AccountQueryRq>")
        assert rs.findtext("AccountRet/TotalBalance") == "12.50"
        cls = add(client, "Class", "<Name>East</Name>")
        parent = add(client, "Customer", "<Name>Jones</Name><ClassRef><FullName>East</FullName></ClassRef>")
        add(client, "Customer", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>")
        rs = client.one(f"<CustomerModRq><CustomerMod><ListID>{parent.findtext('ListID')}</ListID><EditSequence>"
                        f"{parent.findtext('EditSequence')}</EditSequence><IsActive>false</IsActive></CustomerMod>"
                        "</CustomerModRq>")
        assert rs.get("statusCode") == "0"
        rs = client.one("<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></CustomerQueryRq>")
        assert full_names(rs) == ["Jones", "Jones:Kitchen"]
        assert rs[1].findtext("EditSequence") != parent.findtext("EditSequence")
        rs = client.one(f"<ListDelRq><ListDelType>Class</ListDelType><ListID>{cls.findtext('ListID')}</ListID>"
                        "</ListDelRq>")
        assert rs.get("statusSeverity") == "Error"
    finally:
        client.close()
        qb.close()
