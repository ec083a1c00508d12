"""fakeqb: a simulated QuickBooks Desktop company that answers qbXML behind the QBXMLRP2 surface."""

from fakeqb.company import FakeQuickBooks
from fakeqb.hresults import ComError

__all__ = ["ComError", "FakeQuickBooks"]
