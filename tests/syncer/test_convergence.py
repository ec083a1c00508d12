"""Days of activity on both sides, with QuickBooks failing now and then: at the end both sides agree, nothing is
entered twice and nothing is lost."""

from __future__ import annotations

import contextlib
import random

import pytest

import syncer
from fakeqb import FakeQuickBooks
from tests.syncer.conftest import START, Processor, fault, run
from tests.syncer.quickbooks import QuickBooksUser

FAULTS = (
    {"kind": "lose_response", "request_type": "VendorAddRq"},
    {"kind": "lose_response", "request_type": "BillAddRq"},
    {"kind": "lose_response", "request_type": "CustomerModRq"},
    {"kind": "status", "request_type": "VendorModRq", "status_code": 3175, "count": 2},
    {"kind": "hresult", "method": "ProcessRequest", "request_type": "ItemQueryRq", "hresult": 0x80040401},
)


def names(user: QuickBooksUser, list_type: str) -> list[str]:
    return sorted(str(r.findtext("FullName") or r.findtext("Name")) for r in user.all(list_type))


@pytest.mark.parametrize("seed", [1, 2, 891])  # 891: names that sort differently case-insensitively
def test_both_sides_converge(seed: int) -> None:
    rng = random.Random(seed)
    qb = FakeQuickBooks()
    qb.clock.set(START)
    qb.seed(seed=seed, vendors=6, customers=4)
    person = QuickBooksUser(qb.request_processor())
    rp = Processor(qb.request_processor())
    app = syncer.App()
    syncer.connect(app, rp)
    qb.clock.advance(hours=1)
    run(app, rp)
    app.configure(bank_account="Checking")
    expense = next(a.full_name for a in app.accounts.list() if a.account_type == "Expense")
    made_bills = 0
    for day in range(6):
        qb.clock.advance(days=1)
        vendors = [v.name for v in app.vendors.list()]
        app.vendors.create(f"App Vendor {day}")
        app.vendors.update(rng.choice(vendors), phone=f"555-01{day:02d}")
        person.vendor(f"QB Vendor {day}")
        person.mod("Vendor", rng.choice(names(person, "Vendor")), f"<Email>d{day}@example.com</Email>")
        customer = rng.choice([c.full_name for c in app.customers.list() if not c.is_job])
        app.customers.update(customer, phone=f"555-02{day:02d}")
        app.bills.create(rng.choice(vendors), number=f"B-{day}", date=f"2024-03-0{day + 1}", account=expense,
                         amount=f"{rng.randint(10, 500)}.00")
        made_bills += 1
        if rng.random() < 0.7:
            fault(qb, **rng.choice(FAULTS))
        with contextlib.suppress(syncer.QuickBooksUnavailable):
            run(app, rp)
        qb.faults.clear()
    qb.clock.advance(days=1)
    final = run(app, rp)
    assert final.ok, str(final)
    qb.clock.advance(days=1)
    quiet = run(app, rp)
    assert quiet.to_app == {} and quiet.to_quickbooks == {}, str(quiet)
    assert sorted(v.name for v in app.vendors.list()) == names(person, "Vendor")  # whatever order each side lists in
    assert sorted(c.full_name for c in app.customers.list()) == names(person, "Customer")
    assert len(person.bills()) == made_bills == len(app.bills.list())
    for vendor in app.vendors.list():
        ret = person.get("Vendor", vendor.name)
        assert (ret.findtext("Phone"), ret.findtext("Email")) == (vendor.phone, vendor.email)
    person.close()
    app.close()
    qb.close()
