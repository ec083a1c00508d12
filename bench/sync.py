"""`make bench-sync`: what a sync costs as the company grows, in process and over HTTP (figures, not a test).

    python -m bench.sync [--sizes 10k,100k] [--transports inprocess,http] [--folder build/bench] [--seed 1]

For each size (`bench.company.SIZES`: 1k vendors, 2k customers and 10k bills and invoices; ten times that) and each
transport, one fresh subprocess (the syncer's process) opens a copy of the company file, connects an app whose
database is a SQLite file (2-way bill sync on, connected on the first day of the history, so every open bill and
every invoice comes to the app) and measures:

* the first sync: wall and CPU time, records brought to the app, wall time per record, and the process's peak RSS
  (`resource.getrusage(RUSAGE_SELF).ru_maxrss`; in process that includes fakeqb's share, so the RSS growth during
  the sync is shown too; over HTTP, `fakeqb serve` runs in its own process and the figure is the syncer's alone);
* a sync with nothing to do (the median of five);
* a sync after 10 changes, five in the app and five in QuickBooks (the median of three rounds).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.company import SIZES, TODAY, Size, company_file, copy_of, history_start

TRANSPORTS = ("inprocess", "http")
CHILD_TIMEOUT = 3600


# -- in the measuring subprocess -------------------------------------------------------------------------------

@dataclass
class QuickBooksSide:
    """What the measurement does to QuickBooks: the request processor the syncer talks to, a person's, the clock."""

    rp: Timed
    person: Any
    set_clock: Callable[[datetime], Any]


class Timed:
    """A request processor that adds up the wall and CPU time its calls take (in process, the CPU is QuickBooks'
    share; over HTTP, the wall time is the wait for the server)."""

    def __init__(self, inner: Any):
        self.inner, self.wall, self.cpu = inner, 0.0, 0.0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return method(*args)
            finally:
                self.wall += time.perf_counter() - start
                self.cpu += time.process_time() - cpu

        return call


@contextmanager
def quickbooks(company: Path, transport: str) -> Iterator[QuickBooksSide]:
    url = f"sqlite:///{company}"
    if transport == "inprocess":
        from fakeqb import FakeQuickBooks

        with FakeQuickBooks(url) as qb:
            yield QuickBooksSide(Timed(qb.request_processor()), qb.request_processor(), qb.clock.set)
        return
    from fakeqb.control.client import RemoteControl
    from fakeqb.http.client import HttpRequestProcessor as PersonProcessor
    from fakeqb.http.process import serve_process
    from syncer.remote import HttpRequestProcessor

    with serve_process("--db", url) as served:
        control = RemoteControl(served.url, token=served.token)
        yield QuickBooksSide(Timed(HttpRequestProcessor(served.url)), PersonProcessor(served.url), control.set_clock)


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: Size, company: Path, transport: str) -> dict[str, Any]:
    import syncer
    from bench.changes import change_app, change_quickbooks, last_edits
    from syncer.engine.progress import Step

    with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder, \
            quickbooks(copy_of(company, Path(folder)), transport) as side:
        moment = TODAY + timedelta(hours=1)
        side.set_clock(moment)
        last_edits(side.person, moment.date())
        moment += timedelta(hours=1)
        side.set_clock(moment)
        app = syncer.App(f"sqlite:///{folder}/app.db", brand="Cashflow360", two_way_bill_sync=True,
                         account_created_on=date(2019, 1, 1))
        syncer.connect(app, side.rp, on=history_start())

        read: dict[str, int] = {}
        phases: dict[str, list[float]] = {}  # phase -> wall, CPU, QuickBooks' CPU at its first step, then at its last

        def count(step: Step) -> None:
            now = [time.perf_counter(), time.process_time(), side.rp.cpu]
            started = phases.setdefault(step.phase, [*now, *now])
            started[3:] = now
            if step.finished and step.phase.endswith("from QuickBooks"):
                read[step.phase] = step.done

        def sync() -> tuple[float, float, syncer.SyncReport]:
            side.rp.wall = side.rp.cpu = 0.0
            read.clear()
            phases.clear()
            start, cpu = time.perf_counter(), time.process_time()
            report = syncer.sync(app, side.rp, sleep=lambda seconds: None, progress=count)
            return time.perf_counter() - start, time.process_time() - cpu, report

        before = rss_mib()
        wall, cpu, report = sync()
        result: dict[str, Any] = {
            "size": size.name, "transport": transport, "first_wall": wall, "first_cpu": cpu,
            "first_qb_wall": side.rp.wall, "first_qb_cpu": side.rp.cpu, "load": os.getloadavg()[0],
            "read": sum(read.values()), "pulled": sum(len(v) for v in report.to_app.values()),
            "pushed": sum(len(v) for v in report.to_quickbooks.values()),
            "pulled_kinds": {k: len(v) for k, v in report.to_app.items()}, "errors": len(report.errors),
            "error_kinds": dict(Counter(issue.message[:60] for issue in report.errors)),
            "requests": report.requests, "rss_before": before, "peak_rss": peak_mib(),
            "phases": {phase: {"wall": round(w1 - w0, 2), "cpu": round(c1 - c0, 2), "qb_cpu": round(q1 - q0, 2),
                               "read": read.get(phase)} for phase, (w0, c0, q0, w1, c1, q1) in phases.items()},
        }
        app.configure(ap_account="Accounts Payable", ar_account="Accounts Receivable", bank_account="Checking")
        no_op = []
        for _ in range(5):
            moment += timedelta(minutes=10)
            side.set_clock(moment)
            wall, cpu, report = sync()
            no_op.append((wall, report.requests, sum(len(v) for v in report.to_app.values())))
        result["no_op"] = statistics.median(w for w, _, _ in no_op)
        result["no_op_all"] = [round(w * 1000, 1) for w, _, _ in no_op]
        result["no_op_requests"] = no_op[-1][1]
        result["no_op_phases"] = {phase: round((w1 - w0) * 1000, 1) for phase, (w0, _, _, w1, _, _) in phases.items()}
        result["no_op_qb_wall"] = round(side.rp.wall * 1000, 1)
        changed = []
        for round_number in range(3):
            moment += timedelta(minutes=10)
            side.set_clock(moment)
            change_app(app, round_number)
            change_quickbooks(side.person, round_number, moment.date())
            moment += timedelta(minutes=10)
            side.set_clock(moment)
            wall, cpu, report = sync()
            changed.append((wall, report))
        wall, report = sorted(changed, key=lambda pair: pair[0])[1]
        result["changes"] = wall
        result["changes_moved"] = [{k: len(v) for k, v in report.to_app.items()},
                                   {k: len(v) for k, v in report.to_quickbooks.items()}]
        result["changes_errors"] = [str(issue) for issue in report.errors]
        app.close()
    return result


# -- the parent: one subprocess per measurement, and the table ----------------------------------------------------

def run_child(size: Size, company: Path, transport: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.sync", "--child", size.name, "--company", str(company),
                           "--transports", transport], capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"the measurement of {size.name} {transport} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def table(results: list[dict[str, Any]]) -> str:
    head = ("| size | transport | read (to the app) | first sync: wall | CPU (QuickBooks') | per record: wall, CPU | "
            "peak RSS (during the sync) | nothing to do | 10 changes | 10 changes / first |")
    rows = [head, "|---" * (head.count("|") - 1) + "|"]
    for r in results:
        read = max(r["read"], 1)
        qb_cpu = f" ({r['first_qb_cpu']:.1f} s)" if r["transport"] == "inprocess" else ""
        growth = r["peak_rss"] - r["rss_before"]
        rows.append(
            f"| {r['size']} | {r['transport']} | {r['read']:,} ({r['pulled']:,}) | {r['first_wall']:.1f} s | "
            f"{r['first_cpu']:.1f} s{qb_cpu} | {r['first_wall'] / read * 1e6:.0f} µs, "
            f"{r['first_cpu'] / read * 1e6:.0f} µs | {r['peak_rss']:.0f} MiB (+{growth:.0f}) | "
            f"{r['no_op'] * 1000:.0f} ms | {r['changes'] * 1000:.0f} ms | "
            f"{r['changes'] / r['first_wall'] * 100:.2f}% |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--transports", default=",".join(TRANSPORTS), help="inprocess, http or both")
    parser.add_argument("--folder", default="build/bench", help="where the company files are kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--company", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(SIZES[args.child], Path(args.company), args.transports)))
        return 0
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for name in args.sizes.split(","):
        size = SIZES[name]
        print(f"{name}: {size.vendors:,} vendors, {size.customers:,} customers and their jobs, a year of history with "
              f"{size.bills:,} bills and {size.invoices:,} invoices", flush=True)
        start = time.perf_counter()
        company = company_file(folder, size, args.seed)
        print(f"  company file {company} ({time.perf_counter() - start:.0f} s)", flush=True)
        for transport in args.transports.split(","):
            result = run_child(size, company, transport)
            results.append(result)
            print(f"  {transport}: {json.dumps(result)}", flush=True)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
