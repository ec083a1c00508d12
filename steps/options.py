"""The spec's run options, and how they shape the run.

    --brand=cashflow360|keycashflow|both       the app's brand (default both): every scenario runs once per brand;
                                               those tagged @cashflow360-only are deselected for Key CashFlow
    --spec-transport=inprocess|http[,...]      how the sync and the person in QuickBooks reach QuickBooks (default
                                               inprocess); several, comma-separated, run every scenario on each
    --qb-behaviour=NAME=VALUE                  (fakeqb's pytest plugin) one of QuickBooks' open behaviours, for
                                               every company the spec, the contract cases and the syncer's tests
                                               make; repeatable
"""

from __future__ import annotations

from typing import Any

import pytest

from steps.world import BRANDS, TRANSPORTS

ONLY_CASHFLOW360 = "cashflow360-only"
_DESELECTED: list[int] = [0]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("spec", "the executable spec (features/)")
    group.addoption("--brand", default="both", choices=(*BRANDS, "both"),
                    help="the brand the spec runs for: cashflow360, keycashflow or both (the default)")
    group.addoption("--spec-transport", default="inprocess", metavar="TRANSPORTS",
                    help="how the spec reaches QuickBooks, comma-separated: inprocess (the default), http (a fakeqb "
                         "server in a thread)")


def brands(config: pytest.Config) -> list[str]:
    chosen = str(config.getoption("--brand"))
    return list(BRANDS) if chosen == "both" else [chosen]


def transports(config: pytest.Config) -> list[str]:
    names = [n.strip() for n in str(config.getoption("--spec-transport")).split(",") if n.strip()]
    if not names or any(n not in TRANSPORTS for n in names) or len(set(names)) != len(names):
        raise pytest.UsageError(f"--spec-transport takes one or more of {', '.join(TRANSPORTS)}, comma-separated "
                                f"(not {config.getoption('--spec-transport')!r})")
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "spec_brand" in metafunc.fixturenames:
        metafunc.parametrize("spec_brand", brands(metafunc.config), indirect=True, scope="session")
    if "spec_transport" in metafunc.fixturenames:
        metafunc.parametrize("spec_transport", transports(metafunc.config), indirect=True, scope="session")


def pytest_report_header(config: pytest.Config) -> str:
    return f"spec: {', '.join(BRANDS[b] for b in brands(config))} (--brand), {', '.join(transports(config))} " \
           "(--spec-transport)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect, for Key CashFlow, the examples documented for Cashflow360 accounts only."""
    kept, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        brand = callspec.params.get("spec_brand") if callspec is not None else None
        if brand == "keycashflow" and item.get_closest_marker(ONLY_CASHFLOW360) is not None:
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    _DESELECTED[0] = len(deselected)
    workeroutput = getattr(config, "workeroutput", None)  # an xdist worker: tell the controller
    if workeroutput is not None:
        workeroutput["spec_deselected"] = len(deselected)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist's controller: every worker collects the same examples, so deselects the same."""
    _DESELECTED[0] = max(_DESELECTED[0], int(getattr(node, "workeroutput", {}).get("spec_deselected", 0)))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _DESELECTED[0]:
        terminalreporter.write_line(f"spec: {_DESELECTED[0]} Key CashFlow examples deselected "
                                    f"(@{ONLY_CASHFLOW360}: documented for Cashflow360 accounts only)")
