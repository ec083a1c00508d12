"""Answering a qbXML message set: dispatch each request to its handler, one database transaction per request.

`onError` is applied as QuickBooks applies it: stopOnError answers the failing request and drops the rest (earlier
requests stay saved), continueOnError goes on. A request type QuickBooks knows but fakeqb does not simulate is answered
with status 3250, never with a silent success. A failure of fakeqb itself inside a handler is logged and answers that
request with QuickBooks' internal error status (1000, nothing saved for it), so the requests before it keep their
answers. An `intercept` (the running program's status fault rules) may answer a
request with its status before the handler runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree

from fakeqb.company import (
    handlers,  # noqa: F401  (registers the handlers)
    recovery,
)
from fakeqb.company.context import HANDLERS, Context, Result, Session
from fakeqb.company.file import CompanyFile
from fakeqb.company.lists import full_name_of, full_names, ref_space
from fakeqb.qbxml import status, xmltext
from fakeqb.qbxml.envelope import MAX_REQUEST_CHARS, RS_DEPTH, MessageSet, Request, parse_request, response_document
from fakeqb.qbxml.records import build
from fakeqb.qbxml.status import StatusError

log = logging.getLogger("fakeqb")

#: The response a message set may fill: once its answers hold more, the requests after are not processed (3231).
#: ASSUMPTION: QuickBooks documents no such bound; this one (twice the largest request) keeps one message set of many
#: large queries from holding the company and the client's memory, and a client that pages with iterators never
#: meets it.
MAX_RESPONSE_CHARS = 2 * MAX_REQUEST_CHARS
#: A request's status before its handler runs (None: answer it as usual).
Intercept = Callable[[Request], StatusError | None]


class Engine:
    """Answers message sets on one company file."""

    def __init__(self, company: CompanyFile):
        self.company = company

    def process(self, text: str, session: Session, intercept: Intercept | None = None) -> str:
        """Answer one request document (raises the parse/version errors the processor turns into HRESULTs)."""
        message_set = parse_request(text, HANDLERS.keys())
        if message_set.old_id is not None or message_set.new_id is not None:
            return self._recovering(message_set, session, intercept)
        return response_document(self._answers(message_set, session, intercept))

    def _recovering(self, message_set: MessageSet, session: Session, intercept: Intercept | None) -> str:
        """A message set with error recovery's IDs (see `fakeqb.company.recovery`)."""
        old, new = message_set.old_id, message_set.new_id
        attributes = [("newMessageSetID", new)] if new is not None else []
        if old is not None and not message_set.requests:
            with self.company.transaction() as conn:
                held = recovery.kept(conn, session.app_name)
                if new is None:  # forget it
                    recovery.forget(conn, session.app_name, old)
                    return response_document([], [("messageSetStatusCode", recovery.OK)])
            if held is None or held["id"] != old:
                return response_document([], [*attributes, ("messageSetStatusCode", recovery.NOTHING_KEPT)])
            return response_document(list(held["responses"]), [*attributes, ("messageSetStatusCode", recovery.OK)])
        responses = self._answers(message_set, session, intercept)
        if new is not None:
            with self.company.transaction() as conn:
                recovery.keep(conn, session.app_name, new, responses)
        return response_document(responses, [*attributes, ("messageSetStatusCode", recovery.OK)])

    def _answers(self, message_set: MessageSet, session: Session, intercept: Intercept | None) -> list[str]:
        responses: list[str] = []
        stopped, size = False, 0
        for request in message_set.requests:
            if stopped:  # after the error (or the response's bound), every request is answered as not processed
                responses.append(_rs(request, Result(status=_status(status.not_processed())), []))
                continue
            rs, severity = self._answer(request, message_set, session, intercept)
            responses.append(rs)
            size += len(rs)
            stopped = (message_set.on_error == "stopOnError" and severity == status.ERROR) or \
                size > MAX_RESPONSE_CHARS
        return responses

    def _answer(self, request: Request, message_set: MessageSet, session: Session,
                intercept: Intercept | None) -> tuple[str, str]:
        """The request's `*Rs` element (as response text) and its status severity."""
        content: list[str] = []
        try:
            result = self._run(request, message_set, session, intercept, content)
        except StatusError as err:
            result = Result(status=_status(err))
            content.clear()
            if err.ret is not None:  # an error that carries the object as it is (a stale EditSequence)
                self._write(request, message_set, session, Result(rets=[err.ret]), content)
        except Exception:  # a failure of fakeqb itself: this request is answered with 1000, the others stand
            log.exception("unexpected error while answering %s", request.name)
            result = Result(status=_status(status.internal_error()))
            content.clear()
        return _rs(request, result, content), result.status[1]

    def _run(self, request: Request, message_set: MessageSet, session: Session, intercept: Intercept | None,
             content: list[str]) -> Result:
        if request.request_id is not None and len(request.request_id) > 50:
            raise status.request_id_too_long(request.request_id)
        fault = intercept(request) if intercept is not None else None
        if fault is not None:  # answered with the intercepted status, nothing saved
            raise fault
        handler = HANDLERS.get(request.name)
        if handler is None:
            raise status.not_supported()
        if request.findings.too_long:
            raise status.too_long(*request.findings.too_long[0])
        if request.findings.bad_dates:
            raise status.invalid_date(*request.findings.bad_dates[0])
        with self.company.transaction() as conn:
            ctx = Context(self.company, conn, session, message_set.version, request, self.company.clock.now())
            result = handler(ctx)
            self._written(ctx, message_set, result, content)
        return result

    def _write(self, request: Request, message_set: MessageSet, session: Session, result: Result,
               content: list[str]) -> None:
        """Write `result`'s Rets in a transaction of their own (references are resolved from the database)."""
        with self.company.transaction() as conn:
            ctx = Context(self.company, conn, session, message_set.version, request, self.company.clock.now())
            self._written(ctx, message_set, result, content)

    @staticmethod
    def _written(ctx: Context, message_set: MessageSet, result: Result, content: list[str]) -> None:
        if message_set.include_data:
            model = ctx.model
            resolve = _ref_resolver(ctx, result.rets)
            only = _included(ctx.request.element)
            for ret_name, data in result.rets:
                content.append(build(model[ret_name], data, RS_DEPTH + 1, only, resolve))
            for name, text in result.fields:
                content.append(xmltext.leaf(name, text, RS_DEPTH + 1))


def _status(err: StatusError) -> tuple[int, str, str]:
    return err.code, err.severity, err.message


def _rs(request: Request, result: Result, content: list[str]) -> str:
    """The request's `*Rs` element, as response text."""
    code, severity, message = result.status
    attributes = [("statusCode", str(code)), ("statusSeverity", severity), ("statusMessage", message),
                  *result.attrs.items()]
    if request.request_id is not None:
        attributes.insert(0, ("requestID", request.request_id))
    return xmltext.element(request.name[:-2] + "Rs", content, RS_DEPTH, attributes)


def _included(el: etree._Element) -> set[str] | None:
    names = {c.text or "" for c in el.iter("IncludeRetElement")}
    return names or None


def _ref_resolver(ctx: Context, rets: list[tuple[str, Any]]) -> Callable[[str, Mapping[str, Any]], Mapping[str, Any]]:
    """References written with their FullName: the FullNames of every object the Rets refer to read in one query per
    name space (a page of 100 bills names a few hundred objects, many of them again and again)."""
    wanted: dict[str, set[str]] = {}
    for _, data in rets:
        _collect_refs(data, wanted)
    names = {(space, list_id): full for space, ids in wanted.items()
             for list_id, full in full_names(ctx.conn, space, ids)}

    def resolve(name: str, ref: Mapping[str, Any]) -> Mapping[str, Any]:
        full = names.get((ref_space(name), ref["ListID"]))
        if full is None:
            full = full_name_of(ctx.conn, name, ref["ListID"])
        return {"ListID": ref["ListID"], "FullName": full} if full is not None else ref

    return resolve


def _collect_refs(data: Any, wanted: dict[str, set[str]]) -> None:
    """The ListIDs, by name space, of every reference (an element named *Ref holding a ListID) in stored data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("Ref") and isinstance(value, dict) and "ListID" in value:
                wanted.setdefault(ref_space(key), set()).add(value["ListID"])
            elif isinstance(value, dict | list):
                _collect_refs(value, wanted)
    elif isinstance(data, list):
        for item in data:
            _collect_refs(item, wanted)
