"""A fake QuickBooks Web Connector: it drives an integration's QBWC SOAP service against a fakeqb company.

    from fakeqb.webconnector import FakeWebConnector, load_qwc
    summary = FakeWebConnector("http://localhost:8000/qbwc", "acme", "secret", company=qb).run()
    summary = FakeWebConnector(qwc=load_qwc("app.qwc"), password="secret", company=qb).run()

Modules: `connector` (the run: QBWC's calls and what it does with each answer), `soap` (the SOAP client, zeep, and the
WSDL beside it), `qwc` (.qwc files), `codes` (the QBWCnnnn codes QBWC logs), `runlog` (the run's log and summary),
`cli` (`fakeqb webconnector run`). It needs the `webconnector` extra (zeep): `pip install 'qbd-harness[webconnector]'`;
the names below are imported on first use, so `fakeqb` itself works without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakeqb.webconnector.connector import DropCall, FakeWebConnector
    from fakeqb.webconnector.qwc import Qwc, QwcError, load_qwc, parse_qwc
    from fakeqb.webconnector.runlog import LogEntry, RunSummary

_EXPORTS = {"DropCall": "connector", "FakeWebConnector": "connector", "Qwc": "qwc", "QwcError": "qwc",
            "load_qwc": "qwc", "parse_qwc": "qwc", "LogEntry": "runlog", "RunSummary": "runlog"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"fakeqb.webconnector.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'fakeqb.webconnector' has no attribute {name!r}")


__all__ = ["DropCall", "FakeWebConnector", "LogEntry", "Qwc", "QwcError", "RunSummary", "load_qwc", "parse_qwc"]
