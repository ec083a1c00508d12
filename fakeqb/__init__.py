"""fakeqb: a simulated QuickBooks Desktop company that answers qbXML behind the QBXMLRP2 surface.

Its names load on first use, so importing a submodule (the pytest plugin, say) does not import the whole simulator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakeqb.com.hresults import ComError
    from fakeqb.mock import mock_qbxmlrp2
    from fakeqb.quickbooks import FakeQuickBooks

_HOMES = {"ComError": "fakeqb.com.hresults", "FakeQuickBooks": "fakeqb.quickbooks", "mock_qbxmlrp2": "fakeqb.mock"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fakeqb' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = ["ComError", "FakeQuickBooks", "mock_qbxmlrp2"]
