"""qbXML versions: each request is read, and each response written, as the version the request names has it.

A field or request introduced in a later version is unknown to an older one: QuickBooks refuses it as a parse error
(HRESULT 0x80040400), and leaves it out of the responses to requests of the older version.
"""

from __future__ import annotations

import pytest

from fakeqb import ComError
from fakeqb.qbxml.envelope import SUPPORTED_VERSIONS
from tests.support import Client, assert_valid

PARSE_ERROR = -2147220480  # 0x80040400, as pywin32 reports it

CLASS = "<ClassAddRq><ClassAdd><Name>Retail</Name></ClassAdd></ClassAddRq>"
RICH_VENDOR = ("<VendorAddRq><VendorAdd><Name>Acme</Name><ClassRef><FullName>Retail</FullName></ClassRef>"
               "<Notes>Net 30</Notes><ExternalGUID>{6B063959-81B0-4A2E-9E3F-2B5C8A4A1D01}</ExternalGUID>"
               "</VendorAdd></VendorAddRq>")


def refused(client: Client, body: str, version: str) -> None:
    with pytest.raises(ComError) as info:
        client.raw(body, version)
    assert info.value.excepinfo is not None and info.value.excepinfo[5] == PARSE_ERROR


@pytest.mark.parametrize(("field", "body", "before", "since"), [
    ("ClassRef (12.0)", "<Name>A</Name><ClassRef><FullName>Retail</FullName></ClassRef>", "11.0", "12.0"),
    ("Notes (3.0)", "<Name>A</Name><Notes>n</Notes>", "2.1", "3.0"),
    ("ExternalGUID (8.0)", "<Name>A</Name><ExternalGUID>{6B063959-81B0-4A2E-9E3F-2B5C8A4A1D01}</ExternalGUID>",
     "7.0", "8.0"),
])
def test_a_field_is_unknown_before_its_version(client: Client, field: str, body: str, before: str,
                                               since: str) -> None:
    client.one(CLASS)
    request = f"<VendorAddRq><VendorAdd>{body}</VendorAdd></VendorAddRq>"
    refused(client, request, before)
    assert client.one(request, since).get("statusCode") == "0"


def test_a_request_type_is_unknown_before_its_version(client: Client) -> None:
    request = "<ListDeletedQueryRq><ListDelType>Vendor</ListDelType></ListDeletedQueryRq>"
    refused(client, request, "1.0")
    assert client.one(request, "2.0").get("statusCode") == "1"


def test_supervisor_is_a_13_0_field(client: Client) -> None:
    client.one("<EmployeeAddRq><EmployeeAdd><FirstName>Sam</FirstName><LastName>Boss</LastName></EmployeeAdd>"
               "</EmployeeAddRq>")
    request = ("<EmployeeAddRq><EmployeeAdd><FirstName>Pat</FirstName><LastName>Lee</LastName>"
               "<SupervisorRef><FullName>Sam Boss</FullName></SupervisorRef></EmployeeAdd></EmployeeAddRq>")
    refused(client, request, "12.0")
    rs = client.one(request, "13.0")
    assert rs.findtext("EmployeeRet/SupervisorRef/FullName") == "Sam Boss"


@pytest.mark.parametrize(("version", "present", "absent"), [
    ("2.0", ["Name"], ["ClassRef", "ExternalGUID"]),
    ("8.0", ["ExternalGUID"], ["ClassRef"]),
    ("13.0", ["ExternalGUID", "ClassRef"], []),
])
def test_responses_hold_only_what_the_version_knows(client: Client, version: str, present: list[str],
                                                    absent: list[str]) -> None:
    client.one(CLASS)
    assert client.one(RICH_VENDOR).get("statusCode") == "0"
    response = client.raw("<VendorQueryRq><FullName>Acme</FullName></VendorQueryRq>", version)
    ret = assert_valid(response, version).find("QBXMLMsgsRs/VendorQueryRs/VendorRet")
    assert ret is not None
    assert [f for f in present if ret.find(f) is None] == []
    assert [f for f in absent if ret.find(f) is not None] == []


def test_every_us_desktop_version_is_answered(client: Client) -> None:
    assert "9.0" in SUPPORTED_VERSIONS and "6.1" not in SUPPORTED_VERSIONS
    for version in SUPPORTED_VERSIONS:
        assert client.one("<HostQueryRq/>", version).get("statusCode") == "0", version
