"""The list types fakeqb simulates, and how their objects are stored, referenced and written back.

One `ListType` per QuickBooks list says what is particular about it; everything else (fields, their order, lengths)
comes from the message model. Name spaces are QuickBooks' own: customers (with their jobs), vendors, employees and
other names share one name list, so a name is unique across all four (case-insensitively) and so are their ListIDs;
items of every type share the item list; standard and date-driven terms share the terms list; accounts, classes and
the other lists have their own. Hierarchical lists are unique by FullName, so two jobs of different customers may
share a Name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Text, and_, bindparam, cast, func, select, update

from fakeqb.company.store import counters, list_objects, postings, stock_orders, transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_amount, fmt_bool

#: Account types in the order QuickBooks lists its chart of accounts (balance sheet first, then P&L, then non-posting).
ACCOUNT_TYPE_ORDER = (
    "Bank", "AccountsReceivable", "OtherCurrentAsset", "FixedAsset", "OtherAsset", "AccountsPayable", "CreditCard",
    "OtherCurrentLiability", "LongTermLiability", "Equity", "Income", "CostOfGoodsSold", "Expense", "OtherIncome",
    "OtherExpense", "NonPosting",
)
BALANCE_SHEET_TYPES = frozenset(ACCOUNT_TYPE_ORDER[:10])
#: CashFlowClassification, written on every account: captured as NotApplicable on Bank and NonPosting accounts and
#: Operating on an other current asset; ASSUMPTION for the rest: QuickBooks' statement of cash flows (working capital
#: operating, long-lived assets investing, long-term liabilities and equity financing, income and expense accounts
#: not applicable).
CASH_FLOW = {"AccountsReceivable": "Operating", "OtherCurrentAsset": "Operating", "AccountsPayable": "Operating",
             "CreditCard": "Operating", "OtherCurrentLiability": "Operating", "FixedAsset": "Investing",
             "OtherAsset": "Investing", "LongTermLiability": "Financing", "Equity": "Financing"}


@dataclass(frozen=True)
class ListType:
    """A QuickBooks list: its qbXML name, the name space it shares, whether it is hierarchical."""

    name: str  # Vendor, Customer, ItemService, ...
    name_space: str  # name | item | Terms | Account | Class | ...
    hierarchical: bool = False
    display: str = ""  # how QuickBooks names it in messages ("Customer", "Item", ...)
    requests: tuple[str, ...] = ("Add", "Mod", "Query")  # the requests the SDK has for it
    name_field: str = "Name"  # the element that names an object (a sales rep's is its Initial)

    @property
    def label(self) -> str:
        return self.display or self.name

    @property
    def ret(self) -> str:
        return self.name + "Ret"


LIST_TYPES: dict[str, ListType] = {
    lt.name: lt
    for lt in (
        ListType("Account", "Account", hierarchical=True),
        ListType("Class", "Class", hierarchical=True),
        ListType("Customer", "name", hierarchical=True),
        ListType("Vendor", "name"),
        ListType("Employee", "name"),
        ListType("OtherName", "name"),
        ListType("ItemService", "item", hierarchical=True, display="Item"),
        ListType("ItemNonInventory", "item", hierarchical=True, display="Item"),
        ListType("ItemOtherCharge", "item", hierarchical=True, display="Item"),
        ListType("ItemInventory", "item", hierarchical=True, display="Item"),
        ListType("ItemInventoryAssembly", "item", hierarchical=True, display="Item"),
        ListType("ItemDiscount", "item", hierarchical=True, display="Item"),
        ListType("ItemSalesTax", "item", display="Item"),
        ListType("ItemSalesTaxGroup", "item", display="Item"),
        ListType("ItemPayment", "item", display="Item"),
        ListType("ItemSubtotal", "item", display="Item"),
        ListType("ItemGroup", "item", display="Item"),
        ListType("StandardTerms", "Terms", display="Terms", requests=("Add", "Query")),
        ListType("DateDrivenTerms", "Terms", display="Terms", requests=("Add", "Query")),
        ListType("SalesTaxCode", "SalesTaxCode"),
        ListType("Template", "Template", requests=("Query",)),
        ListType("CustomerMsg", "CustomerMsg", requests=("Add", "Query")),
        ListType("PaymentMethod", "PaymentMethod", requests=("Add", "Query")),
        ListType("CustomerType", "CustomerType", hierarchical=True, requests=("Add", "Query")),
        ListType("VendorType", "VendorType", hierarchical=True, requests=("Add", "Query")),
        ListType("JobType", "JobType", hierarchical=True, requests=("Add", "Query")),
        ListType("ShipMethod", "ShipMethod", requests=("Add", "Query")),
        ListType("PriceLevel", "PriceLevel"),
        ListType("SalesRep", "SalesRep", name_field="Initial"),
    )
}
ITEM_TYPES = tuple(name for name, lt in LIST_TYPES.items() if lt.name_space == "item")
#: Items that carry a stock: quantity on hand, average cost, an inventory asset account.
STOCK_TYPES = ("ItemInventory", "ItemInventoryAssembly")
#: What a sales tax reference on a customer or a form may name: a tax item or a group of them.
TAX_ITEM_TYPES = ("ItemSalesTax", "ItemSalesTaxGroup")
TERMS_TYPES = ("StandardTerms", "DateDrivenTerms")
#: Queries over several list types of one name space (ItemQuery, TermsQuery).
MIXED_QUERIES = {"Item": ITEM_TYPES, "Terms": TERMS_TYPES}

#: What each reference element points at: (name space, list types allowed, name in error messages).
#: ASSUMPTION: references to lists fakeqb does not simulate (units of measure, inventory sites, sales tax return
#: lines...) find nothing, as in a company that has none of them, and are refused with 3140.
_ACCOUNT = ("Account", ("Account",), "Account")
_TAX_CODE = ("SalesTaxCode", ("SalesTaxCode",), "SalesTaxCode")
NAME_TYPES = ("Customer", "Vendor", "Employee", "OtherName")
REF_TARGETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "ClassRef": ("Class", ("Class",), "Class"), "DiscountClassRef": ("Class", ("Class",), "Class"),
    "OverrideClassRef": ("Class", ("Class",), "Class"),
    "AccountRef": _ACCOUNT, "IncomeAccountRef": _ACCOUNT, "ExpenseAccountRef": _ACCOUNT, "COGSAccountRef": _ACCOUNT,
    "AssetAccountRef": _ACCOUNT, "PrefillAccountRef": _ACCOUNT, "APAccountRef": _ACCOUNT, "BankAccountRef": _ACCOUNT,
    "CreditCardAccountRef": _ACCOUNT, "TransferFromAccountRef": _ACCOUNT, "TransferToAccountRef": _ACCOUNT,
    "OverrideItemAccountRef": _ACCOUNT, "DiscountAccountRef": _ACCOUNT, "ARAccountRef": _ACCOUNT,
    "DepositToAccountRef": _ACCOUNT,
    "PrefVendorRef": ("name", ("Vendor",), "Vendor"),
    "SupervisorRef": ("name", ("Employee",), "Employee"),
    "CustomerRef": ("name", ("Customer",), "Customer"),
    "VendorRef": ("name", ("Vendor",), "Vendor"),
    "PayeeEntityRef": ("name", NAME_TYPES, "Entity"),
    "EntityRef": ("name", NAME_TYPES, "Entity"),
    "ItemRef": ("item", ITEM_TYPES, "Item"),
    "TermsRef": ("Terms", TERMS_TYPES, "Terms"),
    "SalesTaxCodeRef": _TAX_CODE, "CustomerSalesTaxCodeRef": _TAX_CODE,
    "TemplateRef": ("Template", ("Template",), "Template"),
    "CustomerMsgRef": ("CustomerMsg", ("CustomerMsg",), "CustomerMsg"),
    "PaymentMethodRef": ("PaymentMethod", ("PaymentMethod",), "PaymentMethod"),
    "PreferredPaymentMethodRef": ("PaymentMethod", ("PaymentMethod",), "PaymentMethod"),
    "CustomerTypeRef": ("CustomerType", ("CustomerType",), "CustomerType"),
    "VendorTypeRef": ("VendorType", ("VendorType",), "VendorType"),
    "JobTypeRef": ("JobType", ("JobType",), "JobType"),
    "ShipMethodRef": ("ShipMethod", ("ShipMethod",), "ShipMethod"),
    "PriceLevelRef": ("PriceLevel", ("PriceLevel",), "PriceLevel"),
    "SalesRepRef": ("SalesRep", ("SalesRep",), "SalesRep"),
    "SalesRepEntityRef": ("name", ("Employee", "Vendor", "OtherName"), "Entity"),
    "TaxVendorRef": ("name", ("Vendor",), "Vendor"),
    "ItemSalesTaxRef": ("item", TAX_ITEM_TYPES, "ItemSalesTax"),
    "ItemInventoryRef": ("item", ("ItemInventory", "ItemInventoryAssembly", "ItemNonInventory", "ItemService",
                                  "ItemOtherCharge"), "Item"),
    "ItemInventoryAssemblyRef": ("item", ("ItemInventoryAssembly",), "Item"),
    "ItemGroupRef": ("item", ("ItemGroup",), "Item"),
}


# Built once: SQLAlchemy caches their compiled form, so a lookup costs only its execution.
_BY_ID = select(list_objects).where(list_objects.c.name_space == bindparam("space"),
                                    list_objects.c.list_id == bindparam("value"))
_BY_NAME = select(list_objects).where(list_objects.c.name_space == bindparam("space"),
                                      list_objects.c.name_key == bindparam("value"))


def find(conn: Connection, name_space: str, list_id: str) -> Row[Any] | None:
    return conn.execute(_BY_ID, {"space": name_space, "value": list_id}).first()


def find_by_name(conn: Connection, name_space: str, full_name: str) -> Row[Any] | None:
    return conn.execute(_BY_NAME, {"space": name_space, "value": name_key(full_name)}).first()


def name_key(full_name: str) -> str:
    return full_name.casefold()


def hierarchy_key(full_name: str) -> str:
    """A FullName compared as QuickBooks lists it: case-insensitively, each parent directly before its children."""
    return name_key(full_name).replace(":", "\x01")


def sort_key(list_type: str, full_name: str, data: Mapping[str, Any]) -> str:
    """Listing order: by FullName with each parent directly before its children (accounts first by type)."""
    key = hierarchy_key(full_name)
    if list_type == "Account":
        account_type = data.get("AccountType")
        rank = ACCOUNT_TYPE_ORDER.index(account_type) if account_type in ACCOUNT_TYPE_ORDER else 99
        return f"{rank:02d}{key}"
    return key


def first_account(conn: Connection, account_type: str) -> Row[Any] | None:
    """The first account of a type in the chart of accounts (accounts sort by type first, see `sort_key`)."""
    rank = f"{ACCOUNT_TYPE_ORDER.index(account_type):02d}"
    return conn.execute(select(list_objects).where(
        list_objects.c.name_space == "Account", list_objects.c.sort_key.startswith(rank, autoescape=True)
    ).order_by(list_objects.c.sort_key, list_objects.c.id).limit(1)).first()


def resolve(conn: Connection, ref_name: str, ref: Mapping[str, Any], in_object: str,
            targets: tuple[str, tuple[str, ...], str] | None = None) -> Row[Any]:
    """The object a reference names (ListID wins over FullName), or status 3140."""
    space, types, label = targets or REF_TARGETS.get(ref_name, ("", (), ref_name.removesuffix("Ref")))
    row = None
    if space:
        if ref.get("ListID"):
            row = find(conn, space, ref["ListID"])
        elif ref.get("FullName"):
            row = find_by_name(conn, space, ref["FullName"])
    if row is None or row.list_type not in types:
        raise status.invalid_reference(label, ref.get("ListID") or ref.get("FullName") or "", in_object)
    return row


def resolve_refs(conn: Connection, data: Data, in_object: str) -> None:
    """Replace every list reference in `data` (at any depth) by {"ListID": ...} of the object it names."""
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, dict):
                continue
            if key.endswith("Ref") and key != "ParentRef" and ("ListID" in item or "FullName" in item or not item):
                row = resolve(conn, key, item, in_object)
                item.clear()
                item["ListID"] = row.list_id
            else:
                resolve_refs(conn, item, in_object)


def refers_to(data: Any, name_space: str, list_id: str) -> bool:
    """Whether stored `data` holds a reference (at any depth) to `list_id` of `name_space`.

    ListIDs are unique per list only (a class and a vendor may share one), so the reference's kind must match too.
    """
    if isinstance(data, list):
        return any(refers_to(item, name_space, list_id) for item in data)
    if not isinstance(data, dict):
        return False
    for key, value in data.items():
        if (key.endswith("Ref") and isinstance(value, dict) and value.get("ListID") == list_id
                and REF_TARGETS.get(key, ("",))[0] == name_space):
            return True
        if isinstance(value, dict | list) and refers_to(value, name_space, list_id):
            return True
    return False


def in_use(conn: Connection, row: Row[Any]) -> bool:
    """Whether another list object or a transaction refers to `row` (QuickBooks refuses to delete it then)."""
    candidates = select(list_objects.c.id, list_objects.c.data).where(
        list_objects.c.id != row.id, cast(list_objects.c.data, Text).contains(row.list_id, autoescape=True))
    if any(refers_to(c.data, row.name_space, row.list_id) for c in conn.execute(candidates)):
        return True
    column = {"Account": postings.c.account_id, "name": postings.c.entity_id}.get(row.name_space)
    if column is not None and conn.execute(select(postings.c.id).where(column == row.list_id).limit(1)).first():
        return True
    txns = select(transactions.c.data).where(cast(transactions.c.data, Text).contains(row.list_id, autoescape=True))
    return any(refers_to(t.data, row.name_space, row.list_id) for t in conn.execute(txns))


_PARENT = select(list_objects.c.list_id, list_objects.c.full_name).where(list_objects.c.id == bindparam("parent"))
_FULL_NAME = select(list_objects.c.full_name).where(list_objects.c.name_space == bindparam("space"),
                                                   list_objects.c.list_id == bindparam("value"))


def ref_space(ref_name: str) -> str:
    """The name space a reference element points into ("" when it points at no list fakeqb simulates)."""
    return REF_TARGETS.get(ref_name, ("",))[0]


_FULL_NAMES = select(list_objects.c.list_id, list_objects.c.full_name).where(
    list_objects.c.name_space == bindparam("space"), list_objects.c.list_id.in_(bindparam("ids", expanding=True)))


def full_names(conn: Connection, space: str, list_ids: set[str]) -> list[tuple[str, str]]:
    """(ListID, FullName) of the objects of a name space with these ListIDs, in one query."""
    return [(r.list_id, r.full_name) for r in conn.execute(_FULL_NAMES, {"space": space, "ids": sorted(list_ids)})] \
        if space and list_ids else []


def full_name_of(conn: Connection, ref_name: str, list_id: str) -> str | None:
    return conn.execute(_FULL_NAME, {"space": ref_space(ref_name), "value": list_id}).scalar()


#: Counting up and reading the new value in one statement (RETURNING: SQLite 3.35 and later, PostgreSQL).
_COUNTER_NEXT = (update(counters).where(counters.c.space == bindparam("counter"))
                 .values(value=counters.c.value + 1).returning(counters.c.value))


def next_value(conn: Connection, space: str, start: int) -> int:
    """The next number of a counter space (`start` for its first)."""
    value = conn.execute(_COUNTER_NEXT, {"counter": space}).scalar()
    if value is None:
        value = start
        conn.execute(counters.insert(), {"space": space, "value": value})
    return int(value)


def next_id(conn: Connection, space: str, unix: int, start: int) -> str:
    """The next ID of a counter space: hex counter, dash, Unix seconds (80000001-1700000000)."""
    return f"{next_value(conn, space, start):X}-{unix}"


def new_list_id(conn: Connection, name_space: str, unix: int) -> str:
    return next_id(conn, "list:" + name_space, unix, 0x80000001)


#: The new row as stored, returned by the INSERT itself (RETURNING) rather than read again.
_INSERT = list_objects.insert().returning(*list_objects.c)


def insert_object(conn: Connection, lt: ListType, name: str, data: Data, unix: int, *, parent: Row[Any] | None = None,
                  is_active: bool = True, balance: Decimal = Decimal(0)) -> Row[Any]:
    """Store a new list object (its name already checked); returns its row."""
    full_name = f"{parent.full_name}:{name}" if parent is not None else name
    list_id = new_list_id(conn, lt.name_space, unix)
    return conn.execute(_INSERT, dict(
        list_type=lt.name, name_space=lt.name_space, list_id=list_id, name=name, full_name=full_name,
        name_key=name_key(full_name), sort_key=sort_key(lt.name, full_name, data),
        parent_id=parent.id if parent is not None else None, sublevel=parent.sublevel + 1 if parent is not None else 0,
        is_active=is_active, time_created=unix, time_modified=unix, edit_sequence=unix, balance=balance, data=data,
    )).one()


_BELOW = select(func.coalesce(func.sum(list_objects.c.balance), 0)).where(
    list_objects.c.name_space == bindparam("space"), list_objects.c.name_key > bindparam("low"),
    list_objects.c.name_key < bindparam("high"))


def total_balance(conn: Connection, row: Row[Any]) -> Decimal:
    """The balance of an object and all its descendants (sub-accounts, jobs): their keys lie between "name:" and
    "name;" (";" follows ":"), a range the name index answers."""
    key = name_key(row.full_name)
    below = conn.execute(_BELOW, {"space": row.name_space, "low": key + ":", "high": key + ";"}).scalar()
    return Decimal(row.balance) + Decimal(below or 0)


_BELOW_EACH_CHILD = list_objects.alias("below")
_BELOW_EACH = (
    select(list_objects.c.id, func.coalesce(func.sum(_BELOW_EACH_CHILD.c.balance), 0))
    .select_from(list_objects.outerjoin(_BELOW_EACH_CHILD, and_(
        _BELOW_EACH_CHILD.c.name_space == list_objects.c.name_space,
        _BELOW_EACH_CHILD.c.name_key > list_objects.c.name_key + ":",
        _BELOW_EACH_CHILD.c.name_key < list_objects.c.name_key + ";")))
    .where(list_objects.c.id.in_(bindparam("ids", expanding=True)))
    .group_by(list_objects.c.id))


class PageTotals:
    """`total_balance` of the objects of one page, all found by one query the first time one is asked for (a page of
    customers would otherwise cost a query per customer)."""

    def __init__(self, conn: Connection, rows: Sequence[Row[Any]]):
        self._conn, self._rows = conn, rows
        self._below: dict[int, Any] | None = None

    def __call__(self, row: Row[Any]) -> Decimal:
        if self._below is None:
            ids = [r.id for r in self._rows]
            self._below = {row_id: below for row_id, below in self._conn.execute(_BELOW_EACH, {"ids": ids})}
        if row.id not in self._below:
            return total_balance(self._conn, row)
        return Decimal(row.balance) + Decimal(self._below[row.id] or 0)


TotalOf = Callable[[Row[Any]], Decimal]
RetExtra = Callable[[Connection, Row[Any], Data, TotalOf | None], None]


def ret_data(conn: Connection, row: Row[Any], stamp: Callable[[int], str], total: TotalOf | None = None) -> Data:
    """The stored object as its `*Ret` content: stored fields plus what QuickBooks computes (`stamp` writes a
    stored time: `CompanyClock.stamp`; `total` finds a TotalBalance, by default with `total_balance`)."""
    column = row._mapping  # by key: reading a Row's attribute first raises and catches an AttributeError
    data: Data = dict(column["data"])
    data.update(
        ListID=column["list_id"],
        TimeCreated=stamp(column["time_created"]),
        TimeModified=stamp(column["time_modified"]),
        EditSequence=str(column["edit_sequence"]),
        Name=column["name"],
        FullName=column["full_name"],
        IsActive=fmt_bool(column["is_active"]),
        Sublevel=str(column["sublevel"]),
    )
    if column["parent_id"] is not None:
        parent = conn.execute(_PARENT, {"parent": column["parent_id"]}).one()
        data["ParentRef"] = {"ListID": parent.list_id, "FullName": parent.full_name}
    extra = RET_EXTRAS.get(column["list_type"])
    if extra is not None:
        extra(conn, row, data, total)
    return data


def _balances(conn: Connection, row: Row[Any], data: Data, total: TotalOf | None) -> None:
    data["Balance"] = fmt_amount(row.balance)
    data["TotalBalance"] = fmt_amount(total(row) if total is not None else total_balance(conn, row))


def _account(conn: Connection, row: Row[Any], data: Data, total: TotalOf | None) -> None:
    _balances(conn, row, data, total)
    data.setdefault("CashFlowClassification", CASH_FLOW.get(data.get("AccountType", ""), "NotApplicable"))


def _customer(conn: Connection, row: Row[Any], data: Data, total: TotalOf | None) -> None:
    for field, block in (("BillAddress", "BillAddressBlock"), ("ShipAddress", "ShipAddressBlock")):
        address_block(data, field, block)
    _balances(conn, row, data, total)
    data.setdefault("JobStatus", "None")
    data.setdefault("PreferredDeliveryMethod", "None")  # written from qbXML 12.0, the version that has it


def _vendor(conn: Connection, row: Row[Any], data: Data, total: TotalOf | None) -> None:
    address_block(data, "VendorAddress", "VendorAddressBlock")
    data["Balance"] = fmt_amount(row.balance)
    data.setdefault("IsVendorEligibleFor1099", "false")


_ADDRESS_LINES = ("Addr1", "Addr2", "Addr3", "Addr4", "Addr5")


def address_block(data: Data, field: str, block: str) -> None:
    """The address as QuickBooks prints it: up to five lines of at most 41 characters, city/state/zip on one."""
    address = data.get(field)
    if not address:
        return
    get = address.get
    city_line = _joined(", ", get("City"), _joined(" ", get("State"), get("PostalCode")))
    lines = [get("Addr1"), get("Addr2"), get("Addr3"), get("Addr4"), get("Addr5"), city_line, get("Country")]
    data[block] = dict(zip(_ADDRESS_LINES, [line[:41] for line in lines if line], strict=False))


def _joined(separator: str, first: str | None, second: str | None) -> str:
    """The two parts with the separator between them, or the one there is."""
    return f"{first}{separator}{second}" if first and second else first or second or ""


_ON_ORDER = select(stock_orders.c.txn_type, func.coalesce(func.sum(stock_orders.c.quantity), 0)).where(
    stock_orders.c.item_id == bindparam("item")).group_by(stock_orders.c.txn_type)


def _inventory(conn: Connection, row: Row[Any], data: Data, total: TotalOf | None) -> None:
    """What `fakeqb.company.stock` keeps: on hand, average cost, and what open purchase and sales orders hold."""
    data.setdefault("QuantityOnHand", "0")
    data.setdefault("AverageCost", data.get("PurchaseCost", "0.00"))
    on_order = {kind: Decimal(value) for kind, value in conn.execute(_ON_ORDER, {"item": row.list_id})}
    data["QuantityOnOrder"] = format(on_order.get("PurchaseOrder", Decimal(0)).normalize(), "f")
    data["QuantityOnSalesOrder"] = format(on_order.get("SalesOrder", Decimal(0)).normalize(), "f")


RET_EXTRAS: dict[str, RetExtra] = {
    "Account": _account,
    "Customer": _customer,
    "Vendor": _vendor,
    "OtherName": lambda conn, row, data, total: address_block(data, "OtherNameAddress", "OtherNameAddressBlock"),
    "ItemInventory": _inventory,
    "ItemInventoryAssembly": _inventory,
    "SalesRep": lambda conn, row, data, total: data.update(Initial=row.name),
}
