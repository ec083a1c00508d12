"""The control plane over HTTP: a Flask blueprint mounted at /control, JSON in and JSON out.

    app.register_blueprint(control_blueprint(host, token))

    GET    /control                      the endpoints
    GET    /control/status               QuickBooks running, sessions, clock, auth mode, rules, log size
    POST   /control/reset                empty company, no sessions, no log, no fault rules
    POST   /control/seed                 {"seed": 7, "vendors": 10, ...}
    GET    /control/snapshot             the company file as bytes (application/gzip)
    POST   /control/restore              body: the bytes of a snapshot (any content type, or a multipart file field
                                         "snapshot")
    GET    /control/clock                {"now", "stopped", "timezone"}
    POST   /control/clock/set            {"time": "2024-03-01T09:30:00"}
    POST   /control/clock/advance        {"by": "1d12h"} and/or {"days", "hours", "minutes", "seconds"}
    POST   /control/clock/resume
    GET    /control/log                  ?ticket= &app= &request_type= &failed=true &since=ID &limit=N
    DELETE /control/log
    GET    /control/faults
    POST   /control/faults               {"kind": "status", "request_type": "VendorAddRq", "status_code": 3180, ...}
    DELETE /control/faults               every rule;   DELETE /control/faults/ID   one rule
    GET    /control/apps                 {"auth_mode", "apps": [...]}
    POST   /control/apps/allow           {"name": "My App", "app_id": ""}   (also revoke; forget takes a name)
    PUT    /control/apps/mode            {"mode": "list_only"}
    GET    /control/behaviours           QuickBooks' open behaviours: value, default, values, evidence
    PUT    /control/behaviours/NAME      {"value": "yes"}
    GET    /control/closing-date         {"closing_date": "2024-01-31"} (null: none)
    PUT    /control/closing-date         {"closing_date": "2024-01-31"} (null clears it)
    POST   /control/quickbooks/close     QuickBooks closes (tickets invalid, 0x80040408 until started)
    POST   /control/quickbooks/start

Errors are JSON too, `{"error": "..."}`: 400 for bad input, 404 for an unknown rule or endpoint, 405 for a method an
endpoint does not take, 409 when the company is not in a state to do it (seeding a company that has data), 500 for a
failure of fakeqb itself.

Guarded: every call needs the server's control token (`Authorization: Bearer TOKEN`, else 401), and a call whose
Host or Origin names another host than the server's own names is refused (403): a web page the user opens can
neither guess the token nor pass as the server (DNS rebinding).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

import flask
from werkzeug.exceptions import HTTPException

from fakeqb.com.host import Host
from fakeqb.control.api import SEED_SIZES, ControlError, control_of

log = logging.getLogger("fakeqb")
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


def _hostname(value: str) -> str:
    """The host name in a Host header or an Origin ("http://localhost:8765" -> "localhost", "[::1]:80" -> "::1")."""
    netloc = value.split("://", 1)[-1].split("/", 1)[0].lower()
    if netloc.startswith("["):
        return netloc[1:].split("]", 1)[0]
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def _body() -> dict[str, Any]:
    """The request's JSON object ({} when there is no body)."""
    request = flask.request
    if not request.get_data(cache=True):
        return {}
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        raise ControlError("the request body must be a JSON object")
    return data


def _only(data: dict[str, Any], *allowed: str) -> dict[str, Any]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ControlError(f"unknown field(s): {', '.join(unknown)} (known: {', '.join(allowed) or 'none'})")
    return data


def _text(data: dict[str, Any], name: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise ControlError(f"{name!r} must be text" if name in data else f"{name!r} is required")
    return value


def _int_arg(name: str) -> int | None:
    value = flask.request.args.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise ControlError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ControlError(f"{name} must not be negative")
    return number


def _bool_arg(name: str) -> bool:
    value = flask.request.args.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ControlError(f"{name} must be true or false, not {value!r}")


def _error(message: str, status: int) -> flask.Response:
    response = flask.jsonify({"error": message})
    response.status_code = status
    return response


#: The names a loopback server answers to; a server on another address answers to that address too.
LOOPBACK = frozenset(("127.0.0.1", "localhost", "::1"))


def control_blueprint(host: Host, token: str, names: frozenset[str] = LOOPBACK) -> flask.Blueprint:
    """The /control endpoints acting on `host`, for callers that give `token` and name the server by one of `names`
    (see the module docstring)."""
    if len(token) < 16:
        raise ValueError("a control token has at least 16 characters")
    bp = flask.Blueprint("control", __name__, url_prefix="/control")
    control = control_of(host)
    expected = f"Bearer {token}".encode()

    @bp.before_request
    def guard() -> flask.Response | None:
        request = flask.request
        origin = request.headers.get("Origin")
        if _hostname(request.host) not in names or (origin is not None and _hostname(origin) not in names):
            return _error("refused: the control plane answers only calls that name this server", 403)
        if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
            return _error("the control plane needs this server's control token (Authorization: Bearer TOKEN; "
                          "fakeqb serve prints it)", 401)
        return None

    @bp.errorhandler(Exception)
    def on_error(exc: Exception) -> flask.Response:
        if isinstance(exc, ControlError):
            return _error(str(exc), exc.status)
        if isinstance(exc, ValueError):
            return _error(str(exc), 400)
        if isinstance(exc, HTTPException):
            return _error(exc.description or exc.name, exc.code or 500)
        log.exception("control plane failure")
        return _error(f"fakeqb failed: {type(exc).__name__}: {exc}", 500)

    @bp.get("")
    @bp.get("/")
    def index() -> Any:
        rules = sorted((str(r.rule), sorted((r.methods or set()) - {"HEAD", "OPTIONS"}))
                       for r in flask.current_app.url_map.iter_rules()
                       if r.endpoint.startswith(bp.name + ".") and r.endpoint != bp.name + ".unknown"
                       and not str(r.rule).endswith("/"))
        return {"endpoints": [f"{' '.join(methods)} {rule}" for rule, methods in rules]}

    @bp.get("/status")
    def status() -> Any:
        return control.status()

    @bp.post("/reset")
    def reset() -> Any:
        _only(_body())
        control.reset()
        return control.status()

    @bp.post("/seed")
    def seed() -> Any:
        data = _only(_body(), "seed", *SEED_SIZES)
        summary = control.seed(data.pop("seed", 0), **data)
        return {"counts": summary.counts(), "total": summary.total}

    @bp.get("/snapshot")
    def take_snapshot() -> Any:
        data = control.snapshot()
        return flask.Response(data, mimetype="application/gzip", headers={
            "Content-Disposition": 'attachment; filename="fakeqb-snapshot.json.gz"'})

    @bp.post("/restore")
    def restore() -> Any:
        request = flask.request  # any content type but a multipart form is the snapshot itself (curl -d sends a form's)
        upload = request.files.get("snapshot") if request.mimetype == "multipart/form-data" else None
        data = upload.read() if upload is not None else request.get_data()
        if not data:
            raise ControlError("send the snapshot's bytes as the request body (or a multipart file 'snapshot')")
        return {"restored": control.restore(data)}

    @bp.get("/clock")
    def clock() -> Any:
        return control.clock().to_json()

    @bp.post("/clock/set")
    def set_clock() -> Any:
        data = _only(_body(), "time")
        return control.set_clock(_text(data, "time")).to_json()

    @bp.post("/clock/advance")
    def advance_clock() -> Any:
        data = _only(_body(), "by", "days", "hours", "minutes", "seconds")
        parts = {}
        for name in ("days", "hours", "minutes", "seconds"):
            value = data.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ControlError(f"{name} must be a number, not {value!r}")
            parts[name] = value
        if data.get("by") is None and not any(parts.values()):
            raise ControlError('say how far to advance: "by" ("1d12h", seconds) or days/hours/minutes/seconds')
        return control.advance_clock(data.get("by"), **parts).to_json()

    @bp.post("/clock/resume")
    def resume_clock() -> Any:
        return control.resume_clock().to_json()

    @bp.get("/log")
    def read_log() -> Any:
        args = flask.request.args
        unknown = sorted(set(args) - {"ticket", "app", "request_type", "failed", "since", "limit"})
        if unknown:
            raise ControlError(f"unknown filter(s): {', '.join(unknown)}")
        entries = control.log(ticket=args.get("ticket"), app=args.get("app"),
                              request_type=args.get("request_type") or None, failed=_bool_arg("failed"),
                              since=_int_arg("since"), limit=_int_arg("limit"))
        return {"entries": [e.to_json() for e in entries], "capacity": host.request_log.capacity}

    @bp.delete("/log")
    def clear_log() -> Any:
        return {"cleared": control.clear_log()}

    @bp.get("/faults")
    def list_faults() -> Any:
        return {"faults": [rule.to_json() for rule in control.faults()]}

    @bp.post("/faults")
    def add_fault() -> Any:
        data = _body()
        kind = data.pop("kind", None)
        if not isinstance(kind, str):
            raise ControlError("a fault rule needs a 'kind'")
        return control.add_fault(kind, **data).to_json(), 201

    @bp.delete("/faults")
    def clear_faults() -> Any:
        return {"cleared": control.clear_faults()}

    @bp.delete("/faults/<int:rule_id>")
    def remove_fault(rule_id: int) -> Any:
        control.remove_fault(rule_id)
        return {"removed": rule_id}

    @bp.get("/apps")
    def apps() -> Any:
        return {"auth_mode": control.auth_mode(), "apps": [a.to_json() for a in control.apps()]}

    @bp.post("/apps/allow")
    def allow_app() -> Any:
        data = _only(_body(), "name", "app_id")
        return control.allow_app(_text(data, "name"), _text(data, "app_id", "")).to_json()

    @bp.post("/apps/revoke")
    def revoke_app() -> Any:
        data = _only(_body(), "name", "app_id")
        return control.revoke_app(_text(data, "name"), _text(data, "app_id", "")).to_json()

    @bp.post("/apps/forget")
    def forget_app() -> Any:
        data = _only(_body(), "name")
        return {"forgotten": control.forget_app(_text(data, "name"))}

    @bp.route("/apps/mode", methods=["GET", "PUT", "POST"])
    def auth_mode() -> Any:
        if flask.request.method == "GET":
            return {"auth_mode": control.auth_mode()}
        data = _only(_body(), "mode")
        return {"auth_mode": control.set_auth_mode(_text(data, "mode"))}

    @bp.get("/behaviours")
    def behaviours() -> Any:
        return {"behaviours": control.behaviours()}

    @bp.route("/behaviours/<name>", methods=["PUT", "POST"])
    def set_behaviour(name: str) -> Any:
        data = _only(_body(), "value")
        return control.set_behaviour(name, _text(data, "value"))

    @bp.route("/closing-date", methods=["GET", "PUT", "POST"])
    def closing_date() -> Any:
        if flask.request.method == "GET":
            return {"closing_date": control.closing_date()}
        data = _only(_body(), "closing_date")
        day = data.get("closing_date")
        if day is not None and not isinstance(day, str):
            raise ControlError("'closing_date' must be text (YYYY-MM-DD) or null")
        return {"closing_date": control.set_closing_date(day)}

    @bp.post("/quickbooks/close")
    def close_quickbooks() -> Any:
        return control.close_quickbooks()

    @bp.post("/quickbooks/start")
    def start_quickbooks() -> Any:
        return control.start_quickbooks()

    @bp.route("/<path:rest>", methods=ALL_METHODS)
    def unknown(rest: str) -> Any:
        request = flask.request
        adapter = flask.current_app.url_map.bind("localhost")
        allowed = []
        for method in ALL_METHODS:
            try:
                endpoint, _ = adapter.match(request.path, method=method)
            except HTTPException:
                continue
            if endpoint != bp.name + ".unknown":
                allowed.append(method)
        if allowed:
            response = _error(f"{request.method} is not allowed on {request.path} (use {' or '.join(allowed)})", 405)
            response.headers["Allow"] = ", ".join(allowed)
            return response
        return _error(f"no control endpoint {request.method} {request.path} (GET /control lists them)", 404)

    return bp
