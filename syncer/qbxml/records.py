"""Typed views of the `*Ret` aggregates the syncer reads: list objects, bills, invoices, and any transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from syncer.qbxml.read import Element, Fields, amount, boolean, day, ref_id, text

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ListRecord:
    """A list object: its identity, version and place in the hierarchy; other fields are read from `element`."""

    ret_type: str  # Vendor, Customer, ItemService...
    list_id: str
    edit_sequence: str
    modified: str | None  # TimeModified as QuickBooks wrote it
    name: str
    full_name: str
    parent_id: str | None
    is_active: bool
    element: Element
    fields: Fields  # the element's children, to read its other fields by


def read_list(element: Element) -> ListRecord:
    el = Fields(element)
    name = text(el, "Name") or ""
    return ListRecord(
        ret_type=str(element.tag).removesuffix("Ret"),
        list_id=text(el, "ListID") or "",
        edit_sequence=text(el, "EditSequence") or "",
        modified=text(el, "TimeModified"),
        name=name,
        full_name=text(el, "FullName") or name,
        parent_id=ref_id(el, "ParentRef"),
        is_active=boolean(el, "IsActive") is not False,
        element=element,
        fields=el,
    )


@dataclass(frozen=True)
class LinkedTxn:
    txn_id: str
    txn_type: str
    amount: Decimal


@dataclass(frozen=True)
class TxnRecord:
    """What every transaction has: identity, version, date, number, memo, the syncer's marker, linked txns."""

    txn_id: str
    edit_sequence: str
    modified: str | None
    date: date | None
    ref_number: str | None
    memo: str | None
    external_guid: str | None
    linked: tuple[LinkedTxn, ...]
    element: Element


def read_txn(element: Element, el: Fields | None = None) -> TxnRecord:
    """`el`: the element's `Fields`, when the caller has them."""
    if el is None:
        el = Fields(element)
    return TxnRecord(
        txn_id=text(el, "TxnID") or "",
        edit_sequence=text(el, "EditSequence") or "",
        modified=text(el, "TimeModified"),
        date=day(el, "TxnDate"),
        ref_number=text(el, "RefNumber"),
        memo=text(el, "Memo"),
        external_guid=text(el, "ExternalGUID"),
        linked=tuple(LinkedTxn(text(lt, "TxnID") or "", text(lt, "TxnType") or "", amount(lt, "Amount") or ZERO)
                     for lt in element.findall("LinkedTxn")),
        element=element,
    )


@dataclass(frozen=True)
class ExpenseLineRecord:
    line_id: str
    account_id: str | None
    amount: Decimal
    memo: str | None
    customer_id: str | None
    class_id: str | None
    billable: bool | None


@dataclass(frozen=True)
class BillRecord:
    txn: TxnRecord
    vendor_id: str | None
    due_date: date | None
    amount_due: Decimal
    open_amount: Decimal | None
    is_paid: bool
    lines: tuple[ExpenseLineRecord, ...]
    item_lines: int  # item lines are not synced; counted so a bill with them can be refused

    @property
    def has_payments(self) -> bool:
        """Whether a payment or credit is applied to it in QuickBooks (it is no longer fully unpaid)."""
        return self.is_paid or any(lt.txn_type.startswith(("BillPayment", "VendorCredit")) for lt in self.txn.linked) \
            or (self.open_amount is not None and self.open_amount != self.amount_due)


_BILLABLE = {"billable": True, "notbillable": False, "hasbeenbilled": False}


def read_bill(element: Element) -> BillRecord:
    lines = tuple(_expense_line(Fields(line)) for line in element.findall("ExpenseLineRet"))
    el = Fields(element)
    return BillRecord(
        txn=read_txn(element, el),
        vendor_id=ref_id(el, "VendorRef"),
        due_date=day(el, "DueDate"),
        amount_due=amount(el, "AmountDue") or ZERO,
        open_amount=amount(el, "OpenAmount"),
        is_paid=bool(boolean(el, "IsPaid")),
        lines=lines,
        item_lines=len(element.findall("ItemLineRet")) + len(element.findall("ItemGroupLineRet")),
    )


def _expense_line(line: Fields) -> ExpenseLineRecord:
    return ExpenseLineRecord(
        line_id=text(line, "TxnLineID") or "",
        account_id=ref_id(line, "AccountRef"),
        amount=amount(line, "Amount") or ZERO,
        memo=text(line, "Memo"),
        customer_id=ref_id(line, "CustomerRef"),
        class_id=ref_id(line, "ClassRef"),
        billable=_BILLABLE.get((text(line, "BillableStatus") or "").lower()),
    )


@dataclass(frozen=True)
class InvoiceLineRecord:
    line_id: str
    item_id: str | None
    description: str | None
    quantity: Decimal | None
    rate: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class InvoiceRecord:
    txn: TxnRecord
    customer_id: str | None
    due_date: date | None
    subtotal: Decimal
    sales_tax: Decimal
    applied: Decimal  # QuickBooks writes it negative once payments or credits are applied
    balance: Decimal
    is_paid: bool
    to_be_emailed: bool
    lines: tuple[InvoiceLineRecord, ...]

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.sales_tax

    @property
    def has_payments(self) -> bool:
        return self.applied != 0 or self.balance != self.total

    @property
    def credit_memos(self) -> tuple[LinkedTxn, ...]:
        return tuple(lt for lt in self.txn.linked if lt.txn_type == "CreditMemo")


def read_invoice(element: Element) -> InvoiceRecord:
    lines = []
    for line_element in element.iter("InvoiceLineRet"):
        line = Fields(line_element)
        lines.append(InvoiceLineRecord(
            line_id=text(line, "TxnLineID") or "",
            item_id=ref_id(line, "ItemRef"),
            description=text(line, "Desc"),
            quantity=amount(line, "Quantity"),
            rate=amount(line, "Rate"),
            amount=amount(line, "Amount") or ZERO,
        ))
    el = Fields(element)
    subtotal = amount(el, "Subtotal")
    if subtotal is None:
        subtotal = sum((line.amount for line in lines), ZERO)
    tax = amount(el, "SalesTaxTotal") or ZERO
    balance = amount(el, "BalanceRemaining")
    return InvoiceRecord(
        txn=read_txn(element, el),
        customer_id=ref_id(el, "CustomerRef"),
        due_date=day(el, "DueDate"),
        subtotal=subtotal,
        sales_tax=tax,
        applied=amount(el, "AppliedAmount") or ZERO,
        balance=balance if balance is not None else subtotal + tax,
        is_paid=bool(boolean(el, "IsPaid")),
        to_be_emailed=bool(boolean(el, "IsToBeEmailed")),
        lines=tuple(lines),
    )


def version(el: Element, id_tag: str) -> tuple[str, str, str | None]:
    """An object's ID (`id_tag`: ListID or TxnID), EditSequence and TimeModified, as the readers above have them:
    enough to tell an object already read. They open every Ret: the children are read until the three are found."""
    wanted = (id_tag, "EditSequence", "TimeModified")
    found: dict[str, str] = {}
    for child in el:
        if child.tag in wanted and child.tag not in found:
            found[str(child.tag)] = (child.text or "").strip()
            if len(found) == 3:
                break
    return found.get(id_tag) or "", found.get("EditSequence") or "", found.get("TimeModified") or None


def line_ids(el: Element, tag: str) -> list[str]:
    """The TxnLineIDs of the `tag` lines of a transaction, in order."""
    return [text(line, "TxnLineID") or "" for line in el.findall(tag)]
