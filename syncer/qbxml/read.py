"""Reading qbXML responses: the message set, each response's status and iterator, and field values.

Readers are lenient where real QuickBooks output varies: missing optional elements, booleans as true/1, amounts with
or without decimals (and negative ones, as AppliedAmount is on paid invoices), dates with a time zone suffix, times
with or without an offset, status attributes with surrounding spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeAlias

from lxml import etree

Element: TypeAlias = etree._Element

OK, NO_MATCH, NOT_FOUND = 0, 1, 500
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_MOMENT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?)?"
                     r"\s*(Z|[+\-]\d{1,2}:?\d{2})?\Z")


class MalformedResponseError(ValueError):
    """The response is not a qbXML message set."""


@dataclass(frozen=True)
class Rs:
    """One `*Rs` element of a response; `rejected` lists the Rets of a query left out of it as unusable (what
    identifies each, and what was wrong with it: see `syncer.qbxml.answers`)."""

    element: Element
    rejected: tuple[tuple[str, str], ...] = field(default=())

    @property
    def name(self) -> str:
        return str(self.element.tag)

    @property
    def code(self) -> int:
        try:
            return int((self.element.get("statusCode") or "0").strip())
        except ValueError:
            return -1

    @property
    def severity(self) -> str:
        return (self.element.get("statusSeverity") or "").strip()

    @property
    def message(self) -> str:
        return (self.element.get("statusMessage") or "").strip()

    @property
    def is_error(self) -> bool:
        return self.severity.lower() == "error" or self.code >= 1000

    @property
    def iterator_id(self) -> str | None:
        return self.element.get("iteratorID")

    @property
    def remaining(self) -> int:
        try:
            return int(self.element.get("iteratorRemainingCount") or "0")
        except ValueError:
            return 0

    def rets(self) -> list[Element]:
        """The `*Ret` aggregates, in the order QuickBooks wrote them."""
        return [c for c in self.element if isinstance(c.tag, str) and c.tag.endswith("Ret")]

    def __str__(self) -> str:
        return f"{self.name} {self.code} {self.severity}: {self.message}"


def parse_response(text: str) -> list[Rs]:
    """The `*Rs` elements of a response document, in order."""
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise MalformedResponseError(f"not XML: {exc}") from None
    msgs = root.find("QBXMLMsgsRs") if root.tag == "QBXML" else None
    if msgs is None:
        raise MalformedResponseError(f"no QBXMLMsgsRs in a <{root.tag}> document")
    return [Rs(el) for el in msgs if isinstance(el.tag, str)]


class Fields:
    """An element's children by tag, read once: reading many fields of one element this way costs a dictionary lookup
    each instead of a path search. The readers below take it wherever they take an element."""

    __slots__ = ("children", "element")

    def __init__(self, el: Element):
        self.element = el
        self.children: dict[str, Element] = {}
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag not in self.children:
                self.children[tag] = child

    def find(self, path: str) -> Element | None:
        head, _, rest = path.partition("/")
        child = self.children.get(head)
        if child is None or not rest:
            return child
        return child.find(rest)

    def findall(self, path: str) -> list[Element]:
        return self.element.findall(path)


Readable: TypeAlias = Element | Fields


def text(el: Readable, path: str) -> str | None:
    """The text at `path` with surrounding white space removed; None when absent or empty."""
    found = el.find(path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def amount(el: Readable, path: str) -> Decimal | None:
    value = text(el, path)
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None


def boolean(el: Readable, path: str) -> bool | None:
    value = text(el, path)
    if value is None:
        return None
    return value.lower() in ("true", "1")


def day(el: Readable, path: str) -> date | None:
    value = text(el, path)
    if value is None:
        return None
    return parse_day(value)


def parse_day(value: str) -> date | None:
    """A DATETYPE value (a time zone suffix is allowed); None when it is not a date of the calendar."""
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_moment(value: str) -> datetime | None:
    """A DATETIMETYPE value; aware when it has an offset, naive otherwise (the same values come back every run:
    remembered); None when it is not a moment of the calendar."""
    match = _MOMENT.match(value.strip())
    if match is None:
        return None
    y, mo, d, h, mi, s, off = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        if off:
            if off == "Z":
                return moment.replace(tzinfo=UTC)
            sign = -1 if off[0] == "-" else 1
            digits = off[1:].replace(":", "")
            hours, minutes = int(digits[:-2]), int(digits[-2:])
            return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    except ValueError:
        return None
    return moment


def moment(el: Readable, path: str) -> datetime | None:
    value = text(el, path)
    return parse_moment(value) if value is not None else None


def ref_id(el: Readable, path: str) -> str | None:
    """The ListID (or TxnID) of the reference at `path`."""
    return text(el, f"{path}/ListID")


def ref_name(el: Readable, path: str) -> str | None:
    return text(el, f"{path}/FullName")
