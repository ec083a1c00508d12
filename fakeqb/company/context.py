"""What a request handler works with and answers, and the registry of handlers by request name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree
from sqlalchemy import Connection

from fakeqb.company.file import CompanyFile
from fakeqb.qbxml import status
from fakeqb.qbxml.envelope import Request
from fakeqb.qbxml.model import Node, model_for
from fakeqb.qbxml.records import Data


@dataclass
class Session:
    """One BeginSession..EndSession span: what QuickBooks ties to a ticket."""

    ticket: str
    app_id: str
    app_name: str
    file_mode: int
    iterators: dict[str, Any] = field(default_factory=dict)
    admin: bool = False  # fakeqb's own tools (seeding): no app authorization, no fault rules, not logged
    revoked: bool = False  # the application's access was revoked while the session was open


@dataclass
class Result:
    """What a handler answers: the `*Ret` aggregates (by model element name) and the status."""

    rets: list[tuple[str, Data]] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)  # leaf elements written directly in the Rs
    status: tuple[int, str, str] = field(default_factory=status.ok)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """Everything a handler may use while answering one request."""

    company: CompanyFile
    conn: Connection
    session: Session
    version: str
    request: Request
    now: datetime
    memo: dict[str, Any] = field(default_factory=dict)  # what one request read once for all its Rets

    @property
    def model(self) -> dict[str, Node]:
        return model_for(self.version)

    @property
    def unix(self) -> int:
        return int(self.now.timestamp())

    def body(self) -> etree._Element:
        """The request's aggregate (VendorAdd inside VendorAddRq, ...)."""
        return next(c for c in self.request.element if isinstance(c.tag, str))


Handler = Callable[[Context], Result]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = fn
        return fn

    return register
