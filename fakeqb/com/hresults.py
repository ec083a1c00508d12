"""The HRESULTs QBXMLRP2 raises, and the exception shape pywin32 gives them.

Texts are QBXMLRP2.dll's own (its string table). pywin32 raises `com_error(hresult, text, excepinfo, argerror)` where
`hresult` is DISP_E_EXCEPTION, `excepinfo[2]` the QuickBooks description and `excepinfo[5]` the QuickBooks HRESULT
as a signed 32-bit int. `ComError` has exactly that shape, so code written against the real COM object handles it.
"""

from __future__ import annotations

PARSE_ERROR = 0x80040400
UNEXPECTED = 0x80040402
COULD_NOT_OPEN_FILE = 0x80040403
COULD_NOT_START = 0x80040408
DIFFERENT_FILE_OPEN = 0x8004040A
NO_SESSION = 0x8004040C
INVALID_TICKET = 0x8004040D
NOT_CONNECTED = 0x8004040F
FILE_MODE_MISMATCH = 0x80040410
SESSION_ALREADY_BEGUN = 0x80040411
ALREADY_CONNECTED = 0x80040412
ROLLBACK_NOT_SUPPORTED = 0x80040413
APP_NAME_REQUIRED = 0x80040415
NEVER_AUTHORIZED = 0x80040418
PERMISSION_DENIED = 0x8004041A
SINGLE_USER_CONFLICT = 0x80040422
VERSION_NOT_SUPPORTED = 0x80040423
INVALID_PARAMETER = 0x80040425
WRONG_API = 0x80040429
CONNECTION_TYPE_NOT_FOUND = 0x8004042F
#: Not QBXMLRP2's own: the RPC layer's "call failed" when the connection to the server breaks mid-call. pywin32
#: raises it with the HRESULT itself first and no excepinfo: `com_error(-2147023170, text, None, None)`.
#: ASSUMPTION: this is what a caller sees when QuickBooks goes away during a call (QuickBooks crashing or being
#: killed mid-request has not been observed); whether the request was committed is unknown to the caller.
RPC_S_CALL_FAILED = 0x800706BE
#: ASSUMPTION: QuickBooks is not there at all (the call never reached it): the RPC layer's "server unavailable".
RPC_S_SERVER_UNAVAILABLE = 0x800706BA
RPC_MESSAGES: dict[int, str] = {RPC_S_CALL_FAILED: "The remote procedure call failed.",
                                RPC_S_SERVER_UNAVAILABLE: "The RPC server is unavailable."}
#: COM's own dispatch errors (IDispatch::Invoke), raised like the RPC ones; texts are Windows' system messages.
DISP_E_MEMBERNOTFOUND = 0x80020003
DISP_E_UNKNOWNNAME = 0x80020006
DISP_E_BADPARAMCOUNT = 0x8002000E
E_INVALIDARG = 0x80070057
DISPATCH_MESSAGES: dict[int, str] = {DISP_E_MEMBERNOTFOUND: "Member not found.", DISP_E_UNKNOWNNAME: "Unknown name.",
                                     DISP_E_BADPARAMCOUNT: "Invalid number of parameters.",
                                     E_INVALIDARG: "The parameter is incorrect."}

MESSAGES: dict[int, str] = {
    PARSE_ERROR: "QuickBooks found an error when parsing the provided XML text stream.",
    0x80040401: "Could not access QuickBooks.",
    UNEXPECTED: 'Unexpected error. Check the "qbsdklog.txt" file for possible additional information.',
    COULD_NOT_OPEN_FILE: "Could not open the specified QuickBooks company data file.",
    COULD_NOT_START: "Could not start QuickBooks.",
    DIFFERENT_FILE_OPEN: "A QuickBooks company data file is already open and it is different from the one requested "
                         "or there are multiple company files open.",
    NO_SESSION: 'The "BeginSession" method has not been called or it did not succeed.',
    INVALID_TICKET: "The ticket parameter is invalid.",
    NOT_CONNECTED: 'The "OpenConnection" method has not been called.',
    FILE_MODE_MISMATCH: "The QuickBooks company data file is currently open in a mode other than the one specified "
                        "by your application.",
    SESSION_ALREADY_BEGUN: 'Before calling the "BeginSession" method, you must call the "EndSession" method to '
                           "terminate the current session.",
    ALREADY_CONNECTED: 'You cannot make multiple successive calls to the "OpenConnection" method. Call '
                       '"CloseConnection" before calling "OpenConnection" again.',
    ROLLBACK_NOT_SUPPORTED: 'QuickBooks does not support the "rollbackOnError" value of the "onError" attribute.',
    0x80040414: "A modal dialog box is showing in the QuickBooks user interface. Your application cannot access "
                "QuickBooks until the user dismisses the dialog box.",
    APP_NAME_REQUIRED: 'A call to the "OpenConnection" method must include the name of your application.',
    NEVER_AUTHORIZED: "This application has not accessed this QuickBooks company data file before. The QuickBooks "
                      "administrator must grant an application permission to access a QuickBooks company data file "
                      "for the first time.",
    PERMISSION_DENIED: "This application does not have permission to access this QuickBooks company data file. The "
                       "QuickBooks administrator can grant access permission through the Integrated Application "
                       "preferences.",
    0x8004041C: "An internal QuickBooks error occurred while trying to access the QuickBooks company data file.",
    0x80040420: "The QuickBooks user has denied access.",
    0x80040424: "QuickBooks did not finish its initialization. Please try again later.",
    0x8004041B: "Unable to lock the necessary information to allow this application to access this QuickBooks "
                "company data file.  Try again later.",
    SINGLE_USER_CONFLICT: "This application requires Single User file access mode and there is already another "
                          "application sharing data with this QuickBooks company data file.",
    VERSION_NOT_SUPPORTED: "The version of QBXML that was requested is not supported or is unknown.",
    INVALID_PARAMETER: "Invalid parameter.",
    WRONG_API: "The message set requested cannot be processed through the API that was called.",
    CONNECTION_TYPE_NOT_FOUND: "The requested connection type could not be found.",
}

DISP_E_EXCEPTION = -2147352567
SOURCE = "QBXMLRP2.RequestProcessor.2"


def signed(hresult: int) -> int:
    """An HRESULT as the signed 32-bit int pywin32 reports (0x80040408 -> -2147220472)."""
    return hresult - (1 << 32) if hresult & 0x80000000 else hresult


class ComError(Exception):
    """An error raised by the request processor, shaped like pywin32's `pywintypes.com_error`."""

    def __init__(self, hresult: int, text: str, excepinfo: tuple | None, argerror: int | None = None):
        super().__init__(hresult, text, excepinfo, argerror)
        self.hresult, self.strerror, self.excepinfo, self.argerror = hresult, text, excepinfo, argerror

    @classmethod
    def qb(cls, qb_hresult: int, description: str | None = None) -> ComError:
        """The exception QBXMLRP2 raises for `qb_hresult` (unsigned, e.g. 0x80040408)."""
        text = description if description is not None else MESSAGES[qb_hresult]
        return cls(DISP_E_EXCEPTION, "Exception occurred.", (0, SOURCE, text, None, 0, signed(qb_hresult)), None)

    @classmethod
    def rpc(cls, hresult: int = RPC_S_CALL_FAILED) -> ComError:
        """The exception pywin32 raises when the COM call itself fails (e.g. the connection broke)."""
        return cls(signed(hresult), RPC_MESSAGES.get(hresult, "Exception occurred."), None, None)

    @property
    def qb_hresult(self) -> int:
        """The QuickBooks HRESULT, unsigned (0x80040400 ...); for an RPC failure, the call's own HRESULT."""
        if self.excepinfo is None:
            return self.hresult & 0xFFFFFFFF
        return self.excepinfo[5] & 0xFFFFFFFF

    @property
    def description(self) -> str:
        return str(self.excepinfo[2]) if self.excepinfo is not None else str(self.strerror)

    def __str__(self) -> str:
        return f"{self.description} (HRESULT 0x{self.qb_hresult:08X})"
