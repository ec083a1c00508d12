"""The world of a scenario: a QuickBooks company (in memory, its clock stopped), the app of one brand, the request
processor the sync talks to, and a person working in QuickBooks.

Time. Before the first step the scenario's dates are read (`begin`): the company starts the day before the earliest
date it mentions, with an income account and a service item (for invoice lines). What "a person ... on <date>" does
happens on that date; everything else a person does, and every sync, happens on the scenario's present day, the day
after the latest date it mentions. The company clock only moves forward, five minutes per action (more than the sync
reads again before its last read), so QuickBooks stamps each change after the previous one.

Options (registered in `steps.options`): `--brand` picks the app's brand(s), `--spec-transport` how QuickBooks is
reached: in process, or over HTTP from a fakeqb server in a thread of this process (one per test session).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

import livingdoc.brands
import syncer
from fakeqb import FakeQuickBooks
from fakeqb.http.client import HttpRequestProcessor
from fakeqb.http.server import Processors, create_app, make_server, running
from fakeqb.pytest_plugin import behaviours_of
from steps.quickbooks_user import QuickBooksUser
from steps.sentences import dates_in

BRANDS = livingdoc.brands.BRANDS
TRANSPORTS = ("inprocess", "http")
#: The income account and the item on invoice and credit memo lines, in QuickBooks before the scenario; QuickBooks
#: creates A/P and A/R itself when the first bill or invoice is entered.
INCOME_ACCOUNT, ITEM = "Sales", "Services"
EXPENSE_ACCOUNT = "Office Expenses"  # bills, vendor credits and checks entered in QuickBooks post here
DEFAULT_DAY = date(2024, 1, 2)
START_OF_DAY, TICK = time(9, 0), timedelta(minutes=5)


@dataclass
class World:
    """What a scenario acts on and looks at."""

    brand: str
    qb: FakeQuickBooks
    app: syncer.App
    rp: Any  # the request processor the sync talks to
    person: QuickBooksUser
    present: date = DEFAULT_DAY
    reports: list[syncer.SyncReport] = field(default_factory=list)
    account_created_on_given: bool = False
    connected: bool = False
    linking: list[tuple[str, str]] = field(default_factory=list)  # added on both sides, not synced yet

    @property
    def other_brand(self) -> str:
        return next(b for b in BRANDS.values() if b != self.brand)

    # -- time ---------------------------------------------------------------------------------------------------
    def begin(self, step_texts: list[str]) -> None:
        """Set the scene before the first step: the company as it is the day before the scenario's first date."""
        dates = [d for text in step_texts for d in dates_in(text)] or [DEFAULT_DAY]
        self.present = max(dates) + timedelta(days=1)
        self.qb.clock.set(datetime.combine(min(dates) - timedelta(days=1), START_OF_DAY))
        self.person.add("income account", INCOME_ACCOUNT)
        self.person.add("service item", ITEM, account=INCOME_ACCOUNT)

    def now(self) -> datetime:
        return self.qb.clock.now().replace(tzinfo=None)

    def tick(self, at: datetime | None = None) -> date:
        """Move the company clock five minutes on (or to `at`, if that is later); the company's day."""
        moment = self.now() + TICK
        if at is not None and at > moment:
            moment = at
        self.qb.clock.set(moment)
        return moment.date()

    def today(self) -> date:
        """An action on the scenario's present day."""
        return self.tick(datetime.combine(self.present, START_OF_DAY))

    def on(self, day: date) -> date:
        """An action on a given day (a tick later if the clock is past that day already)."""
        return self.tick(datetime.combine(day, START_OF_DAY))

    # -- the sync -----------------------------------------------------------------------------------------------
    def connect(self, on: date) -> None:
        syncer.connect(self.app, self.rp, on=on)
        self.connected = True
        if not self.account_created_on_given:
            self.app.configure(account_created_on=on)

    def sync(self) -> syncer.SyncReport:
        """One complete run; the app's messages never name the other brand."""
        if not self.connected:
            self.connect(self.now().date())
        report = syncer.sync(self.app, self.rp, sleep=lambda seconds: None)
        self.reports.append(report)
        leaked = [str(i) for i in [*report.errors, *report.notices] if self.other_brand in str(i)]
        assert not leaked, f"{self.brand} shows messages naming {self.other_brand}: {leaked}"
        return report

    def link_later(self, kind: str, name: str) -> None:
        """Something added on both sides: one sync before the next step links them all (see `settle`)."""
        self.linking.append((kind, name))

    def settle(self) -> None:
        """The earlier sync that linked what was added on both sides; the app must show each of them."""
        if not self.linking:
            return
        pending, self.linking = self.linking, []
        self.tick()
        report = self.sync()
        missing = [f"{kind} {name}" for kind, name in pending if self.app_shows(kind, name) is None]
        assert not missing, f"the sync did not bring {missing} to the app\n{report}"

    def app_shows(self, kind: str, name: str) -> Any:
        """The list element the app shows by that name, or None (a job by its own or its full name)."""
        app = self.app
        if kind == "job":
            return next((c for c in app.customers.list() if c.parent_id is not None and name in (c.name, c.full_name)),
                        None)
        lists: dict[str, Any] = {"account": app.accounts, "bank account": app.accounts, "department": app.departments,
                                 "vendor": app.vendors, "customer": app.customers, "item": app.items}
        found = lists[kind].find(name)
        if found is None or (kind == "customer" and found.parent_id is not None):
            return None
        if kind == "bank account" and found.account_type != "Bank":
            return None
        return found

    def named(self, text: str) -> str:
        """A name or message of the features with "{app}" as the brand's name."""
        return text.replace("{app}", self.brand)

    def last_report(self) -> str:
        """The last sync's report, for failure messages."""
        return f"\nthe last sync:\n{self.reports[-1]}" if self.reports else "\n(the sync has not run)"


# -- the transports ---------------------------------------------------------------------------------------------

class HttpServer:
    """One fakeqb server for the test session; each scenario's company takes the place of the previous one."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        app = create_app(self._stack.enter_context(FakeQuickBooks()))
        self._processors: Processors = app.extensions["fakeqb"]
        self.url = self._stack.enter_context(running(make_server(app))).url

    def serve(self, company: FakeQuickBooks) -> None:
        self._processors.serve(company)

    def processor(self) -> HttpRequestProcessor:
        return HttpRequestProcessor(self.url, timeout=60)

    def close(self) -> None:
        self._stack.close()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Read the scenario's dates before its first step."""
    if "world" in request.fixturenames:
        request.getfixturevalue("world").begin([step.name for step in scenario.steps])


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                           step_func: Any) -> None:
    """Before a step other than another "... is in the app and in QuickBooks", the sync that links those."""
    if "world" in request.fixturenames and not getattr(step_func, "links_later", False):
        request.getfixturevalue("world").settle()


@pytest.fixture(scope="session")
def spec_server() -> Iterator[HttpServer]:
    server = HttpServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def spec_brand(request: pytest.FixtureRequest) -> str:
    """The brand under test (parametrized by --brand)."""
    return BRANDS[request.param]


@pytest.fixture(scope="session")
def spec_transport(request: pytest.FixtureRequest) -> str:
    """How QuickBooks is reached (parametrized by --spec-transport)."""
    return str(request.param)


@pytest.fixture
def world(spec_brand: str, spec_transport: str, request: pytest.FixtureRequest) -> Iterator[World]:
    with ExitStack() as stack:
        qb = stack.enter_context(FakeQuickBooks(behaviours=behaviours_of(request.config)))
        if spec_transport == "http":
            server: HttpServer = request.getfixturevalue("spec_server")
            server.serve(qb)
            rp: Any = server.processor()
            person_rp: Any = server.processor()
        else:
            rp, person_rp = qb.request_processor(), qb.request_processor()
        app = syncer.App("sqlite://", brand=spec_brand)
        stack.callback(app.close)
        person = QuickBooksUser(person_rp)
        stack.callback(person.close)
        yield World(brand=spec_brand, qb=qb, app=app, rp=rp, person=person)
