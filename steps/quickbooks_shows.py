"""What QuickBooks shows: what a person finds in the company file, read through qbXML queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytest_bdd import then

from steps.quickbooks_user import TXN_TYPES, detail_path, money
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


@then(Sentence('QuickBooks shows the {detail:detail} of the {kind:vendor|customer} "{name:name}" as "{value:name}"'))
def shows_detail(world: World, detail: str, kind: str, name: str, value: str) -> None:
    found = world.person.find(kind, name)
    assert found is not None, f'QuickBooks has no {kind} "{name}"' + world.last_report()
    actual = found.findtext(detail_path(kind, detail))
    assert actual == value, f'QuickBooks shows the {detail} of the {kind} "{name}" as {actual!r}' + world.last_report()


@then(Sentence('QuickBooks shows the {kind:QuickBooks list} "{name:name}" as inactive'))
def shows_inactive(world: World, kind: str, name: str) -> None:
    found = world.person.find(kind, name)
    assert found is not None, f'QuickBooks has no {kind} "{name}"' + world.last_report()
    assert found.findtext("IsActive") == "false", f'QuickBooks shows the {kind} "{name}" as active' + \
        world.last_report()


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


@then(Sentence('QuickBooks shows a funds transfer of {value:money} from the bank account "{bank:name}" to the '
              'account "{to:name}"'))
def shows_transfer(world: World, value: Decimal, bank: str, to: str) -> None:
    to = world.named(to)
    transfers = [(money(t, "Amount"), t.findtext("TransferToAccountRef/FullName"))
                 for t in world.person.transfers_from(bank)]
    assert (value, to) in transfers, \
        f'QuickBooks shows transfers from "{bank}" (amount, to): {transfers}' + world.last_report()


@then(Sentence('QuickBooks shows the funds transfer from the bank account "{bank:name}" dated {day:date}'))
def shows_transfer_date(world: World, bank: str, day: date) -> None:
    dates = [t.findtext("TxnDate") for t in world.person.transfers_from(bank)]
    assert dates == [day.isoformat()], f'QuickBooks shows transfers from "{bank}" dated {dates}' + world.last_report()


@then(Sentence('QuickBooks shows a bill payment by check of {value:money} for the bill "{number:number}" from the '
              'account "{account:name}"'))
def shows_bill_payment(world: World, value: Decimal, number: str, account: str) -> None:
    account = world.named(account)
    payments = [(p.tag.removesuffix("Ret"), money(p, "Amount"), p.findtext("BankAccountRef/FullName"))
                for p in world.person.payments_of("bill", number)]
    assert payments == [("BillPaymentCheck", value, account)], \
        f"QuickBooks shows these payments of bill {number} (type, amount, from): {payments}" + world.last_report()


@then(Sentence('QuickBooks shows a received payment of {value:money} for the invoice "{number:number}" deposited to '
              'the account "{account:name}"'))
def shows_received_payment(world: World, value: Decimal, number: str, account: str) -> None:
    account = world.named(account)
    payments = [(p.tag.removesuffix("Ret"), money(p, "TotalAmount"), p.findtext("DepositToAccountRef/FullName"))
                for p in world.person.payments_of("invoice", number)]
    assert payments == [("ReceivePayment", value, account)], \
        f"QuickBooks shows these payments of invoice {number} (type, amount, deposited to): {payments}" + \
        world.last_report()


@then(Sentence('QuickBooks shows the payment of the {record:bill|invoice} "{number:number}" dated {day:date}'))
def shows_payment_date(world: World, record: str, number: str, day: date) -> None:
    dates = [p.findtext("TxnDate") for p in world.person.payments_of(record, number)]
    assert dates == [day.isoformat()], f"QuickBooks shows the payments of {record} {number} dated {dates}" + \
        world.last_report()


@then(Sentence('QuickBooks shows the invoice "{number:number}" dated {day:date}'))
def shows_date(world: World, number: str, day: date) -> None:
    dated = world.person.one("invoice", number).findtext("TxnDate")
    assert dated == day.isoformat(), f"QuickBooks shows invoice {number} dated {dated}" + world.last_report()
