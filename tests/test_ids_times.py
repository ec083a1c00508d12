"""ListIDs, EditSequence, TimeCreated/TimeModified and the company clock, as QuickBooks writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakeqb import FakeQuickBooks
from tests.support import Client

SALES = "<SalesOrPurchase><Price>10.00</Price></SalesOrPurchase>"
START_UNIX = int(datetime(2024, 3, 1, 14, 30, tzinfo=UTC).timestamp())  # 09:30 in New York (EST)


def add(client: Client, list_type: str, name: str, extra: str = "") -> dict[str, str]:
    rs = client.one(f"<{list_type}AddRq><{list_type}Add><Name>{name}</Name>{extra}</{list_type}Add></{list_type}AddRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    ret = rs[0]
    return {c.tag: c.text or "" for c in ret if not len(c)}


def mod_customer(client: Client, list_id: str, seq: str, body: str) -> tuple[str, dict[str, str]]:
    rs = client.one(f"<CustomerModRq><CustomerMod><ListID>{list_id}</ListID><EditSequence>{seq}</EditSequence>"
                    f"{body}</CustomerMod></CustomerModRq>")
    ret = {c.tag: c.text or "" for c in rs[0] if not len(c)} if len(rs) else {}
    return rs.get("statusCode") or "", ret


def test_list_id_is_hex_counter_dash_unix_seconds(client: Client) -> None:
    first = add(client, "Customer", "Alpha")
    second = add(client, "Customer", "Beta")
    assert first["ListID"] == f"80000001-{START_UNIX}"
    assert second["ListID"] == f"80000002-{START_UNIX}"


def test_counter_is_hex_and_uppercase(qb: FakeQuickBooks, client: Client) -> None:
    ids = [add(client, "Vendor", f"V{i:02d}")["ListID"] for i in range(11)]
    assert ids[9] == f"8000000A-{START_UNIX}"
    assert ids[10] == f"8000000B-{START_UNIX}"


def test_suffix_follows_the_company_clock(qb: FakeQuickBooks, client: Client) -> None:
    add(client, "Customer", "Alpha")
    qb.clock.advance(hours=2, seconds=5)
    ret = add(client, "Customer", "Beta")
    assert ret["ListID"] == f"80000002-{START_UNIX + 7205}"
    assert ret["EditSequence"] == str(START_UNIX + 7205)
    assert ret["TimeCreated"] == "2024-03-01T11:30:05-05:00"


def test_names_share_one_counter_items_accounts_classes_have_their_own(client: Client) -> None:
    ids = [
        add(client, "Customer", "C")["ListID"],
        add(client, "Vendor", "V")["ListID"],
        add(client, "Employee", "E")["ListID"],
        add(client, "OtherName", "O")["ListID"],
        add(client, "ItemService", "S", SALES)["ListID"],
        add(client, "ItemNonInventory", "N", SALES)["ListID"],
        add(client, "Account", "A", "<AccountType>Expense</AccountType>")["ListID"],
        add(client, "Class", "K")["ListID"],
        add(client, "Class", "K2")["ListID"],
    ]
    prefixes = [i.split("-")[0] for i in ids]
    assert prefixes == ["80000001", "80000002", "80000003", "80000004",  # customers, vendors, employees, others
                        "80000001", "80000002",  # items
                        "80000001",  # accounts
                        "80000001", "80000002"]  # classes


def test_times_are_company_local_with_offset(client: Client) -> None:
    ret = add(client, "Customer", "Alpha")
    assert ret["TimeCreated"] == "2024-03-01T09:30:00-05:00"
    assert ret["TimeModified"] == "2024-03-01T09:30:00-05:00"
    assert ret["EditSequence"] == str(START_UNIX)


def test_summer_time_has_the_daylight_offset(qb: FakeQuickBooks, client: Client) -> None:
    qb.clock.set(datetime(2024, 7, 4, 12, 0, 0))
    ret = add(client, "Customer", "Alpha")
    unix = int(datetime(2024, 7, 4, 16, 0, tzinfo=UTC).timestamp())
    assert ret["TimeCreated"] == "2024-07-04T12:00:00-04:00"
    assert ret["ListID"] == f"80000001-{unix}"


def test_other_company_time_zone() -> None:
    with FakeQuickBooks(timezone="America/Los_Angeles") as qb:
        qb.clock.set(datetime(2024, 1, 15, 8, 0, 0))
        client = Client(qb.request_processor())
        ret = add(client, "Vendor", "West")
        assert ret["TimeCreated"] == "2024-01-15T08:00:00-08:00"
        assert ret["ListID"].endswith(f"-{int(datetime(2024, 1, 15, 16, tzinfo=UTC).timestamp())}")
        client.close()


def test_mod_updates_time_modified_and_edit_sequence_not_time_created(qb: FakeQuickBooks, client: Client) -> None:
    ret = add(client, "Customer", "Alpha")
    qb.clock.advance(minutes=10)
    code, modded = mod_customer(client, ret["ListID"], ret["EditSequence"], "<Phone>555</Phone>")
    assert code == "0"
    assert modded["TimeCreated"] == "2024-03-01T09:30:00-05:00"
    assert modded["TimeModified"] == "2024-03-01T09:40:00-05:00"
    assert modded["EditSequence"] == str(START_UNIX + 600)
    assert modded["ListID"] == ret["ListID"]


def test_edit_sequence_changes_on_every_mod_in_the_same_second(client: Client) -> None:
    ret = add(client, "Customer", "Alpha")
    sequences = [ret["EditSequence"]]
    for phone in ("1", "2", "3"):
        code, ret = mod_customer(client, ret["ListID"], ret["EditSequence"], f"<Phone>{phone}</Phone>")
        assert code == "0"
        sequences.append(ret["EditSequence"])
    assert len(set(sequences)) == 4
    assert [int(s) for s in sequences] == sorted(int(s) for s in sequences)
    code, _ = mod_customer(client, ret["ListID"], sequences[2], "<Phone>4</Phone>")
    assert code == "3200"


def test_edit_sequence_of_a_mod_without_changes_still_moves(qb: FakeQuickBooks, client: Client) -> None:
    ret = add(client, "Customer", "Alpha")
    code, again = mod_customer(client, ret["ListID"], ret["EditSequence"], "")
    assert code == "0"
    assert again["EditSequence"] != ret["EditSequence"]


def test_clock_set_advance_resume(qb: FakeQuickBooks) -> None:
    clock = qb.clock
    assert clock.now().isoformat() == "2024-03-01T09:30:00-05:00"
    assert clock.unix() == START_UNIX
    assert clock.now() == clock.now()  # stopped
    moved = clock.advance(timedelta(days=1))
    assert moved.isoformat() == "2024-03-02T09:30:00-05:00"
    clock.advance(days=9)  # across the DST change of 2024-03-10
    assert clock.now().isoformat() == "2024-03-11T09:30:00-04:00"
    clock.set(datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
    assert clock.now().isoformat() == "2024-05-01T08:00:00-04:00"
    clock.resume()
    assert abs(clock.unix() - datetime.now(UTC).timestamp()) < 5
    assert clock.now().microsecond == 0
    clock.advance(hours=1)  # a running clock stops an hour ahead
    ahead = clock.unix()
    assert abs(ahead - (datetime.now(UTC).timestamp() + 3600)) < 5
    assert clock.unix() == ahead


def test_clock_local_converts_unix_seconds(qb: FakeQuickBooks) -> None:
    assert qb.clock.local(START_UNIX).isoformat() == "2024-03-01T09:30:00-05:00"
