"""qbXML value formats: the lexical checks QuickBooks' parser makes, and how fakeqb writes values back."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

_DECIMAL5 = r"[+\-]?[0-9]{1,10}(\.[0-9]{1,5})?"
_DATETIME = (r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
             r"(T[0-9]{1,2}(:[0-9]{1,2}(:[0-9]{1,2}([+\-][0-9]{1,2}:[0-9]{1,2})?)?)?)?)?")
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
        "date": r"(-?([1-9][0-9]{4,}|[0-9]{4})-[0-9]{2}-[0-9]{2}(Z|[+\-][0-9]{2}:[0-9]{2})?)?",
        "datetime": _DATETIME,
        "guid": r"0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}",
        "interval": r"(-?PT(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?",
        "float": r"([+\-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))?",
    }.items()
}
#: Types whose XML Schema base collapses white space before checking (xsd:boolean, xsd:date, xsd:integer, ...).
_COLLAPSED = frozenset(("bool", "date", "float", "interval", "int"))


def lexically_valid(kind: str, text: str) -> bool:
    """Whether `text` is a valid value of the model type `kind`, exactly as the qbXML schema decides it."""
    pattern = PATTERNS.get(kind)
    if pattern is None:
        return True
    if kind in _COLLAPSED:
        text = text.strip(" \t\r\n")
    elif kind == "datetime" and text.strip(" \t\r\n") == "":
        return True  # DATETIMETYPE is a union with an empty xsd:token
    if pattern.match(text) is None:
        return False
    return kind != "date" or text == "" or _real_date(text)


def _real_date(text: str) -> bool:
    """xsd:date also wants a day that exists and a time zone within +/-14:00."""
    body = text[1:] if text.startswith("-") else text
    year_text, month_text, rest = body.split("-", 2)
    year, month, day = int(year_text), int(month_text), int(rest[:2])
    zone = rest[2:].lstrip("Z")
    if zone and (int(zone[1:3]) * 60 + int(zone[4:6]) > 14 * 60 or int(zone[4:6]) > 59):
        return False
    if year == 0 or not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days


def whole_number(text: str) -> int | None:
    """The value of `text` when it is written in ASCII digits only (a RefNumber that counts), else None."""
    return int(text) if text.isascii() and text.isdigit() else None


def representable_date(text: str) -> bool:
    """Whether a lexically valid xsd:date or dateTime is a day QuickBooks can hold: years 1 to 9999 (the schema
    also allows longer and negative years)."""
    year = text.strip(" \t\r\n").split("-", 1)[0]
    return year != "" and len(year) <= 4 and year != "0000"


#: The range of INTTYPE values QuickBooks reads (a signed 32-bit integer; the schema's xsd:integer has none).
INT_RANGE = (-(2**31), 2**31 - 1)


def parse_bool(text: str) -> bool:
    return text.strip() in ("true", "1")


def fmt_bool(value: bool) -> str:
    return "true" if value else "false"


def fmt_amount(value: Decimal | int | str) -> str:
    """An amount with two decimals; zero is never written with a sign."""
    text = f"{Decimal(value):.2f}"
    return "0.00" if text == "-0.00" else text


def parse_datetime(text: str, tz: timezone | object, end_of_day: bool = False) -> datetime:
    """A DATETIMETYPE value as an aware datetime.

    Missing parts are 0 (or the day's end), a missing offset means company time.
    """
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
