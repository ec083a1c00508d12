"""Fixtures of the syncer's tests: a simulated QuickBooks, the ONE request processor the syncer talks to, a person
working in QuickBooks, and the app.

`rp` is what the syncer talks to, once per transport `--qb` names (inprocess, http; `make test` runs both): the
simulation's request processor in process, or the syncer's own HTTP client (`syncer.remote`) to the simulation served
from a thread.
`user` (a person in QuickBooks), `later` (the company clock) and `fault` (fault rules) act on the simulation itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

import syncer
from fakeqb import FakeQuickBooks
from fakeqb.http.server import serve_in_thread
from fakeqb.pytest_plugin import behaviours_of
from syncer.remote import HttpRequestProcessor
from tests.conftest import qb_transports
from tests.syncer.quickbooks import QuickBooksUser

START = datetime(2024, 3, 1, 9, 0)
CONNECTED_ON = date(2024, 3, 1)
_REQUEST = re.compile(r"<([A-Za-z]+Rq)[\s>/]")


class Processor:
    """A request processor that delegates to another, counts ProcessRequest calls, and can run a hook first."""

    def __init__(self, inner: Any):
        self._inner = inner
        self.requests: list[str] = []  # the request names sent, in order
        self.hooks: dict[str, Callable[[], None]] = {}  # request name -> run once before it is sent
        self.failures: dict[str, BaseException] = {}  # request name -> raised once instead of sending it
        self.canned: dict[str, str] = {}  # request name -> the response given instead of sending it

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def ProcessRequest(self, ticket: str, request: str) -> str:
        match = _REQUEST.search(request.split("QBXMLMsgsRq", 1)[1])
        name = match[1] if match else "?"
        self.requests.append(name)
        hook = self.hooks.pop(name, None)
        if hook is not None:
            hook()
        failure = self.failures.pop(name, None)
        if failure is not None:
            raise failure
        if name in self.canned:
            return self.canned[name]
        return str(self._inner.ProcessRequest(ticket, request))

    def count(self) -> int:
        return len(self.requests)


@pytest.fixture
def qb(request: pytest.FixtureRequest) -> Iterator[FakeQuickBooks]:
    company = FakeQuickBooks(behaviours=behaviours_of(request.config))
    company.clock.set(START)
    yield company
    company.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that talks to QuickBooks runs once per simulated transport named by --qb (com needs a company
    the tests can act on, so it counts as in process here)."""
    if "syncer_transport" in metafunc.fixturenames:
        names = [name for name in qb_transports(metafunc.config) if name != "com"] or ["inprocess"]
        metafunc.parametrize("syncer_transport", names)


@pytest.fixture
def served(qb: FakeQuickBooks) -> Iterator[str]:
    """The simulation served over HTTP from a background thread; its URL."""
    with serve_in_thread(qb) as url:
        yield url


@pytest.fixture
def rp(qb: FakeQuickBooks, request: pytest.FixtureRequest, syncer_transport: str) -> Processor:
    """The request processor the syncer talks to."""
    if syncer_transport == "http":
        return Processor(HttpRequestProcessor(request.getfixturevalue("served")))
    return Processor(qb.request_processor())


@pytest.fixture
def user(qb: FakeQuickBooks) -> Iterator[QuickBooksUser]:
    """A person working in QuickBooks (a session of their own)."""
    person = QuickBooksUser(qb.request_processor())
    yield person
    person.close()


@pytest.fixture
def app() -> Iterator[syncer.App]:
    instance = syncer.App("sqlite://")
    yield instance
    instance.close()


@pytest.fixture
def connected(app: syncer.App, rp: Processor) -> syncer.App:
    """The app connected to the company on CONNECTED_ON."""
    syncer.connect(app, rp, on=CONNECTED_ON)
    return app


def later(qb: FakeQuickBooks, **delta: float) -> None:
    """Move the company's clock forward (an hour by default)."""
    qb.clock.advance(timedelta(**delta) if delta else timedelta(hours=1))


def fault(qb: FakeQuickBooks, **rule: Any) -> None:
    """Add a fault rule to the simulated QuickBooks (see fakeqb.com.faults)."""
    qb.faults.add(rule)


def run(app: syncer.App, rp: Any, **options: Any) -> syncer.SyncReport:
    """One sync, without the pauses between retries."""
    options.setdefault("sleep", lambda seconds: None)
    return syncer.sync(app, rp, **options)


@pytest.fixture
def basics(user: QuickBooksUser) -> QuickBooksUser:
    """A small company: bank, A/P, A/R, expense and income accounts, a class, a vendor, a customer with a job, an
    item."""
    user.account("Checking", "Bank")
    user.account("Accounts Payable", "AccountsPayable")
    user.account("Accounts Receivable", "AccountsReceivable")
    user.account("Repairs", "Expense")
    user.account("Supplies", "Expense")
    user.account("Sales", "Income")
    user.klass("Field")
    user.vendor("Acme Supply", "<CompanyName>Acme Supply Co</CompanyName>")
    user.customer("Baker", email="baker@example.com")
    user.customer("Kitchen", parent="Baker")
    user.service_item("Labor", "50.00", "Sales")
    return user
