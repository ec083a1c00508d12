"""The client side of qbXML: request builders and response readers.

The syncer speaks qbXML 13.0 (QuickBooks Desktop 2014 and later, the oldest version the app supports): every request
it writes is valid against Intuit's 13.0 schema, elements in the schema's order.
"""

VERSION = "13.0"
