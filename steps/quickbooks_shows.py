"""What QuickBooks shows: what a person finds in the company file, read through qbXML queries."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import then

from steps.quickbooks_user import TXN_TYPES, money
from steps.sentences import Sentence
from steps.world import World


def _open(record: str) -> str:
    return {"bill": "OpenAmount", "invoice": "BalanceRemaining", "vendor credit": "OpenAmount"}[record]


@then(Sentence('QuickBooks shows the {kind:QuickBooks list} "{name:name}"'))
def shows(world: World, kind: str, name: str) -> None:
    assert world.person.find(kind, name) is not None, f'QuickBooks has no {kind} "{name}"' + world.last_report()


@then(Sentence('QuickBooks does not show the {kind:QuickBooks list} "{name:name}"'))
def does_not_show(world: World, kind: str, name: str) -> None:
    assert world.person.find(kind, name) is None, f'QuickBooks has the {kind} "{name}"' + world.last_report()


@then(Sentence('QuickBooks shows the {kind:record} "{number:number}" for {value:money}'))
def shows_amount(world: World, kind: str, number: str, value: Decimal) -> None:
    found = world.person.one(kind, number)
    total = money(found, TXN_TYPES[kind][3])
    assert total == value, f"QuickBooks shows {kind} {number} for {total}" + world.last_report()


@then(Sentence('QuickBooks shows the {kind:record} "{number:number}" as {status:status}'))
def shows_status(world: World, kind: str, number: str, status: str) -> None:
    assert status != "waiting for approval", "approvals stay in the app: QuickBooks has no approval status"
    found = world.person.one(kind, number)
    total, left = money(found, TXN_TYPES[kind][3]), money(found, _open(kind))
    actual = "paid" if left <= 0 else "open" if left == total else "partially paid"
    assert actual == status, f"QuickBooks shows {kind} {number} as {actual} ({left} of {total} open)" + \
        world.last_report()


@then(Sentence('QuickBooks shows the invoice "{number:number}" with {value:money} due'))
def shows_due(world: World, number: str, value: Decimal) -> None:
    due = money(world.person.one("invoice", number), "BalanceRemaining")
    assert due == value, f"QuickBooks shows {due} due on invoice {number}" + world.last_report()


@then(Sentence('QuickBooks shows only one invoice "{number:number}"'))
def shows_only_one(world: World, number: str) -> None:
    found = world.person.numbered("invoice", number)
    assert len(found) == 1, f'QuickBooks has {len(found)} invoices "{number}"' + world.last_report()


@then(Sentence('QuickBooks shows the bill "{number:number}" as billable to the customer "{customer:name}"'))
def shows_billable(world: World, number: str, customer: str) -> None:
    lines = world.person.one("bill", number).findall("ExpenseLineRet")
    billable = [(line.findtext("CustomerRef/FullName"), line.findtext("BillableStatus")) for line in lines]
    assert billable and all(pair == (customer, "Billable") for pair in billable), \
        f"bill {number}'s lines in QuickBooks (customer, billable status): {billable}" + world.last_report()


@then(Sentence('QuickBooks shows a funds transfer of {value:money} from the bank account "{bank:name}"'))
def shows_transfer(world: World, value: Decimal, bank: str) -> None:
    amounts = [money(t, "Amount") for t in world.person.transfers_from(bank)]
    assert value in amounts, f'QuickBooks shows transfers from "{bank}" of {amounts}' + world.last_report()
