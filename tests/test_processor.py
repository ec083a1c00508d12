"""The QBXMLRP2 surface: connections, sessions, tickets, file modes, HRESULT errors and the message-set envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from fakeqb import ComError, FakeQuickBooks
from fakeqb.company.file import DEFAULT_COMPANY_FILE
from tests.support import Client, envelope

SINGLE, MULTI, DONT_CARE = 0, 1, 2
DISP_E_EXCEPTION = -2147352567


def raises(hresult: int, call: Callable[[], Any]) -> ComError:
    """Assert `call` raises the QBXMLRP2 error `hresult` in pywin32's com_error shape; return it."""
    with pytest.raises(ComError) as info:
        call()
    err = info.value
    hr, text, excepinfo, argerror = err.args
    assert (hr, text, argerror) == (DISP_E_EXCEPTION, "Exception occurred.", None)
    assert excepinfo[5] == hresult - (1 << 32)  # signed, as pywin32 reports it
    assert isinstance(excepinfo[2], str) and excepinfo[2]
    return err


def connected(qb: FakeQuickBooks, app: str = "Test App") -> Any:
    rp = qb.request_processor()
    rp.OpenConnection2("", app, 1)
    return rp


def vendor_add(name: str, request_id: str | None = None) -> str:
    rid = f' requestID="{request_id}"' if request_id is not None else ""
    return f"<VendorAddRq{rid}><VendorAdd><Name>{name}</Name></VendorAdd></VendorAddRq>"


def responses(xml: str) -> list[etree._Element]:
    return list(etree.fromstring(xml.encode()).find("QBXMLMsgsRs"))


# -- happy path ---------------------------------------------------------------------------------------------------

def test_full_session(qb: FakeQuickBooks) -> None:
    rp = qb.request_processor()
    assert rp.OpenConnection2("", "Test App", 1) is None
    ticket = rp.BeginSession("", DONT_CARE)
    assert isinstance(ticket, str) and ticket
    versions = rp.QBXMLVersionsForSession(ticket)
    assert "13.0" in versions and "16.0" in versions and "1.0" in versions
    assert rp.GetCurrentCompanyFileName(ticket) == DEFAULT_COMPANY_FILE
    xml = rp.ProcessRequest(ticket, envelope(vendor_add("Acme")))
    assert xml.startswith("<?xml")
    (rs,) = responses(xml)
    assert rs.tag == "VendorAddRs"
    assert rs.get("statusCode") == "0"
    assert rs.findtext("VendorRet/Name") == "Acme"
    assert rp.EndSession(ticket) is None
    assert rp.CloseConnection() is None
    rp.OpenConnection("", "Test App")  # a closed connection can be opened again
    ticket = rp.BeginSession(DEFAULT_COMPANY_FILE, MULTI)
    assert "Acme" in rp.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))
    rp.EndSession(ticket)
    rp.CloseConnection()


def test_error_shape_matches_pywin32(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    ticket = rp.BeginSession("", DONT_CARE)
    err = raises(0x80040400, lambda: rp.ProcessRequest(ticket, "<not qbxml"))
    assert err.args[2][5] == -2147220480
    assert err.args[2][2] == "QuickBooks found an error when parsing the provided XML text stream."
    assert err.args[2][1]  # the source
    assert len(err.args[2]) == 6


# -- errors -------------------------------------------------------------------------------------------------------

def test_invalid_ticket(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    rp.BeginSession("", DONT_CARE)
    err = raises(0x8004040D, lambda: rp.ProcessRequest("{bogus}", envelope(vendor_add("A"))))
    assert err.excepinfo[2] == "The ticket parameter is invalid."
    raises(0x8004040D, lambda: rp.QBXMLVersionsForSession("{bogus}"))
    raises(0x8004040D, lambda: rp.EndSession("{bogus}"))


def test_process_request_without_a_session(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    err = raises(0x8004040C, lambda: rp.ProcessRequest("", envelope(vendor_add("A"))))
    assert err.excepinfo[2] == 'The "BeginSession" method has not been called or it did not succeed.'


def test_ticket_of_another_processor_is_invalid(qb: FakeQuickBooks) -> None:
    rp1, rp2 = connected(qb), connected(qb, "Other")
    ticket1 = rp1.BeginSession("", MULTI)
    rp2.BeginSession("", MULTI)
    raises(0x8004040D, lambda: rp2.ProcessRequest(ticket1, envelope(vendor_add("A"))))


def test_begin_session_before_open_connection(qb: FakeQuickBooks) -> None:
    rp = qb.request_processor()
    err = raises(0x8004040F, lambda: rp.BeginSession("", DONT_CARE))
    assert err.excepinfo[2] == 'The "OpenConnection" method has not been called.'


def test_open_connection_twice(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    err = raises(0x80040412, lambda: rp.OpenConnection2("", "Test App", 1))
    assert err.excepinfo[2].startswith('You cannot make multiple successive calls to the "OpenConnection" method.')


def test_empty_app_name(qb: FakeQuickBooks) -> None:
    rp = qb.request_processor()
    err = raises(0x80040415, lambda: rp.OpenConnection2("", "", 1))
    assert err.excepinfo[2] == 'A call to the "OpenConnection" method must include the name of your application.'
    rp.OpenConnection2("", "Named", 1)  # the failed call left no connection behind


def test_begin_session_with_a_different_company_file(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    err = raises(0x8004040A, lambda: rp.BeginSession(r"C:\Other\Books.QBW", DONT_CARE))
    assert err.excepinfo[2].startswith("A QuickBooks company data file is already open and it is different")


@pytest.mark.parametrize("file_name", [
    "",
    DEFAULT_COMPANY_FILE,
    DEFAULT_COMPANY_FILE.upper(),
    DEFAULT_COMPANY_FILE.replace("\\", "/").lower(),
])
def test_begin_session_with_the_open_file(qb: FakeQuickBooks, file_name: str) -> None:
    rp = connected(qb)
    ticket = rp.BeginSession(file_name, DONT_CARE)
    rp.EndSession(ticket)


def test_second_begin_session_on_the_same_processor(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    rp.BeginSession("", MULTI)
    err = raises(0x80040411, lambda: rp.BeginSession("", MULTI))
    assert err.excepinfo[2].startswith('Before calling the "BeginSession" method, you must call the "EndSession"')


@pytest.mark.parametrize("mode,hresult", [(SINGLE, 0x80040422), (MULTI, 0x80040410), (DONT_CARE, 0x80040410)])
def test_single_user_session_excludes_other_processors(qb: FakeQuickBooks, mode: int, hresult: int) -> None:
    owner = connected(qb)
    ticket = owner.BeginSession("", SINGLE)
    newcomer = connected(qb, "Other App")
    raises(hresult, lambda: newcomer.BeginSession("", mode))
    owner.EndSession(ticket)
    newcomer.BeginSession("", mode)  # free once the single-user session ends


def test_single_user_newcomer_is_refused_while_others_share_the_file(qb: FakeQuickBooks) -> None:
    sharing = connected(qb)
    sharing.BeginSession("", MULTI)
    newcomer = connected(qb, "Other App")
    err = raises(0x80040422, lambda: newcomer.BeginSession("", SINGLE))
    assert err.excepinfo[2].startswith("This application requires Single User file access mode")
    connected(qb, "Third").BeginSession("", DONT_CARE)  # multi-user sessions share the file


def test_ticket_is_invalid_after_end_session(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    ticket = rp.BeginSession("", DONT_CARE)
    rp.EndSession(ticket)
    raises(0x8004040D, lambda: rp.ProcessRequest(ticket, envelope(vendor_add("A"))))
    raises(0x8004040D, lambda: rp.EndSession(ticket))
    new_ticket = rp.BeginSession("", DONT_CARE)
    assert new_ticket != ticket
    raises(0x8004040D, lambda: rp.ProcessRequest(ticket, envelope(vendor_add("A"))))


def test_close_connection_ends_the_session(qb: FakeQuickBooks) -> None:
    rp = connected(qb)
    ticket = rp.BeginSession("", SINGLE)
    rp.CloseConnection()
    raises(0x8004040F, lambda: rp.ProcessRequest(ticket, envelope(vendor_add("A"))))
    connected(qb, "Other").BeginSession("", SINGLE)  # the single-user lock is gone


def test_unsupported_qbxml_version(client: Client) -> None:
    err = raises(0x80040423, lambda: client.raw(vendor_add("A"), version="99.0"))
    assert err.excepinfo[2] == "The version of QBXML that was requested is not supported or is unknown."
    assert client.one("<VendorQueryRq/>").get("statusCode") == "1"  # nothing was added


@pytest.mark.parametrize("body", [
    "<VendorAddRq><VendorAdd><IsActive>true</IsActive><Name>A</Name></VendorAdd></VendorAddRq>",  # order
    "<VendorAddRq><VendorAdd><Nickname>A</Nickname></VendorAdd></VendorAddRq>",  # unknown element
    "<VendorQueryRq><ActiveStatus>Sometimes</ActiveStatus></VendorQueryRq>",  # not in the enumeration
    "<VendorAddRq><VendorAdd><Name>A</Name></VendorAdd>",  # not well-formed
])
def test_parse_errors(client: Client, body: str) -> None:
    raises(0x80040400, lambda: client.raw(vendor_add("First") + body))
    assert client.one("<VendorQueryRq/>").get("statusCode") == "1"  # the whole message set was refused


def test_rollback_on_error_is_refused(client: Client) -> None:
    err = raises(0x80040413, lambda: client.raw(vendor_add("A"), on_error="rollbackOnError"))
    assert err.excepinfo[2] == 'QuickBooks does not support the "rollbackOnError" value of the "onError" attribute.'
    assert client.one("<VendorQueryRq/>").get("statusCode") == "1"


# -- envelope -----------------------------------------------------------------------------------------------------

def test_stop_on_error_stops_after_the_first_error(client: Client) -> None:
    body = (vendor_add("Alpha", "1") + vendor_add("alpha", "2") + "<VendorQueryRq requestID=\"3\">"
            "<FullName>Nobody</FullName></VendorQueryRq>" + vendor_add("Bravo", "4"))
    rss = responses(client.raw(body, on_error="stopOnError"))
    assert [(rs.get("requestID"), rs.get("statusCode"), rs.get("statusSeverity")) for rs in rss] == [
        ("1", "0", "Info"), ("2", "3100", "Error"), ("3", "3231", "Error"), ("4", "3231", "Error")]
    assert {rs.get("statusMessage") for rs in rss[2:]} == {"The request has not been processed."}
    rs = client.one("<VendorQueryRq><ActiveStatus>All</ActiveStatus></VendorQueryRq>")
    assert [r.findtext("Name") for r in rs] == ["Alpha"]  # the earlier request stays saved, later ones are not run


def test_stop_on_error_goes_on_after_a_warning(client: Client) -> None:
    body = "<VendorQueryRq><FullName>Nobody</FullName></VendorQueryRq>" + vendor_add("Alpha")
    rss = responses(client.raw(body, on_error="stopOnError"))
    assert [(rs.get("statusCode"), rs.get("statusSeverity")) for rs in rss] == [("500", "Warn"), ("0", "Info")]


def test_continue_on_error_answers_every_request(client: Client) -> None:
    body = vendor_add("Alpha") + vendor_add("ALPHA") + vendor_add("Bravo")
    rss = responses(client.raw(body, on_error="continueOnError"))
    assert [rs.get("statusCode") for rs in rss] == ["0", "3100", "0"]
    rs = client.one("<VendorQueryRq/>")
    assert [r.findtext("Name") for r in rs] == ["Alpha", "Bravo"]


@pytest.mark.parametrize("request_id", ["", "0", "42", "{8F3C7E2A-1111-2222-3333-444455556666}", "a b+/=="])
def test_request_id_is_echoed_exactly(client: Client, request_id: str) -> None:
    (rs,) = responses(client.raw(vendor_add("Alpha", request_id)))
    assert rs.get("requestID") == request_id
    assert next(iter(rs.attrib)) == "requestID"


def test_request_id_is_omitted_when_absent(client: Client) -> None:
    (rs,) = responses(client.raw(vendor_add("Alpha")))
    assert "requestID" not in rs.attrib
    (rs,) = responses(client.raw("<VendorQueryRq><FullName>Nope</FullName></VendorQueryRq>"))
    assert "requestID" not in rs.attrib


def test_request_id_is_echoed_on_errors_too(client: Client) -> None:
    vendor_add_twice = vendor_add("Alpha") + vendor_add("Alpha", "dup")
    rss = responses(client.raw(vendor_add_twice, on_error="continueOnError"))
    assert (rss[1].get("requestID"), rss[1].get("statusCode")) == ("dup", "3100")


@pytest.mark.parametrize("version", ["1.0", "2.0", "8.0", "13.0", "16.0"])
def test_old_and_new_versions_are_answered(client: Client, version: str) -> None:
    rs = client.one(vendor_add(f"Vendor {version}"), version=version)
    assert rs.get("statusCode") == "0"
    assert rs.findtext("VendorRet/Name") == f"Vendor {version}"
    rs = client.one("<VendorQueryRq><MaxReturned>1</MaxReturned></VendorQueryRq>", version=version)
    assert rs.get("statusCode") == "0"


def test_a_message_set_whose_answers_outgrow_the_bound_stops_there(client: Client,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from fakeqb.company import engine

    client.raw(vendor_add("Alpha") + vendor_add("Bravo"))
    monkeypatch.setattr(engine, "MAX_RESPONSE_CHARS", 1500)
    rss = responses(client.raw("<VendorQueryRq/>" * 6, on_error="continueOnError"))
    codes = [rs.get("statusCode") for rs in rss]
    assert len(codes) == 6 and codes[0] == "0" and "3231" in codes and codes[codes.index("3231"):] == [
        "3231"] * (6 - codes.index("3231"))
