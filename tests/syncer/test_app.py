"""The app's own rules: what a person may do in Cashflow360 / Key CashFlow, with clear messages, nothing half-done."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import syncer
from syncer import AppError, DuplicateError, InvalidInputError, NotAllowedError, NotFoundError


@pytest.fixture
def books(app: syncer.App) -> syncer.App:
    app.accounts.create("Checking", "Bank")
    app.accounts.create("Repairs", "Expense")
    app.accounts.create("Accounts Payable", "Accounts Payable")
    app.vendors.create("Acme Supply", email="ap@acme.example")
    app.customers.create("Baker", email="baker@example.com")
    app.items.create("Labor", price="50.00")
    app.configure(bank_account="Checking")
    return app


def test_the_app_keeps_its_data_in_its_own_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    first = syncer.App(url, brand="Key CashFlow")
    first.vendors.create("Acme Supply")
    first.close()
    again = syncer.App(url)
    assert [v.name for v in again.vendors.list()] == ["Acme Supply"] and again.brand == "Key CashFlow"
    again.close()


def test_settings_have_the_documented_defaults(app: syncer.App) -> None:
    settings = app.settings
    assert (settings.brand, settings.two_way_bill_sync, settings.conflict_master) == ("Cashflow360", False,
                                                                                      "QuickBooks")
    assert settings.account_created_on == date.today() and not settings.connected


def test_settings_are_checked(books: syncer.App) -> None:
    with pytest.raises(InvalidInputError, match="brand"):
        books.configure(brand="PayMaker")
    with pytest.raises(InvalidInputError, match="AccountsPayable"):
        books.configure(ap_account="Checking")
    with pytest.raises(NotFoundError, match='no account "Nope"'):
        books.configure(bank_account="Nope")
    books.two_way_bill_sync = True
    books.account_created_on = date(2019, 1, 2)
    assert books.settings.two_way_bill_sync and books.account_created_on == date(2019, 1, 2)


def test_recording_funds_transfers_creates_the_clearing_account(books: syncer.App) -> None:
    books.brand = "Key CashFlow"
    settings = books.configure(record_funds_transfer=True)
    assert settings.clearing_account.full_name == "Key CashFlow Money Out Clearing"
    assert settings.clearing_account.account_type == "Bank"


@pytest.mark.parametrize(("name", "message"), [
    ("", "needs a name"),
    ("A" * 42, "at most 41 characters"),
    ("Smith:Jones", "cannot contain a colon"),
])
def test_vendor_names_follow_quickbooks_rules(app: syncer.App, name: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        app.vendors.create(name)
    assert app.vendors.list() == []


def test_names_are_unique_in_a_list(books: syncer.App) -> None:
    with pytest.raises(DuplicateError, match='A vendor named "acme supply" already exists'):
        books.vendors.create("acme supply")
    with pytest.raises(InvalidInputError, match="at most 31"):
        books.accounts.create("An account name that is far too long", "Expense")


def test_sub_accounts_have_their_parents_type(books: syncer.App) -> None:
    sub = books.accounts.create("Plumbing", parent="Repairs")
    assert (sub.full_name, sub.account_type) == ("Repairs:Plumbing", "Expense")
    with pytest.raises(InvalidInputError, match="type of its parent"):
        books.accounts.create("Cash", "Bank", parent="Repairs")
    renamed = books.accounts.update("Repairs", name="Maintenance")
    assert renamed.full_name == "Maintenance"
    assert books.accounts.get("Maintenance:Plumbing").name == "Plumbing"


def test_jobs_come_from_quickbooks(books: syncer.App) -> None:
    with pytest.raises(NotAllowedError, match="Jobs are created in QuickBooks"):
        books.customers.create("Kitchen", parent="Baker")


def test_a_bill_has_lines_with_account_department_job_and_billable(books: syncer.App) -> None:
    books.departments.create("Field")
    bill = books.bills.create("Acme Supply", number="A-17", date="2024-03-01", due_date="2024-03-31", lines=[
        {"account": "Repairs", "amount": "120.00", "memo": "pipes", "department": "Field", "customer": "Baker",
         "billable": True},
        {"account": "Repairs", "amount": "-20.00"}])
    assert bill.amount == Decimal("100.00") and bill.status == "Open" and bill.approval_status == "Unassigned"
    assert (bill.lines[0].department.name, bill.lines[0].customer.name, bill.lines[0].billable) == (
        "Field", "Baker", True)
    assert books.bills.request_approval("A-17").approval_status == "Waiting for approval"
    assert books.bills.approve("A-17").approval_status == "Approved"


@pytest.mark.parametrize(("lines", "message"), [
    ([{"account": "Repairs", "amount": "-1.00"}], "negative lines are allowed as long as the total is not"),
    ([{"account": "Repairs", "amount": "1.005"}], "more than two decimals"),
    ([{"account": "Repairs", "amount": "10", "billable": True}], "billable but has no customer"),
    ([{"account": "Nowhere", "amount": "10"}], 'no account "Nowhere"'),
    ([], "at least one line"),
])
def test_bad_bills_are_refused_and_nothing_is_saved(books: syncer.App, lines: list, message: str) -> None:
    with pytest.raises(AppError, match=message):
        books.bills.create("Acme Supply", number="X", date="2024-03-01", lines=lines)
    assert books.bills.list() == []


def test_an_inactive_account_cannot_be_used(books: syncer.App) -> None:
    books.accounts.update("Repairs", is_active=False)
    with pytest.raises(NotAllowedError, match=r'The account "Repairs" is inactive.*reactivate it'):
        books.bills.create("Acme Supply", date="2024-03-01", account="Repairs", amount="5")


def test_a_paid_bill_keeps_its_vendor_and_amount(books: syncer.App) -> None:
    books.vendors.create("Other Vendor")
    bill = books.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100")
    books.bill_payments.create(bill, amount="40", date="2024-03-02")
    with pytest.raises(NotAllowedError, match="its amount can no longer change"):
        books.bills.update("A-1", amount="90")
    with pytest.raises(NotAllowedError, match="its vendor can no longer change"):
        books.bills.update("A-1", vendor="Other Vendor")
    assert books.bills.update("A-1", memo="split later").memo == "split later"
    assert books.bills.get("A-1").status == "Partially paid"


def test_a_payment_pays_bills_of_one_vendor_up_to_what_is_due(books: syncer.App) -> None:
    books.vendors.create("Other Vendor")
    a = books.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100")
    b = books.bills.create("Other Vendor", number="B-1", date="2024-03-01", account="Repairs", amount="100")
    with pytest.raises(InvalidInputError, match="bills of one vendor"):
        books.bill_payments.create({a: "10", b: "10"}, date="2024-03-02")
    with pytest.raises(InvalidInputError, match=r"100\.00 due; 150\.00 is too much"):
        books.bill_payments.create(a, amount="150", date="2024-03-02")
    with pytest.raises(InvalidInputError, match="not a bank account"):
        books.bill_payments.create(a, date="2024-03-02", bank_account="Repairs")
    assert books.bill_payments.list() == [] and books.bills.get("A-1").balance_due == Decimal("100.00")


def test_a_partial_credit_waits_for_the_payment_that_pays_the_rest(books: syncer.App) -> None:
    bill = books.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100")
    credit = books.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                         amount="30")
    application = books.vendor_credits.apply(credit, bill)
    assert application.amount == Decimal("30.00") and application.payment_id is None
    partial = books.bill_payments.create(bill, amount="20", date="2024-03-02")
    assert partial.credits == []
    rest = books.bill_payments.create(bill, date="2024-03-03")
    assert rest.amount == Decimal("50.00") and [c.amount for c in rest.credits] == [Decimal("30.00")]
    assert books.bills.get("A-1").status == "Paid"


def test_a_credit_covering_the_whole_bill_makes_a_zero_payment(books: syncer.App) -> None:
    bill = books.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="30")
    credit = books.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-02", account="Repairs",
                                         amount="50")
    books.vendor_credits.apply(credit, bill)
    [payment] = books.bill_payments.list()
    assert payment.amount == Decimal("0.00") and payment.date == date(2024, 3, 2)
    assert [c.amount for c in payment.credits] == [Decimal("30.00")]
    assert books.vendor_credits.get("C-1").remaining == Decimal("20.00")


def test_a_payment_can_apply_credits(books: syncer.App) -> None:
    bill = books.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100")
    books.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs", amount="30")
    books.vendor_credits.create("Acme Supply", number="C-2", date="2024-03-01", account="Repairs", amount="100")
    payment = books.bill_payments.create(bill, date="2024-03-02", credits={"C-1": "30"})
    assert payment.amount == Decimal("70.00") and [c.amount for c in payment.credits] == [Decimal("30.00")]
    other = books.bills.create("Acme Supply", number="A-2", date="2024-03-01", account="Repairs", amount="40")
    zero = books.bill_payments.create(other, date="2024-03-02", credits=[("C-2", "A-2", "40")])
    assert zero.amount == Decimal("0.00") and books.bills.get("A-2").status == "Paid"
    assert books.vendor_credits.get("C-2").remaining == Decimal("60.00")


def test_a_credit_applies_to_its_vendors_bills_only(books: syncer.App) -> None:
    books.vendors.create("Other Vendor")
    bill = books.bills.create("Other Vendor", number="B-1", date="2024-03-01", account="Repairs", amount="30")
    credit = books.vendor_credits.create("Acme Supply", number="C-1", date="2024-03-01", account="Repairs",
                                         amount="50")
    with pytest.raises(InvalidInputError, match="only to bills of its vendor"):
        books.vendor_credits.apply(credit, bill)


def test_the_days_withdrawals_add_up_to_one_lump_sum_transfer(books: syncer.App) -> None:
    for number in ("A-1", "A-2", "A-3"):
        books.bills.create("Acme Supply", number=number, date="2024-03-01", account="Repairs", amount="100")
        payment = books.bill_payments.create(number, date="2024-03-05")
        assert payment.payment_account.name == "Cashflow360 Money Out Clearing"
    books.bill_payments.create(books.bills.create("Acme Supply", number="A-4", date="2024-03-01", account="Repairs",
                                                  amount="10"), date="2024-03-05", method="offline")
    assert books.funds_transfers.list() == []
    books.bill_payments.withdraw("A-1", "A-2", "A-4")
    [transfer] = books.bill_payments.withdraw("A-3", "A-1")
    assert transfer.amount == Decimal("300.00") and transfer.date == date(2024, 3, 5)
    assert (transfer.from_account.name, transfer.to_account.name) == ("Checking", "Cashflow360 Money Out Clearing")
    assert len(books.funds_transfers.list()) == 1


def test_without_funds_transfers_payments_post_from_the_bank(books: syncer.App) -> None:
    books.configure(record_funds_transfer=False)
    books.bills.create("Acme Supply", number="A-1", date="2024-03-01", account="Repairs", amount="100")
    assert books.bill_payments.create("A-1", date="2024-03-05").payment_account.name == "Checking"
    assert books.bill_payments.withdraw("A-1") == []


def test_bill_lines_without_an_account_go_to_unallocated_expenses(books: syncer.App) -> None:
    bill = books.bills.create("Acme Supply", number="A-1", date="2024-03-01", amount="1250.00")
    assert (bill.lines[0].account.name, bill.lines[0].account.account_type) == ("Unallocated Expenses", "Expense")
    assert books.bills.update("A-1", amount="1310.00").amount == Decimal("1310.00")
    billable = books.bills.make_billable("A-1", "Baker")
    assert billable.lines[0].customer.name == "Baker" and billable.lines[0].billable


def test_invoices_are_numbered_after_the_newest(books: syncer.App) -> None:
    first = books.invoices.create("Baker", date="2024-03-01", lines=[{"item": "Labor", "quantity": "3"}])
    assert (first.number, first.amount, first.status) == ("1001", Decimal("150.00"), "Open")
    books.invoices.create("Baker", number="INV-0099", date="2024-03-01", item="Labor", amount="10")
    assert books.invoices.next_number() == "INV-0100"
    with pytest.raises(DuplicateError, match="1001 is already used"):
        books.invoices.create("Baker", number="1001", date="2024-03-01", item="Labor", amount="10")


def test_invoice_lines_with_an_amount_need_an_item(books: syncer.App) -> None:
    with pytest.raises(InvalidInputError, match="Line 1 needs an item"):
        books.invoices.create("Baker", date="2024-03-01", amount="2400.00")
    invoice = books.invoices.create("Baker", date="2024-03-01", lines=[{"item": "Labor", "amount": "2400.00"},
                                                                       {"description": "Thank you"}])
    assert invoice.amount == Decimal("2400.00") and invoice.lines[1].amount == Decimal("0.00")
    assert books.invoices.update(invoice.number, lines=[{"item": "Labor", "amount": "2500"}]).amount == \
        Decimal("2500.00")


def test_to_be_emailed_needs_the_customers_email(books: syncer.App) -> None:
    books.customers.create("No Mail")
    with pytest.raises(InvalidInputError, match="no email address"):
        books.invoices.create("No Mail", date="2024-03-01", item="Labor", amount="10", to_be_emailed=True)


def test_an_app_invoice_can_be_edited_and_emailed(books: syncer.App) -> None:
    books.invoices.create("Baker", date="2024-03-01", item="Labor", amount="10")
    assert books.invoices.update("1001", memo="thanks").memo == "thanks"
    emailed = books.invoices.email("1001")
    assert emailed.emailed_to == "baker@example.com" and emailed.emailed_at is not None


def test_invoice_payments_lower_the_amount_due(books: syncer.App) -> None:
    books.invoices.create("Baker", date="2024-03-01", item="Labor", amount="100")
    payment = books.invoice_payments.create("1001", amount="40", date="2024-03-05", reference="CHK 12")
    assert payment.amount == Decimal("40.00")
    invoice = books.invoices.get("1001")
    assert (invoice.balance_due, invoice.status) == (Decimal("60.00"), "Partially paid")
    with pytest.raises(InvalidInputError, match=r"60\.00 due; 70\.00 is too much"):
        books.invoice_payments.create("1001", amount="70", date="2024-03-06")
    with pytest.raises(InvalidInputError, match="both its number and the amount"):
        books.invoice_payments.create([{"invoice": "1001", "amount": "10", "credit_memo": "CM-1"}],
                                      date="2024-03-06")


def test_objects_are_found_by_id_name_or_object(books: syncer.App) -> None:
    vendor = books.vendors.get("acme supply")
    assert books.vendors.get(vendor.id).name == books.vendors.get(vendor).name == "Acme Supply"
    assert books.vendors.find("Nobody") is None
    with pytest.raises(NotFoundError, match='no vendor "Nobody"'):
        books.vendors.get("Nobody")


def test_sync_needs_a_connection(app: syncer.App) -> None:
    with pytest.raises(syncer.NotConnectedError, match="Connect Cashflow360 to QuickBooks first"):
        syncer.sync(app, object())


def test_a_closed_in_memory_app_leaves_its_engine_to_the_next_one_empty() -> None:
    first = syncer.App("sqlite://")
    first.vendors.create("Acme Supply")
    engine = first.engine
    first.close()
    second = syncer.App("sqlite://")
    try:
        assert second.engine is engine
        assert second.vendors.list() == [] and second.brand == "Cashflow360"
    finally:
        second.close()


def test_names_and_numbers_are_found_whatever_their_case(app: syncer.App) -> None:
    app.vendors.create("Straße Bau")
    assert app.vendors.get("STRASSE BAU").name == "Straße Bau"
    with pytest.raises(syncer.DuplicateError):
        app.vendors.create("strasse bau")
