"""What the app shows: its lists, bills, vendor credits and invoices, bank balances, sync errors, and what a person
may do with an invoice. Read through `syncer.App`'s operations only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pytest_bdd import then

import syncer
from steps.app_person import DETAIL_FIELDS, collection
from steps.sentences import ACCOUNT_TYPES, ITEM_TYPES, Sentence
from steps.world import World

APPROVAL_WAITING = "Waiting for approval"


def record(world: World, kind: str, number: str) -> Any:
    found = collection(world, kind).find(number)
    assert found is not None, f'the app does not show the {kind} "{number}"' + world.last_report()
    return found


def names(world: World, kind: str) -> list[str]:
    return [getattr(x, "full_name", None) or x.name for x in collection(world, kind).list()]


@then(Sentence('the app shows the {kind:app list} "{name:name}"'))
def shows(world: World, kind: str, name: str) -> None:
    assert world.app_shows(kind, name) is not None, \
        f'the app shows no {kind} "{name}"; it shows {names(world, kind)}' + world.last_report()


@then(Sentence('the app does not show the {kind:app list} "{name:name}"'))
def does_not_show(world: World, kind: str, name: str) -> None:
    assert world.app_shows(kind, name) is None, f'the app shows the {kind} "{name}"' + world.last_report()


@then(Sentence('the app shows the {detail:detail} of the {kind:vendor|customer} "{name:name}" as "{value:name}"'))
def shows_detail(world: World, detail: str, kind: str, name: str, value: str) -> None:
    found = world.app_shows(kind, name)
    assert found is not None, f'the app shows no {kind} "{name}"' + world.last_report()
    actual = getattr(found, DETAIL_FIELDS[detail])
    assert actual == value, f'the app shows the {detail} of the {kind} "{name}" as {actual!r}' + world.last_report()


@then(Sentence('the app shows the account "{name:name}" with the type {kind:account type}'))
def shows_account_type(world: World, name: str, kind: str) -> None:
    found = world.app_shows("account", name)
    assert found is not None, f'the app shows no account "{name}"' + world.last_report()
    assert found.account_type == ACCOUNT_TYPES[kind], \
        f'the app shows the account "{name}" with the type {found.account_type}' + world.last_report()


@then(Sentence('the app shows the item "{name:name}" with the type {kind:item type}'))
def shows_item_type(world: World, name: str, kind: str) -> None:
    found = world.app_shows("item", name)
    assert found is not None, f'the app shows no item "{name}"' + world.last_report()
    assert found.item_type == ITEM_TYPES[kind], \
        f'the app shows the item "{name}" with the type {found.item_type}' + world.last_report()


@then(Sentence('the app shows the {kind:app list} "{name:name}" as inactive'))
def shows_inactive(world: World, kind: str, name: str) -> None:
    found = world.app_shows(kind, name)
    assert found is not None, f'the app shows no {kind} "{name}"' + world.last_report()
    assert found.is_active is False, f'the app shows the {kind} "{name}" as active' + world.last_report()


@then(Sentence('the app shows the job "{job:name}" for the customer "{customer:name}"'))
def shows_job(world: World, job: str, customer: str) -> None:
    jobs = [c.name for c in world.app.customers.jobs(customer)]
    assert job in jobs, f'the app shows the jobs {jobs} for "{customer}"' + world.last_report()


@then(Sentence('the app [still] shows the {kind:record} "{number:number}" for {value:money}'))
def shows_amount(world: World, kind: str, number: str, value: Decimal) -> None:
    found = record(world, kind, number)
    assert found.amount == value, f"the app shows {kind} {number} for {found.amount}" + world.last_report()


@then(Sentence('the app does not show the {kind:record} "{number:number}"'))
def does_not_show_record(world: World, kind: str, number: str) -> None:
    assert collection(world, kind).find(number) is None, f'the app shows the {kind} "{number}"' + world.last_report()


@then(Sentence('the app [still] shows the {kind:record} "{number:number}" as {status:status}'))
def shows_status(world: World, kind: str, number: str, status: str) -> None:
    found = record(world, kind, number)
    if status == "waiting for approval":
        assert kind == "bill", f"only bills wait for approval, not a {kind}"
        actual = found.approval_status
        assert actual == APPROVAL_WAITING, f"the app shows bill {number} as {actual}" + world.last_report()
    else:
        assert kind != "vendor credit", "a vendor credit is not open or paid"
        assert found.status.lower() == status, f"the app shows {kind} {number} as {found.status}" + world.last_report()


@then(Sentence('the app shows the invoice "{number:number}" with {value:money} due'))
def shows_due(world: World, number: str, value: Decimal) -> None:
    found = record(world, "invoice", number)
    assert found.balance_due == value, f"the app shows {found.balance_due} due on invoice {number}" + \
        world.last_report()


@then(Sentence('the app shows the invoice "{number:number}" dated {day:date}'))
def shows_date(world: World, number: str, day: date) -> None:
    found = record(world, "invoice", number)
    assert found.date == day, f"the app shows invoice {number} dated {found.date}" + world.last_report()


@then(Sentence('the app shows a bank balance of {value:money} for "{bank:name}" when paying bills'))
def shows_bank_balance(world: World, value: Decimal, bank: str) -> None:
    balance = world.app.accounts.bank_balance(bank)
    assert balance == value, f'the app shows a balance of {balance} for "{bank}"' + world.last_report()


def sync_errors(world: World, number: str) -> list[str]:
    """The app's sync errors about an invoice or its payments."""
    about: list[str] = []
    for issue in world.app.sync_errors():
        if (issue.kind == "invoice" and issue.name == number) or \
                (issue.kind == "invoice_payment" and f"invoice {number}" in issue.message):
            about.append(f"{issue.kind} {issue.name}: {issue.message}")
    return about


@then(Sentence('the app shows a duplicate error for the invoice "{number:number}"'))
def shows_duplicate(world: World, number: str) -> None:
    errors = [e for e in world.app.sync_errors() if e.kind == "invoice" and e.name == number]
    assert errors, f"the app shows no sync error for invoice {number}" + world.last_report()
    message = errors[0].message
    assert "already exists in QuickBooks" in message and world.brand in message, message


@then(Sentence('the app\'s sync error for the {about:invoice|payment of the invoice} "{number:number}" says '
              '"{text:name}"'))
def sync_error_says(world: World, about: str, number: str, text: str) -> None:
    """The advice a sync error gives: its message contains the text ("{app}" for the brand's name)."""
    kind = "invoice" if about == "invoice" else "invoice_payment"
    messages = [e.message for e in world.app.sync_errors() if e.kind == kind and
                (e.name == number if kind == "invoice" else f"invoice {number}" in e.message)]
    assert messages, f"the app shows no sync error for the {about} {number}" + world.last_report()
    expected = world.named(text)
    assert any(expected in m for m in messages), f"the app's sync error says: {messages}"


@then(Sentence('the app shows a sync error for the payment of the invoice "{number:number}"'))
def shows_payment_error(world: World, number: str) -> None:
    errors = [e for e in world.app.sync_errors() if e.kind == "invoice_payment" and f"invoice {number}" in e.message]
    assert errors, f"the app shows no sync error for a payment of invoice {number}" + world.last_report()


@then(Sentence('the app shows no error for the invoice "{number:number}"'))
def shows_no_error(world: World, number: str) -> None:
    assert sync_errors(world, number) == [], world.last_report()


@then(Sentence('the invoice "{number:number}" {can:can|cannot} be edited in the app'))
def can_edit(world: World, number: str, can: str) -> None:
    editable = world.app.invoices.can_edit(number)
    assert editable == (can == "can"), f"invoice {number} {'can' if editable else 'cannot'} be edited"
    if not editable:
        try:
            world.app.invoices.update(number, memo="edited in the app")
        except syncer.NotAllowedError as refused:
            assert world.brand in str(refused) and world.other_brand not in str(refused), str(refused)
        else:
            raise AssertionError(f"the app let a person edit invoice {number}")


@then(Sentence('the invoice "{number:number}" {can:can|cannot} be selected for emailing in the app'))
def can_email(world: World, number: str, can: str) -> None:
    selectable = [i.number for i in world.app.invoices.to_email()]
    assert world.app.invoices.can_email(number) == (can == "can") == (number in selectable), \
        f"invoices the app offers for emailing: {selectable}" + world.last_report()
