from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from fakeqb import FakeQuickBooks
from tests.support import Client

START = datetime(2024, 3, 1, 9, 30, 0)


@pytest.fixture
def qb() -> Iterator[FakeQuickBooks]:
    """An empty company in memory, its clock stopped at START (company time)."""
    company = FakeQuickBooks()
    company.clock.set(START)
    yield company
    company.close()


@pytest.fixture
def client(qb: FakeQuickBooks) -> Iterator[Client]:
    c = Client(qb.request_processor())
    yield c
    c.close()
