"""The fake Web Connector end to end: a reference QBWC integration (tests/qbwc_integration.py, spyne) on a real local
HTTP server, driven by `FakeWebConnector` against a fakeqb company, the company checked afterwards."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from fakeqb import FakeQuickBooks
from fakeqb.cli import main
from fakeqb.com.client import envelope
from fakeqb.com.hresults import COULD_NOT_START, DIFFERENT_FILE_OPEN
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import serve_in_thread
from fakeqb.webconnector import DropCall, FakeWebConnector, RunSummary, load_qwc, parse_qwc
from fakeqb.webconnector.qwc import QwcError
from fakeqb.webconnector.soap import WSDL
from tests.qbwc_integration import Integration, serve

pytestmark = pytest.mark.webconnector

OPEN_FILE = r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Fake Company.qbw"
SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"


@pytest.fixture
def company(qb: FakeQuickBooks) -> FakeQuickBooks:
    qb.seed(7, vendors=1, customers=4, items=4, classes=0, employees=0, other_names=0)
    return qb


@pytest.fixture
def integration() -> Integration:
    return Integration(page_size=2)


@pytest.fixture
def url(integration: Integration) -> Iterator[str]:
    with serve(integration) as address:
        yield address


def update(company: Any, url: str, user: str = "acme", password: str = "secret", **options: Any) -> RunSummary:
    options.setdefault("noop_pause", 0)
    return FakeWebConnector(url, user, password, company=company, app_name="Reference Integration", **options).run()


def invoices(qb: FakeQuickBooks) -> list[etree._Element]:
    rp = qb.request_processor()
    rp.OpenConnection2("", "checker", 1)
    ticket = rp.BeginSession("", 2)
    rs = etree.fromstring(rp.ProcessRequest(ticket, envelope("<InvoiceQueryRq><IncludeLineItems>true"
                                                             "</IncludeLineItems></InvoiceQueryRq>")).encode())
    rp.EndSession(ticket)
    rp.CloseConnection()
    return rs.findall(".//InvoiceRet")


# -- the exchange ---------------------------------------------------------------------------------------------------

def test_an_update_pages_customers_adds_invoices_and_handles_errors(company: FakeQuickBooks, integration: Integration,
                                                                    url: str) -> None:
    summary = update(company, url)

    assert summary.ok and summary.result == "Ok" and summary.codes == []
    assert summary.calls[:3] == ["serverVersion", "clientVersion", "authenticate"]
    assert summary.calls[-1] == "closeConnection" and summary.percent == 100
    assert summary.server_version == "reference integration 1.0"
    assert summary.close_message == "OK: 2 invoice(s) added" and integration.closed == [summary.ticket]
    # the integration paged through every customer and job, two a page
    pages = [r for r, _, _ in integration.responses if "CustomerQueryRs" in r]
    assert len(pages) == -(-len(integration.customers) // 2) and len(integration.customers) >= 4
    assert 'iteratorRemainingCount="0"' in pages[-1]
    # its invoices are in the company, and the one for an unknown customer was refused (3140) and reported
    added = invoices(company)
    assert sorted(i.findtext("CustomerRef/FullName") for i in added) == sorted(integration.customers[:2])
    assert sorted(i.findtext("Subtotal") for i in added) == ["100.00", "101.00"]
    assert [i.findtext("TxnID") for i in added] == integration.invoices
    assert len(integration.errors) == 1 and integration.errors[0].startswith("InvoiceAddRs 3140:")
    # every request went through a request processor: the company's request log has them, under the app's name
    logged = company.control.log(app="Reference Integration")
    assert len(logged) == summary.requests + 1  # + the Host/Company/Preferences query
    assert "HostQueryRq" in logged[0].request_types and "InvoiceAddRq" in logged[-1].request_types


def test_the_first_sendRequestXML_carries_the_host_company_and_preferences(company: FakeQuickBooks,
                                                                           integration: Integration, url: str) -> None:
    summary = update(company, url)

    first, *later = integration.send_args
    hcp = etree.fromstring(first["strHCPResponse"].encode()).find("QBXMLMsgsRs")
    assert [rs.tag for rs in hcp] == ["HostQueryRs", "CompanyQueryRs", "PreferencesQueryRs"]
    assert all(rs.get("statusCode") == "0" for rs in hcp)
    assert hcp.findtext("HostQueryRs/HostRet/SupportedQBXMLVersion") is not None
    assert all(args["strHCPResponse"] == "" for args in later) and later
    for args in integration.send_args:
        assert args["strCompanyFileName"] == OPEN_FILE == summary.company_file
        assert (args["qbXMLCountry"], args["qbXMLMajorVers"], args["qbXMLMinorVers"]) == ("US", 16, 0)


def _wsdl_schema(path: Path) -> etree.XMLSchema:
    """The schema of the WSDL's types section, with the WSDL's namespace prefixes (its types are QNames)."""
    root = etree.parse(str(path)).getroot()
    types = root.find("{http://schemas.xmlsoap.org/wsdl/}types/{http://www.w3.org/2001/XMLSchema}schema")
    schema = etree.Element(types.tag, dict(types.attrib), nsmap={**root.nsmap, **types.nsmap})
    schema.extend(copy.deepcopy(child) for child in types)
    return etree.XMLSchema(schema)


def shared_wsdl() -> Path:
    """Intuit's WSDL as the project keeps it (beside the qbXML schemas); skipped where absent, but never on CI."""
    xsd = os.environ.get("QBXML_XSD_DIR")
    candidates = [Path(xsd).parent / "qbwc"] if xsd else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "qbxml" / "qbwc")
    for folder in candidates:
        if (folder / "QBWebConnectorSvc.wsdl").is_file():
            return folder / "QBWebConnectorSvc.wsdl"
    if os.environ.get("CI"):
        pytest.fail("the QBWC WSDL must be beside the qbXML schemas on CI")
    pytest.skip("the QBWC WSDL (shared/qbxml/qbwc) is not available")


def test_every_soap_message_sent_is_valid_for_the_wsdl(company: FakeQuickBooks, integration: Integration,
                                                       url: str) -> None:
    integration.fallback_files = [""]
    connector = FakeWebConnector(url, "acme", "secret", company=company, noop_pause=0)
    integration.company_file = r"C:\Elsewhere\Other.qbw"  # connectionError, then the open file
    integration.noop_first = 1  # an empty request, getLastError
    summary = connector.run()

    assert summary.ok
    assert set(summary.calls) == {"serverVersion", "clientVersion", "authenticate", "connectionError",
                                  "sendRequestXML", "getLastError", "receiveResponseXML", "closeConnection"}
    assert connector.sent == integration.raw
    for schema in (_wsdl_schema(shared_wsdl()), _wsdl_schema(WSDL)):
        for raw in integration.raw:
            body = etree.fromstring(raw).find(f"{SOAP}Body")
            assert body is not None and len(body) == 1
            schema.assertValid(body[0])


def _shape(path: Path) -> set[tuple[str, ...]]:
    """Every element declaration of the WSDL's schema: (parent, name, type, minOccurs, maxOccurs)."""
    schema = etree.parse(str(path)).find(".//{http://www.w3.org/2001/XMLSchema}schema")
    found = set()
    for el in schema.iter("{http://www.w3.org/2001/XMLSchema}element"):
        parent = next((a.get("name") for a in el.iterancestors() if a.get("name")), "")
        found.add((parent, el.get("name") or "", el.get("type") or "", el.get("minOccurs") or "1",
                   el.get("maxOccurs") or "1"))
    return found


def test_the_shipped_wsdl_declares_what_intuits_does() -> None:
    assert _shape(WSDL) == _shape(shared_wsdl())


# -- authenticate's answers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, result", [("none", "No data exchange required"),
                                            ("busy", "Application is busy: update not done")])
def test_nothing_to_do_or_busy_ends_the_update_without_a_session(company: FakeQuickBooks, integration: Integration,
                                                                 url: str, status: str, result: str) -> None:
    integration.auth_status = status
    summary = update(company, url)
    assert summary.ok and summary.result == result
    assert summary.calls == ["serverVersion", "clientVersion", "authenticate"]
    assert company.session_count == 0 and company.control.log() == []


def test_an_invalid_user_is_QBWC1040(company: FakeQuickBooks, integration: Integration, url: str) -> None:
    summary = update(company, url, password="wrong")
    assert not summary.ok and summary.codes == ["QBWC1040"]
    assert summary.calls[-1] == "authenticate"


def test_a_wait_postpones_the_update_and_run_every_is_reported(company: FakeQuickBooks, integration: Integration,
                                                               url: str) -> None:
    integration.auth_extra = ["300", "3600"]
    summary = update(company, url)
    assert summary.ok and summary.result == "Update postponed by application"
    assert (summary.wait_seconds, summary.run_every_seconds) == (300, 3600)
    integration.auth_extra = ["", "3600"]
    summary = update(company, url)
    assert summary.ok and summary.result == "Ok" and summary.run_every_seconds == 3600


@pytest.mark.parametrize("values, detail", [(["only-a-ticket"], "Index was outside the bounds of the array."),
                                            (["t", "", "soon"], "Input string was not in a correct format.")])
def test_an_answer_qbwc_cannot_read_is_QBWC1012(company: FakeQuickBooks, integration: Integration, url: str,
                                                values: list[str], detail: str) -> None:
    integration.auth_values = values
    summary = update(company, url)
    assert summary.codes == ["QBWC1012"] and summary.result.endswith(detail)


def test_the_open_company_files_path_is_accepted_in_any_case(company: FakeQuickBooks, integration: Integration,
                                                             url: str) -> None:
    integration.company_file = OPEN_FILE.upper().replace("\\", "/")
    assert update(company, url).ok


# -- QuickBooks cannot be reached: connectionError ------------------------------------------------------------------

def test_another_company_file_calls_connection_error_and_the_answer_is_tried(company: FakeQuickBooks,
                                                                             integration: Integration,
                                                                             url: str) -> None:
    integration.company_file = r"C:\Company Files\Another Company.qbw"
    integration.fallback_files = [r"C:\Company Files\Still Another.qbw", ""]
    summary = update(company, url)

    assert integration.connection_errors == [(f"0x{DIFFERENT_FILE_OPEN:08X}", integration.connection_errors[0][1])] * 2
    assert "already open and it is different" in integration.connection_errors[0][1]
    assert summary.codes == ["QBWC1013", "QBWC1013"]
    assert summary.ok and summary.company_file == OPEN_FILE and len(invoices(company)) == 2


def test_quickbooks_not_running_ends_the_update_when_the_integration_says_done(company: FakeQuickBooks,
                                                                                integration: Integration,
                                                                                url: str) -> None:
    company.control.close_quickbooks()
    summary = update(company, url)

    assert integration.connection_errors == [(f"0x{COULD_NOT_START:08X}", "Could not start QuickBooks.")]
    assert summary.calls[-1] == "connectionError" and "closeConnection" not in summary.calls
    assert not summary.ok and summary.codes == ["QBWC1013"] and "Could not start QuickBooks." in summary.result


@pytest.mark.control_plane
@pytest.mark.parametrize("method", ["OpenConnection", "BeginSession"])
def test_a_fault_rule_on_the_connection_reaches_connection_error(company: FakeQuickBooks, integration: Integration,
                                                                 url: str, method: str) -> None:
    company.control.add_fault("hresult", method=method, hresult=0x80040422)
    integration.fallback_files = [""]
    summary = update(company, url)
    assert integration.connection_errors[0][0] == "0x80040422" and summary.ok


# -- fault rules inside the exchange ---------------------------------------------------------------------------------

@pytest.mark.control_plane
def test_a_status_fault_rule_reaches_the_integration_as_quickbooks_answer(company: FakeQuickBooks,
                                                                          integration: Integration, url: str) -> None:
    company.control.add_fault("status", request_type="InvoiceAddRq", status_code=3180)
    summary = update(company, url)
    assert summary.ok and len(invoices(company)) == 1
    assert any(e.startswith("InvoiceAddRs 3180:") for e in integration.errors)


@pytest.mark.control_plane
def test_a_lost_response_is_an_hresult_for_receive_response_xml_then_get_last_error(company: FakeQuickBooks,
                                                                                   integration: Integration,
                                                                                   url: str) -> None:
    company.control.add_fault("lose_response", request_type="InvoiceAddRq")
    summary = update(company, url)

    assert ("", "0x800706BE", "The remote procedure call failed.") in integration.responses
    assert summary.calls[-3:] == ["receiveResponseXML", "getLastError", "closeConnection"]
    assert summary.percent == -1 and not summary.ok
    assert summary.last_error == summary.result == "QuickBooks could not process the request: 0x800706BE The " \
                                                   "remote procedure call failed."
    assert len(invoices(company)) == 1  # committed, though the integration never heard of it


@pytest.mark.control_plane
def test_quickbooks_closing_mid_update_invalidates_the_ticket(company: FakeQuickBooks, integration: Integration,
                                                              url: str) -> None:
    company.control.add_fault("close_quickbooks", request_type="ItemServiceQueryRq")
    summary = update(company, url)
    assert ("", "0x8004040D", "The ticket parameter is invalid.") in integration.responses
    assert not summary.ok and "QBWC1015" in summary.codes  # ending the session with QuickBooks fails too


@pytest.mark.control_plane
def test_the_host_company_preferences_query_failing_is_QBWC1014(company: FakeQuickBooks, integration: Integration,
                                                                url: str) -> None:
    company.control.add_fault("hresult", method="ProcessRequest", hresult=0x80040402)
    summary = update(company, url)
    assert summary.codes == ["QBWC1014"] and "sendRequestXML" not in summary.calls
    assert summary.calls[-1] == "closeConnection"


# -- empty requests, negative percentages, getLastError --------------------------------------------------------------

def test_an_empty_request_calls_get_last_error_then_close_connection(company: FakeQuickBooks,
                                                                     integration: Integration, url: str) -> None:
    integration.empty_error = "Nothing queued for this company"
    summary = update(company, url)
    assert summary.calls[3:] == ["sendRequestXML", "getLastError", "closeConnection"]
    assert not summary.ok and summary.last_error == summary.result == "Nothing queued for this company"


def test_interactive_mode_is_not_simulated(company: FakeQuickBooks, integration: Integration, url: str) -> None:
    integration.empty_error = "Interactive mode"
    summary = update(company, url)
    assert not summary.ok and summary.result == "Interactive mode (not simulated)"


def test_the_fake_stops_an_update_that_never_ends(company: FakeQuickBooks, integration: Integration,
                                                  url: str) -> None:
    summary = update(company, url, max_exchanges=3)
    assert summary.calls.count("sendRequestXML") == 3 and summary.calls[-1] == "closeConnection"
    assert not summary.ok and summary.result == "Stopped after 3 sendRequestXML calls"


def test_noop_waits_and_asks_again(company: FakeQuickBooks, integration: Integration, url: str) -> None:
    integration.noop_first = 2
    summary = update(company, url)
    assert summary.calls[3:8] == ["sendRequestXML", "getLastError", "sendRequestXML", "getLastError",
                                  "sendRequestXML"]
    assert summary.ok and len(invoices(company)) == 2


# -- the integration's endpoint misbehaving: the run ends with QBWC's code, never a traceback -------------------------

@pytest.mark.parametrize("method, how, code, detail", [
    ("authenticate", "garbage", "QBWC1012", "Response is not well-formed XML."),
    ("authenticate", "html", "QBWC1012", "Client found response content type of 'text/html', but expected "
                                         "'text/xml'."),
    ("sendRequestXML", "fault", "QBWC1041", "Server was unable to process request. ---> Object reference not set "
                                            "to an instance of an object."),
    ("receiveResponseXML", "404", "QBWC1042", "The request failed with HTTP status 404: Not Found."),
    ("receiveResponseXML", "drop", "QBWC1042", "The underlying connection was closed: An unexpected error "
                                               "occurred on a receive."),
    ("closeConnection", "garbage", "QBWC1044", "Response is not well-formed XML."),
])
def test_a_broken_endpoint_ends_the_update_with_qbwcs_code(company: FakeQuickBooks, integration: Integration,
                                                           url: str, method: str, how: str, code: str,
                                                           detail: str) -> None:
    integration.misbehave[method] = how
    summary = update(company, url)
    assert not summary.ok and summary.codes == [code]
    assert summary.result.endswith(detail) and summary.calls[-1] == method
    assert company.session_count == 0


def test_a_slow_endpoint_times_out(company: FakeQuickBooks, integration: Integration, url: str) -> None:
    integration.misbehave["receiveResponseXML"], integration.slow_seconds = "slow", 8.0
    summary = update(company, url, timeout=2.5)  # the other calls must fit in it even on a busy machine
    assert summary.codes == ["QBWC1042"] and summary.result.endswith("The operation has timed out")


def test_an_endpoint_nobody_answers_is_QBWC1012_after_the_version_calls(company: FakeQuickBooks) -> None:
    with serve(Integration()) as url:
        pass  # the server is gone again: nothing listens on its port
    summary = update(company, url)
    assert summary.calls == ["serverVersion", "clientVersion", "authenticate"]
    assert summary.codes == ["QBWC1012"] and summary.result.endswith("Unable to connect to the remote server")
    assert "app-not-supporting-serverVersion" in str(summary)


def test_a_dropped_call_the_integration_handled_leaves_its_work_done(company: FakeQuickBooks,
                                                                     integration: Integration, url: str) -> None:
    summary = update(company, url, drops=[DropCall("receiveResponseXML", nth=3)])
    assert summary.codes == ["QBWC1042"] and integration.calls.count("receiveResponseXML") == 3
    assert summary.calls.count("receiveResponseXML") == 3 and "closeConnection" not in integration.calls
    summary = update(company, url, drops=[DropCall("authenticate", sent=False)])
    assert summary.codes == ["QBWC1012"] and "occurred on a send" in summary.result


# -- clientVersion ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, accept, ok, code", [
    ("E:Upgrade the Web Connector to 2.3.", True, False, "QBWC1037"),
    ("O:3.0.0.0", True, False, "QBWC1037"),
    ("W:A newer Web Connector is out.", True, True, None),
    ("W:A newer Web Connector is out.", False, False, "QBWC1037"),
    ("what?", True, False, "QBWC1046"),
])
def test_client_version_answers(company: FakeQuickBooks, integration: Integration, url: str, answer: str,
                                accept: bool, ok: bool, code: str | None) -> None:
    integration.client_version_answer = answer
    summary = update(company, url, accept_warnings=accept)
    assert summary.ok is ok and summary.codes == ([code] if code else [])
    assert ("authenticate" in summary.calls) is ok


# -- over HTTP, through fakeqb serve ----------------------------------------------------------------------------------

def test_the_company_can_be_served_by_fakeqb_over_http(company: FakeQuickBooks, integration: Integration,
                                                       url: str) -> None:
    with serve_in_thread(company) as qb_url:
        summary = update(lambda: HttpRequestProcessor(qb_url), url)
    assert summary.ok and len(invoices(company)) == 2


# -- .qwc files -------------------------------------------------------------------------------------------------------

QWC = """<?xml version="1.0"?>
<QBWCXML>
  <AppName>Reference Integration</AppName>
  <AppID></AppID>
  <AppURL>{url}</AppURL>
  <AppDescription>Pages customers, adds invoices</AppDescription>
  <AppSupport>{support}</AppSupport>
  <UserName>acme</UserName>
  <OwnerID>{{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}}</OwnerID>
  <FileID>{{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}}</FileID>
  <QBType>QBFS</QBType>
  <Scheduler><RunEveryNMinutes>30</RunEveryNMinutes></Scheduler>
  <IsReadOnly>false</IsReadOnly>
</QBWCXML>
"""


def test_a_qwc_file_gives_the_url_user_and_application(company: FakeQuickBooks, integration: Integration, url: str,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "reference.qwc"
    path.write_text(QWC.format(url=url, support="http://localhost/support"))
    qwc = load_qwc(path)
    assert (qwc.app_name, qwc.user_name, qwc.run_every_minutes, qwc.is_read_only) == (
        "Reference Integration", "acme", 30, False)
    assert qwc.owner_id == "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}"
    summary = FakeWebConnector(qwc=qwc, password="secret", company=company).run()
    assert summary.ok and summary.app_name == "Reference Integration"
    hcp = company.control.log(app="Reference Integration")[0].request
    assert "<CompanyQueryRq requestID=\"1\"><OwnerID>{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}</OwnerID>" in hcp


@pytest.mark.parametrize("url, support, code", [
    ("https://app.example.com/qbwc", "https://www.example.com/help", None),
    ("https://app.example.com/qbwc", "https://example.org/help", "QBWC1000"),
    ("http://192.168.1.5/qbwc", "http://localhost/support", "QBWC1001"),
    ("https://app.example.com/qbwc", "https://10.0.0.1/help", "QBWC1002"),
    ("http://app.example.com/qbwc", "http://app.example.com/help", "QBWC1010"),
])
def test_qbwcs_rules_for_loading_a_qwc(url: str, support: str, code: str | None) -> None:
    text = QWC.format(url=url, support=support)
    if code is None:
        assert parse_qwc(text).app_url == url
        return
    with pytest.raises(QwcError) as raised:
        parse_qwc(text)
    assert raised.value.code == code


@pytest.mark.parametrize("text", [
    QWC.format(url="https://a.example.com/", support="https://a.example.com/").replace("<UserName>acme</UserName>",
                                                                                     ""),
    '<?xml version="1.0"?><!DOCTYPE QBWCXML [<!ENTITY x "acme">]><QBWCXML><UserName>&x;</UserName></QBWCXML>',
    "<QBWCXML><AppName>unclosed",
    "<Other/>",
])
def test_a_qwc_that_is_incomplete_or_unsafe_is_QBWC1039(text: str) -> None:
    with pytest.raises(QwcError) as raised:
        parse_qwc(text)
    assert raised.value.code == "QBWC1039"


def test_an_ip_address_url_is_not_loaded_even_without_a_qwc(company: FakeQuickBooks) -> None:
    summary = update(company, "http://127.0.0.1:9/qbwc")
    assert summary.codes == ["QBWC1001"] and summary.calls == [] and "not loaded" in summary.result


# -- fakeqb webconnector run -------------------------------------------------------------------------------------------

def test_the_command_runs_an_update_and_prints_the_log(integration: Integration, url: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'company.db'}"
    assert main(["seed", "--db", db, "--seed", "7", "--customers", "3", "--vendors", "1"]) == 0
    capsys.readouterr()
    assert main(["webconnector", "run", "--url", url, "--user", "acme", "--password", "secret", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "do_authenticate() : Authenticating to application" in out and "\nfakeqb Web Connector" in out
    assert out.rstrip().splitlines()[-1] == "  closeConnection: OK: 2 invoice(s) added"

    qwc = tmp_path / "app.qwc"
    qwc.write_text(QWC.format(url=url, support="http://localhost/support"))
    assert main(["webconnector", "run", "--qwc", str(qwc), "--password", "wrong", "--db", db]) == 1
    assert "QBWC1040: Web connector did not provide a valid username and/or password." in capsys.readouterr().out


def test_the_command_reports_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.qwc"
    bad.write_text("<QBWCXML/>")
    assert main(["webconnector", "run", "--qwc", str(bad), "--password", "p", "--db", "sqlite://"]) == 1
    assert "QBWC1039" in capsys.readouterr().err
    assert main(["webconnector", "run", "--password", "p", "--db", "sqlite://"]) == 1
    assert "give --url" in capsys.readouterr().err
    assert main(["webconnector", "run", "--url", "http://localhost:9/", "--user", "u", "--password", "p",
                 "--db", f"sqlite:///{tmp_path / 'missing.db'}"]) == 1
    assert "no company file" in capsys.readouterr().err
