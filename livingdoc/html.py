"""The markup every part of the page is written with: escaped text, status badges, tables, anchors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from livingdoc.brands import BRANDS
from livingdoc.model import Feature, Rule, Status

_VALUE = re.compile(r'("[^"]*"|<[^<>]+>)')


def e(text: object) -> str:
    return escape(str(text), quote=True)


def css_class(status: Status) -> str:
    return status.value.replace(" ", "-")


def badge(status: Status) -> str:
    return f'<span class="status {css_class(status)}">{e(status.value)}</span>'


def brand_name(brand: str) -> str:
    return BRANDS.get(brand, "Result")


def tag_list(tags: Iterable[str]) -> str:
    items = "".join(f"<li>@{e(t)}</li>" for t in tags)
    return f'<ul class="tags">{items}</ul>' if items else ""


def step_text(text: str) -> str:
    """Quoted values and outline placeholders stand out."""
    out: list[str] = []
    for piece in _VALUE.split(text):
        if not piece:
            continue
        if piece.startswith('"') and piece.endswith('"') and len(piece) > 1:
            out.append(f'<span class="value">{e(piece)}</span>')
        elif piece.startswith("<") and piece.endswith(">"):
            out.append(f'<span class="param">{e(piece)}</span>')
        else:
            out.append(e(piece))
    return "".join(out)


def html_table(rows: list[list[str]], extra_headers: list[str] | None = None,
           extra_cells: list[list[str]] | None = None) -> str:
    """A table of plain text; `extra_cells` (markup) add one column per extra header."""
    if not rows:
        return ""
    head = "".join(f"<th>{e(c)}</th>" for c in rows[0]) + "".join(f"<th>{e(h)}</th>" for h in extra_headers or [])
    body = []
    for i, row in enumerate(rows[1:]):
        cells = "".join(f"<td>{e(c)}</td>" for c in row)
        if extra_cells is not None:
            cells += "".join(f"<td>{cell}</td>" for cell in extra_cells[i])
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"




def feature_anchor(feature: Feature) -> str:
    return "f-" + re.sub(r"[^a-z0-9]+", "-", feature.path.lower()).strip("-")


def rule_anchor(feature: Feature, rule: Rule) -> str:
    return f"{feature_anchor(feature)}-r{rule.line}"
