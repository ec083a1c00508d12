"""syncer: the production sync engine between the app (Cashflow360 / Key CashFlow) and QuickBooks Desktop.

    from syncer import App, connect, sync
    app = App("sqlite:///app.db")
    connect(app, request_processor)          # the company file open in QuickBooks; today is the AR start date
    report = sync(app, request_processor)    # one run: what moved each way, and the sync errors
    print(report)

`request_processor` is anything with the methods of QuickBooks' `QBXMLRP2.RequestProcessor` COM object.
"""

from syncer.app import App
from syncer.engine.report import Issue, SyncReport
from syncer.engine.run import connect, sync
from syncer.errors import (
    AppError,
    BadAnswerError,
    DuplicateError,
    InvalidInputError,
    NotAllowedError,
    NotConnectedError,
    NotFoundError,
    QuickBooksUnavailable,
    SyncerError,
)

__all__ = [
    "App",
    "AppError",
    "BadAnswerError",
    "DuplicateError",
    "InvalidInputError",
    "Issue",
    "NotAllowedError",
    "NotConnectedError",
    "NotFoundError",
    "QuickBooksUnavailable",
    "SyncReport",
    "SyncerError",
    "connect",
    "sync",
]
