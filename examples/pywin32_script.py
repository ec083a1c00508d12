"""List the vendors of the company file open in QuickBooks: a plain pywin32 script, written for Windows.

On Windows, with QuickBooks running and pywin32 installed: `python pywin32_script.py`. On any OS, unchanged, under
fakeqb's drop-in for Dispatch (tests/test_examples.py does this):

    with fakeqb.mock_qbxmlrp2() as qb:
        qb.seed(seed=7, vendors=5)
        runpy.run_path("examples/pywin32_script.py", run_name="__main__")
"""

import sys
from xml.etree import ElementTree

import pywintypes
import win32com.client

VENDOR_QUERY = """<?xml version="1.0"?><?qbxml version="13.0"?>
<QBXML><QBXMLMsgsRq onError="stopOnError"><VendorQueryRq><ActiveStatus>All</ActiveStatus></VendorQueryRq></QBXMLMsgsRq>
</QBXML>"""


def vendor_names() -> list[str]:
    rp = win32com.client.Dispatch("QBXMLRP2.RequestProcessor")
    rp.OpenConnection2("", "Vendor Lister", 1)  # 1: QuickBooks on this machine
    try:
        ticket = rp.BeginSession("", 2)  # the company file open now, in whichever mode it is open
        try:
            response = rp.ProcessRequest(ticket, VENDOR_QUERY)
        finally:
            rp.EndSession(ticket)
    finally:
        rp.CloseConnection()
    return [ret.findtext("Name") or "" for ret in ElementTree.fromstring(response).iter("VendorRet")]


def main() -> int:
    try:
        names = vendor_names()
    except pywintypes.com_error as err:
        print(f"QuickBooks: {err.excepinfo[2] if err.excepinfo else err.strerror}", file=sys.stderr)
        return 1
    for name in names:
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
