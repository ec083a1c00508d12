"""Talking to a request processor from fakeqb's own tools (seeding, `fakeqb show`): envelopes and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def envelope(body: str, version: str = "13.0", on_error: str = "stopOnError") -> str:
    """A qbXML request document around the request elements `body`."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>')


@contextmanager
def session(rp: Any, app_name: str) -> Iterator[str]:
    """Open a connection and a session on the open company file; yield the ticket; end both whatever happens."""
    rp.OpenConnection2("", app_name, 1)
    try:
        ticket = rp.BeginSession("", 2)
        try:
            yield ticket
        finally:
            rp.EndSession(ticket)
    finally:
        rp.CloseConnection()
