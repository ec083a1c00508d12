"""Transaction queries: identity lists, filters, DateMacro, paging, metaData, IncludeRetElement."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fakeqb import FakeQuickBooks
from tests.support import Client
from tests.txn_requests import bill, company, ok, pay, ref


@pytest.fixture
def books(qb: FakeQuickBooks, client: Client) -> dict[str, str]:
    """Bills of two vendors on several dates (one paid), made an hour apart; returns their TxnIDs by RefNumber."""
    company(client)
    opening = ok(client, "<BillQueryRq/>").findtext("TxnID")  # Acme's opening balance is a bill: out of the way
    ok(client, f"<TxnDelRq><TxnDelType>Bill</TxnDelType><TxnID>{opening}</TxnID></TxnDelRq>")
    ids = {}
    for number, vendor, day in (("100", "Acme", "2024-01-05"), ("9", "Acme", "2024-02-10"),
                                ("A-7", "Bolt", "2024-02-29"), ("a-8", "Bolt", "2024-03-01"),
                                ("1000", "Acme", "2023-12-31")):
        qb.clock.advance(timedelta(hours=1))
        ids[number] = bill(client, vendor, "10.00", ref_number=number, date=day)
    pay(client, "Acme", {ids["9"]: "10.00"})
    return ids


def refs(rs: object) -> list[str]:
    return [r.findtext("RefNumber") or "" for r in rs]  # type: ignore[attr-defined]


def query(client: Client, body: str = "", attrs: str = "") -> object:
    rs = client.one(f"<BillQueryRq{attrs}>{body}</BillQueryRq>")
    assert rs.get("statusCode") in ("0", "1"), rs.get("statusMessage")
    return rs


def test_in_the_order_entered(client: Client, books: dict[str, str]) -> None:
    assert refs(query(client)) == ["100", "9", "A-7", "a-8", "1000"]


def test_identity_lists(client: Client, books: dict[str, str]) -> None:
    rs = client.one(f"<BillQueryRq><TxnID>{books['A-7']}</TxnID><TxnID>1-1</TxnID></BillQueryRq>")
    assert refs(rs) == ["A-7"] and rs.get("statusCode") == "500" and '("1-1")' in rs.get("statusMessage", "")
    assert refs(client.one("<BillQueryRq><RefNumber>a-7</RefNumber><RefNumber>A-8</RefNumber></BillQueryRq>")) == [
        "A-7", "a-8"]
    rs = client.one("<BillQueryRq><RefNumberCaseSensitive>a-7</RefNumberCaseSensitive></BillQueryRq>")
    assert rs.get("statusCode") == "500" and len(rs) == 0
    payment = client.one("<BillPaymentCheckQueryRq/>")[0].findtext("TxnID")
    assert client.one(f"<BillQueryRq><TxnID>{payment}</TxnID></BillQueryRq>").get("statusCode") == "500"


@pytest.mark.parametrize(("body", "expected"), [
    ("<TxnDateRangeFilter><FromTxnDate>2024-02-01</FromTxnDate><ToTxnDate>2024-02-29</ToTxnDate>"
     "</TxnDateRangeFilter>", ["9", "A-7"]),
    ("<TxnDateRangeFilter><DateMacro>ThisMonth</DateMacro></TxnDateRangeFilter>", ["a-8"]),
    ("<TxnDateRangeFilter><DateMacro>LastMonth</DateMacro></TxnDateRangeFilter>", ["9", "A-7"]),
    ("<TxnDateRangeFilter><DateMacro>ThisCalendarYearToDate</DateMacro></TxnDateRangeFilter>",
     ["100", "9", "A-7", "a-8"]),
    ("<TxnDateRangeFilter><DateMacro>LastFiscalYear</DateMacro></TxnDateRangeFilter>", ["1000"]),
    ("<TxnDateRangeFilter><DateMacro>Yesterday</DateMacro></TxnDateRangeFilter>", ["A-7"]),
    ("<TxnDateRangeFilter><DateMacro>ThisWeek</DateMacro></TxnDateRangeFilter>", ["A-7", "a-8"]),  # Sun 25 Feb on
    ("<TxnDateRangeFilter><DateMacro>LastWeekToDate</DateMacro></TxnDateRangeFilter>", []),
    ("<EntityFilter><FullName>Bolt</FullName></EntityFilter>", ["A-7", "a-8"]),
    ("<AccountFilter><FullName>Supplies</FullName></AccountFilter>", ["100", "9", "A-7", "a-8", "1000"]),
    ("<AccountFilter><FullName>Checking</FullName></AccountFilter>", []),
    ("<RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>a-</RefNumber></RefNumberFilter>",
     ["A-7", "a-8"]),
    ("<RefNumberFilter><MatchCriterion>Contains</MatchCriterion><RefNumber>00</RefNumber></RefNumberFilter>",
     ["100", "1000"]),
    ("<RefNumberFilter><MatchCriterion>EndsWith</MatchCriterion><RefNumber>0</RefNumber></RefNumberFilter>",
     ["100", "1000"]),
    ("<RefNumberRangeFilter><FromRefNumber>9</FromRefNumber><ToRefNumber>100</ToRefNumber></RefNumberRangeFilter>",
     ["100", "9"]),  # digits compare as numbers
    ("<RefNumberRangeFilter><FromRefNumber>A</FromRefNumber></RefNumberRangeFilter>", ["A-7", "a-8"]),
    ("<PaidStatus>PaidOnly</PaidStatus>", ["9"]),
    ("<PaidStatus>NotPaidOnly</PaidStatus>", ["100", "A-7", "a-8", "1000"]),
    ("<MaxReturned>2</MaxReturned><EntityFilter><FullName>Acme</FullName></EntityFilter>", ["100", "9"]),
])
def test_filters(client: Client, books: dict[str, str], body: str, expected: list[str]) -> None:
    assert refs(query(client, body)) == expected


def test_modified_date_range(qb: FakeQuickBooks, client: Client, books: dict[str, str]) -> None:
    # bills were made at 10:30, 11:30, ...; paying "9" at 14:30 did not change it (payment_restamps=no)
    rs = query(client, "<ModifiedDateRangeFilter><FromModifiedDate>2024-03-01T12:00:00</FromModifiedDate>"
                       "</ModifiedDateRangeFilter>")
    assert refs(rs) == ["A-7", "a-8", "1000"]
    rs = query(client, "<ModifiedDateRangeFilter><ToModifiedDate>2024-03-01T11:30:00-05:00</ToModifiedDate>"
                       "</ModifiedDateRangeFilter>")
    assert refs(rs) == ["100", "9"]
    assert query(client, "<ModifiedDateRangeFilter><FromModifiedDate>2024-03-02</FromModifiedDate>"
                         "</ModifiedDateRangeFilter>").get("statusCode") == "1"


def test_entity_filter_with_children(client: Client, books: dict[str, str]) -> None:
    entries = (f"<JournalDebitLine>{ref('AccountRef', 'Supplies')}<Amount>5.00</Amount>{ref('EntityRef', '{who}')}"
               f"</JournalDebitLine><JournalCreditLine>{ref('AccountRef', 'Checking')}<Amount>5.00</Amount>"
               "</JournalCreditLine>")
    for who in ("Jones", "Jones:Kitchen", "Acme"):
        ok(client, f"<JournalEntryAddRq><JournalEntryAdd>{entries.replace('{who}', who)}</JournalEntryAdd>"
                   "</JournalEntryAddRq>")
    rs = client.one("<JournalEntryQueryRq><EntityFilter><FullNameWithChildren>Jones</FullNameWithChildren>"
                    "</EntityFilter></JournalEntryQueryRq>")
    assert [r.findtext("RefNumber") for r in rs] == ["1", "2"]
    rs = client.one("<JournalEntryQueryRq><EntityFilter><FullName>Jones</FullName></EntityFilter>"
                    "<IncludeLineItems>true</IncludeLineItems></JournalEntryQueryRq>")
    assert [r.findtext("JournalDebitLine/EntityRef/FullName") for r in rs] == ["Jones"]


def test_iterator_and_meta_data(client: Client, books: dict[str, str]) -> None:
    rs = client.one('<BillQueryRq metaData="MetaDataOnly"><PaidStatus>NotPaidOnly</PaidStatus></BillQueryRq>')
    assert rs.get("retCount") == "4" and len(rs) == 0
    rs = client.one('<BillQueryRq iterator="Start"><MaxReturned>2</MaxReturned></BillQueryRq>')
    seen, iterator = refs(rs), rs.get("iteratorID")
    assert rs.get("iteratorRemainingCount") == "3"
    bill(client, "Bolt", "1.00", ref_number="late")  # entered after the start: still read
    while rs.get("iteratorRemainingCount") != "0":
        rs = client.one(f'<BillQueryRq iterator="Continue" iteratorID="{iterator}"><MaxReturned>2</MaxReturned>'
                        "</BillQueryRq>")
        seen += refs(rs)
    assert seen == ["100", "9", "A-7", "a-8", "1000", "late"]
    rs = client.one(f'<VendorCreditQueryRq iterator="Continue" iteratorID="{iterator}"></VendorCreditQueryRq>')
    assert rs.get("statusCode") == "3000"


def test_include_ret_element(client: Client, books: dict[str, str]) -> None:
    rs = client.one("<BillQueryRq><RefNumber>9</RefNumber><IncludeLineItems>true</IncludeLineItems>"
                    "<IncludeLinkedTxns>true</IncludeLinkedTxns><IncludeRetElement>TxnID</IncludeRetElement>"
                    "<IncludeRetElement>IsPaid</IncludeRetElement><IncludeRetElement>LinkedTxn</IncludeRetElement>"
                    "</BillQueryRq>")
    assert [c.tag for c in rs[0]] == ["TxnID", "IsPaid", "LinkedTxn"]


def test_the_deleted_window(qb: FakeQuickBooks, client: Client, books: dict[str, str]) -> None:
    ok(client, f"<TxnDelRq><TxnDelType>Bill</TxnDelType><TxnID>{books['100']}</TxnID></TxnDelRq>")
    rs = client.one("<TxnDeletedQueryRq><TxnDelType>Bill</TxnDelType></TxnDeletedQueryRq>")
    assert [r.findtext("TxnID") for r in rs][1:] == [books["100"]]  # after Acme's opening bill (`books`)
    assert rs[1].findtext("TimeCreated") == "2024-03-01T10:30:00-05:00"
    qb.clock.set(datetime(2024, 6, 1, 12, 0))
    assert client.one("<TxnDeletedQueryRq><TxnDelType>Bill</TxnDelType></TxnDeletedQueryRq>").get("statusCode") == "1"
    assert client.one("<ListDeletedQueryRq><ListDelType>Vendor</ListDelType></ListDeletedQueryRq>").get(
        "statusCode") == "1"


@pytest.mark.parametrize(("today", "macro", "expected"), [
    ("2024-03-31", "LastMonthToDate", ("2024-02-01", "2024-02-29")),
    ("2024-03-31", "ThisCalendarQuarter", ("2024-01-01", "2024-03-31")),
    ("2024-03-31", "NextCalendarQuarter", ("2024-04-01", "2024-06-30")),
    ("2024-03-31", "ThisFiscalYear", ("2023-07-01", "2024-06-30")),  # fiscal years start in July here
    ("2024-03-31", "ThisFiscalQuarterToDate", ("2024-01-01", "2024-03-31")),
    ("2024-07-01", "LastFiscalQuarter", ("2024-04-01", "2024-06-30")),
    ("2024-03-31", "NextFourWeeks", ("2024-03-31", "2024-04-27")),
    ("2024-03-31", "ThisWeekToDate", ("2024-03-31", "2024-03-31")),  # a Sunday
    ("2024-03-31", "All", (None, None)),
])
def test_date_macros(qb: FakeQuickBooks, today: str, macro: str, expected: tuple[str | None, str | None]) -> None:
    from types import SimpleNamespace

    from fakeqb.company.handlers.txn_queries import date_macro

    settings = qb.setting("company")
    qb.set_setting("company", {**settings, "FirstMonthFiscalYear": "July"})
    with qb.engine.connect() as conn:
        ctx = SimpleNamespace(now=datetime.fromisoformat(today), conn=conn)
        assert date_macro(ctx, macro) == expected  # type: ignore[arg-type]
