"""A scenario file (`scenarios/NAME.toml`), read with `tomllib` and checked: the company, the activity of each day on
both sides, the fault plan, QuickBooks' behaviour values and the syncs.

    name = "ordinary-month"                 # optional; the file's name otherwise
    description = "One line for `python -m scenarios list`"

    [company]
    seed = 100                              # added to the run's seed: Faker and every random choice
    start = 2024-03-01                      # the first simulated day
    connect = 2024-03-01                    # the connect date (the AR sync start date)
    account_created = 2023-05-10            # the app account's creation date (June 5, 2020 matters)
    brand = "Cashflow360"                   # or "Key CashFlow"
    two_way_bill_sync = false
    history_months = 0                      # months of transactions already in QuickBooks
    [company.sizes]                         # fakeqb.seed's sizes
    vendors = 40
    [company.history]                       # transactions already in QuickBooks (bills, invoices: fakeqb seeds them)
    bills = 0
    invoices = 0

    [run]
    days = 30
    syncs = ["12:00", "17:30"]              # when the app syncs each day (company time)

    [ci]                                    # what `make test` runs: fewer days, a smaller company, no history
    days = 3
    scale = 0.1
    activity = 0.2                          # the day's work times 0.2 (default 1)
    syncs = ["17:00"]                       # the syncs of a day (default: [run]'s)

    [activity.quickbooks]                   # how many times a day (on average) a person in QuickBooks does it
    vendor_add = 0.5
    [activity.app]                          # the same for a person in the app
    bill_add = 3

    [[faults]]                              # fakeqb fault rules, each set before a sync with `chance`
    kind = "lose_response"
    request_type = "BillAddRq"
    chance = 0.2

    [behaviours]                            # QuickBooks behaviour switches (fakeqb's `behaviours=`)

    [checks]
    every_sync = true                       # check after every clean sync (false: at the end only)

A problem is a `ScenarioError` whose message names the file and, where it can, the line.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
BRANDS = ("Cashflow360", "Key CashFlow")
#: What a person in QuickBooks does, and what a person in the app does (the keys of the activity tables).
QUICKBOOKS_OPS = (
    "vendor_add", "vendor_edit", "vendor_inactivate", "customer_add", "customer_edit", "customer_inactivate",
    "job_add", "job_edit", "job_inactivate", "bill_add", "bill_edit", "bill_pay", "bill_delete", "payment_delete",
    "vendor_credit_add", "invoice_add", "invoice_edit", "invoice_email", "invoice_void", "invoice_delete",
    "payment_receive", "credit_memo_apply", "close_books",
)
APP_OPS = (
    "vendor_add", "vendor_edit", "vendor_inactivate", "customer_add", "customer_edit", "customer_inactivate",
    "department_add", "item_add", "bill_add", "bill_edit", "bill_approve", "bill_pay", "bill_pay_partial",
    "bill_pay_batch", "vendor_credit_add", "credit_apply", "withdraw", "invoice_add", "invoice_edit",
    "invoice_email", "payment_receive",
)
SIZES = ("vendors", "customers", "max_jobs", "items", "classes", "employees", "other_names")
HISTORY = ("bills", "invoices")
FAULT_FIELDS = ("kind", "method", "request_type", "count", "probability", "hresult", "status_code", "message",
                "seconds", "chance")
ACTIVITY_OPTIONS = ("backdate_days",)


class ScenarioError(ValueError):
    """A scenario that cannot be run: an unknown name, a malformed file; the message says where."""


@dataclass(frozen=True)
class Company:
    seed: int = 0
    start: date = date(2024, 3, 1)
    connect: date = date(2024, 3, 1)
    account_created: date = date(2023, 1, 16)
    brand: str = "Cashflow360"
    two_way_bill_sync: bool = False
    history_months: int = 0
    sizes: dict[str, int] = field(default_factory=dict)
    history: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: Path
    company: Company
    days: int
    syncs: tuple[time, ...]
    quickbooks: dict[str, float]
    app: dict[str, float]
    options: dict[str, float]
    faults: tuple[dict[str, Any], ...]
    behaviours: dict[str, Any]
    every_sync: bool
    ci_days: int
    ci_scale: float
    ci_history: bool
    ci_activity: float = 1.0
    ci_syncs: tuple[time, ...] = ()

    def for_ci(self) -> Scenario:
        """The scenario as `make test` runs it: `[ci]` days, the company (and, with `activity`, the day's work)
        scaled down, no history."""
        ci = self.scaled(self.ci_scale, self.ci_days, history=self.ci_history)
        if self.ci_syncs:
            ci = replace(ci, syncs=self.ci_syncs)
        if self.ci_activity != 1.0:
            ci = replace(ci, quickbooks={k: v * self.ci_activity for k, v in ci.quickbooks.items()},
                         app={k: v * self.ci_activity for k, v in ci.app.items()})
        return ci

    def scaled(self, factor: float, days: int | None = None, history: bool = True) -> Scenario:
        """The company's sizes (and history) times `factor` (at least one of each kind that had some)."""
        def times(n: int) -> int:
            return 0 if n == 0 else max(1, math.ceil(n * factor))
        sizes = {k: (v if k == "max_jobs" else times(v)) for k, v in self.company.sizes.items()}
        past = {k: times(v) for k, v in self.company.history.items()} if history else {}
        company = replace(self.company, sizes=sizes, history=past,
                          history_months=self.company.history_months if history else 0)
        return replace(self, company=company, days=days if days is not None else self.days)


# -- reading --------------------------------------------------------------------------------------------------------

def scenario_files(folder: Path = HERE) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def find(name: str, folder: Path = HERE) -> Scenario:
    """The scenario called `name` (a file name without .toml, or a path to a file)."""
    path = Path(name)
    if path.suffix == ".toml" and path.exists():
        return load(path)
    candidate = folder / f"{name}.toml"
    if not candidate.exists():
        known = ", ".join(p.stem for p in scenario_files(folder)) or "none"
        raise ScenarioError(f'unknown scenario "{name}" (known: {known})')
    return load(candidate)


def load(path: Path) -> Scenario:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    return _Checker(path, text).scenario(data)


class _Checker:
    """Turns the TOML tables into a Scenario; each complaint names the file and the line of the key."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def fail(self, where: tuple[str, ...], problem: str, occurrence: int = 0) -> ScenarioError:
        line = self.line_of(where, occurrence)
        at = f" (line {line})" if line else ""
        return ScenarioError(f"{self.path}{at}: {'.'.join(where)}: {problem}")

    def line_of(self, where: tuple[str, ...], occurrence: int = 0) -> int | None:
        """The line of a key: after its table's header (the n-th, for an array of tables) when it has one."""
        *tables, key = where
        start = 0
        if tables:
            header = re.compile(r"^\s*\[\[?\s*" + r"\s*\.\s*".join(map(re.escape, tables)) + r"\s*\]\]?")
            starts = [i for i, line in enumerate(self.lines) if header.match(line)]
            start = starts[min(occurrence, len(starts) - 1)] if starts else 0
        pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start, len(self.lines)):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1 if tables and start else None

    def table(self, data: dict[str, Any], where: tuple[str, ...], known: tuple[str, ...]) -> dict[str, Any]:
        found = data.get(where[-1], {}) if where else data
        if not isinstance(found, dict):
            raise self.fail(where, "must be a table")
        for key in found:
            if key not in known:
                raise self.fail((*where, key), f"unknown key (known: {', '.join(known)})")
        return found

    def value(self, table: dict[str, Any], where: tuple[str, ...], kind: type | tuple[type, ...], default: Any) -> Any:
        value = table.get(where[-1], default)
        if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else ()):
            raise self.fail(where, f"must be {_kind_name(kind)}, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(where, f"must be {_kind_name(kind)}, not {value!r}")
        return value

    def count(self, table: dict[str, Any], where: tuple[str, ...], default: int) -> int:
        value = self.value(table, where, int, default)
        if value < 0:
            raise self.fail(where, f"must not be negative, not {value}")
        return int(value)

    def scenario(self, data: dict[str, Any]) -> Scenario:
        top = self.table(data, (), ("name", "description", "company", "run", "ci", "activity", "faults",
                                    "behaviours", "checks"))
        name = self.value(top, ("name",), str, self.path.stem)
        description = self.value(top, ("description",), str, "")
        if not description.strip():
            raise self.fail(("description",), "a scenario needs a one-line description")
        company = self.company(top)
        run = self.table(top, ("run",), ("days", "syncs"))
        days = self.count(run, ("run", "days"), 1)
        syncs = self.times(run, ("run", "syncs"), ["17:00"])
        ci = self.table(top, ("ci",), ("days", "scale", "history", "activity", "syncs"))
        ci_scale = float(self.value(ci, ("ci", "scale"), (int, float), 1.0))
        if not 0 < ci_scale <= 1:
            raise self.fail(("ci", "scale"), f"must be more than 0 and at most 1, not {ci_scale}")
        ci_activity = float(self.value(ci, ("ci", "activity"), (int, float), 1.0))
        if not 0 < ci_activity <= 1:
            raise self.fail(("ci", "activity"), f"must be more than 0 and at most 1, not {ci_activity}")
        activity = self.table(top, ("activity",), ("quickbooks", "app", "options"))
        quickbooks = self.rates(activity, ("activity", "quickbooks"), QUICKBOOKS_OPS)
        app = self.rates(activity, ("activity", "app"), APP_OPS)
        options = self.rates(activity, ("activity", "options"), ACTIVITY_OPTIONS)
        faults = self.faults(top.get("faults", []))
        behaviours = self.value(top, ("behaviours",), dict, {})
        checks = self.table(top, ("checks",), ("every_sync",))
        return Scenario(
            name=name, description=description.strip(), path=self.path, company=company, days=days, syncs=syncs,
            quickbooks=quickbooks, app=app, options=options, faults=faults, behaviours=behaviours,
            every_sync=self.value(checks, ("checks", "every_sync"), bool, True),
            ci_days=self.count(ci, ("ci", "days"), min(days, 3)), ci_scale=ci_scale,
            ci_history=self.value(ci, ("ci", "history"), bool, False), ci_activity=ci_activity,
            ci_syncs=self.times(ci, ("ci", "syncs"), []))

    def company(self, top: dict[str, Any]) -> Company:
        where = ("company",)
        table = self.table(top, where, ("seed", "start", "connect", "account_created", "brand", "two_way_bill_sync",
                                        "history_months", "sizes", "history"))
        start = self.value(table, (*where, "start"), date, date(2024, 3, 1))
        brand = self.value(table, (*where, "brand"), str, BRANDS[0])
        if brand not in BRANDS:
            raise self.fail((*where, "brand"), f'must be "{BRANDS[0]}" or "{BRANDS[1]}", not "{brand}"')
        sizes_table = self.table(table, (*where, "sizes"), SIZES)
        sizes = {k: self.count(sizes_table, (*where, "sizes", k), 0) for k in sizes_table}
        history_table = self.table(table, (*where, "history"), HISTORY)
        history = {k: self.count(history_table, (*where, "history", k), 0) for k in history_table}
        return Company(
            seed=self.value(table, (*where, "seed"), int, 0), start=start,
            connect=self.value(table, (*where, "connect"), date, start),
            account_created=self.value(table, (*where, "account_created"), date, date(2023, 1, 16)),
            brand=brand, two_way_bill_sync=self.value(table, (*where, "two_way_bill_sync"), bool, False),
            history_months=self.count(table, (*where, "history_months"), 0), sizes=sizes,
            history={k: v for k, v in history.items() if v})

    def rates(self, activity: dict[str, Any], where: tuple[str, ...], known: tuple[str, ...]) -> dict[str, float]:
        table = self.table(activity, where, known)
        rates = {}
        for key in table:
            rate = float(self.value(table, (*where, key), (int, float), 0))
            if not 0 <= rate <= 10_000:
                raise self.fail((*where, key), f"must be from 0 to 10000, not {rate}")
            rates[key] = rate
        return rates

    def faults(self, items: Any) -> tuple[dict[str, Any], ...]:
        if not isinstance(items, list):
            raise self.fail(("faults",), "write each fault rule as a [[faults]] table")
        rules = []
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(("faults",), "write each fault rule as a [[faults]] table")
            for key in item:
                if key not in FAULT_FIELDS:
                    raise self.fail(("faults", key), f"unknown key (known: {', '.join(FAULT_FIELDS)})", n)
            chance = item.get("chance", 1.0)
            if isinstance(chance, bool) or not isinstance(chance, int | float) or not 0 < chance <= 1:
                raise self.fail(("faults", "chance"), f"must be more than 0 and at most 1, not {chance!r}", n)
            rule = dict(item)
            rule["chance"] = float(chance)
            if isinstance(rule.get("hresult"), str):
                try:
                    rule["hresult"] = int(rule["hresult"], 0)
                except ValueError:
                    raise self.fail(("faults", "hresult"), f"not a number: {rule['hresult']!r}", n) from None
            self.check_rule(rule, n)
            rules.append(rule)
        return tuple(rules)

    def check_rule(self, rule: dict[str, Any], n: int) -> None:
        """The rule as fakeqb checks it (its own message on a bad rule)."""
        from fakeqb.com.faults import FaultError, make_rule

        try:
            make_rule({k: v for k, v in rule.items() if k != "chance"})
        except FaultError as exc:
            raise self.fail(("faults", "kind"), str(exc), n) from None

    def times(self, table: dict[str, Any], where: tuple[str, ...], default: list[str]) -> tuple[time, ...]:
        found = tuple(self.moment(s, where) for s in self.value(table, where, list, default))
        if (default and not found) or list(found) != sorted(set(found)):
            raise self.fail(where, "give one or more times of day in order, e.g. [\"12:00\", \"17:30\"]")
        return found

    def moment(self, value: Any, where: tuple[str, ...]) -> time:
        if isinstance(value, time):
            return value
        try:
            return time.fromisoformat(str(value))
        except ValueError:
            raise self.fail(where, f"not a time of day (HH:MM): {value!r}") from None


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "a whole number", float: "a number", str: "text", bool: "true or false", date: "a date (YYYY-MM-DD)",
             list: "a list", dict: "a table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
