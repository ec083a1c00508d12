"""One company on PostgreSQL, served by several `fakeqb serve` processes at once: QuickBooks still answers one request
at a time, so no update is lost, no ID is handed out twice, a name is taken once (3100 for the others), a single-user
session excludes the other servers' sessions, and the balances add up."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from fakeqb import ComError
from fakeqb.com.hresults import SINGLE_USER_CONFLICT, signed
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.process import serve_process
from tests.support import Client
from tests.test_persistence import postgres_url  # noqa: F401  (the fixture)

SERVERS, WRITERS, ROUNDS = 3, 8, 12
pytestmark = pytest.mark.postgres


@pytest.fixture
def servers(postgres_url: str) -> Iterator[list[str]]:  # noqa: F811
    """Three `fakeqb serve` processes on one PostgreSQL database; their URLs."""
    with contextlib.ExitStack() as stack:  # one after the other: the first creates the tables
        yield [stack.enter_context(serve_process("--db", postgres_url)).url for _ in range(SERVERS)]


def writers(urls: list[str]) -> list[Client]:
    return [Client(HttpRequestProcessor(urls[n % len(urls)], timeout=60), f"Writer {n}") for n in range(WRITERS)]


def at_once(clients: list[Client], bodies: list[str]) -> list[str]:
    """Every client sends its request (the n-th body for the n-th) at the same moment; their status codes."""
    barrier = threading.Barrier(len(clients))
    codes = [""] * len(clients)

    def run(n: int, client: Client) -> None:
        barrier.wait()
        codes[n] = status_of(client, bodies[n])[0]

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return codes


def status_of(client: Client, body: str) -> tuple[str, etree._Element]:
    rs = client.send(body)[0]
    return str(rs.get("statusCode")), rs


def test_no_lost_update_no_duplicate_id_and_a_name_taken_once(servers: list[str]) -> None:
    clients = writers(servers)
    first = clients[0]
    _, vendor = status_of(first, "<VendorAddRq><VendorAdd><Name>Shared Vendor</Name></VendorAdd></VendorAddRq>")
    status_of(first, "<AccountAddRq><AccountAdd><Name>Repairs</Name><AccountType>Expense</AccountType></AccountAdd>"
                     "</AccountAddRq>")
    for round_ in range(ROUNDS):
        ret = first.send("<VendorQueryRq><FullName>Shared Vendor</FullName></VendorQueryRq>")[0][0]
        list_id, sequence = ret.findtext("ListID"), ret.findtext("EditSequence")
        codes = at_once(clients, [(
            f"<VendorModRq><VendorMod><ListID>{list_id}</ListID><EditSequence>{sequence}</EditSequence>"
            f"<Phone>555-{round_:02d}{n:02d}</Phone></VendorMod></VendorModRq>") for n in range(WRITERS)])
        assert sorted(codes) == ["0"] + ["3200"] * (WRITERS - 1), f"round {round_}: {codes}"

        added = at_once(clients, [(
            f"<BillAddRq><BillAdd><VendorRef><FullName>Shared Vendor</FullName></VendorRef><RefNumber>R{round_}-{n}"
            "</RefNumber><ExpenseLineAdd><AccountRef><FullName>Repairs</FullName></AccountRef><Amount>10.00</Amount>"
            "</ExpenseLineAdd></BillAdd></BillAddRq>") for n in range(WRITERS)])
        assert added == ["0"] * WRITERS
        bill = first.send(f"<BillQueryRq><RefNumber>R{round_}-0</RefNumber></BillQueryRq>")[0][0]
        bill_id, bill_sequence = bill.findtext("TxnID"), bill.findtext("EditSequence")
        codes = at_once(clients, [(
            f"<BillModRq><BillMod><TxnID>{bill_id}</TxnID><EditSequence>{bill_sequence}</EditSequence>"
            f"<Memo>writer {n}</Memo></BillMod></BillModRq>") for n in range(WRITERS)])
        assert sorted(codes) == ["0"] + ["3200"] * (WRITERS - 1), f"round {round_}: {codes}"

        same = f"<CustomerAddRq><CustomerAdd><Name>Same Name {round_}</Name></CustomerAdd></CustomerAddRq>"
        codes = at_once(clients, [same] * WRITERS)
        assert sorted(codes) == ["0"] + ["3100"] * (WRITERS - 1), f"round {round_}: {codes}"

    bills = first.send("<BillQueryRq><IncludeLineItems>true</IncludeLineItems></BillQueryRq>")[0]
    ids = [b.findtext("TxnID") for b in bills] + [line.findtext("TxnLineID") for line in bills.iter("ExpenseLineRet")]
    numbers = [b.findtext("TxnNumber") for b in bills]
    assert len(bills) == WRITERS * ROUNDS and len(set(ids)) == len(ids) and len(set(numbers)) == len(numbers)
    customers = [c.findtext("ListID") for c in first.send("<CustomerQueryRq/>")[0]]
    assert len(customers) == len(set(customers)) == ROUNDS
    balance = Decimal(first.send("<VendorQueryRq><FullName>Shared Vendor</FullName></VendorQueryRq>")[0][0]
                      .findtext("Balance") or "0")
    assert balance == Decimal("10.00") * WRITERS * ROUNDS
    assert vendor.find("VendorRet") is not None
    for client in clients:
        client.close()


def test_a_single_user_session_excludes_the_other_servers(servers: list[str]) -> None:
    alone = HttpRequestProcessor(servers[0], timeout=30)
    alone.OpenConnection2("", "Alone", 1)
    ticket = alone.BeginSession("", 0)  # single-user
    other: Any = HttpRequestProcessor(servers[1], timeout=30)
    other.OpenConnection2("", "Other", 1)
    with pytest.raises(ComError) as info:
        other.BeginSession("", 2)
    assert info.value.excepinfo is not None
    assert info.value.excepinfo[5] == signed(0x80040410) or info.value.excepinfo[5] == signed(SINGLE_USER_CONFLICT)
    alone.EndSession(ticket)
    other_ticket = other.BeginSession("", 2)  # free again
    other.EndSession(other_ticket)
    alone.CloseConnection()
    other.CloseConnection()
