"""Answering a qbXML message set: dispatch each request to its handler, one database transaction per request.

`onError` is applied as QuickBooks applies it: stopOnError answers the failing request and drops the rest (earlier
requests stay saved), continueOnError goes on. A request type QuickBooks knows but fakeqb does not simulate is answered
with status 3250, never with a silent success. A status fault rule (`fakeqb.faults`) answers the request it selects
with its status before the handler runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lxml import etree
from sqlalchemy import Connection

from fakeqb.lists import full_name_of
from fakeqb.qbxml import status, xmltext
from fakeqb.qbxml.envelope import RS_DEPTH, MessageSet, Request, parse_request, response_document
from fakeqb.qbxml.model import Node, model_for
from fakeqb.qbxml.records import Data, build
from fakeqb.qbxml.status import StatusError

if TYPE_CHECKING:
    from fakeqb.company import FakeQuickBooks

log = logging.getLogger("fakeqb")


@dataclass
class Session:
    """One BeginSession..EndSession span: what QuickBooks ties to a ticket."""

    ticket: str
    app_id: str
    app_name: str
    file_mode: int
    iterators: dict[str, Any] = field(default_factory=dict)
    admin: bool = False  # fakeqb's own tools (seeding): no app authorization, no fault rules, not logged


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

    company: FakeQuickBooks
    conn: Connection
    session: Session
    version: str
    request: Request
    now: datetime

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


class Engine:
    def __init__(self, company: FakeQuickBooks):
        from fakeqb import handlers  # noqa: F401  (registers the handlers)

        self.company = company

    def process(self, text: str, session: Session) -> str:
        """Answer one request document (raises the parse/version errors the processor turns into HRESULTs)."""
        message_set = parse_request(text, HANDLERS.keys())
        responses: list[str] = []
        for request in message_set.requests:
            rs, severity = self._answer(request, message_set, session)
            responses.append(rs)
            if message_set.on_error == "stopOnError" and severity == status.ERROR:
                break
        return response_document(responses)

    def _answer(self, request: Request, message_set: MessageSet, session: Session) -> tuple[str, str]:
        """The request's `*Rs` element (as response text) and its status severity."""
        content: list[str] = []
        try:
            result = self._run(request, message_set, session, content)
        except StatusError as err:
            result = Result(status=(err.code, err.severity, err.message))
            content.clear()
        code, severity, message = result.status
        attributes = [("statusCode", str(code)), ("statusSeverity", severity), ("statusMessage", message),
                      *result.attrs.items()]
        if request.request_id is not None:
            attributes.insert(0, ("requestID", request.request_id))
        return xmltext.element(request.name[:-2] + "Rs", content, RS_DEPTH, attributes), severity

    def _run(self, request: Request, message_set: MessageSet, session: Session, content: list[str]) -> Result:
        if request.request_id is not None and len(request.request_id) > 50:
            raise status.request_id_too_long(request.request_id)
        fault = None if session.admin else self.company.faults.status_error(request)
        if fault is not None:  # a status fault rule: answered with its status, nothing saved
            raise fault
        handler = HANDLERS.get(request.name)
        if handler is None:
            raise status.not_supported()
        if request.findings.too_long:
            raise status.too_long(*request.findings.too_long[0])
        with self.company.transaction() as conn:
            ctx = Context(self.company, conn, session, message_set.version, request,
                          self.company.clock.now())
            result = handler(ctx)
            if message_set.include_data:
                model = ctx.model
                resolve = _ref_resolver(ctx)
                only = _included(request.element)
                for ret_name, data in result.rets:
                    content.append(build(model[ret_name], data, RS_DEPTH + 1, only, resolve))
                for name, text in result.fields:
                    content.append(xmltext.leaf(name, text, RS_DEPTH + 1))
        return result


def _included(el: etree._Element) -> set[str] | None:
    names = {c.text or "" for c in el.iter("IncludeRetElement")}
    return names or None


def _ref_resolver(ctx: Context) -> Callable[[str, Mapping[str, Any]], Mapping[str, Any]]:
    def resolve(name: str, ref: Mapping[str, Any]) -> Mapping[str, Any]:
        full = full_name_of(ctx.conn, name, ref["ListID"])
        return {"ListID": ref["ListID"], "FullName": full} if full is not None else ref

    return resolve
