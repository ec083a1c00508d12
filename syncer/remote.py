"""The request processor's methods over HTTP, for QuickBooks simulators that serve them (`syncer run --qb-url`).

The protocol, one JSON call per method:

    POST   <url>/qbxmlrp2/<processor id>/<member>   {"args": [...]}  -> {"result": ...}
                                                                    or {"error": {"hresult", "text", "excepinfo",
                                                                                  "argerror"}}
    DELETE <url>/qbxmlrp2/<processor id>                             (the processor is released)

Errors are raised in pywin32's com_error shape (`args == (hresult, text, excepinfo, argerror)`), so the syncer reads
them exactly as it reads the real COM object's. A server that cannot be reached raises RPC_S_SERVER_UNAVAILABLE
(0x800706BA, nothing was sent); a call that gets no usable answer raises RPC_S_CALL_FAILED (0x800706BE: whether it
was done is unknown), as pywin32 does when the process behind a COM object goes away.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import uuid
from typing import Any
from urllib.parse import urlsplit

SERVER_UNAVAILABLE = -2147023174  # 0x800706BA
CALL_FAILED = -2147023170  # 0x800706BE
_RPC_TEXTS = {SERVER_UNAVAILABLE: "The RPC server is unavailable.", CALL_FAILED: "The remote procedure call failed."}


class RemoteComError(Exception):
    """An error of the remote request processor, shaped like pywin32's com_error."""

    def __init__(self, hresult: int, text: str, excepinfo: tuple[Any, ...] | None, argerror: int | None):
        super().__init__(hresult, text, excepinfo, argerror)
        self.hresult, self.strerror, self.excepinfo, self.argerror = hresult, text, excepinfo, argerror


def _rpc_failure(code: int) -> RemoteComError:
    return RemoteComError(code, _RPC_TEXTS[code], None, None)


class HttpRequestProcessor:
    """A request processor served at `url` ("http://127.0.0.1:8765").

    Its methods may be called from any thread, one call at a time (`any_thread`): the sync reads the next page of a
    query while it applies the current one.
    """

    any_thread = True

    def __init__(self, url: str, timeout: float = 300.0):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"not an http:// URL: {url!r}")
        self.url = url
        self._host, self._port, self._timeout = parts.hostname, parts.port or 80, timeout
        self._path = f"{parts.path.rstrip('/')}/qbxmlrp2/{uuid.uuid4().hex}"
        self._conn: http.client.HTTPConnection | None = None

    def OpenConnection2(self, appID: str, appName: str, connPref: int) -> None:  # noqa: N802, N803
        self._call("OpenConnection2", appID, appName, connPref)

    def BeginSession(self, qbFileName: str, reqFileMode: int) -> str:  # noqa: N802, N803
        return str(self._call("BeginSession", qbFileName, reqFileMode))

    def ProcessRequest(self, ticket: str, inputRequest: str) -> str:  # noqa: N802, N803
        return str(self._call("ProcessRequest", ticket, inputRequest))

    def QBXMLVersionsForSession(self, ticket: str) -> tuple[str, ...]:  # noqa: N802
        return tuple(self._call("QBXMLVersionsForSession", ticket))

    def GetCurrentCompanyFileName(self, ticket: str) -> str:  # noqa: N802
        return str(self._call("GetCurrentCompanyFileName", ticket))

    def EndSession(self, ticket: str) -> None:  # noqa: N802
        self._call("EndSession", ticket)

    def CloseConnection(self) -> None:  # noqa: N802
        try:
            self._call("CloseConnection")
        finally:
            self._close()

    def _call(self, member: str, *args: Any) -> Any:
        body = json.dumps({"args": args}).encode("utf-8")
        # A kept connection the server has closed fails at once; a call other than ProcessRequest (which may have
        # been done) is tried once more on a new connection.
        attempts = 1 if member == "ProcessRequest" or self._conn is None else 2
        for attempt in range(attempts):
            try:
                conn = self._connection()
            except OSError:
                raise _rpc_failure(SERVER_UNAVAILABLE) from None
            try:
                conn.request("POST", f"{self._path}/{member}", body, {"Content-Type": "application/json"})
                answer = json.loads(conn.getresponse().read())
                break
            except (OSError, http.client.HTTPException, ValueError):
                self._close()
                if attempt == attempts - 1:
                    raise _rpc_failure(CALL_FAILED) from None
        if isinstance(answer, dict) and set(answer) == {"result"}:
            return answer["result"]
        try:
            error = answer["error"]
            excepinfo = tuple(error["excepinfo"]) if error["excepinfo"] is not None else None
            failure = RemoteComError(int(error["hresult"]), str(error["text"]), excepinfo, error["argerror"])
        except (KeyError, TypeError, ValueError):
            raise _rpc_failure(CALL_FAILED) from None
        raise failure

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
            self._conn.connect()
        return self._conn

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()

    def __repr__(self) -> str:
        return f"HttpRequestProcessor({self.url!r})"
