"""The executable spec: every example of `features/`, once per brand (`--brand`), through the steps of `steps/`."""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("world")

scenarios("../features")
