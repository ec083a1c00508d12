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
