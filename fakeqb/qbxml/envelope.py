"""Reading a qbXML request document and writing the response document.

Parsing is defensive: no DTDs or entities, no network, a size limit. Everything QuickBooks' own parser would refuse
(not well-formed, a DOCTYPE, a missing `onError`, an unknown request, a request that breaks the schema) raises
QbxmlParseError, which the request processor turns into HRESULT 0x80040400 before anything in the company changes.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from lxml import etree

from fakeqb.qbxml import xmltext
from fakeqb.qbxml.model import Node, model_for
from fakeqb.qbxml.validate import Findings, QbxmlParseError, validate

#: qbXML versions the simulated QuickBooks (Desktop 2023, US) accepts: the US desktop versions from 1.0 to 16.0.
#: 6.1 was a QuickBooks Online Edition version and is not among them.
SUPPORTED_VERSIONS: tuple[str, ...] = (
    "1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0", "9.0",
    "10.0", "11.0", "12.0", "13.0", "14.0", "15.0", "16.0",
)
MAX_REQUEST_CHARS = 16 * 1024 * 1024
ON_ERROR = ("stopOnError", "continueOnError", "rollbackOnError")
RESPONSE_DATA = ("includeAll", "includeNone")
ENUM_ATTRIBUTES = {"iterator": ("Start", "Continue", "Stop"),
                   "metaData": ("NoMetaData", "MetaDataOnly", "MetaDataAndResponseData")}
KNOWN = "QBXMLMsgsRq"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, encoding="utf-8")
_VERSION = re.compile(r'version\s*=\s*"([^"]*)"|version\s*=\s*\'([^\']*)\'')


class RollbackRefused(Exception):  # noqa: N818  (named after the HRESULT, like the others)
    """onError="rollbackOnError", which QuickBooks does not support (HRESULT 0x80040413)."""


class UnsupportedVersion(Exception):  # noqa: N818
    """The document asks for a qbXML version QuickBooks does not know (HRESULT 0x80040423)."""




@dataclass
class Request:
    element: etree._Element
    name: str
    simulated: bool
    findings: Findings = field(default_factory=Findings)

    @property
    def request_id(self) -> str | None:
        return self.element.get("requestID")


@dataclass
class MessageSet:
    version: str
    on_error: str
    include_data: bool
    requests: list[Request]
    old_id: str | None = None  # error recovery: oldMessageSetID
    new_id: str | None = None  # newMessageSetID


def parse_request(text: str, simulated: Collection[str]) -> MessageSet:
    """Parse and check a request document; raises QbxmlParseError or UnsupportedVersion."""
    if not isinstance(text, str) or len(text) > MAX_REQUEST_CHARS:
        raise QbxmlParseError("the request is not a string of acceptable size")
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)
    except (etree.XMLSyntaxError, ValueError, UnicodeError) as exc:
        raise QbxmlParseError(f"not well-formed: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise QbxmlParseError("DOCTYPE declarations are not accepted")
    version = _version(root)
    if root.tag != "QBXML" or root.attrib:
        raise QbxmlParseError("the root element must be QBXML")
    body = [c for c in root if isinstance(c.tag, str)]
    if body and body[0].tag == "SignonMsgsRq":  # a QuickBooks Online element: Desktop ignores it
        body = body[1:]
    if len(body) != 1 or body[0].tag not in ("QBXMLMsgsRq", "QBXMLSubscriptionMsgsRq"):
        raise QbxmlParseError("QBXML must hold one QBXMLMsgsRq")
    msgs = body[0]
    if msgs.tag == "QBXMLSubscriptionMsgsRq":
        raise WrongApi()
    if version not in SUPPORTED_VERSIONS:
        raise UnsupportedVersion(version)
    on_error = msgs.get("onError")
    response_data = msgs.get("responseData", "includeAll")
    extra = set(msgs.attrib) - {"onError", "responseData", "oldMessageSetID", "newMessageSetID"}
    if on_error not in ON_ERROR or response_data not in RESPONSE_DATA or extra:
        raise QbxmlParseError("QBXMLMsgsRq needs a valid onError and no unknown attributes")
    if on_error == "rollbackOnError":
        raise RollbackRefused()
    if (msgs.text or "").strip():
        raise QbxmlParseError("QBXMLMsgsRq holds text")
    model = model_for(version)
    known = model[KNOWN]
    requests = []
    for el in msgs:
        if not isinstance(el.tag, str):
            if (el.tail or "").strip():
                raise QbxmlParseError("QBXMLMsgsRq holds text")
            continue
        if known.child(el.tag) is None or (el.tail or "").strip():
            raise QbxmlParseError(f"{el.tag} is not a qbXML {version} request")
        req = Request(el, el.tag, el.tag in simulated)
        if req.simulated:
            _check_request(el, model[el.tag], req.findings)
        requests.append(req)
    old_id, new_id = msgs.get("oldMessageSetID"), msgs.get("newMessageSetID")
    if any(len(x) > MESSAGE_SET_ID_CHARS for x in (old_id, new_id) if x is not None):
        raise QbxmlParseError(f"a message set ID has at most {MESSAGE_SET_ID_CHARS} characters")
    return MessageSet(version, on_error, response_data == "includeAll", requests, old_id, new_id)


class WrongApi(Exception):  # noqa: N818
    """A subscription message set sent to ProcessRequest (HRESULT 0x80040429)."""


def _version(root: etree._Element) -> str:
    for sibling in root.itersiblings(preceding=True):
        if isinstance(sibling, etree._ProcessingInstruction) and sibling.target == "qbxml":
            m = _VERSION.search(sibling.text or "")
            if m is None:
                break
            return (m.group(1) or m.group(2) or "").strip()
    raise QbxmlParseError('the <?qbxml version="..."?> instruction is missing')


def _check_request(el: etree._Element, node: Node, findings: Findings) -> None:
    validate(el, node, findings)
    for attr, allowed in ENUM_ATTRIBUTES.items():
        value = el.get(attr)
        if value is not None and value not in allowed:
            raise QbxmlParseError(f"{attr}={value!r} is not allowed")


#: The indentation of the `*Rs` elements in the response document (inside QBXML and QBXMLMsgsRs).
RS_DEPTH = 2
MESSAGE_SET_ID_CHARS = 23  # Intuit: oldMessageSetID and newMessageSetID have at most 23 characters


def response_document(rs_texts: list[str], attributes: list[tuple[str, str]] | None = None) -> str:
    """The response text: the QBXML envelope around the `*Rs` elements (written at RS_DEPTH), as QuickBooks writes
    it (`attributes` on QBXMLMsgsRs: error recovery's)."""
    return ('<?xml version="1.0" ?>\n<QBXML>\n' + xmltext.element("QBXMLMsgsRs", rs_texts, 1, attributes or ())
            + "</QBXML>\n")
