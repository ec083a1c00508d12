"""Add, Mod and ListDel for every simulated list type (queries are in `list_queries`).

ASSUMPTIONS (QuickBooks' behaviour not captured):
* The type of an account with sub-accounts cannot change (3180): sub-accounts always have their parent's type; nor
  can the type of an account transactions post to (its balance is kept in its type's sign).
* A sub-item must be of its parent's item type (QuickBooks offers only those under "Subitem of"); another parent is
  an invalid reference (3140).
* A Name may not contain a colon (the FullName separator) and may not be blank: 3180.
* Making a parent inactive makes its sub-elements inactive too (QuickBooks asks, then does so).
* The sales tax codes "Tax" and "Non" are the company's default codes for taxable and non-taxable sales (its sales
  tax preferences name them): they cannot be deleted (3170, in use).
* An object another list object or a transaction refers to (a ClassRef, an AccountRef, a bill's vendor...) cannot
  be deleted (3170, "This list element is in use."), nor an object with sub-elements.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select, update
from sqlalchemy.sql import ColumnElement

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.handlers import aggregates, item_rules, opening
from fakeqb.company.handlers.dataext import data_ext_rets
from fakeqb.company.ledger import has_postings
from fakeqb.company.lists import (
    BALANCE_SHEET_TYPES,
    LIST_TYPES,
    STOCK_TYPES,
    ListType,
    TotalOf,
    find,
    find_by_name,
    in_use,
    insert_object,
    name_key,
    resolve,
    resolve_refs,
    ret_data,
    sort_key,
)
from fakeqb.company.store import data_ext_values, deleted_objects, list_objects
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data, to_data
from fakeqb.qbxml.values import fmt_datetime, parse_bool


def _list_type(ctx: Context, suffix: str) -> ListType:
    return LIST_TYPES[ctx.request.name.removesuffix(suffix)]


PROTECTED_TAX_CODES = ("Tax", "Non")
#: Fields the schema has that QuickBooks Desktop (US) does not take: dropped, the rest saved, answered 530 (Warn).
UNSUPPORTED: dict[str, tuple[str, ...]] = {"Customer": ("IsStatementWithParent",)}


def _body_data(ctx: Context) -> Data:
    body = ctx.body()
    spec = ctx.model[ctx.request.name].child(body.tag)
    assert spec is not None
    return to_data(body, spec)


def _unsupported(lt: ListType, data: Data) -> str | None:
    """Drop the fields QuickBooks does not take; the first one's name, if any."""
    dropped = [name for name in UNSUPPORTED.get(lt.name, ()) if data.pop(name, None) is not None]
    return dropped[0] if dropped else None


def _answer(result: Result, unsupported: str | None) -> Result:
    if unsupported is not None:
        err = status.unsupported_field(unsupported)
        result.status = (err.code, err.severity, err.message)
    return result


# -- Add ----------------------------------------------------------------------------------------------------------

@handles(*(f"{name}AddRq" for name, lt in LIST_TYPES.items() if "Add" in lt.requests))
def add(ctx: Context) -> Result:
    lt = _list_type(ctx, "AddRq")
    data = _body_data(ctx)
    unsupported = _unsupported(lt, data)
    name = data.pop(lt.name_field, "") or _person_name(data)
    is_active = parse_bool(data.pop("IsActive", "true") or "true")
    parent = _parent(ctx, lt, data.pop("ParentRef", None))
    full_name = f"{parent.full_name}:{name}" if parent is not None else name
    _check_unique(ctx, lt, name, full_name)
    resolve_refs(ctx.conn, data, lt.label)
    aggregates.on_add(ctx, data)
    item_rules.on_save(ctx, lt.name, data)
    balance = _opening_balance(lt, data, parent)
    row = insert_object(ctx.conn, lt, name, data, ctx.unix, parent=parent, is_active=is_active, balance=balance)
    if lt.name in STOCK_TYPES and data.get("TotalValue") and data.get("AssetAccountRef"):
        _open_stock(ctx, data["AssetAccountRef"]["ListID"], Decimal(data["TotalValue"]))
    if lt.name in ("Customer", "Vendor") and data.get("OpenBalance"):
        opening.enter(ctx, row, Decimal(data["OpenBalance"]), data.get("OpenBalanceDate"))
        return _answer(_ret(ctx, find(ctx.conn, lt.name_space, row.list_id)), unsupported)
    return _answer(_ret(ctx, row), unsupported)


def _open_stock(ctx: Context, asset_account: str, value: Decimal) -> None:
    """An inventory part's opening value (TotalValue) enters its asset account's balance as an opening balance does:
    QuickBooks posts it against Opening Balance Equity, which the reports show (`reports`)."""
    ctx.conn.execute(update(list_objects).where(list_objects.c.name_space == "Account",
                                                list_objects.c.list_id == asset_account)
                     .values(balance=func.round(list_objects.c.balance + value, 2)))


def _person_name(data: Data) -> str:
    """An employee without a Name is named from their first, middle and last names (also when a Mod changes them)."""
    return " ".join(data[k] for k in ("FirstName", "MiddleName", "LastName") if data.get(k))


def _parent(ctx: Context, lt: ListType, ref: dict[str, Any] | None) -> Any:
    """The parent a ParentRef names: 3130 when it names nothing, 3140 when it names an object of another type."""
    if not ref:
        return None
    named = find(ctx.conn, lt.name_space, ref["ListID"]) if ref.get("ListID") else \
        find_by_name(ctx.conn, lt.name_space, ref.get("FullName") or "")
    if named is None:
        raise status.invalid_parent(ref.get("ListID") or ref.get("FullName") or "", lt.label)
    return resolve(ctx.conn, "ParentRef", ref, lt.label, (lt.name_space, (lt.name,), lt.label))


def _check_unique(ctx: Context, lt: ListType, name: str, full_name: str, own_id: int | None = None) -> None:
    _check_name(lt, name)
    other = find_by_name(ctx.conn, lt.name_space, full_name)
    if other is not None and other.id != own_id:
        raise status.name_in_use(name)


def _check_name(lt: ListType, name: str) -> None:
    if not name.strip():
        raise status.cannot_save(lt.label, name, "The name cannot be blank.")
    if ":" in name:
        raise status.cannot_save(lt.label, name, 'The name cannot contain a colon (":").')


def _opening_balance(lt: ListType, data: Data, parent: Any) -> Decimal:
    """The balance an account's Add starts with: its OpenBalance, for balance-sheet accounts (a customer's or vendor's
    opening balance is a transaction, `opening`).

    ASSUMPTION: the opening-balance transaction of an account is not simulated; only the balance it produces is.
    """
    if lt.name == "Account":
        if parent is not None and parent.data.get("AccountType") != data.get("AccountType"):
            raise status.cannot_save("Account", data.get("AccountType", ""),
                                     "A subaccount must be the same type as its parent.")
        if data.get("AccountType") not in BALANCE_SHEET_TYPES:
            return Decimal(0)
    if lt.name == "Account" and data.get("OpenBalance"):
        return Decimal(data["OpenBalance"])
    return Decimal(0)


def _ret(ctx: Context, row: Any, owners: list[str] | None = None) -> Result:
    return Result(rets=[ret_item(ctx, row, owners)])


def ret_item(ctx: Context, row: Any, owners: list[str] | None = None, total: TotalOf | None = None) -> tuple[str, Data]:
    data = ret_data(ctx.conn, row, ctx.company.clock.stamp, total)
    if owners:
        data["DataExtRet"] = data_ext_rets(ctx.conn, row.list_type, row.list_id, owners)
    return LIST_TYPES[row.list_type].ret, data


# -- Mod ----------------------------------------------------------------------------------------------------------

_UPDATE = update(list_objects).where(list_objects.c.id == bindparam("row_id"))


@handles(*(f"{name}ModRq" for name, lt in LIST_TYPES.items() if "Mod" in lt.requests))
def mod(ctx: Context) -> Result:
    lt = _list_type(ctx, "ModRq")
    data = _body_data(ctx)
    list_id, sent_sequence = data.pop("ListID"), data.pop("EditSequence")
    unsupported = _unsupported(lt, data)
    row = find(ctx.conn, lt.name_space, list_id)
    if row is None or row.list_type != lt.name:
        raise status.object_not_found(list_id)
    if sent_sequence != str(row.edit_sequence):
        raise status.stale_edit_sequence(sent_sequence, ret_item(ctx, row))
    name = data.pop(lt.name_field, None)
    if name is None and lt.name == "Employee" and {"FirstName", "MiddleName", "LastName"} & data.keys():
        name = _person_name({**row.data, **data})
    if name is None:
        name = row.name
    else:
        _check_name(lt, name)
    is_active = parse_bool(data.pop("IsActive")) if data.get("IsActive") else row.is_active
    parent = row.parent_id
    parent_row = None
    if "ParentRef" in data:
        ref = data.pop("ParentRef")
        parent_row = _parent(ctx, lt, ref) if (ref.get("ListID") or ref.get("FullName")) else None
        if parent_row is not None and (parent_row.id == row.id or parent_row.name_key.startswith(row.name_key + ":")):
            raise status.cannot_save(lt.label, name, "An element cannot be moved under itself.")
        parent = parent_row.id if parent_row is not None else None
    elif parent is not None:
        parent_row = ctx.conn.execute(select(list_objects).where(list_objects.c.id == parent)).one()
    full_name = f"{parent_row.full_name}:{name}" if parent_row is not None else name
    if name_key(full_name) != row.name_key:
        _check_unique(ctx, lt, name, full_name, row.id)
    resolve_refs(ctx.conn, data, lt.label)
    merged = dict(row.data)
    aggregates.on_mod(ctx, merged, data)
    item_rules.on_save(ctx, lt.name, data, merged)
    for key, value in data.items():
        if value == "" or value == {}:
            merged.pop(key, None)  # an empty element clears the field
        else:
            merged[key] = value
    if (lt.name == "Account" and parent_row is not None
            and parent_row.data.get("AccountType") != merged.get("AccountType")):
        raise status.cannot_save("Account", name, "A subaccount must be the same type as its parent.")
    if (lt.name == "Account" and merged.get("AccountType") != row.data.get("AccountType")
            and _has_children(ctx, row.id)):
        raise status.cannot_save("Account", name, "You cannot change the type of an account that has subaccounts.")
    if (lt.name == "Account" and merged.get("AccountType") != row.data.get("AccountType")
            and has_postings(ctx.conn, row.list_id)):
        raise status.cannot_save("Account", name, "You cannot change the type of an account used in transactions.")
    sublevel = parent_row.sublevel + 1 if parent_row is not None else 0
    ctx.conn.execute(_UPDATE, dict(
        row_id=row.id, name=name, full_name=full_name, name_key=name_key(full_name),
        sort_key=sort_key(lt.name, full_name, merged), parent_id=parent, sublevel=sublevel, is_active=is_active,
        time_modified=ctx.unix, edit_sequence=max(ctx.unix, row.edit_sequence + 1), data=merged,
    ))
    if full_name != row.full_name or sublevel != row.sublevel:
        _rename_descendants(ctx, lt, row.full_name, full_name, sublevel - row.sublevel)
    if row.is_active and not is_active:
        _deactivate_descendants(ctx, lt, full_name)
    return _answer(_ret(ctx, find(ctx.conn, lt.name_space, list_id)), unsupported)


def _has_children(ctx: Context, object_id: int) -> bool:
    return ctx.conn.execute(select(list_objects.c.id).where(list_objects.c.parent_id == object_id).limit(1)).first() \
        is not None


def _descendants(lt: ListType, full_name: str) -> ColumnElement[bool]:
    return (list_objects.c.name_space == lt.name_space) & list_objects.c.name_key.startswith(
        name_key(full_name) + ":", autoescape=True)


def _rename_descendants(ctx: Context, lt: ListType, old: str, new: str, level_change: int) -> None:
    """Children follow their parent: their FullName and Sublevel change with it (their TimeModified does not)."""
    for child in ctx.conn.execute(select(list_objects).where(_descendants(lt, old))).all():
        full = new + child.full_name[len(old):]
        ctx.conn.execute(update(list_objects).where(list_objects.c.id == child.id).values(
            full_name=full, name_key=name_key(full), sort_key=sort_key(child.list_type, full, child.data),
            sublevel=child.sublevel + level_change))


def _deactivate_descendants(ctx: Context, lt: ListType, full_name: str) -> None:
    """ASSUMPTION: making a parent inactive makes its sub-elements inactive too (QuickBooks asks, then does so)."""
    bumped = list_objects.c.edit_sequence + 1
    ctx.conn.execute(update(list_objects).where(_descendants(lt, full_name), list_objects.c.is_active.is_(True))
                     .values(is_active=False, time_modified=ctx.unix,
                             edit_sequence=case((bumped > ctx.unix, bumped), else_=ctx.unix)))


# -- ListDel ------------------------------------------------------------------------------------------------------

@handles("ListDelRq")
def list_del(ctx: Context) -> Result:
    el = ctx.request.element
    del_type, list_id = el.findtext("ListDelType") or "", el.findtext("ListID") or ""
    lt = LIST_TYPES.get(del_type)
    if lt is None:
        raise status.not_supported()
    row = find(ctx.conn, lt.name_space, list_id)
    if row is None or row.list_type != lt.name:
        raise status.object_not_found(list_id)
    if _has_children(ctx, row.id):
        raise status.cannot_delete(lt.label, row.full_name, "This list element has sub-elements.")
    if in_use(ctx.conn, row) or (lt.name == "SalesTaxCode" and row.name in PROTECTED_TAX_CODES):
        raise status.cannot_delete(lt.label, row.full_name, "This list element is in use.")
    ctx.conn.execute(delete(data_ext_values).where(data_ext_values.c.object_id == list_id,
                                                   data_ext_values.c.object_type == _ext_type(lt)))
    ctx.conn.execute(delete(list_objects).where(list_objects.c.id == row.id))
    ctx.conn.execute(deleted_objects.insert().values(del_type=del_type, object_id=list_id, full_name=row.full_name,
                                                     time_created=row.time_created, time_deleted=ctx.unix))
    return Result(fields=[("ListDelType", del_type), ("ListID", list_id),
                          ("TimeDeleted", fmt_datetime(ctx.now)), ("FullName", row.full_name)])


def _ext_type(lt: ListType) -> str:
    return "Item" if lt.name_space == "item" else lt.name
