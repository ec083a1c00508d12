"""Build fakeqb's message model from the official qbXML XSD files.

The SDK's schemas are not shipped with fakeqb; point this at a folder holding `13.0/` and `16.0/` (each with the four
`qbxml*NNN.xsd` files) to regenerate `messages.qbm` after adding a message type to `SIMULATED`:

    python -m fakeqb.qbxml.xsd_extract /path/to/qbxml/xsd > fakeqb/qbxml/messages.qbm

The version that introduced each element comes from Intuit's annotated sample of the 14.0 messages
(`qbxmlops140.xml`, "v12.0" in the comment on an element's line), looked for in `../annotated/` beside the XSDs.

The contract tests run the same extraction and compare it with the committed file.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from lxml import etree

from fakeqb.qbxml.model import UNBOUNDED, Node, ValueType, render_model

XS = "{http://www.w3.org/2001/XMLSchema}"

#: Requests fakeqb answers, and the aggregates its responses are built from (in the order they are written).
SIMULATED: tuple[str, ...] = (
    "HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq",
    "AccountAddRq", "AccountModRq", "AccountQueryRq",
    "ClassAddRq", "ClassModRq", "ClassQueryRq",
    "CustomerAddRq", "CustomerModRq", "CustomerQueryRq",
    "VendorAddRq", "VendorModRq", "VendorQueryRq",
    "EmployeeAddRq", "EmployeeModRq", "EmployeeQueryRq",
    "OtherNameAddRq", "OtherNameModRq", "OtherNameQueryRq",
    "ItemServiceAddRq", "ItemServiceModRq", "ItemServiceQueryRq",
    "ItemNonInventoryAddRq", "ItemNonInventoryModRq", "ItemNonInventoryQueryRq",
    "ItemOtherChargeAddRq", "ItemOtherChargeModRq", "ItemOtherChargeQueryRq",
    "ItemInventoryAddRq", "ItemInventoryModRq", "ItemInventoryQueryRq",
    "ItemQueryRq",
    "StandardTermsAddRq", "StandardTermsQueryRq", "DateDrivenTermsAddRq", "DateDrivenTermsQueryRq", "TermsQueryRq",
    "SalesTaxCodeAddRq", "SalesTaxCodeModRq", "SalesTaxCodeQueryRq", "TemplateQueryRq",
    "CustomerMsgAddRq", "CustomerMsgQueryRq", "PaymentMethodAddRq", "PaymentMethodQueryRq",
    "ItemSalesTaxAddRq", "ItemSalesTaxModRq", "ItemSalesTaxQueryRq",
    "ItemSalesTaxGroupAddRq", "ItemSalesTaxGroupModRq", "ItemSalesTaxGroupQueryRq",
    "ItemDiscountAddRq", "ItemDiscountModRq", "ItemDiscountQueryRq",
    "ItemPaymentAddRq", "ItemPaymentModRq", "ItemPaymentQueryRq",
    "ItemSubtotalAddRq", "ItemSubtotalModRq", "ItemSubtotalQueryRq",
    "ItemGroupAddRq", "ItemGroupModRq", "ItemGroupQueryRq",
    "ItemInventoryAssemblyAddRq", "ItemInventoryAssemblyModRq", "ItemInventoryAssemblyQueryRq",
    "ItemSitesQueryRq",
    "CustomerTypeAddRq", "CustomerTypeQueryRq", "VendorTypeAddRq", "VendorTypeQueryRq",
    "JobTypeAddRq", "JobTypeQueryRq", "PriceLevelAddRq", "PriceLevelModRq", "PriceLevelQueryRq",
    "SalesRepAddRq", "SalesRepModRq", "SalesRepQueryRq", "ShipMethodAddRq", "ShipMethodQueryRq",
    "ListDelRq", "ListDeletedQueryRq",
    "DataExtDefAddRq", "DataExtDefModRq", "DataExtDefDelRq", "DataExtDefQueryRq",
    "DataExtAddRq", "DataExtModRq", "DataExtDelRq",
    "BillAddRq", "BillModRq", "BillQueryRq",
    "VendorCreditAddRq", "VendorCreditModRq", "VendorCreditQueryRq",
    "BillPaymentCheckAddRq", "BillPaymentCheckModRq", "BillPaymentCheckQueryRq",
    "BillPaymentCreditCardAddRq", "BillPaymentCreditCardQueryRq",
    "CheckAddRq", "CheckModRq", "CheckQueryRq",
    "TransferAddRq", "TransferModRq", "TransferQueryRq",
    "JournalEntryAddRq", "JournalEntryModRq", "JournalEntryQueryRq",
    "InvoiceAddRq", "InvoiceModRq", "InvoiceQueryRq",
    "CreditMemoAddRq", "CreditMemoModRq", "CreditMemoQueryRq",
    "ReceivePaymentAddRq", "ReceivePaymentModRq", "ReceivePaymentQueryRq",
    "SalesReceiptAddRq", "SalesReceiptModRq", "SalesReceiptQueryRq",
    "EstimateAddRq", "EstimateModRq", "EstimateQueryRq",
    "SalesOrderAddRq", "SalesOrderModRq", "SalesOrderQueryRq",
    "PurchaseOrderAddRq", "PurchaseOrderModRq", "PurchaseOrderQueryRq",
    "ItemReceiptAddRq", "ItemReceiptModRq", "ItemReceiptQueryRq",
    "DepositAddRq", "DepositModRq", "DepositQueryRq",
    "CreditCardChargeAddRq", "CreditCardChargeModRq", "CreditCardChargeQueryRq",
    "CreditCardCreditAddRq", "CreditCardCreditModRq", "CreditCardCreditQueryRq",
    "TxnDelRq", "TxnVoidRq", "TxnDeletedQueryRq", "TransactionQueryRq",
    "GeneralSummaryReportQueryRq", "AgingReportQueryRq",
    "HostRet", "CompanyRet", "PreferencesRet",
    "AccountRet", "ClassRet", "CustomerRet", "VendorRet", "EmployeeRet", "OtherNameRet",
    "ItemServiceRet", "ItemNonInventoryRet", "ItemOtherChargeRet", "ItemInventoryRet",
    "StandardTermsRet", "DateDrivenTermsRet", "SalesTaxCodeRet", "TemplateRet", "CustomerMsgRet", "PaymentMethodRet",
    "ItemSalesTaxRet", "ItemSalesTaxGroupRet", "ItemDiscountRet", "ItemPaymentRet", "ItemSubtotalRet", "ItemGroupRet",
    "ItemInventoryAssemblyRet", "ItemSitesRet", "CustomerTypeRet", "VendorTypeRet", "JobTypeRet", "PriceLevelRet",
    "SalesRepRet", "ShipMethodRet",
    "ListDeletedRet", "DataExtDefRet", "DataExtRet", "DataExtDefDelRet", "DataExtDelRet",
    "BillRet", "VendorCreditRet", "BillPaymentCheckRet", "BillPaymentCreditCardRet", "CheckRet", "TransferRet",
    "JournalEntryRet",
    "InvoiceRet", "CreditMemoRet", "ReceivePaymentRet", "SalesReceiptRet", "EstimateRet", "SalesOrderRet",
    "PurchaseOrderRet", "ItemReceiptRet", "DepositRet", "CreditCardChargeRet", "CreditCardCreditRet",
    "TxnDeletedRet", "TransactionRet", "ReportRet",
)
#: Pseudo-root listing every request type of the schema family (by name only).
KNOWN_REQUESTS = "QBXMLMsgsRq"

_TYPES = {
    "STRTYPE": "str", "ENUMTYPE": "str", "UUIDTYPE": "str", "MACROTYPE": "str", "IDTYPE": "id",
    "BOOLTYPE": "bool", "INTTYPE": "int", "AMTTYPE": "amt", "PRICETYPE": "price", "QUANTYPE": "quan",
    "PERCENTTYPE": "percent", "DATETYPE": "date", "DATETIMETYPE": "datetime", "GUIDTYPE": "guid",
    "TIMEINTERVALTYPE": "interval", "FLOATTYPE": "float",
}

#: The restriction facets the model represents; the extraction refuses a schema that uses any other.
_FACETS = frozenset(("enumeration", "maxLength", "minInclusive", "maxInclusive", "annotation"))


class Schema:
    """The global declarations of one schema family (the four XSD files of one version)."""

    def __init__(self, folder: Path):
        tag = folder.name.replace(".", "")
        self.elements: dict[str, etree._Element] = {}
        self.groups: dict[str, etree._Element] = {}
        self.types: dict[str, etree._Element] = {}
        for prefix in ("qbxmltypes", "qbxml", "qbxmlso", "qbxmlops"):
            for decl in etree.parse(str(folder / f"{prefix}{tag}.xsd")).getroot():
                if not isinstance(decl.tag, str):
                    continue
                kind = {XS + "element": self.elements, XS + "group": self.groups,
                        XS + "complexType": self.types, XS + "simpleType": self.types}.get(decl.tag)
                if kind is not None:
                    kind[decl.get("name")] = decl
        msgs = self.types.get("QBXMLMsgsRqType")
        self.requests: dict[str, etree._Element] = {}
        for decl in (msgs if msgs is not None else self._msgs_rq()).iter(XS + "element"):
            if decl.get("name", "").endswith("Rq"):
                self.requests[decl.get("name")] = decl

    def _msgs_rq(self) -> etree._Element:
        return self.elements["QBXMLMsgsRq"]

    def root(self, name: str) -> Node:
        decl = self.requests.get(name)
        if decl is None:
            decl = self.elements[name]
        return self._element(decl, 1, 1)

    # -- conversion ---------------------------------------------------------------------------------------------
    def _element(self, decl: etree._Element, lo: int, hi: int) -> Node:
        if decl.get("ref"):
            return self._element(self.elements[decl.get("ref")], lo, hi)
        node = Node(decl.get("name"), min=lo, max=hi, default=decl.get("default"))
        type_name = decl.get("type")
        if type_name in _TYPES:
            node.value = ValueType(_TYPES[type_name])
        elif type_name is not None:
            self._content(self.types[type_name], node)
        else:
            inline = decl.find(XS + "simpleType")
            if inline is not None:
                node.value = self._simple(inline)
            else:
                self._content(decl.find(XS + "complexType"), node)
        return node

    def _simple(self, decl: etree._Element) -> ValueType:
        restriction = decl.find(XS + "restriction")
        base = _TYPES[restriction.get("base")]
        facets = {c.tag.removeprefix(XS) for c in restriction if isinstance(c.tag, str)}
        if facets - _FACETS:
            raise ValueError(f"facets the model cannot express: {sorted(facets - _FACETS)}")
        enum = tuple(e.get("value") for e in restriction.findall(XS + "enumeration"))
        if enum:
            return ValueType("enum", enum=enum)
        low, high = restriction.find(XS + "minInclusive"), restriction.find(XS + "maxInclusive")
        if low is not None or high is not None:
            return ValueType(base, bounds=(int(low.get("value")) if low is not None else None,
                                           int(high.get("value")) if high is not None else None))
        length = restriction.find(XS + "maxLength")
        return ValueType(base, int(length.get("value")) if length is not None else None)

    def _content(self, ctype: etree._Element | None, node: Node) -> None:
        if ctype is None:
            return
        node.attributes = tuple(a.get("name") for a in ctype.findall(XS + "attribute"))
        if ctype.tag == XS + "simpleType":
            node.value = self._simple(ctype)
            return
        extension = ctype.find(f"{XS}simpleContent/{XS}extension")
        if extension is not None:  # a value with attributes (TxnID useMacro="...")
            node.value = ValueType(_TYPES[extension.get("base")])
            node.attributes = tuple(a.get("name") for a in extension.findall(XS + "attribute"))
            return
        for part in ctype:
            if part.tag in (XS + "sequence", XS + "choice", XS + "group"):
                node.children.extend(self._particles(part))

    def _particles(self, decl: etree._Element, in_choice: bool = False) -> list[Node]:
        """Convert a particle; once-only sequences are flattened into a parent sequence."""
        lo = int(decl.get("minOccurs", "1"))
        hi_text = decl.get("maxOccurs", "1")
        hi = UNBOUNDED if hi_text == "unbounded" else int(hi_text)
        if decl.tag == XS + "element":
            return [self._element(decl, lo, hi)]
        if decl.tag == XS + "group":
            body = next(c for c in self.groups[decl.get("ref")]
                        if isinstance(c.tag, str) and c.tag != XS + "annotation")
            inner = self._particles(body, in_choice)
            if (lo, hi) == (1, 1):
                return inner
            return [Node(None, "seq", lo, hi, children=inner)]
        group = "choice" if decl.tag == XS + "choice" else "seq"
        kids = [p for c in decl if isinstance(c.tag, str) and c.tag != XS + "annotation"
                for p in self._particles(c, group == "choice")]
        if group == "seq" and (lo, hi) == (1, 1) and (not in_choice or len(kids) == 1):
            return kids
        return [Node(None, group, lo, hi, children=kids)]


def _key(node: Node) -> str:
    return "\n".join(node.render())


def merge(a: Node, b: Node, fam_a: str = "13", fam_b: str = "16") -> list[Node]:
    """Merge one node of two families: shared parts once, differing parts tagged with their family."""
    same_head = (a.name, a.group, a.min, a.max, a.value, a.attributes, a.default) == (
        b.name, b.group, b.min, b.max, b.value, b.attributes, b.default)
    if not same_head:
        return [_tag(a, fam_a), _tag(b, fam_b)]
    out = Node(a.name, a.group, a.min, a.max, a.value, attributes=a.attributes, default=a.default)
    matcher = difflib.SequenceMatcher(a=[c.name or c.group for c in a.children],
                                      b=[c.name or c.group for c in b.children], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for x, y in zip(a.children[i1:i2], b.children[j1:j2], strict=True):
                out.children.extend([x] if _key(x) == _key(y) else merge(x, y, fam_a, fam_b))
        else:
            out.children.extend(_tag(x, fam_a) for x in a.children[i1:i2])
            out.children.extend(_tag(y, fam_b) for y in b.children[j1:j2])
    return [out]


def _tag(node: Node, family: str) -> Node:
    return Node(node.name, node.group, node.min, node.max, node.value, node.children, family, node.attributes,
                node.default)


_VERSION_NOTE = re.compile(r"\bv(\d+\.\d+)\b")


class Annotations:
    """Intuit's annotated sample messages: the version noted on each element's line."""

    def __init__(self, path: Path):
        parser = etree.XMLParser(remove_comments=False, recover=True)
        self.root = etree.parse(str(path), parser).getroot()
        self.first: dict[str, etree._Element] = {}
        for el in self.root.iter():
            if isinstance(el.tag, str):
                self.first.setdefault(el.tag, el)

    @staticmethod
    def since(el: etree._Element) -> str | None:
        """The version noted in the comment on `el`'s line (a first child, or the next sibling of a leaf)."""
        for candidate in (el[0] if len(el) else None, el.getnext()):
            if isinstance(candidate, etree._Comment) and candidate.sourceline == el.sourceline:
                m = _VERSION_NOTE.search(candidate.text or "")
                return m.group(1) if m and m.group(1) != "1.0" else None
        return None

    def annotate(self, node: Node, el: etree._Element | None = None) -> None:
        """Set `since` on `node` and its elements from the sample element `el` (found by name for a root)."""
        el = self.first.get(node.name or "") if el is None else el
        if el is None:
            return
        node.since = self.since(el)
        kids = [c for c in el if isinstance(c.tag, str)]
        for spec in node.elements():
            match = next((c for c in kids if c.tag == spec.name), None)
            if match is not None:
                self.annotate(spec, match)


def extract(xsd_dir: Path, annotated: Path | None = None) -> str:
    """The model text for the SIMULATED messages, merged across qbXML 13.0 and 16.0."""
    old, new = Schema(xsd_dir / "13.0"), Schema(xsd_dir / "16.0")
    notes = Annotations(annotated or xsd_dir.parent / "annotated" / "qbxmlops140.xml")
    roots: dict[str, Node] = {}
    for name in SIMULATED:
        merged = merge(old.root(name), new.root(name))
        if len(merged) != 1:
            raise ValueError(f"{name} differs at its root between 13.0 and 16.0")
        notes.annotate(merged[0])
        roots[name] = merged[0]
    known = Node(KNOWN_REQUESTS)
    for name in sorted(set(old.requests) | set(new.requests)):
        fam = None if name in old.requests and name in new.requests else ("13" if name in old.requests else "16")
        request = Node(name, min=0, family=fam)
        if (sample := notes.first.get(name)) is not None:
            request.since = notes.since(sample)
        known.children.append(request)
    roots[KNOWN_REQUESTS] = known
    header = ("# Generated by fakeqb.qbxml.xsd_extract from the qbXML 13.0 and 16.0 schemas and Intuit's annotated "
              "14.0 sample;\n# see fakeqb/qbxml/model.py.\n")
    return header + render_model(roots)


if __name__ == "__main__":
    sys.stdout.write(extract(Path(sys.argv[1])))
