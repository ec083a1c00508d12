"""One run of a scenario for one seed: days of work on both sides, the syncs with their faults, the invariants after
each clean sync and at the end; and many seeds over several processes.

A run draws its history as it goes (`scenarios.activity`), or replays a recorded one. Company time stands still and
moves only as the history says, so the same scenario and seed give the same history and outcome, in process and over
HTTP. A sync is clean when it ended without QuickBooks being unavailable and no fault rule fired in it. At the end
the fault rules are cleared, QuickBooks is started if it was closed, and two more syncs run before the last check.
"""

from __future__ import annotations

import multiprocessing
import time as clock
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import syncer
from scenarios import invariants
from scenarios.activity import ACTION_GAP, Action, Generator, pool
from scenarios.invariants import Baseline, Violation
from scenarios.model import Model
from scenarios.perform import perform
from scenarios.profile import Scenario
from scenarios.qbview import read
from scenarios.world import DAY_STARTS, MAPPINGS, World

FINAL_SYNCS = 2


@dataclass
class Wiring:
    """What a run wires between the two sides: the syncer's own by default; a test puts doubles here (a request
    processor wrapper, a different sync function) to show the invariants catch a broken sync."""

    processor: Callable[[Any], Any] | None = None  # wraps the request processor the sync talks to
    sync: Callable[..., syncer.SyncReport] = syncer.sync


@dataclass
class SyncRecord:
    day: int
    at: str
    requests: int
    errors: int
    notices: int
    faults_fired: int
    unavailable: str | None
    clean: bool
    objects: dict[str, int] = field(default_factory=dict)  # side -> objects, when checked

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RunResult:
    scenario: str
    seed: int
    transport: str
    days: int
    violations: list[Violation] = field(default_factory=list)
    syncs: list[SyncRecord] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (action index, why)
    duration: float = 0.0
    crash: str | None = None

    @property
    def passed(self) -> bool:
        return not self.violations and self.crash is None

    @property
    def requests(self) -> int:
        return sum(s.requests for s in self.syncs)

    @property
    def faults_fired(self) -> int:
        return sum(s.faults_fired for s in self.syncs)


class Simulation:
    """The state of one run."""

    def __init__(self, scenario: Scenario, seed: int, transport: str, stop_on: str | None = None,
                 strict: bool = False, wiring: Wiring | None = None):
        self.scenario = scenario
        self.strict = strict
        self.seed = seed
        self.wiring = wiring or Wiring()
        self.world = World.open(scenario, seed, transport)
        if self.wiring.processor is not None:
            self.world.sync_rp = self.wiring.processor(self.world.sync_rp)
        self.model = Model()
        self.result = RunResult(scenario.name, seed, transport, scenario.days)
        self.stop_on = stop_on
        self.seen: set[tuple[str, str]] = set()
        self.reports: list[syncer.SyncReport] = []  # since the last check
        self.configured = False
        first = read(self.world.person.desk)
        self.baseline = Baseline.of(first)
        self.model.entered_before(first.txns)
        self.taken = {o.full_name for t in ("Vendor", "Customer", "Employee", "OtherName")
                      for o in first.lists[t].values()}
        self.world.connect()

    @property
    def stopped(self) -> bool:
        return self.stop_on is not None and any(v.invariant == self.stop_on for v in self.result.violations)

    # -- the history ----------------------------------------------------------------------------------------------
    def generate(self) -> None:
        scenario, world = self.scenario, self.world
        generator = Generator(scenario, self.seed, self.model, self.taken)
        for day in range(scenario.days):
            today = scenario.company.start + timedelta(days=day)
            for slot, when in enumerate(scenario.syncs):
                start = world.now + ACTION_GAP
                if slot == 0:
                    start = max(start, datetime.combine(today, DAY_STARTS))
                if not self.configured and self._accounts_ready():  # the sync preferences, once there are accounts
                    self.step(Action(start.isoformat(timespec="minutes"), day, "app", "configure", dict(MAPPINGS)))
                    start += ACTION_GAP
                work = generator.batch(day, today, start, pool(world.app, self.model) if self.configured else None)
                for action in work:
                    self.step(action)
                    if self.stopped:
                        return
                last = work[-1].moment if work else world.now
                self.step(generator.sync(day, max(datetime.combine(today, when), last + ACTION_GAP)))
                if self.stopped:
                    return

    def replay(self, history: list[Action]) -> None:
        for action in history:
            self.step(action)
            if self.stopped:
                return

    def _accounts_ready(self) -> bool:
        names = {a.full_name for a in self.world.app.accounts.list()}
        return all(name in names for name in MAPPINGS.values())

    def step(self, action: Action) -> None:
        index = len(self.result.actions)
        self.result.actions.append(action)
        if action.actor == "sync":
            self.sync(action)
            return
        if action.op == "configure":
            self.world.at(action.moment)
            try:
                self.world.app.configure(**action.args)
                self.configured = True
            except syncer.AppError as exc:
                self.result.skipped.append((index, exc.message))
            return
        why = perform(self.world, self.model, action)
        if why is not None:
            self.result.skipped.append((index, why))

    # -- syncs ----------------------------------------------------------------------------------------------------
    def sync(self, action: Action, final: bool = False) -> syncer.SyncReport | None:
        world = self.world
        world.at(action.moment)
        installed = []
        for rule in action.args.get("faults", []):
            options = {k: v for k, v in rule.items() if k != "kind"}
            added = world.control.add_fault(rule["kind"], **options)
            installed.append((added.id, added.count))
        unavailable = None
        try:
            report: syncer.SyncReport | None = self.wiring.sync(world.app, world.sync_rp, sleep=lambda seconds: None)
        except syncer.QuickBooksUnavailable as exc:
            report = exc.report if isinstance(exc.report, syncer.SyncReport) else None
            unavailable = exc.message
        fired = 0
        if installed:
            left = {rule.id: rule for rule in world.control.faults()}
            for rule_id, count in installed:
                fired += left[rule_id].hits if rule_id in left else (count or 1)
            world.control.clear_faults()
            world.control.start_quickbooks()
        clean = unavailable is None and fired == 0
        record = SyncRecord(action.day, action.at, report.requests if report else 0,
                            len(report.errors) if report else 0, len(report.notices) if report else 0, fired,
                            unavailable, clean)
        self.result.syncs.append(record)
        if report is not None:
            self.reports.append(report)
        if clean and (self.scenario.every_sync or final):
            self.check(record, report, action.day)
        return report

    def check(self, record: SyncRecord, clean: syncer.SyncReport | None, day: int) -> list[Violation]:
        qv = read(self.world.person.desk)
        found, record.objects = invariants.check(self.scenario, self.model, qv, self.world.app, self.reports, clean,
                                                 self.baseline, self.strict)
        self.reports = []
        self.model.writes.clear()
        new = []
        for violation in found:
            if violation.key() in self.seen:
                continue
            self.seen.add(violation.key())
            violation.day, violation.sync = day, len(self.result.syncs)
            new.append(violation)
        self.result.violations.extend(new)
        return new

    def finish(self) -> None:
        """Faults cleared, QuickBooks running, two more syncs, the last check."""
        self.world.control.clear_faults()
        self.world.control.start_quickbooks()
        for n in range(FINAL_SYNCS):
            moment = (self.world.now + ACTION_GAP).isoformat(timespec="minutes")
            action = Action(moment, self.scenario.days, "sync", "sync", {})
            report = self.sync(action, final=n == FINAL_SYNCS - 1)
            if n == FINAL_SYNCS - 1 and not self.result.syncs[-1].clean:
                self.result.violations.append(Violation(
                    "lost", "the final sync", None, report.aborted if report else None,
                    "a sync without faults did not complete", self.scenario.days, len(self.result.syncs)))

    def close(self) -> None:
        self.world.close()


def run(scenario: Scenario, seed: int, transport: str = "inprocess", history: list[Action] | None = None,
        stop_on: str | None = None, strict: bool = False, wiring: Wiring | None = None) -> RunResult:
    """One run: draw the history from the seed (or replay `history`), then finish and check; `stop_on` ends it at the
    first violation of that invariant; `strict` holds the app to the readings listed in `scenarios.invariants`."""
    started = clock.perf_counter()
    simulation = Simulation(scenario, seed, transport, stop_on, strict, wiring)
    try:
        if history is None:
            simulation.generate()
        else:
            simulation.replay(history)
        if not simulation.stopped:
            simulation.finish()
    except Exception as exc:  # the syncer or the app broke: the run is a failure, with what it had done
        simulation.result.crash = "".join(traceback.format_exception_only(exc)).strip()
        simulation.result.violations.append(Violation(
            "lost", "the run", None, simulation.result.crash, traceback.format_exc(limit=6),
            simulation.result.actions[-1].day if simulation.result.actions else 0, len(simulation.result.syncs)))
    finally:
        simulation.close()
    simulation.result.duration = clock.perf_counter() - started
    return simulation.result


# -- many seeds -----------------------------------------------------------------------------------------------------

def _one(job: tuple[Scenario, int, str, bool]) -> RunResult:
    scenario, seed, transport, strict = job
    return run(scenario, seed, transport, strict=strict)


def run_many(scenario: Scenario, seeds: list[int], transport: str, jobs: int,
             done: Callable[[RunResult], None] | None = None, strict: bool = False) -> list[RunResult]:
    """Each seed on its own, over `jobs` processes; `done` is told of each result as it comes."""
    results = []
    for result in _results([(scenario, s, transport, strict) for s in seeds], jobs):
        results.append(result)
        if done is not None:
            done(result)
    return sorted(results, key=lambda r: r.seed)


def _results(work: list[tuple[Scenario, int, str, bool]], jobs: int) -> Iterator[RunResult]:
    if jobs <= 1 or len(work) <= 1:
        yield from map(_one, work)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as executor:
        futures = [executor.submit(_one, item) for item in work]
        for future in as_completed(futures):
            yield future.result()
