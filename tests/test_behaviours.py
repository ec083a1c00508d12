"""QuickBooks' open behaviours as switches: each value of each switch does what its evidence says."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from fakeqb import FakeQuickBooks
from fakeqb.cli import main
from fakeqb.company.behaviours import BEHAVIOURS, BehaviourError, Behaviours, parse
from fakeqb.control.api import ControlError
from fakeqb.control.client import RemoteControl
from fakeqb.http.process import serve_process
from fakeqb.http.server import serve_in_thread
from tests.support import Client

WINTER = datetime(2024, 1, 15, 9, 0)


def company(**behaviours: str) -> tuple[FakeQuickBooks, Client]:
    qb = FakeQuickBooks(behaviours=behaviours)
    qb.clock.set(WINTER)
    client = Client(qb.request_processor())
    client.send("<AccountAddRq><AccountAdd><Name>Sales</Name><AccountType>Income</AccountType></AccountAdd>"
                "</AccountAddRq><AccountAddRq><AccountAdd><Name>Repairs</Name><AccountType>Expense"
                "</AccountType></AccountAdd></AccountAddRq>")
    client.send("<ItemServiceAddRq><ItemServiceAdd><Name>Work</Name><SalesOrPurchase><Price>100.00</Price>"
                "<AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd>"
                "</ItemServiceAddRq><CustomerAddRq><CustomerAdd><Name>Ann</Name></CustomerAdd></CustomerAddRq>"
                "<VendorAddRq><VendorAdd><Name>Bob</Name></VendorAdd></VendorAddRq>")
    return qb, client


@pytest.fixture
def closing() -> Iterator[list[FakeQuickBooks]]:
    opened: list[FakeQuickBooks] = []
    yield opened
    for qb in opened:
        qb.close()


def one(client: Client, body: str) -> object:
    rs = client.send(body)[0]
    assert rs.get("statusSeverity") != "Error", rs.get("statusMessage")
    return rs[0] if len(rs) else rs


def invoice(client: Client) -> tuple[str, str]:
    ret = one(client, "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ann</FullName></CustomerRef>"
                      "<InvoiceLineAdd><ItemRef><FullName>Work</FullName></ItemRef></InvoiceLineAdd></InvoiceAdd>"
                      "</InvoiceAddRq>")
    return ret.findtext("TxnID") or "", ret.findtext("EditSequence") or ""  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["no", "yes"])
def test_payment_restamps(value: str, closing: list[FakeQuickBooks]) -> None:
    qb, client = company(payment_restamps=value)
    closing.append(qb)
    txn_id, sequence = invoice(client)
    qb.clock.advance(timedelta(minutes=5))
    one(client, "<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Ann</FullName></CustomerRef>"
                f"<AppliedToTxnAdd><TxnID>{txn_id}</TxnID><PaymentAmount>40.00</PaymentAmount></AppliedToTxnAdd>"
                "</ReceivePaymentAdd></ReceivePaymentAddRq>")
    after = one(client, f"<InvoiceQueryRq><TxnID>{txn_id}</TxnID></InvoiceQueryRq>")
    assert after.findtext("BalanceRemaining") == "60.00"  # type: ignore[attr-defined]
    assert (after.findtext("EditSequence") != sequence) == (value == "yes")  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["yes", "no"])
def test_balance_touches(value: str, closing: list[FakeQuickBooks]) -> None:
    qb, client = company(balance_touches=value)
    closing.append(qb)
    before = one(client, "<VendorQueryRq><FullName>Bob</FullName></VendorQueryRq>")
    qb.clock.advance(timedelta(minutes=5))
    one(client, "<BillAddRq><BillAdd><VendorRef><FullName>Bob</FullName></VendorRef><ExpenseLineAdd><AccountRef>"
                "<FullName>Repairs</FullName></AccountRef><Amount>25.00</Amount></ExpenseLineAdd></BillAdd></BillAddRq>")
    for name in ("Vendor", "Account"):
        full = "Bob" if name == "Vendor" else "Repairs"
        after = one(client, f"<{name}QueryRq><FullName>{full}</FullName></{name}QueryRq>")
        assert after.findtext("Balance") == "25.00"  # type: ignore[attr-defined]
        touched = after.findtext("TimeModified") != after.findtext("TimeCreated")  # type: ignore[attr-defined]
        assert touched == (value == "yes"), name
    after = one(client, "<VendorQueryRq><FullName>Bob</FullName></VendorQueryRq>")
    assert after.findtext("EditSequence") == before.findtext("EditSequence")  # type: ignore[attr-defined]


@pytest.mark.parametrize("value, offset", [("response", "-05:00"), ("event", "-04:00")])
def test_time_offset(value: str, offset: str, closing: list[FakeQuickBooks]) -> None:
    qb, client = company(time_offset=value)
    closing.append(qb)
    qb.clock.set(datetime(2024, 7, 1, 10, 0))  # summer: -04:00 in New York
    one(client, "<VendorAddRq><VendorAdd><Name>Summer Vendor</Name></VendorAdd></VendorAddRq>")
    qb.clock.set(datetime(2024, 12, 1, 10, 0))  # read in winter
    ret = one(client, "<VendorQueryRq><FullName>Summer Vendor</FullName></VendorQueryRq>")
    assert ret.findtext("TimeCreated") == f"2024-07-01T10:00:00{offset}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("value, code", [("refused", "3180"), ("accepted", "0")])
def test_email_without_address(value: str, code: str, closing: list[FakeQuickBooks]) -> None:
    qb, client = company(email_without_address=value)
    closing.append(qb)
    rs = client.send("<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ann</FullName></CustomerRef><IsToBeEmailed>"
                     "true</IsToBeEmailed><InvoiceLineAdd><ItemRef><FullName>Work</FullName></ItemRef>"
                     "</InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")[0]
    assert rs.get("statusCode") == code


@pytest.mark.parametrize("value, code", [("session", "0"), ("10m", "3000")])
def test_iterator_lifetime(value: str, code: str, closing: list[FakeQuickBooks]) -> None:
    qb, client = company(iterator_lifetime=value)
    closing.append(qb)
    for n in range(3):
        one(client, f"<VendorAddRq><VendorAdd><Name>V{n}</Name></VendorAdd></VendorAddRq>")
    first = client.send('<VendorQueryRq iterator="Start"><MaxReturned>1</MaxReturned></VendorQueryRq>')[0]
    iterator = first.get("iteratorID")
    qb.clock.advance(timedelta(minutes=9))
    page = client.send(f'<VendorQueryRq iterator="Continue" iteratorID="{iterator}"><MaxReturned>1</MaxReturned>'
                       "</VendorQueryRq>")[0]
    assert page.get("statusCode") == "0"  # used again within ten minutes
    qb.clock.advance(timedelta(minutes=11))
    page = client.send(f'<VendorQueryRq iterator="Continue" iteratorID="{iterator}"><MaxReturned>1</MaxReturned>'
                       "</VendorQueryRq>")[0]
    assert page.get("statusCode") == code


@pytest.mark.parametrize("value", ["assumed", "terse"])
def test_lock_texts(value: str, closing: list[FakeQuickBooks]) -> None:
    qb, client = company(lock_texts=value)
    closing.append(qb)
    qb.control.add_fault("status", request_type="VendorAddRq", status_code=3175)
    rs = client.send("<VendorAddRq><VendorAdd><Name>Locked</Name></VendorAdd></VendorAddRq>")[0]
    assert rs.get("statusCode") == "3175"
    assert (rs.get("statusMessage") == "Object locked.") == (value == "terse")
    qb.set_setting("closing_date", "2024-01-31")
    rs = client.send("<BillAddRq><BillAdd><VendorRef><FullName>Bob</FullName></VendorRef><TxnDate>2024-01-10"
                     "</TxnDate><ExpenseLineAdd><AccountRef><FullName>Repairs</FullName></AccountRef><Amount>1.00"
                     "</Amount></ExpenseLineAdd></BillAdd></BillAddRq>")[0]
    assert rs.get("statusCode") == "3171"
    assert ("Admin privileges" in (rs.get("statusMessage") or "")) == (value == "assumed")


def test_every_behaviour_has_evidence_for_each_value_and_a_default_among_them() -> None:
    for behaviour in BEHAVIOURS.values():
        assert len(behaviour.values) >= 2 and behaviour.default in behaviour.values
        assert all(len(text) > 40 for text in behaviour.evidence.values()), behaviour.name


def test_the_defaults_are_the_best_evidence_and_others_sets_every_other_side() -> None:
    assert {name: b.default for name, b in BEHAVIOURS.items()} == {
        "payment_restamps": "no", "balance_touches": "yes", "time_offset": "response",
        "email_without_address": "refused", "iterator_lifetime": "session", "lock_texts": "assumed"}
    other = parse(["others", "lock_texts=assumed"])
    assert other["payment_restamps"] == "yes" and other["lock_texts"] == "assumed"
    assert all(other[name] != b.default for name, b in BEHAVIOURS.items() if name != "lock_texts")


def test_unknown_behaviours_and_values_are_refused_with_what_there_is() -> None:
    with pytest.raises(BehaviourError, match="there are: payment_restamps"):
        Behaviours({"nope": "x"})
    with pytest.raises(BehaviourError, match="time_offset is one of response, event"):
        Behaviours({"time_offset": "utc"})
    with pytest.raises(BehaviourError, match="NAME=VALUE"):
        parse(["time_offset"])
    assert parse(["time_offset = event"]) == {"time_offset": "event"}
    values = Behaviours({"lock_texts": "terse"})
    values.reset()
    assert dict(values) == {name: b.default for name, b in BEHAVIOURS.items()}


# -- setting them: Python, HTTP, the remote client, the command line ------------------------------------------------

def test_the_control_plane_lists_and_switches_behaviours(closing: list[FakeQuickBooks]) -> None:
    qb, _ = company()
    closing.append(qb)
    listed = {b["name"]: b for b in qb.control.behaviours()}
    assert listed.keys() == BEHAVIOURS.keys() and listed["lock_texts"]["value"] == "assumed"
    assert qb.control.set_behaviour("lock_texts", "terse")["value"] == "terse"
    assert qb.control.status()["behaviours"]["lock_texts"] == "terse"
    with pytest.raises(ControlError, match="lock_texts is one of assumed, terse"):
        qb.control.set_behaviour("lock_texts", "loud")


def test_behaviours_over_http_and_from_the_command_line(closing: list[FakeQuickBooks],
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    qb, _ = company()
    closing.append(qb)
    token = "behaviours-token-0123456789"
    monkeypatch.setenv("FAKEQB_CONTROL_TOKEN", token)  # for `fakeqb control --url`
    with serve_in_thread(qb, control_token=token) as url:
        remote = RemoteControl(url)
        assert [b["name"] for b in remote.behaviours()] == list(BEHAVIOURS)
        assert remote.set_behaviour("payment_restamps", "no")["value"] == "no"
        assert qb.company.behaviours["payment_restamps"] == "no"
        with pytest.raises(ControlError, match="no behaviour 'nope'"):
            remote.set_behaviour("nope", "x")
        assert main(["control", "behaviours", "set", "time_offset=response", "--url", url]) == 0
        assert qb.company.behaviours["time_offset"] == "response"
        assert main(["control", "behaviours", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "time_offset = response" in out and "payment_restamps = no" in out
    assert main(["behaviours"]) == 0
    out = capsys.readouterr().out
    assert all(f"{name} = {b.default}" in out for name, b in BEHAVIOURS.items()) and "capture" in out


def test_fakeqb_serve_takes_behaviours() -> None:
    with serve_process("--behaviour", "lock_texts=terse", "--behaviour", "iterator_lifetime=10m") as served:
        values = {b["name"]: b["value"] for b in RemoteControl(served.url, token=served.token).behaviours()}
        assert (values["lock_texts"], values["iterator_lifetime"]) == ("terse", "10m")
    refused = subprocess.run([sys.executable, "-m", "fakeqb", "serve", "--port", "0", "--behaviour", "lock_texts"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "a behaviour is NAME=VALUE" in refused.stderr
