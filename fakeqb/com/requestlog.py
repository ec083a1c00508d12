"""The request log: every ProcessRequest call, in a ring buffer bounded in entries and in characters (the oldest
entries make room).

Each entry holds the company time and wall time of the call, the ticket and application, the request text, the
response text or the HRESULT raised, how long it took, and the fault rules that fired on it. The request and response
texts count against `max_chars`; a text longer than half of it is kept cut short, with a note of how much was left out,
so one huge message set cannot take the whole log.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_CAPACITY = 1000
DEFAULT_MAX_CHARS = 32 * 1024 * 1024  # the texts of the entries kept, together: about 32 MiB of qbXML
ENTRY_OVERHEAD = 200  # what an entry costs besides its texts, in characters
_ERROR_SEVERITY = 'statusSeverity="Error"'


@dataclass(slots=True)  # not frozen: a frozen dataclass costs several times as much to build, on every call
class LogEntry:
    id: int
    time: str  # company time (ISO 8601 with offset)
    wall_time: str  # UTC
    ticket: str
    app_name: str
    request: str
    response: str | None  # None when the call raised
    hresult: int | None  # the HRESULT raised (unsigned), if any
    error: str | None  # its description
    duration_ms: float
    request_types: list[str] = field(default_factory=list)
    faults: list[int] = field(default_factory=list)  # ids of the fault rules that fired

    @property
    def failed(self) -> bool:
        """Raised an HRESULT, or some request in it was answered with an error status."""
        return self.hresult is not None or (self.response is not None and _ERROR_SEVERITY in self.response)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["hresult"] = f"0x{self.hresult:08X}" if self.hresult is not None else None
        data["failed"] = self.failed
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogEntry:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if isinstance(values.get("hresult"), str):
            values["hresult"] = int(values["hresult"], 16)
        return cls(**values)

    def summary(self) -> str:
        """One line for people."""
        types = ",".join(self.request_types) or "?"
        if self.hresult is not None:
            outcome = f"HRESULT 0x{self.hresult:08X} {self.error or ''}".rstrip()
        else:
            outcome = "error status" if self.failed else "ok"
        fired = f" faults {','.join(f'#{i}' for i in self.faults)}" if self.faults else ""
        return f"#{self.id} {self.time} {self.app_name or '-'} {types} -> {outcome} ({self.duration_ms:.1f} ms){fired}"


class RequestLog:
    """The last `capacity` ProcessRequest calls; safe to use from several threads."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, max_chars: int = DEFAULT_MAX_CHARS):
        if capacity < 1:
            raise ValueError("the request log needs room for at least one entry")
        if max_chars < 2 * ENTRY_OVERHEAD:
            raise ValueError(f"the request log needs room for at least {2 * ENTRY_OVERHEAD} characters")
        self.capacity = capacity
        self.max_chars = max_chars
        self._entries: deque[LogEntry] = deque()
        self._chars = 0
        self._next_id = 1
        self._lock = threading.Lock()

    @property
    def chars(self) -> int:
        """What the entries kept hold, in characters (their texts and a fixed overhead each)."""
        return self._chars

    def record(self, **values: Any) -> LogEntry:
        """Append an entry (LogEntry's fields but `id`); returns it."""
        limit = self.max_chars // 2 - ENTRY_OVERHEAD
        values["request"] = _cut(values["request"], limit)
        values["response"] = _cut(values["response"], limit)
        with self._lock:
            entry = LogEntry(id=self._next_id, **values)
            self._next_id += 1
            self._entries.append(entry)
            self._chars += _size(entry)
            while len(self._entries) > self.capacity or self._chars > self.max_chars:
                self._chars -= _size(self._entries.popleft())
            return entry

    def entries(self, *, ticket: str | None = None, app: str | None = None, request_type: str | None = None,
                failed: bool = False, since: int | None = None, limit: int | None = None) -> list[LogEntry]:
        """Entries oldest first, filtered: by ticket, application name, a request type in the message set
        ("VendorAdd" or "VendorAddRq"), failures only, ids after `since`; `limit` keeps the newest."""
        wanted_type = None
        if request_type:
            wanted_type = request_type if request_type.endswith("Rq") else request_type + "Rq"
        with self._lock:
            found = list(self._entries)
        found = [e for e in found
                 if (ticket is None or e.ticket == ticket)
                 and (app is None or e.app_name == app)
                 and (wanted_type is None or wanted_type in e.request_types)
                 and (not failed or e.failed)
                 and (since is None or e.id > since)]
        if limit is not None:
            found = found[-limit:] if limit > 0 else []
        return found

    def clear(self) -> int:
        """Forget every entry (ids keep counting up); returns how many there were."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self._chars = 0
            return count

    def __len__(self) -> int:
        return len(self._entries)


def _size(entry: LogEntry) -> int:
    return len(entry.request) + len(entry.response or "") + ENTRY_OVERHEAD


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters not kept]"
