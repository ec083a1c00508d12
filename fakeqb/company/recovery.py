"""Error recovery by message set ID: QuickBooks keeps, in the company file, the last message set an application sent
with `newMessageSetID`, so that after a lost response the application can ask what became of it.

    <QBXMLMsgsRq newMessageSetID="AB1F2395" ...> requests </QBXMLMsgsRq>   processed; its response kept for the app
    <QBXMLMsgsRq oldMessageSetID="AB1F2395" newMessageSetID="AB1F2395"/>   the status check: the kept response again
    <QBXMLMsgsRq oldMessageSetID="AB1F2395"/>                              forget it (ClearAllMessageSets: all)

The response then carries `messageSetStatusCode` (and `newMessageSetID` when one was sent), as Intuit's samples
ErrRecovery1-3 show. ASSUMPTIONS: one message set is kept per application name (a new ID replaces it); a status
check for an ID that is not kept answers no requests with messageSetStatusCode 600, Intuit's "No cleared state to
return"; a message set with both IDs and requests is processed and kept under the new ID.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from fakeqb.company.settings import read_setting, write_setting

CLEAR_ALL = "ClearAllMessageSets"
OK, NOTHING_KEPT = "0", "600"
_KEY = "error_recovery"


def kept(conn: Connection, app: str) -> dict[str, Any] | None:
    """The message set kept for `app`: {"id": ..., "responses": [Rs texts]}."""
    value = (read_setting(conn, _KEY) or {}).get(app)
    return value if isinstance(value, dict) else None


def keep(conn: Connection, app: str, message_set_id: str, responses: list[str]) -> None:
    store = dict(read_setting(conn, _KEY) or {})
    store[app] = {"id": message_set_id, "responses": responses}
    write_setting(conn, _KEY, store)


def forget(conn: Connection, app: str, message_set_id: str) -> None:
    store = dict(read_setting(conn, _KEY) or {})
    if message_set_id == CLEAR_ALL or (store.get(app) or {}).get("id") == message_set_id:
        store.pop(app, None)
        write_setting(conn, _KEY, store)
