"""The errors the syncer raises: each carries a message written for the person using the app."""

from __future__ import annotations


class SyncerError(Exception):
    """Base of the syncer's errors; `message` is what the user is shown."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class AppError(SyncerError):
    """The app refused an operation (bad input, a rule of the app); nothing was changed."""


class NotFoundError(AppError):
    """The object named does not exist in the app."""


class InvalidInputError(AppError):
    """A value is missing, malformed or out of range."""


class DuplicateError(AppError):
    """Another object already uses this name or number."""


class NotAllowedError(AppError):
    """A rule of the app forbids the operation (e.g. editing an invoice that has synced)."""


class NotConnectedError(AppError):
    """The app is not connected to a QuickBooks company file yet."""


class QuickBooksUnavailable(SyncerError):  # noqa: N818  (the name users of the API know)
    """QuickBooks could not be reached or stopped answering; the sync run ended.

    `hresult` is QuickBooks' HRESULT (unsigned) when the request processor raised one. `report` is the partial
    report of the run that ended (what moved before QuickBooks became unavailable), when there was a run.
    """

    def __init__(self, message: str, hresult: int | None = None, detail: str = ""):
        super().__init__(message)
        self.hresult = hresult
        self.detail = detail
        self.report: object | None = None


class RequestRejectedError(SyncerError):
    """QuickBooks could not read one request (HRESULT 0x80040400); nothing was processed."""


class BadAnswerError(SyncerError):
    """QuickBooks' answer does not answer the request sent (another object, another type, an ID or EditSequence
    missing, a value that cannot be read, not qbXML at all). `message` says what was wrong with it; the engine
    words the user's sync error for the object concerned."""
