"""A request processor factory for `syncer --processor tests.syncer.processors:company_file`."""

from __future__ import annotations

import os
from typing import Any

from fakeqb import FakeQuickBooks


def company_file(url: str | None = None) -> Any:
    """The request processor of the simulated company kept in the database SYNCER_TEST_COMPANY names."""
    return FakeQuickBooks(url or os.environ["SYNCER_TEST_COMPANY"]).request_processor()
