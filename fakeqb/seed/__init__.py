"""A realistic company for tests and demos, built through qbXML as any client would build it."""

from __future__ import annotations

from fakeqb.com.host import Host
from fakeqb.com.processor import RequestProcessor
from fakeqb.seed.lists import SeedError, SeedSummary, seed_company


def seed_host(host: Host, seed: int = 0, **sizes: int) -> SeedSummary:
    """Fill the (empty) company `host` has open, as its administrator: app authorization, fault rules and the request
    log do not apply. `sizes` are `seed_company`'s."""
    return seed_company(RequestProcessor(host, admin=True), seed, **sizes)


__all__ = ["SeedError", "SeedSummary", "seed_company", "seed_host"]
