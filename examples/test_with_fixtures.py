"""A test module of another project, using fakeqb's pytest plugin: nothing to import from fakeqb, only fixtures."""

import json
import urllib.error
import urllib.request
from xml.etree import ElementTree

import pytest

CUSTOMER_ADD = """<?xml version="1.0"?><?qbxml version="13.0"?>
<QBXML><QBXMLMsgsRq onError="stopOnError">
  <CustomerAddRq><CustomerAdd><Name>Harbor Office Supply</Name></CustomerAdd></CustomerAddRq>
</QBXMLMsgsRq></QBXML>"""


def status_of(response: str) -> str:
    return ElementTree.fromstring(response).find("QBXMLMsgsRs/*").get("statusCode")


def test_a_customer_is_added_once(qb_request_processor, qb_company):
    rp = qb_request_processor
    rp.OpenConnection2("", "My App", 1)
    ticket = rp.BeginSession("", 2)
    assert status_of(rp.ProcessRequest(ticket, CUSTOMER_ADD)) == "0"
    assert status_of(rp.ProcessRequest(ticket, CUSTOMER_ADD)) == "3100"  # the name is taken now
    rp.EndSession(ticket)
    rp.CloseConnection()
    assert [entry.app_name for entry in qb_company.control.log()] == ["My App", "My App"]


@pytest.mark.qb_seed(7, vendors=4)
@pytest.mark.qb_clock("2024-06-30T17:00:00")
def test_windows_code_unchanged(qb_mock_qbxmlrp2):
    import pywintypes
    import win32com.client

    rp = win32com.client.Dispatch("QBXMLRP2.RequestProcessor")
    rp.OpenConnection2("", "My App", 1)
    with pytest.raises(pywintypes.com_error) as refused:
        rp.ProcessRequest("not a ticket", CUSTOMER_ADD)
    assert refused.value.excepinfo[5] & 0xFFFFFFFF == 0x8004040D  # the ticket parameter is invalid
    assert qb_mock_qbxmlrp2.clock.now().isoformat() == "2024-06-30T17:00:00-04:00"


def test_quickbooks_not_running_over_http(qb_server, qb_company):
    qb_company.control.add_fault("hresult", method="OpenConnection", hresult=0x80040408)  # for the next call
    call = urllib.request.Request(f"{qb_server}/qbxmlrp2/my-app/OpenConnection2", method="POST",
                                  data=json.dumps({"args": ["", "My App", 1]}).encode())
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(call)
    assert refused.value.code == 400
    assert json.load(refused.value)["error"]["excepinfo"][2] == "Could not start QuickBooks."
