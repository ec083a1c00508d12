"""Invoices and credit memos: what QuickBooks fills in, numbering, lines, jobs, Mod, credits set, the closing date."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fakeqb import FakeQuickBooks
from tests.support import Client
from tests.txn_requests import (
    CLOSED,
    balance,
    balances,
    credit_memo,
    delete,
    get,
    invoice,
    invoice_body,
    labor,
    ok,
    receive,
    ref,
    sales_company,
    status_of,
    void,
)


@pytest.fixture
def books(client: Client) -> Client:
    sales_company(client)
    return client


def line(item: str, fields: str = "", tag: str = "InvoiceLineAdd") -> str:
    return f"<{tag}>{ref('ItemRef', item)}{fields}</{tag}>"


def add(client: Client, lines: str, customer: str = "Smith", extra: str = "") -> tuple[int, str, Any]:
    rs = client.one(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}{extra}{lines}</InvoiceAdd>"
                    "</InvoiceAddRq>")
    return int(rs.get("statusCode", "-1")), rs.get("statusMessage", ""), rs[0] if len(rs) else None


def test_defaults_from_the_company_and_the_customer(books: Client) -> None:
    ret = ok(books, f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Smith')}{labor('10.00')}</InvoiceAdd>"
                    "</InvoiceAddRq>")
    assert (ret.findtext("TxnDate"), ret.findtext("DueDate"), ret.findtext("RefNumber")) == ("2024-03-01",
                                                                                             "2024-03-01", "1")
    assert ret.findtext("ARAccountRef/FullName") == "Accounts Receivable"
    assert (ret.findtext("BillAddress/Addr1"), ret.findtext("BillAddressBlock/Addr2")) == ("9 Elm St", "Salem")
    assert ret.find("ShipAddress") is None
    assert [ret.findtext(f) for f in ("IsPending", "IsFinanceCharge", "IsToBePrinted", "IsToBeEmailed")] == [
        "false"] * 4
    assert (ret.findtext("SalesTaxPercentage"), ret.findtext("SalesTaxTotal")) == ("0.00", "0.00")
    sent = ok(books, invoice_body("Smith", "10.00", extra="<BillAddress><Addr1>PO Box 1</Addr1></BillAddress>"
                                                          "<DueDate>2024-04-01</DueDate>"))
    assert (sent.findtext("BillAddress/Addr1"), sent.findtext("DueDate")) == ("PO Box 1", "2024-04-01")


def test_the_ar_account_is_created_when_the_first_invoice_needs_it(client: Client) -> None:
    ok(client, "<AccountAddRq><AccountAdd><Name>Sales</Name><AccountType>Income</AccountType></AccountAdd>"
               "</AccountAddRq>")
    ok(client, f"<ItemServiceAddRq><ItemServiceAdd><Name>Labor</Name><SalesOrPurchase><Price>5.00</Price>"
               f"{ref('AccountRef', 'Sales')}</SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>")
    ok(client, "<CustomerAddRq><CustomerAdd><Name>Smith</Name></CustomerAdd></CustomerAddRq>")
    first, second = (ok(client, invoice_body("Smith", amount)) for amount in ("5.00", "7.00"))
    assert first.findtext("ARAccountRef/ListID") == second.findtext("ARAccountRef/ListID")
    accounts = client.one("<AccountQueryRq><AccountType>AccountsReceivable</AccountType></AccountQueryRq>")
    assert [(a.findtext("FullName"), a.findtext("Balance")) for a in accounts] == [("Accounts Receivable", "12.00")]
    code, message = status_of(client, f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', 'Smith')}"
                                      f"{ref('ARAccountRef', 'Sales')}{labor('1.00')}</InvoiceAdd></InvoiceAddRq>")
    assert code == 3140 and 'QuickBooks Account "Sales" in the Invoice.' in message


def test_numbering_follows_the_last_numeric_number(books: Client) -> None:
    def number(body: str) -> str | None:
        return ok(books, body).findtext("RefNumber")

    assert number(invoice_body("Smith", "1.00")) == "1"
    assert number(invoice_body("Smith", "1.00", ref_number="1041")) == "1041"
    assert number(invoice_body("Smith", "1.00", ref_number="A-7")) == "A-7"
    assert number(invoice_body("Smith", "1.00")) == "1042"  # after the last numeric one
    memo = ok(books, f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', 'Smith')}"
                     f"{labor('1.00', tag='CreditMemoLineAdd')}</CreditMemoAdd></CreditMemoAddRq>")
    assert memo.findtext("RefNumber") == "1043"  # one sequence for the sales forms
    assert number(invoice_body("Smith", "1.00", ref_number="")) is None  # empty stays empty
    assert number(invoice_body("Smith", "1.00")) == "1044"


def test_lines(books: Client) -> None:
    ok(books, "<AccountAddRq><AccountAdd><Name>Fees</Name><AccountType>Income</AccountType></AccountAdd>"
              "</AccountAddRq>")
    ok(books, "<ItemOtherChargeAddRq><ItemOtherChargeAdd><Name>Rush</Name><SalesOrPurchase><PricePercent>10"
              f"</PricePercent>{ref('AccountRef', 'Fees')}</SalesOrPurchase></ItemOtherChargeAdd>"
              "</ItemOtherChargeAddRq>")
    lines = (line("Labor") + line("Labor", "<Quantity>3</Quantity><Rate>0.125</Rate>")
             + line("Labor", "<Desc>Half day</Desc><Quantity>4</Quantity><Amount>300.00</Amount>")
             + line("Rush") + line("Labor", f"<Amount>-20.00</Amount>{ref('OverrideItemAccountRef', 'Fees')}")
             + line("Labor", "<RatePercent>-50</RatePercent>")
             + "<InvoiceLineAdd><Desc>Thank you</Desc></InvoiceLineAdd>")
    code, _, ret = add(books, lines)
    assert code == 0 and ret is not None
    got = [(x.findtext("Desc"), x.findtext("Quantity"), x.findtext("Rate"), x.findtext("RatePercent"),
            x.findtext("Amount")) for x in ret.findall("InvoiceLineRet")]
    assert got == [("Hourly labor", "1", "80", None, "80.00"), ("Hourly labor", "3", "0.125", None, "0.38"),
                   ("Half day", "4", "75", None, "300.00"), (None, None, None, "10", "30.00"),
                   ("Hourly labor", None, None, None, "-20.00"), ("Hourly labor", None, None, "-50", "10.00"),
                   ("Thank you", None, None, None, None)]
    assert ret.findtext("Subtotal") == "400.38"
    assert (balance(books, "Account", "Sales"), balance(books, "Account", "Fees")) == (Decimal("390.38"),
                                                                                       Decimal("10.00"))
    code, message, _ = add(books, "<InvoiceLineAdd><Desc>Extra</Desc><Amount>5.00</Amount></InvoiceLineAdd>")
    assert code == 3180 and message.endswith("An item must be specified for each line with an amount.")
    code, message, _ = add(books, labor("-1.00"))
    assert code == 3180 and message.endswith("The total of the transaction cannot be negative.")
    code, message, _ = add(books, "")
    assert code == 3180 and message.endswith("The transaction is empty.")


def test_what_is_not_simulated(books: Client) -> None:
    assert add(books, labor("1.00") + "<DiscountLineAdd><Amount>1.00</Amount></DiscountLineAdd>")[0] == 3250
    assert add(books, labor("1.00"), extra="<LinkToTxnID>5-1700000000</LinkToTxnID>")[0] == 3120
    code, message, _ = add(books, line("Labor", ref("SalesTaxCodeRef", "Out")))
    assert code == 3140 and 'QuickBooks SalesTaxCode "Out" in the Invoice line.' in message
    assert add(books, labor("1.00"), extra=ref("TemplateRef", "No Such Form"))[0] == 3140
    assert add(books, labor("1.00"), extra=ref("TemplateRef", "Intuit Service Invoice"))[0] == 0


def test_to_be_emailed_needs_an_email_address(books: Client) -> None:
    code, message, _ = add(books, labor("1.00"), customer="Jones", extra="<IsToBeEmailed>true</IsToBeEmailed>")
    assert code == 3180 and message.endswith("The customer has no e-mail address to send the form to.")
    code, _, ret = add(books, labor("1.00"), extra="<IsToBeEmailed>true</IsToBeEmailed>")
    assert code == 0 and ret is not None and ret.findtext("IsToBeEmailed") == "true"


def test_a_jobs_invoice_is_the_jobs_balance(books: Client) -> None:
    invoice(books, "Jones:Kitchen", "120.00")
    invoice(books, "Jones", "30.00")
    assert balances(books, "Jones:Kitchen") == (Decimal("120.00"), Decimal("120.00"))
    assert balances(books, "Jones") == (Decimal("30.00"), Decimal("150.00"))
    credit_memo(books, "Jones:Kitchen", "20.00")
    assert balances(books, "Jones") == (Decimal("30.00"), Decimal("130.00"))
    assert balance(books, "Account", "Accounts Receivable") == Decimal("170.00")  # Smith's opening balance too


def test_mod(books: Client) -> None:
    ret = ok(books, invoice_body("Smith", "100.00", "50.00"))
    txn_id, sequence = ret.findtext("TxnID"), ret.findtext("EditSequence")
    first = ret.findtext("InvoiceLineRet/TxnLineID")
    ret = ok(books, f"<InvoiceModRq><InvoiceMod><TxnID>{txn_id}</TxnID><EditSequence>{sequence}</EditSequence>"
                    f"<InvoiceLineMod><TxnLineID>{first}</TxnLineID><Quantity>2</Quantity></InvoiceLineMod>"
                    "</InvoiceMod></InvoiceModRq>")
    assert [(x.findtext("Quantity"), x.findtext("Rate"), x.findtext("Amount")) for x in
            ret.findall("InvoiceLineRet")] == [("2", "80", "160.00")]  # Amount recomputed, the other removed
    assert ret.findtext("BalanceRemaining") == "160.00" and balances(books, "Smith")[0] == Decimal("200.00")
    ret = ok(books, f"<InvoiceModRq><InvoiceMod><TxnID>{txn_id}</TxnID><EditSequence>{ret.findtext('EditSequence')}"
                    f"</EditSequence>{ref('CustomerRef', 'Jones')}<RefNumber>X-1</RefNumber></InvoiceMod>"
                    "</InvoiceModRq>")
    assert ret.findtext("RefNumber") == "X-1" and ret.findtext("BillAddress/Addr1") == "9 Elm St"  # kept
    assert (balances(books, "Smith")[0], balances(books, "Jones")[0]) == (Decimal("40.00"), Decimal("160.00"))


def test_a_paid_invoice_keeps_its_customer_and_at_least_what_is_paid(books: Client) -> None:
    invoice_id = invoice(books, "Smith", "50.00")
    receive(books, "Smith", {invoice_id: "40.00"})
    ret = get(books, "Invoice", invoice_id, "<IncludeLineItems>true</IncludeLineItems>")
    assert (ret.findtext("AppliedAmount"), ret.findtext("BalanceRemaining")) == ("-40.00", "10.00")
    head = f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>{ret.findtext('EditSequence')}" \
           "</EditSequence>"
    code, message = status_of(books, f"{head}{ref('CustomerRef', 'Jones')}</InvoiceMod></InvoiceModRq>")
    assert code == 3180 and message.endswith("This transaction is linked to other transactions.")
    line_id = ret.findtext("InvoiceLineRet/TxnLineID")
    code, message = status_of(books, f"{head}<InvoiceLineMod><TxnLineID>{line_id}</TxnLineID><Amount>30.00</Amount>"
                                     "</InvoiceLineMod></InvoiceMod></InvoiceModRq>")
    assert code == 3180 and message.endswith("The amount applied is more than the amount of the transaction.")
    ret = ok(books, f"{head}<InvoiceLineMod><TxnLineID>{line_id}</TxnLineID><Amount>45.00</Amount>"
                    "</InvoiceLineMod></InvoiceMod></InvoiceModRq>")
    assert (ret.findtext("Subtotal"), ret.findtext("AppliedAmount"), ret.findtext("BalanceRemaining")) == (
        "45.00", "-40.00", "5.00")


def test_credits_set_by_the_invoice(books: Client) -> None:
    memo = credit_memo(books, "Smith", "30.00", "CM-1")
    other = credit_memo(books, "Jones", "5.00")
    code, _ = status_of(books, invoice_body("Smith", "20.00", extra=f"<SetCredit><CreditTxnID>{memo}</CreditTxnID>"
                                                                    "<AppliedAmount>25.00</AppliedAmount></SetCredit>"))
    assert code == 3210  # more than the invoice
    code, _ = status_of(books, invoice_body("Smith", "20.00", extra=f"<SetCredit><CreditTxnID>{other}</CreditTxnID>"
                                                                    "<AppliedAmount>1.00</AppliedAmount></SetCredit>"))
    assert code == 3120  # another customer's
    ret = ok(books, invoice_body("Smith", "50.00", extra=f"<SetCredit><CreditTxnID>{memo}</CreditTxnID>"
                                                         "<AppliedAmount>30.00</AppliedAmount></SetCredit>"))
    invoice_id = ret.findtext("TxnID") or ""
    assert (ret.findtext("AppliedAmount"), ret.findtext("BalanceRemaining")) == ("-30.00", "20.00")
    assert get(books, "CreditMemo", memo).findtext("CreditRemaining") == "0.00"
    assert balances(books, "Smith")[0] == Decimal("60.00")  # 40 + 50 - 30
    # a Mod naming no SetCredit keeps it
    ret = ok(books, f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>{ret.findtext('EditSequence')}"
                    "</EditSequence><Memo>kept</Memo></InvoiceMod></InvoiceModRq>")
    assert ret.findtext("BalanceRemaining") == "20.00"
    # one naming SetCredit replaces it
    ret = ok(books, f"<InvoiceModRq><InvoiceMod><TxnID>{invoice_id}</TxnID><EditSequence>{ret.findtext('EditSequence')}"
                    f"</EditSequence><SetCredit><CreditTxnID>{memo}</CreditTxnID><AppliedAmount>10.00</AppliedAmount>"
                    "</SetCredit></InvoiceMod></InvoiceModRq>")
    assert ret.findtext("BalanceRemaining") == "40.00"
    assert get(books, "CreditMemo", memo).findtext("CreditRemaining") == "20.00"
    delete(books, "Invoice", invoice_id)
    assert get(books, "CreditMemo", memo).findtext("CreditRemaining") == "30.00"


def test_void_and_delete(books: Client) -> None:
    invoice_id = invoice(books, "Smith", "60.00")
    payment = receive(books, "Smith", {invoice_id: "60.00"})
    rs = void(books, "Invoice", invoice_id)
    assert rs.findtext("TxnVoidType") == "Invoice"
    ret = get(books, "Invoice", invoice_id, "<IncludeLineItems>true</IncludeLineItems>")
    assert (ret.findtext("Subtotal"), ret.findtext("BalanceRemaining"), ret.findtext("Memo"),
            ret.findtext("InvoiceLineRet/Amount")) == ("0.00", "0.00", "VOID:", "0.00")
    assert get(books, "ReceivePayment", payment).findtext("UnusedPayment") == "60.00"
    assert balances(books, "Smith")[0] == Decimal("-20.00") and balance(books, "Account", "Sales") == 0
    delete(books, "ReceivePayment", payment)
    assert balances(books, "Smith")[0] == Decimal("40.00")
    assert balance(books, "Account", "Accounts Receivable") == Decimal("40.00")  # Smith's opening balance


@pytest.mark.parametrize("action", ["add", "modify", "delete", "void"])
def test_closing_date(qb: FakeQuickBooks, books: Client, action: str) -> None:
    closed = invoice(books, "Smith", "10.00", date="2023-12-15")
    qb.set_setting("closing_date", "2023-12-31")
    sequence = get(books, "Invoice", closed).findtext("EditSequence")
    requests = {
        "add": invoice_body("Smith", "5.00", date="2023-12-31"),
        "modify": f"<InvoiceModRq><InvoiceMod><TxnID>{closed}</TxnID><EditSequence>{sequence}</EditSequence>"
                  "<Memo>x</Memo></InvoiceMod></InvoiceModRq>",
        "delete": f"<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>{closed}</TxnID></TxnDelRq>",
        "void": f"<TxnVoidRq><TxnVoidType>Invoice</TxnVoidType><TxnID>{closed}</TxnID></TxnVoidRq>",
    }
    assert status_of(books, requests[action]) == (3171, CLOSED.format(action, "Invoice"))
    assert balances(books, "Smith")[0] == Decimal("50.00")
    # moving an open invoice into the closed period is refused too
    open_ = ok(books, invoice_body("Smith", "5.00", date="2024-01-15"))
    code, _ = status_of(books, f"<InvoiceModRq><InvoiceMod><TxnID>{open_.findtext('TxnID')}</TxnID><EditSequence>"
                               f"{open_.findtext('EditSequence')}</EditSequence><TxnDate>2023-12-01</TxnDate>"
                               "</InvoiceMod></InvoiceModRq>")
    assert code == 3171


def test_queries(books: Client) -> None:
    opening = ok(books, "<InvoiceQueryRq/>").findtext("TxnID")  # Smith's opening balance
    kitchen = invoice(books, "Jones:Kitchen", "10.00", ref_number="1001")
    jones = invoice(books, "Jones", "20.00", ref_number="1010", date="2024-01-05")
    smith = invoice(books, "Smith", "30.00", ref_number="A-1")
    payment = receive(books, "Smith", {smith: "30.00"})
    jones_id = ok(books, "<CustomerQueryRq><FullName>Jones</FullName></CustomerQueryRq>").findtext("ListID")

    def found(filters: str, kind: str = "Invoice") -> list[str | None]:
        rs = books.one(f"<{kind}QueryRq>{filters}</{kind}QueryRq>")
        return [r.findtext("TxnID") for r in rs]

    assert found(f"<EntityFilter><ListIDWithChildren>{jones_id}</ListIDWithChildren></EntityFilter>") == [kitchen,
                                                                                                          jones]
    assert found("<EntityFilter><FullName>Jones:Kitchen</FullName></EntityFilter>") == [kitchen]
    assert found("<RefNumberRangeFilter><FromRefNumber>1002</FromRefNumber><ToRefNumber>1010</ToRefNumber>"
                 "</RefNumberRangeFilter>") == [jones]
    assert found("<RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>a-</RefNumber>"
                 "</RefNumberFilter>") == [smith]
    assert found("<TxnDateRangeFilter><ToTxnDate>2024-01-31</ToTxnDate></TxnDateRangeFilter>") == [jones]
    assert found("<PaidStatus>NotPaidOnly</PaidStatus>") == [opening, kitchen, jones]
    assert found("<AccountFilter><FullName>Undeposited Funds</FullName></AccountFilter>", "ReceivePayment") == [
        payment]
    assert found("<AccountFilter><FullName>Accounts Receivable</FullName></AccountFilter>", "CreditMemo") == []
    ret = get(books, "Invoice", smith)
    assert ret.find("LinkedTxn") is None and ret.find("InvoiceLineRet") is None  # only when asked
