"""ListDeletedQuery and TxnDeletedQuery: what was deleted from the lists and the transactions, within QuickBooks'
90-day window.

ASSUMPTION: metaData="MetaDataOnly" answers with retCount and no `*DeletedRet`, as the paged list queries do; a
query that finds nothing is status 1 whatever its metaData.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fakeqb.company.context import Context, Result, handles
from fakeqb.company.handlers.dataext import with_meta_data
from fakeqb.company.handlers.list_queries import time_bound
from fakeqb.company.store import deleted_objects
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data

RETENTION = timedelta(days=90)


@handles("ListDeletedQueryRq", "TxnDeletedQueryRq")
def deleted(ctx: Context) -> Result:
    el = ctx.request.element
    is_list = ctx.request.name == "ListDeletedQueryRq"
    prefix = "List" if is_list else "Txn"
    types = [e.text for e in el.findall(f"{prefix}DelType")]
    tz = ctx.company.clock.tz
    oldest = int((ctx.now - RETENTION).timestamp())
    low, high = oldest, None
    if (text := el.findtext("DeletedDateRangeFilter/FromDeletedDate")) is not None:
        low = max(oldest, time_bound(ctx, text, "FromDeletedDate", tz, end=False))
    if (text := el.findtext("DeletedDateRangeFilter/ToDeletedDate")) is not None:
        high = time_bound(ctx, text, "ToDeletedDate", tz, end=True)
    c = deleted_objects.c
    stmt = select(deleted_objects).where(c.del_type.in_(types), c.time_deleted >= low)
    if high is not None:
        stmt = stmt.where(c.time_deleted <= high)
    rows = ctx.conn.execute(stmt.order_by(c.time_deleted, c.id)).all()
    if not rows:
        raise status.no_match()
    stamp = ctx.company.clock.stamp
    rets: list[tuple[str, Data]] = []
    for r in rows:
        ret: Data = {f"{prefix}DelType": r.del_type, f"{prefix}ID": r.object_id,
                     "TimeCreated": stamp(r.time_created), "TimeDeleted": stamp(r.time_deleted)}
        if r.full_name is not None:  # a list object's FullName, a transaction's RefNumber
            ret["FullName" if is_list else "RefNumber"] = r.full_name
        rets.append((f"{prefix}DeletedRet", ret))
    return with_meta_data(ctx, rets)
