"""Request builders for list objects: queries, Add and Mod (Account, Class, Vendor, Customer, Item...)."""

from __future__ import annotations

from collections.abc import Sequence

from syncer.qbxml.build import Element, Value, leaf, node, put, query, request

#: List queries the schema gives iterators; the others (Account, Class) answer in one response.
ITERABLE = frozenset(("Vendor", "Customer", "Item", "Employee", "OtherName"))

Fields = Sequence[tuple[str, Value]]


def list_query(qb_type: str, *, list_ids: Sequence[str] = (), full_names: Sequence[str] = (),
               max_returned: int | None = None, active: str = "All", from_modified: str | None = None,
               account_types: Sequence[str] = (), include: Sequence[str] = (), iterator: str | None = None,
               iterator_id: str | None = None, request_id: str | None = None) -> Element:
    """`<qb_type>QueryRq`: by ListID or FullName, or by filter (ActiveStatus, FromModifiedDate, AccountType)."""
    rq, selected = query(qb_type, request_id, iterator, iterator_id, (("ListID", list_ids), ("FullName", full_names)))
    if not selected:
        leaf(rq, "MaxReturned", max_returned)
        leaf(rq, "ActiveStatus", active)
        leaf(rq, "FromModifiedDate", from_modified)
        for account_type in account_types:
            leaf(rq, "AccountType", account_type)
    for name in include:
        leaf(rq, "IncludeRetElement", name)
    return rq


def list_add(qb_type: str, fields: Fields, request_id: str | None = None) -> Element:
    """`<qb_type>AddRq`; `fields` are (path, value) pairs in schema order, None values left out."""
    rq = request(f"{qb_type}AddRq", request_id)
    body = node(rq, f"{qb_type}Add")
    for path, value in fields:
        if value is not None:
            put(body, path, value)
    return rq


def list_mod(qb_type: str, list_id: str, edit_sequence: str, fields: Fields,
             request_id: str | None = None) -> Element:
    """`<qb_type>ModRq` changing `fields` (path, value) in schema order; a None value clears the field."""
    rq = request(f"{qb_type}ModRq", request_id)
    body = node(rq, f"{qb_type}Mod")
    leaf(body, "ListID", list_id)
    leaf(body, "EditSequence", edit_sequence)
    for path, value in fields:
        put(body, path, value)
    return rq


def company_query() -> Element:
    """`CompanyQueryRq`: the company's name."""
    rq = request("CompanyQueryRq")
    leaf(rq, "IncludeRetElement", "CompanyName")
    return rq
