"""Payment terms: when a form is due.

Standard terms are due a number of days after the transaction (StdDueDays). Date-driven terms are due on a day of
the month (DayOfMonthDue): of the transaction's month, or of the next month when the transaction falls within
DueNextMonthDays of that day or after it. A day past the month's end is its last day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from fakeqb.company.lists import find


def due_date(conn: Connection, terms_ref: Any, txn_date: str) -> str | None:
    """The due date `terms_ref` ({"ListID": ...}) gives a transaction of `txn_date`; None without terms."""
    terms = find(conn, "Terms", terms_ref["ListID"]) if terms_ref and terms_ref.get("ListID") else None
    if terms is None:
        return None
    day = date.fromisoformat(txn_date)
    fields = terms.data
    if terms.list_type == "StandardTerms":
        return (day + timedelta(days=int(fields.get("StdDueDays") or 0))).isoformat()
    due_day = int(fields.get("DayOfMonthDue") or 1)
    month = (day.year, day.month)
    if day.day > due_day - int(fields.get("DueNextMonthDays") or 0):
        month = (day.year + day.month // 12, day.month % 12 + 1)
    last = calendar.monthrange(*month)[1]
    return date(month[0], month[1], min(due_day, last)).isoformat()
