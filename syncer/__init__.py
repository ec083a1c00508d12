"""syncer: the production sync engine between the app (Cashflow360 / Key CashFlow) and QuickBooks Desktop."""
