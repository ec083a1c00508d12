"""Talking to QuickBooks: sessions, lock errors retried, HRESULTs as messages a user can act on, clean endings."""

from __future__ import annotations

from typing import Any

import pytest

import syncer
from syncer.transport import Session, com_failure
from tests.syncer.conftest import Processor, fault, later, run
from tests.syncer.quickbooks import QuickBooksUser


class PywinError(Exception):
    """An exception with pywin32's com_error shape."""


def qb_error(hresult: int, text: str) -> PywinError:
    signed = hresult - (1 << 32)
    return PywinError(-2147352567, "Exception occurred.", (0, "QBXMLRP2.RequestProcessor.2", text, None, 0, signed),
                      None)


def test_errors_are_read_by_their_shape_only() -> None:
    failure = com_failure(qb_error(0x80040408, "Could not start QuickBooks."))
    assert (failure.hresult, failure.text) == (0x80040408, "Could not start QuickBooks.")
    rpc = com_failure(PywinError(-2147023170, "The remote procedure call failed.", None, None))
    assert rpc.hresult == 0x800706BE
    assert com_failure(ConnectionResetError("reset by peer")) == type(failure)(None, "reset by peer")


def test_a_session_opens_and_always_ends(qb: Any) -> None:
    rp = qb.request_processor()
    with Session(rp, "Cashflow360") as session:
        assert "13.0" in session.versions()
        assert session.current_file().endswith(".qbw")
    assert qb.session_count == 0


def test_lock_errors_are_sent_again_after_a_pause(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                                  qb: Any) -> None:
    run(connected, rp)
    connected.vendors.create("Bolt Hardware")
    fault(qb, kind="status", request_type="VendorAddRq", status_code=3180, count=2)
    pauses: list[float] = []
    later(qb)
    report = run(connected, rp, sleep=pauses.append)
    assert report.pushed("vendor") == ["Bolt Hardware"] and report.ok, str(report)
    assert pauses == [0.5, 1.0] and rp.requests.count("VendorAddRq") == 3
    assert len(basics.named("Vendor", "Bolt Hardware")) == 1


@pytest.mark.parametrize("code", [3170, 3175, 3176, 3180])
def test_a_lock_that_lasts_is_a_sync_error_and_the_next_sync_sends_it(basics: QuickBooksUser,
                                                                      connected: syncer.App, rp: Processor, qb: Any,
                                                                      code: int) -> None:
    connected.vendors.create("Bolt Hardware")
    fault(qb, kind="status", request_type="VendorAddRq", status_code=code, count=5)
    report = run(connected, rp)
    [error] = report.errors
    assert "in use by someone else" in error.message and "sent again with the next sync" in error.message
    later(qb)
    assert run(connected, rp).pushed("vendor") == ["Bolt Hardware"]


def test_a_3180_that_is_not_a_lock_is_not_sent_again(basics: QuickBooksUser, connected: syncer.App,
                                                     rp: Processor, qb: Any) -> None:
    connected.vendors.create("Bolt Hardware")
    fault(qb, kind="status", request_type="VendorAddRq", status_code=3180,
          message='There was an error when saving a Vendor list, element "Bolt Hardware". QuickBooks error message: '
                  "The vendor cannot be saved.")
    pauses: list[float] = []
    report = run(connected, rp, sleep=pauses.append)
    assert pauses == [] and rp.requests.count("VendorAddRq") == 1
    [error] = report.errors
    assert "QuickBooks did not accept the vendor" in error.message and "cannot be saved" in error.message


def test_quickbooks_not_running_is_a_clear_message_and_changes_nothing(basics: QuickBooksUser,
                                                                       connected: syncer.App, rp: Processor,
                                                                       qb: Any) -> None:
    qb.close_quickbooks()
    with pytest.raises(syncer.QuickBooksUnavailable) as caught:
        run(connected, rp)
    assert caught.value.message.startswith("QuickBooks is not running or could not be started.")
    assert caught.value.hresult == 0x80040408 and caught.value.report.aborted
    assert connected.vendors.list() == []
    qb.start_quickbooks()
    assert run(connected, rp).pulled("vendor") == ["Acme Supply"]


@pytest.mark.parametrize(("hresult", "words"), [
    (0x80040414, "A window is open in QuickBooks"),
    (0x8004041A, "Integrated Applications"),
    (0x80040410, "single-user mode"),
])
def test_session_hresults_become_messages_a_user_can_act_on(basics: QuickBooksUser, connected: syncer.App,
                                                            rp: Processor, qb: Any, hresult: int,
                                                            words: str) -> None:
    fault(qb, kind="hresult", method="BeginSession", hresult=hresult)
    with pytest.raises(syncer.QuickBooksUnavailable, match=words):
        run(connected, rp)
    assert qb.session_count == 1  # the person's own session only


def test_quickbooks_busy_at_the_start_is_waited_for(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                                    qb: Any) -> None:
    fault(qb, kind="hresult", method="BeginSession", hresult=0x8004041B, count=2)
    assert run(connected, rp).pulled("vendor") == ["Acme Supply"]


def test_another_company_file_open_is_refused(basics: QuickBooksUser, connected: syncer.App) -> None:
    from fakeqb import FakeQuickBooks

    with FakeQuickBooks(company_file=r"C:\Company Files\Other.qbw") as other, \
            pytest.raises(syncer.QuickBooksUnavailable, match="QuickBooks has a different company file open"):
        run(connected, other.request_processor())


def test_quickbooks_failing_midway_keeps_what_was_done(basics: QuickBooksUser, connected: syncer.App,
                                                       rp: Processor, qb: Any) -> None:
    fault(qb, kind="hresult", method="ProcessRequest", request_type="CustomerQueryRq", hresult=0x80040401)
    with pytest.raises(syncer.QuickBooksUnavailable, match="could not access QuickBooks") as caught:
        run(connected, rp)
    assert caught.value.report.pulled("vendor") == ["Acme Supply"]
    assert [v.name for v in connected.vendors.list()] == ["Acme Supply"]
    assert connected.customers.list() == []  # the list being read when QuickBooks failed is left as it was
    later(qb)
    report = run(connected, rp)
    assert report.pulled("customer") == ["Baker"] and report.pulled("vendor") == [], str(report)


def test_a_request_quickbooks_cannot_read_fails_alone(basics: QuickBooksUser, connected: syncer.App,
                                                      rp: Processor, qb: Any) -> None:
    connected.vendors.create("Bolt Hardware")
    connected.customers.create("Carter")
    rp.failures["VendorAddRq"] = qb_error(0x80040400, "QuickBooks found an error when parsing the provided XML "
                                                      "text stream.")
    report = run(connected, rp)
    assert [e.name for e in report.errors] == ["Bolt Hardware"]
    assert "could not read the VendorAdd request" in report.errors[0].message
    assert report.pushed("customer") == ["Carter"]
    later(qb)
    assert run(connected, rp).pushed("vendor") == ["Bolt Hardware"]
