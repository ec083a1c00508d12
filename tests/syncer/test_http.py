"""The syncer against QuickBooks served over HTTP: the same method surface, the same errors, the same guarantees.

The whole suite runs this way with --qb=http (and `make test`); these tests always do, with both HTTP clients (the
syncer's own and the simulation's).
"""

from __future__ import annotations

from typing import Any

import pytest

import syncer
from fakeqb.http.client import HttpRequestProcessor as FakeqbClient
from syncer.remote import HttpRequestProcessor
from tests.syncer.conftest import Processor, fault, later, run
from tests.syncer.quickbooks import QuickBooksUser


@pytest.fixture(params=["syncer.remote", "fakeqb.http.client"])
def http_rp(request: pytest.FixtureRequest, served: str) -> Processor:
    client = HttpRequestProcessor if request.param == "syncer.remote" else FakeqbClient
    return Processor(client(served))


def test_a_sync_over_http(basics: QuickBooksUser, app: syncer.App, http_rp: Processor, qb: Any) -> None:
    settings = syncer.connect(app, http_rp)
    assert settings.company_file and settings.company_file.endswith(".qbw")
    later(qb)
    report = run(app, http_rp)
    assert report.pulled("job") == ["Baker:Kitchen"] and report.ok, str(report)
    app.vendors.create("Bolt Hardware")
    later(qb)
    assert run(app, http_rp).pushed("vendor") == ["Bolt Hardware"]


def test_a_response_lost_on_the_wire_is_not_entered_twice(basics: QuickBooksUser, app: syncer.App,
                                                          http_rp: Processor, qb: Any) -> None:
    syncer.connect(app, http_rp)
    run(app, http_rp)
    app.configure(bank_account="Checking")
    app.bills.create("Acme Supply", number="A-17", date="2024-03-01", account="Repairs", amount="120.00")
    fault(qb, kind="lose_response", request_type="BillAddRq")
    later(qb)
    with pytest.raises(syncer.QuickBooksUnavailable, match="connection to QuickBooks was lost"):
        run(app, http_rp)
    later(qb)
    assert run(app, http_rp).pushed("bill") == ["Acme Supply A-17"]
    assert len(basics.bills()) == 1


def test_quickbooks_that_cannot_be_reached(app: syncer.App, qb: Any) -> None:
    from fakeqb.http.server import serve_in_thread

    with serve_in_thread(qb) as url:
        syncer.connect(app, HttpRequestProcessor(url))
    with pytest.raises(syncer.QuickBooksUnavailable, match="could not reach QuickBooks") as caught:
        run(app, HttpRequestProcessor(url))
    assert caught.value.hresult == 0x800706BA
