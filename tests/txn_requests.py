"""Building transaction requests and reading balances back, for the behaviour tests of transactions."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from tests.support import Client


def ref(tag: str, full_name: str) -> str:
    return f"<{tag}><FullName>{full_name}</FullName></{tag}>"


def ok(client: Client, body: str, version: str = "13.0") -> etree._Element:
    """Send one request that must succeed; return its first `*Ret` (or the Rs when it has none)."""
    rs = client.one(body, version)
    assert rs.get("statusCode") == "0", etree.tostring(rs, encoding="unicode")
    return rs[0] if len(rs) else rs


def status_of(client: Client, body: str) -> tuple[int, str]:
    rs = client.one(body)
    return int(rs.get("statusCode", "-1")), rs.get("statusMessage", "")


def company(client: Client) -> None:
    """Accounts (a bank with 1000.00, a credit card, an expense, an income, A/P), two vendors (Acme owing 100.00), a
    customer with a job, and a non-inventory item."""
    for body in (
        "<AccountAdd><Name>Checking</Name><AccountType>Bank</AccountType><OpenBalance>1000.00</OpenBalance>"
        "</AccountAdd>",
        "<AccountAdd><Name>Savings</Name><AccountType>Bank</AccountType></AccountAdd>",
        "<AccountAdd><Name>Visa</Name><AccountType>CreditCard</AccountType></AccountAdd>",
        "<AccountAdd><Name>Supplies</Name><AccountType>Expense</AccountType></AccountAdd>",
        "<AccountAdd><Name>Sales</Name><AccountType>Income</AccountType></AccountAdd>",
        "<AccountAdd><Name>Accounts Payable</Name><AccountType>AccountsPayable</AccountType></AccountAdd>",
    ):
        ok(client, f"<AccountAddRq>{body}</AccountAddRq>")
    ok(client, "<VendorAddRq><VendorAdd><Name>Acme</Name><VendorAddress><Addr1>1 Mill Rd</Addr1></VendorAddress>"
               "<OpenBalance>100.00</OpenBalance></VendorAdd></VendorAddRq>")
    ok(client, "<VendorAddRq><VendorAdd><Name>Bolt</Name></VendorAdd></VendorAddRq>")
    ok(client, "<CustomerAddRq><CustomerAdd><Name>Jones</Name></CustomerAdd></CustomerAddRq>")
    ok(client, f"<CustomerAddRq><CustomerAdd><Name>Kitchen</Name>{ref('ParentRef', 'Jones')}</CustomerAdd>"
               "</CustomerAddRq>")
    ok(client, "<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Widget</Name><SalesAndPurchase>"
               f"<PurchaseDesc>Widget, boxed</PurchaseDesc><PurchaseCost>2.50</PurchaseCost>"
               f"{ref('ExpenseAccountRef', 'Supplies')}</SalesAndPurchase></ItemNonInventoryAdd>"
               "</ItemNonInventoryAddRq>")


def bill_body(vendor: str, *amounts: str, ref_number: str | None = None, date: str = "2024-02-20",
              extra: str = "") -> str:
    lines = "".join(f"<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}<Amount>{a}</Amount></ExpenseLineAdd>"
                    for a in amounts)
    number = f"<RefNumber>{ref_number}</RefNumber>" if ref_number else ""
    return f"<BillAddRq><BillAdd>{ref('VendorRef', vendor)}<TxnDate>{date}</TxnDate>{number}{extra}{lines}</BillAdd>" \
           "</BillAddRq>"


def bill(client: Client, vendor: str, *amounts: str, **kwargs: str) -> str:
    return ok(client, bill_body(vendor, *amounts, **kwargs)).findtext("TxnID") or ""


def credit(client: Client, vendor: str, amount: str, ref_number: str = "") -> str:
    number = f"<RefNumber>{ref_number}</RefNumber>" if ref_number else ""
    return ok(client, f"<VendorCreditAddRq><VendorCreditAdd>{ref('VendorRef', vendor)}<TxnDate>2024-02-25</TxnDate>"
                      f"{number}<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}<Amount>{amount}</Amount>"
                      "</ExpenseLineAdd></VendorCreditAdd></VendorCreditAddRq>").findtext("TxnID") or ""


def applied(bills: dict[str, str], credits: dict[str, list[tuple[str, str]]] | None = None,
            tag: str = "AppliedToTxnAdd") -> str:
    """AppliedToTxnAdd (or Mod) aggregates: {bill TxnID: payment amount}, credits {bill TxnID: [(credit, amount)]}."""
    out = []
    for bill_id, amount in bills.items():
        sets = "".join(f"<SetCredit><CreditTxnID>{c}</CreditTxnID><AppliedAmount>{a}</AppliedAmount></SetCredit>"
                       for c, a in (credits or {}).get(bill_id, []))
        out.append(f"<{tag}><TxnID>{bill_id}</TxnID><PaymentAmount>{amount}</PaymentAmount>{sets}</{tag}>")
    return "".join(out)


def pay_body(vendor: str, bills: dict[str, str], credits: dict[str, list[tuple[str, str]]] | None = None,
             bank: str = "Checking", number: str = "101") -> str:
    return (f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', vendor)}<TxnDate>2024-03-01</TxnDate>"
            f"{ref('BankAccountRef', bank)}<RefNumber>{number}</RefNumber>{applied(bills, credits)}"
            "</BillPaymentCheckAdd></BillPaymentCheckAddRq>")


def pay(client: Client, vendor: str, bills: dict[str, str],
        credits: dict[str, list[tuple[str, str]]] | None = None) -> str:
    return ok(client, pay_body(vendor, bills, credits)).findtext("TxnID") or ""


def get(client: Client, kind: str, txn_id: str, extra: str = "") -> etree._Element:
    return ok(client, f"<{kind}QueryRq><TxnID>{txn_id}</TxnID>{extra}</{kind}QueryRq>")


def balance(client: Client, kind: str, name: str) -> Decimal:
    return Decimal(ok(client, f"<{kind}QueryRq><FullName>{name}</FullName></{kind}QueryRq>").findtext("Balance") or "")


def delete(client: Client, kind: str, txn_id: str) -> etree._Element:
    """TxnDel; returns the Rs."""
    rs = client.one(f"<TxnDelRq><TxnDelType>{kind}</TxnDelType><TxnID>{txn_id}</TxnID></TxnDelRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    return rs


def void(client: Client, kind: str, txn_id: str) -> etree._Element:
    """TxnVoid; returns the Rs."""
    rs = client.one(f"<TxnVoidRq><TxnVoidType>{kind}</TxnVoidType><TxnID>{txn_id}</TxnID></TxnVoidRq>")
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    return rs


# -- receivables ----------------------------------------------------------------------------------------------------

#: 3171, by action (add, modify, delete, void) and transaction type.
CLOSED = ("An attempt was made to {} a {} with a date that is on or before the closing date of the company. If you are "
          "sure you really want to do this, please ask a user with Admin privileges to remove the password for editing "
          "transactions on or before to closing date (this setting is in the Accounting Company Preferences), then "
          "try again.")


def sales_company(client: Client) -> None:
    """`company` and an A/R account, a service item (Labor, 80.00 an hour, income to Sales) and a customer with an
    e-mail address (Smith, who owes 40.00 from its opening balance)."""
    company(client)
    ok(client, "<AccountAddRq><AccountAdd><Name>Accounts Receivable</Name><AccountType>AccountsReceivable"
               "</AccountType></AccountAdd></AccountAddRq>")
    ok(client, f"<ItemServiceAddRq><ItemServiceAdd><Name>Labor</Name><SalesOrPurchase><Desc>Hourly labor</Desc>"
               f"<Price>80.00</Price>{ref('AccountRef', 'Sales')}</SalesOrPurchase></ItemServiceAdd>"
               "</ItemServiceAddRq>")
    ok(client, "<CustomerAddRq><CustomerAdd><Name>Smith</Name><BillAddress><Addr1>9 Elm St</Addr1><City>Salem"
               "</City></BillAddress><Email>pay@smith.example</Email><OpenBalance>40.00</OpenBalance></CustomerAdd>"
               "</CustomerAddRq>")


def labor(*amounts: str, tag: str = "InvoiceLineAdd") -> str:
    """Lines of the Labor item, one per amount."""
    return "".join(f"<{tag}>{ref('ItemRef', 'Labor')}<Amount>{a}</Amount></{tag}>" for a in amounts)


def invoice_body(customer: str, *amounts: str, ref_number: str | None = None, date: str = "2024-02-20",
                 extra: str = "", lines: str = "") -> str:
    number = f"<RefNumber>{ref_number}</RefNumber>" if ref_number is not None else ""
    return (f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}<TxnDate>{date}</TxnDate>{number}{extra}"
            f"{labor(*amounts)}{lines}</InvoiceAdd></InvoiceAddRq>")


def invoice(client: Client, customer: str, *amounts: str, **kwargs: str) -> str:
    return ok(client, invoice_body(customer, *amounts, **kwargs)).findtext("TxnID") or ""


def credit_memo(client: Client, customer: str, amount: str, ref_number: str = "") -> str:
    number = f"<RefNumber>{ref_number}</RefNumber>" if ref_number else ""
    return ok(client, f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', customer)}<TxnDate>2024-02-25</TxnDate>"
                      f"{number}{labor(amount, tag='CreditMemoLineAdd')}</CreditMemoAdd></CreditMemoAddRq>"
              ).findtext("TxnID") or ""


def receive_body(customer: str, invoices: dict[str, str], credits: dict[str, list[tuple[str, str]]] | None = None,
                 total: str | None = None, extra: str = "") -> str:
    """A ReceivePaymentAdd applying {invoice TxnID: amount} (with {invoice TxnID: [(credit, amount)]} set)."""
    head = f"<TotalAmount>{total}</TotalAmount>" if total is not None else ""
    return (f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TxnDate>2024-03-01</TxnDate>"
            f"{head}{extra}{applied(invoices, credits)}</ReceivePaymentAdd></ReceivePaymentAddRq>")


def receive(client: Client, customer: str, invoices: dict[str, str],
            credits: dict[str, list[tuple[str, str]]] | None = None, total: str | None = None) -> str:
    return ok(client, receive_body(customer, invoices, credits, total)).findtext("TxnID") or ""


def balances(client: Client, customer: str) -> tuple[Decimal, Decimal]:
    """A customer's (or job's) Balance and TotalBalance."""
    ret = ok(client, f"<CustomerQueryRq><FullName>{customer}</FullName></CustomerQueryRq>")
    return Decimal(ret.findtext("Balance") or ""), Decimal(ret.findtext("TotalBalance") or "")
