"""A planned history sent as qbXML requests, as any client would enter it (the slow path, and the reference).

Each sitting of the history (steps entered at the same moment) goes in message sets of up to BATCH requests with the
company clock set to that moment. A message set none of whose transactions is referred to later asks for no response
data (responseData="includeNone"); the others ask each Add for its TxnID only, which later steps use.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from lxml import etree

from fakeqb.com.client import session
from fakeqb.com.host import Host
from fakeqb.com.processor import RequestProcessor
from fakeqb.seed.history import History, Progress, Step, Undo, request
from fakeqb.seed.lists import APP_NAME, SeedError, render

BATCH = 200  # requests per message set


def send_history(host: Host, history: History, progress: Progress | None = None) -> None:
    """Enter every step of `history` through an administrator's request processor, the clock set to each step's
    moment; the clock is left as it was (stopped at the same time, or running)."""
    clock = host.clock
    stopped, moment = clock.stopped, clock.now()
    referenced = history.referenced()
    txn_ids: list[str] = []
    rp = RequestProcessor(host, admin=True)
    try:
        with session(rp, APP_NAME) as ticket:
            for at, sitting in groupby(history.steps, key=lambda s: s.at):
                clock.set(at)
                steps = list(sitting)
                for start in range(0, len(steps), BATCH):
                    chunk = steps[start:start + BATCH]
                    first = len(txn_ids)
                    wanted = any(first + i in referenced for i in range(len(chunk)))
                    _send(rp, ticket, chunk, first, txn_ids, wanted)
                    if progress is not None:
                        progress("history", len(txn_ids), len(history.steps))
    finally:
        if stopped:
            clock.set(moment)
        else:
            clock.resume()


def _send(rp: Any, ticket: str, steps: list[Step], first: int, txn_ids: list[str], wanted: bool) -> None:
    def txn_id(index: int) -> str:
        if index >= first or not txn_ids[index]:
            raise SeedError(f"step {first} refers to step {index}, whose TxnID is not known yet")
        return txn_ids[index]

    body = "".join(_request_xml(step, txn_id, first + i) for i, step in enumerate(steps))
    response = rp.ProcessRequest(ticket, _envelope(body, wanted))
    answers = list(etree.fromstring(response.encode()).find("QBXMLMsgsRs"))
    for i, step in enumerate(steps):
        rs = answers[i] if i < len(answers) else None
        if rs is None or rs.get("statusCode") != "0":
            detail = "no response" if rs is None else f"status {rs.get('statusCode')}: {rs.get('statusMessage')}"
            raise SeedError(f"step {first + i} ({_name(step)} on {step.at:%Y-%m-%d}) failed: {detail}")
        ret = next(iter(rs), None)
        txn_ids.append((ret.findtext("TxnID") if ret is not None else None) or rs.findtext("TxnID") or "")


def _name(step: Step) -> str:
    return step.op.request if isinstance(step.op, Undo) else step.op.txn_type + "Add"


def _request_xml(step: Step, txn_id: Any, request_id: int) -> str:
    name, fields = request(step, txn_id)
    if isinstance(step.op, Undo):
        return f'<{name}Rq requestID="{request_id}">{render(fields)}</{name}Rq>'
    return (f'<{name}AddRq requestID="{request_id}"><{name}Add>{render(fields)}</{name}Add>'
            f"<IncludeRetElement>TxnID</IncludeRetElement></{name}AddRq>")


def _envelope(body: str, wanted: bool) -> str:
    data = "" if wanted else ' responseData="includeNone"'
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="stopOnError"{data}>{body}</QBXMLMsgsRq></QBXML>')

