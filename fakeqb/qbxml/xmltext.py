"""Response XML written directly as text, exactly as lxml's pretty print writes the same tree.

Building an lxml tree element by element, then serializing it, cost a fifth of a one-object query and most of a
100-object page; strings cost a fraction of that. The rules are lxml's (libxml2's), and tests/test_xmltext.py checks
them against lxml:

* each element on a line of its own, indented two spaces per level; an element with no content is `<Name/>`, one
  with text (even empty) `<Name>text</Name>`, one with elements has its end tag on a line of its own;
* in text, & < > and carriage return are escaped (&amp; &lt; &gt; &#13;); in attribute values also the double quote,
  tab and line feed (&quot; &#9; &#10;); other characters are written as they are;
* a value holding a character XML does not allow (most control characters, surrogates, U+FFFE and U+FFFF) raises
  ValueError, as lxml does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

INDENT = "  "
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: What text and attribute values cannot hold as they are: a character to escape, or one XML does not allow (values
#: without any, the common case, are written after this one check).
_SPECIAL_IN_TEXT = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL_IN_ATTRIBUTE = re.compile("[&<>\"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;",
                                    "\t": "&#9;", "\n": "&#10;"})


def _checked(value: str) -> str:
    if _NOT_XML.search(value) is not None:
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return value


def attribute(value: str) -> str:
    """`value` as an attribute value (inside double quotes)."""
    if _SPECIAL_IN_ATTRIBUTE.search(value) is None:
        return value
    return _checked(value).translate(_ATTRIBUTE_ESCAPES)


def leaf(name: str, value: str, depth: int) -> str:
    """Element `name` holding the text `value`, at indentation `depth`."""
    if _SPECIAL_IN_TEXT.search(value) is not None:
        value = _checked(value).translate(_TEXT_ESCAPES)
    return f"{INDENT * depth}<{name}>{value}</{name}>\n"


def element(name: str, content: list[str], depth: int, attributes: Iterable[tuple[str, str]] = ()) -> str:
    """Element `name` with its attributes, holding the elements written in `content`, at indentation `depth`."""
    pad = INDENT * depth
    head = pad + "<" + name + "".join([f' {key}="{attribute(value)}"' for key, value in attributes])
    if not content:
        return head + "/>\n"
    return head + ">\n" + "".join(content) + pad + "</" + name + ">\n"
