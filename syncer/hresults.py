"""What QBXMLRP2's HRESULTs mean for the person syncing, and which ones are worth a retry.

`{app}` in a message is the brand's name, `{file}` the company file the app is connected to.
"""

from __future__ import annotations

PARSE_ERROR = 0x80040400
DIFFERENT_FILE_OPEN = 0x8004040A
#: QuickBooks is busy or still starting: BeginSession is tried again after a pause.
TRANSIENT = frozenset((0x8004041B, 0x80040424))

_OPEN_QUICKBOOKS = "Open QuickBooks and your company file on this computer, then sync again."
_NOT_RUNNING = "QuickBooks is not running or could not be started. " + _OPEN_QUICKBOOKS
_TOO_OLD = "This version of QuickBooks is too old for {app}: QuickBooks Desktop 2014 or later is required."

MESSAGES: dict[int, str] = {
    0x80040401: "{app} could not access QuickBooks. " + _OPEN_QUICKBOOKS,
    0x80040402: "QuickBooks reported an unexpected error. Restart QuickBooks and sync again.",
    0x80040403: "QuickBooks could not open the company file {file}. Open it in QuickBooks and sync again.",
    0x80040404: _TOO_OLD,
    0x80040408: _NOT_RUNNING,
    DIFFERENT_FILE_OPEN: "QuickBooks has a different company file open. {app} is connected to {file}: open that "
                         "file in QuickBooks (and only that one), then sync again.",
    0x80040410: "QuickBooks has the company file open in a mode that does not allow {app} in. Switch QuickBooks to "
                "single-user mode (File > Switch to Single-user Mode) and sync again.",
    0x80040414: "A window is open in QuickBooks. Close it (or finish what it asks) and sync again.",
    0x80040416: _NOT_RUNNING,
    0x80040417: "No company file is open in QuickBooks. " + _OPEN_QUICKBOOKS,
    0x80040418: "QuickBooks has not allowed {app} to use this company file yet. Log in to QuickBooks as the Admin "
                "user in single-user mode, sync again, and choose to allow access when QuickBooks asks.",
    0x8004041A: "QuickBooks does not allow {app} to use this company file. In QuickBooks, open Edit > Preferences > "
                "Integrated Applications > Company Preferences, allow {app}, and sync again.",
    0x8004041B: "QuickBooks is busy and could not let {app} in. Wait a moment and sync again.",
    0x8004041D: "QuickBooks does not allow {app} to log in automatically. Log in to QuickBooks as the Admin user and "
                "sync again.",
    0x80040420: "Access to QuickBooks was denied. Log in to QuickBooks as the Admin user, sync again, and allow "
                "{app} when QuickBooks asks.",
    0x80040422: "Another application is using the company file in single-user mode. Close it and sync again.",
    0x80040423: _TOO_OLD,
    0x80040424: "QuickBooks is still starting. Wait until it is ready and sync again.",
    0x800706BA: "{app} could not reach QuickBooks. Make sure QuickBooks is running with your company file open on "
                "the computer that syncs, then sync again.",
}

LOST_CONNECTION = ("The connection to QuickBooks was lost during the sync. Make sure QuickBooks is running with your "
                   "company file open, then sync again: nothing will be entered twice.")


def user_message(hresult: int | None, text: str, app: str, file: str) -> str:
    """The message to show for an HRESULT raised by the request processor (unsigned; None for other failures)."""
    template = MESSAGES.get(hresult) if hresult is not None else None
    if template is None:
        detail = f"QuickBooks reported: {text}" if text else "QuickBooks stopped answering."
        code = f" (error 0x{hresult:08X})" if hresult is not None else ""
        return f"{LOST_CONNECTION} {detail}{code}"
    return template.format(app=app, file=file or "your company file")
