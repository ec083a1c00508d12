"""The control plane's Python API: reset, seed, snapshot and restore (every database), the clock, status."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from fakeqb import FakeQuickBooks
from fakeqb.control.api import ControlError, parse_duration, parse_time
from tests.conftest import START
from tests.support import Client
from tests.test_persistence import postgres_url  # noqa: F401  (a fixture)
from tests.test_processor import raises, vendor_add

pytestmark = pytest.mark.control_plane


def everything(qb: FakeQuickBooks) -> dict[str, list[str]]:
    """Every list object as QuickBooks returns it, by list, for comparing companies."""
    client = Client(qb.request_processor(), app="Compare")
    try:
        found = {}
        for list_type in ("Account", "Class", "Customer", "Vendor", "Item", "Employee", "OtherName", "Terms",
                          "SalesTaxCode", "Template", "CustomerMsg", "PaymentMethod"):
            active = "" if list_type == "Template" else "<ActiveStatus>All</ActiveStatus>"  # the query has no filter
            rs = client.one(f"<{list_type}QueryRq>{active}</{list_type}QueryRq>")
            found[list_type] = [etree.tostring(r, encoding="unicode") for r in rs]
        rs = client.one("<ListDeletedQueryRq><ListDelType>Vendor</ListDelType></ListDeletedQueryRq>")
        found["deleted"] = [etree.tostring(r, encoding="unicode") for r in rs]
        found["company"] = [etree.tostring(client.one("<CompanyQueryRq/>"), encoding="unicode")]
        return found
    finally:
        client.close()


def busy_company(qb: FakeQuickBooks) -> None:
    """A seeded company with a job moved under a customer created after it, a deletion and a setting."""
    qb.control.seed(5, vendors=4, customers=3, items=6)
    client = Client(qb.request_processor(), app="Setup")
    late = client.one("<CustomerAddRq><CustomerAdd><Name>Zed Late</Name></CustomerAdd></CustomerAddRq>")[0]
    job = client.one("<CustomerQueryRq><MaxReturned>1</MaxReturned><ActiveStatus>All</ActiveStatus>"
                     "</CustomerQueryRq>")[0]
    rs = client.one(f"<CustomerModRq><CustomerMod><ListID>{job.findtext('ListID')}</ListID><EditSequence>"
                    f"{job.findtext('EditSequence')}</EditSequence><ParentRef><ListID>{late.findtext('ListID')}"
                    "</ListID></ParentRef></CustomerMod></CustomerModRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    vendor = client.one("<VendorQueryRq><MaxReturned>1</MaxReturned></VendorQueryRq>")[0]
    rs = client.one(f"<ListDelRq><ListDelType>Vendor</ListDelType><ListID>{vendor.findtext('ListID')}</ListID>"
                    "</ListDelRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    client.close()
    qb.set_setting("closing_date", "2023-12-31")


# -- reset ----------------------------------------------------------------------------------------------------------

def test_reset_empties_the_company_and_the_runtime_state(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.seed(1, vendors=2, customers=1)
    client.raw("<VendorQueryRq/>")
    qb.control.add_fault("latency", seconds=1)
    qb.control.close_quickbooks()
    qb.control.reset()
    status = qb.control.status()
    assert (status["running"], status["sessions"], status["fault_rules"], status["log_entries"]) == (True, 0, 0, 0)
    assert qb.clock.now() == START.replace(tzinfo=qb.clock.tz)  # the clock is not part of the company file
    raises(0x8004040D, lambda: client.raw("<VendorQueryRq/>"))  # the session ended
    client.ticket = client.rp.BeginSession("", 2)
    assert client.one("<AccountQueryRq/>").get("statusCode") == "1"
    rs = client.one(vendor_add("First"))
    assert rs.findtext("VendorRet/ListID", "").startswith("80000001-")  # the counters started again


# -- seed -----------------------------------------------------------------------------------------------------------

def test_seed_refuses_a_company_with_data_and_bad_sizes(qb: FakeQuickBooks) -> None:
    qb.control.seed(1, vendors=1, customers=1)
    with pytest.raises(ControlError, match="already"):
        qb.control.seed(1)
    for sizes, message in (({"vendors": -1}, "vendors must be a whole number"),
                           ({"planets": 3}, "unknown seed size"),
                           ({"customers": "3"}, "customers must be a whole number")):
        with pytest.raises(ControlError, match=message):
            qb.control.seed(2, **sizes)
    with pytest.raises(ControlError, match="seed must be a whole number"):
        qb.control.seed("x")  # type: ignore[arg-type]


# -- snapshot and restore -------------------------------------------------------------------------------------------

def test_restore_puts_the_company_back(qb: FakeQuickBooks, client: Client) -> None:
    busy_company(qb)
    before = everything(qb)
    token = qb.control.snapshot()
    assert isinstance(token, bytes)

    client.one(vendor_add("After Snapshot"))
    qb.set_setting("closing_date", "2024-02-29")
    qb.clock.advance(days=1)  # time moves on too
    counts = qb.control.restore(token)
    assert counts["list_objects"] == sum(len(v) for k, v in before.items() if k not in ("deleted", "company"))
    assert everything(qb) == before
    assert qb.setting("closing_date") == "2023-12-31"
    raises(0x8004040D, lambda: client.raw("<VendorQueryRq/>"))  # restoring reopens the file: sessions end
    client.ticket = client.rp.BeginSession("", 2)
    again = client.one(vendor_add("After Snapshot"))  # the ID counter came back too
    qb2 = FakeQuickBooks()
    try:
        qb2.clock.set(qb.clock.now())
        qb2.control.restore(token)
        other = Client(qb2.request_processor())
        assert other.one(vendor_add("After Snapshot")).findtext("VendorRet/ListID") == again.findtext(
            "VendorRet/ListID")
        other.close()
    finally:
        qb2.close()


def test_snapshot_is_gzip_json_and_deterministic(qb: FakeQuickBooks) -> None:
    qb.control.seed(3, vendors=2, customers=1)
    token = qb.control.snapshot()
    assert token == qb.control.snapshot()
    document = json.loads(gzip.decompress(token))
    assert (document["format"], document["version"]) == ("fakeqb-snapshot", 1)
    assert "list_objects" in document["tables"]


def test_sqlite_file_and_memory_exchange_snapshots(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    with FakeQuickBooks(url) as file_qb:
        file_qb.clock.set(START)
        busy_company(file_qb)
        expected = everything(file_qb)
        token = file_qb.control.snapshot()
    with FakeQuickBooks() as memory:
        memory.clock.set(START)
        memory.control.restore(token)
        assert everything(memory) == expected
        client = Client(memory.request_processor())
        client.one(vendor_add("Only In Memory"))
        client.close()
        changed = everything(memory)
        back = memory.control.snapshot()
    with FakeQuickBooks(url) as file_qb:
        file_qb.control.restore(back)
    with FakeQuickBooks(url) as file_qb:  # and it persisted
        file_qb.clock.set(START)
        assert everything(file_qb) == changed


def tables(token: bytes) -> dict[str, object]:
    return dict(json.loads(gzip.decompress(token))["tables"])


@pytest.mark.postgres
def test_snapshot_and_restore_on_postgres(postgres_url: str) -> None:  # noqa: F811
    with FakeQuickBooks() as memory:
        memory.clock.set(START)
        busy_company(memory)
        vendors = everything(memory)["Vendor"]
        token = memory.control.snapshot()
    with FakeQuickBooks(postgres_url) as pg:
        pg.clock.set(START)
        pg.control.seed(9, vendors=1, customers=1)  # something to replace
        pg.control.restore(token)
        assert tables(pg.control.snapshot()) == tables(token)  # every row and value, as stored
        assert everything(pg)["Vendor"] == vendors
        client = Client(pg.request_processor())
        assert client.one(vendor_add("New On Postgres")).get("statusCode") == "0"  # the id sequences moved on
        client.close()
        pg_token = pg.control.snapshot()
        pg.control.reset()
        assert everything(pg)["Vendor"] == []
        client = Client(pg.request_processor())
        assert client.one(vendor_add("After Reset")).get("statusCode") == "0"
        client.close()
        pg.control.restore(pg_token)
        assert tables(pg.control.snapshot()) == tables(pg_token)
    with FakeQuickBooks() as memory:  # and back
        memory.control.restore(pg_token)
        assert tables(memory.control.snapshot()) == tables(pg_token)


@pytest.mark.parametrize("data,message", [
    (b"", "not a fakeqb snapshot"),
    (b"plain text", "not a fakeqb snapshot"),
    (gzip.compress(b"[1, 2]"), "not a fakeqb snapshot"),
    (gzip.compress(b'{"format": "fakeqb-snapshot", "version": 99, "tables": {}}'), "version 99 is not supported"),
    (gzip.compress(b'{"format": "fakeqb-snapshot", "version": 1, "tables": {"planets": {"columns": [], "rows": []}}}'),
     "tables this company file does not: planets"),
    (gzip.compress(b'{"format": "fakeqb-snapshot", "version": 1, "tables": {"counters": {"columns": ["space", '
                   b'"colour"], "rows": []}}}'), "table counters has no column(s) colour"),
    (gzip.compress(b'{"format": "fakeqb-snapshot", "version": 1, "tables": {"counters": {"columns": ["space", '
                   b'"value"], "rows": [["name", 1, 2]]}}}'), "row 1 of table counters does not match"),
    (gzip.compress(b'{"format": "fakeqb-snapshot", "version": 1, "tables": {"counters": {"columns": ["space", '
                   b'"value"], "rows": [["name", 1], ["name", 2]]}}}'), "does not fit this company file"),
], ids=["empty", "text", "not-json-object", "version", "unknown-table", "unknown-column", "row-shape",
        "duplicate-rows"])
def test_a_bad_snapshot_is_refused_and_nothing_is_lost(qb: FakeQuickBooks, client: Client, data: bytes,
                                                        message: str) -> None:
    client.one(vendor_add("Keep Me"))
    before = everything(qb)
    with pytest.raises(ControlError) as info:
        qb.control.restore(data)
    assert message in str(info.value)
    assert everything(qb) == before
    assert client.one("<VendorQueryRq/>").get("statusCode") == "0"  # the session is still open


# -- the clock ------------------------------------------------------------------------------------------------------

def test_clock_set_advance_resume(qb: FakeQuickBooks) -> None:
    state = qb.control.clock()
    assert (state.now, state.stopped, state.timezone) == (START.replace(tzinfo=qb.clock.tz), True, "America/New_York")
    assert qb.control.set_clock("2024-06-30T17:00").now.isoformat() == "2024-06-30T17:00:00-04:00"
    assert qb.control.set_clock("2024-07-01").now.isoformat() == "2024-07-01T00:00:00-04:00"
    assert qb.control.advance_clock("1d12h").now.isoformat() == "2024-07-02T12:00:00-04:00"
    assert qb.control.advance_clock(hours=1, minutes=30).now.isoformat() == "2024-07-02T13:30:00-04:00"
    assert qb.control.advance_clock(timedelta(seconds=30)).now.isoformat() == "2024-07-02T13:30:30-04:00"
    with pytest.raises(ControlError, match="only advances"):
        qb.control.advance_clock("-5")
    with pytest.raises(ControlError, match="not a time"):
        qb.control.set_clock("next tuesday")
    with pytest.raises(ControlError, match="not a duration"):
        qb.control.advance_clock("a while")
    resumed = qb.control.resume_clock()
    assert not resumed.stopped and abs(resumed.now.timestamp() - datetime.now().timestamp()) < 5
    assert str(resumed).endswith("(running, America/New_York)")


def test_parsing_times_and_durations() -> None:
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("2w 1d 3h 15m") == timedelta(days=15, hours=3, minutes=15)
    assert parse_duration(" 1.5h") == timedelta(minutes=90)
    assert parse_duration(60) == timedelta(minutes=1)
    with pytest.raises(ControlError):
        parse_duration("3 days")
    with pytest.raises(ControlError):
        parse_duration(True)  # type: ignore[arg-type]
    assert parse_time("2024-03-01T09:30:00Z").utcoffset() == timedelta(0)
    with pytest.raises(ControlError):
        parse_time(20240301)  # type: ignore[arg-type]


def test_status(qb: FakeQuickBooks, client: Client) -> None:
    status = qb.control.status()
    assert status["running"] is True and status["sessions"] == 1 and status["database"] == "sqlite"
    assert status["clock"]["stopped"] is True and status["auth_mode"] == "allow_all"
