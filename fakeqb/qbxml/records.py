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

from fakeqb.qbxml.model import Node
from fakeqb.qbxml.values import fmt_amount, parse_bool

Data = dict[str, Any]
#: Key of a stored aggregate holding the occurrences of a repeated choice in their own order, as [name, value] pairs
#: (journal entry lines: debits and credits interleaved as entered). They are written where the choice stands.
INTERLEAVED = "*interleaved*"


def normalise(kind: str, text: str) -> str:
    """The text QuickBooks writes back for a value it was sent (true for 1, 5.00 for 5, ...)."""
    if text == "":
        return text
    if kind == "bool":
        return "true" if parse_bool(text) else "false"
    if kind == "amt":
        return fmt_amount(text)
    if kind in ("price", "quan", "percent"):
        value = Decimal(text)
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else format(value.normalize(), "f")
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


def build(parent: etree._Element, node: Node, data: Mapping[str, Any], only: set[str] | None = None,
          ref: RefResolver | None = None) -> etree._Element:
    """Append element `node.name` holding `data` to `parent`; `only` limits the top-level elements written."""
    el = etree.SubElement(parent, node.name or "")
    _fill(el, node, data, only, ref)
    return el


def _fill(el: etree._Element, node: Node, data: Mapping[str, Any], only: set[str] | None,
          ref: RefResolver | None) -> None:
    # Only the elements `data` holds are visited, then put in schema order: walking every element the schema allows
    # (55 in a VendorRet) costs more than writing the dozen an object has.
    positions = _positions(node)
    required = _required(node)
    placed: list[tuple[int, Node | None]] = [
        found for name in data
        if (found := positions.get(name)) is not None and (only is None or name in only or name in required)]
    interleaved: list[tuple[str, Any]] = data.get(INTERLEAVED) or []
    anchor = min((positions[n] for n, _ in interleaved if n in positions), key=_FIRST, default=None)
    if anchor is not None:  # the interleaved items stand where the first of their elements does, instead of it
        placed = [p for p in placed if p is not anchor]
        placed.append((anchor[0], None))
    placed.sort(key=_FIRST)
    for _, spec in placed:
        if spec is None:
            assert anchor is not None
            for item_name, item in interleaved:
                if only is None or item_name in only or item_name in required:
                    _write(el, node.child(item_name) or anchor[1], item, ref)
            continue
        assert spec.name is not None
        value = data[spec.name]
        for item in value if isinstance(value, list) else (value,):
            if item is not None:
                _write(el, spec, item, ref)


_FIRST = itemgetter(0)


def _write(el: etree._Element, spec: Node, item: Any, ref: RefResolver | None) -> None:
    name = spec.name or ""
    child = etree.SubElement(el, name)
    if spec.value is not None:
        child.text = item if isinstance(item, str) else str(item)
    else:
        if ref is not None and name.endswith("Ref") and "ListID" in item:
            item = ref(name, item)
        _fill(child, spec, item, None, ref)


@cache
def _positions(node: Node) -> dict[str, tuple[int, Node]]:
    """Each element child of `node` by name: its place in schema order, and its model."""
    return {spec.name: (i, spec) for i, spec in enumerate(node.elements()) if spec.name is not None}


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
