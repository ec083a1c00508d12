"""The .qwc file an integration gives its users: what the Web Connector needs to call it.

    <QBWCXML>
      <AppName>My Integration</AppName>          <AppID></AppID>
      <AppURL>https://example.com/qbwc</AppURL>  <AppSupport>https://example.com/support</AppSupport>
      <AppDescription>...</AppDescription>       <UserName>acme</UserName>
      <OwnerID>{GUID}</OwnerID>                  <FileID>{GUID}</FileID>
      <QBType>QBFS</QBType>                      <Scheduler><RunEveryNMinutes>30</RunEveryNMinutes></Scheduler>
      <IsReadOnly>false</IsReadOnly>
    </QBWCXML>

`parse_qwc` reads one safely (no DTD, no entities, no network, at most 1 MiB) and checks it as QBWC does when it loads
an application, raising `QwcError` with QBWC's code: QBWC1039 (not a QWC document, or a required element missing or
empty), QBWC1001/QBWC1002 (AppURL/AppSupport is an IP address), QBWC1010 (http:// anywhere but localhost), QBWC1000
(AppURL and AppSupport on different domains). `check_url` applies the AppURL rules to a URL given without a file.

ASSUMPTION: the required elements are AppName, AppURL, AppSupport, UserName, OwnerID, FileID and QBType (the
guide's sample file has them all; AppID may be empty); the checks run in the order above; "the same domain name" means
the last two labels of the host names are equal.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from fakeqb.webconnector import codes

MAX_BYTES = 1 << 20
REQUIRED = ("AppName", "AppURL", "AppSupport", "UserName", "OwnerID", "FileID", "QBType")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class QwcError(ValueError):
    """A .qwc file QBWC would not load; `code` is the QBWC code it reports."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True)
class Qwc:
    """A loaded .qwc file; `elements` holds every top-level element's text, the ones named here included."""

    app_name: str
    app_url: str
    app_support: str
    user_name: str
    owner_id: str
    file_id: str
    qb_type: str = "QBFS"
    app_id: str = ""
    app_description: str = ""
    run_every_minutes: int | None = None
    run_every_seconds: int | None = None
    is_read_only: bool = False
    elements: dict[str, str] = field(default_factory=dict)


def _fail(code: str, app: str, detail: str = "") -> QwcError:
    return QwcError(code, codes.text(code, detail, app))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_url(url: str, app: str) -> None:
    """QBWC's rules for an AppURL: an absolute http(s) URL on a host name, https unless the host is localhost."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail("QBWC1039", app, f"AppURL is not an http(s) URL: {url!r}")
    if _is_ip(parts.hostname):
        raise _fail("QBWC1001", app)
    if parts.scheme == "http" and parts.hostname.lower() != "localhost":
        raise _fail("QBWC1010", app)


def _number(value: str | None, name: str, app: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise _fail("QBWC1039", app, f"{name} is not a whole number: {value!r}") from None


def parse_qwc(data: str | bytes) -> Qwc:
    """A checked `Qwc` from the file's contents; `QwcError` with QBWC's code if QBWC would not load it."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise _fail("QBWC1039", "", f"the file is larger than {MAX_BYTES} bytes")
    try:
        tree = etree.fromstring(raw, _PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        raise _fail("QBWC1039", "", f"not well-formed XML: {exc}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _fail("QBWC1039", "", "DOCTYPE declarations are not accepted")
    root = tree.getroot()
    if root.tag != "QBWCXML":
        raise _fail("QBWC1039", "", f"the root element is <{root.tag}>, not <QBWCXML>")
    elements = {child.tag: (child.text or "").strip() for child in root if isinstance(child.tag, str)}
    app = elements.get("AppName", "")
    missing = [name for name in REQUIRED if not elements.get(name)]
    if missing:
        raise _fail("QBWC1039", app, f"missing or empty: {', '.join(missing)}")
    url, support = elements["AppURL"], elements["AppSupport"]
    check_url(url, app)
    if _is_ip(_host(support)):
        raise _fail("QBWC1002", app)
    if _host(url).split(".")[-2:] != _host(support).split(".")[-2:]:
        raise _fail("QBWC1000", app)
    return Qwc(
        app_name=app, app_url=url, app_support=support, user_name=elements["UserName"],
        owner_id=elements["OwnerID"], file_id=elements["FileID"], qb_type=elements["QBType"],
        app_id=elements.get("AppID", ""), app_description=elements.get("AppDescription", ""),
        run_every_minutes=_number(root.findtext("Scheduler/RunEveryNMinutes"), "RunEveryNMinutes", app),
        run_every_seconds=_number(root.findtext("Scheduler/RunEveryNSeconds"), "RunEveryNSeconds", app),
        is_read_only=elements.get("IsReadOnly", "").lower() == "true",
        elements=elements,
    )


def load_qwc(path: str | Path) -> Qwc:
    """`parse_qwc` of the file at `path`."""
    with open(path, "rb") as handle:
        return parse_qwc(handle.read(MAX_BYTES + 1))
