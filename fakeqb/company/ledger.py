"""The ledger: what transactions post to accounts and names, and what they are applied to.

Every transaction line that touches an account is a posting, signed debit-positive. Balances are kept as QuickBooks
shows them: asset and expense accounts debit-positive, liability, equity and income accounts credit-positive (an A/P
account's balance is what is owed). A name's balance moves with the postings on A/P and A/R lines that name it: a
vendor's balance is what the company owes it, a customer's what it owes the company. Balances start from the opening
balance set on the list object and change by exactly what is posted and unposted, so they always equal the opening
balance plus the postings.

Links apply a payment or a credit (the source) to a bill or an invoice (the target). A transaction's open amount is its
total less what is applied to it or from it: a bill's unpaid part, a credit's unused part, a payment's unapplied part.

ASSUMPTION: income and expense accounts carry a Balance too (their activity since the company began).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, func, or_, select, update

from fakeqb.company.store import list_objects, postings, transactions, txn_links, txn_uses

#: Account types whose balance QuickBooks shows debit-positive (the others are credit-positive).
DEBIT_POSITIVE = frozenset(("Bank", "AccountsReceivable", "OtherCurrentAsset", "FixedAsset", "OtherAsset",
                            "Expense", "CostOfGoodsSold", "OtherExpense"))
#: A/P and A/R postings move the balance of the name on them: credit-positive for A/P, debit-positive for A/R.
NAME_SIGN = {"AccountsPayable": -1, "AccountsReceivable": 1}
ZERO = Decimal("0.00")


class Posting(NamedTuple):
    account_id: str
    entity_id: str | None
    amount: Decimal  # debit-positive


class Link(NamedTuple):
    source: str  # the payment or credit applied
    target: str  # the bill or invoice it is applied to
    amount: Decimal


def account_sign(account_type: str) -> int:
    """+1 where a debit raises the account's balance as QuickBooks shows it, -1 where it lowers it."""
    return 1 if account_type in DEBIT_POSITIVE else -1


def post(conn: Connection, txn_id: str, lines: Iterable[Posting], stamp: int | None = None) -> None:
    """Record a transaction's postings and move the balances they touch (`stamp`: the Unix time the accounts and
    names moved count as modified at, if they do)."""
    lines = list(lines)
    if lines:
        conn.execute(postings.insert(), [dict(txn_id=txn_id, line=i, account_id=p.account_id, entity_id=p.entity_id,
                                              amount=p.amount) for i, p in enumerate(lines, 1)])
        _move(conn, lines, 1, stamp)


def unpost(conn: Connection, txn_id: str, stamp: int | None = None) -> None:
    """Remove a transaction's postings, moving the balances back."""
    _move(conn, _postings_of(conn, txn_id), -1, stamp)
    conn.execute(delete(postings).where(postings.c.txn_id == txn_id))


def zero(conn: Connection, txn_id: str, stamp: int | None = None) -> None:
    """Make a transaction's postings zero (a void): balances move back, the accounts it touched stay recorded."""
    _move(conn, _postings_of(conn, txn_id), -1, stamp)
    conn.execute(update(postings).where(postings.c.txn_id == txn_id).values(amount=ZERO))


def has_postings(conn: Connection, account_id: str) -> bool:
    return conn.execute(select(postings.c.id).where(postings.c.account_id == account_id).limit(1)).first() is not None


def _postings_of(conn: Connection, txn_id: str) -> list[Posting]:
    stmt = select(postings.c.account_id, postings.c.entity_id, postings.c.amount).where(postings.c.txn_id == txn_id)
    return [Posting(r.account_id, r.entity_id, Decimal(r.amount)) for r in conn.execute(stmt)]


_ACCOUNT_TYPES = select(list_objects.c.list_id, list_objects.c.data).where(
    list_objects.c.name_space == "Account", list_objects.c.list_id.in_(bindparam("ids", expanding=True)))
#: Sums rounded to cents: SQLite adds NUMERIC values as binary floating point (0.10 + 0.20 - 0.30 is not 0 there).
_NEW_BALANCE = func.round(list_objects.c.balance + bindparam("delta"), 2)
_ADD_BALANCE = update(list_objects).where(
    list_objects.c.name_space == bindparam("space"), list_objects.c.list_id == bindparam("object")
).values(balance=_NEW_BALANCE)
_ADD_BALANCE_STAMPED = update(list_objects).where(
    list_objects.c.name_space == bindparam("space"), list_objects.c.list_id == bindparam("object")
).values(balance=_NEW_BALANCE, time_modified=bindparam("stamp"))


def _move(conn: Connection, lines: list[Posting], direction: int, stamp: int | None) -> None:
    if not lines:
        return
    types = {r.list_id: (r.data or {}).get("AccountType", "")
             for r in conn.execute(_ACCOUNT_TYPES, {"ids": sorted({p.account_id for p in lines})})}
    deltas: dict[tuple[str, str], Decimal] = {}
    for p in lines:
        account_type = types.get(p.account_id, "")
        key = ("Account", p.account_id)
        deltas[key] = deltas.get(key, ZERO) + direction * account_sign(account_type) * p.amount
        if p.entity_id is not None and account_type in NAME_SIGN:
            key = ("name", p.entity_id)
            deltas[key] = deltas.get(key, ZERO) + direction * NAME_SIGN[account_type] * p.amount
    changes = [{"space": space, "object": object_id, "delta": delta, "stamp": stamp}
               for (space, object_id), delta in deltas.items() if delta]
    if changes:
        conn.execute(_ADD_BALANCE if stamp is None else _ADD_BALANCE_STAMPED, changes)


# -- links --------------------------------------------------------------------------------------------------------

_LINKS_OF = select(txn_links).where(or_(txn_links.c.source == bindparam("txn"), txn_links.c.target == bindparam("txn"),
                                        txn_links.c.owner == bindparam("txn"))).order_by(txn_links.c.id)
_IDS: Any = bindparam("ids", expanding=True)
_LINKS_OF_MANY = select(txn_links).where(or_(txn_links.c.source.in_(_IDS), txn_links.c.target.in_(_IDS),
                                             txn_links.c.owner.in_(_IDS))).order_by(txn_links.c.id)
_OWNED = select(txn_links).where(txn_links.c.owner == bindparam("owner")).order_by(txn_links.c.id)


def links_of(conn: Connection, txn_id: str) -> list[Any]:
    """Every link touching a transaction (as source, target or owner), in the order they were made."""
    return list(conn.execute(_LINKS_OF, {"txn": txn_id}).all())


def links_of_many(conn: Connection, txn_ids: list[str]) -> dict[str, list[Any]]:
    """`links_of` for many transactions in one query: TxnID -> its links, in the order they were made."""
    found: dict[str, list[Any]] = {t: [] for t in txn_ids}
    for link in conn.execute(_LINKS_OF_MANY, {"ids": txn_ids}) if txn_ids else ():
        for txn_id in {link.source, link.target, link.owner} & found.keys():
            found[txn_id].append(link)
    return found


def owned_links(conn: Connection, owner: str) -> list[Any]:
    return list(conn.execute(_OWNED, {"owner": owner}).all())


def add_links(conn: Connection, owner: str | None, links: Iterable[Link]) -> set[str]:
    """Record links made by `owner`'s request; returns the transactions whose open amount they change."""
    made = [x for x in links if x.amount]
    if made:
        conn.execute(txn_links.insert(), [dict(source=x.source, target=x.target, owner=owner, amount=x.amount)
                                          for x in made])
    return {t for x in made for t in (x.source, x.target)}


def release(conn: Connection, txn_id: str, everything: bool) -> set[str]:
    """Remove the links a transaction made (and, with `everything`, every link touching it, as a delete or a void
    does); returns the transactions whose open amount changes."""
    c = txn_links.c
    condition = or_(c.source == txn_id, c.target == txn_id, c.owner == txn_id) if everything else c.owner == txn_id
    gone = conn.execute(select(c.source, c.target).where(condition)).all()
    conn.execute(delete(txn_links).where(condition))
    return {t for row in gone for t in row}


def applied(conn: Connection, txn_id: str) -> Decimal:
    """What is applied to or from a transaction (payments and credits on a bill; a credit's uses; a payment's)."""
    total = conn.execute(_APPLIED, {"txn": txn_id}).scalar()
    return Decimal(total or 0)


_APPLIED = select(func.coalesce(func.sum(txn_links.c.amount), 0)).where(
    or_(txn_links.c.source == bindparam("txn"), txn_links.c.target == bindparam("txn")))
_REFRESH = update(transactions).where(transactions.c.txn_id == bindparam("txn")).values(
    open_amount=func.round(transactions.c.amount - _APPLIED.scalar_subquery(), 2))


def refresh_open(conn: Connection, txn_ids: Iterable[str]) -> dict[str, Decimal]:
    """Recompute the open amount of transactions whose links changed; returns them by TxnID."""
    ids = sorted(set(txn_ids))
    if ids:
        conn.execute(_REFRESH, [{"txn": t} for t in ids])
    return open_amounts(conn, ids)


def open_amounts(conn: Connection, txn_ids: Iterable[str]) -> dict[str, Decimal]:
    ids = set(txn_ids)
    if not ids:
        return {}
    stmt = select(transactions.c.txn_id, transactions.c.open_amount).where(transactions.c.txn_id.in_(ids))
    return {r.txn_id: Decimal(r.open_amount) for r in conn.execute(stmt)}


def touch(conn: Connection, txn_ids: Iterable[str], unix: int) -> None:
    """Count transactions as modified now (new TimeModified and EditSequence)."""
    for txn_id in txn_ids:
        sequence = conn.execute(select(transactions.c.edit_sequence).where(transactions.c.txn_id == txn_id)).scalar()
        if sequence is not None:
            conn.execute(update(transactions).where(transactions.c.txn_id == txn_id).values(
                time_modified=unix, edit_sequence=max(unix, sequence + 1)))


# -- uses: what a transaction takes from another without paying it (deposits, receipts, invoicing) -----------------

class Use(NamedTuple):
    used: str  # the TxnID of the transaction used
    line: str | None  # its TxnLineID, for a line
    quantity: Decimal | None
    amount: Decimal


_USES_OF = select(txn_uses).where(txn_uses.c.user == bindparam("txn")).order_by(txn_uses.c.id)
_USED_BY = select(txn_uses).where(txn_uses.c.used == bindparam("txn")).order_by(txn_uses.c.id)


def set_uses(conn: Connection, user: str, uses: Iterable[Use]) -> None:
    """Record what `user` takes from other transactions (in place of what it took before)."""
    drop_uses(conn, user)
    rows = [dict(user=user, used=u.used, line=u.line, quantity=u.quantity, amount=u.amount) for u in uses]
    if rows:
        conn.execute(txn_uses.insert(), rows)


def drop_uses(conn: Connection, user: str) -> None:
    conn.execute(delete(txn_uses).where(txn_uses.c.user == user))


def uses_of(conn: Connection, user: str) -> list[Any]:
    """What a transaction takes from others, in the order recorded."""
    return list(conn.execute(_USES_OF, {"txn": user}).all())


def used_by(conn: Connection, used: str) -> list[Any]:
    """What other transactions take from this one, in the order recorded."""
    return list(conn.execute(_USED_BY, {"txn": used}).all())
