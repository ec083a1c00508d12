"""The QBXMLRP2 request processor surface, in process.

`RequestProcessor` has the methods and properties of `QBXMLRP2.RequestProcessor` as pywin32 exposes them, and raises
`ComError` (pywin32's `com_error` shape) with QuickBooks' HRESULTs, so code written for the real COM object runs
against it unchanged:

    rp = FakeQuickBooks().request_processor()
    rp.OpenConnection2("", "My App", 1)
    ticket = rp.BeginSession("", 2)
    response = rp.ProcessRequest(ticket, request_xml)
    rp.EndSession(ticket)
    rp.CloseConnection()

Every call first goes through the host's fault rules (`fakeqb.com.faults`), and every ProcessRequest call is written
to its request log (`fakeqb.com.requestlog`). BeginSession checks the company's list of integrated applications
(`fakeqb.com.auth`). A processor made with `admin=True` (fakeqb's own seeding) skips all three.

ASSUMPTION: an application whose access is revoked while it has a session open is refused on its next call with the
same HRESULT as at BeginSession (0x8004041A), and that session ends.
ASSUMPTION: a ticket that is not the processor's current one (ended, from another processor, made up) is invalid
(0x8004040D) even when no session is open; only an empty ticket without a session gives 0x8004040C. A session that
QuickBooks ended on its own (it was closed, or the company was reset or restored) no longer counts as the processor's
current one: its ticket is invalid and BeginSession may be called again without EndSession.
"""

from __future__ import annotations

import logging
import ntpath
import time
import uuid
from datetime import UTC, datetime

from fakeqb.com import hresults as hr
from fakeqb.com.auth import authorize
from fakeqb.com.faults import Triggered, request_types
from fakeqb.com.host import DO_NOT_CARE, MULTI_USER, SINGLE_USER, Host
from fakeqb.com.hresults import ComError
from fakeqb.company.context import Session
from fakeqb.qbxml.envelope import SUPPORTED_VERSIONS, RollbackRefused, UnsupportedVersion, WrongApi
from fakeqb.qbxml.validate import QbxmlParseError

log = logging.getLogger("fakeqb")

LOCAL_CONNECTIONS = (0, 1, 3)  # unknown, localQBD, localQBDLaunchUI


def same_file(a: str, b: str) -> bool:
    """Windows paths compare case-insensitively, whichever slash they use."""
    return ntpath.normcase(ntpath.normpath(a)) == ntpath.normcase(ntpath.normpath(b))


class RequestProcessor:
    """One COM request processor object: a connection, and at most one session at a time."""

    MajorVersion = 13
    MinorVersion = 0
    ReleaseLevel = 3  # release
    ReleaseNumber = 4000
    ConnectionType = 1  # localQBD

    def __init__(self, host: Host, *, admin: bool = False):
        self._host = host
        self._admin = admin
        self._app: tuple[str, str] | None = None
        self._ticket: str | None = None

    # -- connection -----------------------------------------------------------------------------------------------
    def OpenConnection(self, appID: str, appName: str) -> None:  # noqa: N802, N803
        self.OpenConnection2(appID, appName, 1)

    def OpenConnection2(self, appID: str, appName: str, connPref: int) -> None:  # noqa: N802, N803
        self._faults("OpenConnection")
        if self._app is not None:
            raise ComError.qb(hr.ALREADY_CONNECTED)
        if not appName:
            raise ComError.qb(hr.APP_NAME_REQUIRED)
        if connPref not in LOCAL_CONNECTIONS:
            raise ComError.qb(hr.CONNECTION_TYPE_NOT_FOUND)
        self._host.check_running()
        self._app = (appID or "", appName)

    def CloseConnection(self) -> None:  # noqa: N802
        self._faults("CloseConnection")
        if self._app is None:
            raise ComError.qb(hr.NOT_CONNECTED)
        if self._ticket is not None:
            self._host.end_session(self._ticket)
            self._ticket = None
        self._app = None

    # -- session --------------------------------------------------------------------------------------------------
    def BeginSession(self, qbFileName: str, reqFileMode: int) -> str:  # noqa: N802, N803
        self._faults("BeginSession")
        if self._app is None:
            raise ComError.qb(hr.NOT_CONNECTED)
        if self._ticket is not None and self._host.session(self._ticket) is not None:
            raise ComError.qb(hr.SESSION_ALREADY_BEGUN)
        self._ticket = None  # a session QuickBooks ended on its own (see the module's ASSUMPTION)
        if reqFileMode not in (SINGLE_USER, MULTI_USER, DO_NOT_CARE):
            raise ComError.qb(hr.INVALID_PARAMETER)
        self._host.check_running()
        if qbFileName and not same_file(qbFileName, self._host.file_name):
            raise ComError.qb(hr.DIFFERENT_FILE_OPEN)
        if not self._admin:
            authorize(self._host.company, self._app[0], self._app[1])
        session = Session("{" + str(uuid.uuid4()) + "}", self._app[0], self._app[1], reqFileMode, admin=self._admin)
        self._host.begin_session(session)
        self._ticket = session.ticket
        return session.ticket

    def EndSession(self, ticket: str) -> None:  # noqa: N802
        self._faults("EndSession")
        self._session(ticket)
        self._host.end_session(ticket)
        self._ticket = None

    def GetCurrentCompanyFileName(self, ticket: str) -> str:  # noqa: N802
        self._faults("GetCurrentCompanyFileName")
        self._session(ticket)
        return self._host.file_name

    def QBXMLVersionsForSession(self, ticket: str) -> tuple[str, ...]:  # noqa: N802
        self._faults("QBXMLVersionsForSession")
        self._session(ticket)
        return SUPPORTED_VERSIONS

    # -- requests -------------------------------------------------------------------------------------------------
    def ProcessRequest(self, ticket: str, inputRequest: str) -> str:  # noqa: N802, N803
        if self._admin:
            return self._process(ticket, inputRequest)
        host = self._host
        started, moment, wall = time.perf_counter(), host.clock.now(), datetime.now(UTC)
        response: str | None = None
        failure: ComError | None = None
        fired: Triggered | None = None
        try:
            fired = self._fire("ProcessRequest", inputRequest)
            self._apply(fired)
            response = self._process(ticket, inputRequest)
            if fired is not None and fired.lose is not None:
                raise ComError.rpc(hr.RPC_S_CALL_FAILED)  # committed, but the answer never reaches the caller
            return response
        except ComError as err:
            failure = err
            raise
        finally:
            host.request_log.record(
                time=moment.isoformat(), wall_time=wall.isoformat(timespec="milliseconds"),
                ticket=ticket if isinstance(ticket, str) else repr(ticket),
                app_name=self._app[1] if self._app else "",
                request=inputRequest if isinstance(inputRequest, str) else repr(inputRequest),
                response=response,
                hresult=failure.qb_hresult if failure is not None else None,
                error=failure.description if failure is not None else None,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                request_types=request_types(inputRequest),
                faults=[rule.id for rule in fired.fired] if fired is not None else [])

    def _process(self, ticket: str, inputRequest: str) -> str:  # noqa: N803
        session = self._session(ticket)
        try:
            return self._host.answer(inputRequest, session)
        except QbxmlParseError as exc:
            log.info("parse error: %s", exc)
            raise ComError.qb(hr.PARSE_ERROR) from None
        except UnsupportedVersion:
            raise ComError.qb(hr.VERSION_NOT_SUPPORTED) from None
        except RollbackRefused:
            raise ComError.qb(hr.ROLLBACK_NOT_SUPPORTED) from None
        except WrongApi:
            raise ComError.qb(hr.WRONG_API) from None
        except ComError:
            raise
        except Exception:
            log.exception("unexpected error while processing a request")
            raise ComError.qb(hr.UNEXPECTED) from None

    def _faults(self, method: str) -> None:
        self._apply(self._fire(method))

    def _fire(self, method: str, request: str | None = None) -> Triggered | None:
        """The fault rules that fire on this call of `method`."""
        if self._admin:
            return None
        return self._host.faults.on_call(method, (lambda: request_types(request)) if request is not None else None)

    def _apply(self, fired: Triggered | None) -> None:
        """What the rules do before the call is answered: QuickBooks closes, the call waits, an HRESULT is raised."""
        if fired is None:
            return
        if fired.close:
            self._host.close_quickbooks()
        if fired.delay:
            time.sleep(fired.delay)
        if fired.fail is not None:
            raise fired.error()

    def _session(self, ticket: str) -> Session:
        """The session `ticket` names (see the module's ASSUMPTION on invalid tickets)."""
        if self._app is None:
            raise ComError.qb(hr.NOT_CONNECTED)
        if self._ticket is None and not ticket:
            raise ComError.qb(hr.NO_SESSION)
        session = self._host.session(ticket) if ticket == self._ticket else None
        if session is None:
            raise ComError.qb(hr.INVALID_TICKET)
        if session.revoked:  # the application's access was revoked: the session ends with the refusal
            self._host.end_session(ticket)
            self._ticket = None
            raise ComError.qb(hr.PERMISSION_DENIED)
        return session
