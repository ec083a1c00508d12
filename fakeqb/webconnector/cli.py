"""`fakeqb webconnector run`: one Web Connector update of an integration against a company file.

    fakeqb webconnector run --url http://localhost:8000/qbwc --user acme --password secret --db sqlite:///company.db
    fakeqb webconnector run --qwc app.qwc --password secret --qb-url http://127.0.0.1:8765

It prints the run's log (as QWCLog.txt has it) and its summary; the exit status is 0 when the update ended as the
integration meant it to (see `RunSummary.ok`), 1 otherwise.
"""

from __future__ import annotations

import argparse
from typing import Any

from fakeqb.control.cli import CliError, open_host

DEFAULT_DB = "sqlite:///company.db"


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return number


def cmd_run(args: argparse.Namespace) -> int:
    try:
        from fakeqb.webconnector.connector import FakeWebConnector
        from fakeqb.webconnector.qwc import QwcError, load_qwc
    except ImportError as exc:  # zeep is the webconnector extra
        raise CliError(f"the Web Connector needs the webconnector extra ({exc.name}): "
                       "pip install 'qbd-harness[webconnector]'") from None
    qwc = None
    if args.qwc:
        try:
            qwc = load_qwc(args.qwc)
        except QwcError as exc:
            raise CliError(f"{args.qwc}: {exc}") from None
    if args.url is None and qwc is None:
        raise CliError("give --url, or --qwc with the integration's AppURL")
    if args.user is None and qwc is None:
        raise CliError("give --user, or --qwc with the UserName")
    host = None
    company: Any
    if args.qb_url:
        from fakeqb.http.client import HttpRequestProcessor

        url = args.qb_url
        company = lambda: HttpRequestProcessor(url)  # noqa: E731
    else:
        host = company = open_host(args.db, must_exist=True)
    try:
        summary = FakeWebConnector(args.url, args.user, args.password, company=company, qwc=qwc,
                                   app_name=args.app_name, timeout=args.timeout, noop_pause=args.noop_pause,
                                   accept_warnings=not args.decline_warnings).run()
    finally:
        if host is not None:
            host.close()
    print(summary)
    return 0 if summary.ok else 1


def add_webconnector_parser(commands: Any) -> None:
    """`fakeqb webconnector run ...` on the `fakeqb` command's subparsers."""
    webconnector = commands.add_parser(
        "webconnector", help="drive a QuickBooks Web Connector integration against a company",
        description="Play QuickBooks Web Connector for an integration's SOAP service, against a fakeqb company.")
    actions = webconnector.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="one update: call the integration as QBWC does, answer its qbXML",
                             description="One Web Connector update of the integration at --url (or the .qwc "
                                         "file's AppURL): its qbXML is answered by the company, its log printed.")
    run.add_argument("--url", help="the integration's SOAP endpoint (default: the .qwc file's AppURL)")
    run.add_argument("--user", help="the user name sent to authenticate (default: the .qwc file's UserName)")
    run.add_argument("--password", required=True, help="the password sent to authenticate")
    run.add_argument("--qwc", metavar="FILE", help="the integration's .qwc file")
    run.add_argument("--app-name", help="the application's name for QuickBooks (default: the .qwc file's AppName)")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=f"company database (default {DEFAULT_DB})")
    where.add_argument("--qb-url", metavar="URL", help="a company served by `fakeqb serve` instead")
    run.add_argument("--timeout", type=_positive, default=100.0, metavar="S",
                     help="seconds each SOAP call may take (default 100, as QBWC)")
    run.add_argument("--noop-pause", type=_positive, default=5.0, metavar="S",
                     help="seconds to wait after getLastError answers NoOp (default 5, as QBWC)")
    run.add_argument("--decline-warnings", action="store_true",
                     help="answer No when clientVersion warns (W:...): the update stops")
    run.set_defaults(func=cmd_run)
