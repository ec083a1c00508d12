"""The control plane of a fakeqb server, from another process: the same methods as `fakeqb.control.Control`.

    control = RemoteControl("http://127.0.0.1:8080", token="...")   # the token `fakeqb serve` printed
    control.reset()
    control.seed(7, vendors=10)
    control.add_fault("lose_response", request_type="BillAddRq")
    for entry in control.log(failed=True):
        print(entry.summary())

The token may come from the environment instead: FAKEQB_CONTROL_TOKEN. Errors the server reports come back as
`fakeqb.control.ControlError` (NotFoundError, ConflictError) with its message.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta
from typing import Any

from fakeqb.com.auth import AppAuthorization
from fakeqb.com.faults import FaultRule
from fakeqb.com.requestlog import LogEntry
from fakeqb.control.api import ClockState, ConflictError, ControlError, NotFoundError, parse_duration
from fakeqb.seed import SeedSummary

DEFAULT_TIMEOUT = 60.0
TOKEN_VARIABLE = "FAKEQB_CONTROL_TOKEN"


def _rule(data: dict[str, Any]) -> FaultRule:
    values = {k: v for k, v in data.items() if k in FaultRule.__dataclass_fields__ and not k.startswith("_")}
    if isinstance(values.get("hresult"), str):
        values["hresult"] = int(values["hresult"], 16)
    return FaultRule(**values)


class RemoteControl:
    """The control plane of the fakeqb server at `url` ("http://127.0.0.1:8080", with or without /control)."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, token: str | None = None):
        parsed = urllib.parse.urlsplit(url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ControlError(f"not a server URL: {url!r} (e.g. http://127.0.0.1:8080)")
        base = url.strip().rstrip("/")
        self.url = base if base.endswith("/control") else base + "/control"
        self.timeout = timeout
        self.token = token or os.environ.get(TOKEN_VARIABLE, "")

    def _call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
              query: dict[str, Any] | None = None, binary: bool = False) -> Any:
        url = self.url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self.token}"}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            headers["Content-Type"] = "application/octet-stream"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                content = response.read()
        except urllib.error.HTTPError as exc:
            raise _server_error(exc) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ControlError(f"cannot reach the fakeqb server at {self.url}: {reason}") from None
        if binary:
            return content
        try:
            return json.loads(content.decode("utf-8")) if content else None
        except ValueError:
            raise ControlError(f"the server at {self.url} did not answer JSON (is it a fakeqb server?)") from None

    # -- the company file -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        self._call("POST", "/reset", {})

    def seed(self, seed: int = 0, **sizes: int) -> SeedSummary:
        answer = self._call("POST", "/seed", {"seed": seed, **sizes})
        return SeedSummary(**answer["counts"])

    def snapshot(self) -> bytes:
        data: bytes = self._call("GET", "/snapshot", binary=True)
        return data

    def restore(self, data: bytes) -> dict[str, int]:
        if not isinstance(data, bytes | bytearray) or not data:
            raise ControlError("a snapshot is non-empty bytes")
        restored: dict[str, int] = self._call("POST", "/restore", raw=bytes(data))["restored"]
        return restored

    # -- the clock ------------------------------------------------------------------------------------------------
    def clock(self) -> ClockState:
        return ClockState.from_json(self._call("GET", "/clock"))

    def set_clock(self, moment: datetime | date | str) -> ClockState:
        text = moment.isoformat() if isinstance(moment, date) else moment
        return ClockState.from_json(self._call("POST", "/clock/set", {"time": text}))

    def advance_clock(self, by: timedelta | float | str | None = None, *, days: float = 0, hours: float = 0,
                      minutes: float = 0, seconds: float = 0) -> ClockState:
        body: dict[str, Any] = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
        if by is not None:
            body["by"] = parse_duration(by).total_seconds()
        return ClockState.from_json(self._call("POST", "/clock/advance", body))

    def resume_clock(self) -> ClockState:
        return ClockState.from_json(self._call("POST", "/clock/resume", {}))

    # -- the request log ------------------------------------------------------------------------------------------
    def log(self, *, ticket: str | None = None, app: str | None = None, request_type: str | None = None,
            failed: bool = False, since: int | None = None, limit: int | None = None) -> list[LogEntry]:
        query = {"ticket": ticket, "app": app, "request_type": request_type, "failed": "true" if failed else None,
                 "since": since, "limit": limit}
        return [LogEntry.from_json(e) for e in self._call("GET", "/log", query=query)["entries"]]

    def clear_log(self) -> int:
        return int(self._call("DELETE", "/log")["cleared"])

    # -- fault rules ----------------------------------------------------------------------------------------------
    def faults(self) -> list[FaultRule]:
        return [_rule(r) for r in self._call("GET", "/faults")["faults"]]

    def add_fault(self, kind: str, **options: Any) -> FaultRule:
        return _rule(self._call("POST", "/faults", {"kind": kind, **options}))

    def remove_fault(self, rule_id: int) -> None:
        self._call("DELETE", f"/faults/{int(rule_id)}")

    def clear_faults(self) -> int:
        return int(self._call("DELETE", "/faults")["cleared"])

    # -- app authorization ----------------------------------------------------------------------------------------
    def apps(self) -> list[AppAuthorization]:
        return [AppAuthorization.from_json(a) for a in self._call("GET", "/apps")["apps"]]

    def allow_app(self, name: str, app_id: str = "") -> AppAuthorization:
        return AppAuthorization.from_json(self._call("POST", "/apps/allow", {"name": name, "app_id": app_id}))

    def revoke_app(self, name: str, app_id: str = "") -> AppAuthorization:
        return AppAuthorization.from_json(self._call("POST", "/apps/revoke", {"name": name, "app_id": app_id}))

    def forget_app(self, name: str) -> int:
        return int(self._call("POST", "/apps/forget", {"name": name})["forgotten"])

    def auth_mode(self) -> str:
        return str(self._call("GET", "/apps/mode")["auth_mode"])

    def set_auth_mode(self, mode: str) -> str:
        return str(self._call("PUT", "/apps/mode", {"mode": mode})["auth_mode"])

    # -- behaviours -----------------------------------------------------------------------------------------------
    def behaviours(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/behaviours")["behaviours"])

    def set_behaviour(self, name: str, value: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("PUT", f"/behaviours/{urllib.parse.quote(name, safe='')}",
                                            {"value": value})
        return result

    # -- the closing date -----------------------------------------------------------------------------------------
    def closing_date(self) -> str | None:
        day = self._call("GET", "/closing-date")["closing_date"]
        return None if day is None else str(day)

    def set_closing_date(self, day: date | str | None) -> str | None:
        text = day.isoformat() if isinstance(day, date) else day
        answer = self._call("PUT", "/closing-date", {"closing_date": text})["closing_date"]
        return None if answer is None else str(answer)

    # -- QuickBooks itself ----------------------------------------------------------------------------------------
    def close_quickbooks(self) -> dict[str, Any]:
        status: dict[str, Any] = self._call("POST", "/quickbooks/close", {})
        return status

    def start_quickbooks(self) -> dict[str, Any]:
        status: dict[str, Any] = self._call("POST", "/quickbooks/start", {})
        return status

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = self._call("GET", "/status")
        return status


def _server_error(exc: urllib.error.HTTPError) -> ControlError:
    try:
        message = json.loads(exc.read().decode("utf-8"))["error"]
    except (ValueError, KeyError, TypeError, OSError):
        message = f"HTTP {exc.code} {exc.reason}"
    kind = {404: NotFoundError, 409: ConflictError}.get(exc.code, ControlError)
    return kind(str(message))
