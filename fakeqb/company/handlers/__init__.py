"""Request handlers, one module per object family; importing this package registers them all."""

from fakeqb.company.handlers import (  # noqa: F401
    banking,
    company,
    dataext,
    deleted,
    deposits,
    item_sites,
    list_queries,
    lists,
    payables,
    purchasing,
    receivables,
    reports,
    sales,
    transaction_query,
    transactions,
)
