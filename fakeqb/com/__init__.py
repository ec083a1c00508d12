"""The QBXMLRP2 surface: QuickBooks running with a company file open (`host`), its request processors, HRESULTs and
`ComError`, app authorization, fault rules and the request log."""
