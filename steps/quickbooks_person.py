"""A person in QuickBooks: what they add, enter, change, pay and delete in the company file.

Each action is qbXML sent by `steps.quickbooks_user.QuickBooksUser` through a request processor of its own, on the
scenario's present day unless the step names the day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytest_bdd import given, when

from steps.sentences import Sentence
from steps.world import EXPENSE_ACCOUNT, ITEM, World


@given(Sentence('a person in QuickBooks adds the {kind:QuickBooks list} "{name:name}"'))
@when(Sentence('a person in QuickBooks adds the {kind:QuickBooks list} "{name:name}"'))
def adds(world: World, kind: str, name: str) -> None:
    world.today()
    parent, _, own = name.rpartition(":") if kind == "job" else ("", "", name)
    if kind == "job" and not parent:
        raise ValueError(f'A job is added for a customer: name it "Customer:{name}"')
    world.person.add(kind, own, parent=parent or None)


@given(Sentence('a person in QuickBooks adds the job "{job:name}" for the customer "{customer:name}"'))
@when(Sentence('a person in QuickBooks adds the job "{job:name}" for the customer "{customer:name}"'))
def adds_job(world: World, job: str, customer: str) -> None:
    world.today()
    world.person.add("job", job, parent=customer)


@when(Sentence('a person in QuickBooks renames the {kind:QuickBooks list} "{old:name}" to "{new:name}"'))
def renames(world: World, kind: str, old: str, new: str) -> None:
    world.today()
    world.person.rename(kind, old, new)


@when(Sentence('a person in QuickBooks changes the {detail:detail} of the {kind:vendor|customer} "{name:name}" to '
               '"{value:name}"'))
def changes_detail(world: World, detail: str, kind: str, name: str, value: str) -> None:
    world.today()
    world.person.change_detail(kind, name, detail, value)


@when(Sentence('a person in QuickBooks makes the {kind:QuickBooks list} "{name:name}" inactive'))
def makes_inactive(world: World, kind: str, name: str) -> None:
    world.today()
    world.person.make_inactive(kind, name)


@given(Sentence('a person in QuickBooks enters the {record:payable} "{number:number}" from "{vendor:name}" for '
                "{value:money}"))
@when(Sentence('a person in QuickBooks enters the {record:payable} "{number:number}" from "{vendor:name}" for '
               "{value:money}"))
def enters_payable(world: World, record: str, number: str, vendor: str, value: Decimal) -> None:
    world.person.enter_payable(record, number, vendor, value, world.today(), EXPENSE_ACCOUNT)


@given(Sentence('a person in QuickBooks enters the invoice "{number:number}" to "{customer:name}" for {value:money} '
                "dated {dated:date}"))
@when(Sentence('a person in QuickBooks enters the invoice "{number:number}" to "{customer:name}" for {value:money} '
               "dated {dated:date}"))
def enters_invoice(world: World, number: str, customer: str, value: Decimal, dated: date) -> None:
    world.today()
    world.person.enter_invoice(number, customer, value, dated, ITEM)


@given(Sentence('on {entered:date} a person in QuickBooks entered the invoice "{number:number}" to "{customer:name}" '
                "for {value:money} dated {dated:date}"))
def entered_invoice_on(world: World, entered: date, number: str, customer: str, value: Decimal, dated: date) -> None:
    world.on(entered)
    world.person.enter_invoice(number, customer, value, dated, ITEM)


@when(Sentence('a person in QuickBooks changes the amount of the {record:record} "{number:number}" to {value:money}'))
def changes_amount(world: World, record: str, number: str, value: Decimal) -> None:
    world.today()
    world.person.change_amount(record, number, value)


@when(Sentence('a person in QuickBooks pays the bill "{number:number}" from the bank account "{bank:name}"'))
def pays_bill(world: World, number: str, bank: str) -> None:
    world.person.pay_bill(number, bank, world.today())


@when(Sentence('a person in QuickBooks deletes the payment of the bill "{number:number}"'))
def deletes_payment(world: World, number: str) -> None:
    world.today()
    assert world.person.delete_bill_payments(number) > 0, f"QuickBooks has no payment of bill {number}"


@when(Sentence('a person in QuickBooks writes a check for {value:money} from the bank account "{bank:name}"'))
def writes_check(world: World, value: Decimal, bank: str) -> None:
    world.person.write_check(bank, value, world.today(), EXPENSE_ACCOUNT)


@given(Sentence('a person in QuickBooks {choice:selects|clears} To be emailed on the invoice "{number:number}"'))
def to_be_emailed(world: World, choice: str, number: str) -> None:
    world.today()
    world.person.set_to_be_emailed(number, choice == "selects")


@when(Sentence('a person in QuickBooks receives a payment of {value:money} for the invoice "{number:number}"'))
def receives_payment(world: World, value: Decimal, number: str) -> None:
    world.person.receive_payment(number, value, world.today())


@given(Sentence('a person in QuickBooks applies a credit memo of {value:money} to the invoice "{number:number}"'))
@when(Sentence('a person in QuickBooks applies a credit memo of {value:money} to the invoice "{number:number}"'))
def applies_credit_memo(world: World, value: Decimal, number: str) -> None:
    world.person.apply_credit_memo(number, value, world.today(), ITEM)


@when(Sentence('a person in QuickBooks deletes the {record:bill|invoice} "{number:number}"'))
def deletes(world: World, record: str, number: str) -> None:
    world.today()
    world.person.delete(record, number)
