"""The company clock: QuickBooks stamps TimeCreated, TimeModified, IDs and EditSequence from it.

It follows the wall clock until a test sets it; from then on it stands still at the time set and moves only when
advanced, so tests see exactly the times they chose. Times are written in the company's time zone with its offset.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from fakeqb.company.behaviours import Behaviours
from fakeqb.qbxml.values import fmt_datetime

DEFAULT_TIMEZONE = "America/New_York"


class CompanyClock:
    def __init__(self, tz: str = DEFAULT_TIMEZONE, behaviours: Mapping[str, str] | None = None):
        self.tz: tzinfo = ZoneInfo(tz)
        self._behaviours = behaviours if behaviours is not None else Behaviours()
        self._fixed: datetime | None = None  # the company time it stands still at (as `now` gives it)
        self._second: tuple[int, datetime] | None = None  # the wall clock's current second, as `now` gives it
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current company time (aware, in the company's zone, whole seconds)."""
        fixed = self._fixed
        if fixed is not None:
            return fixed
        unix = int(time.time())
        second = self._second
        if second is None or second[0] != unix:  # converted once a second: the zone's rules cost more than a request
            second = self._second = (unix, datetime.fromtimestamp(unix, self.tz))
        return second[1]

    @property
    def stopped(self) -> bool:
        """True while the clock stands still at a time set (or advanced to); False while it follows the wall clock."""
        return self._fixed is not None

    def unix(self) -> int:
        return int(self.now().timestamp())

    def set(self, moment: datetime) -> None:
        """Stop the clock at `moment` (naive times are company time)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        with self._lock:
            self._fixed = moment.astimezone(UTC).astimezone(self.tz).replace(microsecond=0)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move the clock forward by `delta` (or timedelta(**kwargs)); a running clock stops at the new time."""
        step = delta if delta is not None else timedelta(**kwargs)
        self.set(self.now() + step)
        return self.now()

    def resume(self) -> None:
        """Follow the wall clock again."""
        with self._lock:
            self._fixed = None

    def local(self, unix_seconds: int) -> datetime:
        return datetime.fromtimestamp(unix_seconds, self.tz)

    def stamp(self, unix_seconds: int) -> str:
        """A stored Unix time as QuickBooks writes TimeCreated and TimeModified: the company's wall-clock time of the
        event, with the UTC offset in force now (behaviour `time_offset` "response") or at the event ("event")."""
        now = self.now() if self._behaviours["time_offset"] == "response" else None
        return _stamp(unix_seconds, self.tz, now.utcoffset() if now is not None else None)


@lru_cache(maxsize=1 << 16)  # cached: a list query writes two per object, mostly the same few seconds again
def _stamp(unix_seconds: int, tz: tzinfo, offset: timedelta | None) -> str:
    event = datetime.fromtimestamp(unix_seconds, tz)
    if offset is not None and offset != event.utcoffset():
        event = event.replace(tzinfo=timezone(offset))
    return fmt_datetime(event)
