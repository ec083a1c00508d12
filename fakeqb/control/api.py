"""The control plane: what a test, a scenario or a person does to a running QuickBooks from outside it.

    qb = FakeQuickBooks()
    qb.control.seed(7, vendors=10)
    token = qb.control.snapshot()                       # bytes; restore() puts the company back as it was
    qb.control.set_clock("2024-03-01T09:30")
    qb.control.add_fault("status", request_type="VendorAddRq", status_code=3180)
    qb.control.log(failed=True)
    qb.control.restore(token)

The same methods, with the same names and results, drive a server over HTTP through
`fakeqb.control_client.RemoteControl(url)` (`fakeqb.control_http` is the server side).

What each operation touches:
    reset      empties the company file (lists, settings, the integrated applications and the auth mode with them) back
               to a new company's (QuickBooks' default lists only, `fakeqb.company.defaults`), ends every session,
               clears the request log and the fault rules, and starts QuickBooks if it was closed. The clock is left
               as it is (it is not part of the company file).
    restore    replaces the company file's contents with a snapshot's and ends every session (QuickBooks reopens the
               file); the request log, fault rules and clock are left as they are. A snapshot holds the company file
               only. If the snapshot cannot be restored, the company is left exactly as it was.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fakeqb.com import auth
from fakeqb.com.auth import AppAuthorization, AuthError
from fakeqb.com.faults import FaultError, FaultRule
from fakeqb.com.host import Host
from fakeqb.com.requestlog import LogEntry
from fakeqb.company import snapshot
from fakeqb.company.behaviours import BehaviourError
from fakeqb.company.store import metadata
from fakeqb.seed import HISTORY_SIZES, LIST_SIZES, SeedError, SeedSummary, seed_host

SEED_SIZES = (*LIST_SIZES, *HISTORY_SIZES)
MAX_SEED_SIZE = 5000  # objects of one list
#: Bills or invoices of a history: with their payments, credits and the rest about 3.1 transactions per bill or
#: invoice, so 100,000 of each is about 310,000 transactions: a minute of CPU and 2.3 GB of memory (README).
MAX_HISTORY_SIZE = 100_000
MAX_MONTHS = 120
#: Each size's range.
SIZE_RANGES = {**{name: (0, MAX_SEED_SIZE) for name in LIST_SIZES},
               "bills": (0, MAX_HISTORY_SIZE), "invoices": (0, MAX_HISTORY_SIZE), "months": (1, MAX_MONTHS)}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class ControlError(ValueError):
    """Bad input for the control plane, or an operation that cannot be done now; the message says why."""

    status = 400


class NotFoundError(ControlError):
    status = 404


class ConflictError(ControlError):
    status = 409


@dataclass(frozen=True)
class ClockState:
    """The company clock: the time now, and whether it stands still (set) or follows the wall clock."""

    now: datetime
    stopped: bool
    timezone: str

    def to_json(self) -> dict[str, Any]:
        return {"now": self.now.isoformat(), "stopped": self.stopped, "timezone": self.timezone}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClockState:
        return cls(datetime.fromisoformat(data["now"]), bool(data["stopped"]), str(data["timezone"]))

    def __str__(self) -> str:
        return f"{self.now.isoformat()} ({'stopped' if self.stopped else 'running'}, {self.timezone})"


def parse_time(value: datetime | date | str) -> datetime:
    """A moment from a datetime or ISO 8601 text ("2024-03-01T09:30", "2024-03-01"); naive means company time."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ControlError(f"not a time: {value!r} (use ISO 8601, e.g. 2024-03-01T09:30:00)")


def parse_duration(value: timedelta | float | int | str) -> timedelta:
    """A duration from a timedelta, seconds, or text such as "90s", "15m", "1d12h", "2w"."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return timedelta(seconds=float(text))
        except ValueError:
            pass
        parts = _DURATION.findall(text)
        if parts and _DURATION.sub("", text).strip() == "":
            delta = timedelta()
            for number, unit in parts:
                delta += timedelta(**{_UNITS[unit.lower()]: float(number)})
            return delta
    raise ControlError(f"not a duration: {value!r} (e.g. 90s, 15m, 3h, 1d12h, or seconds)")


def check_sizes(sizes: dict[str, Any]) -> dict[str, int]:
    """Seed sizes, checked: known names, whole numbers in their SIZE_RANGES."""
    unknown = sorted(set(sizes) - set(SEED_SIZES))
    if unknown:
        raise ControlError(f"unknown seed size(s): {', '.join(unknown)} (known: {', '.join(SEED_SIZES)})")
    checked = {}
    for name, value in sizes.items():
        low, high = SIZE_RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ControlError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
        checked[name] = value
    return checked


class Control:
    """The control plane of one running QuickBooks (see the module docstring)."""

    def __init__(self, host: Host):
        self.host = host

    # -- the company file -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        """A new company (QuickBooks' default lists only), no sessions, no request log, no fault rules, QuickBooks
        running."""
        host = self.host
        with host.lock:
            host.end_sessions()
            snapshot.clear(host.engine, metadata)
            host.company.emptied()
            host.faults.clear()
            host.request_log.clear()
            host.start_quickbooks()

    def seed(self, seed: int = 0, **sizes: int) -> SeedSummary:
        """Fill the (empty) company with a realistic small business's lists, and with `bills` or `invoices` months of
        history before the clock's day (`fakeqb.seed`)."""
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ControlError(f"seed must be a whole number, not {seed!r}")
        checked = check_sizes(sizes)
        try:
            return seed_host(self.host, seed, **checked)
        except SeedError as exc:
            raise ConflictError(str(exc)) from None

    def snapshot(self) -> bytes:
        """The company file's contents as bytes, for `restore`."""
        with self.host.lock:
            return snapshot.dump(self.host.engine, metadata)

    def restore(self, data: bytes) -> dict[str, int]:
        """Put the company file back as the snapshot has it; returns the rows restored per table."""
        with self.host.lock:
            try:
                counts = snapshot.load(self.host.engine, metadata, data)
            except snapshot.SnapshotError as exc:
                raise ControlError(str(exc)) from None
            self.host.company.emptied()
            self.host.end_sessions()
        return counts

    # -- the clock ------------------------------------------------------------------------------------------------
    def clock(self) -> ClockState:
        clock = self.host.clock
        return ClockState(clock.now(), clock.stopped, str(clock.tz))

    def set_clock(self, moment: datetime | date | str) -> ClockState:
        """Stop the clock at `moment` (naive times and ISO text without an offset are company time)."""
        self.host.clock.set(parse_time(moment))
        return self.clock()

    def advance_clock(self, by: timedelta | float | str | None = None, *, days: float = 0, hours: float = 0,
                      minutes: float = 0, seconds: float = 0) -> ClockState:
        """Move the clock forward (`by`: a timedelta, seconds, or "1d12h"; or the keyword parts); it stops there."""
        try:
            delta = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        except TypeError:
            raise ControlError("days, hours, minutes and seconds must be numbers") from None
        if by is not None:
            delta += parse_duration(by)
        if delta < timedelta(0):
            raise ControlError("the clock only advances; set it to go back in time")
        self.host.clock.advance(delta)
        return self.clock()

    def resume_clock(self) -> ClockState:
        """Follow the wall clock again."""
        self.host.clock.resume()
        return self.clock()

    # -- the request log ------------------------------------------------------------------------------------------
    def log(self, *, ticket: str | None = None, app: str | None = None, request_type: str | None = None,
            failed: bool = False, since: int | None = None, limit: int | None = None) -> list[LogEntry]:
        """ProcessRequest calls, oldest first (see `RequestLog.entries` for the filters)."""
        for name, value in (("since", since), ("limit", limit)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ControlError(f"{name} must be a whole number of 0 or more, not {value!r}")
        return self.host.request_log.entries(ticket=ticket, app=app, request_type=request_type, failed=failed,
                                                since=since, limit=limit)

    def clear_log(self) -> int:
        """Forget the logged calls; returns how many there were."""
        return self.host.request_log.clear()

    # -- fault rules ----------------------------------------------------------------------------------------------
    def faults(self) -> list[FaultRule]:
        return self.host.faults.rules()

    def add_fault(self, kind: str, **options: Any) -> FaultRule:
        """Add a fault rule (`fakeqb.com.faults`): kind, then method, request_type, count, probability, seed, hresult,
        status_code, message, seconds."""
        try:
            return self.host.faults.add({"kind": kind, **options})
        except FaultError as exc:
            raise ControlError(str(exc)) from None

    def remove_fault(self, rule_id: int) -> None:
        if not self.host.faults.remove(rule_id):
            raise NotFoundError(f"no fault rule #{rule_id}")

    def clear_faults(self) -> int:
        """Remove every fault rule; returns how many there were."""
        return self.host.faults.clear()

    # -- app authorization ----------------------------------------------------------------------------------------
    def apps(self) -> list[AppAuthorization]:
        """The company's integrated applications."""
        return auth.apps(self.host.company)

    def allow_app(self, name: str, app_id: str = "") -> AppAuthorization:
        return self._auth(auth.set_allowed, name, app_id, True)

    def revoke_app(self, name: str, app_id: str = "") -> AppAuthorization:
        """Refuse an application from now on: its next BeginSession, and its next call in a session open now."""
        entry: AppAuthorization = self._auth(auth.set_allowed, name, app_id, False)
        self.host.revoke_sessions(entry.name, entry.app_id)
        return entry

    def forget_app(self, name: str) -> int:
        """Take the application off the list (it is unknown again); returns how many entries it had."""
        return self._auth(auth.forget, name)

    def auth_mode(self) -> str:
        return auth.mode(self.host.company)

    def set_auth_mode(self, mode: str) -> str:
        """allow_all (unknown applications are added on first connect) or list_only."""
        return self._auth(auth.set_mode, mode)

    def _auth(self, operation: Any, *args: Any) -> Any:
        try:
            return operation(self.host.company, *args)
        except AuthError as exc:
            raise ControlError(str(exc)) from None

    # -- behaviours -----------------------------------------------------------------------------------------------
    def behaviours(self) -> list[dict[str, Any]]:
        """QuickBooks' open behaviours (`fakeqb.company.behaviours`): name, value, default, values, evidence."""
        return self.host.company.behaviours.describe()

    def set_behaviour(self, name: str, value: str) -> dict[str, Any]:
        """Switch one behaviour; returns it as `behaviours` describes it."""
        try:
            self.host.company.behaviours.set(name, value)
        except BehaviourError as exc:
            raise ControlError(str(exc)) from None
        return next(b for b in self.behaviours() if b["name"] == name)

    # -- the closing date -----------------------------------------------------------------------------------------
    def closing_date(self) -> str | None:
        """The company's closing date (YYYY-MM-DD), or None: transactions dated on or before it are refused."""
        closing = self.host.setting("closing_date")
        return str(closing)[:10] if closing else None

    def set_closing_date(self, day: date | str | None) -> str | None:
        """Set the closing date, as an administrator does in Preferences > Accounting (None: no closing date)."""
        if day is not None and not isinstance(day, date):
            try:
                day = date.fromisoformat(str(day))
            except ValueError:
                raise ControlError(f"not a date: {day!r} (try 2024-01-31)") from None
        self.host.set_setting("closing_date", day.isoformat() if day else None)
        return self.closing_date()

    # -- QuickBooks itself ----------------------------------------------------------------------------------------
    def close_quickbooks(self) -> dict[str, Any]:
        """QuickBooks closes: every ticket becomes invalid, nothing connects until `start_quickbooks`."""
        self.host.close_quickbooks()
        return self.status()

    def start_quickbooks(self) -> dict[str, Any]:
        self.host.start_quickbooks()
        return self.status()

    def status(self) -> dict[str, Any]:
        """What is going on: QuickBooks running, sessions, clock, auth mode, fault rules, logged calls."""
        host = self.host
        return {
            "running": host.running,
            "company_file": host.file_name,
            "database": host.engine.dialect.name,
            "sessions": host.session_count,
            "clock": self.clock().to_json(),
            "auth_mode": self.auth_mode(),
            "fault_rules": len(host.faults),
            "log_entries": len(host.request_log),
            "behaviours": dict(host.company.behaviours),
            "log_capacity": host.request_log.capacity,
            "log_chars": host.request_log.chars,
            "log_max_chars": host.request_log.max_chars,
        }


_PLANES: weakref.WeakKeyDictionary[Host, Control] = weakref.WeakKeyDictionary()


def control_of(host: Host) -> Control:
    """The control plane of `host`: one per running QuickBooks, whoever asks (Python or HTTP)."""
    with host.lock:
        control = _PLANES.get(host)
        if control is None:
            control = _PLANES[host] = Control(host)
        return control
