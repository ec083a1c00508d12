"""fakeqb over HTTP: the QBXMLRP2 surface as a Flask application (and the server `fakeqb serve` runs it with).

    app = create_app(FakeQuickBooks())
    with serve_in_thread(qb) as url:               # a server on a free local port, for tests and tools
        rp = fakeqb.http.client.HttpRequestProcessor(url)

Each client `HttpRequestProcessor` object is one request processor here, named by an id the client chose; it is
made on the first call naming it and dropped on a successful CloseConnection, on DELETE, or after `idle_timeout`
seconds without a call (its session then ends, as when a COM object is released).

    POST   /qbxmlrp2/<id>/<member>   {"args": [...]}  -> 200 {"result": ...}   (methods and properties alike)
    DELETE /qbxmlrp2/<id>                             -> 200 {"result": null}  (release the processor)
    GET    /qbxmlrp2                                  -> the members and their numbers of arguments

Every error is JSON with the fields of the `ComError` the caller raises: {"error": {"hresult", "text", "excepinfo",
"argerror"}}. A call QuickBooks refuses answers 400 with its HRESULT; an unknown member or path 404 with COM's
DISP_E_UNKNOWNNAME, a wrong HTTP method 405 with DISP_E_MEMBERNOTFOUND, a wrong number of arguments
DISP_E_BADPARAMCOUNT, a body that is not {"args": [...]} E_INVALIDARG; a body over MAX_BODY 413 with the parse
error QuickBooks gives an oversized request (0x80040400); anything unexpected 500 with 0x80040402 (logged here).
Arguments are passed to the request processor as they come, so a value of the wrong type gets the same answer as
in process.

When QuickBooks raises RPC_S_CALL_FAILED (a fault rule: "commit, then lose the response"), the connection is closed
without any response, and the client raises that same error for the broken connection.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import flask
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from fakeqb.com import hresults as hr
from fakeqb.com.host import Host
from fakeqb.com.hresults import ComError
from fakeqb.com.processor import RequestProcessor
from fakeqb.control.http import LOOPBACK, control_blueprint
from fakeqb.http.wsgiserver import WSGIApp, WSGIServer
from fakeqb.qbxml.envelope import MAX_REQUEST_CHARS

log = logging.getLogger("fakeqb.server")

#: The request processor's methods and their numbers of arguments, then its properties (no arguments).
METHODS: dict[str, int] = {"OpenConnection": 2, "OpenConnection2": 3, "CloseConnection": 0, "BeginSession": 2,
                           "EndSession": 1, "ProcessRequest": 2, "QBXMLVersionsForSession": 1,
                           "GetCurrentCompanyFileName": 1}
PROPERTIES = ("MajorVersion", "MinorVersion", "ReleaseLevel", "ReleaseNumber", "ConnectionType")
PREFIX = "/qbxmlrp2"
_ID = r"[A-Za-z0-9_-]{1,64}"
_CALL = re.compile(rf"{PREFIX}/({_ID})/([A-Za-z0-9_]{{1,64}})")
#: The largest call body: a request at the core's size limit still fits when JSON escapes every character once
#: (quotes, backslashes, line ends). A body larger than this is refused like a request over the limit.
MAX_BODY = 2 * MAX_REQUEST_CHARS + (1 << 20)
IDLE_TIMEOUT = 30 * 60.0
MAX_PROCESSORS = 1000
_SWEEP_EVERY = 10.0
JSON_TYPE = "application/json"


# -- errors as JSON -------------------------------------------------------------------------------------------------

def com_error(code: int) -> ComError:
    """A COM-level error (RPC, dispatch) as pywin32 raises it: the HRESULT first, no excepinfo."""
    text = hr.DISPATCH_MESSAGES.get(code) or hr.RPC_MESSAGES.get(code) or "Exception occurred."
    return ComError(hr.signed(code), text, None, None)


def error_json(exc: ComError) -> bytes:
    return _dumps({"error": {"hresult": exc.hresult, "text": exc.strerror,
                             "excepinfo": list(exc.excepinfo) if exc.excepinfo is not None else None,
                             "argerror": exc.argerror}})


def status_error(status: int) -> ComError:
    """The error an HTTP error status stands for when it is not the request processor's own answer."""
    if status == 404:
        return com_error(hr.DISP_E_UNKNOWNNAME)
    if status == 405:
        return com_error(hr.DISP_E_MEMBERNOTFOUND)
    if status == 413:
        return ComError.qb(hr.PARSE_ERROR)
    if status == 503:
        return com_error(hr.RPC_S_SERVER_UNAVAILABLE)
    if 400 <= status < 500:
        return com_error(hr.E_INVALIDARG)
    return ComError.qb(hr.UNEXPECTED)


def status_error_body(status: int) -> bytes:
    return error_json(status_error(status))


def _dumps(value: Any) -> bytes:
    """JSON in UTF-8; text that UTF-8 cannot carry (lone surrogates) is escaped instead."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")


# -- the request processors -----------------------------------------------------------------------------------------

@dataclass
class _Entry:
    processor: RequestProcessor
    used: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    ticket: str | None = None  # the session it began, ended when the entry is dropped


class Processors:
    """The request processors of the connected clients, by id."""

    def __init__(self, company: Host, idle_timeout: float = IDLE_TIMEOUT, limit: int = MAX_PROCESSORS):
        self.company, self.idle_timeout, self.limit = company, idle_timeout, limit
        self.clock: Callable[[], float] = time.monotonic  # seconds, for idle times
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._swept = self.clock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, rp_id: str) -> _Entry | None:
        """The processor named `rp_id`, made if there is none; None when there are `limit` already and each has a
        session open (one client's processors never end another's session to make room)."""
        now = self.clock()
        if now - self._swept > min(_SWEEP_EVERY, self.idle_timeout):
            self.sweep(now)
        with self._lock:
            entry = self._entries.get(rp_id)
            if entry is None:
                if len(self._entries) >= self.limit:
                    idle = [key for key, e in self._entries.items() if e.ticket is None and not e.lock.locked()]
                    if not idle:
                        return None
                    self._entries.pop(min(idle, key=lambda key: self._entries[key].used))
                entry = self._entries[rp_id] = _Entry(RequestProcessor(self.company), now)
            entry.used = now
            return entry

    def drop(self, rp_id: str, entry: _Entry | None = None) -> bool:
        """Release the processor `rp_id` (only if it is still `entry`, when given); its session ends."""
        with self._lock:
            current = self._entries.get(rp_id)
            if current is None or (entry is not None and current is not entry):
                return False
            del self._entries[rp_id]
        self._release(current)
        return True

    def sweep(self, now: float | None = None) -> int:
        """Release the processors idle for longer than `idle_timeout`; returns how many."""
        now = self.clock() if now is None else now
        self._swept = now
        with self._lock:
            idle = [(key, e) for key, e in self._entries.items() if now - e.used > self.idle_timeout]
        released = 0
        for key, entry in idle:
            if entry.lock.acquire(blocking=False):  # a call in progress keeps it
                try:
                    released += self.drop(key, entry)
                finally:
                    entry.lock.release()
        return released

    def clear(self) -> None:
        """Release every processor."""
        with self._lock:
            entries, self._entries = list(self._entries.values()), {}
        for entry in entries:
            self._release(entry)

    def serve(self, company: Host) -> None:
        """Serve another company from now on (as when QuickBooks opens another file): every processor is released."""
        self.clear()
        self.company = company

    def _release(self, entry: _Entry) -> None:
        if entry.ticket is not None:
            self.company.end_session(entry.ticket)
            entry.ticket = None


class Calls:
    """Answers one call: (HTTP status, JSON body)."""

    def __init__(self, processors: Processors):
        self.processors = processors

    def answer(self, rp_id: str, member: str, body: bytes, environ: dict[str, Any]) -> tuple[int, bytes]:
        try:
            return self._answer(rp_id, member, body, environ)
        except Exception:
            log.exception("unexpected error answering %s", member)
            return 500, error_json(ComError.qb(hr.UNEXPECTED))

    def _answer(self, rp_id: str, member: str, body: bytes, environ: dict[str, Any]) -> tuple[int, bytes]:
        arity = METHODS.get(member, 0 if member in PROPERTIES else None)
        if arity is None:
            return 404, error_json(com_error(hr.DISP_E_UNKNOWNNAME))
        args = _arguments(body)
        if args is None:
            return 400, error_json(com_error(hr.E_INVALIDARG))
        if len(args) != arity:
            return 400, error_json(com_error(hr.DISP_E_BADPARAMCOUNT))
        entry = self.processors.get(rp_id)
        if entry is None:  # as a COM server that can make no more objects: nothing was done
            return 503, error_json(com_error(hr.RPC_S_SERVER_UNAVAILABLE))
        with entry.lock:
            try:
                if member in PROPERTIES:
                    result = getattr(entry.processor, member)
                else:
                    result = getattr(entry.processor, member)(*args)
            except ComError as exc:
                if exc.excepinfo is None and exc.hresult == hr.signed(hr.RPC_S_CALL_FAILED) and _drop(environ):
                    return 503, b""  # never sent: the connection is closed instead
                status = 503 if exc.excepinfo is None else 500 if exc.qb_hresult == hr.UNEXPECTED else 400
                return status, error_json(exc)
            finally:
                entry.used = self.processors.clock()
            if member == "BeginSession":
                entry.ticket = result
            elif member == "EndSession":
                entry.ticket = None
        if member == "CloseConnection":
            entry.ticket = None
            self.processors.drop(rp_id, entry)
        return 200, _dumps({"result": list(result) if isinstance(result, tuple) else result})


def _arguments(body: bytes) -> list[Any] | None:
    """The call's arguments from its body ({"args": [...]}; an empty body is no arguments), or None."""
    if not body.strip():
        return []
    try:
        call = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(call, dict) or set(call) - {"args"} or not isinstance(call.get("args", []), list):
        return None
    return list(call.get("args", []))


def _drop(environ: dict[str, Any]) -> bool:
    """Close the connection without a response, if the server running the app allows it."""
    drop = environ.get("fakeqb.drop_connection")
    if drop is not None:
        drop()
        return True
    sock = environ.get("werkzeug.socket")  # werkzeug's development server
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        return True
    return False


class _CallsFirst:
    """Answers well-formed calls before Flask's routing (the answers are the Flask view's; a sync makes thousands of
    calls, and this saves most of the cost per call); every other request goes to Flask."""

    def __init__(self, app: WSGIApp, calls: Calls, max_body: int):
        self.app, self.calls, self.max_body = app, calls, max_body

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST":
            match = _CALL.fullmatch(environ.get("PATH_INFO", ""))
            length = environ.get("CONTENT_LENGTH") or ""
            if match is not None and length.isdigit() and int(length) <= self.max_body:
                status, payload = self.calls.answer(match[1], match[2], environ["wsgi.input"].read(int(length)),
                                                    environ)
                start_response(f"{status} {_REASONS.get(status, 'Error')}",
                               [("Content-Type", JSON_TYPE), ("Content-Length", str(len(payload)))])
                return [payload]
        return self.app(environ, start_response)


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error",
            503: "Service Unavailable"}


# -- the application ------------------------------------------------------------------------------------------------

def create_app(company: Host, *, idle_timeout: float = IDLE_TIMEOUT, max_processors: int = MAX_PROCESSORS,
               max_body: int = MAX_BODY, control_token: str | None = None,
               names: frozenset[str] = LOOPBACK) -> flask.Flask:
    """The Flask application serving `company`: the QBXMLRP2 surface at /qbxmlrp2, the control plane at /control
    for callers with `control_token` (a new random one when None: `app.config["CONTROL_TOKEN"]`) naming the server
    by one of `names`."""
    app = flask.Flask("fakeqb")
    app.config["CONTROL_TOKEN"] = control_token = control_token or new_token()
    processors = Processors(company, idle_timeout, max_processors)
    calls = Calls(processors)
    app.extensions["fakeqb"] = processors

    def json_response(status: int, payload: bytes) -> flask.Response:
        return flask.Response(payload, status=status, content_type=JSON_TYPE)

    @app.get(PREFIX)
    def members() -> flask.Response:
        return json_response(200, _dumps({"methods": METHODS, "properties": list(PROPERTIES),
                                          "processors": len(processors)}))

    @app.post(f"{PREFIX}/<rp_id>/<member>")
    def call(rp_id: str, member: str) -> flask.Response:
        if _CALL.fullmatch(f"{PREFIX}/{rp_id}/{member}") is None:
            return json_response(404, error_json(com_error(hr.DISP_E_UNKNOWNNAME)))
        # the limit is the calls' own (not the application's): the control plane takes large snapshots
        if (flask.request.content_length or 0) > max_body:
            raise RequestEntityTooLarge()
        body = flask.request.stream.read(max_body + 1)
        if len(body) > max_body:
            raise RequestEntityTooLarge()
        return json_response(*calls.answer(rp_id, member, body, flask.request.environ))

    @app.delete(f"{PREFIX}/<rp_id>")
    def release(rp_id: str) -> flask.Response:
        processors.drop(rp_id)
        return json_response(200, _dumps({"result": None}))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> flask.Response:
        return json_response(exc.code or 500, status_error_body(exc.code or 500))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> flask.Response:
        log.error("unexpected error on %s %s", flask.request.method, flask.request.path, exc_info=exc)
        return json_response(500, error_json(ComError.qb(hr.UNEXPECTED)))

    app.register_blueprint(control_blueprint(company, control_token, names))
    app.wsgi_app = _CallsFirst(app.wsgi_app, calls, max_body)  # type: ignore[method-assign]
    return app


# -- running it -----------------------------------------------------------------------------------------------------

def make_server(app: WSGIApp, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """A threaded keep-alive HTTP server for `app` (port 0: a free port; see `.url`), not yet serving."""
    return WSGIServer((host, port), app, error_body=status_error_body)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def serve(company: Host, host: str = "127.0.0.1", port: int = 0, ready: Callable[[str], None] | None = None,
          control_token: str | None = None) -> None:
    """Serve `company` until interrupted (Ctrl+C); `ready` is told the URL once the server listens."""
    names = LOOPBACK if host in LOOPBACK else LOOPBACK | {host.strip("[]").lower()}
    server = make_server(create_app(company, control_token=control_token, names=names), host, port)
    try:
        if ready is not None:
            ready(server.url)
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@contextmanager
def serve_in_thread(target: Host | WSGIApp, host: str = "127.0.0.1", port: int = 0,
                    control_token: str | None = None) -> Iterator[str]:
    """Serve a company (or an application) from a background thread; yields its URL, stops on exit. The control
    plane takes `control_token` (by default a random one nobody knows)."""
    app = create_app(target, control_token=control_token) if isinstance(target, Host) else target
    with running(make_server(app, host, port)) as server:
        yield server.url


@contextmanager
def running(server: WSGIServer) -> Iterator[WSGIServer]:
    """Run `server` in a background thread for the duration of the block."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fakeqb-server",
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
