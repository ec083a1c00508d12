"""`HttpRequestProcessor`: the request processor surface over HTTP, the same as in process down to the error args.

Each scenario runs through an in-process `RequestProcessor` and through an `HttpRequestProcessor` on a company of its
own, and must give the same results and raise the same `ComError`s (args equal). Then what only HTTP has: the
connection, its loss, and the server going away.
"""

from __future__ import annotations

import gc
import inspect
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fakeqb import ComError, FakeQuickBooks
from fakeqb.com import hresults as hr
from fakeqb.com.client import envelope
from fakeqb.com.processor import RequestProcessor
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import create_app, make_server, running, serve_in_thread
from tests.test_processor import vendor_add

RPC_CALL_FAILED = (hr.signed(hr.RPC_S_CALL_FAILED), "The remote procedure call failed.", None, None)
RPC_SERVER_UNAVAILABLE = (hr.signed(hr.RPC_S_SERVER_UNAVAILABLE), "The RPC server is unavailable.", None, None)
TICKET = re.compile(r"\{[0-9a-f-]{36}\}")


@pytest.fixture
def http(qb: FakeQuickBooks) -> Iterator[HttpRequestProcessor]:
    with serve_in_thread(qb) as url:
        yield HttpRequestProcessor(url, timeout=10)


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "result", call()
    except ComError as exc:
        return "error", exc.args


# -- the same surface, the same answers -----------------------------------------------------------------------------

def public(cls: type) -> dict[str, str]:
    """Public members and what they are: a method's parameters, or "property"."""
    members = {}
    for name, value in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        if callable(value):
            members[name] = str(inspect.signature(value))
        else:
            members[name] = "property"
    return members


def test_the_same_methods_and_properties() -> None:
    in_process, over_http = public(RequestProcessor), public(HttpRequestProcessor)
    assert set(in_process) == set(over_http)
    for name, kind in in_process.items():
        assert over_http[name].split(" ->")[0] == kind.split(" ->")[0], name


def scenario(rp: Any) -> list[tuple[str, Any]]:
    """Every method, in and out of order, with good and bad arguments; the outcome of each call."""
    ticket: list[str] = []
    calls: list[Callable[[], Any]] = [
        lambda: (rp.MajorVersion, rp.MinorVersion, rp.ReleaseLevel, rp.ReleaseNumber, rp.ConnectionType),
        lambda: rp.BeginSession("", 2), lambda: rp.ProcessRequest("", "x"), lambda: rp.CloseConnection(),
        lambda: rp.OpenConnection2("", "", 1), lambda: rp.OpenConnection2("", "App", 2),
        lambda: rp.OpenConnection("", "App"), lambda: rp.OpenConnection2("", "App", 1),
        lambda: rp.ProcessRequest("", envelope("<VendorQueryRq/>")), lambda: rp.BeginSession("", 7),
        lambda: rp.BeginSession(r"C:\Other.qbw", 2), lambda: ticket.append(rp.BeginSession("", 1)),
        lambda: rp.BeginSession("", 1), lambda: rp.ProcessRequest("{bad}", envelope("<VendorQueryRq/>")),
        lambda: rp.GetCurrentCompanyFileName(ticket[0]), lambda: rp.QBXMLVersionsForSession(ticket[0]),
        lambda: rp.ProcessRequest(ticket[0], envelope(vendor_add("Café ☕ 𝄞 <&>"))),
        lambda: rp.ProcessRequest(ticket[0], envelope(vendor_add("Lone \ud800 surrogate"))),
        lambda: rp.ProcessRequest(ticket[0], envelope(vendor_add("x"), "99.0")),
        lambda: rp.ProcessRequest(ticket[0], envelope(vendor_add("x"), on_error="rollbackOnError")),
        lambda: rp.ProcessRequest(ticket[0], "<?xml version='1.0' encoding='ISO-8859-1'?>\n<?qbxml version=\"13.0\"?>"
                                             "<QBXML><QBXMLMsgsRq onError=\"stopOnError\">" + vendor_add("Zoë")
                                  + "</QBXMLMsgsRq></QBXML>"),
        lambda: rp.ProcessRequest(ticket[0], envelope("<VendorQueryRq><ActiveStatus>All</ActiveStatus>"
                                                      "</VendorQueryRq>")),
        lambda: rp.ProcessRequest(ticket[0], None), lambda: rp.ProcessRequest(ticket[0], 42),
        lambda: rp.EndSession("{bad}"), lambda: rp.EndSession(ticket[0]), lambda: rp.EndSession(ticket[0]),
        lambda: rp.CloseConnection(), lambda: rp.CloseConnection(),
        lambda: rp.OpenConnection2("", "Again", 3), lambda: rp.CloseConnection(),
    ]
    return [outcome(call) for call in calls]


def test_the_same_answers_and_errors_as_in_process(http: HttpRequestProcessor) -> None:
    with FakeQuickBooks() as other:
        expected = scenario(other.request_processor())
    got = scenario(http)
    assert [kind for kind, _ in got] == [kind for kind, _ in expected]
    for (_, a), (_, b) in zip(got, expected, strict=True):
        if isinstance(a, str) and a.startswith("{"):  # tickets
            assert TICKET.fullmatch(a) and TICKET.fullmatch(b)
        elif isinstance(a, str):  # responses: the same but for the digits of times
            assert re.sub(r"\d", "0", a) == re.sub(r"\d", "0", b)
        else:
            assert a == b


def test_arguments_are_checked_like_python_and_pywin32(http: HttpRequestProcessor) -> None:
    with pytest.raises(TypeError):
        http.ProcessRequest("ticket")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        http.ProcessRequest("ticket", object())  # type: ignore[arg-type]


def test_one_object_from_several_threads(http: HttpRequestProcessor, qb: FakeQuickBooks) -> None:
    http.OpenConnection2("", "Threads", 1)
    ticket = http.BeginSession("", 2)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                assert 'statusCode="0"' in http.ProcessRequest(ticket, envelope(vendor_add(f"T{n}-{i}")))
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures
    assert http.ProcessRequest(ticket, envelope('<VendorQueryRq metaData="MetaDataOnly"/>')).count(
        'retCount="60"') == 1
    http.EndSession(ticket)
    http.CloseConnection()


def test_a_released_object_ends_its_session(http: HttpRequestProcessor, qb: FakeQuickBooks) -> None:
    rp = HttpRequestProcessor(http.url)
    rp.OpenConnection2("", "Forgetful", 1)
    rp.BeginSession("", 0)  # single-user: nobody else gets in while it lasts
    assert qb.session_count == 1
    del rp
    gc.collect()
    assert qb.session_count == 0


# -- the connection -------------------------------------------------------------------------------------------------

def test_a_lost_response_is_the_same_error_as_in_process(http: HttpRequestProcessor, qb: FakeQuickBooks) -> None:
    in_process = qb.request_processor()
    in_process.OpenConnection2("", "In process", 1)
    local = in_process.BeginSession("", 2)
    http.OpenConnection2("", "Over HTTP", 1)
    remote = http.BeginSession("", 2)
    lost = []
    for rp, ticket, name in ((in_process, local, "Here"), (http, remote, "There")):
        qb.faults.add({"kind": "lose_response", "request_type": "VendorAddRq"})
        with pytest.raises(ComError) as info:
            rp.ProcessRequest(ticket, envelope(vendor_add(name)))
        lost.append(info.value.args)
    assert lost == [RPC_CALL_FAILED, RPC_CALL_FAILED]
    # both were committed, and the session goes on over a new connection
    names = http.ProcessRequest(remote, envelope("<VendorQueryRq/>"))
    assert "<Name>Here</Name>" in names and "<Name>There</Name>" in names


def test_an_rpc_failure_before_the_call_is_the_same_too(http: HttpRequestProcessor, qb: FakeQuickBooks) -> None:
    qb.faults.add({"kind": "hresult", "method": "OpenConnection", "hresult": hr.RPC_S_CALL_FAILED})
    with pytest.raises(ComError) as info:
        http.OpenConnection2("", "App", 1)
    assert info.value.args == RPC_CALL_FAILED
    http.OpenConnection2("", "App", 1)
    assert http.BeginSession("", 2)


def test_no_server_is_rpc_server_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens on it
    rp = HttpRequestProcessor(f"http://127.0.0.1:{port}", timeout=5)
    for call in (lambda: rp.OpenConnection2("", "App", 1), lambda: rp.MajorVersion):
        with pytest.raises(ComError) as info:
            call()
        assert info.value.args == RPC_SERVER_UNAVAILABLE


def fake_server(answer: Callable[[socket.socket], None]) -> tuple[str, threading.Thread]:
    """A server that accepts one connection, reads a little and does `answer` with it."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            answer(conn)
        listener.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", thread


@pytest.mark.parametrize("answer", [
    lambda conn: None,  # closed without a response
    lambda conn: conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"),  # reset
    lambda conn: conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\": "),  # cut short
    lambda conn: conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 14\r\n\r\n"
                              b"<h1>oops</h1>\n"),  # not fakeqb's answer
    lambda conn: conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n"),  # not HTTP
    lambda conn: conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{"result": 13, '),  # bad JSON
    lambda conn: conn.sendall(b'HTTP/1.1 400 Bad\r\nContent-Length: 12\r\n\r\n{"error": 1}'),  # bad error
    lambda conn: time.sleep(0.3),  # no answer in time
], ids=["closed", "reset", "truncated", "proxy-page", "not-http", "bad-json", "bad-error", "timeout"])
def test_a_broken_answer_is_rpc_call_failed(answer: Callable[[socket.socket], None]) -> None:
    url, thread = fake_server(answer)
    rp = HttpRequestProcessor(url, timeout=0.1)
    with pytest.raises(ComError) as info:
        rp.OpenConnection2("", "App", 1)
    assert info.value.args == RPC_CALL_FAILED
    thread.join(5)


def test_a_chunked_answer_is_read() -> None:
    url, thread = fake_server(lambda conn: conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                        b'5\r\n{"res\r\n8;x=1\r\nult": 13\r\n1\r\n}\r\n0\r\n\r\n'))
    assert HttpRequestProcessor(url, timeout=2).MajorVersion == 13
    thread.join(5)


def test_a_connection_the_server_closed_while_idle_is_opened_again(qb: FakeQuickBooks) -> None:
    server = make_server(create_app(qb))
    server.idle_timeout = 0.05
    with running(server):
        rp = HttpRequestProcessor(server.url, timeout=5)
        rp.OpenConnection2("", "Patient", 1)
        ticket = rp.BeginSession("", 2)
        deadline = time.monotonic() + 10
        while server.connection_count and time.monotonic() < deadline:  # the server closes the idle connection
            time.sleep(0.01)
        assert 'statusCode="1"' in rp.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))
        rp.EndSession(ticket)
        rp.CloseConnection()


def test_the_server_going_away_and_coming_back(qb: FakeQuickBooks) -> None:
    app = create_app(qb)
    server = make_server(app)
    port = server.port
    with running(server):
        rp = HttpRequestProcessor(server.url, timeout=5)
        rp.OpenConnection2("", "Survivor", 1)
        ticket = rp.BeginSession("", 2)
    with pytest.raises(ComError) as info:
        rp.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))
    assert info.value.args == RPC_SERVER_UNAVAILABLE
    with running(make_server(app, port=port)):  # the same QuickBooks again: the processor and its session are kept
        assert 'statusCode="1"' in rp.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))


def test_a_connection_idle_for_long_is_not_reused(http: HttpRequestProcessor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rather than risk a call crossing the server closing it, a connection idle for long is opened anew."""
    http.OpenConnection2("", "Sleepy", 1)
    first = http._conn
    monkeypatch.setattr("fakeqb.http.client.REUSE_WITHIN", 0.0)
    ticket = http.BeginSession("", 2)
    assert http._conn is not first and 'statusCode="1"' in http.ProcessRequest(ticket, envelope("<VendorQueryRq/>"))
    http.EndSession(ticket)
    http.CloseConnection()
