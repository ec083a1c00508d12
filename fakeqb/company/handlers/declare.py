"""Declaring a transaction type: it joins `TXN_TYPES`, and its Add, Mod and Query requests get their handlers."""

from __future__ import annotations

from fakeqb.company.context import handles
from fakeqb.company.handlers.transactions import TXN_TYPES, TxnType, add, mod
from fakeqb.company.handlers.txn_queries import query


def declare(kind: TxnType) -> TxnType:
    TXN_TYPES[kind.name] = kind
    if "Add" in kind.requests:
        handles(f"{kind.name}AddRq")(add)
    if "Mod" in kind.requests:
        handles(f"{kind.name}ModRq")(mod)
    if "Query" in kind.requests:
        handles(f"{kind.name}QueryRq")(query)
    return kind
