from __future__ import annotations

import dataclasses
from collections.abc import Generator, Iterator
from datetime import datetime
from typing import Any

import pytest
from pytest_bdd.reporting import ReportContext, test_report_context_registry

pytest.register_assert_rewrite("steps")

from fakeqb import FakeQuickBooks  # noqa: E402
from fakeqb.pytest_plugin import behaviours_of  # noqa: E402
from steps import PLUGINS  # noqa: E402
from tests import transports  # noqa: E402
from tests.support import Client  # noqa: E402

START = datetime(2024, 3, 1, 9, 30, 0)

# The executable spec's steps, fixtures and options (--brand, --spec-transport); tests/test_spec.py binds features/.
pytest_plugins = PLUGINS


# -- pytest-bdd 9.0's cucumber JSON under xdist: its scenario data stays on the worker, in a registry keyed by the
# worker's report object, so the controller writes an empty report. The data travels on the report instead.

@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    context = test_report_context_registry.get(report)
    if context is not None:
        report.bdd_context = dataclasses.asdict(context)
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    data = getattr(report, "bdd_context", None)
    if data is not None and report not in test_report_context_registry:
        test_report_context_registry[report] = ReportContext(**data)


@pytest.fixture
def qb(request: pytest.FixtureRequest) -> Iterator[FakeQuickBooks]:
    """An empty company in memory, its clock stopped at START (company time), with the --qb-behaviour values."""
    company = FakeQuickBooks(behaviours=behaviours_of(request.config))
    company.clock.set(START)
    yield company
    company.close()


@pytest.fixture
def client(qb: FakeQuickBooks) -> Iterator[Client]:
    c = Client(qb.request_processor())
    yield c
    c.close()


# -- which request processor the contract cases run against: --qb=inprocess|http|com (or several, comma-separated) --

def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--qb", default="inprocess", metavar="TRANSPORTS",
                     help="the request processor(s) the contract cases run against, comma-separated: inprocess "
                          "(fakeqb in this process, the default), http (fakeqb over HTTP), com (the real QuickBooks "
                          "through QBXMLRP2's COM object: Windows, pywin32)")


def qb_transports(config: pytest.Config) -> list[str]:
    names = [name.strip() for name in str(config.getoption("--qb")).split(",") if name.strip()]
    unknown = [name for name in names if name not in transports.TRANSPORTS]
    if not names or unknown or len(set(names)) != len(names):
        raise pytest.UsageError(f"--qb takes one or more of {', '.join(transports.TRANSPORTS)}, comma-separated "
                                f"(not {config.getoption('--qb')!r})")
    return names


def pytest_configure(config: pytest.Config) -> None:
    if "com" in qb_transports(config):
        reason = transports.com_unavailable()
        if reason is not None:
            raise pytest.UsageError(reason)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "qb_transport" in metafunc.fixturenames:
        metafunc.parametrize("qb_transport", qb_transports(metafunc.config), indirect=True, scope="session")


@pytest.fixture(scope="session")
def qb_transport(request: pytest.FixtureRequest) -> Iterator[transports.Transport]:
    """The transport of this case (parametrized by --qb); made once per test session."""
    transport = transports.make(request.param)
    yield transport
    transport.close()


_DESELECTED: list[int] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark `control_plane` every case on a transport that a live company cannot run (not in its module's
    LIVE_CASES), and deselect those with --qb=com: the real QuickBooks has no clock to stop, no reset, no faults."""
    kept, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        transport = callspec.params.get("qb_transport") if callspec is not None else None
        live_cases = getattr(getattr(item, "module", None), "LIVE_CASES", None)
        if transport is not None and live_cases is not None:
            if getattr(item, "originalname", item.name) not in live_cases:
                item.add_marker(pytest.mark.control_plane)
            if transport == "com" and item.get_closest_marker("control_plane") is not None:
                deselected.append(item)
                continue
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    _DESELECTED[:] = [len(deselected)]


def pytest_report_collectionfinish(config: pytest.Config) -> list[str]:
    names = qb_transports(config)
    lines = [f"contract cases run against: {', '.join(names)} (--qb)"]
    if "com" in names and _DESELECTED and _DESELECTED[0]:
        lines.append(f"--qb=com: {_DESELECTED[0]} contract cases deselected: they need fakeqb's control plane "
                     "(an empty company, the clock, fault rules); see LIVE_CASES in tests/test_contract.py")
    return lines
