"""Transactions: the declaration of each simulated type, and the Add, Mod, TxnDel and TxnVoid they all share.

A type is declared once, as a `TxnType`, in the module holding its rules (`payables`, `receivables`, `banking`): its
name, the reference naming who it is with, its kinds of line, the requests it answers, and `prepare`, which checks a
transaction about to be saved, fills in what QuickBooks computes (totals, due date, defaults) and says what it posts and
what it is applied to. Everything else is here: storage, TxnID/TxnLineID/TxnNumber, EditSequence, the lines a Mod adds,
changes and removes, the closing date, deletes and voids, what a payment applies (bills or invoices, credits set on
them), and the common parts of the `*Ret`.

IDs: TxnIDs and TxnLineIDs count in one hex space, as QuickBooks' do: as captured, a new transaction's first line is
two numbers after its TxnID and the others follow one by one (invoice 7- has lines 9-, A-; bill 4- has lines 6-, 7-,
8-, 9-), and every ID of a transaction carries the Unix time of its TxnID.
TxnNumber counts the company's transactions from 1. Answers in qbXML 1.0 and 1.1 show every TxnLineID as 0, as Intuit
documents.

ASSUMPTIONS:
* The TxnID counter starts at 1; lines a Mod adds also carry the TxnID's Unix time.
* A Mod that names any line of a kind (ExpenseLineMod...) replaces that kind's lines with the ones it names (TxnLineID
  -1 adds one, a line not named is removed); a Mod naming none keeps them. Fields left out of a named line keep their
  value; a line's Quantity or Cost changed without an Amount recomputes the Amount.
* The closing date refuses adding, changing (at the old or the new date), deleting and voiding a transaction dated on
  or before it (3171), as QuickBooks does when a closing-date password is set.
* Voiding zeroes the amounts (lines and totals), prefixes the memo with "VOID: " (a memo of "VOID:" when there was
  none) and releases every link (payments and credits applied to it or from it); the accounts it touched stay
  recorded with zero amounts.
* LinkedTxn amounts are negative on both sides of a link, as QuickBooks shows a payment on an invoice (-55.00).
* A transaction linked to others (paid, or applied) cannot change the name it is with nor its A/P or A/R account; a
  change that leaves it with less than is applied to it is refused (3180).
* A change made through another transaction (a payment applied to a bill, a credit used up, either released again)
  changes the TimeModified and EditSequence of the transactions whose open amount it changes, as an edit would.
* Group lines (an item group entered on a form: InvoiceLineGroupAdd, ItemGroupLineAdd... and their Mods) are not
  simulated: a request holding one is answered 3250, whatever else it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from fakeqb.company import ledger, stock
from fakeqb.company.context import Context, Result, handles
from fakeqb.company.ledger import Link, Posting, Use
from fakeqb.company.lists import (
    LIST_TYPES,
    find,
    find_by_name,
    first_account,
    insert_object,
    next_value,
    resolve,
    resolve_refs,
)
from fakeqb.company.settings import read_setting
from fakeqb.company.store import deleted_objects, transactions
from fakeqb.qbxml import status
from fakeqb.qbxml.model import Node, version_key
from fakeqb.qbxml.records import INTERLEAVED, Data, to_data
from fakeqb.qbxml.values import fmt_amount, fmt_bool, fmt_datetime, whole_number

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineKind:
    """One kind of transaction line: its Add, Mod and Ret element names."""

    add: str  # ExpenseLineAdd
    ret: str  # ExpenseLineRet
    mod: str | None = None  # ExpenseLineMod
    clear: str | None = None  # ClearExpenseLines
    price: str | None = None  # the unit price an item line's Amount is computed from (Cost)


@dataclass
class Draft:
    """A transaction about to be saved, for `prepare` to check and complete."""

    txn_id: str
    data: Data  # its `*Ret` content: references resolved, lines with their TxnLineIDs
    row: Any | None  # the stored transaction (a Mod), None for an Add
    request: Data = field(default_factory=dict)  # request fields that are not stored as sent (AppliedToTxnAdd...)
    previous: list[Any] = field(default_factory=list)  # links the transaction made before this Mod


@dataclass
class Effects:
    """What saving a transaction does: its total, its postings, what it is applied to."""

    amount: Decimal
    postings: list[Posting]
    entity_id: str | None = None
    links: list[Link] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)  # what it takes from other transactions without paying them
    moves: list[stock.Move] = field(default_factory=list)  # what it moves in and out of stock
    creates: bool = True  # False: the request only links existing transactions (a credit set without a payment)


@dataclass(frozen=True)
class RetOptions:
    lines: bool = True  # IncludeLineItems
    linked: bool = False  # IncludeLinkedTxns


Prepare = Callable[[Context, Draft], Effects]
RetExtra = Callable[[Context, Any, Data, RetOptions], None]
LineMerge = Callable[[Context, Draft, Data], None]


@dataclass(frozen=True)
class TxnType:
    """A simulated transaction type; `fakeqb.company.handlers.declare` registers its requests."""

    name: str  # Bill: also its TxnType, TxnDelType and TxnVoidType value
    prepare: Prepare
    lines: tuple[LineKind, ...] = ()
    interleaved: tuple[str, ...] = ()  # line elements kept in the order sent (JournalDebitLine, JournalCreditLine)
    requests: tuple[str, ...] = ("Add", "Mod", "Query")
    totals: tuple[str, ...] = ()  # header amounts a void zeroes (AmountDue...)
    request_only: tuple[str, ...] = ()  # Add/Mod fields prepare reads from Draft.request
    ret_extra: RetExtra | None = None
    merge_lines: LineMerge | None = None  # a Mod's lines, when they are not LineKinds (journal entry lines)
    entity_in_lines: bool = False  # EntityFilter matches the names on its lines (no header name)
    on_used: Callable[[Context, Any], None] | None = None  # brings it up to date when others take from it
    locked_when_used: tuple[str, ...] = ()  # fields that cannot change once others take from it (with its amount)

    @property
    def ret(self) -> str:
        return self.name + "Ret"

    def line_names(self) -> set[str]:
        return {k.ret for k in self.lines} | ({INTERLEAVED} if self.interleaved else set())


TXN_TYPES: dict[str, TxnType] = {}


# -- storage ------------------------------------------------------------------------------------------------------

_FIND = select(transactions).where(transactions.c.txn_id == bindparam("txn"))
_HEADS = select(transactions.c.txn_id, transactions.c.txn_type, transactions.c.txn_date, transactions.c.ref_number
                ).where(transactions.c.txn_id.in_(bindparam("ids", expanding=True)))


def find_txn(conn: Connection, txn_id: str) -> Any:
    return conn.execute(_FIND, {"txn": txn_id}).first()


def read_links_ahead(ctx: Context, txn_ids: list[str]) -> None:
    """Read the links of the transactions a request answers with, and the transactions they link to, in two queries
    for all of them (`linked_txns` then reads from `ctx.memo`)."""
    links = ledger.links_of_many(ctx.conn, txn_ids)
    others = sorted({t for found in links.values() for x in found for t in (x.source, x.target)} - set(txn_ids))
    heads = {r.txn_id: r for r in ctx.conn.execute(_HEADS, {"ids": others})} if others else {}
    ctx.memo["links"], ctx.memo["heads"] = links, heads


def new_txn_id(conn: Connection, unix: int) -> str:
    """A new TxnID; as captured, a new transaction's lines start two numbers after it."""
    txn_id = f"{next_value(conn, 'txn', 1):X}-{unix}"
    next_value(conn, "txn", 1)
    return txn_id


def new_line_id(conn: Connection, txn_id: str) -> str:
    """The next TxnLineID of a transaction: the next number of the shared counter, with the TxnID's time."""
    return f"{next_value(conn, 'txn', 1):X}-{txn_id.rsplit('-', 1)[1]}"


def next_ref_number(ctx: Context, *txn_types: str) -> str:
    """The RefNumber QuickBooks gives a new form: the number after the most recently entered numeric RefNumber of
    these types ("1" for the first)."""
    c = transactions.c
    with ctx.conn.execute(select(c.ref_number).where(c.txn_type.in_(txn_types), c.ref_number.is_not(None))
                          .order_by(c.id.desc()).execution_options(yield_per=100)) as refs:
        return next((str(n + 1) for (ref,) in refs if (n := whole_number(ref)) is not None), "1")


def today(ctx: Context) -> str:
    return ctx.now.date().isoformat()


def check_closing_date(ctx: Context, action: str, kind: str, txn_date: str) -> None:
    closing = read_setting(ctx.conn, "closing_date")
    if closing and date.fromisoformat(txn_date) <= date.fromisoformat(str(closing)[:10]):
        raise status.closing_date(action, kind, ctx.company.behaviours["lock_texts"] == "terse")


def amount(value: Any) -> Decimal:
    return Decimal(value) if value not in (None, "") else ZERO


# -- references -----------------------------------------------------------------------------------------------------

def account_ref(ctx: Context, data: Data, name: str, types: Iterable[str], in_object: str) -> Any:
    """The account `data[name]` names, which must be of one of `types` (else 3140, as for a missing account)."""
    ref = data[name]
    row = resolve(ctx.conn, name, ref, in_object)
    if row.data.get("AccountType") not in set(types):
        raise status.invalid_reference("Account", row.full_name, in_object)
    return row


def default_account(ctx: Context, account_type: str, name: str) -> Any:
    """The company's account of `account_type` (the first in the chart of accounts), created as `name` if it has
    none, as QuickBooks creates Accounts Payable when the first bill is entered."""
    row = first_account(ctx.conn, account_type)
    if row is not None:
        return row
    if find_by_name(ctx.conn, "Account", name) is not None:
        raise status.name_in_use(name)
    return insert_object(ctx.conn, LIST_TYPES["Account"], name, {"AccountType": account_type}, ctx.unix)


def resolve_all(ctx: Context, kind: TxnType, data: Data) -> None:
    """Resolve every reference: the header's in the transaction, the lines' in "<type> line" (as QuickBooks names
    them in 3140)."""
    lines = kind.line_names()
    resolve_refs(ctx.conn, {k: v for k, v in data.items() if k not in lines}, kind.name)
    for key in lines & data.keys():
        for line in data[key]:
            resolve_refs(ctx.conn, line[1] if key == INTERLEAVED else line, f"{kind.name} line")


# -- Add / Mod ------------------------------------------------------------------------------------------------------

def _kind(ctx: Context, suffix: str) -> TxnType:
    return TXN_TYPES[ctx.request.name.removesuffix(suffix)]


def _read(ctx: Context, kind: TxnType) -> Data:
    """The request aggregate's content; interleaved lines as [name, line] pairs in the order sent."""
    body = ctx.body()
    spec = ctx.model[ctx.request.name].child(body.tag)
    assert spec is not None
    data = to_data(body, spec)
    lines = [[c.tag, to_data(c, _spec(spec, c.tag))] for c in body if c.tag in kind.interleaved]
    if lines:
        data[INTERLEAVED] = lines
        for name in kind.interleaved:
            data.pop(name, None)
    return data


def _spec(node: Node, name: str) -> Node:
    found = node.child(name)
    assert found is not None
    return found


def listed(conn: Connection, name_space: str, list_id: str) -> Any:
    """A list object a stored transaction refers to (a referenced object cannot be deleted)."""
    row = find(conn, name_space, list_id)
    assert row is not None, (name_space, list_id)
    return row


def _no_group_lines(data: Data) -> None:
    if any(key.endswith(("GroupAdd", "GroupMod", "GroupLineAdd", "GroupLineMod")) for key in data):
        raise status.not_supported()


def add(ctx: Context) -> Result:
    kind = _kind(ctx, "AddRq")
    data = _read(ctx, kind)
    _no_group_lines(data)
    request = {k: data.pop(k) for k in kind.request_only if k in data}
    txn_id = new_txn_id(ctx.conn, ctx.unix)
    for lk in kind.lines:
        if lk.add in data:
            data[lk.ret] = [{"TxnLineID": new_line_id(ctx.conn, txn_id), **line} for line in data.pop(lk.add)]
    for pair in data.get(INTERLEAVED, ()):
        pair[1] = {**pair[1], "TxnLineID": new_line_id(ctx.conn, txn_id)}
    resolve_all(ctx, kind, data)
    resolve_refs(ctx.conn, request, kind.name)
    data.setdefault("TxnDate", today(ctx))
    check_closing_date(ctx, "add", kind.name, data["TxnDate"])
    draft = Draft(txn_id, data, None, request)
    effects = kind.prepare(ctx, draft)
    if not effects.creates:
        _apply_links(ctx, kind, None, effects.links, {})
        return Result()
    save_new(ctx, kind, draft, effects)
    _apply_links(ctx, kind, txn_id, effects.links, {})
    _apply_uses(ctx, txn_id, effects.uses)
    stock.apply(ctx.conn, txn_id, effects.moves)
    return Result(rets=[ret_item(ctx, find_txn(ctx.conn, txn_id), RetOptions())])


def save_new(ctx: Context, kind: TxnType, draft: Draft, effects: Effects) -> None:
    """Store a new transaction and post it."""
    ctx.conn.execute(transactions.insert().values(
        txn_type=kind.name, txn_id=draft.txn_id, txn_number=next_value(ctx.conn, "txn_number", 1),
        time_created=ctx.unix, edit_sequence=ctx.unix, open_amount=effects.amount, **_columns(ctx, draft, effects)))
    ledger.post(ctx.conn, draft.txn_id, effects.postings, balance_stamp(ctx))


def _columns(ctx: Context, draft: Draft, effects: Effects) -> dict[str, Any]:
    ref = draft.data.get("RefNumber")
    return dict(ref_number=ref, ref_key=ref.casefold() if ref else None, txn_date=draft.data["TxnDate"],
                entity_id=effects.entity_id, amount=effects.amount, time_modified=ctx.unix, data=draft.data)


def _apply_links(ctx: Context, kind: TxnType, txn_id: str | None, links: list[Link],
                 before: dict[str, Decimal]) -> None:
    """Record the links a request makes and bring the open amounts they change up to date. `before` holds the open
    amounts, before this request, of the transactions it unlinked; those whose open amount ends up changed count as
    modified."""
    others = {t for x in links for t in (x.source, x.target)} - {txn_id} - before.keys()
    before = {**before, **ledger.open_amounts(ctx.conn, others)}
    ledger.add_links(ctx.conn, txn_id, links)
    after = ledger.refresh_open(ctx.conn, before.keys() | ({txn_id} if txn_id else set()))
    if any(value < 0 for value in after.values()):
        raise status.cannot_save_txn(kind.name, "The amount applied is more than the amount of the transaction.")
    _restamp(ctx, [t for t in before if after.get(t) != before[t]])


def mod(ctx: Context) -> Result:
    kind = _kind(ctx, "ModRq")
    changes = _read(ctx, kind)
    _no_group_lines(changes)
    txn_id, sent = changes.pop("TxnID"), changes.pop("EditSequence")
    row = find_txn(ctx.conn, txn_id)
    if row is None or row.txn_type != kind.name:
        raise status.object_not_found(txn_id)
    if sent != str(row.edit_sequence):
        raise status.stale_edit_sequence(sent, ret_item(ctx, row, RetOptions()))
    check_closing_date(ctx, "modify", kind.name, row.txn_date)
    request = {k: changes.pop(k) for k in kind.request_only if k in changes}
    draft = Draft(txn_id, dict(row.data), row, request, ledger.owned_links(ctx.conn, txn_id))
    if kind.merge_lines is not None:
        kind.merge_lines(ctx, draft, changes)
    for lk in kind.lines:
        _merge_kind(ctx, draft, lk, changes)
    required = _required_refs(ctx, kind)
    for key, value in changes.items():
        if (value == "" or value == {}) and key not in required:
            draft.data.pop(key, None)  # an empty element clears the field
        else:
            draft.data[key] = value  # a reference the type needs stays empty: an invalid reference (3140)
    resolve_all(ctx, kind, draft.data)
    resolve_refs(ctx.conn, request, kind.name)
    check_closing_date(ctx, "modify", kind.name, draft.data["TxnDate"])
    before = ledger.open_amounts(ctx.conn, {t for x in draft.previous for t in (x.source, x.target)} - {txn_id})
    ledger.unpost(ctx.conn, txn_id, balance_stamp(ctx))
    ledger.release(ctx.conn, txn_id, everything=False)
    ledger.refresh_open(ctx.conn, before)
    used_before = {u.used for u in ledger.uses_of(ctx.conn, txn_id)}
    ledger.drop_uses(ctx.conn, txn_id)
    stock.revert(ctx.conn, txn_id)
    effects = kind.prepare(ctx, draft)
    moved = effects.entity_id != row.entity_id or any(draft.data.get(k) != row.data.get(k) for k in _LINKED_BY)
    if moved and _linked_to_others(ctx.conn, txn_id):
        raise status.cannot_save_txn(kind.name, "This transaction is linked to other transactions.")
    if kind.locked_when_used and (effects.entity_id != row.entity_id or effects.amount != Decimal(row.amount) or any(
            draft.data.get(k) != row.data.get(k) for k in kind.locked_when_used)) and ledger.used_by(ctx.conn, txn_id):
        raise status.cannot_save_txn(kind.name, "This transaction is linked to other transactions.")
    ctx.conn.execute(update(transactions).where(transactions.c.txn_id == txn_id).values(
        edit_sequence=max(ctx.unix, row.edit_sequence + 1), **_columns(ctx, draft, effects)))
    ledger.post(ctx.conn, txn_id, effects.postings, balance_stamp(ctx))
    _apply_links(ctx, kind, txn_id, effects.links, before)
    _apply_uses(ctx, txn_id, effects.uses, used_before)
    stock.apply(ctx.conn, txn_id, effects.moves)
    return Result(rets=[ret_item(ctx, find_txn(ctx.conn, txn_id), RetOptions())])


def _apply_uses(ctx: Context, txn_id: str, uses: list[Use], before: set[str] | None = None) -> None:
    """Record what a transaction takes from others; the transactions it takes from (or took from before) count as
    modified, and those that follow what is taken from them (a purchase order's received quantities) are updated."""
    ledger.set_uses(ctx.conn, txn_id, uses)
    touched = sorted({u.used for u in uses} | (before or set()))
    for used in touched:
        row = find_txn(ctx.conn, used)
        follow = TXN_TYPES[row.txn_type].on_used if row is not None else None
        if follow is not None:
            follow(ctx, row)
    _restamp(ctx, touched)


def _required_refs(ctx: Context, kind: TxnType) -> set[str]:
    """The references an Add of `kind` must have (they cannot be cleared by a Mod)."""
    add = ctx.model.get(f"{kind.name}AddRq")
    spec = add.child(f"{kind.name}Add") if add is not None else None
    return {n.name for n in spec.elements() if n.name and n.name.endswith("Ref") and n.min >= 1} if spec else set()


#: What a link between transactions depends on, besides the name they are with.
_LINKED_BY = ("APAccountRef", "ARAccountRef")


def _linked_to_others(conn: Connection, txn_id: str) -> bool:
    return any(x.owner != txn_id for x in ledger.links_of(conn, txn_id))


def _merge_kind(ctx: Context, draft: Draft, lk: LineKind, changes: Data) -> None:
    """Apply a Mod's lines of one kind (see the module's ASSUMPTIONS)."""
    current = list(draft.data.get(lk.ret, []))
    if lk.clear and changes.pop(lk.clear, "false") == "true":
        current = []
    if lk.mod is None or lk.mod not in changes:
        if lk.ret in draft.data:
            draft.data[lk.ret] = current
        return
    by_id = {line["TxnLineID"]: line for line in current}
    merged = []
    for sent in changes.pop(lk.mod):
        line_id = sent.pop("TxnLineID")
        if line_id == "-1":
            merged.append({"TxnLineID": new_line_id(ctx.conn, draft.txn_id), **sent})
            continue
        if line_id not in by_id:
            raise status.object_not_found(line_id)
        line = merge_line(by_id[line_id], sent, lk.price)
        merged.append(line)
    draft.data[lk.ret] = merged


def merge_line(line: Data, sent: Data, price: str | None = None) -> Data:
    """A stored line with a Mod's fields applied (an empty field clears it)."""
    out = dict(line)
    if price is not None and "Amount" not in sent and ("Quantity" in sent or price in sent):
        out.pop("Amount", None)
    if price is not None and "Amount" in sent and price not in sent:
        out.pop(price, None)
    for key, value in sent.items():
        if value == "" or value == {}:
            out.pop(key, None)
        else:
            out[key] = value
    return out


# -- TxnDel / TxnVoid -------------------------------------------------------------------------------------------------

def _stored(ctx: Context, type_field: str) -> tuple[Any, str]:
    el = ctx.request.element
    txn_type, txn_id = el.findtext(type_field) or "", el.findtext("TxnID") or ""
    row = find_txn(ctx.conn, txn_id)
    if row is None or row.txn_type != txn_type:
        raise status.object_not_found(txn_id)
    return row, txn_type


def _not_used(ctx: Context, row: Any) -> None:
    """A transaction others take from (a deposited payment, a received purchase order) is neither deleted nor voided:
    the others would be left taking from nothing."""
    if ledger.used_by(ctx.conn, row.txn_id):
        raise status.cannot_save_txn(row.txn_type, "This transaction is linked to other transactions.")


@handles("TxnDelRq")
def txn_del(ctx: Context) -> Result:
    row, txn_type = _stored(ctx, "TxnDelType")
    check_closing_date(ctx, "delete", txn_type, row.txn_date)
    _not_used(ctx, row)
    remove_txn(ctx, row)
    fields = [("TxnDelType", txn_type), ("TxnID", row.txn_id), ("TimeDeleted", fmt_datetime(ctx.now))]
    return Result(fields=fields + ([("RefNumber", row.ref_number)] if row.ref_number else []))


@handles("TxnVoidRq")
def txn_void(ctx: Context) -> Result:
    row, txn_type = _stored(ctx, "TxnVoidType")
    check_closing_date(ctx, "void", txn_type, row.txn_date)
    _not_used(ctx, row)
    _release_all(ctx, row.txn_id, ledger.zero)
    kind = TXN_TYPES[txn_type]
    ctx.conn.execute(update(transactions).where(transactions.c.txn_id == row.txn_id).values(
        data=voided(kind, row.data), amount=ZERO, open_amount=ZERO, time_modified=ctx.unix,
        edit_sequence=max(ctx.unix, row.edit_sequence + 1)))
    fields = [("TxnVoidType", txn_type), ("TxnID", row.txn_id),
              ("TimeCreated", ctx.company.clock.stamp(row.time_created)), ("TimeModified", fmt_datetime(ctx.now))]
    return Result(fields=fields + ([("RefNumber", row.ref_number)] if row.ref_number else []))


def remove_txn(ctx: Context, row: Any) -> None:
    """Delete a stored transaction: its postings and links undone, its deletion recorded."""
    _release_all(ctx, row.txn_id, ledger.unpost)
    ctx.conn.execute(delete(transactions).where(transactions.c.txn_id == row.txn_id))
    ctx.conn.execute(deleted_objects.insert().values(del_type=row.txn_type, object_id=row.txn_id,
                                                     full_name=row.ref_number, time_created=row.time_created,
                                                     time_deleted=ctx.unix))


def _release_all(ctx: Context, txn_id: str, unpost: Callable[[Connection, str, int | None], None]) -> None:
    """Undo what a transaction posts and every link touching it (a delete or a void)."""
    unpost(ctx.conn, txn_id, balance_stamp(ctx))
    stock.revert(ctx.conn, txn_id)
    stock.drop_orders(ctx.conn, txn_id)
    _apply_uses(ctx, txn_id, [], {u.used for u in ledger.uses_of(ctx.conn, txn_id)})
    others = {t for x in ledger.links_of(ctx.conn, txn_id) for t in (x.source, x.target)} - {txn_id}
    before = ledger.open_amounts(ctx.conn, others)
    ledger.release(ctx.conn, txn_id, everything=True)
    after = ledger.refresh_open(ctx.conn, others)
    _restamp(ctx, [t for t in others if after.get(t) != before.get(t)])


def _restamp(ctx: Context, txn_ids: list[str]) -> None:
    """Transactions whose open amount another one changed count as modified (behaviour `payment_restamps`)."""
    if ctx.company.behaviours["payment_restamps"] == "yes":
        ledger.touch(ctx.conn, txn_ids, ctx.unix)


def balance_stamp(ctx: Context) -> int | None:
    """When the names and accounts whose balance a request moves count as modified (behaviour `balance_touches`)."""
    return ctx.unix if ctx.company.behaviours["balance_touches"] == "yes" else None


def voided(kind: TxnType, data: Data) -> Data:
    """A voided transaction's content: amounts zero, the memo marked."""
    out = dict(data)
    for name in kind.totals:
        if name in out:
            out[name] = fmt_amount(ZERO)
    for key in kind.line_names() & out.keys():
        if key == INTERLEAVED:
            out[key] = [[n, _zero_line(line)] for n, line in out[key]]
        else:
            out[key] = [_zero_line(line) for line in out[key]]
    out["Memo"] = f"VOID: {data['Memo']}" if data.get("Memo") else "VOID:"
    return out


def _zero_line(line: Data) -> Data:
    return {**line, "Amount": fmt_amount(ZERO)} if "Amount" in line else dict(line)


# -- the *Ret -------------------------------------------------------------------------------------------------------

def ret_item(ctx: Context, row: Any, options: RetOptions) -> tuple[str, Data]:
    """A stored transaction as its `*Ret`: the stored content plus what QuickBooks computes."""
    kind = TXN_TYPES[row.txn_type]
    stamp = ctx.company.clock.stamp
    data: Data = dict(row.data)
    data.update(TxnID=row.txn_id, TimeCreated=stamp(row.time_created),
                TimeModified=stamp(row.time_modified), EditSequence=str(row.edit_sequence),
                TxnNumber=str(row.txn_number))
    if kind.ret_extra is not None:
        kind.ret_extra(ctx, row, data, options)
    if not options.lines:
        for key in kind.line_names():
            data.pop(key, None)
    elif version_key(ctx.version) < (2, 0):  # qbXML 1.0 and 1.1 write every TxnLineID as zero (Intuit's reference)
        for key in kind.line_names() & data.keys():
            if key == INTERLEAVED:
                data[key] = [[name, {**line, "TxnLineID": "0"}] for name, line in data[key]]
            else:
                data[key] = [{**line, "TxnLineID": "0"} for line in data[key]]
    return kind.ret, data


def open_ret(open_name: str = "OpenAmount", paid_name: str | None = None) -> RetExtra:
    """The `*Ret` fields of a transaction with an open amount (a bill's OpenAmount and IsPaid, an invoice's
    BalanceRemaining and IsPaid, a credit's OpenAmount), and its LinkedTxn when asked for."""

    def extra(ctx: Context, row: Any, data: Data, options: RetOptions) -> None:
        data[open_name] = fmt_amount(row.open_amount)
        if paid_name is not None:
            data[paid_name] = fmt_bool(Decimal(row.open_amount) == 0)
        if options.linked:
            data["LinkedTxn"] = linked_txns(ctx, row.txn_id)

    return extra


def linked_txns(ctx: Context, txn_id: str) -> list[Data]:
    """LinkedTxn: the transactions applied to this one or this one is applied to, with the amounts (negative)."""
    ahead: dict[str, list[Any]] | None = ctx.memo.get("links")
    links = ahead[txn_id] if ahead is not None and txn_id in ahead else ledger.links_of(ctx.conn, txn_id)
    totals: dict[str, Decimal] = {}
    for x in links:
        if txn_id in (x.source, x.target):
            other = x.target if x.source == txn_id else x.source
            totals[other] = totals.get(other, ZERO) + Decimal(x.amount)
    heads: dict[str, Any] = ctx.memo.get("heads", {})
    out = [_linked(heads.get(other) or find_txn(ctx.conn, other), -total) for other, total in totals.items()]
    return out + quantity_links(ctx, txn_id)


def quantity_links(ctx: Context, txn_id: str) -> list[Data]:
    """LinkedTxn of the forms a transaction was made from or made into, by quantity (a purchase order and what
    received it; an estimate or sales order and the invoices made from it); a deposit and its payments are not
    linked this way."""
    others = [u.used for u in ledger.uses_of(ctx.conn, txn_id)] + [u.user for u in ledger.used_by(ctx.conn, txn_id)]
    out: list[Data] = []
    own = find_txn(ctx.conn, txn_id) if others else None
    for other in dict.fromkeys(others):
        row = find_txn(ctx.conn, other)
        if row is not None and own is not None and "Deposit" not in (row.txn_type, own.txn_type):
            link = _linked(row, ZERO)
            link["LinkType"] = "QUANTYPE"
            out.append(link)
    return out


def _linked(row: Any, value: Decimal) -> Data:
    out: Data = {"TxnID": row.txn_id, "TxnType": row.txn_type, "TxnDate": row.txn_date}
    if row.ref_number:
        out["RefNumber"] = row.ref_number
    out.update(LinkType="AMTTYPE", Amount=fmt_amount(value))
    return out


# -- payments: what they are applied to ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Applying:
    """A payment (or an invoice setting credits on itself) being applied: its TxnID, the name and the A/P or A/R
    account every transaction it touches must share, the type of transaction it pays, the credits it may set."""

    txn_id: str
    entity_id: str
    account: str  # APAccountRef, ARAccountRef
    account_id: str
    target: str  # Bill, Invoice
    credits: tuple[str, ...]  # VendorCredit; CreditMemo, ReceivePayment (what a payment left unused)

    def holds(self, row: Any, types: tuple[str, ...]) -> bool:
        """Whether `row` is a transaction of `types` with the same name and account (and not this one)."""
        return (row is not None and row.txn_type in types and row.entity_id == self.entity_id
                and row.txn_id != self.txn_id and (row.data.get(self.account) or {}).get("ListID") == self.account_id)


def previous_applications(draft: Draft) -> list[Data]:
    """The applications a payment made before a Mod, in AppliedToTxnMod form."""
    out: dict[str, Data] = {}
    for x in draft.previous:
        app = out.setdefault(x.target, {"TxnID": x.target, "PaymentAmount": "0.00", "SetCredit": []})
        if x.source == draft.txn_id:
            app["PaymentAmount"] = fmt_amount(Decimal(app["PaymentAmount"]) + Decimal(x.amount))
        else:
            app["SetCredit"].append({"CreditTxnID": x.source, "AppliedAmount": fmt_amount(x.amount)})
    return list(out.values())


def applications(ctx: Context, applying: Applying, field: str, apps: list[Data]) -> list[Link]:
    """The links a payment's AppliedToTxnAdd/Mod make, checked against what is open on each target and credit: a
    target or credit of another name or account, or of another type, is not found (3120); paying more than is open is
    refused (3210)."""
    open_left: dict[str, Decimal] = {}
    links: list[Link] = []
    for app in apps:
        if app.get("TxnLineDetail") or amount(app.get("DiscountAmount")):
            raise status.not_supported()
        target = find_txn(ctx.conn, app["TxnID"])
        if not applying.holds(target, (applying.target,)):
            raise status.object_not_found(app["TxnID"])
        left = open_left.setdefault(target.txn_id, Decimal(target.open_amount))
        pay = amount(app.get("PaymentAmount"))
        if pay < 0:
            raise status.invalid_value(f"{field} payment amount", fmt_amount(pay), "The amount cannot be negative.")
        if pay > left:
            raise status.overpayment(fmt_amount(pay), field)
        if pay:
            links.append(Link(applying.txn_id, target.txn_id, pay))
        credits, left = set_credits(ctx, applying, target.txn_id, app.get("SetCredit", []), left - pay, open_left)
        open_left[target.txn_id] = left
        links += credits
    return links


def set_credits(ctx: Context, applying: Applying, target_id: str, sets: list[Data], left: Decimal,
                open_left: dict[str, Decimal]) -> tuple[list[Link], Decimal]:
    """The links SetCredit aggregates make on a target with `left` open, and what it has open after them;
    `open_left` keeps what each credit has left across the request."""
    links: list[Link] = []
    for credit_set in sets:
        credit = find_txn(ctx.conn, credit_set["CreditTxnID"])
        if not applying.holds(credit, applying.credits):
            raise status.object_not_found(credit_set["CreditTxnID"])
        use = amount(credit_set["AppliedAmount"])
        available = open_left.setdefault(credit.txn_id, Decimal(credit.open_amount))
        if use < 0 or use > available:
            raise status.invalid_value("SetCredit applied amount", fmt_amount(use),
                                       "The amount is more than the credit available.")
        if use > left:
            raise status.invalid_value("SetCredit applied amount", fmt_amount(use),
                                       "You cannot pay more than the amount due.")
        left -= use
        open_left[credit.txn_id] = available - use
        if use:
            links.append(Link(credit.txn_id, target_id, use))
    return links, left


def applied_to(ctx: Context, txn_id: str) -> list[Data]:
    """AppliedToTxnRet of a payment: each transaction it pays, its amount, and the credits it set on it."""
    rets: dict[str, Data] = {}
    for x in ledger.owned_links(ctx.conn, txn_id):
        target = rets.get(x.target)
        if target is None:
            row = find_txn(ctx.conn, x.target)
            target = rets[x.target] = {"TxnID": row.txn_id, "TxnType": row.txn_type, "TxnDate": row.txn_date}
            if row.ref_number:
                target["RefNumber"] = row.ref_number
            target.update(BalanceRemaining=fmt_amount(row.open_amount), Amount=fmt_amount(ZERO))
        if x.source == txn_id:
            target["Amount"] = fmt_amount(Decimal(target["Amount"]) + Decimal(x.amount))
        else:
            target.setdefault("LinkedTxn", []).append(_linked(find_txn(ctx.conn, x.source), -Decimal(x.amount)))
    return list(rets.values())
