"""fakeqb's pytest plugin, active once the package is installed (entry point `pytest11`: `fakeqb`).

Fixtures (each test gets its own company):

    qb_company             a fresh `FakeQuickBooks`: an empty company in memory, its clock stopped at 2024-03-01 09:30
    qb_request_processor   a request processor on it (the QBXMLRP2 methods, errors as `fakeqb.ComError`)
    qb_server              the company served over HTTP on a free local port: its URL
    qb_control_token       the token its control plane asks for
    qb_mock_qbxmlrp2       `win32com.client.Dispatch("QBXMLRP2.RequestProcessor")` answered by the company (see
                           `fakeqb.mock`); yields the company

Options (also ini keys: `qb_db`, `qb_clock`, and `qb_behaviours`, one NAME=VALUE a line):

    --qb-db URL            the company's database instead of memory, emptied before each test; `{worker}` in it
                           becomes the xdist worker's id (gw0, gw1, ...; "main" without xdist)
    --qb-clock TIME        where the clock stops (ISO 8601 company time, or "now")
    --qb-behaviour N=V     a behaviour switch's value (`fakeqb.company.behaviours`); repeat for several;
                           `--qb-behaviour others` sets every switch to a value other than its default

Markers: `@pytest.mark.qb_seed(7, vendors=10, ...)` seeds the company first (`FakeQuickBooks.seed`'s arguments);
`@pytest.mark.qb_clock("2024-06-30T17:00")` stops its clock there; `@pytest.mark.qb_behaviour(payment_restamps="yes")`
sets behaviours for the test (over the options). `pytest -p no:fakeqb` turns the plugin off.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the simulator is imported when a fixture is first used, not when pytest starts
    from fakeqb.com.processor import RequestProcessor
    from fakeqb.quickbooks import FakeQuickBooks

DEFAULT_CLOCK = "2024-03-01T09:30:00"
MARKERS = {
    "qb_seed": "qb_seed(seed=0, **sizes): fakeqb's qb_company is seeded first (FakeQuickBooks.seed's arguments: "
               "vendors, customers, max_jobs, items, classes, employees, other_names)",
    "qb_clock": "qb_clock(time): fakeqb's qb_company clock stops at this company time (ISO 8601 text or datetime)",
    "qb_behaviour": "qb_behaviour(**values): fakeqb's qb_company runs with these behaviour switches "
                    "(name=value, over --qb-behaviour)",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakeqb", "fakeqb (a simulated QuickBooks Desktop)")
    group.addoption("--qb-db", metavar="URL", default=None,
                    help="the database of fakeqb's qb_company (default: in memory), emptied before each test; "
                         "{worker} becomes the xdist worker id")
    group.addoption("--qb-clock", metavar="TIME", default=None,
                    help=f"where qb_company's clock stops: ISO 8601 company time or 'now' (default {DEFAULT_CLOCK})")
    group.addoption("--qb-behaviour", metavar="NAME=VALUE", action="append", default=[],
                    help="a behaviour switch of qb_company (repeat for several; fakeqb.company.behaviours lists them)")
    parser.addini("qb_db", "the database of fakeqb's qb_company (as --qb-db)", default="")
    parser.addini("qb_clock", "where qb_company's clock stops (as --qb-clock)", default="")
    parser.addini("qb_behaviours", "qb_company's behaviour switches, NAME=VALUE one a line (as --qb-behaviour)",
                  type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    for text in MARKERS.values():
        config.addinivalue_line("markers", text)
    if config.getini("qb_behaviours") or config.getoption("--qb-behaviour"):
        behaviours_of(config)  # a wrong name or value stops the run before any test


def behaviours_of(config: pytest.Config, marked: dict[str, object] | None = None) -> dict[str, str]:
    """The behaviour values: the ini's, then the command line's, then the test's marker's."""
    from fakeqb.company.behaviours import BehaviourError, check, parse

    try:
        values = parse([*config.getini("qb_behaviours"), *config.getoption("--qb-behaviour")])
        values.update({name: check(name, value) for name, value in (marked or {}).items()})
    except BehaviourError as exc:
        raise pytest.UsageError(f"fakeqb: {exc}") from None
    return values


def _setting(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(f"--{name.replace('_', '-')}") or config.getini(name)
    return str(value) if value else None


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if value == "now":
        return datetime.now().replace(microsecond=0)
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise pytest.UsageError(f"fakeqb: not a company time: {value!r} (ISO 8601, e.g. {DEFAULT_CLOCK}, or now)") \
            from None


@pytest.fixture
def qb_company(request: pytest.FixtureRequest) -> Iterator[FakeQuickBooks]:
    """A fresh company, its clock stopped (at --qb-clock, a qb_clock marker, or 2024-03-01 09:30), its behaviours
    the defaults but for --qb-behaviour and a qb_behaviour marker."""
    from fakeqb.quickbooks import FakeQuickBooks

    marker = request.node.get_closest_marker("qb_behaviour")
    behaviours = behaviours_of(request.config, marker.kwargs if marker is not None else None)
    url = _setting(request.config, "qb_db")
    if url is None:
        qb = FakeQuickBooks(behaviours=behaviours)
    else:
        worker = getattr(request.config, "workerinput", {}).get("workerid", "main")  # pytest-xdist's worker id
        qb = FakeQuickBooks(url.replace("{worker}", worker), behaviours=behaviours)
        qb.control.reset()
    try:
        clock = request.node.get_closest_marker("qb_clock")
        qb.clock.set(_moment(clock.args[0] if clock is not None and clock.args
                             else _setting(request.config, "qb_clock") or DEFAULT_CLOCK))
        seed = request.node.get_closest_marker("qb_seed")
        if seed is not None:
            qb.seed(*seed.args, **seed.kwargs)
        yield qb
    finally:
        qb.close()


@pytest.fixture
def qb_request_processor(qb_company: FakeQuickBooks) -> RequestProcessor:
    """A new QBXMLRP2 request processor on `qb_company`."""
    return qb_company.request_processor()


@pytest.fixture
def qb_control_token() -> str:
    """The control token `qb_server` asks for (`RemoteControl(qb_server, token=qb_control_token)`)."""
    import secrets

    return secrets.token_urlsafe(24)


@pytest.fixture
def qb_server(qb_company: FakeQuickBooks, qb_control_token: str) -> Iterator[str]:
    """`qb_company` served over HTTP (as `fakeqb serve` does) from a thread, on a free local port: its URL. Its
    control plane asks for `qb_control_token`."""
    from fakeqb.http.server import serve_in_thread

    with serve_in_thread(qb_company, control_token=qb_control_token) as url:
        yield url


@pytest.fixture
def qb_mock_qbxmlrp2(qb_company: FakeQuickBooks) -> Iterator[FakeQuickBooks]:
    """`win32com.client.Dispatch("QBXMLRP2.RequestProcessor")` answered by `qb_company` for the test (any OS)."""
    from fakeqb.mock import mock_qbxmlrp2

    with mock_qbxmlrp2(qb=qb_company) as qb:
        yield qb
