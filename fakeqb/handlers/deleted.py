"""ListDeletedQuery: what was deleted from the lists, within QuickBooks' 90-day window.

ASSUMPTION: metaData="MetaDataOnly" answers with retCount and no ListDeletedRet, as the paged list queries do; a
query that finds nothing is status 1 whatever its metaData.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fakeqb.engine import Context, Result, handles
from fakeqb.handlers.dataext import with_meta_data
from fakeqb.handlers.list_queries import time_bound
from fakeqb.qbxml import status
from fakeqb.qbxml.values import fmt_datetime
from fakeqb.store import deleted_objects

RETENTION = timedelta(days=90)


@handles("ListDeletedQueryRq")
def list_deleted(ctx: Context) -> Result:
    el = ctx.request.element
    types = [e.text for e in el.findall("ListDelType")]
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
    local = ctx.company.clock.local
    return with_meta_data(ctx, [("ListDeletedRet", {
        "ListDelType": r.del_type, "ListID": r.object_id, "TimeCreated": fmt_datetime(local(r.time_created)),
        "TimeDeleted": fmt_datetime(local(r.time_deleted)), "FullName": r.full_name}) for r in rows])

