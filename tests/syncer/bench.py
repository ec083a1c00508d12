"""What a sync run costs in CPU, the syncer's own part apart from QuickBooks' (a measurement, not a test).

    .venv/bin/python -m tests.syncer.bench [--syncs 30]

A small seeded company in process: the app's creation and connect, then syncs with nothing changed and syncs after
one change in the app, each as total CPU, CPU spent inside the request processor (the simulated QuickBooks), and the
rest (the syncer's own). Then the same no-op sync replayed from recorded answers, which leaves the syncer's own time
alone (for profiling it: `python -m cProfile -s cumulative -m tests.syncer.bench`).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import syncer
from fakeqb import FakeQuickBooks


class Timed:
    """A request processor that adds up the CPU its calls take."""

    def __init__(self, inner: Any):
        self.inner, self.cpu, self.calls = inner, 0.0, 0
        self.log: list[tuple[str, Any]] | None = None  # (method, result) when recording

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any) -> Any:
            start = time.process_time()
            try:
                result = method(*args)
            finally:
                self.cpu += time.process_time() - start
                self.calls += 1
            if self.log is not None:
                self.log.append((name, result))
            return result

        return call


class Replay:
    """Gives back recorded answers in order."""

    def __init__(self, log: list[tuple[str, Any]]):
        self._answers = iter(log)

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            recorded, result = next(self._answers)
            assert recorded == name, (recorded, name)
            return result

        return call


def cpu(work: Callable[[], Any], times: int, rounds: int = 3) -> float:
    """Milliseconds of CPU per call of `work`, the best of `rounds` rounds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(times):
            work()
        best = min(best, time.process_time() - start)
    return best / times * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--syncs", type=int, default=30)
    n = parser.parse_args().syncs

    qb = FakeQuickBooks()
    qb.clock.set(datetime(2024, 3, 1, 9))
    qb.seed(seed=1, vendors=5, customers=5, items=4)
    rp = Timed(qb.request_processor())
    print(f"App('sqlite://')       {cpu(lambda: syncer.App('sqlite://'), 20):7.2f} ms")
    app = syncer.App("sqlite://")
    start = time.process_time()
    syncer.connect(app, rp, on=date(2024, 3, 1))
    print(f"connect                {(time.process_time() - start) * 1000:7.2f} ms")
    start = time.process_time()
    syncer.sync(app, rp, sleep=lambda seconds: None)
    print(f"first sync             {(time.process_time() - start) * 1000:7.2f} ms")

    def no_op() -> None:
        syncer.sync(app, rp, sleep=lambda seconds: None)

    changes = iter(range(10**6))

    def one_change() -> None:
        vendor = app.vendors.list()[0]
        app.vendors.update(vendor.id, phone=f"555-{next(changes) % 10000:04d}")
        syncer.sync(app, rp, sleep=lambda seconds: None)

    for name, work in (("no-op sync", no_op), ("sync after one change", one_change)):
        rounds = []
        for _ in range(3):
            rp.cpu, rp.calls = 0.0, 0
            total = cpu(work, n, rounds=1)
            rounds.append((total, rp.cpu / n * 1000, rp.calls // n))
        total, in_qb, calls = min(rounds)
        print(f"{name:22s} {total:7.2f} ms: QuickBooks {in_qb:.2f} ms ({calls} calls), syncer {total - in_qb:.2f} ms")

    rp.log = []
    no_op()
    log, rp.log = rp.log, None
    replayed = cpu(lambda: syncer.sync(app, Replay(log), sleep=lambda seconds: None), n)
    print(f"no-op sync, replayed   {replayed:7.2f} ms (the syncer alone)")


if __name__ == "__main__":
    main()
