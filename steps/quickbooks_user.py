"""A person working in QuickBooks: what they enter and read, as qbXML through a request processor of their own.

Every request is written here by hand, independently of the syncer's builders, so that a disagreement between what
the syncer writes and what QuickBooks expects shows up rather than being shared. Lists are found by full name and
bills, vendor credits and invoices by their number.
"""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

APP_NAME = "QuickBooks user"
QBXML_VERSION = "13.0"

#: What a person picks in QuickBooks -> (list type, account type for accounts).
LIST_TYPES: dict[str, tuple[str, str | None]] = {
    "account": ("Account", "Expense"),
    "expense account": ("Account", "Expense"),
    "income account": ("Account", "Income"),
    "bank account": ("Account", "Bank"),
    "credit card account": ("Account", "CreditCard"),
    "class": ("Class", None),
    "vendor": ("Vendor", None),
    "customer": ("Customer", None),
    "job": ("Customer", None),
    "service item": ("ItemService", None),
    "non-inventory item": ("ItemNonInventory", None),
    "other charge item": ("ItemOtherCharge", None),
    "inventory item": ("ItemInventory", None),
}
#: A detail of a vendor or customer -> its element in QuickBooks ("{address}": VendorAddress or BillAddress).
DETAIL_ELEMENTS = {"company name": "CompanyName", "phone": "Phone", "e-mail": "Email", "address": "{address}/Addr1"}
ADDRESS_BLOCKS = {"vendor": "VendorAddress", "customer": "BillAddress"}

#: A bill, vendor credit or invoice: (transaction type, the element of its lines, its Mod, the field of its amount).
TXN_TYPES: dict[str, tuple[str, str, str, str]] = {
    "bill": ("Bill", "ExpenseLineRet", "ExpenseLineMod", "AmountDue"),
    "vendor credit": ("VendorCredit", "ExpenseLineRet", "ExpenseLineMod", "CreditAmount"),
    "invoice": ("Invoice", "InvoiceLineRet", "InvoiceLineMod", "Subtotal"),
}


def esc(value: Any) -> str:
    return escape(str(value))


def ref(element: str, full_name: str) -> str:
    return f"<{element}><FullName>{esc(full_name)}</FullName></{element}>"


def amount(value: Decimal) -> str:
    return f"{value:.2f}"


def money(element: etree._Element, path: str) -> Decimal:
    return Decimal(element.findtext(path) or "0")


def detail_path(kind: str, detail: str) -> str:
    """Where a vendor's or customer's detail is in QuickBooks (`VendorAddress/Addr1`, `Phone`...)."""
    return DETAIL_ELEMENTS[detail].replace("{address}", ADDRESS_BLOCKS[kind])


def email_for(name: str) -> str:
    """The e-mail address a person gives a new customer (QuickBooks needs one to e-mail invoices)."""
    return "billing@" + ("".join(ch for ch in name.lower() if ch.isalnum()) or "customer") + ".example"


class QuickBooksRefusedError(AssertionError):
    """QuickBooks refused what the person entered."""


class QuickBooksUser:
    """Enters, changes and reads what a person sees in QuickBooks."""

    def __init__(self, rp: Any):
        self.rp = rp
        self._accounts: set[str] = set()  # accounts known to exist
        rp.OpenConnection2("", APP_NAME, 1)
        self.ticket = rp.BeginSession("", 2)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.rp.EndSession(self.ticket)
        with contextlib.suppress(Exception):
            self.rp.CloseConnection()

    # -- sending ------------------------------------------------------------------------------------------------
    def send(self, body: str) -> etree._Element:
        """Send one request; its response (the Rs element)."""
        xml = (f'<?xml version="1.0"?><?qbxml version="{QBXML_VERSION}"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
               f"{body}</QBXMLMsgsRq></QBXML>")
        msgs = etree.fromstring(self.rp.ProcessRequest(self.ticket, xml).encode()).find("QBXMLMsgsRs")
        assert msgs is not None and len(msgs), "QuickBooks gave no response"
        return msgs[0]

    def ok(self, body: str) -> etree._Element | None:
        """Send one request that must succeed; its first Ret (None when it has none)."""
        rs = self.send(body)
        if rs.get("statusCode") not in ("0", "1"):  # 1: a query found nothing
            raise QuickBooksRefusedError(f"QuickBooks refused it: {rs.get('statusCode')} {rs.get('statusMessage')}")
        return next((c for c in rs if str(c.tag).endswith("Ret")), None)

    def rets(self, body: str) -> list[etree._Element]:
        """What a query finds (nothing, when QuickBooks has nothing by the name or number asked for)."""
        rs = self.send(body)
        if rs.get("statusCode") not in ("0", "1", "500"):
            raise QuickBooksRefusedError(f"QuickBooks refused the query: {rs.get('statusCode')} "
                                         f"{rs.get('statusMessage')}")
        return [c for c in rs if str(c.tag).endswith("Ret")]

    # -- lists --------------------------------------------------------------------------------------------------
    def ensure_account(self, name: str, account_type: str) -> str:
        """An account the company has, added first if it has none by that name."""
        if name not in self._accounts:
            if not self.rets(f"<AccountQueryRq><FullName>{esc(name)}</FullName></AccountQueryRq>"):
                self.ok(f"<AccountAddRq><AccountAdd><Name>{esc(name)}</Name><AccountType>{account_type}</AccountType>"
                        "</AccountAdd></AccountAddRq>")
            self._accounts.add(name)
        return name

    def add(self, kind: str, name: str, parent: str | None = None, balance: Decimal | None = None,
            on: date | None = None, account: str = "Sales") -> None:
        """Add a list element as a person picks it in QuickBooks ("bank account", "service item", "job"...); an item
        is sold to `account`."""
        list_type, account_type = LIST_TYPES[kind]
        parent_ref = ref("ParentRef", parent) if parent else ""
        if list_type == "Account":
            opening = f"<OpenBalance>{amount(balance)}</OpenBalance><OpenBalanceDate>{on}</OpenBalanceDate>" \
                if balance is not None else ""
            fields = f"<Name>{esc(name)}</Name>{parent_ref}<AccountType>{account_type}</AccountType>{opening}"
        elif list_type == "Customer":
            fields = f"<Name>{esc(name)}</Name>{parent_ref}<Email>{esc(email_for(parent or name))}</Email>"
        elif list_type == "ItemInventory":
            cogs = self.ensure_account("Cost of Goods Sold", "CostOfGoodsSold")
            asset = self.ensure_account("Inventory Asset", "OtherCurrentAsset")
            fields = (f"<Name>{esc(name)}</Name><SalesDesc>{esc(name)}</SalesDesc>{ref('IncomeAccountRef', account)}"
                      f"<PurchaseDesc>{esc(name)}</PurchaseDesc>{ref('COGSAccountRef', cogs)}"
                      f"{ref('AssetAccountRef', asset)}")
        elif list_type.startswith("Item"):
            fields = (f"<Name>{esc(name)}</Name><SalesOrPurchase><Desc>{esc(name)}</Desc>"
                      f"{ref('AccountRef', account)}</SalesOrPurchase>")
        else:
            fields = f"<Name>{esc(name)}</Name>{parent_ref}"
        self.ok(f"<{list_type}AddRq><{list_type}Add>{fields}</{list_type}Add></{list_type}AddRq>")

    def find(self, kind: str, full_name: str) -> etree._Element | None:
        """The list element with this full name, if QuickBooks has one of that kind."""
        list_type, account_type = LIST_TYPES[kind]
        if kind == "job":  # a job is found by its own name too, under whichever customer
            found = [r for r in self.rets("<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>")
                     if r.findtext("Sublevel") != "0" and full_name in (r.findtext("Name"), r.findtext("FullName"))]
        else:
            found = self.rets(f"<{list_type}QueryRq><FullName>{esc(full_name)}</FullName></{list_type}QueryRq>")
        if account_type is not None and kind != "account":
            found = [r for r in found if r.findtext("AccountType") == account_type]
        return found[0] if found else None

    def modify(self, kind: str, full_name: str, fields: str) -> None:
        """Change a list element: `fields` is the Mod's markup after its EditSequence."""
        list_type = LIST_TYPES[kind][0]
        current = self.find(kind, full_name)
        if current is None:
            raise QuickBooksRefusedError(f'QuickBooks has no {kind} "{full_name}"')
        self.ok(f"<{list_type}ModRq><{list_type}Mod><ListID>{current.findtext('ListID')}</ListID><EditSequence>"
                f"{current.findtext('EditSequence')}</EditSequence>{fields}</{list_type}Mod></{list_type}ModRq>")

    def rename(self, kind: str, full_name: str, new_name: str) -> None:
        self.modify(kind, full_name, f"<Name>{esc(new_name)}</Name>")

    def change_detail(self, kind: str, name: str, detail: str, value: str) -> None:
        """Change a vendor's or customer's detail (an address is its first line)."""
        path = detail_path(kind, detail)
        markup = f"<{path.rpartition('/')[2]}>{esc(value)}</{path.rpartition('/')[2]}>"
        if "/" in path:
            markup = f"<{path.partition('/')[0]}>{markup}</{path.partition('/')[0]}>"
        self.modify(kind, name, markup)

    def make_inactive(self, kind: str, full_name: str) -> None:
        self.modify(kind, full_name, "<IsActive>false</IsActive>")

    # -- transactions -------------------------------------------------------------------------------------------
    def numbered(self, record: str, number: str, linked: bool = False) -> list[etree._Element]:
        """Every bill, vendor credit or invoice with this number."""
        txn_type = TXN_TYPES[record][0]
        extra = "<IncludeLinkedTxns>true</IncludeLinkedTxns>" if linked else ""
        return self.rets(f"<{txn_type}QueryRq><RefNumber>{esc(number)}</RefNumber>"
                         f"<IncludeLineItems>true</IncludeLineItems>{extra}</{txn_type}QueryRq>")

    def one(self, record: str, number: str, linked: bool = False) -> etree._Element:
        found = self.numbered(record, number, linked)
        if len(found) != 1:
            raise QuickBooksRefusedError(f'QuickBooks has {len(found)} {record}s numbered "{number}", not one')
        return found[0]

    def enter_payable(self, record: str, number: str, vendor: str, value: Decimal, on: date, account: str) -> None:
        """Enter a bill or a vendor credit with one expense line."""
        txn_type = TXN_TYPES[record][0]
        self.ensure_account(account, "Expense")
        self.ok(f"<{txn_type}AddRq><{txn_type}Add>{ref('VendorRef', vendor)}<TxnDate>{on}</TxnDate>"
                f"<RefNumber>{esc(number)}</RefNumber><ExpenseLineAdd>{ref('AccountRef', account)}"
                f"<Amount>{amount(value)}</Amount></ExpenseLineAdd></{txn_type}Add></{txn_type}AddRq>")

    def enter_invoice(self, number: str, customer: str, value: Decimal, on: date, item: str) -> None:
        self.ok(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}<TxnDate>{on}</TxnDate>"
                f"<RefNumber>{esc(number)}</RefNumber><InvoiceLineAdd>{ref('ItemRef', item)}"
                f"<Amount>{amount(value)}</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")

    def change_amount(self, record: str, number: str, value: Decimal) -> None:
        """Change the amount of a one-line bill, vendor credit or invoice."""
        txn_type, line_tag, line_mod, _ = TXN_TYPES[record]
        current = self.one(record, number)
        lines = current.findall(line_tag)
        if len(lines) != 1:
            raise QuickBooksRefusedError(f"{record} {number} has {len(lines)} lines; which amount changes?")
        self.ok(f"<{txn_type}ModRq><{txn_type}Mod><TxnID>{current.findtext('TxnID')}</TxnID><EditSequence>"
                f"{current.findtext('EditSequence')}</EditSequence><{line_mod}><TxnLineID>"
                f"{lines[0].findtext('TxnLineID')}</TxnLineID><Amount>{amount(value)}</Amount></{line_mod}>"
                f"</{txn_type}Mod></{txn_type}ModRq>")

    def set_to_be_emailed(self, number: str, flag: bool) -> None:
        current = self.one("invoice", number)
        self.ok(f"<InvoiceModRq><InvoiceMod><TxnID>{current.findtext('TxnID')}</TxnID><EditSequence>"
                f"{current.findtext('EditSequence')}</EditSequence><IsToBeEmailed>{str(flag).lower()}"
                "</IsToBeEmailed></InvoiceMod></InvoiceModRq>")

    def pay_bill(self, number: str, bank: str, on: date) -> None:
        """Pay what is open of a bill by check."""
        bill = self.one("bill", number)
        vendor = bill.findtext("VendorRef/FullName") or ""
        self.ok(f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', vendor)}"
                f"<TxnDate>{on}</TxnDate>{ref('BankAccountRef', bank)}<IsToBePrinted>false</IsToBePrinted>"
                f"<AppliedToTxnAdd><TxnID>{bill.findtext('TxnID')}</TxnID><PaymentAmount>"
                f"{bill.findtext('OpenAmount')}</PaymentAmount></AppliedToTxnAdd></BillPaymentCheckAdd>"
                "</BillPaymentCheckAddRq>")

    def delete_bill_payments(self, number: str) -> int:
        """Delete the payments of a bill; how many there were."""
        bill = self.one("bill", number, linked=True)
        payments = [(lt.findtext("TxnType"), lt.findtext("TxnID")) for lt in bill.findall("LinkedTxn")
                    if (lt.findtext("TxnType") or "").startswith("BillPayment")]
        for txn_type, txn_id in payments:
            self.ok(f"<TxnDelRq><TxnDelType>{txn_type}</TxnDelType><TxnID>{txn_id}</TxnID></TxnDelRq>")
        return len(payments)

    def write_check(self, bank: str, value: Decimal, on: date, account: str) -> None:
        self.ensure_account(account, "Expense")
        self.ok(f"<CheckAddRq><CheckAdd>{ref('AccountRef', bank)}<TxnDate>{on}</TxnDate>"
                f"<IsToBePrinted>false</IsToBePrinted><ExpenseLineAdd>{ref('AccountRef', account)}"
                f"<Amount>{amount(value)}</Amount></ExpenseLineAdd></CheckAdd></CheckAddRq>")

    def receive_payment(self, number: str, value: Decimal, on: date) -> None:
        invoice = self.one("invoice", number)
        customer = invoice.findtext("CustomerRef/FullName") or ""
        self.ok(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}"
                f"<TxnDate>{on}</TxnDate><TotalAmount>{amount(value)}</TotalAmount><AppliedToTxnAdd><TxnID>"
                f"{invoice.findtext('TxnID')}</TxnID><PaymentAmount>{amount(value)}</PaymentAmount></AppliedToTxnAdd>"
                "</ReceivePaymentAdd></ReceivePaymentAddRq>")

    def apply_credit_memo(self, number: str, value: Decimal, on: date, item: str) -> None:
        """A new credit memo for the invoice's customer, applied to the invoice (Receive Payments, credits only)."""
        invoice = self.one("invoice", number)
        customer = invoice.findtext("CustomerRef/FullName") or ""
        memo = self.ok(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', customer)}<TxnDate>{on}</TxnDate>"
                       f"<CreditMemoLineAdd>{ref('ItemRef', item)}<Amount>{amount(value)}</Amount>"
                       "</CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>")
        assert memo is not None
        self.ok(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TxnDate>{on}</TxnDate>"
                f"<AppliedToTxnAdd><TxnID>{invoice.findtext('TxnID')}</TxnID><PaymentAmount>0.00</PaymentAmount>"
                f"<SetCredit><CreditTxnID>{memo.findtext('TxnID')}</CreditTxnID><AppliedAmount>{amount(value)}"
                "</AppliedAmount></SetCredit></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>")

    def delete(self, record: str, number: str) -> None:
        current = self.one(record, number)
        self.ok(f"<TxnDelRq><TxnDelType>{TXN_TYPES[record][0]}</TxnDelType><TxnID>{current.findtext('TxnID')}</TxnID>"
                "</TxnDelRq>")

    def payments_of(self, record: str, number: str) -> list[etree._Element]:
        """The bill payments of a bill, or the received payments of an invoice, as QuickBooks shows them."""
        found = self.one(record, number, linked=True)
        wanted = ("BillPaymentCheck", "BillPaymentCreditCard") if record == "bill" else ("ReceivePayment",)
        payments = []
        for link in found.findall("LinkedTxn"):
            txn_type = link.findtext("TxnType") or ""
            if txn_type in wanted:
                payments.extend(self.rets(f"<{txn_type}QueryRq><TxnID>{link.findtext('TxnID')}</TxnID>"
                                          f"</{txn_type}QueryRq>"))
        return payments

    def transfers_from(self, bank: str) -> list[etree._Element]:
        """The funds transfers out of a bank account."""
        return [t for t in self.rets("<TransferQueryRq/>") if t.findtext("TransferFromAccountRef/FullName") == bank]
