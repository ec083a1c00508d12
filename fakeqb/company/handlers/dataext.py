"""Data extensions: custom fields (OwnerID 0) and private fields an application keys by its own GUID.

An integration defines a field once (DataExtDefAdd) for some object types, then sets a value per object
(DataExtAdd/Mod/Del); queries that name the OwnerID return the values as DataExtRet. Owner GUIDs are matched and
returned upper-cased, as QuickBooks does.

ASSUMPTIONS: setting a value does not change the object's TimeModified or EditSequence; a DataExtAdd for a value
that already exists is refused like a duplicate name (3100); transaction and company values are not simulated yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.lists import ITEM_TYPES, LIST_TYPES, find, find_by_name
from fakeqb.company.store import data_ext_defs, data_ext_values
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_datetime, lexically_valid

#: DataExtType -> (value format checked, max length)
_VALUE_KINDS = {"AMTTYPE": ("amt", None), "PRICETYPE": ("price", None), "QUANTYPE": ("quan", None),
                "PERCENTTYPE": ("percent", None), "INTTYPE": ("int", None), "DATETIMETYPE": ("datetime", None),
                "STR255TYPE": ("str", 255), "STR1024TYPE": ("str", 1024)}


def owner_key(owner: str) -> str:
    return owner.strip().upper()


def _def(conn: Connection, owner: str, name: str) -> Any:
    return conn.execute(select(data_ext_defs).where(data_ext_defs.c.owner_id == owner_key(owner),
                                                    data_ext_defs.c.name_key == name.casefold())).first()


def _named(ctx: Context, el: Any) -> Any:
    """The definition the OwnerID and DataExtName inside `el` name, or status 3120."""
    name = el.findtext("DataExtName") or ""
    row = _def(ctx.conn, el.findtext("OwnerID") or "", name)
    if row is None:
        raise status.object_not_found(name)
    return row


def _def_ret(row: Any) -> tuple[str, Data]:
    data = {"OwnerID": row.owner_id, "DataExtID": str(row.data_ext_id), "DataExtName": row.name}
    data.update(row.data)
    return "DataExtDefRet", data


@handles("DataExtDefAddRq")
def def_add(ctx: Context) -> Result:
    body = ctx.body()
    owner, name = body.findtext("OwnerID") or "", body.findtext("DataExtName") or ""
    if _def(ctx.conn, owner, name) is not None:
        raise status.name_in_use(name)
    next_id = (ctx.conn.execute(select(func.max(data_ext_defs.c.data_ext_id))).scalar() or 0) + 1
    data = {"DataExtType": body.findtext("DataExtType"),
            "AssignToObject": [e.text for e in body.findall("AssignToObject")],
            "DataExtListRequire": _flag(body.findtext("DataExtListRequire")),
            "DataExtTxnRequire": _flag(body.findtext("DataExtTxnRequire")),
            "DataExtFormatString": body.findtext("DataExtFormatString") or ""}
    ctx.conn.execute(data_ext_defs.insert().values(owner_id=owner_key(owner), name=name, name_key=name.casefold(),
                                                   data_ext_id=next_id, data=data))
    return Result(rets=[_def_ret(_def(ctx.conn, owner, name))])


def _flag(text: str | None) -> str:
    return "true" if text in ("true", "1") else "false"


@handles("DataExtDefModRq")
def def_mod(ctx: Context) -> Result:
    body = ctx.body()
    owner = body.findtext("OwnerID") or ""
    row = _named(ctx, body)
    data = dict(row.data)
    new_name = body.findtext("DataExtNewName") or row.name
    if new_name.casefold() != row.name_key and _def(ctx.conn, owner, new_name) is not None:
        raise status.name_in_use(new_name)
    assigned = [a for a in data["AssignToObject"] if a not in {e.text for e in body.findall("RemoveFromObject")}]
    assigned += [e.text for e in body.findall("AssignToObject") if e.text not in assigned]
    data["AssignToObject"] = assigned
    for flag in ("DataExtListRequire", "DataExtTxnRequire"):
        if (text := body.findtext(flag)) is not None:
            data[flag] = _flag(text)
    if (fmt := body.findtext("DataExtFormatString")) is not None:
        data["DataExtFormatString"] = fmt
    ctx.conn.execute(update(data_ext_defs).where(data_ext_defs.c.id == row.id).values(
        name=new_name, name_key=new_name.casefold(), data=data))
    ctx.conn.execute(update(data_ext_values).where(data_ext_values.c.owner_id == row.owner_id,
                                                   data_ext_values.c.name_key == row.name_key)
                     .values(name_key=new_name.casefold()))
    return Result(rets=[_def_ret(_def(ctx.conn, owner, new_name))])


@handles("DataExtDefDelRq")
def def_del(ctx: Context) -> Result:
    row = _named(ctx, ctx.request.element)
    ctx.conn.execute(delete(data_ext_values).where(data_ext_values.c.owner_id == row.owner_id,
                                                   data_ext_values.c.name_key == row.name_key))
    ctx.conn.execute(delete(data_ext_defs).where(data_ext_defs.c.id == row.id))
    return Result(rets=[("DataExtDefDelRet", {"OwnerID": row.owner_id, "DataExtName": row.name,
                                              "TimeDeleted": fmt_datetime(ctx.now)})])


def with_meta_data(ctx: Context, rets: list[tuple[str, Data]]) -> Result:
    """The result of a query without iterators, honouring its metaData attribute (retCount, or only retCount)."""
    meta = ctx.request.element.get("metaData", "NoMetaData")
    result = Result(rets=[] if meta == "MetaDataOnly" else rets)
    if meta != "NoMetaData":
        result.attrs["retCount"] = str(len(rets))
    return result


@handles("DataExtDefQueryRq")
def def_query(ctx: Context) -> Result:
    el = ctx.request.element
    owners = {owner_key(e.text or "") for e in el.findall("OwnerID")}
    objects = {e.text for e in el.findall("AssignToObject")}
    stmt = select(data_ext_defs).order_by(data_ext_defs.c.data_ext_id)
    if owners:
        stmt = stmt.where(data_ext_defs.c.owner_id.in_(owners))
    rows = [r for r in ctx.conn.execute(stmt) if not objects or objects & set(r.data["AssignToObject"])]
    if not rows:
        raise status.no_match()
    return with_meta_data(ctx, [_def_ret(r) for r in rows])


# -- values -------------------------------------------------------------------------------------------------------

def _target(ctx: Context, body: Any) -> tuple[str, str]:
    """(object type, ListID) of the object a DataExtAdd/Mod/Del names."""
    list_type = body.findtext("ListDataExtType")
    if list_type is None:
        raise status.not_supported()  # transaction and company values come with the transactions
    ref = body.find("ListObjRef")
    space = LIST_TYPES["ItemService" if list_type == "Item" else list_type].name_space
    list_id, full_name = ref.findtext("ListID"), ref.findtext("FullName")
    row = find(ctx.conn, space, list_id) if list_id else find_by_name(ctx.conn, space, full_name or "")
    allowed = ITEM_TYPES if list_type == "Item" else (list_type,)
    if row is None or row.list_type not in allowed:
        raise status.object_not_found(list_id or full_name or "")
    return list_type, row.list_id


def _set_value(ctx: Context, adding: bool) -> Result:
    body = ctx.body()
    definition = _named(ctx, body)
    name, value = definition.name, body.findtext("DataExtValue") or ""
    object_type, object_id = _target(ctx, body)
    if object_type not in definition.data["AssignToObject"]:
        raise status.invalid_value("DataExtName", name, f"The data extension is not defined for {object_type}.")
    kind, max_length = _VALUE_KINDS[definition.data["DataExtType"]]
    if not lexically_valid(kind, value) or value == "":
        raise status.invalid_value("DataExtValue", value, "The value is not valid for the data extension's type.")
    if max_length is not None and len(value) > max_length:
        raise status.too_long(value, "DataExtValue")
    key = (data_ext_values.c.owner_id == definition.owner_id, data_ext_values.c.name_key == definition.name_key,
           data_ext_values.c.object_type == object_type, data_ext_values.c.object_id == object_id)
    existing = ctx.conn.execute(select(data_ext_values.c.id).where(*key)).first()
    if adding and existing is not None:
        raise status.name_in_use(name)
    if not adding and existing is None:
        raise status.object_not_found(name)
    if existing is None:
        ctx.conn.execute(data_ext_values.insert().values(owner_id=definition.owner_id, name_key=definition.name_key,
                                                         object_type=object_type, object_id=object_id, value=value))
    else:
        ctx.conn.execute(update(data_ext_values).where(data_ext_values.c.id == existing.id).values(value=value))
    return Result(rets=[("DataExtRet", {"OwnerID": definition.owner_id, "DataExtName": definition.name,
                                        "DataExtType": definition.data["DataExtType"], "DataExtValue": value})])


@handles("DataExtAddRq")
def value_add(ctx: Context) -> Result:
    return _set_value(ctx, adding=True)


@handles("DataExtModRq")
def value_mod(ctx: Context) -> Result:
    return _set_value(ctx, adding=False)


@handles("DataExtDelRq")
def value_del(ctx: Context) -> Result:
    body = ctx.body()
    definition = _named(ctx, body)
    name = definition.name
    object_type, object_id = _target(ctx, body)
    gone = ctx.conn.execute(delete(data_ext_values).where(
        data_ext_values.c.owner_id == definition.owner_id, data_ext_values.c.name_key == definition.name_key,
        data_ext_values.c.object_type == object_type, data_ext_values.c.object_id == object_id))
    if not gone.rowcount:
        raise status.object_not_found(name)
    return Result(rets=[("DataExtDelRet", {"OwnerID": definition.owner_id, "DataExtName": definition.name,
                                           "ListDataExtType": object_type, "ListObjRef": {"ListID": object_id},
                                           "TimeDeleted": fmt_datetime(ctx.now)})])


def data_ext_rets(conn: Connection, list_type: str, list_id: str, owners: list[str]) -> list[Data]:
    """The DataExtRet aggregates of one object for the OwnerIDs a query asked for."""
    object_type = "Item" if list_type in ITEM_TYPES else list_type
    keys = {owner_key(o) for o in owners}
    rows = conn.execute(
        select(data_ext_values.c.owner_id, data_ext_values.c.value, data_ext_defs.c.name, data_ext_defs.c.data)
        .join(data_ext_defs, (data_ext_defs.c.owner_id == data_ext_values.c.owner_id)
              & (data_ext_defs.c.name_key == data_ext_values.c.name_key))
        .where(data_ext_values.c.object_id == list_id, data_ext_values.c.object_type == object_type,
               data_ext_values.c.owner_id.in_(keys))
        .order_by(data_ext_defs.c.data_ext_id)).all()
    return [{"OwnerID": r.owner_id, "DataExtName": r.name, "DataExtType": r.data["DataExtType"],
             "DataExtValue": r.value} for r in rows]
