"""No input gets fakeqb's internal error: every request it simulates, valid by the message model and then mutated
(elements dropped, duplicated, emptied, reordered; extreme numbers, dates, lengths, Unicode), is answered with
QuickBooks' own answer, a parse error (0x80040400) or a status, never 0x80040402 or status 1000; in process and over
HTTP. The cases the fuzzer once found are kept as plain tests first.
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from fakeqb import ComError, FakeQuickBooks
from fakeqb.com.hresults import PARSE_ERROR, UNEXPECTED, signed
from fakeqb.company import context
from fakeqb.company.context import HANDLERS
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import serve_in_thread
from fakeqb.qbxml.model import UNBOUNDED, Node, ValueType, model_for
from tests.support import Client

START = datetime(2024, 3, 1, 9, 30)
INTERNAL_ERROR = "1000"


@pytest.fixture(scope="module")
def company() -> Iterator[FakeQuickBooks]:
    qb = FakeQuickBooks()
    qb.clock.set(START)
    qb.seed(3, vendors=4, customers=4, max_jobs=1, items=6, classes=2, employees=1, other_names=1)
    yield qb
    qb.close()


@pytest.fixture(params=["inprocess", "http"])
def client(request: pytest.FixtureRequest, company: FakeQuickBooks) -> Iterator[Client]:
    with contextlib.ExitStack() as stack:
        if request.param == "http":
            rp = HttpRequestProcessor(stack.enter_context(serve_in_thread(company)), timeout=30)
        else:
            rp = company.request_processor()
        connected = Client(rp, "Fuzzer")
        stack.callback(connected.close)
        yield connected


def statuses(client: Client, body: str, on_error: str = "continueOnError") -> list[str]:
    """The status codes of the answers, or the HRESULT raised (as "0x..."); never fakeqb's internal error."""
    try:
        response = client.raw(body, on_error=on_error)
    except ComError as exc:
        assert exc.excepinfo is not None and exc.excepinfo[5] != signed(UNEXPECTED), body
        return [f"0x{exc.excepinfo[5] & 0xFFFFFFFF:08X}"]
    codes = [rs.get("statusCode") or "" for rs in etree.fromstring(response.encode()).find("QBXMLMsgsRs")]
    assert INTERNAL_ERROR not in codes, f"{codes}\n{body}"
    return codes


# -- what the fuzzer found --------------------------------------------------------------------------------------------

EXPENSE = ("<ExpenseLineAdd><AccountRef><FullName>Utilities</FullName></AccountRef><Amount>1.00</Amount>"
           "</ExpenseLineAdd>")
PARSE = f"0x{PARSE_ERROR:08X}"


@pytest.mark.parametrize("body, expected", [
    (f"<BillAddRq><BillAdd><VendorRef/>{EXPENSE}</BillAdd></BillAddRq>", "3140"),
    ("<InvoiceAddRq><InvoiceAdd><CustomerRef/><InvoiceLineAdd><Desc>x</Desc></InvoiceLineAdd></InvoiceAdd>"
     "</InvoiceAddRq>", "3140"),
    ("<BillAddRq><BillAdd><VendorRef><FullName>{vendor}</FullName></VendorRef><ExpenseLineAdd><AccountRef/>"
     "<Amount>1.00</Amount></ExpenseLineAdd></BillAdd></BillAddRq>", "3140"),
    ("<VendorQueryRq><MaxReturned>99999999999999999999</MaxReturned></VendorQueryRq>", PARSE),
    ("<VendorQueryRq><MaxReturned>" + "9" * 5000 + "</MaxReturned></VendorQueryRq>", PARSE),
    ("<VendorQueryRq><MaxReturned>2147483648</MaxReturned></VendorQueryRq>", PARSE),
    (f"<BillAddRq><BillAdd><VendorRef><FullName>{{vendor}}</FullName></VendorRef><TxnDate>9999-12-31</TxnDate>"
     f"{EXPENSE}</BillAdd></BillAddRq>", "3020"),
    (f"<BillAddRq><BillAdd><VendorRef><FullName>{{vendor}}</FullName></VendorRef><TxnDate>12024-01-01</TxnDate>"
     f"{EXPENSE}</BillAdd></BillAddRq>", "3020"),
    ("<BillQueryRq><TxnDateRangeFilter><FromTxnDate>-0001-01-01</FromTxnDate></TxnDateRangeFilter></BillQueryRq>",
     "3020"),
    ("<BillQueryRq><RefNumberRangeFilter><FromRefNumber>1</FromRefNumber><ToRefNumber>²</ToRefNumber>"
     "</RefNumberRangeFilter></BillQueryRq>", "1"),
], ids=["empty-vendor-ref", "empty-customer-ref", "empty-line-account-ref", "max-returned-2^64",
        "thousands-of-digits", "max-returned-2^31", "txn-date-9999-12-31", "five-digit-year", "negative-year",
        "superscript-digit"])
def test_what_the_fuzzer_found_gets_quickbooks_answer(client: Client, company: FakeQuickBooks, body: str,
                                                      expected: str) -> None:
    vendor = client.send("<VendorQueryRq><MaxReturned>1</MaxReturned></VendorQueryRq>")[0][0].findtext("Name")
    assert statuses(client, body.replace("{vendor}", vendor or "")) == [expected]


def test_a_mod_cannot_clear_a_reference_the_type_needs(client: Client) -> None:
    vendor = client.send("<VendorQueryRq><MaxReturned>1</MaxReturned></VendorQueryRq>")[0][0].findtext("Name")
    bill = client.send(f"<BillAddRq><BillAdd><VendorRef><FullName>{vendor}</FullName></VendorRef>{EXPENSE}"
                       "</BillAdd></BillAddRq>")[0][0]
    mod = (f"<BillModRq><BillMod><TxnID>{bill.findtext('TxnID')}</TxnID><EditSequence>"
           f"{bill.findtext('EditSequence')}</EditSequence><VendorRef/></BillMod></BillModRq>")
    assert statuses(client, mod) == ["3140"]


def test_an_unexpected_failure_answers_that_request_with_1000_and_keeps_the_others(
        client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(ctx: context.Context) -> context.Result:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(HANDLERS, "ClassQueryRq", broken)
    body = (f"<VendorAddRq><VendorAdd><Name>Kept Before {id(client)}</Name></VendorAdd></VendorAddRq>"
            f"<ClassQueryRq/><VendorAddRq><VendorAdd><Name>Kept After {id(client)}</Name></VendorAdd></VendorAddRq>")
    with caplog.at_level(logging.ERROR, logger="fakeqb"):
        response = client.raw(body, on_error="continueOnError")
    codes = [rs.get("statusCode") for rs in etree.fromstring(response.encode()).find("QBXMLMsgsRs")]
    assert codes == ["0", INTERNAL_ERROR, "0"] and "disk on fire" not in response
    assert "disk on fire" in caplog.text
    stopped = client.raw(body.replace("Kept", "Stopped"), on_error="stopOnError")
    assert [rs.get("statusCode") for rs in etree.fromstring(stopped.encode()).find("QBXMLMsgsRs")] == \
        ["0", INTERNAL_ERROR, "3231"]


# -- the fuzzer -------------------------------------------------------------------------------------------------------

MODEL = model_for("13.0")
#: Every request fakeqb simulates that a client may send (the model knows its content).
REQUESTS = sorted(name for name in HANDLERS if name in MODEL)
NAMES = ["Utilities", "Checking", "Accounts Payable", "Sales", "Nope", ""]
EXTREMES = ["", " ", "0", "-1", "2147483647", "2147483648", "-2147483649", "9" * 30, "99999999999999.99",
            "1e308", "0.00001", "-0.00", "9999-12-31", "0001-01-01", "12024-01-01", "-0001-01-01",
            "2024-02-29T25:61:61", "²", "٣", "x" * 5000, "𝒜𝒷𝒸 😀", "\u202edlrow", "<&>\"'",
            "{00000000-0000-0000-0000-0000}"]


def value_of(draw: st.DrawFn, vt: ValueType, name: str) -> str:
    """A value the schema accepts for a leaf of type `vt` (names of the seeded company for references)."""
    if name == "FullName":
        return draw(st.sampled_from(NAMES))
    if vt.kind == "enum":
        return draw(st.sampled_from(vt.enum))
    simple = {"bool": st.sampled_from(["true", "false"]), "date": st.sampled_from(["2024-01-15", "2023-12-31"]),
              "datetime": st.sampled_from(["2024-01-01T00:00:00", "2024-02-01"]),
              "amt": st.sampled_from(["0.00", "10.00", "-5.25", "123456.78"]),
              "int": st.sampled_from(["1", "5", "100"]), "guid": st.sampled_from(["0", "{6B063959-81B0-4A2E-9E3F-"
                                                                                        "2B5C8A4A1D01}"])}
    if vt.kind in simple:
        return draw(simple[vt.kind])
    if vt.kind in ("price", "quan", "percent", "float"):
        return draw(st.sampled_from(["1", "2.5", "0.33333"]))
    if vt.kind == "id":
        return draw(st.sampled_from(["80000001-1709303400", "1-1709303400", "X"]))
    return draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=vt.max_length or 12))


def fill(draw: st.DrawFn, parent: etree._Element, node: Node, depth: int) -> None:
    """Add to `parent` the content `node` (an element or a group) allows: required parts always, optional parts
    sometimes, a choice's branch at random."""
    if node.name is None:
        branches = [draw(st.sampled_from(node.children))] if node.group == "choice" else node.children
        times = node.min if node.min > 0 else draw(st.integers(0, 1))
        for _ in range(times):
            for branch in branches:
                fill(draw, parent, branch, depth)
        return
    times = node.min if node.min > 0 else (draw(st.integers(0, 1)) if depth < 5 else 0)
    if times and (node.max == UNBOUNDED or node.max > 1):
        times += draw(st.integers(0, 1))
    for _ in range(times):
        el = etree.SubElement(parent, node.name)
        if node.value is not None:
            el.text = value_of(draw, node.value, node.name)
        else:
            for child in node.children:
                fill(draw, el, child, depth + 1)


@st.composite
def hostile(draw: st.DrawFn) -> str:
    """A request valid by the model, then mutated up to three times."""
    name = draw(st.sampled_from(REQUESTS))
    request = etree.Element(name)
    for child in MODEL[name].children:
        fill(draw, request, child, 0)
    for _ in range(draw(st.integers(0, 3))):
        elements = list(request.iter())
        el = draw(st.sampled_from(elements))
        kids = list(el)
        kind = draw(st.sampled_from(("drop", "duplicate", "empty", "reorder", "extreme")))
        if kind == "drop" and kids:
            el.remove(draw(st.sampled_from(kids)))
        elif kind == "duplicate" and el is not request:
            el.addnext(copy.deepcopy(el))
        elif kind == "empty" and el is not request:
            el[:] = []
            el.text = None
        elif kind == "reorder" and len(kids) > 1:
            el[:] = draw(st.permutations(kids))
        elif kind == "extreme" and not kids and el is not request:
            el.text = draw(st.sampled_from(EXTREMES))
    return etree.tostring(request, encoding="unicode")


def test_the_fuzzer_covers_every_simulated_request() -> None:
    assert len(REQUESTS) > 60 and {"BillAddRq", "ReceivePaymentAddRq", "TxnDelRq", "VendorModRq"} <= set(REQUESTS)


def test_no_input_gets_an_internal_error(client: Client) -> None:
    @settings(max_examples=250, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(hostile(), min_size=1, max_size=3))
    def check(bodies: list[str]) -> None:
        statuses(client, "".join(bodies))

    check()


def test_the_check_sees_an_internal_error(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(HANDLERS, "ClassQueryRq", lambda ctx: 1 / 0)
    with pytest.raises(AssertionError):
        statuses(client, "<ClassQueryRq/>")
