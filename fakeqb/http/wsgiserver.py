"""A small threaded HTTP/1.1 server for a WSGI application, with keep-alive connections.

One thread per connection, a connection kept open between calls (`Connection: keep-alive`, the HTTP/1.1 default), and
each response written with one send: a client making call after call pays neither a TCP handshake nor a thread start
per call (werkzeug's development server closes the connection after every response).

Beyond plain WSGI, the environ holds `fakeqb.drop_connection`: a callable that makes the server close the connection
without sending any response (a call whose answer is lost). Errors met before the application is called (a malformed
request line or headers, a chunked body, too many connections) are answered with the body `error_body(status)` gives.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import unquote

log = logging.getLogger("fakeqb.server")

#: Seconds a kept-alive connection may stay idle between requests before the server closes it (longer than the client
#: keeps one for: `fakeqb.http.client.REUSE_WITHIN`), and the longest pause inside a request's body.
IDLE_TIMEOUT = 75.0
#: Seconds a new connection may take to start its first request, and any request its line and headers: a connection
#: that sends nothing, or dribbles, is closed after this (a handful of them cannot hold the server's places).
HEAD_TIMEOUT = 5.0
#: At most this many connections; at the limit, one waiting idle between requests is closed to make room (a new
#: connection waits up to ROOM_WAIT seconds for one to be idle).
MAX_CONNECTIONS = 128
ROOM_WAIT = 1.0
MAX_LINE = 65536  # the longest request line or header line
MAX_HEADERS = 100
#: A request body the application did not read is drained up to this size; beyond it the connection is closed.
MAX_DRAIN = 256 * 1024 * 1024
#: Seconds the server goes on reading after an error answer, before it closes the connection.
LINGER = 1.0

ErrorBody = Callable[[int], bytes]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def plain_error_body(status: int) -> bytes:
    return f'{{"error": {{"status": {status}}}}}'.encode()


class _Body(io.RawIOBase):
    """The request body: at most `length` bytes of the connection, counting what is still unread."""

    def __init__(self, stream: io.BufferedIOBase, length: int):
        self._stream, self.remaining = stream, length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.remaining <= 0:
            return 0
        view = memoryview(buffer)[: self.remaining]
        data = self._stream.read(len(view))
        if not data:
            raise ConnectionError("the client closed the connection inside the request body")
        view[: len(data)] = data
        self.remaining -= len(data)
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        chunks = []
        while size > 0:
            data = self._stream.read(size)
            if not data:
                raise ConnectionError("the client closed the connection inside the request body")
            chunks.append(data)
            size -= len(data)
            self.remaining -= len(data)
        return b"".join(chunks)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self.remaining if size is None or size < 0 else min(size, self.remaining)
        line = self._stream.readline(limit) if limit > 0 else b""
        self.remaining -= len(line)
        return line

    def drain(self, limit: int) -> bool:
        """Read and drop what is left, if it is at most `limit` bytes; False if the connection must be closed."""
        if self.remaining > limit:
            return False
        while self.remaining:
            self.read(min(self.remaining, 1 << 20))
        return True


class _Headers(dict[str, str]):
    """Request headers by lower-case name (repeated headers joined with commas), in the order they came."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name.lower(), default)


class _HeadError(Exception):
    """A request line or header the server refuses, with the HTTP status to answer."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class _Handler(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True
    server: WSGIServer
    close_connection: bool
    command = path = request_version = ""
    headers: _Headers

    def setup(self) -> None:
        super().setup()
        self.served = 0  # requests answered on this connection

    def handle(self) -> None:
        self.close_connection = False
        while not self.close_connection:
            self.handle_one_request()
            self.served += 1

    def handle_one_request(self) -> None:
        try:
            if not self._read_head():
                self.close_connection = True
                return
            self._run_wsgi()
        except _HeadError as exc:
            self.send_error(exc.status)
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    def _read_head(self) -> bool:
        """Read the request line and headers; False when the client has closed the connection. The first byte may
        take HEAD_TIMEOUT on a new connection and the idle timeout on a kept one; the head then takes HEAD_TIMEOUT."""
        kept = self.served > 0
        self.connection.settimeout(self.server.idle_timeout if kept else self.server.head_timeout)
        self.server.waiting(self.connection, kept)
        try:
            if not cast(io.BufferedReader, self.rfile).peek(1):
                return False
        finally:
            self.server.waiting(self.connection, False)
        deadline = time.monotonic() + self.server.head_timeout
        line = self._line(deadline)
        while line in (b"\r\n", b"\n"):  # blank lines before a request are ignored (RFC 9112, 2.2)
            line = self._line(deadline)
        if not line:
            return False
        if len(line) > MAX_LINE:
            raise _HeadError(HTTPStatus.REQUEST_URI_TOO_LONG)
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            raise _HeadError(HTTPStatus.BAD_REQUEST)
        self.command, self.path, self.request_version = parts
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            raise _HeadError(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
        headers = _Headers()
        for _ in range(MAX_HEADERS + 1):
            raw = self._line(deadline)
            if len(raw) > MAX_LINE:
                raise _HeadError(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            if raw in (b"\r\n", b"\n"):
                break
            if not raw:
                raise ConnectionError("the client closed the connection inside the request headers")
            name, colon, value = raw.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip() or name[0] in " \t":
                raise _HeadError(HTTPStatus.BAD_REQUEST)
            key, value = name.lower(), value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        else:
            raise _HeadError(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
        self.headers = headers
        connection = headers.get("Connection", "").lower()
        if self.request_version == "HTTP/1.1":
            self.close_connection = "close" in connection
        else:
            self.close_connection = "keep-alive" not in connection
        if headers.get("Expect", "").lower() == "100-continue" and self.request_version == "HTTP/1.1":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.connection.settimeout(self.server.idle_timeout)  # for the body
        return True

    def _line(self, deadline: float) -> bytes:
        """One line of the request's head, read before `deadline` (else TimeoutError)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request's head took too long")
        self.connection.settimeout(left)
        return self.rfile.readline(MAX_LINE + 1)

    def _run_wsgi(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(HTTPStatus.LENGTH_REQUIRED)
            return
        try:
            length = int(self.headers.get("Content-Length", "0").strip() or "0")
        except ValueError:
            length = -1
        if length < 0:
            self.send_error(HTTPStatus.BAD_REQUEST)
            return
        body = _Body(self.rfile, length)
        dropped = False

        def drop_connection() -> None:
            nonlocal dropped
            dropped = True

        environ = self._environ(body, length)
        environ["fakeqb.drop_connection"] = drop_connection
        status, headers, content = self._call_app(environ)
        if dropped:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if not body.drain(MAX_DRAIN):
            self.close_connection = True
        if self.command == "HEAD":
            content = b""
        self._write(status, headers, content)

    def _environ(self, body: _Body, length: int) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command, "SCRIPT_NAME": "", "PATH_INFO": unquote(path, "iso-8859-1"),
            "QUERY_STRING": query, "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(length), "SERVER_NAME": str(host), "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version, "REMOTE_ADDR": self.client_address[0],
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": body, "wsgi.errors": sys.stderr,
            "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
            "wsgi.input_terminated": True,
        }
        for name, value in self.headers.items():
            if "_" in name or name in ("content-type", "content-length"):  # "_": not to be confused with "-"
                continue
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        return environ

    def _call_app(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        response: list[Any] = []
        written: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            response[:] = [status, headers]
            return written.append  # the legacy write() callable

        try:
            result = self.server.app(environ, start_response)
            try:
                written.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            return response[0], response[1], b"".join(written)
        except (ConnectionError, TimeoutError):  # the client went away inside its request
            raise
        except Exception:
            log.exception("the application failed on %s %s", self.command, self.path)
            return "500 Internal Server Error", [("Content-Type", "application/json")], self.server.error_body(500)

    def _write(self, status: str, headers: list[tuple[str, str]], content: bytes) -> None:
        lines = [f"HTTP/1.1 {status}"]
        lines += [f"{name}: {value}" for name, value in headers
                  if name.lower() not in ("content-length", "connection", "transfer-encoding")]
        lines.append(f"Content-Length: {len(content)}")
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + content)

    def send_error(self, code: int) -> None:
        """Errors before the application: the server's error body (never an HTML page), and the connection closes."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        with contextlib.suppress(OSError):
            self._write(f"{code} {phrase}", [("Content-Type", "application/json")], self.server.error_body(code))
            self._linger()

    def _linger(self) -> None:
        """Stop sending, then read and drop what the client still sends, briefly: closing with unread data would
        reset the connection, and the client might lose the answer it has not read yet."""
        self.connection.shutdown(socket.SHUT_WR)
        self.connection.settimeout(LINGER)
        for _ in range(64):
            if not self.connection.recv(65536):
                break


class WSGIServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Serves `app` on `address` (port 0: a free port, see `port`), one thread per connection."""

    daemon_threads = True
    allow_reuse_address = sys.platform != "win32"
    block_on_close = False

    def __init__(self, address: tuple[str, int], app: WSGIApp, *, error_body: ErrorBody = plain_error_body,
                 idle_timeout: float = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS,
                 head_timeout: float = HEAD_TIMEOUT):
        self.app, self.error_body = app, error_body
        self.idle_timeout, self.max_connections, self.head_timeout = idle_timeout, max_connections, head_timeout
        self._connections: set[socket.socket] = set()
        self._idle: set[socket.socket] = set()  # kept-alive connections waiting for their next request
        self._connections_lock = threading.Lock()
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def connection_count(self) -> int:
        """The connections open now."""
        return len(self._connections)

    def set_app(self, app: WSGIApp) -> None:
        """Serve another application from the next request on."""
        self.app = app

    def waiting(self, connection: socket.socket, idle: bool) -> None:
        """Whether a kept-alive connection is waiting idle for its next request (it may then be closed to make room
        for a new one)."""
        with self._connections_lock:
            if idle:
                self._idle.add(connection)
            else:
                self._idle.discard(connection)

    def process_request(self, request: Any, client_address: Any) -> None:
        deadline = time.monotonic() + ROOM_WAIT
        while True:
            with self._connections_lock:
                if len(self._connections) >= self.max_connections and self._idle:
                    room = self._idle.pop()  # its thread sees the connection closed and ends it
                    with contextlib.suppress(OSError):
                        room.shutdown(socket.SHUT_RDWR)
                    self._connections.discard(room)
                full = len(self._connections) >= self.max_connections
                if not full:
                    self._connections.add(request)
            if not full or time.monotonic() >= deadline:
                break
            time.sleep(0.01)  # a connection that has just answered is about to wait idle
        if full:
            self._refuse(request)
            return
        super().process_request(request, client_address)

    def _refuse(self, request: socket.socket) -> None:
        body = self.error_body(503)
        with contextlib.suppress(OSError):
            request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        self.shutdown_request(request)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
            self._idle.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("connection from %s failed", client_address)

    def server_close(self) -> None:
        """Stop listening and end the open connections (their threads exit)."""
        super().server_close()
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
