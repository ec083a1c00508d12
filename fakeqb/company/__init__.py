"""The company file: its tables, clock and settings, its lists and ledger, and the engine that answers a message set
with the request handlers."""
