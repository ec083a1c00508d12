"""App authorization: the company's list of integrated applications, allow_all and list_only."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakeqb import FakeQuickBooks
from fakeqb.control.api import ControlError
from tests.test_processor import connected, raises

pytestmark = pytest.mark.control_plane


def test_allow_all_adds_an_unknown_app_on_first_connect(qb: FakeQuickBooks) -> None:
    assert qb.control.auth_mode() == "allow_all"
    rp = qb.request_processor()
    rp.OpenConnection2("{APP-1}", "Cashflow360", 1)
    assert qb.control.apps() == []  # OpenConnection does not touch the company file
    rp.BeginSession("", 2)
    (app,) = qb.control.apps()
    assert (app.name, app.app_id, app.allowed) == ("Cashflow360", "{APP-1}", True)
    assert app.since.startswith("2024-03-01T09:30:00")


def test_list_only_refuses_an_unknown_app(qb: FakeQuickBooks) -> None:
    qb.control.set_auth_mode("list_only")
    rp = connected(qb, "Stranger")
    err = raises(0x80040418, lambda: rp.BeginSession("", 2))
    assert err.excepinfo[2].startswith("This application has not accessed this QuickBooks company data file before.")
    assert qb.control.apps() == []
    qb.control.allow_app("Stranger")
    rp.BeginSession("", 2)


@pytest.mark.parametrize("mode", ["allow_all", "list_only"])
def test_a_revoked_app_is_refused_in_either_mode(qb: FakeQuickBooks, mode: str) -> None:
    qb.control.set_auth_mode(mode)
    rp = connected(qb, "Key CashFlow")
    qb.control.revoke_app("Key CashFlow")
    err = raises(0x8004041A, lambda: rp.BeginSession("", 2))
    assert err.excepinfo[2].startswith("This application does not have permission to access this QuickBooks company")
    qb.control.allow_app("Key CashFlow")
    rp.BeginSession("", 2)


def test_app_ids(qb: FakeQuickBooks) -> None:
    qb.control.set_auth_mode("list_only")
    qb.control.allow_app("App", "{ID-1}")
    rp = qb.request_processor()
    rp.OpenConnection2("{ID-2}", "App", 1)
    raises(0x80040418, lambda: rp.BeginSession("", 2))  # the same name with another app ID is another app
    rp.CloseConnection()
    rp.OpenConnection2("{ID-1}", "App", 1)
    rp.BeginSession("", 2)
    rp.CloseConnection()

    qb.control.allow_app("Any", "")  # any app ID ...
    qb.control.revoke_app("Any", "{BAD}")  # ... except this one
    rp.OpenConnection2("{BAD}", "Any", 1)
    raises(0x8004041A, lambda: rp.BeginSession("", 2))
    rp.CloseConnection()
    rp.OpenConnection2("{GOOD}", "Any", 1)
    rp.BeginSession("", 2)
    assert qb.control.forget_app("Any") == 2
    assert [a.name for a in qb.control.apps()] == ["App"]


def test_a_revocation_refuses_the_session_already_open_too(qb: FakeQuickBooks) -> None:
    rp = connected(qb, "App")
    ticket = rp.BeginSession("", 2)
    other = connected(qb, "Other App")
    other_ticket = other.BeginSession("", 2)
    qb.control.revoke_app("App")
    raises(0x8004041A, lambda: rp.QBXMLVersionsForSession(ticket))  # refused on its next call, and ended
    raises(0x8004041A, lambda: rp.BeginSession("", 2))
    assert other.QBXMLVersionsForSession(other_ticket)  # another application's session goes on


def test_authorizations_persist_in_the_company_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    with FakeQuickBooks(url) as qb:
        qb.control.set_auth_mode("list_only")
        qb.control.allow_app("Cashflow360")
        qb.control.revoke_app("Old Tool")
    with FakeQuickBooks(url) as qb:
        assert qb.control.auth_mode() == "list_only"
        assert [(a.name, a.allowed) for a in qb.control.apps()] == [("Cashflow360", True), ("Old Tool", False)]
        connected(qb, "Cashflow360").BeginSession("", 2)
        raises(0x8004041A, lambda: connected(qb, "Old Tool").BeginSession("", 2))


def test_reset_forgets_the_apps_and_the_mode(qb: FakeQuickBooks) -> None:
    qb.control.set_auth_mode("list_only")
    qb.control.allow_app("App")
    qb.control.reset()
    assert (qb.control.auth_mode(), qb.control.apps()) == ("allow_all", [])


def test_seeding_needs_no_authorization(qb: FakeQuickBooks) -> None:
    qb.control.set_auth_mode("list_only")
    assert qb.control.seed(2, vendors=2, customers=1).vendors == 2
    assert qb.control.apps() == []


@pytest.mark.parametrize("call,message", [
    (lambda c: c.set_auth_mode("everyone"), "auth mode must be one of allow_all, list_only"),
    (lambda c: c.allow_app(""), "non-empty name"),
    (lambda c: c.allow_app("x" * 201), "at most 200 characters"),
    (lambda c: c.revoke_app("App", 5), "app_id must be text"),
    (lambda c: c.forget_app(None), "non-empty name"),
])
def test_bad_input_is_refused(qb: FakeQuickBooks, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ControlError) as info:
        call(qb.control)
    assert message in str(info.value)
    assert qb.control.apps() == [] and qb.control.auth_mode() == "allow_all"
