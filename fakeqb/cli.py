"""The `fakeqb` command: seed a company file, show what is in it, run a demo, serve a company over HTTP, or play the
Web Connector for an integration.

    fakeqb seed --db sqlite:///company.db --seed 7 --vendors 10 --bills 500 --invoices 500
    fakeqb show --db sqlite:///company.db
    fakeqb demo
    fakeqb serve --port 8765 --seed 7
    fakeqb webconnector run --url http://localhost:8000/qbwc --user acme --password secret

`show` reads the company the way an integration would: qbXML queries through the request processor.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from lxml import etree
from sqlalchemy.exc import SQLAlchemyError

from fakeqb.com import client
from fakeqb.com.host import Host
from fakeqb.com.hresults import ComError
from fakeqb.com.processor import RequestProcessor
from fakeqb.company.behaviours import BehaviourError, Behaviours
from fakeqb.company.behaviours import parse as parse_behaviours
from fakeqb.company.lists import BALANCE_SHEET_TYPES
from fakeqb.control.cli import (
    CliError,
    add_control_parser,
    add_seed_options,
    non_negative,
    open_host,
    print_behaviours,
    reason,
    seed_sizes,
)
from fakeqb.control.client import TOKEN_VARIABLE
from fakeqb.seed import SeedError, build_company, seed_host
from fakeqb.seed.lists import Progress
from fakeqb.webconnector.cli import add_webconnector_parser

DEFAULT_DB = "sqlite:///company.db"
SERVE_DB = "sqlite://"
SERVE_PORT = 8765
#: What `fakeqb demo` seeds: small enough that `show` fits a screenful or two.
DEMO_SIZES = {"vendors": 4, "customers": 3, "max_jobs": 2, "items": 12, "classes": 4, "employees": 2,
              "other_names": 2}
APP_NAME = "fakeqb cli"

ITEM_TYPE_LABELS = {"ItemServiceRet": "Service", "ItemInventoryRet": "Inventory Part",
                    "ItemNonInventoryRet": "Non-inventory Part", "ItemOtherChargeRet": "Other Charge"}
ACCOUNT_TYPE_LABELS = {
    "Bank": "Bank", "AccountsReceivable": "Accounts Receivable", "OtherCurrentAsset": "Other Current Asset",
    "FixedAsset": "Fixed Asset", "OtherAsset": "Other Asset", "AccountsPayable": "Accounts Payable",
    "CreditCard": "Credit Card", "OtherCurrentLiability": "Other Current Liability",
    "LongTermLiability": "Long Term Liability", "Equity": "Equity", "Income": "Income",
    "CostOfGoodsSold": "Cost of Goods Sold", "Expense": "Expense", "OtherIncome": "Other Income",
    "OtherExpense": "Other Expense", "NonPosting": "Non-Posting",
}


# -- reading the company through qbXML ----------------------------------------------------------------------------

@contextmanager
def session(qb: Host) -> Iterator[Callable[[str], etree._Element]]:
    """A connection and session on `qb`; yields a function sending one request and returning its Rs element."""
    rp = RequestProcessor(qb)
    with client.session(rp, APP_NAME) as ticket:

        def ask(body: str) -> etree._Element:
            rs = etree.fromstring(rp.ProcessRequest(ticket, client.envelope(body)).encode()).find("QBXMLMsgsRs")[0]
            if rs.get("statusSeverity") == "Error":
                raise CliError(f"{rs.tag}: status {rs.get('statusCode')}: {rs.get('statusMessage')}")
            return rs

        yield ask


def query(ask: Callable[[str], etree._Element], list_name: str) -> list[etree._Element]:
    """Every object of a list (active and inactive), in QuickBooks' order."""
    return list(ask(f"<{list_name}QueryRq><ActiveStatus>All</ActiveStatus></{list_name}QueryRq>"))


def text(el: etree._Element, path: str) -> str:
    return el.findtext(path) or ""


def amount(value: str) -> str:
    try:
        return f"{Decimal(value):,.2f}" if value else ""
    except InvalidOperation:
        return value


def indented(el: etree._Element) -> str:
    name = text(el, "Name") or text(el, "FullName")
    return "  " * int(text(el, "Sublevel") or 0) + name


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """Plain-text columns; the columns numbered in `right` are right-aligned."""
    if not rows:
        return ["  (none)"]
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return ("  " + "  ".join(parts)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def render_company(qb: Host) -> str:
    """What is in the company: counts per list, then each list as a table."""
    with session(qb) as ask:
        company = ask("<CompanyQueryRq/>").find("CompanyRet")
        accounts = query(ask, "Account")
        classes = query(ask, "Class")
        vendors = query(ask, "Vendor")
        customers = query(ask, "Customer")
        items = query(ask, "Item")
        employees = query(ask, "Employee")
        other_names = query(ask, "OtherName")

    jobs = [c for c in customers if text(c, "ParentRef/ListID")]
    counts = [("Accounts", len(accounts)), ("Classes", len(classes)), ("Vendors", len(vendors)),
              ("Customers", len(customers) - len(jobs)), ("Jobs", len(jobs)), ("Items", len(items)),
              ("Employees", len(employees)), ("Other names", len(other_names))]
    name = text(company, "CompanyName") if company is not None else ""
    out = [f"Company: {name}" if name else "Company", ""]
    out += table(["List", "Count"], [[label, str(n)] for label, n in counts], right=[1])

    out += ["", "Chart of accounts"]
    out += table(["Name", "Type", "Number", "Balance Total"], [
        [indented(a), ACCOUNT_TYPE_LABELS.get(text(a, "AccountType"), text(a, "AccountType")),
         text(a, "AccountNumber"),
         amount(text(a, "TotalBalance")) if text(a, "AccountType") in BALANCE_SHEET_TYPES else ""]
        for a in accounts], right=[3])

    out += ["", "Classes"]
    out += table(["Name"], [[indented(c)] for c in classes])

    out += ["", "Vendors"]
    out += table(["Name", "Phone", "Email", "1099", "Balance"], [
        [indented(v), text(v, "Phone"), text(v, "Email"), "yes" if text(v, "IsVendorEligibleFor1099") == "true" else "",
         amount(text(v, "Balance"))] for v in vendors], right=[4])

    out += ["", "Customers and jobs"]
    out += table(["Name", "Phone", "Email", "Job status", "Balance Total"], [
        [indented(c), text(c, "Phone"), text(c, "Email"), text(c, "JobStatus") if text(c, "ParentRef/ListID") else "",
         amount(text(c, "TotalBalance"))] for c in customers], right=[4])

    type_order = list(ITEM_TYPE_LABELS)
    ordered = sorted(items, key=lambda i: type_order.index(i.tag) if i.tag in type_order else len(type_order))
    out += ["", "Items"]
    out += table(["Name", "Type", "Description", "Price", "Account"], [
        [indented(i), ITEM_TYPE_LABELS.get(i.tag, i.tag.removesuffix("Ret")),
         text(i, "SalesOrPurchase/Desc") or text(i, "SalesAndPurchase/SalesDesc") or text(i, "SalesDesc"),
         amount(text(i, "SalesOrPurchase/Price") or text(i, "SalesAndPurchase/SalesPrice") or text(i, "SalesPrice"))
         or text(i, "SalesOrPurchase/PricePercent"),
         text(i, "SalesOrPurchase/AccountRef/FullName") or text(i, "SalesAndPurchase/IncomeAccountRef/FullName")
         or text(i, "IncomeAccountRef/FullName")] for i in ordered], right=[3])

    out += ["", "Employees"]
    out += table(["Name", "Title", "Phone", "Email"], [
        [text(e, "Name"), text(e, "JobTitle"), text(e, "Phone"), text(e, "Email")] for e in employees])
    out += ["", "Other names"]
    out += table(["Name", "Phone", "Notes"], [
        [text(o, "Name"), text(o, "Phone"), text(o, "Notes")] for o in other_names])
    return "\n".join(out)


# -- commands -----------------------------------------------------------------------------------------------------

#: How `fakeqb seed` names the phases of seeding.
PHASES = {"lists": "Lists (qbXML)", "planning": "Planning the history", "history": "Entering the history",
          "writing": "Writing the tables"}


@contextmanager
def progress_shown(stream: TextIO) -> Iterator[Progress]:
    """A progress bar per phase on a terminal (rich), else a plain line at each quarter of a phase."""
    if stream.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bars

        with Bars(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(file=stream)) as bars:
            tasks: dict[str, Any] = {}

            def bar(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bars.add_task(PHASES.get(phase, phase), total=total)
                bars.update(tasks[phase], completed=done, total=total)

            yield bar
        return
    started: dict[str, float] = {}
    shown: dict[str, int] = {}

    def line(phase: str, done: int, total: int) -> None:
        start = started.setdefault(phase, time.monotonic())
        quarter = 4 * done // total if total else 4
        if quarter > shown.get(phase, 0):
            shown[phase] = quarter
            print(f"{PHASES.get(phase, phase)}: {done:,} of {total:,} ({time.monotonic() - start:.1f} s)",
                  file=stream, flush=True)

    yield line


def cmd_seed(args: argparse.Namespace) -> int:
    qb = open_host(args.db)
    try:
        with progress_shown(sys.stdout) as progress:
            summary = build_company(qb, args.seed, seed_sizes(args), progress=progress)
    finally:
        qb.close()
    print(f"Seeded {args.db} (seed {args.seed}):")
    print(summary)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    qb = open_host(args.db, must_exist=True)
    try:
        print(render_company(qb))
    finally:
        qb.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with Host() as qb:
        seed_host(qb, args.seed, **DEMO_SIZES)
        print(f"fakeqb demo: a company in memory, seeded with seed {args.seed}\n")
        print(render_company(qb))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from fakeqb.http.server import LOOPBACK, new_token, serve  # Flask is imported only when serving

    if args.port > 65535:
        raise CliError(f"not a port number: {args.port} (0 to 65535; 0 for a free one)")
    logging.basicConfig(level=logging.INFO, format="fakeqb: %(levelname)s: %(message)s")
    try:
        behaviours = parse_behaviours(args.behaviour or [])
    except BehaviourError as exc:
        raise CliError(str(exc)) from None
    token = args.control_token or os.environ.get(TOKEN_VARIABLE) or None
    if args.host not in LOOPBACK and not token:
        raise CliError(f"serving on {args.host} lets other machines reach the control plane: give it a token of your "
                       "own with --control-token (or FAKEQB_CONTROL_TOKEN)")
    token = token or new_token()
    qb = open_host(args.db)
    try:
        for name, value in behaviours.items():
            qb.company.behaviours.set(name, value)
        if args.seed is not None:
            seed_host(qb, args.seed)
            print(f"Seeded the company (seed {args.seed}).", flush=True)
        serve(qb, args.host, args.port, control_token=token, ready=lambda url: print(
            f"fakeqb: serving {qb.file_name} ({args.db}) at {url}  (Ctrl+C to stop)\n"
            f"fakeqb: control token: {token}", flush=True))
    finally:
        qb.close()
    return 0


def cmd_behaviours(args: argparse.Namespace) -> int:
    print_behaviours(Behaviours().describe(), evidence=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakeqb", description="A simulated QuickBooks Desktop company.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seed = commands.add_parser("seed", help="fill an empty company with realistic lists and history",
                               description="Fill an empty company with realistic small-business lists and, with "
                                           "--bills or --invoices, months of transactions before the company's day.")
    seed.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=f"company database (default {DEFAULT_DB})")
    add_seed_options(seed)
    seed.set_defaults(func=cmd_seed)

    show = commands.add_parser("show", help="show what is in a company", description="Show what is in a company.")
    show.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=f"company database (default {DEFAULT_DB})")
    show.set_defaults(func=cmd_show)

    demo = commands.add_parser("demo", help="seed a company in memory and show it",
                               description="Seed a small company in memory and show it.")
    demo.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    demo.set_defaults(func=cmd_demo)

    serve = commands.add_parser("serve", help="serve a company over HTTP (the QBXMLRP2 surface)",
                                description="Serve a company over HTTP: the QBXMLRP2 request processor surface for "
                                            "fakeqb.http.client.HttpRequestProcessor, and the control plane.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=non_negative, default=SERVE_PORT, metavar="N",
                       help=f"port to listen on, 0 for a free one (default {SERVE_PORT})")
    serve.add_argument("--db", default=SERVE_DB, metavar="URL", help="company database (default: in memory)")
    serve.add_argument("--seed", type=int, default=None, metavar="N", help="seed the company first (random seed N)")
    serve.add_argument("--control-token", metavar="TOKEN", help="the token the control plane asks for (default: a "
                       "new random one, printed; FAKEQB_CONTROL_TOKEN also sets it)")
    serve.add_argument("--behaviour", action="append", metavar="NAME=VALUE",
                       help="switch one of QuickBooks' open behaviours (repeatable; see: fakeqb behaviours)")
    serve.set_defaults(func=cmd_serve)

    behaviours = commands.add_parser("behaviours", help="QuickBooks' open behaviours: values, defaults, evidence",
                                     description="The behaviours of QuickBooks the evidence leaves open, each with "
                                                 "its values, its default and the evidence for each value.")
    behaviours.set_defaults(func=cmd_behaviours)

    add_control_parser(commands)
    add_webconnector_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `fakeqb` command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already reported
        return exc.code if isinstance(exc.code, int) else 1
    try:
        return int(args.func(args))
    except BrokenPipeError:  # the output went to `head` or similar, which has stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (CliError, SeedError, ComError) as exc:
        print(f"fakeqb: error: {exc}", file=sys.stderr)
    except (SQLAlchemyError, OSError) as exc:
        print(f"fakeqb: error: {reason(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("fakeqb: interrupted", file=sys.stderr)
        return 130
    return 1
