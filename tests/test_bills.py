"""Bills and vendor credits: defaults QuickBooks fills in, lines, Mod, the closing date, what they keep in use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from fakeqb import FakeQuickBooks
from tests.support import Client
from tests.txn_requests import (
    balance,
    bill,
    bill_body,
    company,
    credit,
    delete,
    get,
    ok,
    pay,
    ref,
    status_of,
    void,
)

CLOSED = ("An attempt was made to {} a Bill with a date that is on or before the closing date of the company. If you "
          "are sure you really want to do this, please ask a user with Admin privileges to remove the password for "
          "editing transactions on or before to closing date (this setting is in the Accounting Company Preferences), "
          "then try again.")


@pytest.fixture
def books(client: Client) -> Client:
    company(client)
    return client


def test_defaults_from_the_company_and_the_vendor(qb: FakeQuickBooks, books: Client) -> None:
    ret = ok(books, f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme')}<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}"
                    "</ExpenseLineAdd></BillAdd></BillAddRq>")
    assert (ret.findtext("TxnDate"), ret.findtext("DueDate")) == ("2024-03-01", "2024-03-11")  # today, +10 days
    assert ret.findtext("APAccountRef/FullName") == "Accounts Payable"
    assert ret.findtext("VendorAddress/Addr1") == "1 Mill Rd"
    assert ret.findtext("ExpenseLineRet/Amount") == "0.00" and ret.findtext("AmountDue") == "0.00"
    assert ret.findtext("IsPaid") == "true"  # nothing is owed on it
    prefs = qb.setting("preferences")
    prefs["PurchasesAndVendorsPreferences"]["DaysBillsAreDue"] = "30"
    qb.set_setting("preferences", prefs)
    assert ok(books, bill_body("Acme", "1.00")).findtext("DueDate") == "2024-03-21"
    assert ok(books, bill_body("Acme", "1.00", extra="<DueDate>2024-04-01</DueDate>")).findtext("DueDate") == (
        "2024-04-01")


def test_the_ap_account_is_created_when_the_first_bill_needs_it(client: Client) -> None:
    ok(client, "<AccountAddRq><AccountAdd><Name>Supplies</Name><AccountType>Expense</AccountType></AccountAdd>"
               "</AccountAddRq>")
    ok(client, "<VendorAddRq><VendorAdd><Name>Acme</Name></VendorAdd></VendorAddRq>")
    first = ok(client, bill_body("Acme", "5.00"))
    second = ok(client, bill_body("Acme", "7.00"))
    assert first.findtext("APAccountRef/ListID") == second.findtext("APAccountRef/ListID")
    accounts = client.one("<AccountQueryRq><AccountType>AccountsPayable</AccountType></AccountQueryRq>")
    assert [(a.findtext("FullName"), a.findtext("Balance")) for a in accounts] == [("Accounts Payable", "12.00")]


def test_ap_account_must_be_an_ap_account(books: Client) -> None:
    code, message = status_of(books, f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme')}{ref('APAccountRef', 'Checking')}"
                                     f"<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}</ExpenseLineAdd></BillAdd>"
                                     "</BillAddRq>")
    assert code == 3140 and message.startswith('There is an invalid reference to QuickBooks Account "Checking" in the '
                                               "Bill.")


def test_item_lines(books: Client) -> None:
    ok(books, "<AccountAddRq><AccountAdd><Name>Repairs</Name><AccountType>Expense</AccountType></AccountAdd>"
              "</AccountAddRq>")
    lines = (f"<ItemLineAdd>{ref('ItemRef', 'Widget')}</ItemLineAdd>"
             f"<ItemLineAdd>{ref('ItemRef', 'Widget')}<Quantity>3</Quantity><Cost>2</Cost></ItemLineAdd>"
             f"<ItemLineAdd>{ref('ItemRef', 'Widget')}<Desc>Odd</Desc><Quantity>4</Quantity><Amount>10.00</Amount>"
             f"{ref('OverrideItemAccountRef', 'Repairs')}</ItemLineAdd>")
    ret = ok(books, f"<BillAddRq><BillAdd>{ref('VendorRef', 'Acme')}{lines}</BillAdd></BillAddRq>")
    got = [(x.findtext("Desc"), x.findtext("Quantity"), x.findtext("Cost"), x.findtext("Amount"))
           for x in ret.findall("ItemLineRet")]
    assert got == [("Widget, boxed", "1", "2.5", "2.50"), ("Widget, boxed", "3", "2", "6.00"),
                   ("Odd", "4", "2.5", "10.00")]  # quantities and prices without trailing zeros, amounts with two
    assert ret.findtext("AmountDue") == "18.50"
    assert balance(books, "Account", "Supplies") == Decimal("8.50")
    assert balance(books, "Account", "Repairs") == Decimal("10.00")


def test_mod_lines(books: Client) -> None:
    ret = ok(books, bill_body("Acme", "10.00", "20.00", "30.00"))
    txn_id, sequence = ret.findtext("TxnID"), ret.findtext("EditSequence")
    first, second, _ = (x.findtext("TxnLineID") for x in ret.findall("ExpenseLineRet"))
    mod = (f"<BillModRq><BillMod><TxnID>{txn_id}</TxnID><EditSequence>{sequence}</EditSequence>"
           f"<ExpenseLineMod><TxnLineID>{second}</TxnLineID></ExpenseLineMod>"
           f"<ExpenseLineMod><TxnLineID>{first}</TxnLineID><Memo>moved</Memo></ExpenseLineMod>"
           f"<ExpenseLineMod><TxnLineID>-1</TxnLineID>{ref('AccountRef', 'Supplies')}<Amount>1.00</Amount>"
           "</ExpenseLineMod></BillMod></BillModRq>")
    ret = ok(books, mod)
    lines = ret.findall("ExpenseLineRet")
    assert [(x.findtext("TxnLineID") in (first, second), x.findtext("Amount")) for x in lines] == [
        (True, "20.00"), (True, "10.00"), (False, "1.00")]
    assert lines[2].findtext("TxnLineID", "").endswith(txn_id.split("-")[1])
    assert ret.findtext("AmountDue") == "31.00" and balance(books, "Vendor", "Acme") == Decimal("131.00")
    # a Mod without lines keeps them; ClearExpenseLines removes them all
    sequence = ret.findtext("EditSequence")
    ret = ok(books, f"<BillModRq><BillMod><TxnID>{txn_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                    "<RefNumber>R-2</RefNumber></BillMod></BillModRq>")
    assert len(ret.findall("ExpenseLineRet")) == 3
    code, message = status_of(books, f"<BillModRq><BillMod><TxnID>{txn_id}</TxnID><EditSequence>"
                                     f"{ret.findtext('EditSequence')}</EditSequence><ClearExpenseLines>true"
                                     "</ClearExpenseLines></BillMod></BillModRq>")
    assert code == 3180 and message.endswith("The transaction is empty.")
    sequence = ret.findtext("EditSequence")
    code, _ = status_of(books, f"<BillModRq><BillMod><TxnID>{txn_id}</TxnID><EditSequence>{sequence}"
                               "</EditSequence><ExpenseLineMod><TxnLineID>99-1</TxnLineID></ExpenseLineMod></BillMod>"
                               "</BillModRq>")
    assert code == 3120


def test_a_paid_bill_keeps_its_vendor_and_at_least_what_is_paid(books: Client) -> None:
    ret = ok(books, bill_body("Acme", "50.00"))
    pay(books, "Acme", {ret.findtext("TxnID", ""): "40.00"})
    ret = get(books, "Bill", ret.findtext("TxnID", ""), "<IncludeLineItems>true</IncludeLineItems>")
    head = f"<BillModRq><BillMod><TxnID>{ret.findtext('TxnID')}</TxnID><EditSequence>{ret.findtext('EditSequence')}" \
           "</EditSequence>"
    code, message = status_of(books, f"{head}{ref('VendorRef', 'Bolt')}</BillMod></BillModRq>")
    assert code == 3180 and message.endswith("This transaction is linked to other transactions.")
    line_id = ret.findtext("ExpenseLineRet/TxnLineID")
    code, _ = status_of(books, f"{head}<ExpenseLineMod><TxnLineID>{line_id}</TxnLineID>"
                               "<Amount>30.00</Amount></ExpenseLineMod></BillMod></BillModRq>")
    assert code == 3180
    ret = ok(books, f"{head}<ExpenseLineMod><TxnLineID>{line_id}</TxnLineID>"
                    "<Amount>45.00</Amount></ExpenseLineMod></BillMod></BillModRq>")
    assert (ret.findtext("AmountDue"), ret.findtext("OpenAmount")) == ("45.00", "5.00")


def test_paying_a_bill_keeps_its_edit_sequence_and_time_modified(qb: FakeQuickBooks, books: Client) -> None:
    ret = ok(books, bill_body("Acme", "50.00"))
    qb.clock.advance(timedelta(minutes=5))
    pay(books, "Acme", {ret.findtext("TxnID", ""): "50.00"})
    after = get(books, "Bill", ret.findtext("TxnID", ""))
    assert after.findtext("IsPaid") == "true"  # behaviour payment_restamps=no, the default
    assert [after.findtext(t) for t in ("EditSequence", "TimeModified")] == [
        ret.findtext(t) for t in ("EditSequence", "TimeModified")]


@pytest.mark.parametrize("action", ["add", "modify", "delete", "void"])
def test_closing_date(qb: FakeQuickBooks, books: Client, action: str) -> None:
    closed = bill(books, "Acme", "10.00", date="2023-12-15")
    open_ = ok(books, bill_body("Acme", "10.00", date="2024-01-15"))
    qb.set_setting("closing_date", "2023-12-31")
    before = balance(books, "Vendor", "Acme")
    requests = {
        "add": bill_body("Acme", "5.00", date="2023-12-31"),
        "modify": f"<BillModRq><BillMod><TxnID>{closed}</TxnID><EditSequence>"
                  f"{get(books, 'Bill', closed).findtext('EditSequence')}</EditSequence><Memo>x</Memo></BillMod>"
                  "</BillModRq>",
        "delete": f"<TxnDelRq><TxnDelType>Bill</TxnDelType><TxnID>{closed}</TxnID></TxnDelRq>",
        "void": f"<TxnVoidRq><TxnVoidType>Bill</TxnVoidType><TxnID>{closed}</TxnID></TxnVoidRq>",
    }
    assert status_of(books, requests[action]) == (3171, CLOSED.format(action))
    assert balance(books, "Vendor", "Acme") == before
    # moving an open transaction into the closed period is a change of a closed transaction too
    code, _ = status_of(books, f"<BillModRq><BillMod><TxnID>{open_.findtext('TxnID')}</TxnID><EditSequence>"
                               f"{open_.findtext('EditSequence')}</EditSequence><TxnDate>2023-12-01</TxnDate></BillMod>"
                               "</BillModRq>")
    assert code == 3171
    ok(books, bill_body("Acme", "5.00", date="2024-01-01"))


def test_names_and_accounts_in_use(books: Client) -> None:
    bill_id = bill(books, "Bolt", "10.00")
    vendor = ok(books, "<VendorQueryRq><FullName>Bolt</FullName></VendorQueryRq>")
    account = ok(books, "<AccountQueryRq><FullName>Supplies</FullName></AccountQueryRq>")
    for del_type, row in (("Vendor", vendor), ("Account", account)):
        code, message = status_of(books, f"<ListDelRq><ListDelType>{del_type}</ListDelType><ListID>"
                                         f"{row.findtext('ListID')}</ListID></ListDelRq>")
        assert code == 3170 and message.endswith("This list element is in use.")
    code, message = status_of(books, f"<AccountModRq><AccountMod><ListID>{account.findtext('ListID')}</ListID>"
                                     f"<EditSequence>{account.findtext('EditSequence')}</EditSequence>"
                                     "<AccountType>CostOfGoodsSold</AccountType></AccountMod></AccountModRq>")
    assert code == 3180 and "used in transactions" in message
    delete(books, "Bill", bill_id)
    ok(books, f"<ListDelRq><ListDelType>Vendor</ListDelType><ListID>{vendor.findtext('ListID')}</ListID></ListDelRq>")


def test_void_and_delete(books: Client) -> None:
    bill_id = bill(books, "Acme", "30.00", ref_number="B-9")
    credit_id = credit(books, "Acme", "10.00")
    pay(books, "Acme", {bill_id: "15.00"}, {bill_id: [(credit_id, "10.00")]})
    assert balance(books, "Vendor", "Acme") == Decimal("105.00")
    rs = void(books, "Bill", bill_id)
    assert (rs.findtext("TxnVoidType"), rs.findtext("RefNumber")) == ("Bill", "B-9")
    ret = get(books, "Bill", bill_id, "<IncludeLinkedTxns>true</IncludeLinkedTxns>")
    assert (ret.findtext("AmountDue"), ret.findtext("OpenAmount"), ret.find("LinkedTxn")) == ("0.00", "0.00", None)
    assert ret.findtext("Memo") == "VOID:"
    # the payment is left unapplied, the credit free again
    assert get(books, "VendorCredit", credit_id).findtext("OpenAmount") == "10.00"
    assert balance(books, "Vendor", "Acme") == Decimal("75.00")  # 100 opening - 15 paid - 10 credit
    assert balance(books, "Account", "Accounts Payable") == Decimal("75.00")  # the opening balance is a bill
    rs = delete(books, "Bill", bill_id)
    assert rs.findtext("RefNumber") == "B-9"
    assert balance(books, "Vendor", "Acme") == Decimal("75.00")


def test_old_versions_show_line_ids_as_zero(books: Client) -> None:
    ret = ok(books, bill_body("Acme", "1.00"), version="1.1")
    assert ret.findtext("ExpenseLineRet/TxnLineID") == "0"
    again = get(books, "Bill", ret.findtext("TxnID", ""), "<IncludeLineItems>true</IncludeLineItems>")
    assert again.findtext("ExpenseLineRet/TxnLineID") != "0"
