"""Carrying out one action of a history: a person in QuickBooks (qbXML), a person in the app (`syncer.App`), the
administrator (the closing date). The model learns what the rules will let differ.

An action returns None when done, or why it was skipped: its object no longer exists, or QuickBooks or the app
refused it (a person is told so and moves on, as a person would).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import syncer
from scenarios.activity import Action
from scenarios.model import ZERO, Model
from scenarios.quickbooks import RefusedError, amount, esc, ref
from scenarios.world import MAPPINGS, World

CONTACT = {"Vendor": "VendorAddress", "Customer": "BillAddress"}
BANK = MAPPINGS["bank_account"]


class SkippedError(Exception):
    """The action could not be done; the message says why."""


def perform(world: World, model: Model, action: Action) -> str | None:
    world.at(action.moment)
    handler: Callable[[World, Model, dict[str, Any]], None] = HANDLERS[(action.actor, action.op)]
    try:
        handler(world, model, action.args)
    except SkippedError as exc:
        return str(exc)
    except RefusedError as exc:
        return str(exc)
    except syncer.AppError as exc:
        return f"the app refused it: {exc.message}"
    return None


# -- a person in QuickBooks -----------------------------------------------------------------------------------------

ADDRESS_TAGS = ("Addr1", "Addr2", "Addr3", "Addr4", "Addr5", "City", "State", "PostalCode", "Country", "Note")


def _mod_fields(world: World, list_type: str, name: str, field: str, value: str) -> str:
    if field in ("city", "postal_code"):  # the address is one block: the person changes one line of it
        current = world.person.get(list_type, name)
        block = current.find(CONTACT[list_type]) if current is not None else None
        lines = {tag: (block.findtext(tag) if block is not None else None) for tag in ADDRESS_TAGS}
        lines["City" if field == "city" else "PostalCode"] = value
        inner = "".join(f"<{tag}>{esc(text)}</{tag}>" for tag, text in lines.items() if text)
        return f"<{CONTACT[list_type]}>{inner}</{CONTACT[list_type]}>"
    tag = {"phone": "Phone", "email": "Email", "company_name": "CompanyName"}[field]
    return f"<{tag}>{esc(value)}</{tag}>"


def _list_mod(world: World, list_type: str, name: str, fields: str) -> None:
    if not world.person.mod(list_type, name, fields):
        raise SkippedError(f'QuickBooks has no {list_type.lower()} "{name}"')


def qb_vendor_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.person.add("Vendor", f"<Name>{esc(a['name'])}</Name><Phone>{esc(a['phone'])}</Phone>")


def qb_vendor_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    _list_mod(world, "Vendor", a["name"], _mod_fields(world, "Vendor", a["name"], a["field"], a["value"]))
    model.wrote("Vendor", a["name"], a["field"], "quickbooks", a["value"])


def qb_vendor_inactivate(world: World, model: Model, a: dict[str, Any]) -> None:
    _list_mod(world, "Vendor", a["name"], "<IsActive>false</IsActive>")
    model.wrote("Vendor", a["name"], "is_active", "quickbooks", False)


def qb_customer_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.person.add("Customer", f"<Name>{esc(a['name'])}</Name><Email>{esc(a['email'])}</Email>")


def qb_customer_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    _list_mod(world, "Customer", a["name"], _mod_fields(world, "Customer", a["name"], a["field"], a["value"]))
    model.wrote("Customer", a["name"], a["field"], "quickbooks", a["value"])


def qb_customer_inactivate(world: World, model: Model, a: dict[str, Any]) -> None:
    _list_mod(world, "Customer", a["name"], "<IsActive>false</IsActive>")
    model.wrote("Customer", a["name"], "is_active", "quickbooks", False)


def qb_job_add(world: World, model: Model, a: dict[str, Any]) -> None:
    if world.person.get("Customer", a["customer"]) is None:
        raise SkippedError(f'QuickBooks has no customer "{a["customer"]}"')
    world.person.add("Customer", f"<Name>{esc(a['name'])}</Name>{ref('ParentRef', a['customer'])}")


def qb_job_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    _list_mod(world, "Customer", a["name"], _mod_fields(world, "Customer", a["name"], a["field"], a["value"]))
    model.wrote("Customer", a["name"], a["field"], "quickbooks", a["value"])


def qb_job_inactivate(world: World, model: Model, a: dict[str, Any]) -> None:
    _list_mod(world, "Customer", a["name"], "<IsActive>false</IsActive>")
    model.wrote("Customer", a["name"], "is_active", "quickbooks", False)


def qb_bill_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.person.enter_payable("Bill", a["vendor"], a["number"], a["date"], a["account"], Decimal(a["amount"]))
    model.qb_bills.add((a["vendor"], a["number"]))


def _bill(world: World, a: dict[str, Any], linked: bool = False) -> Any:
    bill = world.person.bill(a["vendor"], a["number"], linked)
    if bill is None:
        raise SkippedError(f"QuickBooks has no bill {a['number']} from {a['vendor']}")
    return bill


def qb_bill_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    bill = _bill(world, a)
    if len(bill.findall("ExpenseLineRet")) != 1 or bill.findall("ItemLineRet"):
        raise SkippedError(f"bill {a['number']} has more than one line")
    world.person.change_bill_amount(bill, Decimal(a["amount"]))
    key = (a["vendor"], a["number"])
    model.wrote("bill", a["number"], "amount", "quickbooks", a["amount"])
    if world.scenario.company.two_way_bill_sync:
        app_bill = world.app.bills.find(a["number"])
        if app_bill is not None and app_bill.paid_amount > 0:
            # Fully paid in the app: the edit does not sync. Paid in part below the new amount: the app refuses it.
            model.diverge("bill", key, "edited in QuickBooks after it was paid in the app")
            model.trouble(a["number"], "edited in QuickBooks after a payment in the app")
    else:
        model.diverge("bill", key, "edited in QuickBooks (bills go one way)")


def qb_bill_pay(world: World, model: Model, a: dict[str, Any]) -> None:
    bill = _bill(world, a)
    left = amount(bill, "OpenAmount")
    if left <= ZERO:
        raise SkippedError(f"bill {a['number']} is paid already in QuickBooks")
    value = left if a["share"] >= 1 else (left * Decimal(str(a["share"]))).quantize(Decimal("0.01"))
    payment = world.person.pay_bill(bill, BANK, a["date"], value)
    key = (a["vendor"], a["number"])
    model.qb_txns.add(payment.findtext("TxnID") or "")
    model.qb_paid_bills[key] = model.qb_paid_bills.get(key, ZERO) + value
    model.trouble(a["number"], "paid in QuickBooks: a payment from the app may be refused")


def qb_bill_delete(world: World, model: Model, a: dict[str, Any]) -> None:
    bill = _bill(world, a, linked=True)
    world.person.delete("Bill", bill.findtext("TxnID") or "")
    # its payments stay in QuickBooks, applied to nothing: the app's bill is kept (it was paid there), so they are
    # compared no more, as the bill is not
    model.qb_txns |= {x.findtext("TxnID") or "" for x in bill.findall("LinkedTxn")
                      if (x.findtext("TxnType") or "").startswith("BillPayment")}
    key = (a["vendor"], a["number"])
    model.deleted.add(("bill", key))
    model.trouble(a["number"], "deleted in QuickBooks")


def qb_payment_delete(world: World, model: Model, a: dict[str, Any]) -> None:
    bill = _bill(world, a, linked=True)
    payments = [(x.findtext("TxnType") or "", x.findtext("TxnID") or "", -amount(x, "Amount"))
                for x in bill.findall("LinkedTxn") if (x.findtext("TxnType") or "").startswith("BillPayment")]
    if not payments:
        raise SkippedError(f"bill {a['number']} has no payment in QuickBooks")
    key = (a["vendor"], a["number"])
    for txn_type, txn_id, value in payments:
        world.person.delete(txn_type, txn_id)
        if txn_id in model.qb_txns:
            model.qb_paid_bills[key] = model.qb_paid_bills.get(key, ZERO) - value
        else:
            model.money_diverged[key] = "a payment from the app was deleted in QuickBooks"
            model.trouble(a["number"], "a payment from the app was deleted in QuickBooks")  # it stays in the app
            model.qb_txns.add(txn_id)  # gone; never counted as the app's again


def qb_vendor_credit_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.person.enter_payable("VendorCredit", a["vendor"], a["number"], a["date"], a["account"],
                               Decimal(a["amount"]))
    model.qb_credits.add((a["vendor"], a["number"]))


def qb_invoice_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.person.enter_invoice(a["customer"], a["number"], a["date"], a["item"], Decimal(a["amount"]),
                               a["to_be_emailed"])
    model.qb_invoices.add(a["number"])


def _invoice(world: World, number: str, linked: bool = False) -> Any:
    found = world.person.invoice(number, linked)
    if found is None:
        raise SkippedError(f"QuickBooks has no invoice {number}")
    return found


def qb_invoice_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _invoice(world, a["number"])
    if len(invoice.findall("InvoiceLineRet")) != 1:
        raise SkippedError(f"invoice {a['number']} has more than one line")
    if amount(invoice, "BalanceRemaining") != amount(invoice, "Subtotal"):
        raise SkippedError(f"invoice {a['number']} has payments in QuickBooks")
    world.person.change_invoice(invoice, "", Decimal(a["amount"]))
    model.wrote("invoice", a["number"], "amount", "quickbooks", a["amount"])
    model.trouble(a["number"], "edited in QuickBooks")


def qb_invoice_email(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _invoice(world, a["number"])
    flag = "true" if a["to_be_emailed"] else "false"
    world.person.change_invoice(invoice, f"<IsToBeEmailed>{flag}</IsToBeEmailed>")


def qb_invoice_void(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _invoice(world, a["number"])
    if amount(invoice, "BalanceRemaining") != amount(invoice, "Subtotal"):
        raise SkippedError(f"invoice {a['number']} has payments in QuickBooks")
    world.person.void("Invoice", invoice.findtext("TxnID") or "")
    model.trouble(a["number"], "voided in QuickBooks")


def qb_invoice_delete(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _invoice(world, a["number"])
    if amount(invoice, "BalanceRemaining") != amount(invoice, "Subtotal"):
        raise SkippedError(f"invoice {a['number']} has payments in QuickBooks")
    world.person.delete("Invoice", invoice.findtext("TxnID") or "")
    model.deleted.add(("invoice", a["number"]))
    mine = world.app.invoices.find(a["number"])
    if mine is not None and mine.balance_due != mine.amount:  # the app's payment keeps it in the app
        model.trouble(a["number"], "deleted in QuickBooks after a payment in the app")


def qb_payment_receive(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _invoice(world, a["number"])
    left = amount(invoice, "BalanceRemaining")
    if left <= ZERO:
        raise SkippedError(f"invoice {a['number']} is paid already in QuickBooks")
    value = left if a["share"] >= 1 else (left * Decimal(str(a["share"]))).quantize(Decimal("0.01"))
    payment = world.person.receive_payment(invoice, a["date"], value)
    model.qb_txns.add(payment.findtext("TxnID") or "")
    model.qb_paid_invoices[a["number"]] = model.qb_paid_invoices.get(a["number"], ZERO) + value
    model.trouble(a["number"], "paid in QuickBooks: a payment from the app may be refused")


def qb_credit_memo_apply(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _invoice(world, a["number"])
    value = min(Decimal(a["amount"]), amount(invoice, "BalanceRemaining"))
    if value <= ZERO:
        raise SkippedError(f"invoice {a['number']} is paid already in QuickBooks")
    memo, payment = world.person.apply_credit_memo(invoice, a["memo"], a["date"], a["item"], value)
    model.qb_txns |= {memo, payment}
    model.qb_paid_invoices[a["number"]] = model.qb_paid_invoices.get(a["number"], ZERO) + value
    model.trouble(a["number"], "a credit memo was applied in QuickBooks before the app's payment")


def admin_close_books(world: World, model: Model, a: dict[str, Any]) -> None:
    world.set_closing_date(a["date"])


# -- a person in the app --------------------------------------------------------------------------------------------

def app_vendor_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.vendors.create(a["name"], email=a["email"])


def _find(collection: Any, key: str) -> Any:
    found = collection.find(key)
    if found is None:
        raise SkippedError(f'the app has no "{key}"')
    return found


def app_vendor_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.vendors.update(_find(world.app.vendors, a["name"]).id, **{a["field"]: a["value"]})
    model.wrote("Vendor", a["name"], a["field"], "app", a["value"])


def app_vendor_inactivate(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.vendors.update(_find(world.app.vendors, a["name"]).id, is_active=False)
    model.wrote("Vendor", a["name"], "is_active", "app", False)


def app_customer_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.customers.create(a["name"], email=a["email"])


def app_customer_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.customers.update(_find(world.app.customers, a["name"]).id, **{a["field"]: a["value"]})
    model.wrote("Customer", a["name"], a["field"], "app", a["value"])


def app_customer_inactivate(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.customers.update(_find(world.app.customers, a["name"]).id, is_active=False)
    model.wrote("Customer", a["name"], "is_active", "app", False)


def app_department_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.departments.create(a["name"])


def app_item_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.items.create(a["name"], price="25.00")
    model.app_items.add(a["name"])


def app_bill_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.bills.create(a["vendor"], number=a["number"], date=a["date"], lines=a["lines"])


def app_bill_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    bill = _find(world.app.bills, a["number"])
    fields = {k: v for k, v in a.items() if k in ("memo", "amount", "lines")}
    done = world.app.bills.update(bill.id, **fields)
    model.wrote("bill", a["number"], "amount", "app", f"{done.amount:.2f}")
    if "memo" in a:
        model.wrote("bill", a["number"], "memo", "app", done.memo)


def app_bill_approve(world: World, model: Model, a: dict[str, Any]) -> None:
    bill = _find(world.app.bills, a["number"])
    done = world.app.bills.approve(bill.id) if a["status"] == "approve" else world.app.bills.request_approval(bill.id)
    model.approvals[a["number"]] = done.approval_status


def app_bill_pay(world: World, model: Model, a: dict[str, Any]) -> None:
    bills = [_find(world.app.bills, n) for n in a["numbers"]]
    if "amount" in a:
        world.app.bill_payments.create(bills[0].id, amount=a["amount"], date=a["date"], method=a["method"])
    else:
        world.app.bill_payments.create([b.id for b in bills], date=a["date"], method=a["method"])
    _paid_before_an_edit_synced(world, model, bills)


def app_vendor_credit_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.vendor_credits.create(a["vendor"], number=a["number"], date=a["date"], account=a["account"],
                                    amount=a["amount"])


def app_credit_apply(world: World, model: Model, a: dict[str, Any]) -> None:
    credit = _find(world.app.vendor_credits, a["credit"])
    bill = _find(world.app.bills, a["bill"])
    world.app.vendor_credits.apply(credit.id, bill.id)
    bill = world.app.bills.get(bill.id)
    if a["pay_rest"] and bill.balance_due > ZERO:
        world.app.bill_payments.create(bill.id, date=a["date"], method="offline")
    _paid_before_an_edit_synced(world, model, [bill])


def _paid_before_an_edit_synced(world: World, model: Model, bills: list[Any]) -> None:
    """A bill edited in QuickBooks and paid in the app before the edit synced: the sync finds it paid, so the edit
    does not come (2-way bill sync), and a payment for more than QuickBooks' new amount is refused."""
    if not world.scenario.company.two_way_bill_sync:
        return
    for bill in bills:
        if "quickbooks" in model.writes.get(("bill", bill.number, "amount"), {}):
            model.diverge("bill", (bill.vendor.name, bill.number), "paid in the app before QuickBooks' edit synced")
            model.trouble(bill.number, "paid in the app before QuickBooks' edit synced")


def app_withdraw(world: World, model: Model, a: dict[str, Any]) -> None:
    waiting = [p.id for p in world.app.bill_payments.list()
               if p.method == "epayment" and not p.withdrawn and p.amount > ZERO]
    if not waiting:
        raise SkippedError("no payment waits for its money")
    world.app.bill_payments.withdraw(*waiting, on=a["date"])


def app_invoice_add(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.invoices.create(a["customer"], number=a["number"], date=a["date"], item=a["item"], amount=a["amount"],
                              to_be_emailed=a["to_be_emailed"])


def app_invoice_edit(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.invoices.update(_find(world.app.invoices, a["number"]).id, amount=a["amount"])
    model.wrote("invoice", a["number"], "amount", "app", a["amount"])


def app_invoice_email(world: World, model: Model, a: dict[str, Any]) -> None:
    world.app.invoices.email(_find(world.app.invoices, a["number"]).id)


def app_payment_receive(world: World, model: Model, a: dict[str, Any]) -> None:
    invoice = _find(world.app.invoices, a["number"])
    world.app.invoice_payments.create(invoice.id, amount=a["amount"], date=a["date"])
    if ("invoice", a["number"]) in model.deleted:  # deleted in QuickBooks before this sync: kept, with an error
        model.trouble(a["number"], "paid in the app after it was deleted in QuickBooks")


HANDLERS: dict[tuple[str, str], Callable[[World, Model, dict[str, Any]], None]] = {
    **{("quickbooks", name.removeprefix("qb_")): fn for name, fn in list(globals().items())
       if name.startswith("qb_") and callable(fn)},
    **{("app", name.removeprefix("app_")): fn for name, fn in list(globals().items())
       if name.startswith("app_") and callable(fn)},
    ("quickbooks", "close_books"): admin_close_books,
    ("app", "bill_pay_partial"): app_bill_pay,
    ("app", "bill_pay_batch"): app_bill_pay,
}
