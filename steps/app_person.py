"""A person in the app, and the app's own processing: everything through `syncer.App`'s operations.

What a person does in the app happens on the scenario's present day. A refusal (`syncer.AppError`) fails the step
with the app's message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pytest_bdd import given, when

from steps.sentences import Sentence
from steps.world import ITEM, World


def collection(world: World, kind: str) -> Any:
    """The app's list of that kind (`bank account`s are accounts, `job`s customers)."""
    app = world.app
    return {"account": app.accounts, "bank account": app.accounts, "department": app.departments,
            "vendor": app.vendors, "customer": app.customers, "job": app.customers, "item": app.items,
            "bill": app.bills, "vendor credit": app.vendor_credits, "invoice": app.invoices}[kind]


@given(Sentence('a person in the app adds the {kind:app list} "{name:name}"'))
@when(Sentence('a person in the app adds the {kind:app list} "{name:name}"'))
def adds(world: World, kind: str, name: str) -> None:
    world.today()
    if kind in ("account", "bank account"):
        world.app.accounts.create(name, account_type="Bank" if kind == "bank account" else "Expense")
    elif kind == "job":
        customer, _, job = name.rpartition(":")
        world.app.customers.create(job, parent=customer or None)
    else:
        collection(world, kind).create(name)


@when(Sentence('a person in the app renames the {kind:app list} "{old:name}" to "{new:name}"'))
def renames(world: World, kind: str, old: str, new: str) -> None:
    world.today()
    collection(world, kind).update(old, name=new)


#: A detail of a vendor or customer -> its field in the app.
DETAIL_FIELDS = {"company name": "company_name", "phone": "phone", "e-mail": "email", "address": "address"}


@when(Sentence('a person in the app changes the {detail:detail} of the {kind:vendor|customer} "{name:name}" to '
               '"{value:name}"'))
def changes_detail(world: World, detail: str, kind: str, name: str, value: str) -> None:
    world.today()
    collection(world, kind).update(name, **{DETAIL_FIELDS[detail]: value})


@when(Sentence('a person in the app makes the {kind:app list} "{name:name}" inactive'))
def makes_inactive(world: World, kind: str, name: str) -> None:
    world.today()
    found = world.app_shows(kind, name)
    assert found is not None, f'the app has no {kind} "{name}"'
    collection(world, kind).update(found.id, is_active=False)


@given(Sentence('a person in the app creates the {record:payable} "{number:number}" from "{vendor:name}" for '
                "{value:money}"))
@when(Sentence('a person in the app creates the {record:payable} "{number:number}" from "{vendor:name}" for '
               "{value:money}"))
def creates_payable(world: World, record: str, number: str, vendor: str, value: Decimal) -> None:
    collection(world, record).create(vendor, number=number, date=world.today(), amount=value)


@given(Sentence('a person in the app creates the invoice "{number:number}" to "{customer:name}" for {value:money} '
                "dated {dated:date}"))
@when(Sentence('a person in the app creates the invoice "{number:number}" to "{customer:name}" for {value:money} '
               "dated {dated:date}"))
def creates_invoice(world: World, number: str, customer: str, value: Decimal, dated: date) -> None:
    world.today()
    world.app.invoices.create(customer, number=number, date=dated, item=ITEM, amount=value)


@when(Sentence('a person in the app changes the amount of the {record:record} "{number:number}" to {value:money}'))
def changes_amount(world: World, record: str, number: str, value: Decimal) -> None:
    world.today()
    collection(world, record).update(number, amount=value)


@given(Sentence('a person in the app approves the bill "{number:number}"'))
@when(Sentence('a person in the app approves the bill "{number:number}"'))
def approves(world: World, number: str) -> None:
    world.today()
    world.app.bills.approve(number)


@when(Sentence('a person in the app marks the bill "{number:number}" billable to the customer "{customer:name}"'))
def marks_billable(world: World, number: str, customer: str) -> None:
    world.today()
    world.app.bills.make_billable(number, customer)


@given(Sentence('a person in the app pays the bill "{number:number}" from the bank account "{bank:name}"'))
@when(Sentence('a person in the app pays the bill "{number:number}" from the bank account "{bank:name}"'))
def pays_bill(world: World, number: str, bank: str) -> None:
    world.app.bill_payments.create(number, date=world.today(), bank_account=bank)


@when(Sentence('on {day:date} a person in the app pays the bill "{number:number}" from the bank account "{bank:name}"'))
def pays_bill_on(world: World, day: date, number: str, bank: str) -> None:
    """The payment's date is the day it is paid, whatever day it is entered."""
    world.today()
    world.app.bill_payments.create(number, date=day, bank_account=bank)


@when(Sentence('a person in the app records a payment of {value:money} for the invoice "{number:number}"'))
def records_payment(world: World, value: Decimal, number: str) -> None:
    world.app.invoice_payments.create(number, date=world.today(), amount=value)


@when(Sentence('on {day:date} a person in the app records a payment of {value:money} for the invoice '
               '"{number:number}"'))
def records_payment_on(world: World, day: date, value: Decimal, number: str) -> None:
    """The payment's date is the day it was received, whatever day it is entered."""
    world.today()
    world.app.invoice_payments.create(number, date=day, amount=value)


@given(Sentence('the bill "{number:number}" is waiting for approval in the app'))
def waiting_for_approval(world: World, number: str) -> None:
    world.app.bills.request_approval(number)


@when(Sentence('on {day:date} the app withdraws the money for the bill "{number:number}"'))
def withdraws_on(world: World, day: date, number: str) -> None:
    """The app processes the payment that day: the money leaves the payment's bank account."""
    world.today()
    assert world.app.bill_payments.withdraw(number, on=day), f"the app withdrew nothing for bill {number}"
