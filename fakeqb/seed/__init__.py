"""A realistic company for tests and demos: its lists built through qbXML as any client would build them (`lists`),
and months of transaction history before the company's day (`history`), written straight into the tables (`bulk`) or
sent as qbXML (`sender`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, time
from inspect import signature
from typing import Literal

from fakeqb.com.host import Host
from fakeqb.com.processor import RequestProcessor
from fakeqb.seed.bulk import collector_paused, write_history
from fakeqb.seed.history import MONTHS, History, history_start, plan_history, read_lists
from fakeqb.seed.lists import Progress, SeedError, SeedSummary, seed_company
from fakeqb.seed.sender import send_history

LIST_SIZES = ("vendors", "customers", "max_jobs", "items", "classes", "employees", "other_names")
HISTORY_SIZES = ("bills", "invoices", "months")
#: Every size `seed_host` takes, with its default.
DEFAULT_SIZES: dict[str, int] = {
    **{name: signature(seed_company).parameters[name].default for name in LIST_SIZES},
    "bills": 0, "invoices": 0, "months": MONTHS,
}
#: When, on the first day of a history, the lists are entered.
LISTS_ENTERED = time(7, 30)


def seed_host(host: Host, seed: int = 0, **sizes: int) -> SeedSummary:
    """Fill the (empty) company `host` has open, as its administrator: app authorization, fault rules and the request
    log do not apply. `sizes` are `seed_company`'s, and `bills`, `invoices` and `months` of history (see
    `build_company`)."""
    return build_company(host, seed, sizes)


def build_company(host: Host, seed: int, sizes: Mapping[str, int], *, progress: Progress | None = None,
                  via: Literal["bulk", "qbxml"] = "bulk") -> SeedSummary:
    """`seed_host`, telling `progress` how each phase goes ("lists", "planning", "history", "writing").

    With `bills` or `invoices` in `sizes`, the company gets `months` (default MONTHS) months of history before the
    clock's day (`fakeqb.seed.history`), written straight into the tables (`via="bulk"`) or sent as qbXML
    (`via="qbxml"`: the same company, much slower); its lists are entered on the history's first day. The clock is
    left as it was (stopped at the same time, or running); the same seed on the same day gives the same company.
    """
    list_sizes = {k: v for k, v in sizes.items() if k not in HISTORY_SIZES}
    bills, invoices, months = (sizes.get(k, DEFAULT_SIZES[k]) for k in HISTORY_SIZES)
    if min(bills, invoices, months) < 0:
        raise ValueError("sizes must not be negative: bills, invoices, months")
    if (bills or invoices) and months < 1:
        raise ValueError("a history needs at least one month")
    clock = host.clock
    stopped, moment = clock.stopped, clock.now()
    try:
        if bills or invoices:
            clock.set(datetime.combine(history_start(moment.date(), months), LISTS_ENTERED))
        summary = seed_company(RequestProcessor(host, admin=True), seed, progress=progress, **list_sizes)
        if not (bills or invoices):
            return summary
        with host.company.transaction() as conn:
            lists = read_lists(conn)
        with collector_paused():
            history = plan_history(lists, seed, moment.date(), bills=bills, invoices=invoices, months=months,
                                   progress=progress)
        if via == "qbxml":
            send_history(host, history, progress)
        else:
            write_history(host.company, lists, history, progress)
        return replace(summary, **history.counts())
    finally:
        if stopped:
            clock.set(moment)
        else:
            clock.resume()


__all__ = [
    "DEFAULT_SIZES",
    "HISTORY_SIZES",
    "LIST_SIZES",
    "History",
    "SeedError",
    "SeedSummary",
    "build_company",
    "seed_company",
    "seed_host",
]
