"""fakeqb over HTTP, from the server's side: what it answers to every kind of call, well-formed or hostile.

Every answer is JSON carrying a ComError's fields (never an HTML page, never a traceback), nothing in the company
changes on a refused call, and the server goes on serving. Requests are made with http.client and raw sockets, so
these tests do not depend on `fakeqb.transport`.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask
import pytest
from werkzeug.serving import make_server as werkzeug_server
from werkzeug.test import Client as WsgiClient

from fakeqb import FakeQuickBooks
from fakeqb.cli import main
from fakeqb.com import hresults as hr
from fakeqb.com.client import envelope
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import METHODS, PROPERTIES, create_app, make_server, running
from tests.support import Client
from tests.test_processor import vendor_add
from tests.test_strictness import DOCUMENTS

RP = "/qbxmlrp2/test-processor"


class Served:
    """A company served over HTTP on a free local port, with helpers for raw calls."""

    def __init__(self, qb: FakeQuickBooks, app: flask.Flask, url: str):
        self.qb, self.app, self.url = qb, app, url
        self.host, self.port = url.removeprefix("http://").split(":")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, int(self.port), timeout=10)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = self.connection()
        try:
            conn.request(method, path, body, headers or {"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def call(self, member: str, *args: Any, rp: str = RP) -> tuple[int, Any]:
        status, headers, body = self.request("POST", f"{rp}/{member}", json.dumps({"args": args}).encode())
        assert headers["content-type"] == "application/json"
        return status, json.loads(body)

    def raw(self, data: bytes) -> bytes:
        """Send bytes as they are; return everything the server sends back before it closes (or goes quiet)."""
        with socket.create_connection((self.host, int(self.port)), timeout=5) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            chunks = []
            try:
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            except TimeoutError:
                pass
        return b"".join(chunks)

    def vendors(self) -> list[str]:
        """The vendors' names, read in process (the server's state, not through it)."""
        rp = self.qb.request_processor()
        rp.OpenConnection2("", "Checker", 1)
        ticket = rp.BeginSession("", 2)
        xml = rp.ProcessRequest(ticket, envelope("<VendorQueryRq><ActiveStatus>All</ActiveStatus></VendorQueryRq>"))
        rp.EndSession(ticket)
        rp.CloseConnection()
        return re.findall(r"<Name>([^<]*)</Name>", xml)

    def still_serving(self) -> None:
        """A fresh client gets a full session through, and the company still holds no vendor."""
        rp = HttpRequestProcessor(self.url, timeout=10)
        rp.OpenConnection2("", "After", 1)
        ticket = rp.BeginSession("", 2)
        assert "statusCode=\"1\"" in rp.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))
        rp.EndSession(ticket)
        rp.CloseConnection()
        assert self.vendors() == []


@contextmanager
def serving(qb: FakeQuickBooks, **options: Any) -> Iterator[Served]:
    app = create_app(qb, **options)
    with running(make_server(app)) as server:
        yield Served(qb, app, server.url)


@pytest.fixture
def served(qb: FakeQuickBooks) -> Iterator[Served]:
    with serving(qb) as served:
        yield served


@pytest.fixture(scope="module")
def shared() -> Iterator[Served]:
    """One server for the cases that change nothing in the company (refused calls and requests)."""
    with FakeQuickBooks() as qb, serving(qb) as served:
        yield served


def com_error(code: int) -> dict[str, Any]:
    """The JSON of the COM-level error `code` (the HRESULT first, no excepinfo)."""
    text = hr.DISPATCH_MESSAGES.get(code) or hr.RPC_MESSAGES[code]
    return {"error": {"hresult": hr.signed(code), "text": text, "excepinfo": None, "argerror": None}}


def qb_error(code: int) -> dict[str, Any]:
    """The JSON of QBXMLRP2's HRESULT `code`, in pywin32's DISP_E_EXCEPTION shape."""
    return {"error": {"hresult": hr.DISP_E_EXCEPTION, "text": "Exception occurred.",
                      "excepinfo": [0, hr.SOURCE, hr.MESSAGES[code], None, 0, hr.signed(code)], "argerror": None}}


# -- the surface ----------------------------------------------------------------------------------------------------

def test_a_session_over_raw_http(served: Served) -> None:
    assert served.call("OpenConnection2", "", "Raw App", 1) == (200, {"result": None})
    status, answer = served.call("BeginSession", "", 2)
    ticket = answer["result"]
    assert status == 200 and re.fullmatch(r"\{[0-9a-f-]{36}\}", ticket)
    status, answer = served.call("ProcessRequest", ticket, envelope(vendor_add("Acme")))
    assert status == 200 and 'statusCode="0"' in answer["result"]
    assert served.call("QBXMLVersionsForSession", ticket)[1]["result"][-1] == "16.0"
    assert served.call("MajorVersion") == (200, {"result": 13})
    assert served.call("EndSession", ticket) == (200, {"result": None})
    assert served.call("CloseConnection") == (200, {"result": None})
    assert served.vendors() == ["Acme"]


def test_members_are_listed(shared: Served) -> None:
    status, _, body = shared.request("GET", "/qbxmlrp2")
    answer = json.loads(body)
    assert status == 200 and answer["methods"] == METHODS and answer["properties"] == list(PROPERTIES)


def test_quickbooks_errors_are_its_hresults(served: Served) -> None:
    assert served.call("BeginSession", "", 2) == (400, qb_error(hr.NOT_CONNECTED))
    served.call("OpenConnection2", "", "Raw App", 1)
    assert served.call("OpenConnection2", "", "Raw App", 1) == (400, qb_error(hr.ALREADY_CONNECTED))
    ticket = served.call("BeginSession", "", 2)[1]["result"]
    assert served.call("ProcessRequest", ticket, "<not qbXML") == (400, qb_error(hr.PARSE_ERROR))
    made_up = "{00000000-0000-0000-0000-000000000000}"
    assert served.call("ProcessRequest", made_up, envelope("<VendorQueryRq/>")) == (400, qb_error(hr.INVALID_TICKET))


def test_processors_are_separate_and_released_on_close(served: Served) -> None:
    for rp in (f"{RP}-1", f"{RP}-2"):
        assert served.call("OpenConnection2", "", "App", 1, rp=rp)[0] == 200
        assert served.call("BeginSession", "", 1, rp=rp)[0] == 200
    assert served.qb.session_count == 2
    assert served.call("CloseConnection", rp=f"{RP}-1")[0] == 200  # its session ends with it
    assert served.qb.session_count == 1
    assert served.call("BeginSession", "", 1, rp=f"{RP}-1") == (400, qb_error(hr.NOT_CONNECTED))
    assert served.request("DELETE", f"{RP}-2")[0] == 200  # released: its session ends too
    assert served.qb.session_count == 0


def test_idle_processors_are_released(qb: FakeQuickBooks) -> None:
    with serving(qb, idle_timeout=60) as served:
        processors = served.app.extensions["fakeqb"]
        later = [0.0]
        real = processors.clock
        processors.clock = lambda: real() + later[0]
        served.call("OpenConnection2", "", "Idle App", 1)
        assert served.call("BeginSession", "", 0)[0] == 200
        later[0] = 30
        assert served.call("MajorVersion", rp=f"{RP}-other")[0] == 200
        assert qb.session_count == 1  # not idle for long enough yet
        later[0] = 61
        assert served.call("MajorVersion", rp=f"{RP}-other")[0] == 200  # a call sweeps the idle ones
        assert qb.session_count == 0
        assert served.call("BeginSession", "", 2) == (400, qb_error(hr.NOT_CONNECTED))


def test_too_many_processors_never_end_another_clients_session(qb: FakeQuickBooks) -> None:
    with serving(qb, max_processors=2) as served:
        served.call("OpenConnection2", "", "Idle", 1, rp=f"{RP}-idle")  # connected, no session: it may make room
        tickets = []
        for n in range(2):
            served.call("OpenConnection2", "", "App", 1, rp=f"{RP}-{n}")
            tickets.append(served.call("BeginSession", "", 1, rp=f"{RP}-{n}")[1]["result"])
        assert qb.session_count == 2
        refused = served.call("OpenConnection2", "", "Third", 1, rp=f"{RP}-2")
        assert refused == (503, com_error(hr.RPC_S_SERVER_UNAVAILABLE))  # nothing done: every processor has a session
        assert [served.call("QBXMLVersionsForSession", t, rp=f"{RP}-{n}")[0] for n, t in enumerate(tickets)] == [
            200, 200]  # both sessions go on
        served.call("EndSession", tickets[0], rp=f"{RP}-0")
        assert served.call("OpenConnection2", "", "Third", 1, rp=f"{RP}-2")[0] == 200  # room made by one idle


# -- hostile calls --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b"this is not JSON", b"\xff\xfe{\"args\": []}", b'{"args": ["\xc3\x28"]}', b"[]", b"null", b'"args"',
    b'{"args": "ProcessRequest"}', b'{"args": {}}', b'{"args": [], "more": 1}', b'{"args": [1, 2}',
    b"[" * 100_000, b'{"args": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
], ids=["text", "utf-16-bom", "invalid-utf-8", "array", "null", "string", "args-string", "args-object",
        "extra-key", "truncated", "deep", "deep-args"])
def test_a_body_that_is_not_a_call_is_invalid_arguments(shared: Served, body: bytes) -> None:
    status, headers, answer = shared.request("POST", f"{RP}/ProcessRequest", body)
    assert (status, headers["content-type"], json.loads(answer)) == (400, "application/json",
                                                                      com_error(hr.E_INVALIDARG))
    shared.still_serving()


HEAD = '<?xml version="1.0" encoding="{}"?>\n<?qbxml version="13.0"?>\n<QBXML><QBXMLMsgsRq onError="stopOnError">'
ENCODINGS = {
    "declared-utf-16": HEAD.format("UTF-16") + vendor_add("Zoë") + "</QBXMLMsgsRq></QBXML>",
    "declared-latin-1": HEAD.format("ISO-8859-1") + vendor_add("Zoë") + "</QBXMLMsgsRq></QBXML>",
    "unknown-encoding": HEAD.format("X-NO-SUCH") + vendor_add("Zoë") + "</QBXMLMsgsRq></QBXML>",
    "byte-order-mark": "\ufeff" + envelope(vendor_add("Bom")),
    "nul": envelope(vendor_add("A\x00B")),
    "control-character": envelope(vendor_add("A\x07B")),
    "lone-surrogate": envelope(vendor_add("A\udc80B")),
    "astral": envelope(vendor_add("Clef 𝄞")),
    "mojibake": envelope(vendor_add("ZoÃ«")),
}
HOSTILE = {**DOCUMENTS, **ENCODINGS}


@pytest.fixture(scope="module")
def twins() -> Iterator[tuple[Client, Client]]:
    """Two companies given the same documents: one in process, one over HTTP."""
    with FakeQuickBooks() as here, FakeQuickBooks() as there, serving(there) as served:
        local, remote = Client(here.request_processor()), Client(HttpRequestProcessor(served.url, timeout=10))
        yield local, remote
        local.close()
        remote.close()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_documents_get_the_in_process_answer(twins: tuple[Client, Client], name: str) -> None:
    """Entities, DOCTYPEs, malformed XML, odd encodings: over HTTP, the answer (or HRESULT) fakeqb gives in process,
    and the same company afterwards."""
    local, remote = twins
    answers = []
    for client in (local, remote):
        try:
            answers.append(re.sub(r"\d", "0", client.rp.ProcessRequest(client.ticket, HOSTILE[name])))
        except hr.ComError as exc:
            answers.append(exc.args)
    assert answers[0] == answers[1]
    names = [[e.text for e in client.one("<VendorQueryRq/>").iter("Name")] for client in (local, remote)]
    assert names[0] == names[1]


@pytest.mark.parametrize(("member", "args"), [("ProcessRequest", ["ticket"]), ("CloseConnection", [1]),
                                               ("MajorVersion", [1]), ("OpenConnection2", ["", "App"])])
def test_a_wrong_number_of_arguments(shared: Served, member: str, args: list[Any]) -> None:
    assert shared.call(member, *args) == (400, com_error(hr.DISP_E_BADPARAMCOUNT))


def test_arguments_of_the_wrong_type_are_answered_as_in_process(served: Served) -> None:
    served.call("OpenConnection2", "", "Raw App", 1)
    ticket = served.call("BeginSession", "", 2)[1]["result"]
    for document in (None, 5, 1.5, True, [envelope("<VendorQueryRq/>")], {"xml": "x"}):
        assert served.call("ProcessRequest", ticket, document) == (400, qb_error(hr.PARSE_ERROR))
    assert served.call("BeginSession", "", "2") == (400, qb_error(hr.SESSION_ALREADY_BEGUN))
    assert served.call("EndSession", [ticket]) == (400, qb_error(hr.INVALID_TICKET))
    served.still_serving()


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("POST", f"{RP}/Frobnicate", 404, hr.DISP_E_UNKNOWNNAME),
    ("POST", f"{RP}/processrequest", 404, hr.DISP_E_UNKNOWNNAME),
    ("POST", "/qbxmlrp2/not%20an%20id!/MajorVersion", 404, hr.DISP_E_UNKNOWNNAME),
    ("POST", "/qbxmlrp2/" + "x" * 65 + "/MajorVersion", 404, hr.DISP_E_UNKNOWNNAME),
    ("POST", f"{RP}/ProcessRequest/more", 404, hr.DISP_E_UNKNOWNNAME),
    ("GET", "/", 404, hr.DISP_E_UNKNOWNNAME),
    ("GET", "/index.html", 404, hr.DISP_E_UNKNOWNNAME),
    ("GET", "/../../etc/passwd", 404, hr.DISP_E_UNKNOWNNAME),
    ("GET", f"{RP}/ProcessRequest", 405, hr.DISP_E_MEMBERNOTFOUND),
    ("PUT", f"{RP}/ProcessRequest", 405, hr.DISP_E_MEMBERNOTFOUND),
    ("BREW", f"{RP}/ProcessRequest", 405, hr.DISP_E_MEMBERNOTFOUND),
    ("POST", "/qbxmlrp2", 405, hr.DISP_E_MEMBERNOTFOUND),
])
def test_unknown_members_paths_and_methods(shared: Served, method: str, path: str, status: int, code: int) -> None:
    got, headers, body = shared.request(method, path, b'{"args": []}')
    assert (got, headers["content-type"], json.loads(body)) == (status, "application/json", com_error(code))


def test_a_body_over_the_limit_is_the_parse_error(qb: FakeQuickBooks) -> None:
    with serving(qb, max_body=1000) as served:
        served.call("OpenConnection2", "", "Raw App", 1)
        ticket = served.call("BeginSession", "", 2)[1]["result"]
        document = envelope(vendor_add("Big" + "x" * 2000))
        status, _, body = served.request("POST", f"{RP}/ProcessRequest", json.dumps({"args": [ticket, document]})
                                         .encode())
        assert (status, json.loads(body)) == (413, qb_error(hr.PARSE_ERROR))
        assert served.vendors() == []
        # the same connection goes on: the refused body was read and dropped
        conn = served.connection()
        for _ in range(2):
            conn.request("POST", f"{RP}/ProcessRequest", json.dumps({"args": [ticket, document]}).encode())
            response = conn.getresponse()
            assert response.status == 413 and json.loads(response.read()) == qb_error(hr.PARSE_ERROR)
        conn.close()
        assert served.call("ProcessRequest", ticket, envelope(vendor_add("Small")))[0] == 200


def test_a_request_over_quickbooks_limit_is_the_parse_error_over_http_too(served: Served) -> None:
    rp = HttpRequestProcessor(served.url, timeout=30)
    rp.OpenConnection2("", "Big App", 1)
    ticket = rp.BeginSession("", 2)
    huge = envelope(vendor_add("Huge") + "<!--" + "x" * (16 * 1024 * 1024) + "-->")
    with pytest.raises(hr.ComError) as info:
        rp.ProcessRequest(ticket, huge)
    assert info.value.args == hr.ComError.qb(hr.PARSE_ERROR).args
    rp.EndSession(ticket)
    rp.CloseConnection()
    served.still_serving()


@pytest.mark.parametrize(("data", "status"), [
    (b"HELLO\r\n\r\n", 400),
    (b"GET / HTTP/2.0\r\n\r\n", 505),
    (b"GET / SPDY/3\r\n\r\n", 400),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 200 + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),
    (b"POST " + RP.encode() + b"/MajorVersion HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400),
    (b"POST " + RP.encode() + b"/MajorVersion HTTP/1.1\r\nContent-Length: ten\r\n\r\n", 400),
    (b"POST " + RP.encode() + b"/MajorVersion HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(200)) + b"\r\n\r\n", 400),  # TLS hello
], ids=["not-http", "http-2", "other-protocol", "long-line", "long-header", "many-headers", "bad-header",
        "negative-length", "length-not-a-number", "chunked", "tls"])
def test_malformed_http_is_answered_in_json(shared: Served, data: bytes, status: int) -> None:
    answer = shared.raw(data)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    assert b"content-type: application/json" in head.lower() and b"connection: close" in head.lower()
    assert set(json.loads(body)["error"]) == {"hresult", "text", "excepinfo", "argerror"}
    shared.still_serving()


def test_a_client_that_goes_away_mid_request(shared: Served) -> None:
    with socket.create_connection((shared.host, int(shared.port)), timeout=5) as sock:
        sock.sendall(b"POST " + RP.encode() + b"/MajorVersion HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"ar")
    with socket.create_connection((shared.host, int(shared.port)), timeout=5) as sock:
        sock.sendall(b"POST " + RP.encode() + b"/MajorVersion HTTP/1.1\r\nContent-")
    shared.still_serving()


def test_keep_alive_and_pipelined_calls(shared: Served) -> None:
    call = b'POST ' + RP.encode() + b'/MajorVersion HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{"args":[]}'
    answer = shared.raw(call * 3)
    assert answer.count(b"HTTP/1.1 200 OK") == 3 and answer.count(b'{"result":13}') == 3


def test_expect_100_continue(shared: Served) -> None:
    answer = shared.raw(b"POST " + RP.encode() + b"/MajorVersion HTTP/1.1\r\nExpect: 100-continue\r\n"
                        b"Content-Length: 11\r\nConnection: close\r\n\r\n{\"args\":[]}")
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK") and answer.endswith(b'{"result":13}')


def test_an_unexpected_failure_is_0x80040402_and_logged(served: Served, monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("fakeqb.com.processor.RequestProcessor.GetCurrentCompanyFileName", broken)
    with caplog.at_level(logging.ERROR, logger="fakeqb.server"):
        status, _, body = served.request("POST", f"{RP}/GetCurrentCompanyFileName", b'{"args": ["t"]}')
    assert (status, json.loads(body)) == (500, qb_error(hr.UNEXPECTED))
    assert b"boom" not in body and b"Traceback" not in body
    assert "boom" in caplog.text
    served.still_serving()


def test_the_flask_view_answers_as_the_fast_path(served: Served) -> None:
    """Calls without a Content-Length (chunked, under another WSGI server) go through Flask: the same answers."""
    flask_only = WsgiClient(served.app.wsgi_app.app)  # type: ignore[attr-defined]  # Flask without the fast path
    calls = [("OpenConnection2", ["", "App", 1]), ("OpenConnection2", ["", "App", 1]), ("BeginSession", ["", 9]),
             ("ProcessRequest", ["x"]), ("Nope", []), ("MajorVersion", [])]
    for member, args in calls:
        body = json.dumps({"args": args}).encode()
        fast = served.request("POST", f"{RP}-fast/{member}", body)
        slow = flask_only.post(f"{RP}-slow/{member}", data=body)
        assert (slow.status_code, slow.get_data()) == (fast[0], fast[2]), member
    for body in (b"not json", b"x" * 100):
        assert flask_only.post(f"{RP}-slow/MajorVersion", data=body).get_json() == com_error(hr.E_INVALIDARG)


# -- the answer that is lost ----------------------------------------------------------------------------------------

def test_a_lost_response_closes_the_connection_without_an_answer(served: Served) -> None:
    served.call("OpenConnection2", "", "Raw App", 1)
    ticket = served.call("BeginSession", "", 2)[1]["result"]
    served.qb.faults.add({"kind": "lose_response", "request_type": "VendorAddRq"})
    body = json.dumps({"args": [ticket, envelope(vendor_add("Lost"))]}).encode()
    answer = served.raw(b"POST " + RP.encode() + b"/ProcessRequest HTTP/1.1\r\nContent-Length: "
                        + str(len(body)).encode() + b"\r\n\r\n" + body)
    assert answer == b""  # not a byte of a response
    assert served.vendors() == ["Lost"]  # but committed
    assert served.call("ProcessRequest", ticket, envelope(vendor_add("Next")))[0] == 200  # the session goes on


def test_a_lost_response_under_werkzeugs_server_too(qb: FakeQuickBooks) -> None:
    httpd = werkzeug_server("127.0.0.1", 0, create_app(qb), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        rp = HttpRequestProcessor(f"http://127.0.0.1:{httpd.server_port}", timeout=10)
        rp.OpenConnection2("", "App", 1)
        ticket = rp.BeginSession("", 2)
        qb.faults.add({"kind": "lose_response"})
        with pytest.raises(hr.ComError) as info:
            rp.ProcessRequest(ticket, envelope(vendor_add("Lost")))
        assert info.value.args == (hr.signed(hr.RPC_S_CALL_FAILED), "The remote procedure call failed.", None, None)
        assert 'statusCode="0"' in rp.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))
        rp.EndSession(ticket)
        rp.CloseConnection()
    finally:
        httpd.shutdown()
        thread.join(5)


def test_a_lost_response_where_the_connection_cannot_be_closed(qb: FakeQuickBooks) -> None:
    """Under a WSGI server without a way to drop the connection: the same error, as JSON."""
    client = create_app(qb).test_client()
    client.post(f"{RP}/OpenConnection2", json={"args": ["", "App", 1]})
    ticket = client.post(f"{RP}/BeginSession", json={"args": ["", 2]}).get_json()["result"]
    qb.faults.add({"kind": "lose_response"})
    answer = client.post(f"{RP}/ProcessRequest", json={"args": [ticket, envelope(vendor_add("Lost"))]})
    assert (answer.status_code, answer.get_json()) == (503, com_error(hr.RPC_S_CALL_FAILED))


# -- many clients at once -------------------------------------------------------------------------------------------

def test_concurrent_clients_each_get_their_answers(served: Served) -> None:
    errors: list[BaseException] = []
    refused: list[int] = []

    def client(n: int) -> None:
        try:
            rp = HttpRequestProcessor(served.url, timeout=30)
            rp.OpenConnection2("", f"Client {n}", 1)
            ticket = rp.BeginSession("", 1)
            for i in range(10):
                rs = rp.ProcessRequest(ticket, envelope(vendor_add(f"Vendor {n}-{i}")))
                assert 'statusCode="0"' in rs, rs
                try:
                    rp.ProcessRequest(ticket, "<QBXML><QBXMLMsgsRq>" * 5)
                except hr.ComError as exc:
                    refused.append(exc.qb_hresult)
            rp.EndSession(ticket)
            rp.CloseConnection()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert refused == [hr.PARSE_ERROR] * 60
    assert sorted(served.vendors()) == sorted(f"Vendor {n}-{i}" for n in range(6) for i in range(10))
    assert served.qb.session_count == 0


def test_too_many_connections_are_refused_in_json(qb: FakeQuickBooks) -> None:
    app = create_app(qb)
    server = make_server(app)
    server.max_connections = 2
    with running(server):
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(2)]
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 503 ") and b'"hresult":' in answer
        for sock in held:
            sock.close()
        deadline = time.monotonic() + 10
        while server.connection_count and time.monotonic() < deadline:
            time.sleep(0.01)
        rp = HttpRequestProcessor(server.url, timeout=10)
        assert rp.MajorVersion == 13


def test_a_connection_that_sends_nothing_or_dribbles_is_closed_soon(qb: FakeQuickBooks) -> None:
    server = make_server(create_app(qb))
    server.head_timeout = 0.3
    with running(server):
        silent = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        dribbling = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        started = time.monotonic()
        for piece in (b"POST /qbxmlrp2/x/MajorVersion HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"X-A: 1\r\n"):
            dribbling.sendall(piece)
            time.sleep(0.2)
        assert silent.recv(1024) == b""  # closed, nothing answered
        assert dribbling.recv(1024) in (b"",) and time.monotonic() - started < 3
        silent.close()
        dribbling.close()
        assert HttpRequestProcessor(server.url, timeout=10).MajorVersion == 13


def test_at_the_limit_an_idle_kept_connection_makes_room(qb: FakeQuickBooks) -> None:
    server = make_server(create_app(qb))
    server.max_connections = 2
    with running(server):
        kept = [HttpRequestProcessor(server.url, timeout=10) for _ in range(2)]
        assert [rp.MajorVersion for rp in kept] == [13, 13]  # two connections, kept alive, idle now
        newcomer = HttpRequestProcessor(server.url, timeout=10)
        assert newcomer.MajorVersion == 13  # one idle connection was closed for it
        assert [rp.MajorVersion for rp in kept] == [13, 13]  # the closed one's client connects anew


# -- the command ----------------------------------------------------------------------------------------------------

def test_fakeqb_serve(tmp_path: Path) -> None:
    errors = (tmp_path / "stderr.txt").open("w")
    process = subprocess.Popen([sys.executable, "-m", "fakeqb", "serve", "--port", "0", "--seed", "5"],
                               stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        while line and " at http://" not in line:
            line = process.stdout.readline()
        url = re.search(r"at (http://\S+)", line)
        assert url is not None, (line, (tmp_path / "stderr.txt").read_text())
        rp = HttpRequestProcessor(url.group(1), timeout=30)
        rp.OpenConnection2("", "Serve Test", 1)
        ticket = rp.BeginSession("", 2)
        answer = rp.ProcessRequest(ticket, envelope('<VendorQueryRq metaData="MetaDataOnly"/>'))
        assert int(re.search(r'retCount="(\d+)"', answer).group(1)) > 0  # type: ignore[union-attr]
        rp.EndSession(ticket)
        rp.CloseConnection()
        if sys.platform != "win32":
            process.send_signal(signal.SIGINT)  # Ctrl+C: the server stops, and the command ends well
            assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        errors.close()


def test_fakeqb_serve_refuses_what_it_cannot_serve(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 1
    assert "not a port number: 70000" in capsys.readouterr().err
    assert main(["serve", "--db", "nonsense"]) == 1
    assert "not a database URL" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--port", str(taken.getsockname()[1])]) == 1
        assert "in use" in capsys.readouterr().err
