"""Helpers shared by the tests: sending qbXML to a request processor and checking responses against the XSDs."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from fakeqb.com.client import envelope
from fakeqb.qbxml.model import family_of


def xsd_dir() -> Path:
    """The official schemas; skipped where they are not available, but never on CI."""
    value = os.environ.get("QBXML_XSD_DIR")
    if value and (Path(value) / "13.0").is_dir():
        return Path(value)
    if os.environ.get("CI"):
        pytest.fail("QBXML_XSD_DIR must point at the qbXML schemas on CI")
    pytest.skip(reason="QBXML_XSD_DIR is not set: the official qbXML schemas are not available")


@cache
def _schema(folder: str, family: str) -> etree.XMLSchema:
    name = {"13": "13.0/qbxmlops130.xsd", "16": "16.0/qbxmlops160.xsd"}[family]
    return etree.XMLSchema(etree.parse(str(Path(folder) / name)))


def schema(family: str) -> etree.XMLSchema:
    return _schema(str(xsd_dir()), family)


def assert_valid(xml: str, version: str) -> etree._Element:
    """Parse `xml` (a request or response document) and assert it is valid for `version`'s schema family."""
    root = etree.fromstring(xml.encode())
    sch = schema(family_of(version))
    if not sch.validate(root):
        raise AssertionError(f"not valid qbXML {version}: {sch.error_log}\n{xml}")
    return root


class Client:
    """A connected request processor with an open session, for tests."""

    def __init__(self, rp: Any, app: str = "Test App", mode: int = 2):
        self.rp = rp
        rp.OpenConnection2("", app, 1)
        self.ticket = rp.BeginSession("", mode)

    def raw(self, body: str, version: str = "13.0", on_error: str = "stopOnError") -> str:
        return self.rp.ProcessRequest(self.ticket, envelope(body, version, on_error))

    def send(self, body: str, version: str = "13.0", on_error: str = "stopOnError") -> etree._Element:
        """Send request elements; return the QBXMLMsgsRs element."""
        return etree.fromstring(self.raw(body, version, on_error).encode()).find("QBXMLMsgsRs")

    def one(self, body: str, version: str = "13.0") -> etree._Element:
        """Send one request; return its Rs element."""
        return self.send(body, version)[0]

    def close(self) -> None:
        self.rp.EndSession(self.ticket)
        self.rp.CloseConnection()
