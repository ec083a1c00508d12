"""Lists both ways: accounts, departments (classes), vendors, customers and jobs, items, bank balances."""

from __future__ import annotations

from decimal import Decimal

import pytest

import syncer
from tests.syncer.conftest import Processor, later, run
from tests.syncer.quickbooks import QuickBooksUser


def test_the_first_sync_brings_every_list_from_quickbooks(basics: QuickBooksUser, connected: syncer.App,
                                                         rp: Processor, qb) -> None:
    later(qb)
    report = run(connected, rp)
    assert report.ok, str(report)
    assert set(report.pulled("account")) >= {"Checking", "Repairs", "Sales"}
    assert report.pulled("department") == ["Field"]
    assert report.pulled("vendor") == ["Acme Supply"]
    assert report.pulled("customer") == ["Baker"] and report.pulled("job") == ["Baker:Kitchen"]
    assert report.pulled("item") == ["Labor"]
    job = connected.customers.get("Baker:Kitchen")
    assert job.is_job and job.parent.name == "Baker" and job.name == "Kitchen"
    item = connected.items.get("Labor")
    assert (item.item_type, item.price, item.description) == ("Service", Decimal("50.00"), "Labor work")
    assert connected.vendors.get("Acme Supply").company_name == "Acme Supply Co"
    assert connected.accounts.get("Checking").account_type == "Bank"


def test_bank_balances_come_from_quickbooks(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                            qb) -> None:
    run(connected, rp)
    basics.bill("Acme Supply", "2024-03-01", [("Repairs", "40.00")], number="Q-1")
    [bill] = basics.bills()
    basics.pay_bill("Acme Supply", bill.findtext("TxnID"), "Checking", "40.00", "2024-03-01")
    later(qb)
    report = run(connected, rp)
    assert report.pulled("bank_balance") == ["Checking -40.00"]
    assert connected.accounts.bank_balance("Checking") == Decimal("-40.00")


def test_new_app_lists_go_to_quickbooks(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                        qb) -> None:
    run(connected, rp)
    connected.accounts.create("Plumbing", parent="Repairs", number="6110")
    connected.departments.create("Crew A", parent="Field")
    connected.vendors.create("Bolt Hardware", email="ar@bolt.example", address="1 Main St", city="Salem",
                             state="MA", postal_code="01970", pay_to_name="Bolt Hardware Inc")
    connected.customers.create("Carter", phone="555-0199")
    later(qb)
    report = run(connected, rp)
    assert report.ok, str(report)
    assert report.pushed("account") == ["Repairs:Plumbing"] and report.pushed("department") == ["Field:Crew A"]
    vendor = basics.get("Vendor", "Bolt Hardware")
    assert vendor is not None and vendor.findtext("NameOnCheck") == "Bolt Hardware Inc"
    assert vendor.findtext("VendorAddress/City") == "Salem" and vendor.findtext("Email") == "ar@bolt.example"
    account = basics.get("Account", "Repairs:Plumbing")
    assert account is not None and account.findtext("AccountNumber") == "6110"
    assert account.findtext("AccountType") == "Expense"
    assert basics.get("Class", "Field:Crew A") is not None
    assert basics.get("Customer", "Carter").findtext("Phone") == "555-0199"
    later(qb)
    again = run(connected, rp)
    assert again.to_quickbooks == {} and again.to_app == {}, str(again)


def test_changes_in_quickbooks_come_to_the_app(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                               qb) -> None:
    run(connected, rp)
    later(qb)
    basics.mod("Vendor", "Acme Supply", "<Name>Acme Supplies</Name><Phone>555-0100</Phone>")
    basics.mod("Customer", "Baker", "<Name>Baker Homes</Name>")
    basics.mod("Class", "Field", "<IsActive>false</IsActive>")
    report = run(connected, rp)
    assert report.pulled("vendor") == ["Acme Supplies"] and report.pulled("department") == ["Field"]
    vendor = connected.vendors.get("Acme Supplies")
    assert vendor.phone == "555-0100" and vendor.company_name == "Acme Supply Co"
    assert not connected.departments.get("Field").is_active
    assert connected.customers.get("Baker Homes:Kitchen").is_job  # a renamed parent renames its jobs


def test_app_changes_send_only_what_changed(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                            qb) -> None:
    run(connected, rp)
    later(qb)
    connected.vendors.update("Acme Supply", city="Worcester", email="pay@acme.example")
    sent: list[str] = []
    rp.hooks["VendorModRq"] = lambda: sent.append("mod")
    report = run(connected, rp)
    assert report.pushed("vendor") == ["Acme Supply"] and sent == ["mod"]
    vendor = basics.get("Vendor", "Acme Supply")
    assert vendor.findtext("VendorAddress/City") == "Worcester" and vendor.findtext("Email") == "pay@acme.example"
    assert vendor.findtext("CompanyName") == "Acme Supply Co"


def test_changes_to_different_fields_on_both_sides_are_merged(basics: QuickBooksUser, connected: syncer.App,
                                                              rp: Processor, qb) -> None:
    run(connected, rp)
    later(qb)
    basics.mod("Vendor", "Acme Supply", "<Phone>555-0100</Phone>")
    connected.vendors.update("Acme Supply", email="pay@acme.example")
    report = run(connected, rp)
    assert report.ok and report.notices == [], str(report)
    vendor = basics.get("Vendor", "Acme Supply")
    assert (vendor.findtext("Phone"), vendor.findtext("Email")) == ("555-0100", "pay@acme.example")
    assert connected.vendors.get("Acme Supply").phone == "555-0100"


@pytest.mark.parametrize(("master", "kept"), [("QuickBooks", "555-0100"), ("app", "555-0200")])
def test_the_same_field_changed_on_both_sides_goes_to_the_master(basics: QuickBooksUser, connected: syncer.App,
                                                                 rp: Processor, qb, master: str, kept: str) -> None:
    connected.configure(conflict_master=master)
    run(connected, rp)
    later(qb)
    basics.mod("Vendor", "Acme Supply", "<Phone>555-0100</Phone>")
    connected.vendors.update("Acme Supply", phone="555-0200")
    report = run(connected, rp)
    [notice] = report.notices
    assert "Update from QuickBooks or Cashflow360" in notice.message and "phone" in notice.message
    assert basics.get("Vendor", "Acme Supply").findtext("Phone") == kept
    assert connected.vendors.get("Acme Supply").phone == kept


def test_a_stale_edit_sequence_is_reread_and_merged(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                                    qb) -> None:
    run(connected, rp)
    later(qb)
    connected.vendors.update("Acme Supply", email="pay@acme.example")
    # Someone changes the vendor in QuickBooks after the sync read it, just before the app's change is sent.
    rp.hooks["VendorModRq"] = lambda: basics.mod("Vendor", "Acme Supply", "<Phone>555-0100</Phone>")
    report = run(connected, rp)
    assert report.ok, str(report)
    assert rp.requests.count("VendorModRq") == 2
    vendor = basics.get("Vendor", "Acme Supply")
    assert (vendor.findtext("Phone"), vendor.findtext("Email")) == ("555-0100", "pay@acme.example")
    assert connected.vendors.get("Acme Supply").phone == "555-0100"


def test_a_vendor_named_like_a_customer_is_a_sync_error_with_the_fix(basics: QuickBooksUser,
                                                                     connected: syncer.App, rp: Processor,
                                                                     qb) -> None:
    run(connected, rp)
    connected.vendors.create("Baker")
    later(qb)
    report = run(connected, rp)
    [error] = report.errors
    assert error.kind == "vendor" and error.name == "Baker"
    assert 'QuickBooks already uses the name "Baker" for a customer, an employee or an other name' in error.message
    assert 'Rename the vendor in Cashflow360 (for example "Baker - Vendor")' in error.message
    assert [e.name for e in connected.sync_errors()] == ["Baker"]
    connected.vendors.update("Baker", name="Baker - Vendor")
    later(qb)
    assert run(connected, rp).pushed("vendor") == ["Baker - Vendor"]
    assert connected.sync_errors() == []


def test_objects_on_both_sides_before_the_first_sync_are_matched_by_name(basics: QuickBooksUser, app: syncer.App,
                                                                         rp: Processor, qb) -> None:
    app.vendors.create("acme supply", email="ap@acme.example")
    syncer.connect(app, rp)
    later(qb)
    report = run(app, rp)
    assert report.ok, str(report)
    assert [v.name for v in app.vendors.list()] == ["Acme Supply"]
    assert len(basics.named("Vendor", "Acme Supply")) == 1


def test_an_object_deleted_in_quickbooks_is_added_again(basics: QuickBooksUser, connected: syncer.App,
                                                         rp: Processor, qb) -> None:
    connected.vendors.create("Short Lived")
    run(connected, rp)
    gone = basics.get("Vendor", "Short Lived")
    basics.ok(f"<ListDelRq><ListDelType>Vendor</ListDelType><ListID>{gone.findtext('ListID')}</ListID></ListDelRq>")
    connected.vendors.update("Short Lived", phone="555-0101")
    later(qb)
    report = run(connected, rp)
    assert "was deleted in QuickBooks" in report.errors[0].message
    later(qb)
    assert run(connected, rp).pushed("vendor") == ["Short Lived"]
    assert basics.get("Vendor", "Short Lived").findtext("Phone") == "555-0101"


def test_items_created_in_the_app_stay_in_the_app(basics: QuickBooksUser, connected: syncer.App, rp: Processor,
                                                  qb) -> None:
    connected.items.create("Consulting", price="80.00")
    report = run(connected, rp)
    assert report.pushed("item") == [] and basics.get("Item", "Consulting") is None
    basics.service_item("Consulting", "90.00", "Sales")
    later(qb)
    run(connected, rp)
    assert [i.full_name for i in connected.items.list()] == ["Consulting", "Labor"]
    assert connected.items.get("Consulting").price == Decimal("90.00")
    with pytest.raises(syncer.NotAllowedError, match="edit it in QuickBooks"):
        connected.items.update("Consulting", price="1.00")


def test_jobs_are_edited_in_quickbooks(basics: QuickBooksUser, connected: syncer.App, rp: Processor) -> None:
    run(connected, rp)
    with pytest.raises(syncer.NotAllowedError, match="jobs are edited in QuickBooks"):
        connected.customers.update("Baker:Kitchen", email="k@example.com")
