"""Payments received: what each applies, credit memos set on invoices, auto-apply, unused amounts, Undeposited
Funds, Mod, and the order of partial payments and credit memos the sync depends on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from lxml import etree

from fakeqb import FakeQuickBooks
from tests.support import Client
from tests.txn_requests import (
    CLOSED,
    applied,
    balance,
    balances,
    credit_memo,
    delete,
    get,
    invoice,
    ok,
    receive,
    receive_body,
    ref,
    sales_company,
    status_of,
)

TOO_MUCH = ('The "AppliedToTxnAdd payment amount" field has an invalid value "{}".  QuickBooks error message: You '
            "cannot pay more than the amount due.")


@pytest.fixture
def books(client: Client) -> Client:
    sales_company(client)
    return client


def remaining(client: Client, kind: str, txn_id: str, field: str = "BalanceRemaining") -> str:
    return get(client, kind, txn_id).findtext(field) or ""


def auto(client: Client, customer: str, total: str, apply: bool = True) -> etree._Element:
    return ok(client, f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TotalAmount>{total}"
                      f"</TotalAmount><IsAutoApply>{str(apply).lower()}</IsAutoApply></ReceivePaymentAdd>"
                      "</ReceivePaymentAddRq>")


def test_one_payment_pays_several_invoices(books: Client) -> None:
    first = invoice(books, "Smith", "100.00", ref_number="1001")
    second = invoice(books, "Smith", "50.00", ref_number="1002")
    ret = ok(books, receive_body("Smith", {first: "100.00", second: "20.00"}, extra="<Memo>Check 7</Memo>"))
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment"), ret.findtext("UnusedCredits")) == (
        "120.00", "0.00", "0.00")
    assert [(a.findtext("TxnID"), a.findtext("RefNumber"), a.findtext("Amount"), a.findtext("BalanceRemaining"))
            for a in ret.findall("AppliedToTxnRet")] == [(first, "1001", "100.00", "0.00"),
                                                         (second, "1002", "20.00", "30.00")]
    assert get(books, "Invoice", first).findtext("IsPaid") == "true" and remaining(books, "Invoice", second) == "30.00"
    assert balances(books, "Smith")[0] == Decimal("70.00")  # 40 opening + 150 - 120
    assert balance(books, "Account", "Undeposited Funds") == Decimal("120.00")
    assert balance(books, "Account", "Accounts Receivable") == Decimal("70.00")
    assert status_of(books, receive_body("Smith", {second: "30.01"})) == (3210, TOO_MUCH.format("30.01"))
    assert status_of(books, receive_body("Smith", {second: "-1.00"}))[0] == 3210
    receive(books, "Smith", {second: "30.00"})
    assert get(books, "Invoice", second).findtext("IsPaid") == "true"


def test_paying_another_customers_invoice_is_not_found(books: Client) -> None:
    kitchen = invoice(books, "Jones:Kitchen", "10.00")
    assert status_of(books, receive_body("Smith", {kitchen: "10.00"}))[0] == 3120
    assert status_of(books, receive_body("Jones", {kitchen: "10.00"}))[0] == 3120  # the job's, not its parent's
    assert status_of(books, receive_body("Smith", {"999-1700000000": "1.00"}))[0] == 3120
    receive(books, "Jones:Kitchen", {kitchen: "10.00"})
    assert balances(books, "Jones") == (Decimal("0.00"), Decimal("0.00"))


def test_total_amount(books: Client) -> None:
    invoice_id = invoice(books, "Smith", "80.00")
    code, message = status_of(books, receive_body("Smith", {invoice_id: "50.00"}, total="40.00"))
    assert code == 3210 and message.startswith('The "TotalAmount" field has an invalid value "40.00".')
    ret = ok(books, receive_body("Smith", {invoice_id: "50.00"}, total="70.00"))
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment")) == ("70.00", "20.00")
    assert balances(books, "Smith")[0] == Decimal("50.00")  # 40 + 80 - 70: the unused 20.00 is a credit
    code, message = status_of(books, receive_body("Smith", {}, total="-5.00", extra="<IsAutoApply>false</IsAutoApply>"))
    assert code == 3210 and message.endswith("The amount cannot be negative.")


def test_credit_memos_set_on_invoices(books: Client) -> None:
    invoice_id, memo = invoice(books, "Smith", "80.00"), credit_memo(books, "Smith", "30.00", "CM-1")
    other = credit_memo(books, "Jones", "5.00")
    assert balances(books, "Smith")[0] == Decimal("90.00")
    code, message = status_of(books, receive_body("Smith", {invoice_id: "10.00"}, {invoice_id: [(memo, "30.01")]}))
    assert code == 3210 and "SetCredit applied amount" in message
    assert status_of(books, receive_body("Smith", {invoice_id: "60.00"}, {invoice_id: [(memo, "30.00")]}))[0] == 3210
    assert status_of(books, receive_body("Smith", {invoice_id: "1.00"}, {invoice_id: [(other, "1.00")]}))[0] == 3120
    ret = ok(books, receive_body("Smith", {invoice_id: "50.00"}, {invoice_id: [(memo, "30.00")]}))
    applied_ret = ret.find("AppliedToTxnRet")
    assert (applied_ret.findtext("Amount"), applied_ret.findtext("BalanceRemaining")) == ("50.00", "0.00")
    assert (applied_ret.findtext("LinkedTxn/TxnID"), applied_ret.findtext("LinkedTxn/TxnType"),
            applied_ret.findtext("LinkedTxn/Amount")) == (memo, "CreditMemo", "-30.00")
    assert remaining(books, "CreditMemo", memo, "CreditRemaining") == "0.00"
    linked = get(books, "Invoice", invoice_id, "<IncludeLinkedTxns>true</IncludeLinkedTxns>").findall("LinkedTxn")
    assert sorted((x.findtext("TxnType"), x.findtext("Amount")) for x in linked) == [("CreditMemo", "-30.00"),
                                                                                     ("ReceivePayment", "-50.00")]
    assert balances(books, "Smith")[0] == Decimal("40.00")
    # deleting the payment releases the credit it set
    delete(books, "ReceivePayment", ret.findtext("TxnID") or "")
    assert remaining(books, "CreditMemo", memo, "CreditRemaining") == "30.00"
    assert remaining(books, "Invoice", invoice_id) == "80.00"


def test_a_request_that_only_sets_credits_creates_nothing(books: Client) -> None:
    invoice_id, memo = invoice(books, "Smith", "80.00"), credit_memo(books, "Smith", "30.00")
    rs = books.one(receive_body("Smith", {invoice_id: "0.00"}, {invoice_id: [(memo, "30.00")]}))
    assert rs.get("statusCode") == "0" and len(rs) == 0
    assert books.one("<ReceivePaymentQueryRq/>").get("statusCode") == "1"
    assert (remaining(books, "Invoice", invoice_id), remaining(books, "CreditMemo", memo, "CreditRemaining")) == (
        "50.00", "0.00")
    assert balances(books, "Smith")[0] == Decimal("90.00")  # a credit applied does not change what is owed


def test_partial_payments_before_credit_memos(books: Client) -> None:
    """The app's rule: a partial payment first, the credit memo after, and both fit."""
    invoice_id = invoice(books, "Smith", "1000.00", ref_number="1045")
    receive(books, "Smith", {invoice_id: "400.00"})
    memo = credit_memo(books, "Smith", "100.00")
    ok(books, receive_body("Smith", {invoice_id: "0.00"}, {invoice_id: [(memo, "100.00")]}))
    assert remaining(books, "Invoice", invoice_id) == "500.00"


def test_a_credit_memo_applied_first_refuses_the_full_payment(books: Client) -> None:
    """The other order: once a credit memo lowers the balance, a payment of what was due is more than is left."""
    invoice_id = invoice(books, "Smith", "1000.00", ref_number="1045")
    memo = credit_memo(books, "Smith", "100.00")
    ok(books, receive_body("Smith", {invoice_id: "0.00"}, {invoice_id: [(memo, "100.00")]}))
    assert status_of(books, receive_body("Smith", {invoice_id: "1000.00"}, total="1000.00")) == (
        3210, TOO_MUCH.format("1000.00"))
    assert remaining(books, "Invoice", invoice_id) == "900.00"
    assert books.one("<ReceivePaymentQueryRq/>").get("statusCode") == "1"  # nothing was saved
    receive(books, "Smith", {invoice_id: "900.00"})
    assert get(books, "Invoice", invoice_id).findtext("IsPaid") == "true"


def test_auto_apply(books: Client) -> None:
    old = invoice(books, "Smith", "30.00", date="2024-01-10")
    exact = invoice(books, "Smith", "25.00", date="2024-02-10")
    older = invoice(books, "Smith", "20.00", date="2024-01-05")  # entered last, dated first
    ret = auto(books, "Smith", "25.00")
    assert [(a.findtext("TxnID"), a.findtext("Amount")) for a in ret.findall("AppliedToTxnRet")] == [(exact, "25.00")]
    ret = auto(books, "Smith", "110.00")
    applied = [(a.findtext("TxnID"), a.findtext("Amount")) for a in ret.findall("AppliedToTxnRet")]
    assert applied[:2] == [(older, "20.00"), (old, "30.00")]
    assert applied[2][1] == "40.00"  # then Smith's opening balance, entered as an invoice on the company's day
    assert ret.findtext("UnusedPayment") == "20.00"
    ret = auto(books, "Smith", "15.00", apply=False)
    assert ret.find("AppliedToTxnRet") is None and ret.findtext("UnusedPayment") == "15.00"
    assert balances(books, "Smith")[0] == Decimal("-35.00")  # 40 + 75 - 150: the unused 35.00 is a credit
    credit_memo(books, "Smith", "12.00")
    assert ok(books, f"<ReceivePaymentQueryRq><TxnID>{ret.findtext('TxnID')}</TxnID></ReceivePaymentQueryRq>"
              ).findtext("UnusedCredits") == "12.00"
    code, message = status_of(books, f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', 'Smith')}"
                                     "<IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>")
    assert code == 3180 and message.endswith("The transaction is empty.")


def test_an_unused_payment_is_a_credit(books: Client) -> None:
    advance = auto(books, "Smith", "50.00", apply=False)
    invoice_id = invoice(books, "Smith", "80.00")
    advance_id = advance.findtext("TxnID") or ""
    ok(books, receive_body("Smith", {invoice_id: "30.00"}, {invoice_id: [(advance_id, "50.00")]}))
    assert remaining(books, "ReceivePayment", advance_id, "UnusedPayment") == "0.00"
    assert get(books, "Invoice", invoice_id).findtext("IsPaid") == "true"
    assert balances(books, "Smith")[0] == Decimal("40.00")


def test_undeposited_funds(client: Client) -> None:
    ok(client, "<AccountAddRq><AccountAdd><Name>Sales</Name><AccountType>Income</AccountType></AccountAdd>"
               "</AccountAddRq>")
    ok(client, "<AccountAddRq><AccountAdd><Name>Checking</Name><AccountType>Bank</AccountType></AccountAdd>"
               "</AccountAddRq>")
    ok(client, "<CustomerAddRq><CustomerAdd><Name>Smith</Name></CustomerAdd></CustomerAddRq>")
    first = ok(client, receive_body("Smith", {}, total="5.00", extra="<IsAutoApply>false</IsAutoApply>"))
    second = ok(client, receive_body("Smith", {}, total="7.00", extra="<IsAutoApply>false</IsAutoApply>"))
    assert first.findtext("DepositToAccountRef/ListID") == second.findtext("DepositToAccountRef/ListID")
    ret = ok(client, "<AccountQueryRq><FullName>Undeposited Funds</FullName></AccountQueryRq>")
    assert (ret.findtext("AccountType"), ret.findtext("SpecialAccountType"), ret.findtext("Balance")) == (
        "OtherCurrentAsset", "UndepositedFunds", "12.00")
    ret = ok(client, receive_body("Smith", {}, total="3.00", extra=f"{ref('DepositToAccountRef', 'Checking')}"
                                                                   "<IsAutoApply>false</IsAutoApply>"))
    assert balance(client, "Account", "Checking") == Decimal("3.00")
    code, message = status_of(client, receive_body("Smith", {}, total="1.00", extra=(
        f"{ref('DepositToAccountRef', 'Sales')}<IsAutoApply>false</IsAutoApply>")))
    assert code == 3140 and 'QuickBooks Account "Sales" in the ReceivePayment.' in message


def test_what_is_not_simulated(books: Client) -> None:
    invoice_id = invoice(books, "Smith", "10.00")
    body = (f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', 'Smith')}<AppliedToTxnAdd><TxnID>"
            f"{invoice_id}</TxnID><PaymentAmount>9.00</PaymentAmount><DiscountAmount>1.00</DiscountAmount>"
            "</AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>")
    assert status_of(books, body)[0] == 3250
    code, message = status_of(books, receive_body("Smith", {invoice_id: "1.00"},
                                                  extra=ref("PaymentMethodRef", "Barter")))
    assert code == 3140 and 'QuickBooks PaymentMethod "Barter" in the ReceivePayment.' in message


def test_mod(qb: FakeQuickBooks, books: Client) -> None:
    first, second = invoice(books, "Smith", "60.00"), invoice(books, "Smith", "40.00")
    ret = ok(books, receive_body("Smith", {first: "60.00"}, total="70.00"))
    payment_id = ret.findtext("TxnID")
    qb.clock.advance(timedelta(minutes=5))
    head = f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{payment_id}</TxnID><EditSequence>" \
           f"{ret.findtext('EditSequence')}</EditSequence>"
    # without AppliedToTxnMod the payment keeps what it applied
    ret = ok(books, f"{head}<Memo>kept</Memo></ReceivePaymentMod></ReceivePaymentModRq>")
    assert [a.findtext("TxnID") for a in ret.findall("AppliedToTxnRet")] == [first]
    head = f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{payment_id}</TxnID><EditSequence>" \
           f"{ret.findtext('EditSequence')}</EditSequence>"
    code, message = status_of(books, f"{head}<TotalAmount>50.00</TotalAmount></ReceivePaymentMod>"
                                     "</ReceivePaymentModRq>")
    assert code == 3210 and message.endswith("The amount is less than the amount applied.")
    code, _ = status_of(books, f"{head}{applied({first: '60.00', second: '40.00'}, tag='AppliedToTxnMod')}"
                               "</ReceivePaymentMod></ReceivePaymentModRq>")
    assert code == 3210  # 100.00 applied, 70.00 received
    ret = ok(books, f"{head}<TotalAmount>100.00</TotalAmount>"
                    f"{applied({first: '60.00', second: '40.00'}, tag='AppliedToTxnMod')}</ReceivePaymentMod>"
                    "</ReceivePaymentModRq>")
    assert (ret.findtext("TotalAmount"), ret.findtext("UnusedPayment")) == ("100.00", "0.00")
    paid = get(books, "Invoice", second)
    assert paid.findtext("IsPaid") == "true" and paid.findtext("TimeModified") == "2024-03-01T09:30:00-05:00"
    assert balances(books, "Smith")[0] == Decimal("40.00")
    assert balance(books, "Account", "Undeposited Funds") == Decimal("100.00")


@pytest.mark.parametrize("action", ["add", "modify", "delete"])
def test_closing_date(qb: FakeQuickBooks, books: Client, action: str) -> None:
    invoice_id = invoice(books, "Smith", "10.00", date="2023-12-01")
    closed = ok(books, receive_body("Smith", {invoice_id: "4.00"}).replace("2024-03-01", "2023-12-15"))
    qb.set_setting("closing_date", "2023-12-31")
    requests = {
        "add": receive_body("Smith", {invoice_id: "1.00"}).replace("2024-03-01", "2023-12-31"),
        "modify": f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{closed.findtext('TxnID')}</TxnID><EditSequence>"
                  f"{closed.findtext('EditSequence')}</EditSequence><Memo>x</Memo></ReceivePaymentMod>"
                  "</ReceivePaymentModRq>",
        "delete": f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{closed.findtext('TxnID')}</TxnID>"
                  "</TxnDelRq>",
    }
    assert status_of(books, requests[action]) == (3171, CLOSED.format(action, "ReceivePayment"))
    assert remaining(books, "Invoice", invoice_id) == "6.00"
    # a payment dated after the closing date may still pay an invoice dated before it
    receive(books, "Smith", {invoice_id: "6.00"})
    assert get(books, "Invoice", invoice_id).findtext("IsPaid") == "true"
