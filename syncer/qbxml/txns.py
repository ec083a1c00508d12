"""Request builders for transactions: one declaration per type (`TxnRequest`: its elements in schema order, each from
an attribute of the values written), the Add/Mod documents written from it, and the queries the syncer reads with.

Every reference is by ListID/TxnID (the syncer only refers to objects it has linked). ExternalGUID carries the
syncer's marker on every Add whose schema has it, so a write whose response was lost can be found again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from syncer.qbxml.build import Element, Value, fmt_quantity, leaf, node, query, ref, request

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

    @property
    def billable_status(self) -> str | None:
        """BillableStatus, for a line with a customer or job only."""
        return BILLABLE[self.billable] if self.billable is not None and self.customer_id is not None else None


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


T = TypeVar("T")


@dataclass(frozen=True)
class Leaf:
    """One element of a request, `<tag>value</tag>`: the value is the attribute `attr` of the values written (the item
    `attr` of a tuple), left out when None; `otherwise` (tag, value) is written in its place when it is empty."""

    tag: str
    attr: str | int
    otherwise: tuple[str, Value] | None = field(default=None, kw_only=True)

    def write(self, parent: Element, values: Any, mod: bool) -> None:
        value = values[self.attr] if isinstance(self.attr, int) else getattr(values, self.attr)
        if self.otherwise is not None and not value:
            leaf(parent, *self.otherwise)
        else:
            self.put(parent, value, mod)

    def put(self, parent: Element, value: Any, mod: bool) -> None:
        leaf(parent, self.tag, value)


class Ref(Leaf):
    """A reference by ListID (a TxnID for transactions)."""

    def put(self, parent: Element, value: Any, mod: bool) -> None:
        ref(parent, self.tag, value)


class Text(Leaf):
    """A text field, which a Mod clears by sending it empty."""

    def put(self, parent: Element, value: Any, mod: bool) -> None:
        leaf(parent, self.tag, "" if mod and value is None else value)


class Quantity(Leaf):
    """A QUANTYPE or PRICETYPE value."""

    def put(self, parent: Element, value: Any, mod: bool) -> None:
        leaf(parent, self.tag, None if value is None else fmt_quantity(value))


class Marker(Leaf):
    """ExternalGUID, which only Adds have."""

    def put(self, parent: Element, value: Any, mod: bool) -> None:
        if not mod:
            leaf(parent, self.tag, value)


@dataclass(frozen=True)
class Lines(Leaf):
    """One `tag` aggregate per item of `attr`, written with `parts`; in a Mod an `*Add` tag is the `*Mod` one,
    the line's TxnLineID first."""

    parts: tuple[Leaf, ...] = ()

    def put(self, parent: Element, items: Sequence[Any], mod: bool) -> None:
        for item in items:
            el = node(parent, self.tag.removesuffix("Add") + "Mod" if mod else self.tag)
            if mod:
                leaf(el, "TxnLineID", item.line_id or NEW_LINE)
            write(el, self.parts, item, mod)


def write(parent: Element, parts: Sequence[Leaf], values: Any, mod: bool = False) -> None:
    for part in parts:
        part.write(parent, values, mod)


@dataclass(frozen=True)
class TxnRequest(Generic[T]):
    """A transaction type the syncer writes: its name and its elements in schema order."""

    name: str  # Bill: also the type of its queries
    parts: tuple[Leaf, ...]

    def add(self, values: T, request_id: str | None = None) -> Element:
        rq = request(f"{self.name}AddRq", request_id)
        write(node(rq, f"{self.name}Add"), self.parts, values)
        return rq

    def mod(self, txn_id: str, edit_sequence: str, values: T, request_id: str | None = None) -> Element:
        """`<name>ModRq` rewriting the header and every line (lines not sent are deleted by QuickBooks)."""
        rq = request(f"{self.name}ModRq", request_id)
        body = node(rq, f"{self.name}Mod")
        leaf(body, "TxnID", txn_id)
        leaf(body, "EditSequence", edit_sequence)
        write(body, self.parts, values, mod=True)
        return rq


EXPENSE_LINES = Lines("ExpenseLineAdd", "lines", parts=(
    Ref("AccountRef", "account_id"), Leaf("Amount", "amount"), Leaf("Memo", "memo"), Ref("CustomerRef", "customer_id"),
    Ref("ClassRef", "class_id"), Leaf("BillableStatus", "billable_status")))
INVOICE_LINE = (Ref("ItemRef", "item_id"), Leaf("Desc", "description"), Quantity("Quantity", "quantity"),
                Quantity("Rate", "rate"), Leaf("Amount", "amount"))
APPLIED = (Leaf("TxnID", "txn_id"), Leaf("PaymentAmount", "amount"),
           Lines("SetCredit", "credits", parts=(Leaf("CreditTxnID", 0), Leaf("AppliedAmount", 1))))
MARKER = Marker("ExternalGUID", "external_guid")

BILL = TxnRequest[Bill]("Bill", (
    Ref("VendorRef", "vendor_id"), Ref("APAccountRef", "ap_account_id"), Leaf("TxnDate", "date"),
    Leaf("DueDate", "due_date"), Text("RefNumber", "ref_number"), Text("Memo", "memo"), MARKER,
    EXPENSE_LINES))
VENDOR_CREDIT = TxnRequest[VendorCredit]("VendorCredit", (
    Ref("VendorRef", "vendor_id"), Ref("APAccountRef", "ap_account_id"), Leaf("TxnDate", "date"),
    Text("RefNumber", "ref_number"), Text("Memo", "memo"), MARKER, EXPENSE_LINES))
BILL_PAYMENT_CHECK = TxnRequest[BillPayment]("BillPaymentCheck", (
    Ref("PayeeEntityRef", "vendor_id"), Ref("APAccountRef", "ap_account_id"), Leaf("TxnDate", "date"),
    Ref("BankAccountRef", "bank_account_id"), Text("RefNumber", "ref_number", otherwise=("IsToBePrinted", False)),
    Text("Memo", "memo"), MARKER, Lines("AppliedToTxnAdd", "applied", parts=APPLIED)))
TRANSFER = TxnRequest[Transfer]("Transfer", (
    Leaf("TxnDate", "date"), Ref("TransferFromAccountRef", "from_account_id"),
    Ref("TransferToAccountRef", "to_account_id"), Leaf("Amount", "amount"), Text("Memo", "memo")))
INVOICE = TxnRequest[Invoice]("Invoice", (
    Ref("CustomerRef", "customer_id"), Ref("ARAccountRef", "ar_account_id"), Leaf("TxnDate", "date"),
    Text("RefNumber", "ref_number"), Leaf("DueDate", "due_date"), Text("Memo", "memo"),
    Leaf("IsToBeEmailed", "to_be_emailed"), MARKER, Lines("InvoiceLineAdd", "lines", parts=INVOICE_LINE)))
RECEIVE_PAYMENT = TxnRequest[ReceivePayment]("ReceivePayment", (
    Ref("CustomerRef", "customer_id"), Ref("ARAccountRef", "ar_account_id"), Leaf("TxnDate", "date"),
    Text("RefNumber", "ref_number"), Leaf("TotalAmount", "total"), Text("Memo", "memo"),
    Ref("DepositToAccountRef", "deposit_account_id"), MARKER,
    Lines("AppliedToTxnAdd", "applied", parts=APPLIED, otherwise=("IsAutoApply", False))))

bill_add, bill_mod = BILL.add, BILL.mod
vendor_credit_add = VENDOR_CREDIT.add
bill_payment_check_add = BILL_PAYMENT_CHECK.add
transfer_add = TRANSFER.add
invoice_add = INVOICE.add
receive_payment_add = RECEIVE_PAYMENT.add


def txn_query(txn_type: str, *, txn_ids: Sequence[str] = (), ref_numbers: Sequence[str] = (),
              max_returned: int | None = None, from_modified: str | None = None, from_date: dt.date | None = None,
              to_date: dt.date | None = None, entity_id: str | None = None, include_lines: bool = False,
              include_linked: bool = False, include: Sequence[str] = (), iterator: str | None = None,
              iterator_id: str | None = None, request_id: str | None = None) -> Element:
    """`<txn_type>QueryRq` by TxnID or RefNumber, or by filter: modified since, or dated in a range, and entity.

    The schema makes the modified-date and transaction-date filters alternatives; `from_modified` wins.
    """
    rq, selected = query(txn_type, request_id, iterator, iterator_id, (("TxnID", txn_ids), ("RefNumber", ref_numbers)))
    if not selected:
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
