"""`connect` binds the app to a company file; `sync` runs one sync: lists, then transactions.

Order of a run: pull the lists (accounts, classes, vendors, customers and jobs, items); push the app's lists; pull
transactions (bills with 2-way bill sync, invoices); push transactions (bills, vendor credits, bill payments, funds
transfers, invoices, invoice payments); read the bank balances last, so they include what the run sent. Lists come
before the transactions that refer to them, and QuickBooks' changes are read before the app's are sent, so a record
changed on both sides is merged.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select

from syncer.app import rules
from syncer.app.app import App, settings_row
from syncer.app.models import Link, Settings, SyncIssueRow
from syncer.engine import applications, bills, lists, payables, receivables
from syncer.engine.context import DEFAULT_OVERLAP, DEFAULT_PAGE_SIZE, Run
from syncer.engine.progress import Progress, silent
from syncer.engine.report import SyncReport
from syncer.engine.transactions import push_new
from syncer.errors import BadAnswerError, NotAllowedError, NotConnectedError, QuickBooksUnavailable
from syncer.hresults import MESSAGES
from syncer.qbxml import VERSION
from syncer.qbxml.lists import company_query
from syncer.qbxml.read import text
from syncer.transport import Session


def _check_version(qb: Session, brand: str) -> None:
    """QuickBooks must speak the syncer's qbXML version (QuickBooks 2014 or later)."""
    supported = {float(v) for v in qb.versions() if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,3})?", v)}
    if supported and max(supported) < float(VERSION):
        raise QuickBooksUnavailable(MESSAGES[0x80040423].format(app=brand, file=""))


def connect(app: App, request_processor: Any, on: date | str | None = None) -> Settings:
    """Bind the app to the company file open in QuickBooks; `on` (default today) is the AR sync start date.

    Connecting again to the same company keeps the start date unless `on` is given; connecting to another company
    once anything has synced is refused (its links would point into the other file).
    """
    settings = app.settings
    with Session(request_processor, settings.brand) as qb:
        _check_version(qb, settings.brand)
        file_name = qb.current_file()
        rs = qb.send(company_query())
        company = text(rs.rets()[0], "CompanyName") if rs.rets() else None
    with app.session() as s:
        current = settings_row(s)
        if (current.connected_on is not None and not _same_company(current, file_name, company)
                and s.query(Link).first() is not None):
            raise NotAllowedError(f"{current.brand} is connected to {current.company_file or current.company_name}. "
                                  "Connecting to another company file needs an assisted migration: contact Customer "
                                  "Support.")
        if current.connected_on is None or on is not None or not _same_company(current, file_name, company):
            current.connected_on = rules.day(on, "connect date") if on is not None else date.today()
        current.company_file = file_name or current.company_file
        current.company_name = company
    return app.settings


def _same_company(settings: Settings, file_name: str, company: str | None) -> bool:
    if settings.company_file and file_name:
        return settings.company_file.lower() == file_name.lower()
    return (settings.company_name or "") == (company or "")


def sync(app: App, request_processor: Any, *, page_size: int = DEFAULT_PAGE_SIZE,
         overlap: timedelta = DEFAULT_OVERLAP, sleep: Callable[[float], None] = time.sleep,
         lock_retries: int = 4, progress: Progress = silent) -> SyncReport:
    """Run one sync between the app and QuickBooks; the report says what moved and what could not. `progress` is
    told how each phase goes (`syncer.engine.progress`).

    Raises `QuickBooksUnavailable` (with the partial report as `.report`) when QuickBooks cannot be reached or stops
    answering: what was saved before stays saved, and the next run carries on without entering anything twice.
    """
    settings = app.settings
    if not settings.connected:
        raise NotConnectedError(f"Connect {settings.brand} to QuickBooks first.")
    report = SyncReport(settings.brand, settings.company_file or settings.company_name or "")
    qb = Session(request_processor, settings.brand, settings.company_file or "", sleep=sleep,
                 lock_retries=lock_retries)
    try:
        with qb:
            _check_version(qb, settings.brand)
            run = Run(app, qb, settings, report, page_size=page_size, overlap=overlap, progress=progress)
            for spec in lists.LISTS:
                lists.pull_list(run, spec)
            for spec in lists.LISTS:
                lists.push_list(run, spec)
            if settings.two_way_bill_sync:
                bills.pull_bills(run)
            with run.session() as s:  # then every invoice this run reads is new to the app, its balance taken whole
                no_invoice_yet = s.scalar(select(Link.id).where(Link.kind == "invoice").limit(1)) is None
            receivables.pull_invoices(run)
            if receivables.status_from_quickbooks(run):
                applications.pull_applied(run, read_again=not no_invoice_yet)
            bills.push_bills(run)
            payables.push_vendor_credits(run)
            for txn in (payables.BILL_PAYMENTS, payables.FUNDS_TRANSFERS, receivables.INVOICES,
                        receivables.INVOICE_PAYMENTS):
                push_new(run, txn)
            lists.pull_bank_balances(run)
    except BadAnswerError as exc:  # an answer no step of the run could take for one object
        unavailable = QuickBooksUnavailable(f"QuickBooks sent an answer that could not be used ({exc.message}). "
                                            "Sync again; nothing will be entered twice.")
        _abort(app, report, qb, unavailable)
        raise unavailable from exc
    except QuickBooksUnavailable as exc:
        _abort(app, report, qb, exc)
        raise
    report.requests = qb.requests
    _save_issues(app, report)
    return report


def _abort(app: App, report: SyncReport, qb: Session, exc: QuickBooksUnavailable) -> None:
    """Record why a run ended early, with its partial report."""
    report.aborted = exc.message
    report.requests = qb.requests
    _save_issues(app, report)
    exc.report = report


def _save_issues(app: App, report: SyncReport) -> None:
    with app.session(journal=False) as s:
        s.execute(delete(SyncIssueRow))
        for issue in [*report.errors, *report.notices]:
            s.add(SyncIssueRow(severity=issue.severity, kind=issue.kind, name=issue.name, message=issue.message))

