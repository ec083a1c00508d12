"""Request handlers, one module per object family; importing this package registers them all."""

from fakeqb.handlers import company, dataext, deleted, list_queries, lists  # noqa: F401
