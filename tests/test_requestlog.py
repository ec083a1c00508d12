"""The request log: every ProcessRequest call with its times, session, application, request, outcome and faults."""

from __future__ import annotations

from datetime import datetime

import pytest

from fakeqb import FakeQuickBooks
from fakeqb.com.requestlog import LogEntry, RequestLog
from fakeqb.control.api import ControlError
from tests.conftest import START
from tests.support import Client
from tests.test_processor import raises, vendor_add

pytestmark = pytest.mark.control_plane


def test_each_call_is_logged_with_its_context(qb: FakeQuickBooks, client: Client) -> None:
    body = vendor_add("Acme", "1") + "<VendorQueryRq/>"
    response = client.raw(body)
    (entry,) = qb.control.log()
    assert entry.time == START.replace(tzinfo=qb.clock.tz).isoformat()  # company time
    assert datetime.fromisoformat(entry.wall_time).tzinfo is not None
    assert (entry.ticket, entry.app_name) == (client.ticket, "Test App")
    assert "<VendorAddRq" in entry.request and entry.response == response
    assert (entry.hresult, entry.error, entry.failed) == (None, None, False)
    assert entry.request_types == ["VendorAddRq", "VendorQueryRq"]
    assert entry.duration_ms >= 0 and entry.faults == []
    assert "VendorAddRq,VendorQueryRq -> ok" in entry.summary()


def test_hresults_are_logged(qb: FakeQuickBooks, client: Client) -> None:
    raises(0x80040400, lambda: client.rp.ProcessRequest(client.ticket, "<not qbxml"))
    raises(0x8004040D, lambda: client.rp.ProcessRequest("{made up}", "<QBXML/>"))
    parse, ticket = qb.control.log()
    assert (parse.hresult, parse.response, parse.failed) == (0x80040400, None, True)
    assert parse.error == "QuickBooks found an error when parsing the provided XML text stream."
    assert (ticket.hresult, ticket.ticket) == (0x8004040D, "{made up}")
    assert "HRESULT 0x8004040D The ticket parameter is invalid." in ticket.summary()


def test_filters(qb: FakeQuickBooks, client: Client) -> None:
    other = Client(qb.request_processor(), app="Other App")
    client.raw(vendor_add("Acme"))
    other.raw("<CustomerQueryRq/>")
    client.raw(vendor_add("acme"))  # 3100: an error status
    other.raw("<VendorQueryRq/>")
    log = qb.control.log
    assert [e.request_types[0] for e in log(app="Other App")] == ["CustomerQueryRq", "VendorQueryRq"]
    assert [e.ticket for e in log(ticket=client.ticket)] == [client.ticket] * 2
    assert len(log(request_type="VendorAdd")) == len(log(request_type="VendorAddRq")) == 2
    (failed,) = log(failed=True)
    assert 'statusCode="3100"' in (failed.response or "")
    first = log()[0].id
    assert [e.id for e in log(since=first + 1)] == [first + 2, first + 3]
    assert [e.id for e in log(limit=2)] == [first + 2, first + 3]
    assert log(limit=0) == []
    with pytest.raises(ControlError, match="limit must be a whole number"):
        log(limit=-1)
    other.close()


def test_the_log_is_a_bounded_ring_buffer() -> None:
    with FakeQuickBooks(log_size=3) as qb:
        client = Client(qb.request_processor())
        for n in range(5):
            client.raw(vendor_add(f"V{n}"))
        entries = qb.control.log()
        assert [e.id for e in entries] == [3, 4, 5]
        assert qb.control.status()["log_capacity"] == 3
        assert qb.control.clear_log() == 3
        assert qb.control.log() == []
        client.raw("<VendorQueryRq/>")
        assert [e.id for e in qb.control.log()] == [6]  # ids keep counting up


def test_the_log_is_bounded_in_characters_and_cuts_a_huge_text_short() -> None:
    with FakeQuickBooks(log_chars=6000) as qb:
        client = Client(qb.request_processor())
        for n in range(20):
            client.raw(vendor_add(f"V{n}"))
        entries = qb.control.log()
        assert 1 < len(entries) < 20 and entries[-1].id == 20  # the oldest made room
        assert sum(len(e.request) + len(e.response or "") for e in entries) <= qb.request_log.chars <= 6000
        status = qb.control.status()
        assert (status["log_chars"], status["log_max_chars"]) == (qb.request_log.chars, 6000)
        big = vendor_add("Huge").replace("</Name>", "</Name><Notes>" + "x" * 3000 + "</Notes>")
        client.raw(big)
        last = qb.control.log()[-1]
        assert len(last.request) < 3000 and last.request.endswith("more characters not kept]")
        assert qb.request_log.chars <= 6000
        qb.control.clear_log()
        assert qb.request_log.chars == 0


def test_fault_rules_that_fired_are_noted(qb: FakeQuickBooks, client: Client) -> None:
    rule = qb.control.add_fault("hresult", method="ProcessRequest", hresult=0x80040401)
    raises(0x80040401, lambda: client.raw("<VendorQueryRq/>"))
    (entry,) = qb.control.log()
    assert entry.faults == [rule.id] and entry.hresult == 0x80040401
    assert f"faults #{rule.id}" in entry.summary()


def test_entries_round_trip_through_json() -> None:
    log = RequestLog(2)
    entry = log.record(time="t", wall_time="w", ticket="k", app_name="a", request="<r/>", response=None,
                       hresult=0x80040400, error="bad", duration_ms=1.5, request_types=["VendorAddRq"], faults=[2])
    data = entry.to_json()
    assert data["hresult"] == "0x80040400" and data["failed"] is True
    assert LogEntry.from_json(data) == entry
    with pytest.raises(ValueError):
        RequestLog(0)
