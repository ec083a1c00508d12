"""The `syncer` command: connect the app to QuickBooks, run a sync, change the sync settings.

    syncer connect  --app-db sqlite:///app.db --com [--on 2024-03-01]
    syncer run      --app-db sqlite:///app.db --com
    syncer settings --app-db sqlite:///app.db --two-way-bill-sync on --ap-account "Accounts Payable"

`run` shows a progress bar per phase on a terminal (on stderr; the report goes to stdout), and a plain line at each
quarter of a phase and at its end when stderr is not a terminal.

Where QuickBooks is:
    --com                            QuickBooks on this Windows machine: the QBXMLRP2.RequestProcessor COM object
                                     (needs pywin32: pip install 'qbd-harness[com]')
    --qb-url http://127.0.0.1:PORT   a QuickBooks simulator serving the request processor's methods over HTTP
    --processor MODULE:CALLABLE      any object with the request processor's methods, made by calling CALLABLE
                                     (with the --qb-url value when one is given)
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from syncer.app.app import App
from syncer.app.preferences import MAPPINGS
from syncer.engine.progress import Progress, Step
from syncer.engine.run import connect, sync
from syncer.errors import QuickBooksUnavailable, SyncerError

COM_PROGID = "QBXMLRP2.RequestProcessor"


class CliError(Exception):
    """A problem with the command line, worth one line on stderr."""


def request_processor(args: argparse.Namespace) -> Any:
    """The request processor the options name."""
    if args.processor:
        module_name, _, attribute = args.processor.partition(":")
        if not module_name or not attribute:
            raise CliError(f"--processor must be MODULE:CALLABLE, not {args.processor!r}")
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise CliError(f"cannot load {args.processor}: {exc}") from None
        return factory(args.qb_url) if args.qb_url else factory()
    if args.com:
        try:
            import win32com.client  # type: ignore[import-not-found]
        except ImportError:
            raise CliError("--com needs Windows and pywin32 (pip install 'qbd-harness[com]')") from None
        return win32com.client.Dispatch(COM_PROGID)
    if args.qb_url:
        from syncer.remote import HttpRequestProcessor

        return HttpRequestProcessor(args.qb_url)
    raise CliError("say where QuickBooks is: --com, --qb-url URL or --processor MODULE:CALLABLE")


def _where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--app-db", required=True, help="the app's database URL (sqlite:///app.db, postgresql://...)")
    parser.add_argument("--com", action="store_true", help="use QuickBooks on this machine (Windows, pywin32)")
    parser.add_argument("--qb-url", help="a QuickBooks simulator's URL (http://127.0.0.1:PORT)")
    parser.add_argument("--processor", help="MODULE:CALLABLE making the request processor")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syncer", description="Sync the app with QuickBooks Desktop.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("connect", help="connect the app to the company file open in QuickBooks")
    _where(p)
    p.add_argument("--on", help="the connect date, which is the AR sync start date (default: today)")
    p = commands.add_parser("run", help="run one sync and print its report")
    _where(p)
    p.add_argument("--page-size", type=int, default=100, help="objects per query page (default 100)")
    p = commands.add_parser("settings", help="show or change the sync settings")
    p.add_argument("--app-db", required=True, help="the app's database URL")
    p.add_argument("--brand", choices=("Cashflow360", "Key CashFlow"))
    p.add_argument("--two-way-bill-sync", choices=("on", "off"))
    p.add_argument("--record-funds-transfer", choices=("on", "off"))
    p.add_argument("--invoice-status-sync", choices=("on", "off"),
                   help="Customer Support's switch (accounts created before June 5, 2020)")
    p.add_argument("--account-created-on", help="the app account's creation date (YYYY-MM-DD)")
    p.add_argument("--conflict-master", choices=("QuickBooks", "app"))
    for mapping in MAPPINGS:
        p.add_argument(f"--{mapping.replace('_', '-')}", help="an account's full name")
    return parser


@contextmanager
def progress_shown(stream: TextIO) -> Iterator[Progress]:
    """A progress bar per phase on a terminal (rich), else a plain line at each quarter of a phase and at its end."""
    if stream.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bars

        with Bars(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(file=stream), transient=False) as bars:
            tasks: dict[str, Any] = {}

            def bar(step: Step) -> None:
                if step.phase not in tasks:
                    tasks[step.phase] = bars.add_task(step.phase, total=step.total)
                bars.update(tasks[step.phase], completed=step.done, total=step.total)

            yield bar
        return
    started: dict[str, float] = {}
    shown: dict[str, int] = {}

    def line(step: Step) -> None:
        start = started.setdefault(step.phase, time.monotonic())
        if step.finished:
            print(f"{step.phase}: {step.done:,} ({time.monotonic() - start:.1f} s)", file=stream, flush=True)
            return
        quarter = 4 * step.done // step.total if step.total else 0
        if 0 < quarter < 4 and quarter > shown.get(step.phase, 0):
            shown[step.phase] = quarter
            print(f"{step.phase}: {step.done:,} of {step.total:,} ({time.monotonic() - start:.1f} s)", file=stream,
                  flush=True)

    yield line


def _settings(app: App, args: argparse.Namespace) -> str:
    values: dict[str, Any] = {}
    for name in ("brand", "account_created_on", "conflict_master", *MAPPINGS):
        if getattr(args, name, None) is not None:
            values[name] = getattr(args, name)
    for name in ("two_way_bill_sync", "record_funds_transfer", "invoice_status_sync"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name) == "on"
    settings = app.configure(**values) if values else app.settings
    lines = [f"brand: {settings.brand}",
             f"connected to: {settings.company_file or settings.company_name or '(not connected)'}",
             f"AR sync start date: {settings.connected_on or '-'}",
             f"account created on: {settings.account_created_on}",
             f"2-way bill sync: {'on' if settings.two_way_bill_sync else 'off'}",
             f"record funds transfer: {'on' if settings.record_funds_transfer else 'off'}",
             f"invoice status sync: {'on' if settings.invoice_status_sync else 'off'}",
             f"master in case of conflict: {settings.conflict_master}"]
    for mapping in MAPPINGS:
        account = getattr(settings, mapping)
        lines.append(f"{mapping.replace('_', ' ')}: {account.full_name if account else '-'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        try:
            app = App(args.app_db)
        except (ArgumentError, SQLAlchemyError) as exc:
            raise CliError(f"cannot open the app database {args.app_db!r}: {exc}") from None
        try:
            if args.command == "settings":
                print(_settings(app, args))
                return 0
            rp = request_processor(args)
            if args.command == "connect":
                settings = connect(app, rp, on=args.on)
                print(f"{settings.brand} is connected to {settings.company_file or settings.company_name}; "
                      f"AR sync start date {settings.connected_on}.")
                return 0
            with progress_shown(sys.stderr) as progress:
                report = sync(app, rp, page_size=args.page_size, progress=progress)
            print(report)
            return 0 if report.ok else 1
        finally:
            app.close()
    except QuickBooksUnavailable as exc:
        if exc.report is not None:
            print(exc.report)
        print(f"syncer: {exc.message}", file=sys.stderr)
        return 3
    except (SyncerError, CliError) as exc:
        print(f"syncer: {exc}", file=sys.stderr)
        return 2
