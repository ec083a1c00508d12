"""Writing qbXML: the request document around request elements, and element helpers that format values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TypeAlias

from lxml import etree

from syncer.qbxml import VERSION

Element: TypeAlias = etree._Element
Value: TypeAlias = str | int | bool | Decimal | date | None

CENT = Decimal("0.01")


def document(requests: Iterable[Element], on_error: str = "stopOnError") -> str:
    """A qbXML request document holding `requests` (each a `*Rq` element)."""
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRq", onError=on_error)
    msgs.extend(requests)
    body = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{VERSION}"?>\n{body}'


def fmt(value: Value) -> str:
    """A value as qbXML writes it: booleans true/false, amounts with two decimals, dates YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):.2f}"
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fmt_quantity(value: Decimal) -> str:
    """A QUANTYPE/PRICETYPE value: at most five decimals, no exponent."""
    text = f"{value.quantize(Decimal('0.00001')).normalize():f}"
    return text


def leaf(parent: Element, tag: str, value: Value) -> Element | None:
    """Append `<tag>value</tag>` unless value is None."""
    if value is None:
        return None
    child = etree.SubElement(parent, tag)
    child.text = fmt(value)
    return child


def node(parent: Element, tag: str) -> Element:
    """Append an empty aggregate `<tag/>` and return it."""
    return etree.SubElement(parent, tag)


def ref(parent: Element, tag: str, list_id: str | None) -> None:
    """Append a reference by ListID (`<tag><ListID>...</ListID></tag>`) unless list_id is None."""
    if list_id is not None:
        etree.SubElement(etree.SubElement(parent, tag), "ListID").text = list_id


def put(parent: Element, path: str, value: Value) -> None:
    """Append the leaf at `path` ("VendorAddress/City"), reusing the previous sibling aggregate of that name.

    Fields must come in schema order, those of one aggregate together. None writes an empty element, which a Mod
    reads as "clear this field".
    """
    *aggregates, tag = path.split("/")
    node = parent
    for name in aggregates:
        last = node[-1] if len(node) else None
        node = last if last is not None and last.tag == name else etree.SubElement(node, name)
    etree.SubElement(node, tag).text = fmt(value)


def request(name: str, request_id: str | None = None, **attrs: str | None) -> Element:
    """An empty `*Rq` element with its attributes (None attributes are left out)."""
    el = etree.Element(name)
    if request_id is not None:
        el.set("requestID", request_id)
    for key, value in attrs.items():
        if value is not None:
            el.set(key, value)
    return el


def query(qb_type: str, request_id: str | None, iterator: str | None, iterator_id: str | None,
          selectors: Sequence[tuple[str, Sequence[str]]]) -> tuple[Element, bool]:
    """`<qb_type>QueryRq` selecting by the first (tag, values) of `selectors` that has values (each value a `tag`);
    whether one had (a query that selects takes no filters)."""
    rq = request(f"{qb_type}QueryRq", request_id, iterator=iterator, iteratorID=iterator_id)
    for tag, values in selectors:
        if values:
            for value in values:
                leaf(rq, tag, value)
            return rq, True
    return rq, False
