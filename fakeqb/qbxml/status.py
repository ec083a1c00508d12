"""QuickBooks' status codes, severities and message texts, in one place.

Texts marked VERIFIED were captured from real QuickBooks responses or Intuit's status-code table. The others are
ASSUMED: QuickBooks' wording for them has not been seen; they follow the verified ones' style and are the place to
correct when a real response shows otherwise.
"""

from __future__ import annotations

from typing import Any

INFO, WARN, ERROR = "Info", "Warn", "Error"
_QB_NOT_IN_LIST = "QuickBooks error message: Invalid argument.  The specified record does not exist in the list."


class StatusError(Exception):
    """A request-level failure QuickBooks reports in the response's status attributes (not as an HRESULT)."""

    def __init__(self, code: int, message: str, severity: str = ERROR, ret: tuple[str, Any] | None = None):
        super().__init__(message)
        self.code, self.message, self.severity = code, message, severity
        self.ret = ret  # the object as it is, answered with the error (model element name, its data)


def ok() -> tuple[int, str, str]:  # VERIFIED
    return 0, INFO, "Status OK"


def no_match() -> StatusError:  # VERIFIED
    return StatusError(1, "A query request did not find a matching object in QuickBooks", INFO)


def not_found_warning(value: str) -> StatusError:  # VERIFIED
    return StatusError(500, "The query request has not been fully completed. There was a required element "
                            f'("{value}") that could not be found in QuickBooks.', WARN)


def too_long(value: str, field: str) -> StatusError:  # VERIFIED
    return StatusError(3070, f'The string "{value}" in the field "{field}" is too long.')


def name_in_use(name: str) -> StatusError:  # VERIFIED
    return StatusError(3100, f'The name "{name}" of the list element is already in use.')


def object_not_found(obj_id: str) -> StatusError:  # VERIFIED
    return StatusError(3120, f'Object "{obj_id}" specified in the request cannot be found.  {_QB_NOT_IN_LIST}')


def invalid_parent(value: str, list_name: str) -> StatusError:
    """3130: a ParentRef naming nothing. VERIFIED for the Customers list; the plural of other lists is ASSUMED."""
    plural = list_name[:-1] + "ies" if list_name.endswith("y") else list_name + ("es" if list_name.endswith("s")
                                                                                 else "s")
    return StatusError(3130, f'There is an invalid reference to a parent "{value}" in the {plural} list.  '
                             f"{_QB_NOT_IN_LIST}")


def invalid_reference(list_name: str, value: str, in_object: str) -> StatusError:  # VERIFIED
    return StatusError(3140, f'There is an invalid reference to QuickBooks {list_name} "{value}" in the '
                             f"{in_object}.  {_QB_NOT_IN_LIST}")


def stale_edit_sequence(sent: str, current: tuple[str, Any] | None = None) -> StatusError:
    """VERIFIED, the trailing space is QuickBooks'; answered with the object as it is now (`current`)."""
    return StatusError(3200, f'The provided edit sequence "{sent}" is out-of-date. ', ret=current)


def unsupported_field(field: str) -> StatusError:  # VERIFIED (530, Warn; the object is saved and returned)
    return StatusError(530, f'The field "{field}" is not supported by this implementation.', WARN)


def not_processed() -> StatusError:  # VERIFIED: every request after the failing one under stopOnError
    return StatusError(3231, "The request has not been processed.")


def not_supported() -> StatusError:  # VERIFIED (text as quoted for 3250)
    return StatusError(3250, "This feature is not enabled or not available in this version of QuickBooks.")


def invalid_value(field: str, value: str, reason: str) -> StatusError:  # VERIFIED shape (3210)
    return StatusError(3210, f'The "{field}" field has an invalid value "{value}".  QuickBooks error message: {reason}')


def overpayment(value: str, field: str = "AppliedToTxnAdd") -> StatusError:  # VERIFIED for AppliedToTxnAdd (3210)
    return invalid_value(f"{field} payment amount", value, "You cannot pay more than the amount due.")


def closing_date(action: str, txn_type: str, terse: bool = False) -> StatusError:
    """3171: a transaction dated on or before the company's closing date.

    VERIFIED for a Mod ("An attempt was made to modify a Invoice with a date that is on or before the closing date of
    the company. ...", quoted from a QuickBooks export log); for add, delete and void the verb is ASSUMED. `terse`
    (behaviour `lock_texts`): the bare meaning of Intuit's status table.
    """
    if terse:
        return StatusError(3171, "Cannot modify closed period.")
    return StatusError(3171, f"An attempt was made to {action} a {txn_type} with a date that is on or before the "
                             "closing date of the company. If you are sure you really want to do this, please ask a "
                             "user with Admin privileges to remove the password for editing transactions on or before "
                             "to closing date (this setting is in the Accounting Company Preferences), then try again.")


def cannot_save_txn(txn_type: str, reason: str) -> StatusError:  # VERIFIED shape (3180), reasons ASSUMED
    return StatusError(3180, f"There was an error when saving a {txn_type}. QuickBooks error message: {reason}")


def cannot_save(list_name: str, name: str, reason: str) -> StatusError:  # VERIFIED shape (3180), reasons ASSUMED
    return StatusError(3180, f'There was an error when saving a {list_name} list, element "{name}". '
                             f"QuickBooks error message: {reason}")


def cannot_delete(list_name: str, name: str, reason: str) -> StatusError:  # ASSUMED (3170 family)
    return StatusError(3170, f'There was an error when deleting a {list_name} list, element "{name}". '
                             f"QuickBooks error message: {reason}")


def invalid_iterator(iterator_id: str) -> StatusError:  # ASSUMED: no captured response for a bad iteratorID
    return StatusError(3000, f'The given object ID "{iterator_id}" in the field "iteratorID" is invalid.')


def invalid_date(value: str, field: str) -> StatusError:  # ASSUMED wording; 3020 is Intuit's "invalid date"
    return StatusError(3020, f'There was an error when converting the date value "{value}" in the field "{field}".')


def internal_error() -> StatusError:  # VERIFIED code and meaning (Intuit's table: 1000 "Internal error")
    return StatusError(1000, "There has been an internal error when processing the request.")


def request_id_too_long(request_id: str) -> StatusError:  # VERIFIED code (1060); wording ASSUMED
    return StatusError(1060, f'The request ID "{request_id}" is invalid, possibly too long, max 50 chars.')


#: What QuickBooks says when another user holds what a request needs (the 3170/3175/3176/3180 family).
#: 3180 VERIFIED ('There was an error when saving a Customer list, element "Newcastle Tenants Federation". QuickBooks
#: error message: This list has been modified by another user.'); 3170 VERIFIED shape ("There was an error when
#: modifying a ... QuickBooks error message: This list has been modified by another user."); the 3175 and 3176 texts
#: are ASSUMED, built from the phrases integrations match on ("list element is in use", "internals could not be
#: locked"); for transactions and for requests naming no element the wording is ASSUMED too.
LOCK_ERRORS: dict[int, tuple[str, str]] = {
    3170: ("modifying", "This list has been modified by another user."),
    3175: ("locking", "The list element is in use by another user."),
    3176: ("locking", "The internals could not be locked. They are in use by another user."),
    3180: ("saving", "This list has been modified by another user."),
}


#: The bare meanings of the lock errors no capture shows (behaviour `lock_texts` "terse").
TERSE_LOCK_ERRORS = {3170: "Record is in use.", 3175: "Object locked.", 3176: "Object locked."}


def lock_error(code: int, object_type: str, element: str | None, is_list: bool = True,
               terse: bool = False) -> StatusError:
    """A lock error (`code` in LOCK_ERRORS) on `object_type` ("Customer", "Bill"), naming `element` if known."""
    if terse and code in TERSE_LOCK_ERRORS:
        return StatusError(code, TERSE_LOCK_ERRORS[code])
    verb, reason = LOCK_ERRORS[code]
    what = f"{object_type} list" if is_list else object_type
    named = f', element "{element}"' if element else ""
    if not is_list and code == 3175:
        reason = "The transaction is in use by another user."
    return StatusError(code, f"There was an error when {verb} a {what}{named}. QuickBooks error message: {reason}")
