"""What QuickBooks shows, read through qbXML queries into plain values the invariants compare.

Every list object and transaction is read in full (lines and linked transactions included); text is stripped, a
blank is None, amounts are Decimals, references are full names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lxml import etree

from scenarios.quickbooks import Desk, amount

LIST_TYPES = ("Account", "Class", "Vendor", "Customer", "Item", "Employee", "OtherName")
ITERABLE = ("Vendor", "Customer", "Item")
TXN_TYPES = ("Bill", "VendorCredit", "BillPaymentCheck", "Transfer", "Check", "Invoice", "CreditMemo",
             "ReceivePayment")
WITH_LINES = ("Bill", "VendorCredit", "Invoice", "CreditMemo", "Check")
WITH_LINKS = ("Bill", "VendorCredit", "Invoice", "CreditMemo")
#: Where each list type keeps the app's contact fields.
ADDRESS = {"Vendor": "VendorAddress", "Customer": "BillAddress"}
ITEM_DESC = ("SalesOrPurchase/Desc", "SalesAndPurchase/SalesDesc", "SalesDesc", "ItemDesc", "Desc")
ITEM_PRICE = ("SalesOrPurchase/Price", "SalesAndPurchase/SalesPrice", "SalesPrice")


def text(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    value = el.findtext(path)
    value = value.strip() if value is not None else None
    return value or None


def first(el: etree._Element, paths: tuple[str, ...]) -> str | None:
    return next((v for v in (text(el, p) for p in paths) if v is not None), None)


def price(value: str | None) -> str | None:
    return f"{Decimal(value):.2f}" if value is not None else None


@dataclass
class ListObject:
    list_type: str  # Account, Class, Vendor, Customer, Item, Employee, OtherName
    list_id: str
    full_name: str
    fields: dict[str, Any]  # as the app names them
    balance: Decimal | None = None
    total_balance: Decimal | None = None
    sublevel: int = 0


@dataclass
class Txn:
    txn_type: str
    txn_id: str
    number: str | None
    date: str | None
    entity: str | None  # vendor, customer or payee full name
    amount: Decimal
    open_amount: Decimal | None  # OpenAmount, BalanceRemaining, CreditRemaining, UnusedPayment
    external_guid: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    lines: list[tuple[Any, ...]] = field(default_factory=list)
    linked: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (type, TxnID, amount)
    applied: list[tuple[str, Decimal]] = field(default_factory=list)  # a payment's (TxnID, amount)
    is_paid: bool | None = None


@dataclass
class QuickBooksView:
    lists: dict[str, dict[str, ListObject]]  # list type -> lower-case full name -> object
    txns: dict[str, list[Txn]]
    closing_date: str | None
    duplicates: list[ListObject] = field(default_factory=list)  # a second object of one list with the same name

    def named(self, list_type: str, full_name: str) -> ListObject | None:
        return self.lists[list_type].get(full_name.lower())

    def by_id(self, txn_id: str) -> Txn | None:
        for txns in self.txns.values():
            for txn in txns:
                if txn.txn_id == txn_id:
                    return txn
        return None


def read(desk: Desk) -> QuickBooksView:
    lists: dict[str, dict[str, ListObject]] = {}
    duplicates: list[ListObject] = []
    for list_type in LIST_TYPES:
        inner = "<ActiveStatus>All</ActiveStatus>"
        rets = desk.every(f"{list_type}Query", inner) if list_type in ITERABLE else \
            iter(desk.rets(f"<{list_type}QueryRq>{inner}</{list_type}QueryRq>"))
        found: dict[str, ListObject] = {}
        for el in rets:
            obj = list_object(list_type, el)
            if obj.full_name.lower() in found:
                duplicates.append(obj)
            found[obj.full_name.lower()] = obj
        lists[list_type] = found
    txns = {}
    for txn_type in TXN_TYPES:
        inner = ("<IncludeLineItems>true</IncludeLineItems>" if txn_type in WITH_LINES else "") + \
                ("<IncludeLinkedTxns>true</IncludeLinkedTxns>" if txn_type in WITH_LINKS else "")
        txns[txn_type] = [transaction(txn_type, el) for el in desk.every(f"{txn_type}Query", inner)]
    prefs = desk.rets("<PreferencesQueryRq/>")
    closing = text(prefs[0], "AccountingPreferences/ClosingDate") if prefs else None
    return QuickBooksView(lists, txns, closing[:10] if closing else None, duplicates)


def list_object(list_type: str, el: etree._Element) -> ListObject:
    full_name = text(el, "FullName") or text(el, "Name") or ""
    fields: dict[str, Any] = {"name": text(el, "Name"), "is_active": text(el, "IsActive") != "false",
                              "parent": text(el, "ParentRef/FullName")}
    if list_type == "Account":
        fields.update(account_type=text(el, "AccountType"), number=text(el, "AccountNumber"),
                      description=text(el, "Desc"))
    elif list_type in ADDRESS:
        block = ADDRESS[list_type]
        fields.update(company_name=text(el, "CompanyName"), address=text(el, f"{block}/Addr1"),
                      address2=text(el, f"{block}/Addr2"), fax=text(el, "Fax"), contact=text(el, "Contact"),
                      city=text(el, f"{block}/City"), state=text(el, f"{block}/State"),
                      postal_code=text(el, f"{block}/PostalCode"), phone=text(el, "Phone"), email=text(el, "Email"))
        if list_type == "Vendor":
            fields.update(pay_to_name=text(el, "NameOnCheck"), account_number=text(el, "AccountNumber"))
    elif list_type == "Item":
        fields.update(item_type=str(el.tag).removeprefix("Item").removesuffix("Ret"),
                      description=first(el, ITEM_DESC), price=price(first(el, ITEM_PRICE)))
    balance = text(el, "Balance")
    total = text(el, "TotalBalance")
    return ListObject(list_type, text(el, "ListID") or "", full_name, fields,
                      Decimal(balance) if balance is not None else None,
                      Decimal(total) if total is not None else None, int(text(el, "Sublevel") or 0))


AMOUNT = {"Bill": "AmountDue", "VendorCredit": "CreditAmount", "BillPaymentCheck": "Amount", "Transfer": "Amount",
          "Check": "Amount", "Invoice": "Subtotal", "CreditMemo": "TotalAmount", "ReceivePayment": "TotalAmount"}
OPEN = {"Bill": "OpenAmount", "VendorCredit": "OpenAmount", "Invoice": "BalanceRemaining",
        "CreditMemo": "CreditRemaining", "ReceivePayment": "UnusedPayment"}
ENTITY = ("VendorRef/FullName", "CustomerRef/FullName", "PayeeEntityRef/FullName")


def transaction(txn_type: str, el: etree._Element) -> Txn:
    open_path = OPEN.get(txn_type)
    txn = Txn(txn_type, text(el, "TxnID") or "", text(el, "RefNumber"), text(el, "TxnDate"), first(el, ENTITY),
              amount(el, AMOUNT[txn_type]), amount(el, open_path) if open_path else None, text(el, "ExternalGUID"))
    txn.fields = {"due_date": text(el, "DueDate"), "memo": text(el, "Memo"),
                  "to_be_emailed": text(el, "IsToBeEmailed") == "true",
                  "bank": text(el, "BankAccountRef/FullName") or text(el, "AccountRef/FullName"),
                  "from": text(el, "TransferFromAccountRef/FullName"), "to": text(el, "TransferToAccountRef/FullName"),
                  "deposit_to": text(el, "DepositToAccountRef/FullName")}
    paid = text(el, "IsPaid")
    txn.is_paid = None if paid is None else paid == "true"
    for line in el.findall("ExpenseLineRet"):
        billable = text(line, "BillableStatus") == "Billable" and text(line, "CustomerRef/FullName") is not None
        txn.lines.append((text(line, "AccountRef/FullName"), amount(line, "Amount"), text(line, "Memo"),
                          text(line, "CustomerRef/FullName"), text(line, "ClassRef/FullName"), billable))
    for line in el.findall("InvoiceLineRet") + el.findall("CreditMemoLineRet"):
        quantity, rate = text(line, "Quantity"), text(line, "Rate")
        txn.lines.append((text(line, "ItemRef/FullName"), text(line, "Desc"),
                          Decimal(quantity) if quantity else None, Decimal(rate) if rate else None,
                          amount(line, "Amount")))
    txn.linked = [(text(x, "TxnType") or "", text(x, "TxnID") or "", amount(x, "Amount"))
                  for x in el.findall("LinkedTxn")]
    txn.applied = [(text(x, "TxnID") or "", amount(x, "Amount")) for x in el.findall("AppliedToTxnRet")]
    return txn
