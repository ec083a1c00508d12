"""Response text written directly (`fakeqb.qbxml.xmltext`) is exactly what lxml's pretty print writes."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from fakeqb.qbxml import xmltext

#: Characters that matter to XML writing: escaped ones, white space, control characters, surrogates,
#: non-characters, and ordinary text beyond ASCII.
ALPHABET = ("a", "Z", "0", " ", "&", "<", ">", '"', "'", "\t", "\n", "\r", "\x00", "\x01", "\x0b", "\x1f", "\x7f",
            "\x85", "é", "€", "\u2028", "\ud7ff", "\ud800", "\udfff", "\ue000", "\ufffd", "\ufffe", "\uffff",
            "\U00010000", "\U0010ffff", "]]>", "&amp;")


def random_strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [""] + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6))) for _ in range(count)]


def lxml_text(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode", pretty_print=True)


def test_text_and_attributes_are_written_as_lxml_writes_them() -> None:
    for value in random_strings(2000, seed=1):
        el = etree.Element("A")
        try:
            el.text = value
        except (ValueError, UnicodeError):  # a character XML does not allow: refused the same way
            with pytest.raises(ValueError):
                xmltext.leaf("A", value, 0)
            with pytest.raises(ValueError):
                xmltext.element("A", [], 0, [("k", value)])
            continue
        assert xmltext.leaf("A", value, 0) == lxml_text(el), repr(value)
        el = etree.Element("A", k=value, m="x")
        assert xmltext.element("A", [], 0, [("k", value), ("m", "x")]) == lxml_text(el), repr(value)


def test_nested_elements_are_indented_as_lxml_indents_them() -> None:
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRs")
    rs = etree.SubElement(msgs, "VendorQueryRs", requestID="1", statusCode="0")
    ret = etree.SubElement(rs, "VendorRet")
    etree.SubElement(ret, "Name").text = "Acme & Sons"
    etree.SubElement(ret, "Empty").text = ""
    etree.SubElement(etree.SubElement(ret, "VendorAddress"), "City").text = "Springfield"
    etree.SubElement(ret, "NoContent")
    etree.SubElement(msgs, "BillQueryRs", statusCode="1")

    address = [xmltext.leaf("City", "Springfield", 5)]
    vendor = [xmltext.leaf("Name", "Acme & Sons", 4), xmltext.leaf("Empty", "", 4),
              xmltext.element("VendorAddress", address, 4), xmltext.element("NoContent", [], 4)]
    responses = [xmltext.element("VendorQueryRs", [xmltext.element("VendorRet", vendor, 3)], 2,
                                 [("requestID", "1"), ("statusCode", "0")]),
                 xmltext.element("BillQueryRs", [], 2, [("statusCode", "1")])]
    written = xmltext.element("QBXML", [xmltext.element("QBXMLMsgsRs", responses, 1)], 0)
    assert written == lxml_text(root)
