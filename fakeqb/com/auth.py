"""App authorization: the company file's list of integrated applications allowed to connect.

QuickBooks keeps, in the company file, the applications an administrator has allowed ("Yes, always") or refused
(Edit > Preferences > Integrated Applications). fakeqb keeps the same list in the settings table, with a mode:

    allow_all  (default) an application seen for the first time is added to the list and let in, as if the
               administrator had clicked "Yes, always"
    list_only  only applications on the list and allowed get a session

An application on the list is known by its name and, when the entry has one, by its app ID too; an entry without an
app ID matches any app ID, and an entry with the application's own app ID wins over it.

ASSUMPTION: the check happens on BeginSession (OpenConnection does not touch the company file). An application
QuickBooks does not know gets 0x80040418 ("This application has not accessed this QuickBooks company data file
before...") in list_only mode, where no administrator is there to grant access; an application on the list whose
access has been revoked gets 0x8004041A ("This application does not have permission to access this QuickBooks company
data file...") in either mode. Application names are compared exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection

from fakeqb.com import hresults as hr
from fakeqb.com.hresults import ComError
from fakeqb.company.file import CompanyFile
from fakeqb.company.settings import read_setting, write_setting

AUTH_MODES = ("allow_all", "list_only")
DEFAULT_MODE = "allow_all"
APPS_KEY, MODE_KEY = "integrated_apps", "auth_mode"
MAX_NAME = 200


class AuthError(ValueError):
    """Bad input for the list of integrated applications."""


@dataclass(frozen=True)
class AppAuthorization:
    """One application on the company's Integrated Applications list."""

    name: str
    app_id: str = ""
    allowed: bool = True
    since: str = ""  # company time when it was added or last changed

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppAuthorization:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def read_apps(conn: Connection) -> list[AppAuthorization]:
    return [AppAuthorization.from_json(item) for item in read_setting(conn, APPS_KEY) or []]


def read_mode(conn: Connection) -> str:
    mode = read_setting(conn, MODE_KEY)
    return mode if mode in AUTH_MODES else DEFAULT_MODE


def find(apps: list[AppAuthorization], app_id: str, name: str) -> AppAuthorization | None:
    """The entry that decides for an application: the one with its app ID, else the one for any app ID."""
    named = [a for a in apps if a.name == name]
    return next((a for a in named if a.app_id and a.app_id == app_id), None) or \
        next((a for a in named if not a.app_id), None)


def authorize(company: CompanyFile, app_id: str, app_name: str) -> None:
    """Let the application begin a session, or raise QuickBooks' permission HRESULT (see the module docstring)."""
    with company.transaction() as conn:
        apps = read_apps(conn)
        entry = find(apps, app_id, app_name)
        if entry is not None:
            if not entry.allowed:
                raise ComError.qb(hr.PERMISSION_DENIED)
            return
        if read_mode(conn) == "list_only":
            raise ComError.qb(hr.NEVER_AUTHORIZED)
        apps.append(AppAuthorization(app_name, app_id, True, company.clock.now().isoformat()))
        write_setting(conn, APPS_KEY, [a.to_json() for a in apps])


def _checked_name(name: Any, app_id: Any) -> tuple[str, str]:
    if not isinstance(name, str) or not name.strip():
        raise AuthError("an application needs a non-empty name")
    if len(name) > MAX_NAME:
        raise AuthError(f"an application name has at most {MAX_NAME} characters")
    if app_id is None:
        app_id = ""
    if not isinstance(app_id, str):
        raise AuthError("app_id must be text")
    return name, app_id


def set_allowed(company: CompanyFile, name: str, app_id: str = "", allowed: bool = True) -> AppAuthorization:
    """Allow or revoke an application (added to the list if it is not there); returns its entry."""
    name, app_id = _checked_name(name, app_id)
    with company.transaction() as conn:
        apps = read_apps(conn)
        entry = AppAuthorization(name, app_id, allowed, company.clock.now().isoformat())
        kept = [a for a in apps if not (a.name == name and a.app_id == app_id)]
        if not app_id:  # an entry for any app ID replaces the name's other entries
            kept = [a for a in kept if a.name != name]
        write_setting(conn, APPS_KEY, [a.to_json() for a in [*kept, entry]])
        return entry


def forget(company: CompanyFile, name: str) -> int:
    """Take every entry of the application off the list (it is unknown again); returns how many there were."""
    name, _ = _checked_name(name, "")
    with company.transaction() as conn:
        apps = read_apps(conn)
        kept = [a for a in apps if a.name != name]
        write_setting(conn, APPS_KEY, [a.to_json() for a in kept])
        return len(apps) - len(kept)


def set_mode(company: CompanyFile, mode: str) -> str:
    if mode not in AUTH_MODES:
        raise AuthError(f"auth mode must be one of {', '.join(AUTH_MODES)}, not {mode!r}")
    with company.transaction() as conn:
        write_setting(conn, MODE_KEY, mode)
    return mode


def apps(company: CompanyFile) -> list[AppAuthorization]:
    with company.engine.connect() as conn:
        return read_apps(conn)


def mode(company: CompanyFile) -> str:
    with company.engine.connect() as conn:
        return read_mode(conn)
