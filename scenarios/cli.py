"""`python -m scenarios`: list the scenarios, run one for some seeds, replay a recorded failure, soak them all.

    python -m scenarios list
    python -m scenarios run NAME [--seeds N | --seed S] [--days D] [--jobs J] [--transport inprocess|http]
                                 [--ci] [--scale F] [--no-history] [--strict] [--shrink] [--report PATH.json]
                                 [--html PATH.html]
    python -m scenarios replay FILE [--transport inprocess|http]
    python -m scenarios soak [NAME ...] [--seeds 1000] [--jobs J] [--report PATH.json]

Exit status: 0 when every invariant held for every seed, 1 when one did not, 2 for bad input (an unknown scenario,
a malformed file: the message names the file and the line).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scenarios import profile
from scenarios.profile import Scenario, ScenarioError
from scenarios.report import options, report_json, rerun_command, write_json
from scenarios.runner import RunResult, run, run_many
from scenarios.world import TRANSPORTS

REPLAYS = profile.HERE / "replays"


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {number}")
    return number


def fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 1000:
        raise argparse.ArgumentTypeError(f"must be more than 0: {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scenarios", description="Simulate a company working in "
                                     "QuickBooks and in the app, with faults, and check the sync's invariants.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("list", help="each scenario and what it simulates")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--jobs", type=positive, default=1, metavar="J", help="processes (default 1)")
        sub.add_argument("--transport", choices=TRANSPORTS, default="inprocess",
                         help="QuickBooks in this process, or a `fakeqb serve` process over HTTP")
        sub.add_argument("--report", type=Path, metavar="PATH.json", help="write the JSON report")

    run_parser = commands.add_parser("run", help="run a scenario for one or more seeds")
    run_parser.add_argument("name", help="a scenario's name (see list) or a .toml file")
    seeds = run_parser.add_mutually_exclusive_group()
    seeds.add_argument("--seeds", type=positive, metavar="N", help="seeds 1 to N")
    seeds.add_argument("--seed", type=int, metavar="S", help="this one seed")
    run_parser.add_argument("--days", type=positive, metavar="D", help="simulate D days (default: the scenario's)")
    run_parser.add_argument("--ci", action="store_true", help="as `make test` runs it: the [ci] table's days and scale")
    run_parser.add_argument("--scale", type=fraction, metavar="F", help="the company's sizes times F")
    run_parser.add_argument("--no-history", action="store_true",
                            help="leave out [company.history] (the transactions already in QuickBooks)")
    run_parser.add_argument("--strict", action="store_true", help="the strict readings of the invariants")
    run_parser.add_argument("--shrink", action="store_true",
                            help="cut each failure down to the fewest actions and write a replay file")
    run_parser.add_argument("--html", type=Path, metavar="PATH.html", help="write the HTML report")
    common(run_parser)

    replay = commands.add_parser("replay", help="replay a recorded history (a replay file)")
    replay.add_argument("file", type=Path)
    replay.add_argument("--transport", choices=TRANSPORTS, default="inprocess")

    soak = commands.add_parser("soak", help="many seeds across every scenario, as `make test` scales them")
    soak.add_argument("names", nargs="*", metavar="NAME", help="only these scenarios (default: all)")
    soak.add_argument("--seeds", type=positive, default=1000, metavar="N", help="seeds in all (default 1000)")
    common(soak)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int({"list": cmd_list, "run": cmd_run, "replay": cmd_replay, "soak": cmd_soak}[args.command](args))
    except ScenarioError as exc:
        print(f"scenarios: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scenarios: interrupted", file=sys.stderr)
        return 130


def cmd_list(args: argparse.Namespace) -> int:
    found = [profile.load(path) for path in profile.scenario_files()]
    width = max((len(s.name) for s in found), default=0)
    for scenario in found:
        print(f"{scenario.name:<{width}}  {scenario.description}")
    return 0


def prepared(args: argparse.Namespace) -> Scenario:
    scenario = profile.find(args.name)
    if args.ci:
        scenario = scenario.for_ci()
    if args.scale is not None:
        scenario = scenario.scaled(args.scale)
    if args.days is not None:
        scenario = scenario.scaled(1.0, args.days)
    if args.no_history:
        scenario = scenario.scaled(1.0, history=False)
    return scenario


class Progress:
    """A progress bar on a terminal, a line per finished seed otherwise."""

    def __init__(self, total: int, label: str):
        self.bar: Any = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as Bar

            self.bar = Bar(*Bar.get_default_columns(), "{task.fields[failed]} failed", console=Console(stderr=True))
            self.task = self.bar.add_task(label, total=total, failed=0)
            self.bar.start()
        self.label = label
        self.count, self.total, self.failed = 0, total, 0

    def done(self, result: RunResult) -> None:
        self.count += 1
        self.failed += not result.passed
        outcome = "passed" if result.passed else f"FAILED ({len(result.violations)} violations)"
        if self.bar is not None:
            self.bar.update(self.task, advance=1, failed=self.failed)
        else:
            print(f"[{self.count}/{self.total}] {self.label} seed {result.seed}: {outcome} ({len(result.syncs)} syncs, "
                  f"{result.requests} requests, {result.faults_fired} faults, {result.duration:.1f} s)", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def cmd_run(args: argparse.Namespace) -> int:
    scenario = prepared(args)
    seeds = [args.seed] if args.seed is not None else list(range(1, (args.seeds or 1) + 1))
    extra = options(args.ci, args.scale, args.days, args.transport, args.strict) + \
        (["--no-history"] if args.no_history else [])
    started = time.perf_counter()
    progress = Progress(len(seeds), scenario.name)
    try:
        results = run_many(scenario, seeds, args.transport, args.jobs, progress.done, strict=args.strict)
    finally:
        progress.close()
    wall = time.perf_counter() - started
    print_failures(scenario, results, extra)
    passed = sum(r.passed for r in results)
    print(f"{scenario.name}: {passed} of {len(results)} seeds passed in {wall:.1f} s "
          f"({sum(len(r.violations) for r in results)} violations)")
    data = report_json(scenario, results, extra, wall)
    if args.report:
        write_json(args.report, data)
    if args.html:
        from scenarios.html import write_html

        write_html(args.html, data, {r.seed: rerun_command(scenario, r.seed, extra) for r in results})
    if args.shrink:
        for result in results:
            if not result.passed:
                shrink_one(scenario, result, extra, args.strict)
    return 0 if all(r.passed for r in results) else 1


def print_failures(scenario: Scenario, results: list[RunResult], extra: list[str]) -> None:
    for result in results:
        if result.passed:
            continue
        first = min(v.day for v in result.violations)
        print(f"\n{scenario.name} seed {result.seed} failed on day {first}:")
        for violation in result.violations[:20]:
            print(f"  {violation}")
        if len(result.violations) > 20:
            print(f"  ... and {len(result.violations) - 20} more")
        print(f"  replay: {rerun_command(scenario, result.seed, extra)}")


def shrink_one(scenario: Scenario, result: RunResult, extra: list[str], strict: bool) -> Path:
    from scenarios.shrink import shrink, write_replay

    invariant = result.violations[0].invariant
    print(f"\nshrinking seed {result.seed} ({len(result.actions)} actions, invariant {invariant})...", flush=True)
    kept = shrink(scenario, result, strict, lambda n: print(f"  {n} actions", flush=True))
    final = run(scenario, result.seed, result.transport, history=kept, strict=strict)
    path = REPLAYS / f"{scenario.name}-seed{result.seed}-{invariant}.json"
    source = final if final.violations else result
    write_replay(path, scenario, source, kept, extra, note=str(source.violations[0]))
    print(f"  {len(kept)} actions still break it:")
    for action in kept:
        print(f"    {action}")
    print(f"  replay: python -m scenarios replay {os.path.relpath(path)}")
    return path


def cmd_replay(args: argparse.Namespace) -> int:
    from scenarios.shrink import read_replay

    data = read_replay(args.file)
    extra = list(data.get("options", []))
    parsed = build_parser().parse_args(["run", str(data["scenario"]), *extra])
    scenario = prepared(parsed)
    result = run(scenario, int(data["seed"]), args.transport, history=data["actions"], strict=parsed.strict)
    print(f"replayed {len(data['actions'])} actions of {scenario.name} seed {data['seed']}: "
          + ("every invariant held" if result.passed else f"{len(result.violations)} violations"))
    if data.get("diagnosis"):
        print(f"  recorded diagnosis: {data['diagnosis']}")
    for violation in result.violations:
        print(f"  {violation}")
    for index, why in result.skipped:
        print(f"  skipped {result.actions[index]}: {why}")
    return 0 if result.passed else 1


def cmd_soak(args: argparse.Namespace) -> int:
    """`args.seeds` runs shared out over every scenario, each as `make test` scales it."""
    scenarios = [profile.find(name).for_ci() for name in args.names] if args.names else \
        [profile.load(path).for_ci() for path in profile.scenario_files()]
    per = {s.name: [] for s in scenarios}  # type: dict[str, list[int]]
    for n in range(args.seeds):
        per[scenarios[n % len(scenarios)].name].append(1000 + n // len(scenarios))
    started = time.perf_counter()
    progress = Progress(args.seeds, "soak")
    reports = []
    failed = 0
    try:
        for scenario in scenarios:
            results = run_many(scenario, per[scenario.name], args.transport, args.jobs, progress.done)
            failed += sum(not r.passed for r in results)
            reports.append(report_json(scenario, results, ["--ci"], 0.0))
            for result in results:
                if not result.passed:
                    first = result.violations[0]
                    print(f"{scenario.name} seed {result.seed}: {first}\n  replay: "
                          f"{rerun_command(scenario, result.seed, ['--ci'])}", flush=True)
    finally:
        progress.close()
    wall = time.perf_counter() - started
    violations = sum(len(s["violations"]) for r in reports for s in r["seeds"])
    print(f"soak: {args.seeds} seeds over {len(scenarios)} scenarios in {wall:.0f} s: {failed} failed, "
          f"{violations} violations")
    if args.report:
        write_json(args.report, {"seeds": args.seeds, "wall_seconds": round(wall, 1), "failed": failed,
                                 "violations": violations, "scenarios": reports})
    return 0 if failed == 0 else 1

