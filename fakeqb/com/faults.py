"""Fault rules: the failures a sync must survive, injected on the calls and requests they select.

A rule has a kind and selects calls by method, by request type (a request inside the message set, e.g.
"VendorAddRq"), by count (the next N matching calls, or unlimited) and by probability (drawn from the rule's own
seeded random generator, so a test sees the same faults on every run):

    hresult           the call raises a QBXMLRP2 HRESULT (0x80040408 "Could not start QuickBooks.", ...) before
                      anything is done; RPC_S_CALL_FAILED (0x800706BE) is raised in pywin32's RPC-failure shape
    status            one request inside the message set is answered with a status code (3170/3175/3176/3180 lock
                      errors have QuickBooks' texts) and nothing is saved for it; onError is honoured as for any error
    latency           the call waits `seconds` before it is answered
    lose_response     ProcessRequest is answered and committed, then the caller gets RPC_S_CALL_FAILED instead of the
                      response (the connection broke)
    close_quickbooks  QuickBooks closes before the call: every ticket becomes invalid (0x8004040D) and QuickBooks is
                      not running (0x80040408 on OpenConnection/BeginSession) until started again

A spent rule (its count used up) is removed. When several rules match one call, latencies add up; the first
matching hresult or close_quickbooks rule (lowest id) decides the call's fate and the rules after it are not used.

ASSUMPTION: QuickBooks closing ends the sessions but not the request processor objects' connections: after a
restart, BeginSession on a connection opened before the close succeeds, and CloseConnection always succeeds.
ASSUMPTION: a lock error names the element the request names (its Name, a Mod's new Name, else FullName, ListID,
TxnID or RefNumber) and the list by its display name ("Item" for every item type); see `qbxml.status.lock_error`.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from fakeqb.com import hresults as hr
from fakeqb.qbxml import status
from fakeqb.qbxml.envelope import KNOWN, Request
from fakeqb.qbxml.status import StatusError

KINDS = ("hresult", "status", "latency", "lose_response", "close_quickbooks")
METHODS = ("OpenConnection", "BeginSession", "ProcessRequest", "EndSession", "CloseConnection",
           "QBXMLVersionsForSession", "GetCurrentCompanyFileName")
ANY = ("", "*", "any")
MAX_LATENCY = 600.0
_REQUEST_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9]*Rq)[\s/>]")
_ENVELOPES = {"QBXMLMsgsRq", "QBXMLSubscriptionMsgsRq", "SignonMsgsRq"}
_OPERATIONS = ("Add", "Mod", "Query", "Del", "Void")


class FaultError(ValueError):
    """A fault rule that cannot be used; the message says what to fix."""


@dataclass
class FaultRule:
    """One fault rule (see the module's docstring for the kinds)."""

    kind: str
    method: str | None = None  # None: any method (rules naming a request type match ProcessRequest only)
    request_type: str | None = None  # "VendorAddRq"; None: any
    count: int | None = 1  # matching calls still to fault; None: unlimited
    probability: float = 1.0
    seed: int = 0
    hresult: int | None = None  # kind "hresult"
    status_code: int | None = None  # kind "status"
    message: str | None = None  # the HRESULT description or status message instead of QuickBooks' own
    seconds: float = 0.0  # kind "latency"
    id: int = 0
    hits: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        if self.hresult is not None:
            data["hresult"] = f"0x{self.hresult:08X}"
        return data

    def describe(self) -> str:
        """One line for people: what the rule does and to which calls."""
        what = {
            "hresult": lambda: f"HRESULT 0x{(self.hresult or 0):08X}",
            "status": lambda: f"status {self.status_code}",
            "latency": lambda: f"{self.seconds:g}s latency",
            "lose_response": lambda: "commit, then lose the response",
            "close_quickbooks": lambda: "QuickBooks closes",
        }[self.kind]()
        target = self.request_type or (self.method if self.method else "any call")
        times = "every time" if self.count is None else f"next {self.count}"
        chance = "" if self.probability >= 1 else f", p={self.probability:g} (seed {self.seed})"
        return f"#{self.id} {what} on {target}, {times}{chance}"


def make_rule(data: Mapping[str, Any]) -> FaultRule:
    """A checked rule from plain values (JSON, keyword arguments); FaultError says what is wrong."""
    if not isinstance(data, Mapping):
        raise FaultError("a fault rule is an object with a 'kind'")
    known = {f.name for f in fields(FaultRule) if not f.name.startswith("_")} - {"id", "hits"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise FaultError(f"unknown fault rule field(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    kind = data.get("kind")
    if kind not in KINDS:
        raise FaultError(f"fault kind must be one of {', '.join(KINDS)}, not {kind!r}")
    rule = FaultRule(
        kind=kind,
        method=_method(data.get("method")),
        request_type=_request_type(data.get("request_type")),
        count=_count(data.get("count", 1)),
        probability=_probability(data.get("probability", 1.0)),
        seed=_integer("seed", data.get("seed", 0)),
        message=_message(data.get("message")),
    )
    if kind == "hresult":
        rule.hresult = _hresult(data.get("hresult"))
        if rule.message is None and rule.hresult not in hr.MESSAGES and rule.hresult not in hr.RPC_MESSAGES:
            raise FaultError(f"HRESULT 0x{rule.hresult:08X} has no known text: give its 'message'")
    elif data.get("hresult") is not None:
        raise FaultError("'hresult' belongs to kind hresult")
    if kind == "status":
        rule.status_code = _integer("status_code", data.get("status_code"))
        if not 1 <= rule.status_code <= 9999:
            raise FaultError(f"status_code must be a QuickBooks status code (1-9999), not {rule.status_code}")
        if rule.message is None and rule.status_code not in status.LOCK_ERRORS:
            raise FaultError(f"status {rule.status_code} has no built-in text (only "
                             f"{', '.join(map(str, status.LOCK_ERRORS))} do): give its 'message'")
    elif data.get("status_code") is not None:
        raise FaultError("'status_code' belongs to kind status")
    if kind == "latency":
        rule.seconds = _number("seconds", data.get("seconds"))
        if not 0 < rule.seconds <= MAX_LATENCY:
            raise FaultError(f"seconds must be more than 0 and at most {MAX_LATENCY:g}, not {rule.seconds:g}")
    elif data.get("seconds") not in (None, 0, 0.0):
        raise FaultError("'seconds' belongs to kind latency")
    if kind in ("status", "lose_response") and rule.method not in (None, "ProcessRequest"):
        raise FaultError(f"kind {kind} applies to ProcessRequest only, not {rule.method}")
    if rule.request_type is not None and rule.method not in (None, "ProcessRequest"):
        raise FaultError(f"a request type selects ProcessRequest calls; it cannot be combined with {rule.method}")
    if kind in ("latency", "close_quickbooks") and rule.message is not None:
        raise FaultError(f"'message' does not apply to kind {kind}")
    rule._rng.seed(rule.seed)
    return rule


def _method(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip() in ANY):
        return None
    name = str(value).strip()
    if name == "OpenConnection2":
        name = "OpenConnection"
    if name not in METHODS:
        raise FaultError(f"method must be one of {', '.join(METHODS)} (or any), not {value!r}")
    return name


def _request_type(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip() in ANY):
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", value.strip()):
        raise FaultError(f"request_type must be a qbXML request name such as VendorAddRq, not {value!r}")
    name = value.strip()
    name = name if name.endswith("Rq") else name + "Rq"
    from fakeqb.qbxml.model import model_for

    if name in _ENVELOPES or model_for("16.0")[KNOWN].child(name) is None:
        raise FaultError(f"{name} is not a qbXML request type")
    return name


def _count(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("unlimited", "always", "none")):
        return None
    count = _integer("count", value)
    if count < 1:
        raise FaultError(f"count must be 1 or more (or unlimited), not {count}")
    return count


def _probability(value: Any) -> float:
    p = _number("probability", value)
    if not 0 < p <= 1:
        raise FaultError(f"probability must be more than 0 and at most 1, not {p:g}")
    return p


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise FaultError(f"{name} must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip(), 0)
        except ValueError:
            pass
    raise FaultError(f"{name} must be a whole number, not {value!r}")


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise FaultError(f"{name} must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FaultError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise FaultError(f"{name} must be a finite number, not {value!r}")
    return number


def _hresult(value: Any) -> int:
    if value is None:
        raise FaultError("kind hresult needs 'hresult', e.g. 0x80040408")
    code = _integer("hresult", value)
    if code < 0:
        code &= 0xFFFFFFFF  # a signed HRESULT, as pywin32 reports it
    if not 0x80000000 <= code <= 0xFFFFFFFF:
        raise FaultError(f"hresult must be a failure HRESULT (0x80000000-0xFFFFFFFF), not {value!r}")
    return code


def _message(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise FaultError("message must be non-empty text")
    return value


def request_types(text: Any) -> list[str]:
    """The request names in a request document, found without parsing it (it may not be well-formed)."""
    if not isinstance(text, str):
        return []
    return [name for name in _REQUEST_NAME.findall(text) if name not in _ENVELOPES]


@dataclass
class Triggered:
    """What the fault rules decided for one call."""

    fired: list[FaultRule] = field(default_factory=list)
    delay: float = 0.0
    fail: FaultRule | None = None  # an hresult rule
    close: bool = False
    lose: FaultRule | None = None

    def error(self) -> hr.ComError:
        """The exception an hresult rule raises."""
        assert self.fail is not None and self.fail.hresult is not None
        code, text = self.fail.hresult, self.fail.message
        if code in hr.RPC_MESSAGES or (code not in hr.MESSAGES and (code >> 16) & 0x1FFF == 7):
            return hr.ComError(hr.signed(code), text or hr.RPC_MESSAGES.get(code, "Exception occurred."), None, None)
        return hr.ComError.qb(code, text)


class FaultPlan:
    """The fault rules of one running QuickBooks; safe to use from several threads."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, rule: FaultRule | Mapping[str, Any]) -> FaultRule:
        """Add a rule (a FaultRule or its fields); returns a copy of the rule as stored, with its id."""
        rule = make_rule(rule.to_json() if isinstance(rule, FaultRule) else rule)
        with self._lock:
            rule.id = self._next_id
            self._next_id += 1
            self._rules.append(rule)
            return replace(rule)

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [replace(r) for r in self._rules]

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            kept = [r for r in self._rules if r.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
            return removed

    def clear(self) -> int:
        with self._lock:
            count, self._rules = len(self._rules), []
            return count

    def __len__(self) -> int:
        return len(self._rules)

    def on_call(self, method: str, types: Callable[[], Iterable[str]] | None = None) -> Triggered | None:
        """The rules that fire on a call of `method` (ProcessRequest: `types` gives its request names)."""
        if not self._rules:
            return None
        names = set(types()) if types is not None else set()
        result = Triggered()
        with self._lock:
            for rule in list(self._rules):
                if rule.kind == "status" or (rule.method is not None and rule.method != method):
                    continue
                if rule.request_type is not None and rule.request_type not in names:
                    continue
                if rule.kind == "lose_response" and (method != "ProcessRequest" or result.lose is not None):
                    continue
                if rule.kind in ("hresult", "close_quickbooks") and (result.fail or result.close):
                    continue
                if not self._fire(rule):
                    continue
                result.fired.append(replace(rule))
                if rule.kind == "latency":
                    result.delay += rule.seconds
                elif rule.kind == "hresult":
                    result.fail = rule
                elif rule.kind == "close_quickbooks":
                    result.close = True
                else:
                    result.lose = rule
        if result.fail is not None or result.close:
            result.lose = None  # nothing is processed, so there is no response to lose
        return result if result.fired else None

    def status_error(self, request: Request, terse: bool = False) -> StatusError | None:
        """The status a status rule answers `request` with, if one fires (`terse`: behaviour `lock_texts`)."""
        if not self._rules:
            return None
        with self._lock:
            for rule in list(self._rules):
                if rule.kind != "status" or (rule.request_type not in (None, request.name)):
                    continue
                if self._fire(rule):
                    return _status(rule, request, terse)
        return None

    def _fire(self, rule: FaultRule) -> bool:
        """Roll the rule's dice; when it fires, count the hit and retire a spent rule (lock held)."""
        if rule.probability < 1 and rule._rng.random() >= rule.probability:
            return False
        rule.hits += 1
        if rule.count is not None:
            rule.count -= 1
            if rule.count <= 0:
                self._rules.remove(rule)
        return True


def _status(rule: FaultRule, request: Request, terse: bool) -> StatusError:
    code = rule.status_code or 0
    if rule.message is not None:
        severity = status.INFO if code < 500 else status.WARN if code < 1000 else status.ERROR
        return StatusError(code, rule.message, severity)
    object_type, element, is_list = _subject(request)
    return status.lock_error(code, object_type, element, is_list, terse)


def _subject(request: Request) -> tuple[str, str | None, bool]:
    """What a request works on, as QuickBooks names it in lock errors: ("Customer", "Jones", True)."""
    from fakeqb.company.lists import LIST_TYPES

    name = request.name.removesuffix("Rq")
    for op in _OPERATIONS:
        if name.endswith(op) and len(name) > len(op):
            name = name.removesuffix(op)
            break
    body = next((c for c in request.element if isinstance(c.tag, str)), None)
    if name in ("List", "Txn") and body is not None:  # ListDel, TxnDel, TxnVoid name their type inside
        name = request.element.findtext(f"{name}DelType") or request.element.findtext("TxnVoidType") or name
    element = None
    for source in (body, request.element):
        if source is None:
            continue
        element = source.findtext("Name") or source.findtext("FullName") or source.findtext("ListID") \
            or source.findtext("TxnID") or source.findtext("RefNumber")
        if element:
            break
    list_type = LIST_TYPES.get(name)
    if list_type is not None:
        return list_type.label, element, True
    is_list = name.startswith("Item") or name in ("Account", "Class", "Customer", "Vendor", "Employee", "OtherName",
                                                  "DataExt", "DataExtDef", "Terms", "SalesTaxCode", "PaymentMethod")
    return ("Item" if name.startswith("Item") else name), element, is_list
