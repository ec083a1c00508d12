"""`fakeqb control`: the control plane from the command line, against a running server or a company database.

    fakeqb control status --url http://127.0.0.1:8080
    fakeqb control seed --url http://127.0.0.1:8080 --seed 7 --vendors 10
    fakeqb control snapshot before.fqb --url http://127.0.0.1:8080
    fakeqb control restore before.fqb --db sqlite:///company.db
    fakeqb control clock set 2024-03-01T09:30 --url ...       (clock, clock advance 1d12h, clock resume)
    fakeqb control log --failed --limit 20 --url ...          (log clear)
    fakeqb control faults add status --request-type VendorAddRq --status-code 3180 --url ...
    fakeqb control apps mode list_only --db sqlite:///company.db
    fakeqb control closing-date set 2024-01-31 --db sqlite:///company.db     (closing-date, closing-date clear)
    fakeqb control quickbooks close --url ...

With --db, the operations that live in the company file work directly on it (status, reset, seed, snapshot, restore,
apps, closing-date); the clock, the request log, fault rules and closing QuickBooks belong to a running server (--url).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from fakeqb.com.faults import KINDS, METHODS
from fakeqb.com.host import Host
from fakeqb.control.api import SEED_SIZES, Control, ControlError
from fakeqb.control.client import RemoteControl
from fakeqb.seed import DEFAULT_SIZES

SERVER_ONLY = ("clock", "log", "faults", "quickbooks", "behaviours")


class CliError(Exception):
    """A failure worth one line on stderr."""


def reason(exc: BaseException) -> str:
    """The first line of what went wrong, without SQLAlchemy's decorations."""
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc).strip() or type(exc).__name__
    return message.splitlines()[0]


def open_host(url: str, must_exist: bool = False) -> Host:
    """QuickBooks with the company file at `url` open; CliError if the URL is bad or the database cannot be
    reached."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CliError(f"not a database URL: {url!r} (try sqlite:///company.db)") from None
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if must_exist and database not in (None, "", ":memory:") and not Path(str(database)).is_file():
        raise CliError(f"no company file at {parsed.database} (create one with: fakeqb seed --db {url})")
    try:
        return Host(url)
    except (SQLAlchemyError, ImportError, OSError, ValueError) as exc:
        raise CliError(f"cannot open the company database {url!r}: {reason(exc)}") from None


def non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {number}")
    return number


#: What the history options are.
HISTORY_HELP = {"bills": "bills in the history, with their payments and vendor credits",
                "invoices": "invoices in the history, with their payments and credit memos",
                "months": "months of history before the company's day"}


def add_seed_options(parser: argparse.ArgumentParser) -> None:
    """--seed and one option per seed size, with `fakeqb.seed`'s defaults."""
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    for name in SEED_SIZES:
        default = DEFAULT_SIZES[name]
        parser.add_argument(f"--{name.replace('_', '-')}", type=non_negative, default=default, metavar="N",
                            help=f"{HISTORY_HELP[name]} (default {default})" if name in HISTORY_HELP
                            else f"(default {default})")


def seed_sizes(args: argparse.Namespace) -> dict[str, int]:
    return {name: getattr(args, name) for name in SEED_SIZES}


@contextmanager
def target(args: argparse.Namespace, must_exist: bool = True) -> Iterator[Any]:
    """The control plane the options name: a server's (--url) or a company database's (--db)."""
    url, db = getattr(args, "url", None), getattr(args, "db", None)
    if url and db:
        raise CliError("give either --url (a running fakeqb server) or --db (a company database), not both")
    if url:
        yield RemoteControl(url, token=getattr(args, "token", None))
        return
    if not db:
        raise CliError("say which QuickBooks: --url http://HOST:PORT (a running fakeqb server) or --db URL")
    if args.area in SERVER_ONLY:
        raise CliError(f"'{args.area}' belongs to a running server (--url): a company database has no "
                       "clock, request log, fault rules or running state of its own")
    qb = open_host(db, must_exist=must_exist)
    try:
        yield Control(qb)
    finally:
        qb.close()


def run(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An action whose control-plane errors end as one line on stderr."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return action(args)
        except ControlError as exc:
            raise CliError(str(exc)) from None

    return wrapped


# -- actions --------------------------------------------------------------------------------------------------------

def do_status(args: argparse.Namespace) -> int:
    with target(args) as control:
        status = control.status()
    clock = status["clock"]
    print(f"QuickBooks:   {'running' if status['running'] else 'closed'}")
    print(f"Company file: {status['company_file']} ({status['database']})")
    print(f"Sessions:     {status['sessions']}")
    print(f"Clock:        {clock['now']} ({'stopped' if clock['stopped'] else 'running'}, {clock['timezone']})")
    print(f"Auth mode:    {status['auth_mode']}")
    print(f"Fault rules:  {status['fault_rules']}")
    print(f"Request log:  {status['log_entries']} of {status['log_capacity']} entries, "
          f"{status['log_chars']:,} of {status['log_max_chars']:,} characters")
    return 0


def do_reset(args: argparse.Namespace) -> int:
    with target(args, must_exist=False) as control:
        control.reset()
    print("Reset: an empty company, no sessions, no request log, no fault rules.")
    return 0


def do_seed(args: argparse.Namespace) -> int:
    with target(args, must_exist=False) as control:
        summary = control.seed(args.seed, **seed_sizes(args))
    print(f"Seeded (seed {args.seed}):")
    print(summary)
    return 0


def do_snapshot(args: argparse.Namespace) -> int:
    with target(args) as control:
        data = control.snapshot()
    Path(args.file).write_bytes(data)
    print(f"Snapshot written to {args.file} ({len(data):,} bytes)")
    return 0


def do_restore(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no snapshot file at {args.file}")
    data = path.read_bytes()
    with target(args, must_exist=False) as control:
        counts = control.restore(data)
    print(f"Restored {args.file}: {sum(counts.values())} rows")
    for table, rows in counts.items():
        print(f"  {table:<20} {rows:>7}")
    return 0


def do_clock(args: argparse.Namespace) -> int:
    with target(args) as control:
        if args.clock_op == "set":
            state = control.set_clock(args.time)
        elif args.clock_op == "advance":
            state = control.advance_clock(args.by)
        elif args.clock_op == "resume":
            state = control.resume_clock()
        else:
            state = control.clock()
    print(f"Company time: {state}")
    return 0


def do_log(args: argparse.Namespace) -> int:
    with target(args) as control:
        if args.log_op == "clear":
            print(f"Cleared {control.clear_log()} log entries")
            return 0
        entries = control.log(ticket=args.ticket, app=args.app, request_type=args.request_type, failed=args.failed,
                              since=args.since, limit=args.limit)
    if not entries:
        print("(no logged requests)")
    for entry in entries:
        print(entry.summary())
        if args.xml:
            print(_indent(entry.request))
            print(_indent(entry.response if entry.response is not None else f"HRESULT 0x{entry.hresult:08X}"))
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines())


def do_faults(args: argparse.Namespace) -> int:
    with target(args) as control:
        if args.faults_op == "add":
            options = {name: getattr(args, name) for name in ("method", "request_type", "probability", "seed",
                                                              "hresult", "status_code", "message", "seconds")
                       if getattr(args, name) is not None}
            options["count"] = None if args.count in ("unlimited", "always") else args.count
            rule = control.add_fault(args.kind, **options)
            print(f"Added {rule.describe()}")
        elif args.faults_op == "remove":
            control.remove_fault(args.id)
            print(f"Removed fault rule #{args.id}")
        elif args.faults_op == "clear":
            print(f"Removed {control.clear_faults()} fault rules")
        else:
            rules = control.faults()
            if not rules:
                print("(no fault rules)")
            for rule in rules:
                print(f"{rule.describe()} (fired {rule.hits} times)")
    return 0


def do_apps(args: argparse.Namespace) -> int:
    with target(args, must_exist=args.apps_op in (None, "list")) as control:
        if args.apps_op == "allow":
            entry = control.allow_app(args.name, args.app_id)
            print(f"Allowed {entry.name}" + (f" ({entry.app_id})" if entry.app_id else ""))
        elif args.apps_op == "revoke":
            entry = control.revoke_app(args.name, args.app_id)
            print(f"Revoked {entry.name}" + (f" ({entry.app_id})" if entry.app_id else ""))
        elif args.apps_op == "forget":
            print(f"Forgot {control.forget_app(args.name)} entries of {args.name}")
        elif args.apps_op == "mode":
            mode = control.set_auth_mode(args.mode) if args.mode else control.auth_mode()
            print(f"Auth mode: {mode}")
        else:
            print(f"Auth mode: {control.auth_mode()}")
            apps = control.apps()
            if not apps:
                print("(no integrated applications)")
            for app in apps:
                state = "allowed" if app.allowed else "revoked"
                app_id = f" [{app.app_id}]" if app.app_id else ""
                print(f"  {app.name}{app_id}: {state} since {app.since or '?'}")
    return 0


def print_behaviours(behaviours: list[dict[str, Any]], evidence: bool) -> None:
    """Each behaviour: its value (and default), the values it takes and, with `evidence`, why each."""
    for b in behaviours:
        default = "" if b["value"] == b["default"] else f" (default {b['default']})"
        print(f"{b['name']} = {b['value']}{default}    values: {', '.join(b['values'])}; best evidence: "
              f"{b['values'][0]}")
        print(f"    {b['summary']}")
        if evidence:
            for value, why in b["evidence"].items():
                print(f"    - {value}: {why}")


def do_behaviours(args: argparse.Namespace) -> int:
    with target(args) as control:
        if args.behaviour_op == "set":
            name, _, value = args.assignment.partition("=")
            changed = control.set_behaviour(name.strip(), value.strip())
            print(f"{changed['name']} = {changed['value']}")
            return 0
        print_behaviours(control.behaviours(), args.evidence)
    return 0


def do_closing_date(args: argparse.Namespace) -> int:
    with target(args) as control:
        if args.closing_op == "set":
            day = control.set_closing_date(args.date)
        elif args.closing_op == "clear":
            day = control.set_closing_date(None)
        else:
            day = control.closing_date()
    print(f"closing date: {day}" if day else "no closing date")
    return 0


def do_quickbooks(args: argparse.Namespace) -> int:
    with target(args) as control:
        status = control.close_quickbooks() if args.qb_op == "close" else control.start_quickbooks()
    print(f"QuickBooks is {'running' if status['running'] else 'closed'}")
    return 0


# -- the parser -----------------------------------------------------------------------------------------------------

def _count(value: str) -> int | str:
    if value in ("unlimited", "always"):
        return value
    number = non_negative(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more (or unlimited)")
    return number


def add_control_parser(commands: Any) -> None:
    """Add `fakeqb control ...` to the `fakeqb` command's subcommands."""
    where = argparse.ArgumentParser(add_help=False)
    group = where.add_argument_group("which QuickBooks")
    # SUPPRESS: an option given before a nested operation (clock --url X set T) is not reset by the nested parser
    group.add_argument("--url", metavar="URL", default=argparse.SUPPRESS,
                       help="a running fakeqb server (http://127.0.0.1:PORT)")
    group.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                       help="a company database (sqlite:///company.db, postgresql+psycopg://...)")
    group.add_argument("--token", metavar="TOKEN", default=argparse.SUPPRESS,
                       help="the server's control token (fakeqb serve prints it; or set FAKEQB_CONTROL_TOKEN)")

    control = commands.add_parser("control", help="reset, seed, snapshot, clock, request log, faults, apps",
                                  description="The control plane of a running fakeqb server (--url) or, for what "
                                              "is kept in the company file, of a company database (--db).")
    areas = control.add_subparsers(dest="area", required=True, metavar="OPERATION")

    def area(name: str, action: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = areas.add_parser(name, help=help_text, description=help_text[0].upper()
                                                           + help_text[1:] + ".", parents=[where])
        parser.set_defaults(func=run(action))
        return parser

    area("status", do_status, "what is going on: QuickBooks running, sessions, clock, rules, log")
    area("reset", do_reset, "an empty company: no data, sessions, request log or fault rules")
    add_seed_options(area("seed", do_seed, "fill an empty company with realistic list data"))
    area("snapshot", do_snapshot, "save the company file's contents to FILE").add_argument("file", metavar="FILE")
    area("restore", do_restore, "put the company file back as FILE has it").add_argument("file", metavar="FILE")

    clock = area("clock", do_clock, "show, set, advance or resume the company clock")
    clock_ops = clock.add_subparsers(dest="clock_op", metavar="show|set|advance|resume")
    clock_ops.add_parser("show", help="the company time", parents=[where])
    clock_ops.add_parser("set", help="stop the clock at TIME", parents=[where]).add_argument(
        "time", metavar="TIME", help="ISO 8601, company time unless it has an offset: 2024-03-01T09:30")
    clock_ops.add_parser("advance", help="move the clock forward", parents=[where]).add_argument(
        "by", metavar="DURATION", help="90s, 15m, 3h, 1d12h, 2w, or seconds")
    clock_ops.add_parser("resume", help="follow the wall clock again", parents=[where])

    log = area("log", do_log, "the ProcessRequest calls QuickBooks answered (or clear them)")
    log.add_argument("log_op", nargs="?", choices=["show", "clear"], default="show", help="show (default) or clear")
    log.add_argument("--ticket", help="only this session's calls")
    log.add_argument("--app", help="only this application's calls")
    log.add_argument("--request-type", "--type", dest="request_type", metavar="NAME", help="e.g. VendorAddRq")
    log.add_argument("--failed", action="store_true", help="only calls that raised an HRESULT or had an error status")
    log.add_argument("--since", type=non_negative, metavar="ID", help="only entries after this id")
    log.add_argument("--limit", type=non_negative, metavar="N", help="the newest N")
    log.add_argument("--xml", action="store_true", help="print the request and response too")

    faults = area("faults", do_faults, "list, add, remove or clear fault rules")
    fault_ops = faults.add_subparsers(dest="faults_op", metavar="list|add|remove|clear")
    fault_ops.add_parser("list", help="the fault rules", parents=[where])
    add = fault_ops.add_parser("add", help="add a fault rule", parents=[where],
                               description="Add a fault rule. Kinds: " + ", ".join(KINDS) + ".")
    add.add_argument("kind", choices=KINDS)
    add.add_argument("--method", choices=[*METHODS, "any"], help="the method it applies to (default any)")
    add.add_argument("--request-type", metavar="NAME", help="only calls with this request, e.g. VendorAddRq")
    add.add_argument("--count", type=_count, default=1, metavar="N", help="matching calls to fault: N or unlimited "
                                                                           "(default 1)")
    add.add_argument("--probability", type=float, metavar="P", help="chance of firing on a matching call (0-1]")
    add.add_argument("--seed", type=int, metavar="N", help="seed of the rule's random draws (default 0)")
    add.add_argument("--hresult", metavar="HEX", help="hresult: e.g. 0x80040408")
    add.add_argument("--status-code", type=int, metavar="CODE", help="status: e.g. 3180")
    add.add_argument("--message", help="the HRESULT description or status message instead of QuickBooks' own")
    add.add_argument("--seconds", type=float, metavar="S", help="latency: seconds to wait")
    fault_ops.add_parser("remove", help="remove one rule", parents=[where]).add_argument("id", type=int, metavar="ID")
    fault_ops.add_parser("clear", help="remove every rule", parents=[where])

    apps = area("apps", do_apps, "the integrated applications allowed to connect, and the auth mode")
    app_ops = apps.add_subparsers(dest="apps_op", metavar="list|allow|revoke|forget|mode")
    app_ops.add_parser("list", help="the applications and the auth mode", parents=[where])
    for op, text in (("allow", "let an application connect"), ("revoke", "refuse an application (0x8004041A)")):
        parser = app_ops.add_parser(op, help=text, parents=[where])
        parser.add_argument("name", metavar="NAME", help="the application's name (as in OpenConnection)")
        parser.add_argument("--app-id", default="", metavar="ID", help="only with this app ID")
    app_ops.add_parser("forget", help="take an application off the list", parents=[where]).add_argument(
        "name", metavar="NAME")
    app_ops.add_parser("mode", help="show or set the auth mode", parents=[where]).add_argument(
        "mode", nargs="?", choices=["allow_all", "list_only"])

    closing = area("closing-date", do_closing_date, "show, set or clear the closing date (transactions dated on or "
                   "before it are refused)")
    closing_ops = closing.add_subparsers(dest="closing_op", metavar="show|set|clear")
    closing_ops.add_parser("show", help="the closing date", parents=[where])
    closing_ops.add_parser("set", help="set it to DATE", parents=[where]).add_argument(
        "date", metavar="DATE", help="YYYY-MM-DD")
    closing_ops.add_parser("clear", help="no closing date", parents=[where])

    qb = area("quickbooks", do_quickbooks, "close QuickBooks (every ticket invalid) or start it again")
    qb.add_argument("qb_op", choices=["close", "start"])

    behaviours = area("behaviours", do_behaviours, "show or switch QuickBooks' open behaviours")
    behaviour_ops = behaviours.add_subparsers(dest="behaviour_op", metavar="show|set")
    behaviour_ops.add_parser("show", help="every behaviour and its value", parents=[where]).add_argument(
        "--evidence", action="store_true", help="the evidence for each value")
    behaviour_ops.add_parser("set", help="switch one: NAME=VALUE", parents=[where]).add_argument(
        "assignment", metavar="NAME=VALUE")
    behaviours.set_defaults(evidence=False)

