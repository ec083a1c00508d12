"""qbXML value formats: the lexical checks QuickBooks' parser makes, and how fakeqb writes values back."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

_DECIMAL5 = r"[+\-]?[0-9]{1,10}(\.[0-9]{1,5})?"
#: Lexical forms of the schema's simple types (the empty string is valid for every one of them but int/guid).
PATTERNS: dict[str, re.Pattern[str]] = {
    kind: re.compile(f"(?:{rx})\\Z")
    for kind, rx in {
        "amt": r"([+\-]?[0-9]{1,13}(\.[0-9]{2})?)?",
        "price": f"({_DECIMAL5})?",
        "quan": f"({_DECIMAL5})?",
        "percent": f"({_DECIMAL5})?",
        "bool": r"(true|false|1|0)?",
        "int": r"[+\-]?[0-9]+",
        "date": r"([0-9]{4}-[0-9]{2}-[0-9]{2})?",
        "datetime": r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(T[0-9]{1,2}(:[0-9]{1,2}(:[0-9]{1,2}([+\-][0-9]{1,2}:[0-9]{1,2})?)?)?)?)?",
        "guid": r"0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}",
        "interval": r"([+\-]?PT([0-9]+H)?([0-9]+M)?([0-9]+S)?)?",
        "float": r"([+\-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))?",
    }.items()
}


def lexically_valid(kind: str, text: str) -> bool:
    pattern = PATTERNS.get(kind)
    if kind in ("bool", "date", "float", "interval"):
        text = text.strip()
    return pattern is None or pattern.match(text) is not None


def parse_bool(text: str) -> bool:
    return text.strip() in ("true", "1")


def fmt_bool(value: bool) -> str:
    return "true" if value else "false"


def fmt_amount(value: Decimal | int | str) -> str:
    return f"{Decimal(value):.2f}"


def parse_date(text: str) -> date:
    return date.fromisoformat(text.strip())


def parse_datetime(text: str, tz: timezone | object, end_of_day: bool = False) -> datetime:
    """A DATETIMETYPE value as an aware datetime; missing parts are 0 (or the day's end), missing offset = company time."""
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})([+\-]\d{1,2}:\d{1,2})?)?)?)?\Z",
                 text.strip())
    if m is None:
        raise ValueError(text)
    y, mo, d, h, mi, s, off = m.groups()
    if h is None and end_of_day:
        h, mi, s = "23", "59", "59"
    value = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    if off:
        sign = -1 if off[0] == "-" else 1
        oh, om = off[1:].split(":")
        return value.replace(tzinfo=timezone(sign * timedelta(hours=int(oh), minutes=int(om))))
    return value.replace(tzinfo=tz)  # type: ignore[arg-type]


def fmt_datetime(value: datetime) -> str:
    """Local time with its UTC offset and second precision, as QuickBooks writes TimeCreated/TimeModified."""
    return value.replace(microsecond=0).isoformat()
