"""`FakeQuickBooks`: a simulated QuickBooks Desktop with one company file open, ready to use.

    qb = FakeQuickBooks()                                   # a new company in memory (default lists only)
    qb = FakeQuickBooks("sqlite:///company.db")             # a company file that persists and reopens
    qb = FakeQuickBooks("postgresql+psycopg://localhost/test")
    rp = qb.request_processor()                             # the QBXMLRP2 surface
    qb.control                                              # reset, snapshot, clock, request log, faults, apps

It is the running QuickBooks (`fakeqb.com.host.Host`: the company file, sessions, fault rules, request log) with its
request processors, its control plane and seeding at hand.
"""

from __future__ import annotations

from fakeqb.com.host import Host
from fakeqb.com.processor import RequestProcessor
from fakeqb.control.api import Control, control_of
from fakeqb.seed import SeedSummary, seed_host


class FakeQuickBooks(Host):
    """QuickBooks running with a company file open (see `Host` for the arguments)."""

    def request_processor(self) -> RequestProcessor:
        """A new QBXMLRP2 request processor object connected to this QuickBooks."""
        return RequestProcessor(self)

    @property
    def control(self) -> Control:
        """The control plane: reset, seed, snapshot/restore, clock, request log, fault rules, app authorization."""
        return control_of(self)

    def seed(self, seed: int = 0, **sizes: int) -> SeedSummary:
        """Fill this (empty) company with a small business's lists and, with `bills` or `invoices`, `months` (default
        12) months of transactions before the clock's day; returns the `fakeqb.seed.SeedSummary`.

        `sizes` are `fakeqb.seed.seed_company`'s (vendors, customers, max_jobs, items, classes, employees,
        other_names) and the history's (bills, invoices, months; `fakeqb.seed.history` has the mix). The clock is left
        as it was; the same seed on the same day gives the same company. Seeding works as the administrator would:
        app authorization, fault rules and the request log do not apply.
        """
        return seed_host(self, seed, **sizes)

    def __enter__(self) -> FakeQuickBooks:
        return self


__all__ = ["FakeQuickBooks"]
