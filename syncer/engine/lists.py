"""Lists, both directions: accounts, departments (classes), vendors, customers and jobs, items; bank balances.

Pull: each list is read from its cursor (FromModifiedDate less the overlap, ActiveStatus All, in MaxReturned pages
where the query has an iterator) in one database transaction per list: a run that ends halfway leaves that list as
it was, and the next run reads it again. An object already read (same EditSequence) is skipped. An object the app
does not know yet is matched by name to an app object that is not linked yet (the app's own earlier write whose
response was lost, or an object created on both sides before the first sync), otherwise created.

Push (accounts, departments, vendors, customers; jobs and items come from QuickBooks only): an object the app never
sent is added, parents first; one whose synced fields differ from what both sides last agreed on is modified, with
only those fields (an address as a whole). A stale EditSequence (3200) re-reads the object, merges both sides'
changes (`syncer.engine.merge`), and sends what is left. Each write is committed in the app on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, lazyload

from syncer.app.lists import rename_children
from syncer.app.models import Account, Customer, Department, Item, Vendor
from syncer.engine import messages
from syncer.engine.context import BlockedError, Run
from syncer.engine.merge import merge
from syncer.engine.report import TO_APP, TO_QUICKBOOKS
from syncer.engine.state import (
    LINKED,
    PENDING,
    app_id,
    forget,
    link_by_qb,
    link_for,
    link_rows,
    mark_pending,
    qb_id,
    rows,
    set_linked,
)
from syncer.errors import RequestRejectedError
from syncer.qbxml.build import Element, Value
from syncer.qbxml.lists import ITERABLE, list_add, list_mod, list_query
from syncer.qbxml.read import amount, boolean, text
from syncer.qbxml.records import ListRecord, read_list


@dataclass(frozen=True)
class Field:
    """A synced field: the app attribute and its qbXML path (alternatives separated by "|" when reading)."""

    attr: str
    path: str
    kind: str = "str"  # str | bool | amount | parent


@dataclass(frozen=True)
class ListSpec:
    kind: str  # link kind, and report kind
    qb_type: str  # the qbXML object type of its requests
    model: type[Any]
    fields: tuple[Field, ...]  # synced both ways, in schema order
    read_only: tuple[Field, ...] = ()  # read from QuickBooks only
    pushes: bool = True
    hierarchical: bool = False

    @property
    def noun(self) -> str:
        return self.kind

    @property
    def iterable(self) -> bool:
        return self.qb_type in ITERABLE


NAME = Field("name", "Name")
ACTIVE = Field("is_active", "IsActive", "bool")
PARENT = Field("parent", "ParentRef/ListID", "parent")


def _address(block: str) -> tuple[Field, ...]:
    return (Field("address", f"{block}/Addr1"), Field("city", f"{block}/City"), Field("state", f"{block}/State"),
            Field("postal_code", f"{block}/PostalCode"))


ACCOUNTS = ListSpec("account", "Account", Account, hierarchical=True, fields=(
    NAME, ACTIVE, PARENT, Field("account_type", "AccountType"), Field("number", "AccountNumber"),
    Field("description", "Desc")), read_only=(Field("balance", "Balance", "amount"),))
DEPARTMENTS = ListSpec("department", "Class", Department, hierarchical=True, fields=(NAME, ACTIVE, PARENT))
VENDORS = ListSpec("vendor", "Vendor", Vendor, fields=(
    NAME, ACTIVE, Field("company_name", "CompanyName"), *_address("VendorAddress"), Field("phone", "Phone"),
    Field("email", "Email"), Field("pay_to_name", "NameOnCheck"), Field("account_number", "AccountNumber")),
    read_only=(Field("balance", "Balance", "amount"),))
CUSTOMERS = ListSpec("customer", "Customer", Customer, hierarchical=True, fields=(
    NAME, ACTIVE, PARENT, Field("company_name", "CompanyName"), *_address("BillAddress"), Field("phone", "Phone"),
    Field("email", "Email")), read_only=(Field("balance", "TotalBalance|Balance", "amount"),))
ITEMS = ListSpec("item", "Item", Item, hierarchical=True, pushes=False, fields=(NAME, ACTIVE, PARENT), read_only=(
    Field("description", "SalesOrPurchase/Desc|SalesAndPurchase/SalesDesc|SalesDesc|ItemDesc|Desc"),
    Field("price", "SalesOrPurchase/Price|SalesAndPurchase/SalesPrice|SalesPrice", "amount")))

#: In dependency order: a list's objects may refer to those of the lists before it.
LISTS = (ACCOUNTS, DEPARTMENTS, VENDORS, CUSTOMERS, ITEMS)
#: Item types the app does not take (subtotal items carry no amount of their own).
SKIPPED_ITEM_TYPES = frozenset(("ItemSubtotal",))


# -- values -----------------------------------------------------------------------------------------------------------

def _norm(kind: str, value: Any) -> Any:
    """A field value as stored in a link's base: text stripped (blank is None), amounts as "0.00", booleans."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "amount":
        return f"{Decimal(value):.2f}"
    result = str(value).strip()
    return result or None


def read_field(el: Any, field: Field) -> Any:
    for path in field.path.split("|"):
        if field.kind == "bool":
            value: Any = boolean(el, path)
        elif field.kind == "amount":
            value = amount(el, path)
        else:
            value = text(el, path)
        if value is not None:
            return _norm(field.kind, value)
    return None


def qb_values(spec: ListSpec, rec: ListRecord) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in spec.fields:
        if field.kind == "parent":
            values["parent"] = rec.parent_id
        elif field.attr == "name":
            values["name"] = rec.name
        elif field.attr == "is_active":
            values["is_active"] = rec.is_active
        else:
            values[field.attr] = read_field(rec.element, field)
    return values


def app_values(s: Session, spec: ListSpec, obj: Any, links: dict[int, Any] | None = None) -> dict[str, Any]:
    """The app object's synced fields, its parent as a QuickBooks ID (`links`: the links of the list by app id, when
    the caller has them all)."""
    values: dict[str, Any] = {}
    for field in spec.fields:
        if field.kind == "parent":
            values["parent"] = _parent_qb_id(s, spec, obj.parent_id, links)
        else:
            values[field.attr] = _norm(field.kind, getattr(obj, field.attr))
    return values


def _parent_qb_id(s: Session, spec: ListSpec, parent_id: int | None, links: dict[int, Any] | None) -> str | None:
    if parent_id is None:
        return None
    if links is None:
        return qb_id(s, spec.kind, parent_id)
    link = links.get(parent_id)
    return link.qb_id if link is not None and link.state == LINKED else None


def _to_app(field: Field, value: Any) -> Any:
    if value is None or field.kind in ("str", "bool"):
        return value
    return Decimal(value)


def _label(spec: ListSpec, obj: Any) -> str:
    return str(getattr(obj, "full_name", None) or obj.name)


def _report_kind(spec: ListSpec, obj: Any) -> str:
    return "job" if spec.kind == "customer" and obj.parent_id is not None else spec.kind


# -- pull -------------------------------------------------------------------------------------------------------------

def pull_list(run: Run, spec: ListSpec) -> None:
    """Read what changed in QuickBooks in one list, in one database transaction."""

    def page(since: str | None, iterator: str | None, iterator_id: str | None) -> Element:
        return list_query(spec.qb_type, from_modified=since, iterator=iterator, iterator_id=iterator_id,
                          max_returned=run.page_size if spec.iterable else None)

    with run.reading(spec.kind, f"all {spec.kind}s", f"{spec.kind.capitalize()}s"), run.app.session() as s:
        for el in run.changed(s, spec.kind, page, spec.iterable, id_tag="ListID"):
            apply_record(run, s, spec, read_list(el))


def apply_record(run: Run, s: Session, spec: ListSpec, rec: ListRecord) -> Any:
    """Bring one QuickBooks list object into the app (merging with the app's changes); the app object."""
    if spec.kind == "item" and rec.ret_type in SKIPPED_ITEM_TYPES:
        return None
    link = link_by_qb(s, spec.kind, rec.list_id)
    if link is not None and link.state == LINKED and link.edit_sequence == rec.edit_sequence:
        return None
    obj = s.get(spec.model, link.app_id) if link is not None else None
    if link is not None and obj is None:
        s.delete(link)
        link = None
    if obj is None:
        obj = _unlinked_namesake(s, spec, rec.full_name)
        link = link_for(s, spec.kind, obj.id) if obj is not None else None
    created = obj is None
    qb = qb_values(spec, rec)
    if obj is None:
        obj = spec.model(name=rec.name, is_active=rec.is_active)
        if spec.hierarchical:
            obj.full_name = rec.full_name
        if spec.kind == "account":
            obj.account_type = qb.get("account_type") or "NonPosting"
        if spec.kind == "item":
            obj.item_type = _item_type(rec)
        s.add(obj)
        ours: dict[str, Any] = {}
    else:
        ours = app_values(s, spec, obj)
    base = link.base if link is not None and link.state == LINKED else None
    merged = merge(base, ours, qb, run.app_is_master)
    old_full_name = _label(spec, obj) if not created else None
    for field in spec.fields:
        value = merged.values[field.attr]
        if field.kind == "parent":
            if value == qb["parent"] and value is not None:
                obj.parent_id = _parent_app_id(run, s, spec, value)
            elif value is None:
                obj.parent_id = None
        else:
            setattr(obj, field.attr, _to_app(field, value))
    for field in spec.read_only:
        setattr(obj, field.attr, _to_app(field, read_field(rec.element, field)))
    if spec.kind == "item":
        obj.item_type = _item_type(rec)
    s.flush()
    if spec.hierarchical:
        _set_full_name(s, spec, obj, old_full_name)
    set_linked(s, spec.kind, obj.id, rec.list_id, rec.edit_sequence, base=qb)
    if created or merged.from_quickbooks:
        run.report.moved(TO_APP, _report_kind(spec, obj), _label(spec, obj))
    if merged.conflicts:
        run.report.notice(spec.kind, _label(spec, obj), messages.conflict(
            spec.noun, _label(spec, obj), merged.conflicts, run.settings.conflict_master, run.brand))
    return obj


def _item_type(rec: ListRecord) -> str:
    return rec.ret_type.removeprefix("Item") or rec.ret_type


_NAMESAKES: dict[str, Any] = {}  # list kind -> its query by name, built once


def _unlinked_namesake(s: Session, spec: ListSpec, full_name: str) -> Any:
    """The app object named `full_name` that is not linked to a QuickBooks object yet (pending counts as not)."""
    query = _NAMESAKES.get(spec.kind)
    if query is None:
        column = spec.model.full_name if spec.hierarchical else spec.model.name
        query = _NAMESAKES[spec.kind] = select(spec.model).where(func.lower(column) == bindparam("name"))
    for candidate in s.scalars(query, {"name": full_name.lower()}):
        link = link_for(s, spec.kind, candidate.id)
        if link is None or link.state == PENDING:
            return candidate
    return None


def _parent_app_id(run: Run, s: Session, spec: ListSpec, parent_list_id: str) -> int | None:
    """The app id of a parent; read from QuickBooks first when the app does not have it yet."""
    found = app_id(s, spec.kind, parent_list_id)
    if found is None:
        for el in run.found(list_query(spec.qb_type, list_ids=[parent_list_id])):
            apply_record(run, s, spec, read_list(el))
        found = app_id(s, spec.kind, parent_list_id)
    return found


def _set_full_name(s: Session, spec: ListSpec, obj: Any, old: str | None) -> None:
    parent = s.get(spec.model, obj.parent_id) if obj.parent_id is not None else None
    obj.full_name = f"{parent.full_name}:{obj.name}" if parent is not None else obj.name
    if old is not None and old != obj.full_name:
        rename_children(s, spec.model, obj)


_NO_PARENT = (lazyload(Account.parent),)


def pull_bank_balances(run: Run) -> None:
    """Bank balances, shown when paying bills: one small query each run (a balance changes without the account)."""
    with run.reading("bank_balance", "bank accounts", "Bank balances"):
        rets = run.query(list_query("Account", account_types=["Bank"],
                                    include=("ListID", "FullName", "Balance"))).rets()
        with run.app.session() as s:
            for el in rets:
                account_id = app_id(s, "account", text(el, "ListID"))
                balance = amount(el, "Balance")
                account = s.get(Account, account_id, options=_NO_PARENT) if account_id is not None else None
                if account is not None and balance is not None and account.balance != balance:
                    account.balance = balance
                    run.report.moved(TO_APP, "bank_balance", f"{account.full_name} {balance:.2f}")


# -- push -------------------------------------------------------------------------------------------------------------

def push_list(run: Run, spec: ListSpec) -> None:
    """Send the app's new and changed objects of one list, parents first, each committed on its own."""
    if not spec.pushes:
        return
    todo: list[tuple[int, bool]] = []
    with run.app.session() as s:
        links = link_rows(s, spec.kind)
        objs = list(rows(s, select(spec.model.__table__)))  # the columns are all a comparison needs
        objs.sort(key=lambda o: (_label(spec, o).count(":"), o.id))
        for obj in objs:
            if spec.kind == "customer" and obj.parent_id is not None:
                continue  # jobs come from QuickBooks
            link = links.get(obj.id)
            if link is None or link.state == PENDING:
                todo.append((obj.id, True))
            elif app_values(s, spec, obj, links) != link.base:
                todo.append((obj.id, False))
    for object_id, adding in todo:
        try:
            if adding:
                _add(run, spec, object_id)
            else:
                _modify(run, spec, object_id)
        except BlockedError as exc:
            run.report.error(spec.kind, _name_of(run, spec, object_id), str(exc))
        except RequestRejectedError as exc:
            with run.app.session() as s:
                link = link_for(s, spec.kind, object_id)
                if link is not None and link.state == PENDING:
                    forget(s, spec.kind, object_id)
            run.report.error(spec.kind, _name_of(run, spec, object_id), exc.message)


def _name_of(run: Run, spec: ListSpec, object_id: int) -> str:
    with run.app.session() as s:
        obj = s.get(spec.model, object_id)
        return _label(spec, obj) if obj is not None else str(object_id)


def _write_fields(s: Session, spec: ListSpec, values: dict[str, Any], only: set[str] | None) -> list[tuple[str, Value]]:
    """The (path, value) pairs of an Add (only=None: every value set) or a Mod (the fields in `only`)."""
    pairs: list[tuple[str, Value]] = []
    if only is not None:  # an address is sent whole: QuickBooks replaces the aggregate
        aggregates = {f.path.split("/")[0] for f in spec.fields if f.attr in only and "/" in f.path}
        only = only | {f.attr for f in spec.fields if f.path.split("/")[0] in aggregates}
    for field in spec.fields:
        value = values.get(field.attr)
        if only is None and value is None:
            continue
        if only is not None and field.attr not in only:
            continue
        pairs.append((field.path, value))
    return pairs


def _check_parent(s: Session, spec: ListSpec, obj: Any, values: dict[str, Any]) -> None:
    if spec.hierarchical and obj.parent_id is not None and values.get("parent") is None:
        parent = s.get(spec.model, obj.parent_id)
        raise BlockedError(messages.not_synced(spec.noun, _label(spec, parent)))


def _add(run: Run, spec: ListSpec, object_id: int) -> None:
    with run.app.session() as s:
        obj = s.get(spec.model, object_id)
        link = link_for(s, spec.kind, object_id)
        if link is not None and link.state == PENDING:
            # The last Add may have been saved although its response was lost: look for it by name first.
            for el in run.found(list_query(spec.qb_type, full_names=[_label(spec, obj)])):
                apply_record(run, s, spec, read_list(el))
                run.report.moved(TO_QUICKBOOKS, spec.kind, _label(spec, obj))
                return
        values = app_values(s, spec, obj)
        _check_parent(s, spec, obj, values)
        fields = _write_fields(s, spec, values, None)
        mark_pending(s, spec.kind, object_id)
    rs = run.qb.send(list_add(spec.qb_type, fields))
    with run.app.session() as s:
        obj = s.get(spec.model, object_id)
        if rs.is_error:
            forget(s, spec.kind, object_id)
            run.report.error(spec.kind, _label(spec, obj), _refused(run, spec, obj, rs))
            return
        _written(run, s, spec, obj, values, read_list(rs.rets()[0]))


def _modify(run: Run, spec: ListSpec, object_id: int, retried: bool = False) -> None:
    with run.app.session() as s:
        obj = s.get(spec.model, object_id)
        link = link_for(s, spec.kind, object_id)
        assert link is not None and link.qb_id is not None and link.edit_sequence is not None
        values = app_values(s, spec, obj)
        changed = {name for name, value in values.items() if value != (link.base or {}).get(name)}
        if not changed:
            return
        _check_parent(s, spec, obj, values)
        fields = _write_fields(s, spec, values, changed)
        list_id, edit_sequence = link.qb_id, link.edit_sequence
    rs = run.qb.send(list_mod(spec.qb_type, list_id, edit_sequence, fields))
    if rs.code == messages.STALE and not retried:
        # Changed in QuickBooks since it was read: merge both sides' changes, then send what is left.
        current = run.found(list_query(spec.qb_type, list_ids=[list_id]))
        if current:
            with run.app.session() as s:
                apply_record(run, s, spec, read_list(current[0]))
            _modify(run, spec, object_id, retried=True)
            return
    with run.app.session() as s:
        obj = s.get(spec.model, object_id)
        if rs.code in messages.NOT_FOUND_CODES:
            forget(s, spec.kind, object_id)
            run.report.error(spec.kind, _label(spec, obj), messages.deleted_in_quickbooks(
                spec.noun, _label(spec, obj), run.brand))
        elif rs.is_error:
            run.report.error(spec.kind, _label(spec, obj), _refused(run, spec, obj, rs))
        else:
            _written(run, s, spec, obj, values, read_list(rs.rets()[0]))


def _written(run: Run, s: Session, spec: ListSpec, obj: Any, sent: dict[str, Any], rec: ListRecord) -> None:
    """Record a successful Add or Mod: the link, and QuickBooks' version of the fields the app still has as sent."""
    qb = qb_values(spec, rec)
    current = app_values(s, spec, obj)
    for field in spec.fields:
        if field.kind != "parent" and current.get(field.attr) == sent.get(field.attr):
            setattr(obj, field.attr, _to_app(field, qb[field.attr]))
    for field in spec.read_only:
        setattr(obj, field.attr, _to_app(field, read_field(rec.element, field)))
    set_linked(s, spec.kind, obj.id, rec.list_id, rec.edit_sequence, base=qb)
    run.report.moved(TO_QUICKBOOKS, spec.kind, _label(spec, obj))


def _refused(run: Run, spec: ListSpec, obj: Any, rs: Any) -> str:
    if rs.code == messages.NAME_IN_USE:
        if spec.kind in ("vendor", "customer"):
            return messages.name_in_use(spec.noun, _label(spec, obj), run.brand)
        return messages.list_name_taken(spec.noun, _label(spec, obj), run.brand)
    return messages.refused(spec.noun, rs)
