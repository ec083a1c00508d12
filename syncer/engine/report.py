"""`SyncReport`: what one sync run moved in each direction, per object type, and the per-object sync errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from syncer.kinds import plural, singular

TO_APP, TO_QUICKBOOKS = "to_app", "to_quickbooks"


@dataclass(frozen=True)
class Issue:
    """A sync error (the object did not sync) or a notice (it synced, but something needs the user's attention)."""

    kind: str
    name: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f'{singular(self.kind)} "{self.name}": {self.message}'


@dataclass
class SyncReport:
    brand: str
    company_file: str
    started_at: datetime = field(default_factory=datetime.now)
    to_app: dict[str, list[str]] = field(default_factory=dict)  # kind -> names, in the order they moved
    to_quickbooks: dict[str, list[str]] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    requests: int = 0  # qbXML requests sent
    aborted: str | None = None  # why the run ended early (QuickBooks unavailable)

    def moved(self, direction: str, kind: str, name: str) -> None:
        target = self.to_app if direction == TO_APP else self.to_quickbooks
        target.setdefault(kind, []).append(name)

    def error(self, kind: str, name: str, message: str) -> None:
        self.errors.append(Issue(kind, name, message))

    def notice(self, kind: str, name: str, message: str) -> None:
        self.notices.append(Issue(kind, name, message, "notice"))

    def pulled(self, kind: str) -> list[str]:
        """Names of the objects of `kind` that came from QuickBooks to the app."""
        return self.to_app.get(kind, [])

    def pushed(self, kind: str) -> list[str]:
        """Names of the objects of `kind` that went from the app to QuickBooks."""
        return self.to_quickbooks.get(kind, [])

    def errors_for(self, kind: str) -> list[Issue]:
        return [issue for issue in self.errors if issue.kind == kind]

    @property
    def ok(self) -> bool:
        return not self.errors and self.aborted is None

    def __repr__(self) -> str:
        moved = {"to_app": {k: len(v) for k, v in self.to_app.items()},
                 "to_quickbooks": {k: len(v) for k, v in self.to_quickbooks.items()}}
        return f"<SyncReport ok={self.ok} {moved} errors={len(self.errors)} notices={len(self.notices)}>"

    def __str__(self) -> str:
        file = f" ({self.company_file})" if self.company_file else ""
        lines = [f"{self.brand} sync with QuickBooks{file}, {self.started_at:%Y-%m-%d %H:%M}"]
        for title, moved in ((f"From QuickBooks to {self.brand}", self.to_app),
                             (f"From {self.brand} to QuickBooks", self.to_quickbooks)):
            lines.append(f"{title}:")
            if not moved:
                lines.append("  nothing changed")
            for kind, names in moved.items():
                shown = "; ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
                lines.append(f"  {plural(kind)}: {len(names)} ({shown})")
        if self.errors:
            lines.append(f"Sync errors ({len(self.errors)}):")
            lines.extend(f"  {issue}" for issue in self.errors)
        if self.notices:
            lines.append(f"Notices ({len(self.notices)}):")
            lines.extend(f"  {issue}" for issue in self.notices)
        if self.aborted:
            lines.append(f"The sync stopped: {self.aborted}")
        elif not self.errors:
            lines.append("Everything synced.")
        return "\n".join(lines)
