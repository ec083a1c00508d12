"""Three-way merge of one object's synced fields: the app's, QuickBooks', and the values both last agreed on.

A field changed on one side only takes that side's value. A field changed on both sides to different values is a
conflict: the master in case of conflict (a sync preference, QuickBooks by default) wins, and the user is told.
Without a base (the object was never synced), QuickBooks' values win.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Merged:
    values: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)  # fields changed on both sides
    from_quickbooks: list[str] = field(default_factory=list)  # fields whose QuickBooks value the app takes


def merge(base: dict[str, Any] | None, app: dict[str, Any], qb: dict[str, Any], app_is_master: bool) -> Merged:
    result = Merged(values={})
    for name, theirs in qb.items():
        ours = app.get(name)
        if base is None or ours == theirs:
            result.values[name] = theirs
            if ours != theirs:
                result.from_quickbooks.append(name)
            continue
        agreed = base.get(name)
        if ours == agreed:
            result.values[name] = theirs
            result.from_quickbooks.append(name)
        elif theirs == agreed:
            result.values[name] = ours
        else:
            result.conflicts.append(name)
            result.values[name] = ours if app_is_master else theirs
            if not app_is_master:
                result.from_quickbooks.append(name)
    return result
