"""Check a request element against the message model, as strictly as QuickBooks' parser does.

Structure (order, required elements, repetitions, unknown elements or attributes), enumerations and value formats are
parse errors: QuickBooks rejects the whole message set with HRESULT 0x80040400. A string longer than its field allows
is not: QuickBooks answers that one request with status 3070 and goes on, so over-long values are collected and
reported separately.

ASSUMPTIONS: an INTTYPE value outside a signed 32-bit integer is a parse error (QuickBooks reads it into one); a date
the schema allows but no calendar day QuickBooks holds (a year of five digits, or below 1) is answered like an invalid
date (3020) for that request. An ID longer than IDTYPE's 36 characters is reported like any over-long string (3070),
not as an invalid ID; an empty element with a schema default (JobStatus, ActiveStatus...) stands for that default, as
XML Schema says. Requests fakeqb does not simulate are checked by name only (their content is not in the model): they
are answered with status 3250 even where QuickBooks would find their content invalid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from fakeqb.qbxml.model import UNBOUNDED, Node
from fakeqb.qbxml.values import INT_RANGE, lexically_valid, representable_date

ID_MAX_LENGTH = 36  # IDTYPE's maxLength


class QbxmlParseError(Exception):
    """The request is not valid qbXML (QuickBooks answers HRESULT 0x80040400)."""


@dataclass
class Findings:
    too_long: list[tuple[str, str]] = field(default_factory=list)  # (value, field name)
    bad_dates: list[tuple[str, str]] = field(default_factory=list)  # (value, field name): no day QuickBooks holds


def children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def validate(el: etree._Element, node: Node, findings: Findings, attributes: tuple[str, ...] | None = None) -> None:
    """Validate `el` (an element named node.name) and its content; raise QbxmlParseError on the first problem."""
    allowed = node.attributes if attributes is None else attributes
    for attr in el.keys():  # noqa: SIM118  (an lxml element: keys() is a list, cheaper than the attrib proxy)
        if attr not in allowed:
            raise QbxmlParseError(f"attribute {attr!r} is not allowed on {el.tag}")
    if node.value is not None:
        _leaf(el, node, findings)
        return
    kids: list[etree._Element] = []
    tags: list[str] = []
    for child in el:  # one pass: the text between children, and the element children with their names
        if (child.tail or "").strip():
            raise QbxmlParseError(f"{el.tag} holds text where only elements are allowed")
        tag = child.tag
        if isinstance(tag, str):
            kids.append(child)
            tags.append(tag)
    if (el.text or "").strip():
        raise QbxmlParseError(f"{el.tag} holds text where only elements are allowed")
    pos = _match_seq(node, kids, tags, 0, findings, el.tag)
    if pos < len(kids):
        raise QbxmlParseError(f"unexpected element {kids[pos].tag} in {el.tag}")


def _leaf(el: etree._Element, node: Node, findings: Findings) -> None:
    if len(el) and children(el):
        raise QbxmlParseError(f"{el.tag} must hold a value, not elements")
    text = el.text or ""
    if text == "" and node.default is not None:
        text = node.default  # an empty element takes the schema's default value
    vt = node.value
    assert vt is not None
    if vt.kind == "enum":
        if text not in vt.enum:
            raise QbxmlParseError(f"{text!r} is not a value of {el.tag}")
        return
    if not lexically_valid(vt.kind, text):
        raise QbxmlParseError(f"{text!r} is not a valid {vt.kind} in {el.tag}")
    if vt.kind == "int":
        low, high = vt.bounds or (None, None)
        value = _int(text)
        if (value is None or not INT_RANGE[0] <= value <= INT_RANGE[1] or (low is not None and value < low)
                or (high is not None and value > high)):
            raise QbxmlParseError(f"{text[:20]!r} is out of range in {el.tag}")
    elif vt.kind in ("date", "datetime") and text.strip() and not representable_date(text):
        findings.bad_dates.append((text, el.tag))
    limit = ID_MAX_LENGTH if vt.kind == "id" else vt.max_length
    if limit is not None and len(text) > limit:
        findings.too_long.append((text, el.tag))


def _int(text: str) -> int | None:
    """An INTTYPE value, or None when it has more digits than any value in range (int() of thousands of digits is
    slow, and refused past 4,300)."""
    digits = text.strip(" \t\r\n").lstrip("+-").lstrip("0")
    return int(text) if len(digits) <= 10 else None


@cache
def _first(node: Node) -> frozenset[str]:
    """Element names that can start `node`."""
    if node.name is not None:
        return frozenset((node.name,))
    names: set[str] = set()
    for c in node.children:
        names |= _first(c)
        if node.group == "seq" and not _nullable(c):
            break
    return frozenset(names)


def _nullable(node: Node) -> bool:
    return node.min == 0 or (node.name is None and _body_nullable(node))


@cache
def _body_nullable(group: Node) -> bool:
    """Whether one occurrence of a group can be empty."""
    test = any if group.group == "choice" else all
    return test(_nullable(c) for c in group.children)


@cache
def _parts(node: Node) -> tuple[tuple[Node, frozenset[str], bool], ...]:
    """The children of `node` as matching visits them: each with the names that can start it, and whether it may be
    absent. Prepared once per model node: a request's aggregate holds a few of the dozens of elements it may."""
    return tuple((c, _first(c), _nullable(c)) for c in node.children)


def _match_seq(node: Node, kids: list[etree._Element], tags: list[str], pos: int, findings: Findings,
               parent: str) -> int:
    for part, first, optional in _parts(node):
        if optional and (pos >= len(tags) or tags[pos] not in first):
            continue  # absent, as it may be
        pos = _match(part, kids, tags, pos, findings, parent)
    return pos


def _match(node: Node, kids: list[etree._Element], tags: list[str], pos: int, findings: Findings, parent: str) -> int:
    """Consume the occurrences of `node` starting at kids[pos] (whose names are `tags`); return the new position."""
    count = 0
    while node.max == UNBOUNDED or count < node.max:
        if pos >= len(kids) or tags[pos] not in _first(node):
            break
        start = pos
        if node.name is not None:
            validate(kids[pos], node, findings)
            pos += 1
        elif node.group == "choice":
            branch = next(c for c in node.children if tags[pos] in _first(c))
            pos = _match(branch, kids, tags, pos, findings, parent)
        else:
            pos = _match_seq(node, kids, tags, pos, findings, parent)
        count += 1
        if pos == start:
            break
    if count < node.min and not (node.name is None and _body_nullable(node)):
        expected = node.name or " or ".join(sorted(_first(node)))
        found = tags[pos] if pos < len(kids) else "the end"
        raise QbxmlParseError(f"expected {expected} in {parent}, found {found}")
    return pos
