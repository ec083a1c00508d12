"""QuickBooks' answer checked against the request it answers, before the syncer believes any of it.

`answer(rq, response)` reads the response to one request and returns its `Rs` when it answers that request, or raises
`BadAnswerError` saying what is wrong with it:

* it is not a qbXML message set (None, a number, text that is not XML, XML cut short), holds no `*Rs`, or the `*Rs`
  of another request, or a status code that is not a number, or an error status with code 0 or on an Add's Ret;
* an Add or Mod that QuickBooks did not refuse is answered by exactly one Ret, of the type written, with its ID
  (ListID or TxnID) and EditSequence; a Mod's Ret has the ID the Mod named; what identifies the object written (its
  name and parent, its date, number and marker (ExternalGUID), its vendor or customer, a transfer's accounts and
  amount) is what was sent, and it has as many lines as were sent (a payment that only sets credits is answered
  without a Ret: QuickBooks saves no transaction for it);
* every Ret's values that the syncer reads are well formed: amounts, dates and times, IDs and EditSequences that fit
  what the app stores.

A query's Ret that fails (of another type; without its ID, EditSequence, TimeModified or name; not the object the
query selected by ID, name, number, date or vendor/customer; a value malformed) does not fail the query: it is left out
of the `Rs` and listed in `Rs.rejected` with what identifies it and what is wrong, for the engine to report and read
again later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from syncer.errors import BadAnswerError
from syncer.qbxml.read import NOT_FOUND, Element, MalformedResponseError, Rs, parse_day, parse_moment, parse_response

#: List types (the others that the syncer writes or reads are transactions, identified by TxnID).
LIST_TYPES = frozenset(("Account", "Class", "Vendor", "Customer", "Employee", "OtherName", "StandardTerms",
                        "DateDrivenTerms", "SalesTaxCode", "PaymentMethod", "ShipMethod", "PriceLevel", "SalesRep"))
#: Query types whose Rets are not list objects or transactions.
_NO_VERSION = frozenset(("Company", "Host", "Preferences"))
_DELETED = frozenset(("TxnDeleted", "ListDeleted"))
AMOUNTS = frozenset(("Amount", "Balance", "TotalBalance", "AmountDue", "OpenAmount", "Subtotal", "SalesTaxTotal",
                     "SalesTaxPercentage", "BalanceRemaining", "AppliedAmount", "TotalAmount", "PaymentAmount",
                     "Quantity", "Rate", "Price", "SalesPrice", "PurchaseCost"))
DATES = frozenset(("TxnDate", "DueDate"))
TIMES = frozenset(("TimeModified", "TimeCreated", "TimeDeleted"))
LARGEST_AMOUNT = Decimal("1e13")  # QuickBooks' amounts stay below ten thousand billion
ID_LENGTH, EDIT_SEQUENCE_LENGTH = 40, 20  # what the app's links store
YEARS = (1800, 2999)
#: The fields of an Add or Mod that say which object it is about: the Ret must have what was sent.
IDENTITY = ("Name", "ParentRef/ListID", "VendorRef/ListID", "CustomerRef/ListID", "PayeeEntityRef/ListID", "TxnDate",
            "RefNumber", "ExternalGUID", "TransferFromAccountRef/ListID", "TransferToAccountRef/ListID", "Amount",
            "TotalAmount")
LINES = ("ExpenseLine", "ItemLine", "InvoiceLine")
#: Payments whose Add creates no transaction when it only sets credits.
PAYMENTS = frozenset(("BillPaymentCheck", "BillPaymentCreditCard", "ReceivePayment"))
_ENTITY_REFS = ("VendorRef", "CustomerRef", "PayeeEntityRef", "EntityRef")
_ACTIONS = re.compile(r"(.+?)(Add|Mod|Query)Rq\Z")


def id_tag(qb_type: str) -> str:
    """The tag of an object type's ID: ListID for list objects (items included), TxnID for transactions."""
    return "ListID" if qb_type in LIST_TYPES or (qb_type.startswith("Item") and qb_type != "ItemReceipt") \
        else "TxnID"


def answer(rq: Element, response: object) -> Rs:
    """The `*Rs` answering `rq` in a response document, checked (a query's unusable Rets left out of it)."""
    name = str(rq.tag)
    if not isinstance(response, str | bytes):
        given = "nothing" if response is None else _a(type(response).__name__)
        raise BadAnswerError(f"QuickBooks answered the {name} with {given}, not a qbXML document")
    try:
        responses = parse_response(response.decode("utf-8") if isinstance(response, bytes) else response)
    except (MalformedResponseError, UnicodeDecodeError) as exc:
        raise BadAnswerError(f"the answer to the {name} is not a qbXML document ({_short(str(exc), 120)})") from None
    if not responses:
        raise BadAnswerError(f"the answer to the {name} holds no response")
    rs = responses[0]
    wanted = name.removesuffix("Rq") + "Rs"
    if rs.name != wanted:
        raise BadAnswerError(f"{_a(_short(rs.name))} answers the {name}, not {_a(wanted)}")
    if rs.code < 0:
        raise BadAnswerError(f"the status code of the {wanted} is not a number")
    match = _ACTIONS.match(name)
    if rs.is_error and (rs.code == 0 or (match is not None and match[2] == "Add" and rs.rets())):
        # (a refused Mod may hold the object as QuickBooks has it: a stale EditSequence, 3200, is answered so)
        raise BadAnswerError(f"the {wanted} says both that the request failed and that it succeeded")
    if rs.is_error or match is None:
        return rs
    qb_type, action = match[1], match[2]
    if action == "Query":
        return _sift(rq, rs, qb_type)
    _check_write(rq, rs, qb_type, action)
    return rs


# -- Adds and Mods ----------------------------------------------------------------------------------------------------

def _check_write(rq: Element, rs: Rs, qb_type: str, action: str) -> None:
    rets = rs.rets()
    written = f"{qb_type}{action}"
    if not rets and action == "Mod" and rs.code == NOT_FOUND:
        return  # the object is gone: the engine's to handle
    if not rets and action == "Add" and qb_type in PAYMENTS and _credits_only(rq.find(written)):
        return  # a payment that only sets credits: QuickBooks saves no transaction, and answers without a Ret
    if len(rets) != 1:
        raise BadAnswerError(f"{len(rets)} Rets answer one {written}" if rets else f"the answer to the {written} "
                             f"holds no {qb_type}Ret")
    ret = rets[0]
    if ret.tag != f"{qb_type}Ret":
        raise BadAnswerError(f"{_a(_short(str(ret.tag)))} answers the {written}, not {_a(qb_type + 'Ret')}")
    problem = _problem(ret, qb_type, _required(qb_type, ()))
    if problem is not None:
        raise BadAnswerError(f"the {qb_type}Ret answering the {written}: {problem}")
    body = rq.find(written)
    if body is None:
        return
    tag = id_tag(qb_type)
    if action == "Mod" and _text(body, tag) != _text(ret, tag):
        raise BadAnswerError(f"the answer to the {written} of {tag} {_text(body, tag)} is about {tag} "
                             f"{_short(_text(ret, tag) or '')}")
    for path in IDENTITY:
        sent = _text(body, path)
        if sent is not None and not _same(path, sent, _text(ret, path)):
            got = _text(ret, path)
            raise BadAnswerError(f"the answer to the {written} has {path} " + (f'"{_short(got)}"' if got else "empty")
                                 + f', not "{_short(sent)}" as sent')
    for line in LINES:
        sent_lines = len(body.findall(f"{line}{action}"))
        got_lines = ret.findall(f"{line}Ret")
        if sent_lines and len(got_lines) != sent_lines:
            raise BadAnswerError(f"the answer to the {written} has {len(got_lines)} {line}Rets for the {sent_lines} "
                                 "lines sent")
        if any(not _text(el, "TxnLineID") for el in got_lines):
            raise BadAnswerError(f"a {line}Ret answering the {written} has no TxnLineID")


def _credits_only(body: Element | None) -> bool:
    """Whether a payment's Add pays nothing (every PaymentAmount and its TotalAmount zero): it only sets credits."""
    if body is None:
        return False
    amounts = [_amount(_text(el, ".") or "0") for el in body.findall("AppliedToTxnAdd/PaymentAmount")]
    amounts.append(_amount(_text(body, "TotalAmount") or "0"))
    return all(a == 0 for a in amounts) and body.find("AppliedToTxnAdd/SetCredit") is not None


def _same(path: str, sent: str, got: str | None) -> bool:
    if got is None:
        return False
    if path == "ExternalGUID":
        return sent.strip("{} ").upper() == got.strip("{} ").upper()
    if path == "TxnDate":
        return parse_day(sent) == parse_day(got) is not None
    if path in AMOUNTS:
        return _amount(sent) == _amount(got) is not None
    if path.endswith("ListID"):
        return sent == got
    return sent.casefold() == got.casefold()


# -- queries ----------------------------------------------------------------------------------------------------------

def _sift(rq: Element, rs: Rs, qb_type: str) -> Rs:
    """The query's Rs with its unusable Rets left out and listed."""
    included = tuple(_text(el, ".") or "" for el in rq.findall("IncludeRetElement"))
    required = _required(qb_type, included)
    selected = _selection(rq, qb_type)
    rejected: list[tuple[str, str]] = []
    for ret in rs.rets():
        problem = _kind_problem(str(ret.tag), qb_type) or _problem(ret, qb_type, required)
        if problem is None:
            problem = next((p for p in (check(ret) for check in selected) if p is not None), None)
        if problem is not None:
            rejected.append((_label(ret), problem))
            rs.element.remove(ret)
    return Rs(rs.element, tuple(rejected)) if rejected else rs


def _kind_problem(tag: str, qb_type: str) -> str | None:
    if tag == f"{qb_type}Ret" or (qb_type == "Item" and tag.startswith("Item") and tag != "ItemReceiptRet"):
        return None
    return f"it is {_a(_short(tag))}, not {_a(qb_type + 'Ret')}"


Check = Callable[[Element], str | None]


def _selection(rq: Element, qb_type: str) -> list[Check]:
    """Checks that a Ret is one of the objects the query selects (by ID, name, number, date, vendor or customer)."""
    checks: list[Check] = []

    def among(tag: str, values: list[str], fold: bool, what: str) -> None:
        wanted = {v.casefold() if fold else v for v in values}

        def check(ret: Element) -> str | None:
            got = _text(ret, tag) or (_text(ret, "Name") if tag == "FullName" else None)
            if got is None or (got.casefold() if fold else got) not in wanted:
                return f"it is not the {what} asked for"
            return None

        checks.append(check)

    for tag, fold, what in (("ListID", False, "object"), ("TxnID", False, "transaction"),
                            ("FullName", True, "name"), ("RefNumber", True, "number"),
                            ("TxnDelType", False, "type")):
        values = [v for v in (_text(el, ".") for el in rq.findall(tag)) if v is not None]
        if values:
            among(tag, values, fold, what)
    first, last = parse_day(_text(rq, "TxnDateRangeFilter/FromTxnDate") or ""), \
        parse_day(_text(rq, "TxnDateRangeFilter/ToTxnDate") or "")
    if first is not None or last is not None:
        def dated(ret: Element) -> str | None:
            when = parse_day(_text(ret, "TxnDate") or "")
            if when is None or (first is not None and when < first) or (last is not None and when > last):
                return "its date is outside the dates asked for"
            return None

        checks.append(dated)
    entity = _text(rq, "EntityFilter/ListID")
    if entity is not None:
        def whose(ret: Element) -> str | None:
            refs = [r for r in (_text(ret, f"{tag}/ListID") for tag in _ENTITY_REFS) if r is not None]
            return "it is another vendor's or customer's" if refs and entity not in refs else None

        checks.append(whose)
    return checks


# -- any Ret ----------------------------------------------------------------------------------------------------------

def _required(qb_type: str, included: tuple[str, ...]) -> tuple[str, ...]:
    """The fields a Ret of `qb_type` must have (of those a query's IncludeRetElement asks for, when it does)."""
    if qb_type in _NO_VERSION:
        required: tuple[str, ...] = ()
    elif qb_type in _DELETED:
        required = ("TxnID" if qb_type == "TxnDeleted" else "ListID", "TimeDeleted")
    else:
        tag = id_tag(qb_type)
        required = (tag, "EditSequence", "TimeModified") + (("Name",) if tag == "ListID" else ())
    return tuple(f for f in required if f in included) if included else required


def _problem(ret: Element, qb_type: str, required: tuple[str, ...]) -> str | None:
    """What makes a Ret unusable: a required field missing, a value malformed; None when it is usable."""
    for tag in required:
        if _text(ret, tag) is None:
            return f"it has no {tag}"
    for tag, limit in ((id_tag(qb_type), ID_LENGTH), ("EditSequence", EDIT_SEQUENCE_LENGTH)):
        value = _text(ret, tag)
        if value is not None and len(value) > limit:
            return f"its {tag} is longer than {limit} characters"
    for el in ret.iter():
        tag = el.tag
        if not isinstance(tag, str) or el.text is None or not el.text.strip():
            continue
        value = el.text.strip()
        if tag in AMOUNTS and _amount(value) is None:
            return f'its {tag} "{_short(value)}" is not an amount'
        if tag in DATES and not _plausible(parse_day(value)):
            return f'its {tag} "{_short(value)}" is not a date'
        if tag in TIMES and not _plausible(parse_moment(value)):
            return f'its {tag} "{_short(value)}" is not a time'
    return None


def _plausible(when: date | None) -> bool:
    """A date or time of the calendar, in the years QuickBooks' data can have (far from datetime's limits, so the
    cursors' arithmetic cannot overflow)."""
    return when is not None and YEARS[0] <= when.year <= YEARS[1]


def _amount(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < LARGEST_AMOUNT else None


def _text(el: Element, path: str) -> str | None:
    found = el if path == "." else el.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _label(ret: Element) -> str:
    """What names a Ret to the user: its full name, name, number or ID."""
    for tag in ("FullName", "Name", "RefNumber", "TxnID", "ListID"):
        value = _text(ret, tag)
        if value is not None:
            return _short(value)
    return f"{_a(_short(str(ret.tag).removesuffix('Ret')))} without a name"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].upper() in 'AEIOU' else 'a'} {noun}"


def _short(value: str | None, limit: int = 60) -> str:
    value = value or ""
    return value if len(value) <= limit else value[:limit - 1] + "…"
