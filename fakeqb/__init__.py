"""fakeqb: a simulated QuickBooks Desktop company that answers qbXML behind the QBXMLRP2 surface."""

from fakeqb.com.hresults import ComError
from fakeqb.quickbooks import FakeQuickBooks

__all__ = ["ComError", "FakeQuickBooks"]
