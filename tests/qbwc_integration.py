"""A reference QuickBooks Web Connector integration, written the way such services are written: a SOAP service (spyne)
implementing the eight methods of Intuit's WSDL, served on a real local HTTP server.

Its job, once authenticated: page through the company's customers with an iterator (CustomerQueryRq, `page_size` a
page), look up a service item, then add one invoice for each of the first `invoice_count` customers it found (and
one for `bad_customer`, a name the company does not have, to exercise its error handling). qbXML status errors are
recorded and the work goes on; an HRESULT in receiveResponseXML stops it (percentage -1, the message through
getLastError). What it saw is kept on the `Integration` object for the tests; switches make it answer the other ways
QBWC allows (nvu, none, busy, postponements, company files, clientVersion warnings, NoOp) and `misbehave` makes the
HTTP endpoint fail as broken services do (slow, garbage, a SOAP fault, a dropped connection).
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree
from spyne import Application, Array, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

PATH = "/qbwc"
QBXML = '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">{}' \
        '</QBXMLMsgsRq></QBXML>'


@dataclass
class Job:
    """One Web Connector session's work: steps done in order."""

    steps: list[str]
    done: int = 0
    iterator_id: str | None = None
    item: str | None = None
    last_error: str = ""
    noop_left: int = 0

    @property
    def percent(self) -> int:
        return 100 if self.done >= len(self.steps) else self.done * 100 // len(self.steps)


@dataclass
class Integration:
    """The integration's settings (what a test sets up) and what it saw (what a test checks)."""

    username: str = "acme"
    password: str = "secret"
    company_file: str = ""  # authenticate's answer: "" = the file open in QuickBooks
    fallback_files: list[str] = field(default_factory=list)  # connectionError's answers, then "done"
    page_size: int = 3
    invoice_count: int = 2
    bad_customer: str | None = "No Such Customer"
    auth_status: str | None = None  # "none", "busy", "nvu": authenticate's status instead of a company file
    auth_extra: list[str] = field(default_factory=list)  # authenticate's third and fourth values
    auth_values: list[str] | None = None  # authenticate's whole answer, as given
    client_version_answer: str = ""
    noop_first: int = 0  # the first N sendRequestXML calls answer "" and getLastError "NoOp"
    empty_error: str | None = None  # sendRequestXML answers "" and getLastError this, instead of any work
    misbehave: dict[str, str] = field(default_factory=dict)  # method -> slow | garbage | html | fault | drop | 404
    slow_seconds: float = 2.0
    # what it saw
    calls: list[str] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    send_args: list[dict[str, Any]] = field(default_factory=list)
    responses: list[tuple[str, str, str]] = field(default_factory=list)  # (response, hresult, message)
    customers: list[str] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)  # TxnIDs of the invoices added
    errors: list[str] = field(default_factory=list)
    connection_errors: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    jobs: dict[str, Job] = field(default_factory=dict)

    # -- the work ---------------------------------------------------------------------------------------------------
    def authenticate(self, user: str, password: str) -> list[str]:
        if self.auth_values is not None:
            return self.auth_values
        if (user, password) != (self.username, self.password):
            return ["", "nvu"]
        ticket = str(uuid.uuid4())
        steps = ["customers", "item"] + [f"invoice {i}" for i in range(self.invoice_count)]
        steps += ["bad invoice"] if self.bad_customer else []
        self.jobs[ticket] = Job(steps, noop_left=self.noop_first)
        return [ticket, self.auth_status if self.auth_status is not None else self.company_file, *self.auth_extra]

    def request(self, ticket: str, args: dict[str, Any]) -> str:
        self.send_args.append(args)
        job = self.jobs.get(ticket)
        if job is None:
            return ""
        if self.empty_error is not None:
            job.last_error = self.empty_error
            return ""
        if job.noop_left:
            job.noop_left -= 1
            job.last_error = "NoOp"
            return ""
        if job.done >= len(job.steps):
            return ""
        step = job.steps[job.done]
        if step == "customers":
            start = (f'iterator="Continue" iteratorID="{job.iterator_id}"' if job.iterator_id
                     else 'iterator="Start"')
            return QBXML.format(f'<CustomerQueryRq requestID="1" {start}><MaxReturned>{self.page_size}</MaxReturned>'
                                "</CustomerQueryRq>")
        if step == "item":
            return QBXML.format('<ItemServiceQueryRq requestID="2"><MaxReturned>1</MaxReturned></ItemServiceQueryRq>')
        if step == "bad invoice":
            return self._invoice(self.bad_customer or "", job, 99)
        index = int(step.split()[1])
        if index >= len(self.customers):  # fewer customers than invoices to add
            job.done += 1
            return self.request(ticket, args)
        return self._invoice(self.customers[index], job, index)

    def _invoice(self, customer: str, job: Job, index: int) -> str:
        return QBXML.format(
            f'<InvoiceAddRq requestID="inv{index}"><InvoiceAdd><CustomerRef><FullName>{customer}</FullName>'
            f"</CustomerRef><TxnDate>2024-03-01</TxnDate><RefNumber>WC-{index + 1}</RefNumber><InvoiceLineAdd>"
            f"<ItemRef><FullName>{job.item}</FullName></ItemRef><Quantity>1</Quantity>"
            f"<Rate>{100 + index}.00</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")

    def response(self, ticket: str, response: str, hresult: str, message: str) -> int:
        self.responses.append((response, hresult, message))
        job = self.jobs.get(ticket)
        if job is None:
            return -1
        if hresult:
            job.last_error = f"QuickBooks could not process the request: {hresult} {message}"
            self.errors.append(f"{hresult}: {message}")
            return -1
        rs = etree.fromstring(response.encode()).find("QBXMLMsgsRs")[0]
        step = job.steps[job.done]
        if rs.get("statusSeverity") == "Error":
            self.errors.append(f"{rs.tag} {rs.get('statusCode')}: {rs.get('statusMessage')}")
        elif step == "customers":
            self.customers += [ret.findtext("FullName") or "" for ret in rs.iterfind("CustomerRet")]
            job.iterator_id = rs.get("iteratorID")
            if int(rs.get("iteratorRemainingCount") or 0) > 0:
                return job.percent
        elif step == "item":
            job.item = rs.findtext("ItemServiceRet/FullName")
        elif step.startswith(("invoice", "bad")):
            self.invoices.append(rs.findtext("InvoiceRet/TxnID") or "")
        job.done += 1
        return job.percent

    def last_error(self, ticket: str) -> str:
        job = self.jobs.get(ticket)
        return job.last_error if job is not None else "unknown ticket"

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        self.connection_errors.append((hresult, message))
        return self.fallback_files.pop(0) if self.fallback_files else "done"

    def close(self, ticket: str) -> str:
        self.closed.append(ticket)
        job = self.jobs.pop(ticket, None)
        return f"OK: {len(self.invoices)} invoice(s) added" if job is not None else "OK"


def soap_application(integration: Integration) -> WsgiApplication:
    """The integration's spyne application: the WSDL's eight methods, bound to `integration`."""

    class QBWebConnectorSvc(ServiceBase):
        @rpc(Unicode, _returns=Unicode)
        def serverVersion(ctx, strVersion):
            integration.calls.append("serverVersion")
            return "reference integration 1.0"

        @rpc(Unicode, _returns=Unicode)
        def clientVersion(ctx, strVersion):
            integration.calls.append("clientVersion")
            return integration.client_version_answer

        @rpc(Unicode, Unicode, _returns=Array(Unicode))
        def authenticate(ctx, strUserName, strPassword):
            integration.calls.append("authenticate")
            return integration.authenticate(strUserName or "", strPassword or "")

        @rpc(Unicode, Unicode, Unicode, Unicode, Integer, Integer, _returns=Unicode)
        def sendRequestXML(ctx, ticket, strHCPResponse, strCompanyFileName, qbXMLCountry,
                           qbXMLMajorVers, qbXMLMinorVers):
            integration.calls.append("sendRequestXML")
            return integration.request(ticket or "", {
                "strHCPResponse": strHCPResponse or "", "strCompanyFileName": strCompanyFileName,
                "qbXMLCountry": qbXMLCountry, "qbXMLMajorVers": qbXMLMajorVers, "qbXMLMinorVers": qbXMLMinorVers})

        @rpc(Unicode, Unicode, Unicode, Unicode, _returns=Integer)
        def receiveResponseXML(ctx, ticket, response, hresult, message):
            integration.calls.append("receiveResponseXML")
            return integration.response(ticket or "", response or "", hresult or "", message or "")

        @rpc(Unicode, Unicode, Unicode, _returns=Unicode)
        def connectionError(ctx, ticket, hresult, message):
            integration.calls.append("connectionError")
            return integration.connection_error(ticket or "", hresult or "", message or "")

        @rpc(Unicode, _returns=Unicode)
        def getLastError(ctx, ticket):
            integration.calls.append("getLastError")
            return integration.last_error(ticket or "")

        @rpc(Unicode, _returns=Unicode)
        def closeConnection(ctx, ticket):
            integration.calls.append("closeConnection")
            return integration.close(ticket or "")

    app = Application([QBWebConnectorSvc], tns="http://developer.intuit.com/", name="QBWebConnectorSvc",
                      in_protocol=Soap11(validator="lxml"), out_protocol=Soap11())
    return WsgiApplication(app)


def misbehaving(integration: Integration, app: Callable[..., Any]) -> Callable[..., Any]:
    """The WSGI application around `app`: records each call's body, fails as `integration.misbehave` says."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") != PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not here"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        integration.raw.append(body)
        method = environ.get("HTTP_SOAPACTION", "").strip('"').rsplit("/", 1)[-1]
        how = integration.misbehave.get(method)
        if how == "drop":  # the connection closes without an answer
            integration.calls.append(f"{method} (dropped)")
            sock: socket.socket = environ["test.socket"]
            sock.shutdown(socket.SHUT_RDWR)
            raise ConnectionAbortedError
        if how in ("garbage", "html", "fault", "404"):
            integration.calls.append(f"{method} ({how})")
            status, kind, text = {
                "garbage": ("200 OK", "text/xml; charset=utf-8", b"<soap:Envelope><oops"),
                "html": ("200 OK", "text/html", b"<html><body>Welcome</body></html>"),
                "404": ("404 Not Found", "text/html", b"<html>no</html>"),
                "fault": ("500 Internal Server Error", "text/xml; charset=utf-8",
                          b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                          b"<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process "
                          b"request. ---&gt; Object reference not set to an instance of an object.</faultstring>"
                          b"</soap:Fault></soap:Body></soap:Envelope>"),
            }[how]
            start_response(status, [("Content-Type", kind), ("Content-Length", str(len(text)))])
            return [text]
        if how == "slow":
            time.sleep(integration.slow_seconds)
        environ["wsgi.input"] = _Body(body)
        return app(environ, start_response)

    return wsgi


class _Body:
    def __init__(self, data: bytes):
        self._data = data

    def read(self, size: int = -1) -> bytes:
        data, self._data = (self._data, b"") if size < 0 else (self._data[:size], self._data[size:])
        return data


class _Handler(WSGIRequestHandler):
    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ["test.socket"] = self.connection
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        with suppress(OSError):
            super().handle()


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def serve(integration: Integration) -> Iterator[str]:
    """The integration on a local HTTP server for the length of the block; yields its URL (on localhost, as QBWC
    accepts http:// only there)."""
    server = make_server("127.0.0.1", 0, misbehaving(integration, soap_application(integration)),
                         server_class=_Server, handler_class=_Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}{PATH}"
    finally:
        server.shutdown()
        server.server_close()
