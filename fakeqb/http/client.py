"""The QBXMLRP2 request processor surface over HTTP: a client for `fakeqb serve` (see `fakeqb.server`).

    rp = HttpRequestProcessor("http://127.0.0.1:8765")
    rp.OpenConnection2("", "My App", 1)
    ticket = rp.BeginSession("", 2)
    response = rp.ProcessRequest(ticket, request_xml)
    rp.EndSession(ticket)
    rp.CloseConnection()

It has the methods and properties of `fakeqb.com.processor.RequestProcessor` and raises the same `ComError`s with the
same args. Calls go over one kept-alive HTTP/1.1 connection per object (opened again when needed, closed after
CloseConnection). A connection that breaks is a `ComError` in pywin32's RPC-failure shape (`excepinfo` None):

    RPC_S_SERVER_UNAVAILABLE (0x800706BA)  the server could not be reached: the call was not sent
    RPC_S_CALL_FAILED (0x800706BE)         the call was sent and no answer came back (reset, closed, timed out,
                                           or not fakeqb's answer): whether QuickBooks did it is unknown

ASSUMPTION: those are the errors pywin32 raises when QuickBooks is not there, and when it goes away during a call.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from fakeqb.com import hresults as hr
from fakeqb.com.hresults import ComError

DEFAULT_TIMEOUT = 300.0
#: A kept connection idle for longer is opened anew before a call, rather than risk a call crossing the server's
#: closing of it (the server closes connections idle for 120 s): such a call would fail with nothing done.
REUSE_WITHIN = 60.0
PREFIX = "/qbxmlrp2"
_MAX_LINE = 65537
_MAX_HEADERS = 100


def _broken(code: int) -> ComError:
    return ComError(hr.signed(code), hr.RPC_MESSAGES[code], None, None)


def _body(args: tuple[Any, ...]) -> bytes:
    """The call's JSON body; raises TypeError for a value JSON cannot carry (as pywin32 does for a VARIANT)."""
    try:
        return json.dumps({"args": args}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: escaped, so the server gets the very same text
        return json.dumps({"args": args}, separators=(",", ":")).encode("ascii")


class HttpRequestProcessor:
    """One QBXMLRP2 request processor object, served by a fakeqb server at `url`."""

    def __init__(self, url: str, timeout: float | None = DEFAULT_TIMEOUT):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"not an http:// URL: {url!r}")
        self.url, self.timeout = url, timeout
        self._host, self._port = parts.hostname, parts.port or 80
        self._path = f"{parts.path.rstrip('/')}{PREFIX}/{uuid.uuid4().hex}"
        self._conn: _Connection | None = None
        self._lock = threading.Lock()
        self._connected = False  # OpenConnection succeeded and CloseConnection was not called since

    # -- the QBXMLRP2 surface ---------------------------------------------------------------------------------------
    def OpenConnection(self, appID: str, appName: str) -> None:  # noqa: N802, N803
        self._call("OpenConnection", appID, appName)
        self._connected = True

    def OpenConnection2(self, appID: str, appName: str, connPref: int) -> None:  # noqa: N802, N803
        self._call("OpenConnection2", appID, appName, connPref)
        self._connected = True

    def CloseConnection(self) -> None:  # noqa: N802
        try:
            self._call("CloseConnection")
            self._connected = False
        finally:
            self._disconnect()

    def BeginSession(self, qbFileName: str, reqFileMode: int) -> str:  # noqa: N802, N803
        return self._call("BeginSession", qbFileName, reqFileMode)  # type: ignore[no-any-return]

    def EndSession(self, ticket: str) -> None:  # noqa: N802
        self._call("EndSession", ticket)

    def GetCurrentCompanyFileName(self, ticket: str) -> str:  # noqa: N802
        return self._call("GetCurrentCompanyFileName", ticket)  # type: ignore[no-any-return]

    def QBXMLVersionsForSession(self, ticket: str) -> tuple[str, ...]:  # noqa: N802
        return tuple(self._call("QBXMLVersionsForSession", ticket))

    def ProcessRequest(self, ticket: str, inputRequest: str) -> str:  # noqa: N802, N803
        return self._call("ProcessRequest", ticket, inputRequest)  # type: ignore[no-any-return]

    @property
    def MajorVersion(self) -> int:  # noqa: N802
        return self._call("MajorVersion")  # type: ignore[no-any-return]

    @property
    def MinorVersion(self) -> int:  # noqa: N802
        return self._call("MinorVersion")  # type: ignore[no-any-return]

    @property
    def ReleaseLevel(self) -> int:  # noqa: N802
        return self._call("ReleaseLevel")  # type: ignore[no-any-return]

    @property
    def ReleaseNumber(self) -> int:  # noqa: N802
        return self._call("ReleaseNumber")  # type: ignore[no-any-return]

    @property
    def ConnectionType(self) -> int:  # noqa: N802
        return self._call("ConnectionType")  # type: ignore[no-any-return]

    # -- HTTP -------------------------------------------------------------------------------------------------------
    def _call(self, member: str, *args: Any) -> Any:
        body = _body(args)
        with self._lock:
            status, data = self._exchange("POST", f"{self._path}/{member}", body)
        try:
            answer = json.loads(data)
            if status == 200 and set(answer) == {"result"}:
                return answer["result"]
            error = answer["error"]
            excepinfo = error["excepinfo"]
            exc = ComError(int(error["hresult"]), str(error["text"]),
                           tuple(excepinfo) if excepinfo is not None else None, error["argerror"])
        except (ValueError, KeyError, TypeError):
            raise _broken(hr.RPC_S_CALL_FAILED) from None  # not fakeqb's answer (a proxy's page, a truncated body)
        raise exc

    def _exchange(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        """Send one request and read its response, over the kept connection (lock held)."""
        conn = self._connection()
        try:
            status, data, will_close = conn.exchange(method, path, body)
        except (OSError, ValueError):
            self._disconnect()
            raise _broken(hr.RPC_S_CALL_FAILED) from None
        if will_close:
            self._disconnect()
        return status, data

    def _connection(self) -> _Connection:
        """The kept connection, or a new one if there is none or the server has closed it."""
        conn = self._conn
        if conn is not None and (time.monotonic() - conn.used > REUSE_WITHIN or conn.closed_by_peer()):
            self._disconnect()
            conn = None
        if conn is None:
            try:
                conn = _Connection(self._host, self._port, self.timeout)
            except OSError:
                raise _broken(hr.RPC_S_SERVER_UNAVAILABLE) from None
            self._conn = conn
        return conn

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def __del__(self) -> None:
        """Released: the server's processor goes too (its session ends), as when a COM object is released.

        Only over a connection still open: a released object never connects anew (the server drops idle processors).
        """
        conn = getattr(self, "_conn", None)
        with contextlib.suppress(Exception):
            if self._connected and conn is not None and not conn.closed_by_peer():
                conn.exchange("DELETE", self._path, b"")
        with contextlib.suppress(Exception):
            self._disconnect()

    def __repr__(self) -> str:
        return f"HttpRequestProcessor({self.url!r})"


class _Connection:
    """One kept-alive HTTP/1.1 connection to the server: a request out, its response in.

    A minimal client for fakeqb's own server (whose responses always have a Content-Length; chunked ones are read
    too): a call costs a fraction of what http.client spends parsing headers.
    """

    def __init__(self, host: str, port: int, timeout: float | None):
        self.sock = socket.create_connection((host, port), timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")
        self.host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.used = time.monotonic()

    def exchange(self, method: str, path: str, body: bytes) -> tuple[int, bytes, bool]:
        """(status, body, whether the server closes the connection); OSError or ValueError if that fails."""
        self.used = time.monotonic()
        self.sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                          f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode("latin-1") + body)
        while True:
            line = self.rfile.readline(_MAX_LINE)
            if not line:
                raise ConnectionError("the server closed the connection without a response")
            version, status = line.split(None, 2)[:2]
            if not version.startswith(b"HTTP/"):
                raise ValueError(f"not an HTTP response: {line[:80]!r}")
            headers = self._headers()
            if int(status) >= 200:
                break
        close = b"close" in headers.get(b"connection", b"").lower() or version == b"HTTP/1.0"
        if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
            return int(status), self._chunks(), close
        if b"content-length" not in headers:
            return int(status), self.rfile.read(), True
        return int(status), self._exact(int(headers[b"content-length"])), close

    def _headers(self) -> dict[bytes, bytes]:
        headers: dict[bytes, bytes] = {}
        for _ in range(_MAX_HEADERS):
            line = self.rfile.readline(_MAX_LINE)
            if line in (b"\r\n", b"\n"):
                return headers
            if not line:
                raise ConnectionError("the server closed the connection inside the response headers")
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        raise ValueError("too many response headers")

    def _exact(self, length: int) -> bytes:
        data = self.rfile.read(length)
        if len(data) != length:
            raise ConnectionError("the server closed the connection inside the response")
        return data

    def _chunks(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline(_MAX_LINE).split(b";")[0], 16)
            if size == 0:
                self._headers()  # the trailer
                return b"".join(parts)
            parts.append(self._exact(size))
            self._exact(2)

    def closed_by_peer(self) -> bool:
        """Whether the server has closed this idle connection (it is readable: end of stream, or stray bytes)."""
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.rfile.close()
            self.sock.close()
