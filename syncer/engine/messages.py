"""The sync errors and notices a user reads, in one place: what went wrong, and what to do about it."""

from __future__ import annotations

from syncer.errors import BadAnswerError
from syncer.qbxml.read import Rs
from syncer.transport import is_lock

NAME_IN_USE = 3100
NOT_FOUND_CODES = frozenset((500, 3120))
INVALID_REFERENCE = 3140
STALE = 3200
INVALID_VALUE = 3210
TOO_LONG = 3070

_OTHER_LISTS = {
    "vendor": "a customer, an employee or an other name",
    "customer": "a vendor, an employee or an other name",
}


def said(rs: Rs) -> str:
    return f'QuickBooks said: "{rs.message}"' if rs.message else f"QuickBooks answered with status {rs.code}"


def unreadable(what: str, rs: Rs) -> str:
    if is_lock(rs):
        return (f"{what} could not be read from QuickBooks because a record is open in QuickBooks ({said(rs)}). "
                "They will be read again with the next sync; close the record in QuickBooks if this repeats.")
    return f"{what} could not be read from QuickBooks ({said(rs)}). They will be read again with the next sync."


def bad_answer(noun: str, exc: BadAnswerError, adding: bool) -> str:
    """An Add or Mod whose answer does not answer it (another object, an ID missing, not qbXML...)."""
    if adding:
        return (f"QuickBooks' answer to this {noun} does not match what was sent ({exc.message}), so it was not "
                f"linked. QuickBooks may have saved it: the next sync looks for it in QuickBooks before sending it "
                "again, so it is not entered twice.")
    return (f"QuickBooks' answer to the change of this {noun} does not match what was sent ({exc.message}). The next "
            f"sync reads the {noun} from QuickBooks again and sends what is left.")


def bad_lookup(noun: str, exc: BadAnswerError) -> str:
    """A query made before sending an object was answered with something unusable."""
    return (f"QuickBooks' answer could not be used while this {noun} was checked before sending ({exc.message}). "
            "It will be sent with the next sync.")


def bad_read(what: str, exc: BadAnswerError) -> str:
    return (f"{what} could not be read from QuickBooks: its answer could not be used ({exc.message}). They are read "
            "again with the next sync.")


def skipped(noun: str, problem: str) -> str:
    """A record of a query's answer left out as unusable."""
    return (f"QuickBooks sent this {noun} incomplete or malformed ({problem}), so it was skipped; it is read again "
            "with the next sync.")


def refused(noun: str, rs: Rs) -> str:
    """The generic message for a write QuickBooks refused."""
    if is_lock(rs):
        return (f"QuickBooks could not save the {noun} because the record or list is in use by someone else "
                f"({said(rs)}). It will be sent again with the next sync.")
    if rs.code == TOO_LONG:
        return f"A value is too long for QuickBooks ({said(rs)}). Shorten it and sync again."
    if rs.code == INVALID_REFERENCE:
        return (f"The {noun} refers to something QuickBooks does not have or cannot use ({said(rs)}). Check that "
                "its vendor or customer, accounts, departments and items are active and synced, then sync again.")
    return f"QuickBooks did not accept the {noun} ({said(rs)}). Correct it and sync again."


def name_in_use(noun: str, name: str, brand: str) -> str:
    """A vendor or customer whose name QuickBooks already uses in its shared list of names."""
    others = _OTHER_LISTS.get(noun, "another list element")
    example = f"{name} - {noun.capitalize()}"
    return (f'QuickBooks already uses the name "{name}" for {others}: QuickBooks keeps customers, vendors, '
            f'employees and other names in one list, so each name can be used once. Rename the {noun} in {brand} '
            f'(for example "{example}") and sync again.'
            + (" Payments use the vendor's Pay To name, so renaming the vendor is safe." if noun == "vendor" else ""))


def list_name_taken(noun: str, name: str, brand: str) -> str:
    return (f'QuickBooks already has a list element named "{name}" that {brand} cannot use as this {noun}. '
            f"Rename the {noun} in {brand} and sync again.")


def deleted_in_quickbooks(noun: str, name: str, brand: str) -> str:
    return (f'The {noun} "{name}" was deleted in QuickBooks. It will be added to QuickBooks again with the next sync; '
            f"make it inactive in {brand} if it is no longer used.")


def conflict(noun: str, name: str, fields: list[str], master: str, brand: str) -> str:
    winner = "QuickBooks" if master == "QuickBooks" else brand
    return (f"Update from QuickBooks or {brand}: the {noun} \"{name}\" was changed in both since the last sync "
            f"({', '.join(fields)}). {winner} is the master in case of conflict, so its version was kept; change the "
            f"{noun} again if the other version was right.")


def not_synced(noun: str, name: str) -> str:
    return f'The {noun} "{name}" has not synced to QuickBooks yet: fix its sync error first, then sync again.'


def item_not_in_quickbooks(name: str, brand: str) -> str:
    return (f'The item "{name}" was created in {brand}, and items do not sync to QuickBooks. Create "{name}" in '
            f"QuickBooks (same name) and sync again: {brand} will use the QuickBooks item.")


def invoice_exists(number: str, brand: str) -> str:
    return (f"Duplicate invoice: invoice {number} already exists in QuickBooks. Delete the invoice in QuickBooks and "
            f"sync again, so the invoice created in {brand} syncs to QuickBooks.")


def bill_payment_refused(bill: str, rs: Rs, with_credits: bool) -> str:
    message = (f"The bill payment for bill {bill} cannot be synced because the corresponding bill cannot be found in "
               f"QuickBooks or a payment has already been recorded for this bill in QuickBooks ({said(rs)}). Delete "
               "the payment recorded in QuickBooks and sync again.")
    if with_credits:
        message += (" If a vendor credit was applied to this bill in QuickBooks, remove that application: credits "
                    "are applied with the payment, so they must not be applied in QuickBooks by hand.")
    return message


def credit_memo_first(invoice: str, rs: Rs) -> str:
    return (f"The payment could not be recorded on invoice {invoice} in QuickBooks ({said(rs)}): a credit memo was "
            f"applied to invoice {invoice} before this payment. Partial payments should be applied to an invoice "
            f"before applying credit memos. Remove the credit memo from invoice {invoice} in QuickBooks and sync "
            "again so the payment is recorded, then apply the credit memo.")


def credit_memo_missing(number: str, customer: str) -> str:
    return (f"Credit memo {number} for {customer} was not found in QuickBooks. Check its number, or create it in "
            "QuickBooks, then sync again.")


def vendor_credit_edited(brand: str) -> str:
    return (f"This vendor credit was changed in {brand} after it synced. Edits to vendor credits after their first "
            "sync are not sent to QuickBooks: make the same change in QuickBooks.")


def mapping_missing(setting: str, brand: str) -> str:
    return (f"Set the {setting} in the sync preferences of {brand} (Move Transactions to QuickBooks), then sync "
            "again.")
