"""Lists, both directions: accounts, departments (classes), vendors, customers and jobs, items; bank balances.

Pull: each list is read from its cursor (FromModifiedDate less the overlap, ActiveStatus All, in MaxReturned pages
where the query has an iterator) in one database transaction per list: a run that ends halfway leaves that list as
it was, and the next run reads it again. An object already read (same EditSequence) is skipped. An object the app
does not know yet is matched by name to an app object that is not linked yet (the app's own earlier write whose
response was lost, or an object created on both sides before the first sync), otherwise created. What a page needs
from the app's database (links, objects, namesakes, parents) is read in a few queries for the whole page.

Push (accounts, departments, vendors, customers; jobs and items come from QuickBooks only): the objects the change
journal lists (`syncer.app.journal`), parents first: one the app never sent is added; one whose synced fields differ
from what both sides last agreed on is modified, with only those fields (an address as a whole, with the parts only
QuickBooks has read back first so that they stay). A stale
EditSequence (3200) re-reads the object, merges both sides' changes (`syncer.engine.merge`), and sends what is left.
Each write is committed in the app on its own, with the journal entry it settles.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from syncer.app import journal
from syncer.app.lists import rename_children
from syncer.app.models import Account, Customer, Department, Item, Link, Vendor, fold
from syncer.engine import messages
from syncer.engine.context import BlockedError, QueryError, Run
from syncer.engine.merge import merge
from syncer.engine.report import TO_APP, TO_QUICKBOOKS
from syncer.engine.state import (
    LINKED,
    PENDING,
    NewLink,
    NewRow,
    PageLinks,
    Refs,
    forget,
    link_for,
    links_by_qb,
    links_for,
    mark_pending,
    rows,
    set_linked,
)
from syncer.errors import BadAnswerError, RequestRejectedError
from syncer.kinds import plural
from syncer.qbxml.build import Element, Value
from syncer.qbxml.lists import ITERABLE, list_add, list_mod, list_query
from syncer.qbxml.read import amount, text
from syncer.qbxml.records import ListRecord, read_list


@dataclass(frozen=True)
class Field:
    """A synced field: the app attribute and its qbXML path (alternatives separated by "|" when reading)."""

    attr: str
    path: str
    kind: str = "str"  # str | bool | amount | parent

    @property
    def alternatives(self) -> list[str]:
        return _ALTERNATIVES.setdefault(self.path, self.path.split("|"))


_ALTERNATIVES: dict[str, list[str]] = {}


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
    kind = field.kind
    for path in field.alternatives:
        value: Any = text(el, path)
        if value is None:
            continue
        if kind == "bool":
            return value.lower() in ("true", "1")
        if kind == "amount":
            value = amount(el, path)
            if value is None:
                continue
        return _norm(kind, value)
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
            values[field.attr] = read_field(rec.fields, field)
    return values


def app_values(refs: Refs, spec: ListSpec, obj: Any) -> dict[str, Any]:
    """The app object's synced fields, its parent as a QuickBooks ID."""
    values: dict[str, Any] = {}
    for field in spec.fields:
        if field.kind == "parent":
            values["parent"] = refs.qb(spec.kind, obj.parent_id)
        else:
            values[field.attr] = _norm(field.kind, getattr(obj, field.attr))
    return values


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

    with run.reading(spec.kind, f"all {spec.kind}s", f"{spec.kind.capitalize()}s"), run.session() as s:
        for found in run.changed(s, spec.kind, page, f"{plural(spec.kind)} from QuickBooks", spec.iterable,
                                 id_tag="ListID"):
            records = [read_list(el) for el in found.elements]
            batch = ListPage(run, s, spec, found.links, records)
            for rec in records:
                batch.apply(rec)


def apply_record(run: Run, s: Session, spec: ListSpec, rec: ListRecord) -> Any:
    """Bring one QuickBooks list object into the app (merging with the app's changes)."""
    links = PageLinks(s, spec.kind, links_by_qb(s, spec.kind, [rec.list_id]))
    obj = ListPage(run, s, spec, links, [rec]).apply(rec)
    links.write()
    return obj


class ListPage:
    """A page of QuickBooks objects of one list, and what the app has of them, read in a few queries: the objects
    already linked, the unlinked namesakes of the others, the parents."""

    def __init__(self, run: Run, s: Session, spec: ListSpec, links: PageLinks, records: list[ListRecord]):
        self.run, self.s, self.spec, self.links = run, s, spec, links
        self.refs = Refs(s)
        model = spec.model
        linked_ids = [link.app_id for link in links.by_qb.values() if isinstance(link, Link)]
        self.objects = {o.id: o for o in s.scalars(_loaded(model).where(model.id.in_(linked_ids)))} \
            if linked_ids else {}
        unknown = [fold(r.full_name) for r in records if links.get(r.list_id) is None]
        self.namesakes: dict[str | None, list[Any]] = {}
        if unknown:
            for candidate in s.scalars(_loaded(model).where(model.key.in_(set(unknown))).order_by(model.id)):
                self.namesakes.setdefault(candidate.key, []).append(candidate)
        self.namesake_links = links_for(s, spec.kind, (o.id for c in self.namesakes.values() for o in c))
        self.claimed: set[int] = set()  # app objects linked by this page
        if spec.hierarchical:
            self.refs.load_app(spec.kind, (r.parent_id for r in records))
            self.refs.load_qb(spec.kind, (o.parent_id for o in self.objects.values()))
            parents = [self.refs.app(spec.kind, r.parent_id) for r in records]
            parents += [o.parent_id for o in self.objects.values()]
            wanted = {p for p in parents if p is not None} - set(self.objects)
            if wanted:
                self.objects.update({o.id: o for o in s.scalars(_loaded(model).where(model.id.in_(wanted)))})

    def apply(self, rec: ListRecord) -> Any:
        """Bring one QuickBooks object into the app (new, or merged with the app's changes); the app object (the
        `NewRow` of a new one)."""
        run, s, spec = self.run, self.s, self.spec
        if spec.kind == "item" and rec.ret_type in SKIPPED_ITEM_TYPES:
            return None
        link = self.links.get(rec.list_id)
        if link is not None and link.state == LINKED and link.edit_sequence == rec.edit_sequence:
            return None
        obj = self._object_of(link)
        if isinstance(obj, NewRow):
            return obj
        if link is not None and obj is None:
            if isinstance(link, Link):
                s.delete(link)
            link = None
        if obj is None:
            obj, link = self._unlinked_namesake(rec.full_name)
        if obj is None:
            return self._new(rec)
        qb = qb_values(spec, rec)
        ours = app_values(self.refs, spec, obj)
        base = link.base if link is not None and link.state == LINKED else None
        merged = merge(base, ours, qb, run.app_is_master)
        old_full_name = _label(spec, obj)
        for field in spec.fields:
            value = merged.values[field.attr]
            if field.kind == "parent":
                if value == qb["parent"] and value is not None:
                    obj.parent_id = self._parent_app_id(value)
                elif value is None:
                    obj.parent_id = None
            else:
                setattr(obj, field.attr, _to_app(field, value))
        for field in spec.read_only:
            setattr(obj, field.attr, _to_app(field, read_field(rec.fields, field)))
        if spec.kind == "item":
            obj.item_type = _item_type(rec)
        if spec.hierarchical:
            self._set_full_name(obj, old_full_name)
        self.claimed.add(obj.id)
        self.links.link(obj, rec.list_id, rec.edit_sequence, base=qb, link=link if isinstance(link, Link) else None)
        self.refs.linked(spec.kind, obj.id, rec.list_id)
        if merged.from_quickbooks:
            run.report.moved(TO_APP, _report_kind(spec, obj), _label(spec, obj))
        if merged.conflicts:
            run.report.notice(spec.kind, _label(spec, obj), messages.conflict(
                spec.noun, _label(spec, obj), merged.conflicts, run.settings.conflict_master, run.brand))
        return obj

    def _new(self, rec: ListRecord) -> NewRow:
        """A QuickBooks object the app does not have: a new row, inserted with the page's others."""
        spec = self.spec
        qb = qb_values(spec, rec)
        values: dict[str, Any] = {"name": rec.name, "is_active": rec.is_active}
        for field in spec.fields:
            if field.kind != "parent":
                values[field.attr] = _to_app(field, qb[field.attr])
        for field in spec.read_only:
            values[field.attr] = _to_app(field, read_field(rec.fields, field))
        if spec.kind == "account":
            values["account_type"] = qb.get("account_type") or "NonPosting"
        if spec.kind == "item":
            values["item_type"] = _item_type(rec)
        parent_row, label = None, rec.name
        if spec.hierarchical:
            values["parent_id"] = None
            parent = self._parent(qb["parent"]) if qb["parent"] is not None else None
            if isinstance(parent, NewRow):
                parent_row, label = parent, f"{parent.values['full_name']}:{rec.name}"
            elif parent is not None:
                values["parent_id"] = parent
                parent_name = self._full_name_of(parent)
                label = f"{parent_name}:{rec.name}" if parent_name is not None else rec.name
            values["full_name"] = label
        values["key"] = fold(label)
        row = self.links.inserts.add(spec.model, values, parent=parent_row)
        self.links.link(row, rec.list_id, rec.edit_sequence, base=qb)
        is_job = spec.kind == "customer" and (parent_row is not None or values.get("parent_id") is not None)
        self.run.report.moved(TO_APP, "job" if is_job else spec.kind, label)
        return row

    def _object_of(self, link: Any) -> Any:
        if link is None:
            return None
        if isinstance(link, NewLink):
            return link.obj
        found = self.objects.get(link.app_id)
        if found is None:
            found = self.s.get(self.spec.model, link.app_id, options=_NO_GRAPH)
        return found

    def _unlinked_namesake(self, full_name: str) -> tuple[Any, Link | None]:
        """The app object named `full_name` that is not linked to a QuickBooks object yet (pending counts as not),
        and its link."""
        for candidate in self.namesakes.get(fold(full_name), ()):
            link = self.namesake_links.get(candidate.id)
            if candidate.id not in self.claimed and (link is None or link.state == PENDING):
                return candidate, link
        return None, None

    def _parent(self, parent_list_id: str) -> int | NewRow | None:
        """A parent: its app id, or the row this page creates for it; read from QuickBooks first when the app does
        not have it yet."""
        found = self._linked(parent_list_id)
        if found is None:
            for el in self.run.found(list_query(self.spec.qb_type, list_ids=[parent_list_id])):
                self.apply(read_list(el))
            found = self._linked(parent_list_id)
        return found

    def _parent_app_id(self, parent_list_id: str) -> int | None:
        found = self._parent(parent_list_id)
        if isinstance(found, NewRow):
            self.links.inserts.write()
            return found.id
        return found

    def _linked(self, qb: str) -> int | NewRow | None:
        link = self.links.get(qb)
        if isinstance(link, NewLink):
            return link.obj if isinstance(link.obj, NewRow) else link.app_id
        if link is not None:
            return link.app_id if link.state == LINKED else None
        return self.refs.app(self.spec.kind, qb)

    def _full_name_of(self, object_id: int) -> str | None:
        parent = self.objects.get(object_id) or self.s.get(self.spec.model, object_id, options=_NO_GRAPH)
        return str(parent.full_name) if parent is not None else None

    def _set_full_name(self, obj: Any, old: str | None) -> None:
        parent = self._full_name_of(obj.parent_id) if obj.parent_id is not None else None
        obj.full_name = f"{parent}:{obj.name}" if parent is not None else obj.name
        if old is not None and old != obj.full_name:
            rename_children(self.s, self.spec.model, obj)


def _item_type(rec: ListRecord) -> str:
    return rec.ret_type.removeprefix("Item") or rec.ret_type


_NO_GRAPH = (lazyload("*"),)


def _loaded(model: type[Any]) -> Any:
    """A query of list objects, their references left unloaded (a page needs their columns only)."""
    return select(model).options(*_NO_GRAPH)


_NO_PARENT = (lazyload(Account.parent),)


def pull_bank_balances(run: Run) -> None:
    """Bank balances, shown when paying bills: one small query each run (a balance changes without the account)."""
    with run.reading("bank_balance", "bank accounts", "Bank balances"):
        rets = run.query(list_query("Account", account_types=["Bank"],
                                    include=("ListID", "FullName", "Balance"))).rets()
        with run.session() as s:
            refs = Refs(s)
            refs.load_app("account", (text(el, "ListID") for el in rets))
            for el in rets:
                account_id = refs.app("account", text(el, "ListID"))
                balance = amount(el, "Balance")
                account = s.get(Account, account_id, options=_NO_PARENT) if account_id is not None else None
                if account is not None and balance is not None and account.balance != balance:
                    account.balance = balance
                    run.report.moved(TO_APP, "bank_balance", f"{account.full_name} {balance:.2f}")
        run.tell("Bank balances", len(rets), len(rets), finished=True)


# -- push -------------------------------------------------------------------------------------------------------------

def push_list(run: Run, spec: ListSpec) -> None:
    """Send the app's new and changed objects of one list (those the change journal lists), parents first, each
    committed on its own."""
    if not spec.pushes:
        return
    entries = run.changes(spec.kind)
    todo: list[tuple[int, int, int, bool]] = []  # (depth, app id, journal entry, whether it is an Add)
    table = spec.model.__table__
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        with run.session() as s:
            ids = [app_id for app_id, _ in batch]
            objs = {o.id: o for o in rows(s, select(table).where(table.c.id.in_(ids)))}  # the columns suffice
            links = links_for(s, spec.kind, ids)
            refs = Refs(s)
            if spec.hierarchical:
                refs.load_qb(spec.kind, (o.parent_id for o in objs.values()))
            settled = []
            for app_id, entry in batch:
                obj, link = objs.get(app_id), links.get(app_id)
                if obj is None or (spec.kind == "customer" and obj.parent_id is not None):
                    settled.append((app_id, entry))  # gone, or a job (jobs come from QuickBooks)
                elif link is None or link.state == PENDING:
                    todo.append((_label(spec, obj).count(":"), app_id, entry, True))
                elif app_values(refs, spec, obj) != link.base:
                    todo.append((_label(spec, obj).count(":"), app_id, entry, False))
                else:
                    settled.append((app_id, entry))
            journal.clear(s, spec.kind, settled)
    todo.sort()
    phase = f"{plural(spec.kind)} to QuickBooks"
    for done, (_, object_id, entry, adding) in enumerate(todo):
        run.tell(phase, done, len(todo))
        try:
            if adding:
                _add(run, spec, object_id, entry)
            else:
                _modify(run, spec, object_id, entry)
        except BlockedError as exc:
            run.report.error(spec.kind, _name_of(run, spec, object_id), str(exc))
        except RequestRejectedError as exc:
            with run.session() as s:
                link = link_for(s, spec.kind, object_id)
                if link is not None and link.state == PENDING:
                    forget(s, spec.kind, object_id)
            run.report.error(spec.kind, _name_of(run, spec, object_id), exc.message)
        except BadAnswerError as exc:  # the pending link of an Add stays: the next run looks for it first
            run.report.error(spec.kind, _name_of(run, spec, object_id), messages.bad_answer(spec.noun, exc, adding))
    if todo:
        run.tell(phase, len(todo), len(todo), finished=True)


BATCH = 500  # app objects compared per query


def _name_of(run: Run, spec: ListSpec, object_id: int) -> str:
    with run.session() as s:
        obj = s.get(spec.model, object_id, options=_NO_GRAPH)
        return _label(spec, obj) if obj is not None else str(object_id)


def _aggregates(spec: ListSpec, only: set[str]) -> set[str]:
    """The aggregates (addresses) a Mod of the fields in `only` sends."""
    return {f.path.split("/")[0] for f in spec.fields if f.attr in only and "/" in f.path}


def _write_fields(spec: ListSpec, values: dict[str, Any], only: set[str] | None,
                  current: Element | None = None) -> list[tuple[str, Value]]:
    """The (path, value) pairs of an Add (only=None: every value set) or a Mod (the fields in `only`). A Mod sends an
    address whole, as QuickBooks replaces the aggregate: the parts the app does not have (Addr2-5, Country, Note)
    come from `current`, QuickBooks' object as read just before."""
    pairs: list[tuple[str, Value]] = []
    if only is not None:
        only = only | {f.attr for f in spec.fields if f.path.split("/")[0] in _aggregates(spec, only)}
    for field in spec.fields:
        value = values.get(field.attr)
        if only is None and value is None:
            continue
        if only is not None and field.attr not in only:
            continue
        pairs.append((field.path, value))
    return _with_kept_parts(pairs, current) if current is not None else pairs


ADDRESS_PARTS = ("Addr1", "Addr2", "Addr3", "Addr4", "Addr5", "City", "State", "PostalCode", "Country", "Note")


def _with_kept_parts(pairs: list[tuple[str, Value]], current: Element) -> list[tuple[str, Value]]:
    """`pairs` with each address completed by QuickBooks' parts the app does not send, in the schema's order."""
    result: list[tuple[str, Value]] = []
    done: set[str] = set()
    sent = dict(pairs)
    for path, value in pairs:
        block = path.split("/")[0] if "/" in path else None
        if block is None:
            result.append((path, value))
        elif block not in done:
            done.add(block)
            for part in ADDRESS_PARTS:
                where = f"{block}/{part}"
                kept = sent[where] if where in sent else text(current, where)
                if where in sent or kept is not None:
                    result.append((where, kept))
    return result


def _check_parent(s: Session, spec: ListSpec, obj: Any, values: dict[str, Any]) -> None:
    if spec.hierarchical and obj.parent_id is not None and values.get("parent") is None:
        parent = s.get(spec.model, obj.parent_id, options=_NO_GRAPH)
        raise BlockedError(messages.not_synced(spec.noun, _label(spec, parent)))


def _add(run: Run, spec: ListSpec, object_id: int, entry: int) -> None:
    with run.session() as s:
        obj = s.get(spec.model, object_id, options=_NO_GRAPH)
        link = link_for(s, spec.kind, object_id)
        if link is not None and link.state == PENDING:
            # The last Add may have been saved although its response was lost: look for it by name first.
            for el in run.found(list_query(spec.qb_type, full_names=[_label(spec, obj)])):
                apply_record(run, s, spec, read_list(el))
                run.report.moved(TO_QUICKBOOKS, spec.kind, _label(spec, obj))
                journal.clear(s, spec.kind, [(object_id, entry)])
                return
        values = app_values(Refs(s), spec, obj)
        _check_parent(s, spec, obj, values)
        fields = _write_fields(spec, values, None)
        mark_pending(s, spec.kind, object_id, link=link)
    rs = run.qb.send(list_add(spec.qb_type, fields))
    with run.session() as s:
        obj = s.get(spec.model, object_id, options=_NO_GRAPH)
        if rs.is_error:
            forget(s, spec.kind, object_id)
            run.report.error(spec.kind, _label(spec, obj), _refused(run, spec, obj, rs))
            return
        _written(run, s, spec, obj, values, read_list(rs.rets()[0]))
        journal.clear(s, spec.kind, [(object_id, entry)])


def _modify(run: Run, spec: ListSpec, object_id: int, entry: int, retried: bool = False) -> None:
    with run.session() as s:
        obj = s.get(spec.model, object_id, options=_NO_GRAPH)
        link = link_for(s, spec.kind, object_id)
        assert link is not None and link.qb_id is not None and link.edit_sequence is not None
        values = app_values(Refs(s), spec, obj)
        changed = {name for name, value in values.items() if value != (link.base or {}).get(name)}
        if not changed:
            journal.clear(s, spec.kind, [(object_id, entry)])
            return
        _check_parent(s, spec, obj, values)
        list_id, edit_sequence = link.qb_id, link.edit_sequence
    current = None
    if _aggregates(spec, changed):
        try:
            found = run.found(list_query(spec.qb_type, list_ids=[list_id]))
        except QueryError:
            found = []  # sent without them: the Mod's own answer says what QuickBooks thinks of it
        current = found[0] if found else None
    fields = _write_fields(spec, values, changed, current)
    rs = run.qb.send(list_mod(spec.qb_type, list_id, edit_sequence, fields))
    if rs.code == messages.STALE and not retried:
        # Changed in QuickBooks since it was read: merge both sides' changes, then send what is left.
        current = run.found(list_query(spec.qb_type, list_ids=[list_id]))
        if current:
            with run.session() as s:
                apply_record(run, s, spec, read_list(current[0]))
            _modify(run, spec, object_id, entry, retried=True)
            return
    with run.session() as s:
        obj = s.get(spec.model, object_id, options=_NO_GRAPH)
        if rs.code in messages.NOT_FOUND_CODES:
            forget(s, spec.kind, object_id)
            run.report.error(spec.kind, _label(spec, obj), messages.deleted_in_quickbooks(
                spec.noun, _label(spec, obj), run.brand))
        elif rs.is_error:
            run.report.error(spec.kind, _label(spec, obj), _refused(run, spec, obj, rs))
        else:
            _written(run, s, spec, obj, values, read_list(rs.rets()[0]))
            journal.clear(s, spec.kind, [(object_id, entry)])


def _written(run: Run, s: Session, spec: ListSpec, obj: Any, sent: dict[str, Any], rec: ListRecord) -> None:
    """Record a successful Add or Mod: the link, and QuickBooks' version of the fields the app still has as sent."""
    qb = qb_values(spec, rec)
    current = app_values(Refs(s), spec, obj)
    for field in spec.fields:
        if field.kind != "parent" and current.get(field.attr) == sent.get(field.attr):
            setattr(obj, field.attr, _to_app(field, qb[field.attr]))
    for field in spec.read_only:
        setattr(obj, field.attr, _to_app(field, read_field(rec.fields, field)))
    set_linked(s, spec.kind, obj.id, rec.list_id, rec.edit_sequence, base=qb)
    run.report.moved(TO_QUICKBOOKS, spec.kind, _label(spec, obj))


def _refused(run: Run, spec: ListSpec, obj: Any, rs: Any) -> str:
    if rs.code == messages.NAME_IN_USE:
        if spec.kind in ("vendor", "customer"):
            return messages.name_in_use(spec.noun, _label(spec, obj), run.brand)
        return messages.list_name_taken(spec.noun, _label(spec, obj), run.brand)
    return messages.refused(spec.noun, rs)
