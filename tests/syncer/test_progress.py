"""A run tells its progress, phase by phase, to the callback it is given."""

from __future__ import annotations

from typing import Any

import syncer
from syncer.engine.progress import Step
from tests.syncer.conftest import Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser


def test_each_phase_counts_up_to_its_total_and_finishes(basics: QuickBooksUser, connected: syncer.App,
                                                       rp: Processor, qb: Any) -> None:
    for n in range(5):
        basics.vendor(f"Extra {n}")
    connected.customers.create("Walk-in Customer")
    steps: list[Step] = []
    run(connected, rp, page_size=2, progress=steps.append)
    vendors = [step for step in steps if step.phase == "Vendors from QuickBooks"]
    assert vendors[0].done == 0 and vendors[-1] == Step("Vendors from QuickBooks", 6, 6, finished=True)
    assert [step.done for step in vendors[1:-1]] == [2, 4, 6]
    assert [step.total for step in vendors[1:-1]] == [6, 6, 6]
    pushed = [step for step in steps if step.phase == "Customers to QuickBooks"]
    assert pushed == [Step("Customers to QuickBooks", 0, 1), Step("Customers to QuickBooks", 1, 1, finished=True)]


def test_a_run_with_nothing_to_send_tells_only_what_it_read(basics: QuickBooksUser, connected: syncer.App,
                                                            rp: Processor, qb: Any) -> None:
    run(connected, rp)
    later(qb)
    steps: list[Step] = []
    run(connected, rp, progress=steps.append)
    assert not [step for step in steps if "to QuickBooks" in step.phase]
    assert all(step.phase.endswith("from QuickBooks") or step.phase == "Bank balances" for step in steps)
