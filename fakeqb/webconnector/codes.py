"""The QBWCnnnn codes QuickBooks Web Connector writes to its log (QWCLog.txt), with its texts.

Codes and texts are those of Intuit's QBWC Programmer's Guide, Appendix A "Understanding and Responding to QBWC Error
Codes" (2022 edition); `<...>` there is `{detail}` or `{app}` here. What raises each one is the appendix's description
unless marked ASSUMPTION. Reports quoting QBWC's own dialogs show the layout: "QBWC1012: Authentication failed due to
following error message." then the .NET exception's text on the next line; "QBWC1042: ReceiveResponseXML failed" then
"Error message: Response is not well-formed XML. ...".

Simulated by the fake Web Connector:

    QBWC1000  loading a .qwc: AppURL and AppSupport are on different domains
    QBWC1001  loading a .qwc: AppURL is an IP address
    QBWC1002  loading a .qwc: AppSupport is an IP address
    QBWC1010  loading a .qwc: AppURL is http:// on a host other than localhost
    QBWC1039  loading a .qwc: a required element is missing (or the file is not a QWC document)
    QBWC1012  authenticate() failed: the endpoint cannot be reached, times out, drops the connection, answers
              malformed SOAP or a SOAP fault, or returns fewer than two strings ("Index was outside the bounds of the
              array.", as a reported QBWC1012 quotes it)
    QBWC1040  authenticate() answered "nvu". ASSUMPTION: the appendix says only "Web connector did not provide a
              valid username and/or password"; a deployment note reports QBWC1040 for a wrong password.
    QBWC1037  clientVersion() answered "E:<text>" (or "O:<version>"), or "W:<text>" that the user declined
    QBWC1046  clientVersion() answered something else that is not empty
    QBWC1013  connecting to QuickBooks failed; connectionError() is called with QuickBooks' HRESULT and message
    QBWC1045  connectionError() failed
    QBWC1014  the Host/Company/Preferences query failed (the first sendRequestXML() cannot be sent)
    QBWC1015  ending the session with QuickBooks (EndSession, CloseConnection) failed; the run's result stands
    QBWC1041  sendRequestXML() failed
    QBWC1042  receiveResponseXML() failed, or returned something that is not a number
    QBWC1043  getLastError() failed
    QBWC1044  closeConnection() failed

Not simulated: 1003/1004 (QBWC fetches the AppSupport page when loading an application; the fake does not), 1005,
1006 and 1033 (QBWC's own log file), 1007-1009 and 1022-1027 (adding an application to a company file: the FileID
stamp, QBWC's retry dialogs), 1011, 1016-1020, 1030-1032 and 1038 (its window, registry, scheduler and password
store), 1021 (QBXMLRP2's version), 1028/1029 (password encryption), 1034 (AuthFlags), 1035 (resolving localhost),
1036 (an exception inside clientVersion(): see `fakeqb.webconnector.connector` for why such errors are only logged),
1048 (certificates). QBWC1085 is not in the appendix: Intuit's support articles describe it as the Web Connector
failing to write its log file and going on without it, a problem of the user's machine that no integration sees.
"""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "QBWC1000": "The domain names for {app}'s service and support URLs do not match.",
    "QBWC1001": "The application {app}'s service URL is an IP Address, it will not be loaded.",
    "QBWC1002": "The application {app}'s support URL is an IP Address, it will not be loaded.",
    "QBWC1010": "Application {app} cannot be loaded. For security reasons only SSL (https) based applications are "
                "allowed.",
    "QBWC1012": "Authentication failed due to following error message.\n{detail}",
    "QBWC1013": "Error connecting to QuickBooks. Returning error message to application.\n{detail}",
    "QBWC1014": "Could not get Host/Company/Preference Query response from QuickBooks. Job ending.\n{detail}",
    "QBWC1015": "{detail}",
    "QBWC1037": "Application sent following error or warning message when checking version of QB web connector. "
                "Update aborted.\n{detail}",
    "QBWC1039": "There was a problem adding the application to registry. Check QWCLog.txt for details.\n{detail}",
    "QBWC1040": "Web connector did not provide a valid username and/or password.",
    "QBWC1041": "SendRequestXML failed\nError message: {detail}",
    "QBWC1042": "ReceiveResponseXML failed\nError message: {detail}",
    "QBWC1043": "getLastError failed\nError message: {detail}",
    "QBWC1044": "CloseConnection failed\nError message: {detail}",
    "QBWC1045": "ConnectionError failed\nError message: {detail}",
    "QBWC1046": "Application sent incorrect syntax return value for clientVersion(). Error message: {detail}. "
                "Update cannot continue.",
}

#: The code QBWC logs when a call to the integration's web method fails (throws, times out, answers malformed SOAP).
CALL_FAILED: dict[str, str] = {
    "authenticate": "QBWC1012",
    "sendRequestXML": "QBWC1041",
    "receiveResponseXML": "QBWC1042",
    "getLastError": "QBWC1043",
    "closeConnection": "QBWC1044",
    "connectionError": "QBWC1045",
}


def text(code: str, detail: str = "", app: str = "") -> str:
    """The message QBWC writes with `code`."""
    return TEXTS[code].format(detail=detail, app=app)
