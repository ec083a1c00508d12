"""Bill payments by check and by credit card, and vendor credits set on bills: what each pays, what is left open."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support import Client
from tests.txn_requests import (
    applied,
    balance,
    bill,
    company,
    credit,
    delete,
    get,
    ok,
    pay,
    pay_body,
    ref,
    status_of,
    void,
)


@pytest.fixture
def books(client: Client) -> Client:
    company(client)
    return client


def open_amount(client: Client, kind: str, txn_id: str) -> str:
    return get(client, kind, txn_id).findtext("OpenAmount") or ""


def test_one_payment_pays_several_bills(books: Client) -> None:
    first, second = bill(books, "Acme", "100.00", ref_number="A-1"), bill(books, "Acme", "50.00", ref_number="A-2")
    ret = ok(books, pay_body("Acme", {first: "100.00", second: "20.00"}))
    assert ret.findtext("Amount") == "120.00"
    assert [(a.findtext("TxnID"), a.findtext("Amount"), a.findtext("BalanceRemaining"))
            for a in ret.findall("AppliedToTxnRet")] == [(first, "100.00", "0.00"), (second, "20.00", "30.00")]
    assert get(books, "Bill", first).findtext("IsPaid") == "true"
    assert open_amount(books, "Bill", second) == "30.00"
    assert balance(books, "Vendor", "Acme") == Decimal("130.00")
    assert balance(books, "Account", "Checking") == Decimal("880.00")
    assert balance(books, "Account", "Accounts Payable") == Decimal("130.00")  # Acme's opening balance too
    # the second payment can pay what is left, not more
    code, message = status_of(books, pay_body("Acme", {second: "30.01"}, number="102"))
    assert code == 3210 and message == ('The "AppliedToTxnAdd payment amount" field has an invalid value "30.01".  '
                                        "QuickBooks error message: You cannot pay more than the amount due.")
    pay(books, "Acme", {second: "30.00"})
    assert get(books, "Bill", second).findtext("IsPaid") == "true"


def test_paying_someone_elses_bill_is_not_found(books: Client) -> None:
    bolt_bill = bill(books, "Bolt", "10.00")
    assert status_of(books, pay_body("Acme", {bolt_bill: "10.00"}))[0] == 3120
    assert status_of(books, pay_body("Acme", {"999-1700000000": "1.00"}))[0] == 3120
    code, message = status_of(books, pay_body("Bolt", {bolt_bill: "10.00"}, bank="Visa"))
    assert code == 3140 and 'QuickBooks Account "Visa" in the BillPaymentCheck.' in message
    code, _ = status_of(books, pay_body("Bolt", {bolt_bill: "-1.00"}))
    assert code == 3210


def test_credits_set_on_bills(books: Client) -> None:
    bill_id, credit_id = bill(books, "Acme", "80.00"), credit(books, "Acme", "30.00", "CR-1")
    assert balance(books, "Vendor", "Acme") == Decimal("150.00")
    code, message = status_of(books, pay_body("Acme", {bill_id: "10.00"}, {bill_id: [(credit_id, "30.01")]}))
    assert code == 3210 and "SetCredit applied amount" in message
    code, _ = status_of(books, pay_body("Acme", {bill_id: "60.00"}, {bill_id: [(credit_id, "30.00")]}))
    assert code == 3210  # 60 + 30 is more than the 80 due
    ret = ok(books, pay_body("Acme", {bill_id: "50.00"}, {bill_id: [(credit_id, "30.00")]}))
    payment_id = ret.findtext("TxnID") or ""
    applied_ret = ret.find("AppliedToTxnRet")
    assert (applied_ret.findtext("Amount"), applied_ret.findtext("BalanceRemaining")) == ("50.00", "0.00")
    assert (applied_ret.findtext("LinkedTxn/TxnID"), applied_ret.findtext("LinkedTxn/Amount")) == (credit_id, "-30.00")
    assert open_amount(books, "VendorCredit", credit_id) == "0.00"
    linked = get(books, "Bill", bill_id, "<IncludeLinkedTxns>true</IncludeLinkedTxns>").findall("LinkedTxn")
    assert sorted((x.findtext("TxnType"), x.findtext("Amount")) for x in linked) == [
        ("BillPaymentCheck", "-50.00"), ("VendorCredit", "-30.00")]
    assert balance(books, "Vendor", "Acme") == Decimal("100.00")
    # deleting the payment takes back the credits it set
    delete(books, "BillPaymentCheck", payment_id)
    assert open_amount(books, "VendorCredit", credit_id) == "30.00" and open_amount(books, "Bill", bill_id) == "80.00"
    assert balance(books, "Vendor", "Acme") == Decimal("150.00")


def test_a_credit_alone_makes_no_transaction(books: Client) -> None:
    bill_id, credit_id = bill(books, "Acme", "20.00"), credit(books, "Acme", "20.00")
    rs = books.one(pay_body("Acme", {bill_id: "0.00"}, {bill_id: [(credit_id, "20.00")]}))
    assert rs.get("statusCode") == "0" and len(rs) == 0
    assert books.one("<BillPaymentCheckQueryRq/>").get("statusCode") == "1"
    assert get(books, "Bill", bill_id).findtext("IsPaid") == "true"
    assert balance(books, "Vendor", "Acme") == Decimal("100.00")
    assert status_of(books, pay_body("Acme", {bill_id: "0.00"}))[0] == 3180  # nothing paid, nothing set
    # the link goes when the credit goes
    delete(books, "VendorCredit", credit_id)
    assert open_amount(books, "Bill", bill_id) == "20.00"


def test_payment_mod(books: Client) -> None:
    first, second = bill(books, "Acme", "40.00"), bill(books, "Acme", "60.00")
    ret = ok(books, pay_body("Acme", {first: "40.00"}))
    txn_id = ret.findtext("TxnID")
    head = lambda r: (f"<BillPaymentCheckModRq><BillPaymentCheckMod><TxnID>{txn_id}</TxnID>"  # noqa: E731
                      f"<EditSequence>{r.findtext('EditSequence')}</EditSequence>")
    # without AppliedToTxnMod the bills stay paid; a larger Amount is an unapplied payment
    ret = ok(books, f"{head(ret)}<Amount>55.00</Amount><Memo>More</Memo></BillPaymentCheckMod></BillPaymentCheckModRq>")
    assert ret.findtext("Amount") == "55.00" and ret.findtext("AppliedToTxnRet/Amount") == "40.00"
    assert balance(books, "Vendor", "Acme") == Decimal("145.00")
    code, message = status_of(books, f"{head(ret)}<Amount>39.00</Amount></BillPaymentCheckMod>"
                                     "</BillPaymentCheckModRq>")
    assert code == 3210 and message.startswith('The "Amount" field has an invalid value "39.00".')
    # AppliedToTxnMod: exactly the bills named
    ret = ok(books, f"{head(ret)}{applied({second: '60.00'}, tag='AppliedToTxnMod')}</BillPaymentCheckMod>"
                    "</BillPaymentCheckModRq>")
    assert [a.findtext("TxnID") for a in ret.findall("AppliedToTxnRet")] == [second]
    assert ret.findtext("Amount") == "60.00"
    assert (open_amount(books, "Bill", first), open_amount(books, "Bill", second)) == ("40.00", "0.00")
    code, message = status_of(books, f"{head(ret)}{applied({first: '41.00'}, tag='AppliedToTxnMod')}"
                                     "</BillPaymentCheckMod></BillPaymentCheckModRq>")
    assert code == 3210 and message.startswith('The "AppliedToTxnMod payment amount" field')
    ret = ok(books, f"{head(ret)}<IsToBePrinted>true</IsToBePrinted></BillPaymentCheckMod></BillPaymentCheckModRq>")
    assert (ret.findtext("RefNumber"), ret.findtext("IsToBePrinted")) == (None, "true")


def test_void_a_payment(books: Client) -> None:
    bill_id = bill(books, "Acme", "25.00")
    payment_id = pay(books, "Acme", {bill_id: "25.00"})
    rs = void(books, "BillPaymentCheck", payment_id)
    assert rs.findtext("RefNumber") == "101"
    ret = get(books, "BillPaymentCheck", payment_id)
    assert (ret.findtext("Amount"), ret.findtext("Memo"), ret.find("AppliedToTxnRet")) == ("0.00", "VOID:", None)
    assert get(books, "Bill", bill_id).findtext("IsPaid") == "false"
    assert balance(books, "Account", "Checking") == Decimal("1000.00")
    assert balance(books, "Vendor", "Acme") == Decimal("125.00")


def test_deleting_a_paid_bill_leaves_the_payment_unapplied(books: Client) -> None:
    bill_id = bill(books, "Acme", "25.00")
    payment_id = pay(books, "Acme", {bill_id: "25.00"})
    delete(books, "Bill", bill_id)
    assert get(books, "BillPaymentCheck", payment_id).find("AppliedToTxnRet") is None
    assert balance(books, "Vendor", "Acme") == Decimal("75.00")  # paid in advance
    assert balance(books, "Account", "Accounts Payable") == Decimal("75.00")


def test_credit_card_payment(books: Client) -> None:
    bill_id = bill(books, "Bolt", "75.00")
    body = (f"<BillPaymentCreditCardAddRq><BillPaymentCreditCardAdd>{ref('PayeeEntityRef', 'Bolt')}"
            f"{ref('CreditCardAccountRef', 'Visa')}<Memo>card</Memo>{applied({bill_id: '75.00'})}"
            "</BillPaymentCreditCardAdd></BillPaymentCreditCardAddRq>")
    ret = ok(books, body)
    assert ret.findtext("TxnDate") == "2024-03-01" and ret.findtext("CreditCardAccountRef/FullName") == "Visa"
    assert balance(books, "Account", "Visa") == Decimal("75.00") and balance(books, "Vendor", "Bolt") == 0
    delete(books, "BillPaymentCreditCard", ret.findtext("TxnID", ""))
    assert balance(books, "Account", "Visa") == 0 and balance(books, "Vendor", "Bolt") == Decimal("75.00")


def test_cents_add_up_exactly(books: Client) -> None:
    """0.10 + 0.20 pays a bill of 0.30 in full: no binary floating-point remainder (a -0.00 open amount)."""
    before = balance(books, "Vendor", "Acme")
    txn_id = bill(books, "Acme", "0.30")
    for amount in ("0.10", "0.20"):
        pay(books, "Acme", {txn_id: amount})
    paid = get(books, "Bill", txn_id)
    assert (paid.findtext("OpenAmount"), paid.findtext("IsPaid")) == ("0.00", "true")
    assert str(balance(books, "Vendor", "Acme") - before) == "0.00"
