"""The request processors the contract cases run against, chosen with `pytest --qb=...` (see conftest.py).

    inprocess  fakeqb in this process: `FakeQuickBooks().request_processor()`
    http       fakeqb over HTTP: `HttpRequestProcessor` against a fakeqb server in a thread of this process
    com        the real QuickBooks: `win32com.client.Dispatch("QBXMLRP2.RequestProcessor")` (Windows, pywin32)

The fake transports get each case's company from the case (a fresh company, or a copy of the seeded one); the real
one answers from the company file open in QuickBooks, whatever it holds (`live`).
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import Any

from fakeqb import FakeQuickBooks
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import Processors, create_app, make_server, running

TRANSPORTS = ("inprocess", "http", "com")
COM_PROGID = "QBXMLRP2.RequestProcessor"


class Transport:
    """Makes the request processor a case talks to."""

    name = ""
    live = False  # a real QuickBooks company: no reset, no clock, no fault rules

    def processor(self, company: FakeQuickBooks | None) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the transport holds (at the end of the test session)."""


class InProcess(Transport):
    name = "inprocess"

    def processor(self, company: FakeQuickBooks | None) -> Any:
        assert company is not None
        return company.request_processor()


class Http(Transport):
    """One fakeqb server for the test session; each case's company is put in place of the previous one (the
    server's request processors are released, as when QuickBooks opens another company file)."""

    name = "http"

    def __init__(self) -> None:
        self._stack = ExitStack()
        placeholder = self._stack.enter_context(FakeQuickBooks())
        app = create_app(placeholder)
        self._processors: Processors = app.extensions["fakeqb"]
        self.server = self._stack.enter_context(running(make_server(app)))

    def processor(self, company: FakeQuickBooks | None) -> Any:
        assert company is not None
        self._processors.serve(company)
        return HttpRequestProcessor(self.server.url, timeout=60)

    def close(self) -> None:
        self._stack.close()


class Com(Transport):
    """QuickBooks' own request processor, on the company file open in QuickBooks."""

    name = "com"
    live = True

    def __init__(self) -> None:
        import win32com.client  # type: ignore[import-not-found]

        self._dispatch = win32com.client.Dispatch

    def processor(self, company: FakeQuickBooks | None) -> Any:
        return self._dispatch(COM_PROGID)


def com_unavailable() -> str | None:
    """Why `--qb=com` cannot run here, or None."""
    if sys.platform != "win32":
        return "--qb=com needs Windows, QuickBooks Desktop and pywin32 (pip install -e .[test,com])"
    try:
        import win32com.client  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return "--qb=com needs pywin32: pip install -e .[test,com] (in a Python whose bitness matches QuickBooks' SDK)"
    return None


def make(name: str) -> Transport:
    return {"inprocess": InProcess, "http": Http, "com": Com}[name]()
