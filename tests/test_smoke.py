from tests.support import Client


def test_vendor_add_then_query(client: Client) -> None:
    rs = client.one("<VendorAddRq><VendorAdd><Name>Acme</Name></VendorAdd></VendorAddRq>")
    assert rs.get("statusCode") == "0"
    rs = client.one("<VendorQueryRq><FullName>acme</FullName></VendorQueryRq>")
    assert rs.findtext("VendorRet/Name") == "Acme"
