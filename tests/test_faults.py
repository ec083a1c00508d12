"""Fault rules: HRESULTs, status codes inside a message set, latency, lost responses, QuickBooks closing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from lxml import etree

from fakeqb import ComError, FakeQuickBooks
from fakeqb.com.faults import FaultError, FaultPlan, make_rule
from fakeqb.control.api import ControlError
from tests.support import Client, envelope
from tests.test_processor import connected, raises, responses, vendor_add

pytestmark = pytest.mark.control_plane

RPC_S_CALL_FAILED = -2147023170  # 0x800706BE, signed


def names(client: Client, list_type: str = "Vendor") -> list[str]:
    rs = client.one(f"<{list_type}QueryRq><ActiveStatus>All</ActiveStatus></{list_type}QueryRq>")
    return [r.findtext("Name") or "" for r in rs]


def customer_add(name: str, request_id: str | None = None) -> str:
    rid = f' requestID="{request_id}"' if request_id is not None else ""
    return f"<CustomerAddRq{rid}><CustomerAdd><Name>{name}</Name></CustomerAdd></CustomerAddRq>"


# -- HRESULTs -------------------------------------------------------------------------------------------------------

def test_hresult_on_the_next_open_connection(qb: FakeQuickBooks) -> None:
    qb.control.add_fault("hresult", method="OpenConnection", hresult=0x80040408)
    rp = qb.request_processor()
    err = raises(0x80040408, lambda: rp.OpenConnection2("", "App", 1))
    assert err.excepinfo[2] == "Could not start QuickBooks."
    rp.OpenConnection2("", "App", 1)  # only the next call
    assert qb.control.faults() == []  # a spent rule is gone


def test_hresult_on_begin_session_by_signed_value_and_count(qb: FakeQuickBooks) -> None:
    qb.control.add_fault("hresult", method="BeginSession", hresult=-2147220446, count=2)  # 0x80040422
    rp = connected(qb)
    for _ in range(2):
        err = raises(0x80040422, lambda: rp.BeginSession("", 2))
        assert err.excepinfo[2].startswith("This application requires Single User file access mode")
    rp.BeginSession("", 2)


def test_hresult_only_for_the_request_type_named(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("hresult", request_type="VendorAdd", hresult=0x8004041A, count=None)
    client.one("<VendorQueryRq/>")  # other requests pass
    for _ in range(3):
        raises(0x8004041A, lambda: client.raw(vendor_add("Acme")))
    raises(0x8004041A, lambda: client.raw("<VendorQueryRq/>" + vendor_add("Acme")))  # anywhere in the message set
    assert names(client) == []  # nothing was processed
    client.rp.QBXMLVersionsForSession(client.ticket)  # a request type selects ProcessRequest calls only
    (rule,) = qb.control.faults()
    assert (rule.count, rule.hits) == (None, 4)


def test_hresult_with_a_message_of_its_own(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("hresult", method="ProcessRequest", hresult=0x80040401, message="QuickBooks is busy.")
    err = raises(0x80040401, lambda: client.raw("<VendorQueryRq/>"))
    assert err.excepinfo[2] == "QuickBooks is busy."


def test_rpc_failure_as_an_hresult_rule_has_pywin32_rpc_shape(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("hresult", method="ProcessRequest", hresult="0x800706BE")
    with pytest.raises(ComError) as info:
        client.raw("<VendorQueryRq/>")
    assert info.value.args == (RPC_S_CALL_FAILED, "The remote procedure call failed.", None, None)


def test_probability_is_deterministic_for_a_seed() -> None:
    def pattern(seed: int) -> list[bool]:
        with FakeQuickBooks() as qb:
            qb.control.add_fault("hresult", method="QBXMLVersionsForSession", hresult=0x80040402, count=None,
                                 probability=0.5, seed=seed)
            rp = connected(qb)
            ticket = rp.BeginSession("", 2)
            seen = []
            for _ in range(40):
                try:
                    rp.QBXMLVersionsForSession(ticket)
                    seen.append(False)
                except ComError:
                    seen.append(True)
            return seen

    first = pattern(11)
    assert first == pattern(11)
    assert first != pattern(12)
    assert 8 < sum(first) < 32


def test_first_failing_rule_decides_and_the_next_waits(qb: FakeQuickBooks, client: Client) -> None:
    first = qb.control.add_fault("hresult", method="ProcessRequest", hresult=0x80040401)
    second = qb.control.add_fault("hresult", method="ProcessRequest", hresult=0x80040402)
    raises(0x80040401, lambda: client.raw("<VendorQueryRq/>"))
    assert [r.id for r in qb.control.faults()] == [second.id]
    raises(0x80040402, lambda: client.raw("<VendorQueryRq/>"))
    client.raw("<VendorQueryRq/>")
    assert first.id < second.id


# -- status codes inside the message set ----------------------------------------------------------------------------

def test_3180_with_quickbooks_text_and_nothing_saved(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("status", request_type="CustomerAddRq", status_code=3180)
    rs = client.one(customer_add("Newcastle Tenants Federation"))
    assert (rs.get("statusCode"), rs.get("statusSeverity")) == ("3180", "Error")
    assert rs.get("statusMessage") == ('There was an error when saving a Customer list, element "Newcastle Tenants '
                                       'Federation". QuickBooks error message: This list has been modified by another '
                                       'user.')
    assert len(rs) == 0
    assert names(client, "Customer") == []
    assert client.one(customer_add("Newcastle Tenants Federation")).get("statusCode") == "0"  # the retry goes through


def test_status_fault_with_stop_on_error(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("status", request_type="VendorAddRq", status_code=3175)
    rss = responses(client.raw(customer_add("Jones", "1") + vendor_add("Acme", "2") + vendor_add("Bolt", "3")))
    assert [(r.get("requestID"), r.get("statusCode")) for r in rss] == [("1", "0"), ("2", "3175"), ("3", "3231")]
    assert "The list element is in use by another user." in (rss[1].get("statusMessage") or "")
    assert names(client, "Customer") == ["Jones"]  # earlier requests stay saved
    assert names(client) == []


def test_status_fault_with_continue_on_error(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("status", request_type="VendorAddRq", status_code=3176)
    body = vendor_add("Acme", "1") + vendor_add("Bolt", "2")
    rss = responses(client.raw(body, on_error="continueOnError"))
    assert [r.get("statusCode") for r in rss] == ["3176", "0"]  # the count is per request, not per message set
    assert names(client) == ["Bolt"]


def test_status_fault_on_a_mod_names_the_object(qb: FakeQuickBooks, client: Client) -> None:
    ret = client.one(vendor_add("Acme"))[0]
    qb.control.add_fault("status", status_code=3170)  # any request
    rs = client.one(f"<VendorModRq><VendorMod><ListID>{ret.findtext('ListID')}</ListID><EditSequence>"
                    f"{ret.findtext('EditSequence')}</EditSequence><Name>Acme Two</Name></VendorMod></VendorModRq>")
    assert rs.get("statusCode") == "3170"
    assert rs.get("statusMessage") == ('There was an error when modifying a Vendor list, element "Acme Two". '
                                       "QuickBooks error message: This list has been modified by another user.")
    assert names(client) == ["Acme"]


def test_status_fault_with_any_code_and_message(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("status", request_type="VendorQueryRq", status_code=3260,
                         message="Insufficient permission level to perform this action.")
    rs = client.one("<VendorQueryRq/>")
    assert (rs.get("statusCode"), rs.get("statusSeverity"), rs.get("statusMessage")) == (
        "3260", "Error", "Insufficient permission level to perform this action.")


@pytest.mark.xsd
def test_status_fault_response_is_valid_qbxml(qb: FakeQuickBooks, client: Client) -> None:
    from tests.support import assert_valid

    qb.control.add_fault("status", request_type="VendorAddRq", status_code=3180)
    assert_valid(client.raw(vendor_add("Acme")), "13.0")


# -- latency --------------------------------------------------------------------------------------------------------

def test_latency_on_matching_calls_only(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.add_fault("latency", request_type="VendorAddRq", seconds=0.2, count=None)
    started = time.perf_counter()
    client.raw("<VendorQueryRq/>")
    assert time.perf_counter() - started < 0.15
    started = time.perf_counter()
    assert client.one(vendor_add("Acme")).get("statusCode") == "0"
    assert time.perf_counter() - started >= 0.2
    (entry,) = qb.control.log(request_type="VendorAddRq")
    assert entry.duration_ms >= 200


# -- commit, then lose the response ----------------------------------------------------------------------------------

def test_lose_response_commits_then_raises_rpc_failure(qb: FakeQuickBooks, client: Client) -> None:
    rule = qb.control.add_fault("lose_response", request_type="VendorAddRq")
    with pytest.raises(ComError) as info:
        client.raw(vendor_add("Acme"))
    assert info.value.args == (RPC_S_CALL_FAILED, "The remote procedure call failed.", None, None)
    assert info.value.qb_hresult == 0x800706BE
    assert names(client) == ["Acme"]  # it was saved
    assert client.one(vendor_add("Acme")).get("statusCode") == "3100"  # a blind retry would duplicate
    entry = qb.control.log(request_type="VendorAddRq")[0]
    assert entry.hresult == 0x800706BE and entry.response is not None and "VendorRet" in entry.response
    assert entry.faults == [rule.id]


# -- QuickBooks closing ---------------------------------------------------------------------------------------------

def test_quickbooks_closing_mid_session(qb: FakeQuickBooks) -> None:
    first, second = Client(qb.request_processor()), Client(qb.request_processor(), app="Other")
    qb.control.add_fault("close_quickbooks", request_type="VendorAddRq")
    raises(0x8004040D, lambda: first.raw(vendor_add("Acme")))
    raises(0x8004040D, lambda: second.raw("<VendorQueryRq/>"))  # every ticket
    raises(0x8004040D, lambda: first.rp.EndSession(first.ticket))
    raises(0x80040408, lambda: first.rp.BeginSession("", 2))
    newcomer = qb.request_processor()
    raises(0x80040408, lambda: newcomer.OpenConnection2("", "New", 1))
    assert qb.control.status()["running"] is False

    qb.control.start_quickbooks()
    ticket = first.rp.BeginSession("", 2)  # a connection opened before survives the restart
    assert first.rp.ProcessRequest(ticket, envelope(vendor_add("Acme")))
    raises(0x8004040D, lambda: second.raw("<VendorQueryRq/>"))  # old tickets stay invalid
    second.rp.CloseConnection()
    newcomer.OpenConnection2("", "New", 1)
    newcomer.BeginSession("", 2)


def test_close_quickbooks_through_the_control_plane(qb: FakeQuickBooks, client: Client) -> None:
    qb.control.close_quickbooks()
    raises(0x8004040D, lambda: client.raw("<VendorQueryRq/>"))
    qb.control.start_quickbooks()
    raises(0x8004040D, lambda: client.raw("<VendorQueryRq/>"))
    client.ticket = client.rp.BeginSession("", 2)  # no EndSession needed for a session QuickBooks ended
    assert client.one("<VendorQueryRq/>").get("statusCode") == "1"


# -- rules: checks, listing, clearing -------------------------------------------------------------------------------

@pytest.mark.parametrize("options,message", [
    ({"kind": "explode"}, "fault kind must be one of"),
    ({"kind": "hresult"}, "needs 'hresult'"),
    ({"kind": "hresult", "hresult": "nope"}, "hresult must be a whole number"),
    ({"kind": "hresult", "hresult": 5}, "failure HRESULT"),
    ({"kind": "hresult", "hresult": 0x80041234}, "has no known text"),
    ({"kind": "status", "status_code": 3100}, "give its 'message'"),
    ({"kind": "status", "status_code": 3180, "method": "BeginSession"}, "ProcessRequest only"),
    ({"kind": "status", "status_code": 3180, "request_type": "VendorAdRq"}, "VendorAdRq is not a qbXML request"),
    ({"kind": "status", "status_code": 3180, "request_type": "Vendor Add"}, "must be a qbXML request name"),
    ({"kind": "latency"}, "seconds must be a number"),
    ({"kind": "latency", "seconds": -1}, "more than 0"),
    ({"kind": "latency", "seconds": 1, "probability": 0}, "probability must be more than 0"),
    ({"kind": "latency", "seconds": 1, "count": 0}, "count must be 1 or more"),
    ({"kind": "lose_response", "method": "EndSession"}, "ProcessRequest only"),
    ({"kind": "hresult", "hresult": 0x80040408, "method": "Explode"}, "method must be one of"),
    ({"kind": "hresult", "hresult": 0x80040408, "method": "BeginSession", "request_type": "VendorAddRq"},
     "cannot be combined"),
    ({"kind": "close_quickbooks", "colour": "red"}, "unknown fault rule field(s): colour"),
    ({"kind": "close_quickbooks", "seconds": 3}, "'seconds' belongs to kind latency"),
])
def test_bad_rules_are_refused_with_a_clear_message(qb: FakeQuickBooks, options: dict[str, Any],
                                                     message: str) -> None:
    with pytest.raises(FaultError, match=None) as info:
        make_rule(options)
    assert message in str(info.value)
    kind = options.pop("kind")
    with pytest.raises(ControlError) as control_info:
        qb.control.add_fault(kind, **options)
    assert message in str(control_info.value)
    assert qb.control.faults() == []


def test_rules_are_listed_described_removed_and_cleared(qb: FakeQuickBooks) -> None:
    a = qb.control.add_fault("latency", seconds=0.5, count="unlimited")
    b = qb.control.add_fault("hresult", method="OpenConnection2", hresult=0x80040408, probability=0.25, seed=3)
    assert [r.id for r in qb.control.faults()] == [a.id, b.id]
    assert b.method == "OpenConnection"
    assert a.describe() == f"#{a.id} 0.5s latency on any call, every time"
    assert b.describe() == f"#{b.id} HRESULT 0x80040408 on OpenConnection, next 1, p=0.25 (seed 3)"
    assert b.to_json()["hresult"] == "0x80040408"
    qb.control.remove_fault(a.id)
    with pytest.raises(ControlError, match="no fault rule"):
        qb.control.remove_fault(a.id)
    assert qb.control.clear_faults() == 1
    assert qb.control.faults() == []


def test_seeding_is_not_subject_to_faults(qb: FakeQuickBooks) -> None:
    qb.control.add_fault("status", status_code=3180, count=None)
    qb.control.add_fault("hresult", hresult=0x80040408, count=None)
    summary = qb.seed(1, vendors=3, customers=2, items=4)
    assert summary.vendors == 3
    assert qb.control.log() == []


def test_request_names_found_without_parsing() -> None:
    from fakeqb.com.faults import request_types

    text = envelope(vendor_add("A") + '<CustomerQueryRq requestID="2"/><ItemQueryRq>')
    assert request_types(text) == ["VendorAddRq", "CustomerQueryRq", "ItemQueryRq"]
    assert request_types(None) == []


def test_plan_without_rules_costs_nothing() -> None:
    plan = FaultPlan()
    assert plan.on_call("ProcessRequest", lambda: pytest.fail("request names read without rules")) is None
    rs = etree.fromstring(b"<VendorAddRq><VendorAdd><Name>A</Name></VendorAdd></VendorAddRq>")
    from fakeqb.qbxml.envelope import Request

    assert plan.status_error(Request(rs, "VendorAddRq", True)) is None
