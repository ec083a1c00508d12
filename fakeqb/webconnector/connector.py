"""`FakeWebConnector`: QuickBooks Web Connector's side of an update, played against a fakeqb company.

    qbwc = FakeWebConnector("http://localhost:8000/qbwc", "acme", "secret", company=qb)
    summary = qbwc.run()          # RunSummary: result, ok, calls, log, ...

One `run()` is one update of one application, as QBWC does it when the user clicks "Update Selected" (scheduling is
not simulated). The qbXML the integration sends goes to QuickBooks through a request processor (`company` is a
`Host`/`FakeQuickBooks`, or a callable making a request processor, e.g. `lambda: HttpRequestProcessor(url)`), so the
company's fault rules, app authorization and request log apply to it as to any other application.

The exchange (Intuit's QBWC Programmer's Guide; its WSDL; logs of real runs quoted in reports; the servers
consolibyte/quickbooks-php, qbwc/qbwc and /n software's QBWCServer, written against the real QBWC):

1. serverVersion(), then clientVersion(QBWC's version). An answer of "" goes on; "W:<text>" is a warning the user may
   accept (`accept_warnings`); "E:<text>" (and "O:<version>") stops with QBWC1037; anything else with QBWC1046.
   ASSUMPTION: a failed serverVersion or clientVersion call is only logged and the update goes on (a real log shows
   "Actual error received from web service for serverVersion call"; an endpoint that cannot be reached is reported
   as QBWC1012, the authenticate() failure, not as a version-check failure).
2. authenticate(user, password) -> [ticket, status, wait?, every?]. Status "nvu" stops (QBWC1040); "none" stops with
   "No data exchange required"; "busy" stops; a third value of N > 0 postpones the update by N seconds ("Update
   postponed by application", the guide's example); the fourth (run at least every N seconds) is reported in the
   summary. Otherwise the status is the company file to open ("" = the one open in QuickBooks). Fewer than two values
   is QBWC1012 "Index was outside the bounds of the array." (a reported QBWC1012 quotes it).
   ASSUMPTION: after "nvu", "none", "busy" or a postponement QBWC makes no further call (closeConnection included).
3. OpenConnection2(AppID, AppName, localQBD) and BeginSession(file, do-not-care). If QuickBooks refuses (not running,
   another company file open, the app not authorized, a fault rule), QBWC logs QBWC1013 and calls
   connectionError(ticket, "0x8004040A", QuickBooks' message); the answer "done" ends the update, with no
   closeConnection (a server's log of such a run shows connectionError as the last call); any other answer is a
   company file to try ("" = the open one), and the connection is tried again. ASSUMPTION: the fake gives up after
   `MAX_CONNECTION_ATTEMPTS` attempts (QBWC documents no limit).
4. sendRequestXML(ticket, strHCPResponse, strCompanyFileName, "US", major, minor) in a loop. Only the first call carries
   strHCPResponse: the HostQuery, CompanyQuery and PreferencesQuery responses in one document, which QBWC gets from
   QuickBooks first (QBWC1014 if it cannot); later calls send it empty. The versions are the highest qbXML version
   QuickBooks supports. ASSUMPTION: QBWC asks for the three queries in one message set at that version,
   continueOnError, with requestIDs 0, 1 and 2 (a captured strHCPResponse has HostQueryRs requestID "0" and
   CompanyQueryRs requestID "1"). With the .qwc file's OwnerID, the CompanyQuery asks for that owner's private data
   (the guide: the integration can check "the data extension list for the expected FileID" in that CompanyRet; the
   captured CompanyRet carries a DataExtRet of that OwnerID). The FileID stamp QBWC writes into the company when an
   application is added is not simulated, so the list is empty. ASSUMPTION: when the query fails (QBWC1014), QBWC
   still calls closeConnection.
5. A request is passed to QuickBooks and its response to receiveResponseXML(ticket, response, "", ""); a request
   QuickBooks refuses with an HRESULT gives receiveResponseXML(ticket, "", "0x80040400", QuickBooks' message) (the
   qbwc gem's tests). The answer is the percentage done: 100 ends the loop, 0-99 asks for the next request, a
   negative number calls getLastError.
6. An empty sendRequestXML answer also calls getLastError(ticket): QBWC treats it as an error and asks what went wrong
   (/n software's QBWCServer documentation walks through that sequence: "QuickBooks Web Connector determines the
   empty request as an error"; consolibyte's server returns "" when reporting an error, which "will cause the QBWC
   to call ->getLastError()"). getLastError's answer "NoOp" makes QBWC wait 5 seconds and call sendRequestXML again
   (both sources); "Interactive mode" asks for an interactive session (not simulated: the run ends); any other
   answer is shown as the update's result, and QBWC ends the update with closeConnection. So an empty request is no
   quiet "no more work": the run is not `ok`, whatever getLastError says; an integration with nothing left to do
   answers 100 from receiveResponseXML (or "none" from authenticate).
   ASSUMPTION: closeConnection follows getLastError's answer (the sources show that the update ends, not that call),
   and getLastError's answer ends the update the same way after a negative percentage as after an empty request.
7. closeConnection(ticket): its answer is the message QBWC shows; then QBWC ends its QuickBooks session (a failure
   there is QBWC1015 and changes nothing else).

A web method that fails (cannot be reached, times out, drops the connection, answers a SOAP fault or malformed SOAP)
is logged with its QBWC code (`fakeqb.webconnector.codes.CALL_FAILED`) and the update ends there. ASSUMPTION: after
such a failure QBWC calls nothing more on the integration (closeConnection included); it ends its QuickBooks session.

The log's lines follow QWCLog.txt where real logs show them (the serverVersion, clientVersion and authenticate lines,
the sendRequestXML parameters); the others are written in the same style.

The fake's own fault: `DropCall(method, nth, sent)`, the connection dropping on the nth call of a method, after the
integration received it (its answer is lost) or before.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from fakeqb.com.host import DO_NOT_CARE, Host
from fakeqb.com.processor import RequestProcessor
from fakeqb.webconnector import runlog
from fakeqb.webconnector.codes import CALL_FAILED
from fakeqb.webconnector.qwc import Qwc, QwcError, check_url
from fakeqb.webconnector.runlog import RunSummary
from fakeqb.webconnector.soap import CLOSED, DEFAULT_TIMEOUT, NOT_SENT, Endpoint, SoapCallError

#: The Web Connector's version as it reports it to clientVersion (QBWC 2.3, as in a 2022 log).
QBWC_VERSION = "2.3.0.215"
COUNTRY = "US"
NOOP = "noop"
INTERACTIVE = "interactive mode"
NOOP_PAUSE = 5.0
MAX_CONNECTION_ATTEMPTS = 10
MAX_EXCHANGES = 10_000
LOCAL_QBD = 1
HCP_REQUEST = ('<?xml version="1.0" encoding="utf-8"?><?qbxml version="{version}"?><QBXML>'
               '<QBXMLMsgsRq onError="continueOnError"><HostQueryRq requestID="0"/><CompanyQueryRq requestID="1">'
               '{owner}</CompanyQueryRq><PreferencesQueryRq requestID="2"/></QBXMLMsgsRq></QBXML>')


@dataclass(frozen=True)
class DropCall:
    """The connection drops on the `nth` call of `method` (a QBWC web method name, e.g. "receiveResponseXML").

    `sent=True`: the integration received and handled the call, its answer never came back; `sent=False`: the call
    never reached it.
    """

    method: str
    nth: int = 1
    sent: bool = True


class _StopUpdateError(Exception):
    """The update ends here (the summary already says how)."""


def com_error(err: BaseException) -> tuple[int, str] | None:
    """(HRESULT, text) of an error in pywin32's com_error shape (fakeqb's ComError, or pywin32's own), else None."""
    args: tuple[Any, ...] = tuple(getattr(err, "args", ()))
    if len(args) != 4 or not isinstance(args[0], int):
        return None
    excepinfo = args[2]
    if excepinfo is not None and len(excepinfo) >= 6 and isinstance(excepinfo[5], int):
        return excepinfo[5] & 0xFFFFFFFF, str(excepinfo[2])
    return args[0] & 0xFFFFFFFF, str(args[1])


def _value(values: list[Any], index: int) -> str:
    return str(values[index]) if index < len(values) and values[index] is not None else ""


def _seconds(text: str) -> int | None:
    """authenticate's third and fourth values; ValueError as .NET's Convert.ToInt32 ("Input string was not ...")."""
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError("Input string was not in a correct format.") from None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _highest(versions: Iterable[str]) -> tuple[int, int]:
    numbers = []
    for version in versions:
        major, _, minor = str(version).partition(".")
        if major.isdigit() and (minor or "0").isdigit():
            numbers.append((int(major), int(minor or "0")))
    return max(numbers, default=(13, 0))


class FakeWebConnector:
    """QuickBooks Web Connector for one application: `run()` performs one update against `company`.

    `url`, `username` and `app_name` come from `qwc` (a loaded .qwc file) when it is given and they are not;
    `password` is the one the user types into QBWC; `app_id` and `owner_id` (the .qwc file's AppID and OwnerID) go to
    QuickBooks with the connection and the Host/Company/Preferences query. `timeout` is each SOAP call's, in
    seconds; `noop_pause` the wait after getLastError's "NoOp"; `accept_warnings` is the user's answer to a
    clientVersion "W:" warning; `max_exchanges` bounds the sendRequestXML calls of a run (QBWC has no such bound).
    """

    def __init__(self, url: str | None = None, username: str | None = None, password: str = "", *,
                 company: Host | Callable[[], Any], qwc: Qwc | None = None, app_name: str | None = None,
                 app_id: str | None = None, owner_id: str | None = None, file_mode: int = DO_NOT_CARE,
                 version: str = QBWC_VERSION,
                 timeout: float = DEFAULT_TIMEOUT, noop_pause: float = NOOP_PAUSE, accept_warnings: bool = True,
                 drops: Iterable[DropCall] = (), max_exchanges: int = MAX_EXCHANGES):
        if url is None and qwc is None:
            raise ValueError("give the integration's url, or a .qwc file that has it")
        self.url = url if url is not None else qwc.app_url  # type: ignore[union-attr]
        self.username = username if username is not None else (qwc.user_name if qwc else "")
        self.password = password
        self.app_name = app_name or (qwc.app_name if qwc else "fakeqb Web Connector application")
        self.app_id = app_id if app_id is not None else (qwc.app_id if qwc else "")
        self.owner_id = owner_id if owner_id is not None else (qwc.owner_id if qwc else "")
        self.qwc = qwc
        self.company = company
        self.file_mode, self.version, self.timeout = file_mode, version, timeout
        self.noop_pause, self.accept_warnings, self.max_exchanges = noop_pause, accept_warnings, max_exchanges
        self.drops = list(drops)
        self.sent: list[bytes] = []  # the SOAP envelopes of the last run, in order

    # -- one update -------------------------------------------------------------------------------------------------
    def run(self) -> RunSummary:
        """One update; never raises for what QBWC would log (see the module's docstring)."""
        summary = RunSummary(self.app_name, self.url)
        self._summary, self._counts = summary, Counter[str]()
        self._rp: Any = None
        self._qb_ticket: str | None = None
        summary.write("instantiateWebService", "Initiated connection to the following application.")
        summary.write("instantiateWebService", f"AppName: {self.app_name}")
        summary.write("instantiateWebService", f"AppURL: {self.url}")
        try:
            check_url(self.url, self.app_name)
        except QwcError as exc:
            summary.fail("instantiateWebService", exc.code, "")
            summary.result = f"{exc.code}: {exc.message} ({runlog.NOT_LOADED})"
            return summary
        self._endpoint = Endpoint(self.url, self.timeout)
        try:
            self._update()
        except _StopUpdateError:
            pass
        finally:
            self._disconnect()
            self.sent = list(self._endpoint.sent)
            self._endpoint.close()
        return summary

    def _update(self) -> None:
        s = self._summary
        self._versions()
        ticket, target = self._authenticate()
        self._connect(ticket, target)
        hcp, file_name, major, minor = self._host_company_preferences()
        first, exchanges = True, 0
        while True:
            exchanges += 1
            if exchanges > self.max_exchanges:
                s.write("do_sendRequestXML", f"The fake Web Connector stops after {self.max_exchanges} requests.")
                s.result, s.ok = f"Stopped after {self.max_exchanges} sendRequestXML calls", False
                break
            request = self._call("sendRequestXML", ticket=ticket, strHCPResponse=hcp if first else "",
                                 strCompanyFileName=file_name, qbXMLCountry=COUNTRY, qbXMLMajorVers=major,
                                 qbXMLMinorVers=minor)
            first = False
            request = "" if request is None else str(request)
            s.write("do_sendRequestXML", f'Received from sendRequestXML() following parameter:<strRequestXML="'
                                         f'{_short(request)}">')
            if not request.strip():
                if self._last_error(ticket):
                    continue
                break
            response, hresult, message = self._process(request)
            s.write("do_receiveResponseXML", f'*** Calling receiveResponseXML() with following parameter:<hresult="'
                                             f'{hresult}"><message="{message}">')
            percent = self._call("receiveResponseXML", ticket=ticket, response=response, hresult=hresult,
                                 message=message)
            if not isinstance(percent, int):
                s.fail("do_receiveResponseXML", CALL_FAILED["receiveResponseXML"],
                       "Input string was not in a correct format.")
                raise _StopUpdateError
            s.percent = percent
            s.write("do_receiveResponseXML", f'Received from receiveResponseXML() following parameter:<percentage="'
                                             f'{percent}">')
            if percent < 0:
                if self._last_error(ticket):
                    continue
                break
            if percent >= 100:
                s.result, s.ok = runlog.OK, True
                break
        close = self._call("closeConnection", ticket=ticket)
        s.close_message = "" if close is None else str(close)
        s.write("do_closeConnection", f'Received from closeConnection() following parameter:<closeConnectionRet="'
                                      f'{s.close_message}">')

    # -- the steps ----------------------------------------------------------------------------------------------------
    def _versions(self) -> None:
        s = self._summary
        s.write("do_serverVersion", "*** Calling serverVersion().")
        try:
            answer = self._call("serverVersion", tolerate=True)
            s.server_version = "" if answer is None else str(answer)
            s.write("do_serverVersion", f'Received from serverVersion() following parameter:<serverVersionRet="'
                                        f'{s.server_version}">')
        except SoapCallError as exc:
            s.write("do_serverVersion", f"Actual error received from web service for serverVersion call: <{exc}>. "
                                        "For backward compatibility of all webservers, QBWC will catch all errors "
                                        "under app-not-supporting-serverVersion.")
        s.write("do_clientVersion", f'*** Calling clientVersion() with following parameter:<productVersion="'
                                    f'{self.version}">')
        try:
            answer = self._call("clientVersion", tolerate=True, strVersion=self.version)
        except SoapCallError as exc:
            s.write("do_clientVersion", f"Actual error received from web service for clientVersion call: <{exc}>. "
                                        "For backward compatibility of all webservers, QBWC will catch all errors "
                                        "under app-not-supporting-clientVersion.")
            answer = ""
        s.client_version_answer = "" if answer is None else str(answer)
        text = s.client_version_answer
        s.write("do_clientVersion", f'Received from clientVersion() following parameter:<clientVersionRet="{text}">')
        if not text:
            s.write("do_clientVersion", "This application agrees with the current version of QBWebConnector. "
                                        "Allowing update operation.")
        elif text.startswith("W:"):
            s.write("do_clientVersion", f"Warning from the application: {text[2:]}")
            if not self.accept_warnings:
                s.fail("do_clientVersion", "QBWC1037", text[2:])
                raise _StopUpdateError
            s.write("do_clientVersion", "The user chose to continue the update.")
        elif text.startswith(("E:", "O:")):
            s.fail("do_clientVersion", "QBWC1037", text[2:])
            raise _StopUpdateError
        else:
            s.fail("do_clientVersion", "QBWC1046", text)
            raise _StopUpdateError

    def _authenticate(self) -> tuple[str, str]:
        s = self._summary
        s.write("do_authenticate", f"Authenticating to application '{self.app_name}', username = '{self.username}'")
        answer = self._call("authenticate", strUserName=self.username, strPassword=self.password)
        values = list(answer) if isinstance(answer, list | tuple) else []
        s.write("do_authenticate", "Received from authenticate() following parameters:" + "".join(
            f'<authRet[{i}]="{_value(values, i)}">' for i in range(max(len(values), 4))))
        if len(values) < 2:
            s.fail("do_authenticate", CALL_FAILED["authenticate"], "Index was outside the bounds of the array.")
            raise _StopUpdateError
        ticket, status = _value(values, 0), _value(values, 1)
        s.ticket = ticket
        try:
            s.wait_seconds, s.run_every_seconds = _seconds(_value(values, 2)), _seconds(_value(values, 3))
        except ValueError as exc:
            s.fail("do_authenticate", CALL_FAILED["authenticate"], str(exc))
            raise _StopUpdateError from None
        keyword = status.strip().lower()
        if keyword == "nvu":
            s.fail("do_authenticate", "QBWC1040")
            raise _StopUpdateError
        for outcome, applies in ((runlog.POSTPONED, bool(s.wait_seconds and s.wait_seconds > 0)),
                                 (runlog.BUSY, keyword == "busy"), (runlog.NO_WORK, keyword == "none")):
            if applies:
                s.write("do_authenticate", outcome)
                s.result, s.ok = outcome, True
                raise _StopUpdateError
        return ticket, status

    def _connect(self, ticket: str, target: str) -> None:
        s = self._summary
        for _attempt in range(MAX_CONNECTION_ATTEMPTS):
            s.write("OpenConnection", f"Opening connection to QuickBooks; company file: '{target or '(the open one)'}'")
            failure = self._begin(target)
            if failure is None:
                s.write("OpenConnection", "Connection to QuickBooks opened; session begun.")
                return
            hresult, message = f"0x{failure[0]:08X}", failure[1]
            s.write("OpenConnection", f"QuickBooks answered {hresult}: {message}", "QBWC1013")
            s.result, s.ok = f"QBWC1013: {message}", False
            s.write("do_connectionError", f'*** Calling connectionError() with following parameters:<hresult="'
                                          f'{hresult}"><message="{message}">')
            answer = self._call("connectionError", ticket=ticket, hresult=hresult, message=message)
            answer = "" if answer is None else str(answer)
            s.write("do_connectionError", f'Received from connectionError() following parameter:'
                                          f'<connectionErrorRet="{answer}">')
            if answer.strip().lower() == "done":
                raise _StopUpdateError
            target = answer
        s.write("OpenConnection", f"The fake Web Connector stops after {MAX_CONNECTION_ATTEMPTS} connection attempts.")
        raise _StopUpdateError

    def _begin(self, target: str) -> tuple[int, str] | None:
        """Connect and begin a session on `target`; QuickBooks' (HRESULT, message) if it refuses."""
        self._disconnect()
        rp = RequestProcessor(self.company) if isinstance(self.company, Host) else self.company()
        self._rp = rp
        try:
            rp.OpenConnection2(self.app_id, self.app_name, LOCAL_QBD)
        except Exception as exc:
            self._rp = None
            return self._refusal(exc)
        try:
            self._qb_ticket = rp.BeginSession(target, self.file_mode)
        except Exception as exc:
            refusal = self._refusal(exc)
            self._disconnect()
            return refusal
        return None

    @staticmethod
    def _refusal(exc: Exception) -> tuple[int, str]:
        found = com_error(exc)
        if found is None:
            raise exc
        return found

    def _host_company_preferences(self) -> tuple[str, str, int, int]:
        """strHCPResponse, the company file's name and the highest qbXML version, from QuickBooks."""
        s, rp, qb_ticket = self._summary, self._rp, self._qb_ticket
        try:
            major, minor = _highest(rp.QBXMLVersionsForSession(qb_ticket))
            owner = f"<OwnerID>{escape(self.owner_id)}</OwnerID>" if self.owner_id else ""
            hcp = rp.ProcessRequest(qb_ticket, HCP_REQUEST.format(version=f"{major}.{minor}", owner=owner))
            file_name = rp.GetCurrentCompanyFileName(qb_ticket)
        except Exception as exc:
            found = com_error(exc)
            if found is None:
                raise
            s.fail("SendRequestXML", "QBWC1014", found[1])
            self._call_quietly_close()
            raise _StopUpdateError from None
        s.company_file = str(file_name)
        s.write("do_sendRequestXML", f'cfn="{file_name}" qbNationality="{COUNTRY}" qbXMLMajorVers="{major}" '
                                     f'qbXMLMinorVers="{minor}"')
        return str(hcp), str(file_name), major, minor

    def _call_quietly_close(self) -> None:
        """closeConnection after QBWC1014. ASSUMPTION: QBWC ends the job by closing the integration's session."""
        ticket = self._summary.ticket or ""
        try:
            answer = self._call("closeConnection", tolerate=True, ticket=ticket)
            self._summary.close_message = "" if answer is None else str(answer)
        except SoapCallError as exc:
            self._summary.write("do_closeConnection", str(exc), CALL_FAILED["closeConnection"])

    def _process(self, request: str) -> tuple[str, str, str]:
        """QuickBooks' answer to `request`: (response, "", "") or ("", HRESULT, message)."""
        self._summary.requests += 1
        try:
            return str(self._rp.ProcessRequest(self._qb_ticket, request)), "", ""
        except Exception as exc:
            found = com_error(exc)
            if found is None:
                raise
            return "", f"0x{found[0]:08X}", found[1]

    def _last_error(self, ticket: str) -> bool:
        """getLastError: True to ask for the next request (NoOp, after the pause), False when the update ends."""
        s = self._summary
        answer = self._call("getLastError", ticket=ticket)
        answer = "" if answer is None else str(answer)
        s.write("do_getLastError", f'Received from getLastError() following parameter:<getLastErrorRet="{answer}">')
        if answer.strip().lower() == NOOP:
            s.write("do_getLastError", f"NoOp: waiting {self.noop_pause:g} seconds before asking for a request.")
            time.sleep(self.noop_pause)
            return True
        if answer.strip().lower() == INTERACTIVE:
            s.write("do_getLastError", "Interactive mode was asked for; the fake Web Connector does not simulate it.")
            s.result, s.ok, s.last_error = "Interactive mode (not simulated)", False, answer
            return False
        s.last_error = answer
        s.result, s.ok = answer or "Error (getLastError gave no message)", False
        return False

    # -- calls --------------------------------------------------------------------------------------------------------
    def _call(self, method: str, tolerate: bool = False, **values: Any) -> Any:
        """One call to the integration; a failure is logged with its code and stops the update (SoapCallError is
        raised instead when `tolerate`)."""
        self._summary.calls.append(method)
        self._counts[method] += 1
        try:
            drop = next((d for d in self.drops if d.method == method and d.nth == self._counts[method]), None)
            if drop is not None:
                if drop.sent:
                    with contextlib.suppress(SoapCallError):
                        self._endpoint.call(method, **values)
                raise SoapCallError(CLOSED if drop.sent else NOT_SENT)
            return self._endpoint.call(method, **values)
        except SoapCallError as exc:
            if tolerate:
                raise
            self._summary.fail(f"do_{method}", CALL_FAILED[method], str(exc))
            raise _StopUpdateError from None

    def _disconnect(self) -> None:
        """End the QuickBooks session and connection, if any (QBWC1015 if QuickBooks refuses)."""
        rp, ticket = self._rp, self._qb_ticket
        self._rp, self._qb_ticket = None, None
        if rp is None:
            return
        for step in ((lambda: rp.EndSession(ticket)) if ticket is not None else None, rp.CloseConnection):
            if step is None:
                continue
            try:
                step()
            except Exception as exc:
                found = com_error(exc)
                if found is None:
                    raise
                self._summary.write("DisconnectFromQB", f"0x{found[0]:08X}: {found[1]}", "QBWC1015")
