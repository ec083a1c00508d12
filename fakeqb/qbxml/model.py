"""The structural model of the qbXML messages fakeqb simulates.

QuickBooks checks every request against its schema before it does anything else: element order, required elements,
enumerations and value formats. fakeqb does the same with this model, a compact rendering of the official qbXML
schemas for the message types it simulates (and the `*Ret` aggregates it writes back). The model lives in
`messages.qbm` beside this module; `fakeqb.qbxml.xsd_extract` regenerates it from the SDK's XSD files, and a test
checks that the committed file is exactly what the XSDs say, for qbXML 13.0 and 16.0.

Each request is read, and its response written, with the model of the version it names (`model_for`): the 13.0
schema for versions up to 13.0, the 16.0 schema above, less the elements introduced after that version (as Intuit's
annotated samples date them). ASSUMPTIONS: 14.0 and 15.0 are read with the 16.0 schema (no 14.0/15.0 schema was
published beside it), so an element new in 15.0 or 16.0 passes in a 14.0 request; fields Intuit marks as belonging to
other editions (UK, Canada, Australia) are accepted, as the schema accepts them.

File format, one element or group per line, children indented by two spaces:

    VendorAddRq                     a top-level element (no indent)
      VendorAdd
        Name str:41                 a leaf with its value type (str with maxLength 41)
        IsActive? bool              occurrences: '' once, '?' optional, '*' any, '+' one or more, '{0,8}'
        (choice)?                   a choice or sequence group, with its occurrences
        Notes? str:4095 @16         '@16' / '@13': present in that schema family only
        JobStatus? enum:A|None =None  the schema's default value, which an empty element takes
        ItemQueryRq [requestID,metaData]    the attributes an element may carry
        ClassRef? ^12.0             the qbXML version that introduced the element (none: 1.0)

Value types: str[:N], id, bool, int[:MIN..MAX], amt, price, quan, percent, date, datetime, guid, interval, float,
enum:A|B|C.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("messages.qbm")
UNBOUNDED = -1
FAMILIES = ("13", "16")


@dataclass(frozen=True, slots=True)
class ValueType:
    """The simple type of a leaf element."""

    kind: str
    max_length: int | None = None
    enum: tuple[str, ...] = ()
    bounds: tuple[int | None, int | None] | None = None  # int only: minInclusive, maxInclusive

    def render(self) -> str:
        if self.kind == "enum":
            return "enum:" + "|".join(self.enum)
        if self.bounds is not None:
            low, high = ("" if b is None else str(b) for b in self.bounds)
            return f"{self.kind}:{low}..{high}"
        if self.max_length is not None:
            return f"{self.kind}:{self.max_length}"
        return self.kind

    @classmethod
    def parse(cls, text: str) -> ValueType:
        kind, _, arg = text.partition(":")
        if kind == "enum":
            return cls("enum", enum=tuple(arg.split("|")))
        if ".." in arg:
            low, high = arg.split("..")
            return cls(kind, bounds=(int(low) if low else None, int(high) if high else None))
        return cls(kind, int(arg) if arg else None)


@dataclass(slots=True, eq=False)
class Node:
    """An element (name set) or a sequence/choice group (name None) with its occurrence bounds.

    Nodes compare and hash by identity: the model is built once and never changed.
    """

    name: str | None
    group: str = ""  # "seq" or "choice" for groups
    min: int = 1
    max: int = 1  # UNBOUNDED for unbounded
    value: ValueType | None = None  # leaf elements only
    children: list[Node] = field(default_factory=list)
    family: str | None = None  # None: in every family, else "13" or "16" only
    attributes: tuple[str, ...] = ()
    default: str | None = None  # leaf elements only: the value an empty element stands for
    since: str | None = None  # the qbXML version that introduced the element, if later than 1.0

    def child(self, name: str) -> Node | None:
        """The element child named `name`, looking through nested groups."""
        return _index(self).get(name)

    def elements(self) -> list[Node]:
        """Element children in schema order, looking through nested groups."""
        return list(_index(self).values())

    def occurs(self) -> str:
        match (self.min, self.max):
            case (1, 1):
                return ""
            case (0, 1):
                return "?"
            case (0, -1):
                return "*"
            case (1, -1):
                return "+"
        hi = "" if self.max == UNBOUNDED else str(self.max)
        return f"{{{self.min},{hi}}}"

    def render(self, indent: int = 0) -> list[str]:
        head = self.name if self.name is not None else f"({self.group})"
        line = "  " * indent + head + self.occurs()
        if self.value is not None:
            line += " " + self.value.render()
        if self.default is not None:
            line += " =" + self.default
        if self.attributes:
            line += " [" + ",".join(self.attributes) + "]"
        if self.since:
            line += " ^" + self.since
        if self.family:
            line += " @" + self.family
        return [line] + [ln for c in self.children for ln in c.render(indent + 1)]


@cache
def _index(node: Node) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for c in node.children:
        if c.name is not None:
            out.setdefault(c.name, c)
        else:
            for name, sub in _index(c).items():
                out.setdefault(name, sub)
    return out


_LINE = re.compile(r"^(?P<ind> *)(?P<head>\([a-z]+\)|[A-Za-z0-9_]+)(?P<occ>[?*+]|\{\d+,\d*\})?"
                   r"(?: (?P<type>[a-z]+(?::[^ ]+)?))?(?: =(?P<default>[^ ]+))?"
                   r"(?: \[(?P<attrs>[A-Za-z,]+)\])?(?: \^(?P<since>\d+\.\d+))?(?: @(?P<fam>\d+))?$")


def _bounds(occ: str | None) -> tuple[int, int]:
    if not occ:
        return 1, 1
    if occ in ("?", "*", "+"):
        return {"?": (0, 1), "*": (0, UNBOUNDED), "+": (1, UNBOUNDED)}[occ]
    lo, hi = occ[1:-1].split(",")
    return int(lo), int(hi) if hi else UNBOUNDED


def parse_model(text: str) -> dict[str, Node]:
    """Parse model text into its top-level nodes, keyed by element name."""
    roots: dict[str, Node] = {}
    stack: list[tuple[int, Node]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        m = _LINE.match(raw)
        if m is None:
            raise ValueError(f"{MODEL_FILE.name}:{number}: cannot read {raw!r}")
        depth = len(m["ind"]) // 2
        head = m["head"]
        lo, hi = _bounds(m["occ"])
        node = Node(
            name=None if head.startswith("(") else head,
            group=head[1:-1] if head.startswith("(") else "",
            min=lo,
            max=hi,
            value=ValueType.parse(m["type"]) if m["type"] else None,
            family=m["fam"],
            attributes=tuple(m["attrs"].split(",")) if m["attrs"] else (),
            default=m["default"],
            since=m["since"],
        )
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            stack[-1][1].children.append(node)
        else:
            assert node.name is not None
            roots[node.name] = node
        stack.append((depth, node))
    return roots


def render_model(roots: dict[str, Node]) -> str:
    return "\n".join(line for node in roots.values() for line in node.render()) + "\n"


def version_key(version: str) -> tuple[int, int]:
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


def family_of(version: str) -> str:
    """The schema family a version is checked against: 13.0 and older against 13, newer against 16."""
    return "13" if version_key(version) <= (13, 0) else "16"


def _only(node: Node, family: str, version: tuple[int, int]) -> Node | None:
    if node.family not in (None, family) or (node.since is not None and version_key(node.since) > version):
        return None
    kids = [k for c in node.children if (k := _only(c, family, version)) is not None]
    return Node(node.name, node.group, node.min, node.max, node.value, kids, None, node.attributes, node.default)


@cache
def _model_file() -> dict[str, Node]:
    return parse_model(MODEL_FILE.read_text(encoding="utf-8"))


@cache
def model_for(version: str) -> dict[str, Node]:
    """The model as qbXML `version` has it: its schema family's elements, less those introduced after it."""
    family, key = family_of(version), version_key(version)
    return {name: n for name, root in _model_file().items() if (n := _only(root, family, key)) is not None}
