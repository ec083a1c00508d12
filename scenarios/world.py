"""The two sides of a run, wired together: a QuickBooks company (in this process, or in a `fakeqb serve` process
reached over HTTP), its control plane and clock, a person's own session in it, and the app of the brand under test.

The company is always built here, in process, from the profile (`qb.seed`, any size); over HTTP its snapshot is
restored into the server, so both transports start from the same company file. One server process serves a whole
worker: it is reset for each run.
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import syncer
from fakeqb import FakeQuickBooks
from fakeqb.company.behaviours import BehaviourError
from fakeqb.control.client import TOKEN_VARIABLE, RemoteControl
from fakeqb.http.client import HttpRequestProcessor as PersonHttpProcessor
from scenarios.profile import Scenario, ScenarioError
from scenarios.quickbooks import Desk, QuickBooksPerson
from syncer.remote import HttpRequestProcessor as SyncHttpProcessor

TRANSPORTS = ("inprocess", "http")
DAY_STARTS = time(8, 0)
MAPPINGS = {"ap_account": "Accounts Payable", "ar_account": "Accounts Receivable", "bank_account": "Checking"}
_URL = re.compile(r"\bat (http://\S+)")


class Server:
    """`fakeqb serve --port 0` in its own process; its URL read from what it prints, its control token given to it."""

    _current: Server | None = None

    def __init__(self) -> None:
        self.token = secrets.token_urlsafe(24)
        self.process = subprocess.Popen([sys.executable, "-m", "fakeqb", "serve", "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        env={**os.environ, TOKEN_VARIABLE: self.token})
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = _URL.search(line)
            if found:
                self.url = found[1]
                break
        else:
            raise RuntimeError("fakeqb serve stopped before it printed its URL")
        atexit.register(self.stop)
        multiprocessing.util.Finalize(None, self.stop, exitpriority=10)  # a pool's worker exits without atexit

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @classmethod
    def shared(cls) -> Server:
        """This process's server, started on first use."""
        if cls._current is None or cls._current.process.poll() is not None:
            cls._current = cls()
        return cls._current


def build_company(scenario: Scenario, seed: int) -> FakeQuickBooks:
    """The company as the profile has it, its clock stopped the evening before the first day."""
    company = scenario.company
    try:
        qb = FakeQuickBooks(behaviours=dict(scenario.behaviours))
    except BehaviourError as exc:
        raise ScenarioError(f"{scenario.path}: [behaviours]: {exc}") from None
    qb.clock.set(datetime.combine(company.start - timedelta(days=1), time(18, 0)))
    history: dict[str, int] = dict(company.history)
    if history and company.history_months:
        history["months"] = company.history_months
    qb.seed(company.seed + seed, **company.sizes, **history)
    return qb


@dataclass
class World:
    scenario: Scenario
    transport: str
    qb: FakeQuickBooks | None  # in process only
    control: Any  # qb.control or RemoteControl
    sync_rp: Any
    person: QuickBooksPerson
    app: syncer.App
    now: datetime

    @classmethod
    def open(cls, scenario: Scenario, seed: int, transport: str) -> World:
        if transport not in TRANSPORTS:
            raise ScenarioError(f"unknown transport {transport!r} (inprocess or http)")
        company = build_company(scenario, seed)
        start = company.clock.now().replace(tzinfo=None)
        if transport == "inprocess":
            qb: FakeQuickBooks | None = company
            control: Any = company.control
            sync_rp: Any = company.request_processor()
            person_rp: Any = company.request_processor()
        else:
            server = Server.shared()
            control = RemoteControl(server.url, token=server.token)
            control.reset()
            control.restore(company.control.snapshot())
            for behaviour in company.control.behaviours():
                control.set_behaviour(behaviour["name"], behaviour["value"])
            company.close()
            control.set_clock(start)
            qb, sync_rp, person_rp = None, SyncHttpProcessor(server.url), PersonHttpProcessor(server.url)
        app = syncer.App("sqlite://", brand=scenario.company.brand,
                         two_way_bill_sync=scenario.company.two_way_bill_sync,
                         account_created_on=scenario.company.account_created)
        return cls(scenario, transport, qb, control, sync_rp, QuickBooksPerson(Desk(person_rp)), app, start)

    def close(self) -> None:
        self.person.desk.close()
        self.app.close()
        if self.qb is not None:
            self.qb.close()

    # -- time -----------------------------------------------------------------------------------------------------
    def at(self, moment: datetime) -> None:
        """Company time moves on to `moment` (never back)."""
        if moment > self.now:
            self.now = moment
            self.control.set_clock(moment)

    # -- what the administrator does ------------------------------------------------------------------------------
    def set_closing_date(self, day: str) -> None:
        self.control.set_closing_date(day)

    def connect(self) -> None:
        syncer.connect(self.app, self.sync_rp, on=self.scenario.company.connect)
