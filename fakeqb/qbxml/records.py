"""Convert between qbXML elements and the JSON form fakeqb stores, following the message model.

The stored form of an aggregate is a dict keyed by element name: a leaf is its (normalised) text, an aggregate a
dict, a repeatable element a list. Building an element back walks the model, so output is always in schema order
whatever order the dict has.

ASSUMPTION: IncludeRetElement never removes an element the schema requires in the `*Ret` (DataExtID in a
DataExtDefRet, ...): QuickBooks' responses are valid against its own schema, so those are always written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any

from lxml import etree

from fakeqb.qbxml import xmltext
from fakeqb.qbxml.model import Node
from fakeqb.qbxml.values import fmt_amount, parse_bool

Data = dict[str, Any]
#: Key of a stored aggregate holding the occurrences of a repeated choice in their own order, as [name, value] pairs
#: (journal entry lines: debits and credits interleaved as entered). They are written where the choice stands.
INTERLEAVED = "*interleaved*"


def normalise(kind: str, text: str) -> str:
    """The text QuickBooks writes back for a value it was sent: true for 1, an amount with two decimals (5.00 for 5),
    a quantity, price or percentage without trailing zeros (as captured: 1, 2, 300; a Rate sent as 100 is 100)."""
    if text == "":
        return text
    if kind == "bool":
        return "true" if parse_bool(text) else "false"
    if kind == "amt":
        return fmt_amount(text)
    if kind in ("price", "quan", "percent"):
        return format(Decimal(text).normalize(), "f")
    if kind == "date":
        return text.strip()
    return text


def to_data(el: etree._Element, node: Node) -> Data:
    """The stored form of element `el`'s content."""
    out: Data = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        spec = node.child(child.tag)
        assert spec is not None, f"{child.tag} in {el.tag} passed validation but is not in the model"
        if spec.value is not None:
            value: Any = normalise(spec.value.kind, child.text or spec.default or "")
        else:
            value = to_data(child, spec)
        if child.tag in _repeatable(node):
            out.setdefault(child.tag, []).append(value)
        else:
            out[child.tag] = value
    return out


RefResolver = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]


def build(node: Node, data: Mapping[str, Any], depth: int, only: set[str] | None = None,
          ref: RefResolver | None = None) -> str:
    """Element `node.name` holding `data`, as response text at indentation `depth` (`fakeqb.qbxml.xmltext`);
    `only` limits the top-level elements written."""
    return _element(node, data, depth, only, ref)


def _element(node: Node, data: Mapping[str, Any], depth: int, only: set[str] | None,
             ref: RefResolver | None) -> str:
    # Only the elements `data` holds are visited, then put in schema order: walking every element the schema allows
    # (55 in a VendorRet) costs more than writing the dozen an object has.
    positions = _positions(node)
    placed = [found for key in data if (found := positions.get(key)) is not None]
    required: frozenset[str] = frozenset()
    if only is not None:
        required = _required(node)
        placed = [p for p in placed if p[1] in only or p[1] in required]
    interleaved = data.get(INTERLEAVED)
    if interleaved:  # written where the first of their elements stands, instead of that element's own value
        anchor = min((positions[n] for n, _ in interleaved if n in positions), key=_FIRST, default=None)
        if anchor is not None:
            placed = [p for p in placed if p is not anchor]
            placed.append((anchor[0], INTERLEAVED, anchor[2]))
    placed.sort(key=_FIRST)
    content: list[str] = []
    inner = depth + 1
    for _, key, spec in placed:
        value = data[key]
        if key == INTERLEAVED:
            for item_name, item in value:
                if only is None or item_name in only or item_name in required:
                    _write(content, node.child(item_name) or spec, item, inner, ref)
        elif isinstance(value, list):
            for item in value:
                if item is not None:
                    _write(content, spec, item, inner, ref)
        elif value is None:
            continue
        elif spec.value is not None:  # a single leaf, the common case, written here rather than through _write
            content.append(xmltext.leaf(key, value if isinstance(value, str) else str(value), inner))
        else:
            _write(content, spec, value, inner, ref)
    attributes = [(a, data[f"@{a}"]) for a in node.attributes if f"@{a}" in data] if node.attributes else ()
    return xmltext.element(node.name or "", content, depth, attributes)


def _write(content: list[str], spec: Node, item: Any, depth: int, ref: RefResolver | None) -> None:
    name = spec.name or ""
    if spec.value is not None:
        content.append(xmltext.leaf(name, item if isinstance(item, str) else str(item), depth))
        return
    if ref is not None and name.endswith("Ref") and "ListID" in item:
        item = ref(name, item)
    content.append(_element(spec, item, depth, None, ref))


_FIRST = itemgetter(0)


@cache
def _positions(node: Node) -> dict[str, tuple[int, str, Node]]:
    """Each element child of `node` by name: its place in schema order, its name and its model."""
    return {spec.name: (i, spec.name, spec) for i, spec in enumerate(node.elements()) if spec.name is not None}


@cache
def _repeatable(node: Node) -> frozenset[str]:
    """Names of the element children that may occur more than once (themselves, or in a repeated group)."""
    names: set[str] = set()
    for c in node.children:
        if c.name is not None:
            if c.max != 1:
                names.add(c.name)
        else:
            names |= {e.name for e in c.elements() if e.name} if c.max != 1 else _repeatable(c)
    return frozenset(names)


@cache
def _required(node: Node) -> frozenset[str]:
    """Names of the element children `node` must always hold (outside choices and optional groups)."""
    names: set[str] = set()
    for c in node.children:
        if c.min == 0:
            continue
        if c.name is not None:
            names.add(c.name)
        elif c.group == "seq":
            names |= _required(c)
    return frozenset(names)
