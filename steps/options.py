"""The spec's run options, and how they shape the run.

    --brand=cashflow360|keycashflow|both       the app's brand (default both): every scenario runs once per brand;
                                               those tagged for the other brand only (@cashflow360-only,
                                               @keycashflow-only) are deselected
    --spec-transport=inprocess|http[,...]      how the sync and the person in QuickBooks reach QuickBooks (default
                                               inprocess); several, comma-separated, run every scenario on each
    --qb-behaviour=NAME=VALUE                  (fakeqb's pytest plugin) one of QuickBooks' open behaviours, for
                                               every company the spec, the contract cases and the syncer's tests
                                               make; repeatable
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from livingdoc.brands import ONLY_SUFFIX
from livingdoc.run import RunInfo, current_commit, now_utc, run_path, write_run
from steps.world import BRANDS, TRANSPORTS

_DESELECTED: list[int] = [0]
_STARTED: dict[str, Any] = {}


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


def _only_for_other_brands(item: pytest.Item, brand: str) -> bool:
    """An example tagged `@<brand>-only` for brands other than `brand` alone."""
    only = {m.name[: -len(ONLY_SUFFIX)] for m in item.iter_markers() if m.name.endswith(ONLY_SUFFIX)}
    return bool(only & set(BRANDS)) and brand not in only


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect, for a brand, the examples documented for another brand's accounts only (`@cashflow360-only`)."""
    kept, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        brand = callspec.params.get("spec_brand") if callspec is not None else None
        if brand is not None and _only_for_other_brands(item, brand):
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
        terminalreporter.write_line(f"spec: {_DESELECTED[0]} examples deselected for a brand whose edition of the "
                                    f"help article does not have them (@cashflow360-only, @keycashflow-only)")


def pytest_sessionstart(session: pytest.Session) -> None:
    _STARTED.update(at=now_utc(), clock=time.monotonic())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Beside a cucumber JSON report (`--cucumberjson`), the run: start, duration, commit, brands, transports."""
    config = session.config
    report = getattr(config.option, "cucumber_json_path", None)
    if not report or hasattr(config, "workerinput") or "clock" not in _STARTED:
        return
    path = Path(os.path.abspath(os.path.expanduser(os.path.expandvars(str(report)))))
    write_run(run_path(path), RunInfo(started=_STARTED["at"], duration_s=round(time.monotonic() - _STARTED["clock"], 1),
                                      commit=current_commit(config.rootpath), brands=brands(config),
                                      transports=transports(config)))
