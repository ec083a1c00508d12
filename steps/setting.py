"""Setting the scene: the connection, the app's settings, and what is already on both sides."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytest_bdd import given

from steps.sentences import Sentence
from steps.world import World

#: An app list -> what a person picks in QuickBooks to add it there.
IN_QUICKBOOKS = {"account": "account", "bank account": "bank account", "department": "class", "vendor": "vendor",
                 "customer": "customer", "job": "job", "item": "service item"}


@given(Sentence("the app was connected to QuickBooks on {day:date}"))
def connected(world: World, day: date) -> None:
    world.connect(day)


@given(Sentence("the company's account in the app was created on {day:date}"))
def account_created(world: World, day: date) -> None:
    world.app.configure(account_created_on=day)
    world.account_created_on_given = True


@given(Sentence("2-way bill sync is {setting:on|off}"))
def two_way_bill_sync(world: World, setting: str) -> None:
    world.app.configure(two_way_bill_sync=setting == "on")


@given(Sentence("Customer Support has turned off the invoice status and amount due sync"))
def status_sync_off(world: World) -> None:
    world.app.configure(invoice_status_sync=False)


@given(Sentence('the {kind:app list} "{name:name}" is in the app and in QuickBooks'))
def on_both_sides(world: World, kind: str, name: str) -> None:
    """Added in QuickBooks, and brought to the app by an earlier sync: one sync, before the next other step, for
    every such step in a row (jobs are named "Customer:Job")."""
    world.tick()
    parent, _, own = name.rpartition(":") if kind == "job" else ("", "", name)
    if kind == "job" and not parent:
        raise ValueError(f'Name the job with its customer: "Customer:{name}"')
    world.person.add(IN_QUICKBOOKS[kind], own, parent=parent or None)
    world.link_later(kind, name if kind != "job" else f"{parent}:{own}")


on_both_sides.links_later = True  # type: ignore[attr-defined]


@given(Sentence('the bank account "{name:name}" has a balance of {balance:money} in QuickBooks'))
def bank_balance(world: World, name: str, balance: Decimal) -> None:
    """A bank account QuickBooks has with that balance (opened with it)."""
    day = world.tick()
    world.person.add("bank account", name, balance=balance, on=day)
