"""Throughput of fakeqb beside the floor: the cost of merely parsing and writing the same XML with lxml.

    make bench                             # in process and over HTTP, about 2 s per case
    python -m fakeqb.bench --seconds 5 --no-http

Each case sends one kind of request again and again through a request processor and reports requests per second.
The floor of a case is what any implementation must at least do for the same messages: parse the request text, and
build and write the response text (measured as parsing the response fakeqb gave and serializing it again). The
ratio says how many floors one request costs. Over HTTP the server is `fakeqb serve` in a process of its own.
Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lxml import etree

from fakeqb.com.client import envelope, session
from fakeqb.quickbooks import FakeQuickBooks

APP_NAME = "fakeqb bench"
CUSTOMERS = 1_000  # the company the iterator case pages through
PAGE = 100
COMPANY = {"seed": 1, "vendors": 10, "customers": CUSTOMERS, "max_jobs": 0, "items": 4, "employees": 1,
           "other_names": 1}


@dataclass
class Figure:
    case: str
    transport: str
    per_second: float
    floor_per_second: float

    @property
    def ratio(self) -> float:
        return self.floor_per_second / self.per_second

    def __str__(self) -> str:
        return (f"{self.case:<34} {self.transport:<11} {self.per_second:>9,.0f}/s   "
                f"floor {self.floor_per_second:>9,.0f}/s   {self.ratio:>5.1f}x")


def rate(fn: Callable[[], Any], seconds: float) -> float:
    """Calls per second of `fn`, run for about `seconds` after a short warm-up."""
    for _ in range(20):
        fn()
    calls, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(50):
            fn()
        calls += 50
        now = time.perf_counter()
        if now >= deadline:
            return calls / (now - start)


def floor(request: str, response: str, seconds: float) -> float:
    """Requests per second lxml alone reaches on the same request and response texts."""
    req, rsp = request.encode(), response.encode()

    def once() -> None:
        etree.fromstring(req)
        etree.tostring(etree.fromstring(rsp), xml_declaration=True, encoding="utf-8")

    return rate(once, seconds)


class Bench:
    """The cases, run against one company through one request processor."""

    def __init__(self, rp: Any, seconds: float, transport: str):
        self.rp, self.seconds, self.transport = rp, seconds, transport

    def case(self, name: str, ticket: str, requests: Iterator[str]) -> Figure:
        last = ""

        def once() -> None:
            nonlocal last
            last = self.rp.ProcessRequest(ticket, next(requests))

        per_second = rate(once, self.seconds)
        return Figure(name, self.transport, per_second, floor(next(requests), last, self.seconds))

    def run(self) -> list[Figure]:
        with session(self.rp, APP_NAME) as ticket:
            add = envelope(f"<VendorAddRq><VendorAdd><Name>Bench Vendor {self.transport}</Name>"
                           "<CompanyName>Bench Inc.</CompanyName><VendorAddress><Addr1>1 Main St</Addr1>"
                           "<City>Springfield</City><State>IL</State></VendorAddress></VendorAdd></VendorAddRq>")
            vendor = etree.fromstring(self.rp.ProcessRequest(ticket, add).encode()).findtext(".//ListID")
            query = envelope(f"<VendorQueryRq><ListID>{vendor}</ListID></VendorQueryRq>")
            adds = (envelope(f"<VendorAddRq><VendorAdd><Name>Bench {self.transport} {n}</Name>"
                             "<CompanyName>Bench Co</CompanyName></VendorAdd></VendorAddRq>")
                    for n in itertools.count())
            return [
                self.case("VendorQuery, one vendor", ticket, itertools.repeat(query)),
                self.case("VendorAdd", ticket, adds),
                self.case(f"CustomerQuery, {PAGE}-object page", ticket, self.pages(ticket)),
            ]

    def pages(self, ticket: str) -> Iterator[str]:
        """Continue requests for one iterator after another, each answering a full page of customers."""
        first = f'<CustomerQueryRq iterator="Start"><MaxReturned>{PAGE}</MaxReturned></CustomerQueryRq>'
        while True:
            rs = etree.fromstring(self.rp.ProcessRequest(ticket, envelope(first)))
            iterator = rs.find(".//CustomerQueryRs").get("iteratorID")
            for _ in range(CUSTOMERS // PAGE - 2):
                yield envelope(f'<CustomerQueryRq iterator="Continue" iteratorID="{iterator}">'
                               f"<MaxReturned>{PAGE}</MaxReturned></CustomerQueryRq>")
            self.rp.ProcessRequest(ticket, envelope(
                f'<CustomerQueryRq iterator="Stop" iteratorID="{iterator}"></CustomerQueryRq>'))


def company() -> FakeQuickBooks:
    qb = FakeQuickBooks()
    qb.seed(**COMPANY)
    return qb


@contextmanager
def http_processor() -> Iterator[Any]:
    """A request processor talking to `fakeqb serve` in its own process, on a free local port, seeded like
    `company()` through the control plane (so client and server each have a core, as in real use)."""
    from fakeqb.control.client import RemoteControl
    from fakeqb.http.client import HttpRequestProcessor
    from fakeqb.http.process import serve_process

    with serve_process() as served:
        RemoteControl(served.url, timeout=600, token=served.token).seed(**COMPANY)
        yield HttpRequestProcessor(served.url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakeqb.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per case (default 2)")
    parser.add_argument("--no-http", action="store_true", help="only in process")
    args = parser.parse_args(argv)
    print(f"fakeqb throughput, {args.seconds:g} s per case (ratio = floor / fakeqb):")
    with company() as qb:
        for figure in Bench(qb.request_processor(), args.seconds, "in process").run():
            print(figure, flush=True)
    if not args.no_http:
        with http_processor() as rp:
            for figure in Bench(rp, args.seconds, "HTTP").run():
                print(figure, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
