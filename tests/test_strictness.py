"""Strictness: what QuickBooks' parser refuses (HRESULT 0x80040400) fakeqb refuses, before anything is saved.

The table cases name one way of breaking a request each; the property test mutates valid list requests at random
and checks that fakeqb accepts a request exactly when the qbXML 13.0 schema does, except that values longer than a
maxLength facet allows are not a parse error: QuickBooks answers that request with status 3070 and goes on.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from fakeqb import ComError, FakeQuickBooks
from fakeqb.com.hresults import MESSAGES, PARSE_ERROR, ROLLBACK_NOT_SUPPORTED, VERSION_NOT_SUPPORTED, signed
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import serve_in_thread
from fakeqb.qbxml.model import model_for
from tests.support import Client, envelope, schema, xsd_dir

VENDOR_BEFORE = "<VendorAddRq><VendorAdd><Name>Before</Name></VendorAdd></VendorAddRq>"


def send_document(client: Client, document: str) -> str:
    return client.rp.ProcessRequest(client.ticket, document)


def assert_refused(client: Client, document: str, hresult: int) -> None:
    """`document` raises the QuickBooks HRESULT `hresult`, shaped as pywin32 shapes it, and changes nothing."""
    with pytest.raises(ComError) as info:
        send_document(client, document)
    excepinfo = info.value.excepinfo
    assert excepinfo is not None
    assert excepinfo[5] == signed(hresult) and excepinfo[2] == MESSAGES[hresult]
    assert info.value.hresult == -2147352567  # DISP_E_EXCEPTION, as pywin32 reports every QuickBooks error
    rs = client.one("<VendorQueryRq><ActiveStatus>All</ActiveStatus></VendorQueryRq>")
    assert rs.get("statusCode") == "1", "a refused message set changed the company"


def xsd_accepts(document: str) -> bool:
    return bool(schema("13").validate(etree.fromstring(document.encode())))


def test_parse_error_hresult_is_the_signed_int() -> None:
    assert signed(PARSE_ERROR) == -2147220480
    assert MESSAGES[PARSE_ERROR] == "QuickBooks found an error when parsing the provided XML text stream."


# -- requests the schema refuses --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bad:
    name: str
    body: str  # placed after a valid VendorAdd in the same message set


SCHEMA_BREAKERS = [
    Bad("order", "<VendorAddRq><VendorAdd><IsActive>true</IsActive><Name>Acme</Name></VendorAdd></VendorAddRq>"),
    Bad("missing-required", "<AccountAddRq><AccountAdd><Name>Cash</Name></AccountAdd></AccountAddRq>"),
    Bad("missing-edit-sequence", "<VendorModRq><VendorMod><ListID>80000001-1</ListID><Name>x</Name></VendorMod>"
                                 "</VendorModRq>"),
    Bad("enum", "<AccountAddRq><AccountAdd><Name>Cash</Name><AccountType>Banking</AccountType></AccountAdd>"
                "</AccountAddRq>"),
    Bad("enum-case", "<VendorQueryRq><ActiveStatus>all</ActiveStatus></VendorQueryRq>"),
    Bad("unknown-element", "<VendorAddRq><VendorAdd><Name>Acme</Name><Nickname>A</Nickname></VendorAdd></VendorAddRq>"),
    Bad("unknown-request", "<VendorFindRq><Name>Acme</Name></VendorFindRq>"),
    Bad("request-of-a-later-version", "<AlertQueryRq></AlertQueryRq>"),
    Bad("unknown-attribute", '<VendorAddRq color="red"><VendorAdd><Name>Acme</Name></VendorAdd></VendorAddRq>'),
    Bad("attribute-on-a-field", '<VendorAddRq><VendorAdd><Name lang="en">Acme</Name></VendorAdd></VendorAddRq>'),
    Bad("iterator-value", '<VendorQueryRq iterator="Begin"><MaxReturned>5</MaxReturned></VendorQueryRq>'),
    Bad("metadata-value", '<VendorQueryRq metaData="All"></VendorQueryRq>'),
    Bad("amount-one-decimal", "<VendorAddRq><VendorAdd><Name>Acme</Name><OpenBalance>12.5</OpenBalance></VendorAdd>"
                              "</VendorAddRq>"),
    Bad("amount-thousands", "<VendorAddRq><VendorAdd><Name>Acme</Name><CreditLimit>1,000.00</CreditLimit>"
                            "</VendorAdd></VendorAddRq>"),
    Bad("amount-currency", "<VendorAddRq><VendorAdd><Name>Acme</Name><CreditLimit>$10.00</CreditLimit></VendorAdd>"
                           "</VendorAddRq>"),
    Bad("price", "<ItemServiceAddRq><ItemServiceAdd><Name>S</Name><SalesOrPurchase><Price>1.123456</Price>"
                 "</SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>"),
    Bad("boolean", "<VendorAddRq><VendorAdd><Name>Acme</Name><IsActive>yes</IsActive></VendorAdd></VendorAddRq>"),
    Bad("date-format", "<VendorAddRq><VendorAdd><Name>Acme</Name><OpenBalanceDate>03/01/2024</OpenBalanceDate>"
                       "</VendorAdd></VendorAddRq>"),
    Bad("date-impossible", "<VendorAddRq><VendorAdd><Name>Acme</Name><OpenBalanceDate>2024-02-30</OpenBalanceDate>"
                           "</VendorAdd></VendorAddRq>"),
    Bad("datetime", "<VendorQueryRq><FromModifiedDate>yesterday</FromModifiedDate></VendorQueryRq>"),
    Bad("int", "<VendorQueryRq><MaxReturned>ten</MaxReturned></VendorQueryRq>"),
    Bad("int-below-minimum", "<VendorQueryRq><MaxReturned>0</MaxReturned></VendorQueryRq>"),
    Bad("int-above-maximum", "<CustomerAddRq><CustomerAdd><Name>C</Name><CreditCardInfo><ExpirationMonth>13"
                             "</ExpirationMonth></CreditCardInfo></CustomerAdd></CustomerAddRq>"),
    Bad("guid", "<VendorQueryRq><FullName>Acme</FullName><OwnerID>1234</OwnerID></VendorQueryRq>"),
    Bad("choice-mixed", "<VendorQueryRq><ListID>80000001-1</ListID><MaxReturned>5</MaxReturned></VendorQueryRq>"),
    Bad("text-in-aggregate", "<VendorAddRq><VendorAdd>hello<Name>Acme</Name></VendorAdd></VendorAddRq>"),
    Bad("text-after-field", "<VendorAddRq><VendorAdd><Name>Acme</Name> tail</VendorAdd></VendorAddRq>"),
    Bad("text-in-message-set", "stray text"),
    Bad("element-in-a-field", "<VendorAddRq><VendorAdd><Name><b>Acme</b></Name></VendorAdd></VendorAddRq>"),
    Bad("field-outside-a-request", "<Name>Acme</Name>"),
    Bad("too-many", "<CustomerAddRq><CustomerAdd><Name>C</Name>" + "<AdditionalContactRef><ContactName>a"
        "</ContactName><ContactValue>b</ContactValue></AdditionalContactRef>" * 9 + "</CustomerAdd></CustomerAddRq>"),
]


@pytest.mark.parametrize("bad", SCHEMA_BREAKERS, ids=[b.name for b in SCHEMA_BREAKERS])
def test_schema_violations_are_parse_errors(client: Client, bad: Bad) -> None:
    xsd_dir()
    document = envelope(VENDOR_BEFORE + bad.body, on_error="continueOnError")
    assert not xsd_accepts(document), "the case is valid qbXML: it tests nothing"
    assert_refused(client, document, PARSE_ERROR)


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<?qbxml version="13.0"?>\n<!DOCTYPE QBXML [<!ENTITY a "aaaaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
                  '<QBXML><QBXMLMsgsRq onError="stopOnError"><VendorAddRq><VendorAdd><Name>&c;</Name></VendorAdd>'
                  "</VendorAddRq></QBXMLMsgsRq></QBXML>")
EXTERNAL_ENTITY = ('<?xml version="1.0"?>\n<?qbxml version="13.0"?>\n<!DOCTYPE QBXML [<!ENTITY x SYSTEM '
                   '"file:///etc/hostname">]>\n<QBXML><QBXMLMsgsRq onError="stopOnError"><VendorAddRq><VendorAdd>'
                   "<Name>&x;</Name></VendorAdd></VendorAddRq></QBXMLMsgsRq></QBXML>")
PLAIN_DOCTYPE = ('<?xml version="1.0"?>\n<?qbxml version="13.0"?>\n<!DOCTYPE QBXML>\n<QBXML><QBXMLMsgsRq '
                 f'onError="stopOnError">{VENDOR_BEFORE}</QBXMLMsgsRq></QBXML>')
DOCUMENTS = {
    "not-well-formed": envelope(VENDOR_BEFORE + "<VendorAddRq><VendorAdd><Name>Acme</VendorAdd></VendorAddRq>"),
    "not-xml": "this is not XML",
    "empty": "",
    "billion-laughs": BILLION_LAUGHS,
    "external-entity": EXTERNAL_ENTITY,
    "doctype": PLAIN_DOCTYPE,
    "missing-onError": envelope(VENDOR_BEFORE).replace(' onError="stopOnError"', ""),
    "bad-onError": envelope(VENDOR_BEFORE, on_error="stopOnWarning"),
    "unknown-message-set-attribute": envelope(VENDOR_BEFORE).replace('onError="stopOnError"',
                                                                     'onError="stopOnError" mode="fast"'),
    "missing-qbxml-version": envelope(VENDOR_BEFORE).replace('<?qbxml version="13.0"?>\n', ""),
    "qbxml-pi-without-version": envelope(VENDOR_BEFORE).replace('<?qbxml version="13.0"?>', "<?qbxml?>"),
    "wrong-root": envelope(VENDOR_BEFORE).replace("QBXML>", "QBXMLX>"),
    "namespaced": envelope(VENDOR_BEFORE).replace("<QBXML>", '<QBXML xmlns="urn:qb">'),
    "two-message-sets": envelope(VENDOR_BEFORE).replace("</QBXML>", '<QBXMLMsgsRq onError="stopOnError"/></QBXML>'),
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_documents_quickbooks_cannot_parse(client: Client, name: str) -> None:
    assert_refused(client, DOCUMENTS[name], PARSE_ERROR)


def test_rollback_on_error_is_refused(client: Client) -> None:
    assert_refused(client, envelope(VENDOR_BEFORE, on_error="rollbackOnError"), ROLLBACK_NOT_SUPPORTED)


@pytest.mark.parametrize("version", ["99.0", "6.1", "abc", ""])
def test_unknown_version_is_refused(client: Client, version: str) -> None:
    assert_refused(client, envelope(VENDOR_BEFORE, version=version), VERSION_NOT_SUPPORTED)


@pytest.mark.parametrize("version", ["1.0", "2.0", "8.0", "13.0", "16.0"])
def test_known_versions_are_accepted(client: Client, version: str) -> None:
    rs = client.one(VENDOR_BEFORE, version=version)
    assert rs.get("statusCode") == "0"


def test_over_long_string_is_status_3070_not_a_parse_error(client: Client) -> None:
    xsd_dir()
    long_name = "N" * 42
    body = (VENDOR_BEFORE + f"<VendorAddRq><VendorAdd><Name>{long_name}</Name></VendorAdd></VendorAddRq>"
            "<VendorAddRq><VendorAdd><Name>After</Name></VendorAdd></VendorAddRq>")
    document = envelope(body, on_error="continueOnError")
    assert not xsd_accepts(document)
    rs = etree.fromstring(send_document(client, document).encode()).find("QBXMLMsgsRs")
    assert [(r.get("statusCode"), r.get("statusSeverity")) for r in rs] == [("0", "Info"), ("3070", "Error"),
                                                                             ("0", "Info")]
    assert rs[1].get("statusMessage") == f'The string "{long_name}" in the field "Name" is too long.'
    assert len(rs[1]) == 0
    names = [r.findtext("Name") for r in client.one("<VendorQueryRq/>")]
    assert names == ["After", "Before"]
    # with stopOnError, the requests after it are not processed; the ones before it stay saved
    rs = client.send(VENDOR_BEFORE.replace("Before", "Third") + body.replace(VENDOR_BEFORE, ""))
    assert [r.get("statusCode") for r in rs] == ["0", "3070", "3231"]


def test_parse_error_comes_before_any_processing(client: Client) -> None:
    """A valid request before an invalid one is not saved, and one before an unknown version neither."""
    bad = "<VendorAddRq><VendorAdd><Name>Acme</Name><IsActive>maybe</IsActive></VendorAdd></VendorAddRq>"
    assert_refused(client, envelope(VENDOR_BEFORE * 3 + bad), PARSE_ERROR)
    client.one(VENDOR_BEFORE)  # the same request on its own is fine
    assert client.one("<VendorQueryRq><FullName>Before</FullName></VendorQueryRq>").get("statusCode") == "0"


# -- property: the fake accepts exactly what the schema accepts ------------------------------------------------------

BASES = [
    "<VendorAddRq><VendorAdd><Name>V</Name><IsActive>true</IsActive><CompanyName>Co</CompanyName>"
    "<VendorAddress><Addr1>1 Main</Addr1><City>Town</City><State>IL</State></VendorAddress><Phone>555</Phone>"
    "<CreditLimit>10.00</CreditLimit><OpenBalance>1.00</OpenBalance><OpenBalanceDate>2024-01-01</OpenBalanceDate>"
    "</VendorAdd><IncludeRetElement>Name</IncludeRetElement></VendorAddRq>",
    "<CustomerAddRq><CustomerAdd><Name>C</Name><ParentRef><FullName>P</FullName></ParentRef><FirstName>F"
    "</FirstName><BillAddress><Addr1>a</Addr1><PostalCode>1</PostalCode></BillAddress><Email>e@x</Email>"
    "<JobStatus>Pending</JobStatus><PreferredDeliveryMethod>Email</PreferredDeliveryMethod></CustomerAdd>"
    "</CustomerAddRq>",
    "<AccountAddRq><AccountAdd><Name>A</Name><AccountType>Bank</AccountType><AccountNumber>1</AccountNumber>"
    "<Desc>d</Desc><OpenBalance>5.00</OpenBalance></AccountAdd></AccountAddRq>",
    "<ItemServiceAddRq><ItemServiceAdd><Name>S</Name><IsActive>1</IsActive><SalesOrPurchase><Desc>d</Desc>"
    "<Price>1.5</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd>"
    "</ItemServiceAddRq>",
    "<ItemInventoryAddRq><ItemInventoryAdd><Name>I</Name><SalesPrice>2</SalesPrice><PurchaseCost>1</PurchaseCost>"
    "<ReorderPoint>3</ReorderPoint><QuantityOnHand>4</QuantityOnHand></ItemInventoryAdd></ItemInventoryAddRq>",
    "<CustomerModRq><CustomerMod><ListID>80000001-1700000000</ListID><EditSequence>1</EditSequence><Name>C2"
    "</Name><IsActive>false</IsActive><Phone>1</Phone></CustomerMod></CustomerModRq>",
    '<CustomerQueryRq requestID="1" metaData="MetaDataAndResponseData"><MaxReturned>3</MaxReturned>'
    "<ActiveStatus>All</ActiveStatus><FromModifiedDate>2024-01-01</FromModifiedDate><NameFilter><MatchCriterion>"
    "StartsWith</MatchCriterion><Name>C</Name></NameFilter><TotalBalanceFilter><Operator>GreaterThan</Operator>"
    "<Amount>0.00</Amount></TotalBalanceFilter><IncludeRetElement>Name</IncludeRetElement><OwnerID>0</OwnerID>"
    "</CustomerQueryRq>",
    "<ItemQueryRq><ActiveStatus>InactiveOnly</ActiveStatus><NameRangeFilter><FromName>a</FromName><ToName>z"
    "</ToName></NameRangeFilter></ItemQueryRq>",
    "<AccountQueryRq><FullName>A</FullName><FullName>B</FullName><IncludeRetElement>Name</IncludeRetElement>"
    "</AccountQueryRq>",
    "<ListDelRq><ListDelType>Customer</ListDelType><ListID>80000001-1700000000</ListID></ListDelRq>",
    "<ListDeletedQueryRq><ListDelType>Vendor</ListDelType><ListDelType>Class</ListDelType><DeletedDateRangeFilter>"
    "<FromDeletedDate>2024-01-01</FromDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>",
    "<DataExtDefAddRq><DataExtDefAdd><OwnerID>0</OwnerID><DataExtName>F</DataExtName><DataExtType>STR255TYPE"
    "</DataExtType><AssignToObject>Customer</AssignToObject><AssignToObject>Vendor</AssignToObject>"
    "</DataExtDefAdd></DataExtDefAddRq>",
    "<DataExtAddRq><DataExtAdd><OwnerID>0</OwnerID><DataExtName>F</DataExtName><ListDataExtType>Customer"
    "</ListDataExtType><ListObjRef><FullName>C</FullName></ListObjRef><DataExtValue>v</DataExtValue></DataExtAdd>"
    "</DataExtAddRq>",
    "<EmployeeAddRq><EmployeeAdd><FirstName>E</FirstName><LastName>L</LastName><EmployeeType>Regular"
    "</EmployeeType><HiredDate>2024-01-01</HiredDate></EmployeeAdd></EmployeeAddRq>",
]
def _names() -> list[str]:
    """Element names a rename may use: the names of the model, and one the schema does not know."""
    out: set[str] = {"Bogus"}
    stack = [n for k, n in model_for("13.0").items() if k != "QBXMLMsgsRq"]
    while stack:
        node = stack.pop()
        if node.name:
            out.add(node.name)
        stack.extend(node.children)
    return sorted(out)


ELEMENT_NAMES = _names()
ENUM_VALUES = ["All", "Bank", "Customer", "Email", "Pending", "StartsWith", "GreaterThan", "Regular", "STR255TYPE",
               "Nope", "", "bank"]
VALUES = ["", " ", "x" * 8, "0", "13", "N" * 42, "8" * 37, "1.5", "1.50", "-3", " 7 ", "2024-02-30", "2024-01-01",
          "maybe", "true", "{6B063959-81B0-4A2E-9E3F-2B5C8A4A1D01}", "2024-01-01T25:00:00"]
MUTATIONS = ("reorder", "drop", "duplicate", "rename", "enum", "value")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A valid list request with one to three random mutations; returns the request body and what was done."""
    request = etree.fromstring(draw(st.sampled_from(BASES)))
    done: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        elements = list(request.iter())
        el = draw(st.sampled_from(elements))
        kind = draw(st.sampled_from(MUTATIONS))
        kids = list(el)
        if kind == "reorder" and len(kids) >= 2:
            i, j = draw(st.integers(0, len(kids) - 1)), draw(st.integers(0, len(kids) - 1))
            kids[i], kids[j] = kids[j], kids[i]
            el[:] = kids
        elif kind == "drop" and kids:
            el.remove(kids[draw(st.integers(0, len(kids) - 1))])
        elif kind == "duplicate" and el is not request:
            el.addnext(copy.deepcopy(el))
        elif kind == "rename":
            el.tag = draw(st.sampled_from(ELEMENT_NAMES))
        elif kind == "enum" and len(el) == 0 and el is not request:
            el.text = draw(st.sampled_from(ENUM_VALUES))
        elif kind == "value" and len(el) == 0 and el is not request:
            el.text = draw(st.sampled_from(VALUES))
        else:
            continue
        done.append(f"{kind} {el.tag}")
    return etree.tostring(request, encoding="unicode"), done


def _only_too_long(document: str) -> bool | None:
    """True if the schema refuses `document` for maxLength facets only, False for anything else, None if valid."""
    sch = schema("13")
    if sch.validate(etree.fromstring(document.encode())):
        return None
    return all(e.type_name == "SCHEMAV_CVC_MAXLENGTH_VALID" for e in sch.error_log)


@pytest.mark.parametrize("transport", ["inprocess", "http"])
def test_fake_accepts_exactly_what_the_schema_accepts(transport: str) -> None:
    """The same mutated requests and assertions in process and over HTTP (`fakeqb.transport`)."""
    xsd_dir()
    qb = FakeQuickBooks()
    stack = contextlib.ExitStack()
    if transport == "http":
        client = Client(HttpRequestProcessor(stack.enter_context(serve_in_thread(qb)), timeout=30))
    else:
        client = Client(qb.request_processor())

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(mutated())
    def check(case: tuple[str, list[str]]) -> None:
        body, done = case
        document = envelope(body, on_error="continueOnError")
        too_long = _only_too_long(document)
        try:
            response = send_document(client, document)
        except ComError as exc:
            assert too_long is False, f"fakeqb refused a request the schema accepts ({done}): {exc}\n{body}"
            assert exc.excepinfo is not None and exc.excepinfo[5] == signed(PARSE_ERROR), (done, exc)
            return
        assert too_long is not False, f"fakeqb accepted a request the schema refuses ({done}):\n{body}"
        (rs,) = etree.fromstring(response.encode()).find("QBXMLMsgsRs")
        if too_long:
            assert rs.get("statusCode") == "3070", (done, etree.tostring(rs))
        else:
            assert rs.get("statusCode") != "3070", (done, etree.tostring(rs))
            schema("13").assertValid(etree.fromstring(response.encode()))

    try:
        check()
    finally:
        client.close()
        stack.close()
        qb.close()
