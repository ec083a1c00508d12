"""The control plane over HTTP (the blueprint, through Flask's test client and a real server), its Python client,
and `fakeqb control` on the command line."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import flask
import pytest
from werkzeug.serving import make_server

from fakeqb import ComError, FakeQuickBooks
from fakeqb.cli import main
from fakeqb.control.api import ControlError, NotFoundError
from fakeqb.control.client import RemoteControl
from fakeqb.control.http import control_blueprint
from tests.support import Client
from tests.test_processor import connected, raises, vendor_add

pytestmark = pytest.mark.control_plane
TOKEN = "test-control-token-0123456789"


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    """RemoteControl and `fakeqb control --url` take the token from the environment."""
    monkeypatch.setenv("FAKEQB_CONTROL_TOKEN", TOKEN)


def make_app(qb: FakeQuickBooks) -> flask.Flask:
    app = flask.Flask(__name__)
    app.register_blueprint(control_blueprint(qb, TOKEN))
    return app


@pytest.fixture
def http(qb: FakeQuickBooks) -> Any:
    client = make_app(qb).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture
def server(qb: FakeQuickBooks) -> Iterator[str]:
    """A real HTTP server on a free local port serving the blueprint; yields its URL."""
    httpd = make_server("127.0.0.1", 0, make_app(qb), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(5)


# -- the guard ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Bearer wrong-token-0123456789"}, 401),
    ({"Authorization": TOKEN}, 401),
    ({"Authorization": f"Bearer {TOKEN}", "Origin": "http://evil.example"}, 403),
    ({"Authorization": f"Bearer {TOKEN}", "Host": "evil.example:8765"}, 403),
    ({"Authorization": f"Bearer {TOKEN}", "Origin": "http://localhost:8765"}, 200),
    ({"Authorization": f"Bearer {TOKEN}", "Host": "[::1]:8765"}, 200),
], ids=["no-token", "wrong-token", "not-bearer", "other-origin", "other-host", "own-origin", "ipv6-loopback"])
def test_every_call_needs_the_token_and_to_name_this_server(qb: FakeQuickBooks, headers: dict[str, str],
                                                             status: int) -> None:
    client = make_app(qb).test_client()
    for method, path in (("post", "/control/reset"), ("get", "/control/status"), ("post", "/control/clock/resume")):
        rs = getattr(client, method)(path, headers=headers, data="{}", content_type="text/plain")
        assert rs.status_code == status, (method, path, rs.get_json())
        if status != 200:
            assert "error" in rs.get_json()


def test_a_page_the_user_opens_cannot_reset_the_company(qb: FakeQuickBooks, server: str) -> None:
    """A text/plain POST needs no preflight: a web page could send it; without the token it is refused."""
    import urllib.error
    import urllib.request

    qb.control.seed(2, vendors=1)
    request = urllib.request.Request(f"{server}/control/reset", data=b"{}", method="POST",
                                     headers={"Content-Type": "text/plain", "Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 403
    assert qb.control.status()["log_entries"] == 0 and qb.control.apps() == []
    assert len(Client(qb.request_processor()).one("<VendorQueryRq/>")) == 1  # the company is still there
    with pytest.raises(ControlError, match="control token"):
        RemoteControl(server, token="not-the-token-at-all").status()


def test_a_revoked_app_is_refused_in_the_session_it_has_open(qb: FakeQuickBooks) -> None:
    client = Client(qb.request_processor(), app="Sync Tool")
    client.one("<VendorQueryRq/>")
    qb.control.revoke_app("Sync Tool")
    raises(0x8004041A, lambda: client.raw("<VendorQueryRq/>"))
    raises(0x8004040D, lambda: client.raw("<VendorQueryRq/>"))  # the session ended with the refusal
    raises(0x8004041A, lambda: client.rp.BeginSession("", 2))


# -- the blueprint --------------------------------------------------------------------------------------------------

def test_index_and_status(http: Any) -> None:
    endpoints = http.get("/control").get_json()["endpoints"]
    assert "POST /control/faults" in endpoints and "GET /control/snapshot" in endpoints
    status = http.get("/control/status").get_json()
    assert status["running"] is True and status["clock"]["now"] == "2024-03-01T09:30:00-05:00"


def test_seed_reset_snapshot_restore(qb: FakeQuickBooks, http: Any) -> None:
    rs = http.post("/control/seed", json={"seed": 4, "vendors": 3, "customers": 2})
    assert rs.status_code == 200 and rs.get_json()["counts"]["vendors"] == 3
    conflict = http.post("/control/seed", json={"seed": 4})
    assert conflict.status_code == 409 and "already has data" in conflict.get_json()["error"]
    snapshot = http.get("/control/snapshot")
    assert snapshot.status_code == 200 and snapshot.mimetype == "application/gzip"
    assert http.post("/control/reset").get_json()["log_entries"] == 0
    assert qb.control.snapshot() != snapshot.data
    restored = http.post("/control/restore", data=snapshot.data)
    assert restored.status_code == 200 and restored.get_json()["restored"]["list_objects"] > 0
    assert qb.control.snapshot() == snapshot.data
    upload = http.post("/control/restore", data={"snapshot": (__import__("io").BytesIO(snapshot.data), "s.gz")},
                       content_type="multipart/form-data")
    assert upload.status_code == 200
    for content_type in ("application/x-www-form-urlencoded", "application/gzip"):  # curl --data-binary's, and another
        assert http.post("/control/restore", data=snapshot.data, content_type=content_type).status_code == 200
    bad = http.post("/control/restore", data=b"\x1f\x8bnot really")
    assert bad.status_code == 400 and "not a fakeqb snapshot" in bad.get_json()["error"]
    assert http.post("/control/restore").get_json()["error"].startswith("send the snapshot's bytes")
    assert qb.control.snapshot() == snapshot.data  # nothing lost


def test_clock(http: Any) -> None:
    assert http.get("/control/clock").get_json()["stopped"] is True
    assert http.post("/control/clock/set", json={"time": "2024-04-01T08:00"}).get_json()["now"].startswith(
        "2024-04-01T08:00:00")
    assert http.post("/control/clock/advance", json={"by": "2h"}).get_json()["now"].startswith("2024-04-01T10:00:00")
    assert http.post("/control/clock/advance", json={"days": 1}).get_json()["now"].startswith("2024-04-02T10:00:00")
    assert http.post("/control/clock/resume").get_json()["stopped"] is False


def test_log(qb: FakeQuickBooks, http: Any, client: Client) -> None:
    client.raw(vendor_add("Acme"))
    client.raw(vendor_add("ACME"))
    body = http.get("/control/log?failed=true").get_json()
    assert body["capacity"] == 1000 and len(body["entries"]) == 1
    (entry,) = body["entries"]
    assert entry["failed"] is True and entry["request_types"] == ["VendorAddRq"] and entry["app_name"] == "Test App"
    assert len(http.get("/control/log?request_type=VendorAddRq&limit=5").get_json()["entries"]) == 2
    assert http.delete("/control/log").get_json() == {"cleared": 2}


def test_faults(qb: FakeQuickBooks, http: Any, client: Client) -> None:
    added = http.post("/control/faults", json={"kind": "status", "request_type": "VendorAddRq", "status_code": 3180})
    assert added.status_code == 201 and added.get_json()["id"] == 1
    assert client.one(vendor_add("Acme")).get("statusCode") == "3180"
    http.post("/control/faults", json={"kind": "hresult", "method": "OpenConnection", "hresult": "0x80040408",
                                       "count": None})
    assert [r["hresult"] for r in http.get("/control/faults").get_json()["faults"]] == ["0x80040408"]
    raises(0x80040408, lambda: connected(qb))
    assert http.delete("/control/faults/2").get_json() == {"removed": 2}
    assert http.delete("/control/faults/2").status_code == 404
    http.post("/control/faults", json={"kind": "latency", "seconds": 5})
    assert http.delete("/control/faults").get_json() == {"cleared": 1}


def test_apps_and_quickbooks(qb: FakeQuickBooks, http: Any, client: Client) -> None:
    assert http.get("/control/apps").get_json() == {
        "auth_mode": "allow_all", "apps": [{"name": "Test App", "app_id": "", "allowed": True,
                                           "since": "2024-03-01T09:30:00-05:00"}]}
    assert http.put("/control/apps/mode", json={"mode": "list_only"}).get_json() == {"auth_mode": "list_only"}
    assert http.post("/control/apps/allow", json={"name": "Cashflow360", "app_id": "{X}"}).get_json()["allowed"]
    assert http.post("/control/apps/revoke", json={"name": "Test App"}).get_json()["allowed"] is False
    assert http.post("/control/apps/forget", json={"name": "Test App"}).get_json() == {"forgotten": 1}
    raises(0x80040418, lambda: connected(qb, "Test App").BeginSession("", 2))
    assert http.post("/control/quickbooks/close").get_json()["running"] is False
    raises(0x8004040D, lambda: client.raw("<VendorQueryRq/>"))
    raises(0x80040408, lambda: connected(qb))
    assert http.post("/control/quickbooks/start").get_json()["running"] is True
    http.post("/control/apps/allow", json={"name": "Test App"})
    client.ticket = client.rp.BeginSession("", 2)


def test_closing_date(qb: FakeQuickBooks, http: Any, client: Client) -> None:
    assert http.get("/control/closing-date").get_json() == {"closing_date": None}
    assert http.put("/control/closing-date", json={"closing_date": "2024-02-29"}).get_json() == {
        "closing_date": "2024-02-29"}
    bill = ("<BillAddRq><BillAdd><VendorRef><FullName>Acme</FullName></VendorRef><TxnDate>{}</TxnDate>"
            "<ExpenseLineAdd><AccountRef><FullName>Utilities</FullName></AccountRef><Amount>5.00</Amount>"
            "</ExpenseLineAdd></BillAdd></BillAddRq>")
    client.raw(vendor_add("Acme"))
    client.raw("<AccountAddRq><AccountAdd><Name>Utilities</Name><AccountType>Expense</AccountType></AccountAdd>"
               "</AccountAddRq>")
    assert client.one(bill.format("2024-02-29")).get("statusCode") == "3171"
    assert client.one(bill.format("2024-03-01")).get("statusCode") == "0"
    assert qb.control.set_closing_date(None) is None and http.get("/control/closing-date").get_json() == {
        "closing_date": None}
    assert client.one(bill.format("2024-02-29")).get("statusCode") == "0"


@pytest.mark.parametrize("method,url,kwargs,status,message", [
    ("post", "/control/faults", {"json": {"kind": "boom"}}, 400, "fault kind must be one of"),
    ("post", "/control/faults", {"json": {"status_code": 3180}}, 400, "needs a 'kind'"),
    ("post", "/control/faults", {"data": "{not json", "content_type": "application/json"}, 400, "JSON object"),
    ("post", "/control/faults", {"json": [1, 2]}, 400, "JSON object"),
    ("post", "/control/seed", {"json": {"vendors": "many"}}, 400, "vendors must be a whole number"),
    ("post", "/control/seed", {"json": {"planets": 1}}, 400, "unknown field(s): planets"),
    ("post", "/control/clock/set", {"json": {}}, 400, "'time' is required"),
    ("post", "/control/clock/set", {"json": {"time": 5}}, 400, "'time' must be text"),
    ("post", "/control/clock/set", {"json": {"time": "soon"}}, 400, "not a time"),
    ("post", "/control/clock/advance", {"json": {}}, 400, "say how far to advance"),
    ("post", "/control/clock/advance", {"json": {"hours": "2"}}, 400, "hours must be a number"),
    ("post", "/control/clock/advance", {"json": {"by": "-1h"}}, 400, "not a duration"),
    ("get", "/control/log?limit=lots", {}, 400, "limit must be a whole number"),
    ("get", "/control/log?colour=red", {}, 400, "unknown filter(s): colour"),
    ("put", "/control/apps/mode", {"json": {"mode": "open"}}, 400, "auth mode must be one of"),
    ("put", "/control/closing-date", {"json": {"closing_date": "last week"}}, 400, "not a date: 'last week'"),
    ("put", "/control/closing-date", {"json": {"closing_date": 20240131}}, 400, "must be text (YYYY-MM-DD) or null"),
    ("post", "/control/apps/allow", {"json": {"name": ""}}, 400, "non-empty name"),
    ("delete", "/control/faults/abc", {}, 404, "no control endpoint"),
    ("get", "/control/planets", {}, 404, "no control endpoint GET /control/planets"),
    ("post", "/control/clock", {}, 405, "POST is not allowed on /control/clock (use GET)"),
    ("get", "/control/reset", {}, 405, "use POST"),
])
def test_bad_requests_get_json_errors(http: Any, method: str, url: str, kwargs: dict[str, Any], status: int,
                                      message: str) -> None:
    rs = getattr(http, method)(url, **kwargs)
    assert rs.status_code == status
    assert rs.is_json, rs.get_data(as_text=True)
    assert message in rs.get_json()["error"]


def test_an_internal_failure_is_a_json_500(qb: FakeQuickBooks, http: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> bytes:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(qb.control, "snapshot", broken)
    rs = http.get("/control/snapshot")
    assert rs.status_code == 500 and rs.get_json() == {"error": "fakeqb failed: RuntimeError: disk on fire"}


# -- the Python client against a real server ------------------------------------------------------------------------

def test_remote_control_has_the_same_methods_and_results(qb: FakeQuickBooks, server: str) -> None:
    from fakeqb.control.api import Control

    public = {name for name in vars(Control) if not name.startswith("_")}
    assert public <= set(vars(RemoteControl))

    remote = RemoteControl(server + "/control/")
    assert remote.seed(3, vendors=2, customers=1).vendors == 2
    token = remote.snapshot()
    assert token == qb.control.snapshot()
    assert remote.set_clock("2024-05-01T12:00").now.isoformat() == "2024-05-01T12:00:00-04:00"
    assert remote.advance_clock("1h", minutes=30).now.isoformat() == "2024-05-01T13:30:00-04:00"
    assert remote.clock() == qb.control.clock()
    rule = remote.add_fault("hresult", method="ProcessRequest", hresult=0x80040401, probability=0.5, seed=2)
    assert remote.faults() == qb.control.faults() == [rule]
    client = Client(qb.request_processor(), app="Remote")
    for _ in range(4):
        with contextlib.suppress(ComError):
            client.raw("<VendorQueryRq/>")
    assert remote.log() == qb.control.log() and len(remote.log(limit=2)) == 2
    assert remote.log(failed=True)[0].hresult == 0x80040401
    assert remote.clear_log() == 4
    with pytest.raises(NotFoundError):
        remote.remove_fault(99)
    assert remote.clear_faults() == 0
    assert remote.allow_app("Cashflow360", "{A}").allowed and not remote.revoke_app("Other").allowed
    assert remote.apps() == qb.control.apps()
    assert remote.set_auth_mode("list_only") == remote.auth_mode() == "list_only"
    assert remote.forget_app("Other") == 1
    assert remote.set_closing_date(date(2024, 1, 31)) == remote.closing_date() == qb.control.closing_date() \
        == "2024-01-31"
    assert remote.close_quickbooks()["running"] is False and remote.start_quickbooks()["running"] is True
    client.ticket = client.rp.BeginSession("", 2)
    client.close()
    remote.reset()
    assert remote.status() == qb.control.status()
    assert remote.restore(token)["list_objects"] > 0
    with pytest.raises(ControlError, match="fault kind must be one of"):
        remote.add_fault("boom")


def test_remote_control_errors() -> None:
    with pytest.raises(ControlError, match="not a server URL"):
        RemoteControl("127.0.0.1:8080")
    with pytest.raises(ControlError, match="cannot reach the fakeqb server"):
        RemoteControl("http://127.0.0.1:9", timeout=2).status()


# -- fakeqb control ------------------------------------------------------------------------------------------------

def test_cli_against_a_server(qb: FakeQuickBooks, server: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    def run(*args: str) -> str:
        assert main(["control", *args, "--url", server]) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    assert "QuickBooks:   running" in run("status")
    assert "Vendors" in run("seed", "--seed", "2", "--vendors", "2", "--customers", "1")
    snap = tmp_path / "before.fqb"
    assert "Snapshot written" in run("snapshot", str(snap))
    assert "2024-03-02T09:30:00" in run("clock", "advance", "1d")
    assert "2024-01-01T00:00:00" in run("clock", "set", "2024-01-01")
    assert "running" in run("clock", "resume")
    assert "Company time" in run("clock")
    out = run("faults", "add", "status", "--request-type", "VendorAddRq", "--status-code", "3180", "--count",
              "unlimited")
    assert out.strip() == "Added #1 status 3180 on VendorAddRq, every time"
    assert "#1 status 3180" in run("faults")
    client = Client(qb.request_processor())
    client.raw(vendor_add("Acme"))
    client.close()
    assert "VendorAddRq -> error status" in run("log", "--failed")
    assert "statusCode=\"3180\"" in run("log", "--xml", "--limit", "1")
    assert "Cleared 1 log entries" in run("log", "clear")
    assert "Removed fault rule #1" in run("faults", "remove", "1")
    assert "Removed 0 fault rules" in run("faults", "clear")
    assert "Allowed Cashflow360" in run("apps", "allow", "Cashflow360")
    assert "Auth mode: list_only" in run("apps", "mode", "list_only")
    assert "Cashflow360: allowed" in run("apps")
    assert "closing date: 2024-01-31" in run("closing-date", "set", "2024-01-31")
    assert "no closing date" in run("closing-date", "clear")
    assert "QuickBooks is closed" in run("quickbooks", "close")
    assert "QuickBooks is running" in run("quickbooks", "start")
    assert "Reset" in run("reset")
    assert "Restored" in run("restore", str(snap))


def test_cli_on_a_company_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'company.db'}"

    def run(*args: str) -> str:
        assert main(["control", *args, "--db", db]) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    run("seed", "--seed", "1", "--vendors", "2", "--customers", "1")
    run("snapshot", str(tmp_path / "snap"))
    run("reset")
    assert "list_objects" in run("restore", str(tmp_path / "snap"))
    run("apps", "mode", "list_only")
    run("apps", "revoke", "Old Tool", "--app-id", "{OLD}")
    assert "Old Tool [{OLD}]: revoked" in run("apps", "list")
    run("closing-date", "set", "2023-12-31")
    assert "closing date: 2023-12-31" in run("closing-date")
    with FakeQuickBooks(db) as qb:
        assert qb.control.auth_mode() == "list_only"
        assert qb.control.closing_date() == "2023-12-31"
        assert len(qb.control.apps()) == 1


@pytest.mark.parametrize("args,message", [
    (["status"], "say which QuickBooks"),
    (["clock", "--db", "sqlite://"], "'clock' belongs to a running server"),
    (["faults", "list", "--db", "sqlite://"], "'faults' belongs to a running server"),
    (["status", "--db", "sqlite:///nowhere/company.db"], "no company file at"),
    (["status", "--db", "sqlite://", "--url", "http://x"], "not both"),
    (["restore", "missing.fqb", "--db", "sqlite://"], "no snapshot file at missing.fqb"),
    (["status", "--url", "http://127.0.0.1:9"], "cannot reach the fakeqb server"),
    (["apps", "allow", "", "--db", "sqlite://"], "non-empty name"),
])
def test_cli_errors_are_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["control", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fakeqb: error: ") and message in err and err.count("\n") == 1


def test_cli_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["control", "faults", "add", "explode", "--db", "sqlite://"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main(["control", "faults", "add", "latency", "--count", "0", "--url", "http://x"]) == 2
