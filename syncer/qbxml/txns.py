"""Request builders for transactions: the Add/Mod documents the syncer writes and the queries it reads with.

Every reference is by ListID/TxnID (the syncer only refers to objects it has linked). ExternalGUID carries the
syncer's marker on every Add whose schema has it, so a write whose response was lost can be found again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from syncer.qbxml.build import Element, fmt_quantity, leaf, node, ref, request

BILLABLE = {True: "Billable", False: "NotBillable"}
NEW_LINE = "-1"  # the TxnLineID of a line a Mod adds
#: Queries the schema gives no IncludeLinkedTxns (payments list what they pay in their own lines).
NO_LINKED_TXNS = frozenset(("Transfer", "BillPaymentCheck", "ReceivePayment"))


@dataclass(frozen=True)
class ExpenseLine:
    account_id: str
    amount: Decimal
    memo: str | None = None
    customer_id: str | None = None
    class_id: str | None = None
    billable: bool | None = None
    line_id: str | None = None  # a Mod's TxnLineID: the existing line's, or NEW_LINE


@dataclass(frozen=True)
class Bill:
    vendor_id: str
    date: dt.date
    lines: Sequence[ExpenseLine]
    ap_account_id: str | None = None
    due_date: dt.date | None = None
    ref_number: str | None = None
    memo: str | None = None
    external_guid: str | None = None


@dataclass(frozen=True)
class VendorCredit:
    vendor_id: str
    date: dt.date
    lines: Sequence[ExpenseLine]
    ap_account_id: str | None = None
    ref_number: str | None = None
    memo: str | None = None
    external_guid: str | None = None


@dataclass(frozen=True)
class Applied:
    """One transaction a payment is applied to, with the credits applied to it in the same payment."""

    txn_id: str
    amount: Decimal
    credits: Sequence[tuple[str, Decimal]] = ()  # (credit TxnID, amount)


@dataclass(frozen=True)
class BillPayment:
    vendor_id: str
    date: dt.date
    bank_account_id: str
    applied: Sequence[Applied]
    ap_account_id: str | None = None
    ref_number: str | None = None
    memo: str | None = None
    external_guid: str | None = None


@dataclass(frozen=True)
class Transfer:
    date: dt.date
    from_account_id: str
    to_account_id: str
    amount: Decimal
    memo: str | None = None


@dataclass(frozen=True)
class InvoiceLine:
    item_id: str | None
    description: str | None = None
    quantity: Decimal | None = None
    rate: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class Invoice:
    customer_id: str
    date: dt.date
    lines: Sequence[InvoiceLine]
    ref_number: str | None = None
    ar_account_id: str | None = None
    due_date: dt.date | None = None
    memo: str | None = None
    to_be_emailed: bool | None = None
    external_guid: str | None = None


@dataclass(frozen=True)
class ReceivePayment:
    customer_id: str
    date: dt.date
    total: Decimal
    applied: Sequence[Applied] = field(default_factory=tuple)
    ar_account_id: str | None = None
    ref_number: str | None = None
    memo: str | None = None
    deposit_account_id: str | None = None
    external_guid: str | None = None


def _body(name: str, request_id: str | None) -> tuple[Element, Element]:
    rq = request(f"{name}Rq", request_id)
    return rq, node(rq, name)


def _expense_line(parent: Element, tag: str, line: ExpenseLine) -> None:
    el = node(parent, tag)
    if tag.endswith("Mod"):
        leaf(el, "TxnLineID", line.line_id or NEW_LINE)
    ref(el, "AccountRef", line.account_id)
    leaf(el, "Amount", line.amount)
    leaf(el, "Memo", line.memo)
    ref(el, "CustomerRef", line.customer_id)
    ref(el, "ClassRef", line.class_id)
    if line.billable is not None and line.customer_id is not None:
        leaf(el, "BillableStatus", BILLABLE[line.billable])


def bill_add(bill: Bill, request_id: str | None = None) -> Element:
    rq, body = _body("BillAdd", request_id)
    ref(body, "VendorRef", bill.vendor_id)
    ref(body, "APAccountRef", bill.ap_account_id)
    leaf(body, "TxnDate", bill.date)
    leaf(body, "DueDate", bill.due_date)
    leaf(body, "RefNumber", bill.ref_number)
    leaf(body, "Memo", bill.memo)
    leaf(body, "ExternalGUID", bill.external_guid)
    for line in bill.lines:
        _expense_line(body, "ExpenseLineAdd", line)
    return rq


def bill_mod(txn_id: str, edit_sequence: str, bill: Bill, request_id: str | None = None) -> Element:
    """`BillModRq` rewriting the header and every expense line (lines not sent are deleted by QuickBooks)."""
    rq, body = _body("BillMod", request_id)
    leaf(body, "TxnID", txn_id)
    leaf(body, "EditSequence", edit_sequence)
    ref(body, "VendorRef", bill.vendor_id)
    ref(body, "APAccountRef", bill.ap_account_id)
    leaf(body, "TxnDate", bill.date)
    leaf(body, "DueDate", bill.due_date)
    leaf(body, "RefNumber", bill.ref_number if bill.ref_number is not None else "")
    leaf(body, "Memo", bill.memo if bill.memo is not None else "")
    for line in bill.lines:
        _expense_line(body, "ExpenseLineMod", line)
    return rq


def vendor_credit_add(credit: VendorCredit, request_id: str | None = None) -> Element:
    rq, body = _body("VendorCreditAdd", request_id)
    ref(body, "VendorRef", credit.vendor_id)
    ref(body, "APAccountRef", credit.ap_account_id)
    leaf(body, "TxnDate", credit.date)
    leaf(body, "RefNumber", credit.ref_number)
    leaf(body, "Memo", credit.memo)
    leaf(body, "ExternalGUID", credit.external_guid)
    for line in credit.lines:
        _expense_line(body, "ExpenseLineAdd", line)
    return rq


def _applied(parent: Element, applied: Applied) -> None:
    el = node(parent, "AppliedToTxnAdd")
    leaf(el, "TxnID", applied.txn_id)
    leaf(el, "PaymentAmount", applied.amount)
    for credit_id, amount in applied.credits:
        credit = node(el, "SetCredit")
        leaf(credit, "CreditTxnID", credit_id)
        leaf(credit, "AppliedAmount", amount)


def bill_payment_check_add(payment: BillPayment, request_id: str | None = None) -> Element:
    rq, body = _body("BillPaymentCheckAdd", request_id)
    ref(body, "PayeeEntityRef", payment.vendor_id)
    ref(body, "APAccountRef", payment.ap_account_id)
    leaf(body, "TxnDate", payment.date)
    ref(body, "BankAccountRef", payment.bank_account_id)
    if payment.ref_number:
        leaf(body, "RefNumber", payment.ref_number)
    else:
        leaf(body, "IsToBePrinted", False)
    leaf(body, "Memo", payment.memo)
    leaf(body, "ExternalGUID", payment.external_guid)
    for applied in payment.applied:
        _applied(body, applied)
    return rq


def transfer_add(transfer: Transfer, request_id: str | None = None) -> Element:
    rq, body = _body("TransferAdd", request_id)
    leaf(body, "TxnDate", transfer.date)
    ref(body, "TransferFromAccountRef", transfer.from_account_id)
    ref(body, "TransferToAccountRef", transfer.to_account_id)
    leaf(body, "Amount", transfer.amount)
    leaf(body, "Memo", transfer.memo)
    return rq


def invoice_add(invoice: Invoice, request_id: str | None = None) -> Element:
    rq, body = _body("InvoiceAdd", request_id)
    ref(body, "CustomerRef", invoice.customer_id)
    ref(body, "ARAccountRef", invoice.ar_account_id)
    leaf(body, "TxnDate", invoice.date)
    leaf(body, "RefNumber", invoice.ref_number)
    leaf(body, "DueDate", invoice.due_date)
    leaf(body, "Memo", invoice.memo)
    leaf(body, "IsToBeEmailed", invoice.to_be_emailed)
    leaf(body, "ExternalGUID", invoice.external_guid)
    for line in invoice.lines:
        el = node(body, "InvoiceLineAdd")
        ref(el, "ItemRef", line.item_id)
        leaf(el, "Desc", line.description)
        if line.quantity is not None:
            leaf(el, "Quantity", fmt_quantity(line.quantity))
        if line.rate is not None:
            leaf(el, "Rate", fmt_quantity(line.rate))
        leaf(el, "Amount", line.amount)
    return rq


def receive_payment_add(payment: ReceivePayment, request_id: str | None = None) -> Element:
    rq, body = _body("ReceivePaymentAdd", request_id)
    ref(body, "CustomerRef", payment.customer_id)
    ref(body, "ARAccountRef", payment.ar_account_id)
    leaf(body, "TxnDate", payment.date)
    leaf(body, "RefNumber", payment.ref_number)
    leaf(body, "TotalAmount", payment.total)
    leaf(body, "Memo", payment.memo)
    ref(body, "DepositToAccountRef", payment.deposit_account_id)
    leaf(body, "ExternalGUID", payment.external_guid)
    if payment.applied:
        for applied in payment.applied:
            _applied(body, applied)
    else:
        leaf(body, "IsAutoApply", False)
    return rq


def txn_query(txn_type: str, *, txn_ids: Sequence[str] = (), ref_numbers: Sequence[str] = (),
              max_returned: int | None = None, from_modified: str | None = None, from_date: dt.date | None = None,
              to_date: dt.date | None = None, entity_id: str | None = None, include_lines: bool = False,
              include_linked: bool = False, include: Sequence[str] = (), iterator: str | None = None,
              iterator_id: str | None = None, request_id: str | None = None) -> Element:
    """`<txn_type>QueryRq` by TxnID or RefNumber, or by filter: modified since, or dated in a range, and entity.

    The schema makes the modified-date and transaction-date filters alternatives; `from_modified` wins.
    """
    rq = request(f"{txn_type}QueryRq", request_id, iterator=iterator, iteratorID=iterator_id)
    if txn_ids:
        for txn_id in txn_ids:
            leaf(rq, "TxnID", txn_id)
    elif ref_numbers:
        for number in ref_numbers:
            leaf(rq, "RefNumber", number)
    else:
        leaf(rq, "MaxReturned", max_returned)
        if from_modified is not None:
            leaf(node(rq, "ModifiedDateRangeFilter"), "FromModifiedDate", from_modified)
        elif from_date is not None or to_date is not None:
            dates = node(rq, "TxnDateRangeFilter")
            leaf(dates, "FromTxnDate", from_date)
            leaf(dates, "ToTxnDate", to_date)
        if entity_id is not None and txn_type != "Transfer":
            leaf(node(rq, "EntityFilter"), "ListID", entity_id)
    if include_lines and txn_type != "Transfer":
        leaf(rq, "IncludeLineItems", True)
    if include_linked and txn_type not in NO_LINKED_TXNS:
        leaf(rq, "IncludeLinkedTxns", True)
    for name in include:
        leaf(rq, "IncludeRetElement", name)
    return rq


def txn_deleted_query(types: Sequence[str], from_deleted: str | None = None,
                      request_id: str | None = None) -> Element:
    """`TxnDeletedQueryRq` for `types` (Bill, Invoice...), deleted on or after `from_deleted` (last 90 days)."""
    rq = request("TxnDeletedQueryRq", request_id)
    for txn_type in types:
        leaf(rq, "TxnDelType", txn_type)
    if from_deleted is not None:
        dates = node(rq, "DeletedDateRangeFilter")
        leaf(dates, "FromDeletedDate", from_deleted)
    return rq
