"""A person working in QuickBooks, for the syncer's tests: hand-written qbXML through a request processor.

Its requests are written here, independently of the syncer's builders, so that a mismatch between what the syncer
writes and what QuickBooks (the simulation) expects is caught rather than shared.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

APP_NAME = "QuickBooks user"


def esc(value: Any) -> str:
    return escape(str(value))


class QuickBooksError(AssertionError):
    """A request the test expected to succeed did not."""


class QuickBooksUser:
    """Adds, changes and reads QuickBooks objects the way a person in QuickBooks would produce them."""

    def __init__(self, rp: Any):
        self.rp = rp
        rp.OpenConnection2("", APP_NAME, 1)
        self.ticket = rp.BeginSession("", 2)

    def close(self) -> None:
        """End the session and the connection (a session QuickBooks ended by closing is already gone)."""
        with contextlib.suppress(Exception):
            self.rp.EndSession(self.ticket)
        self.rp.CloseConnection()

    # -- sending ------------------------------------------------------------------------------------------------
    def send(self, body: str) -> etree._Element:
        """Send request elements; the first Rs element."""
        xml = (f'<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">{body}'
               "</QBXMLMsgsRq></QBXML>")
        rs = etree.fromstring(self.rp.ProcessRequest(self.ticket, xml).encode()).find("QBXMLMsgsRs")
        assert rs is not None
        return rs[0]

    def ok(self, body: str) -> etree._Element:
        """Send one request that must succeed; its Ret (or the Rs when it has none)."""
        rs = self.send(body)
        if rs.get("statusCode") != "0":
            raise QuickBooksError(f"{rs.tag} {rs.get('statusCode')}: {rs.get('statusMessage')}\n{body}")
        rets = [c for c in rs if str(c.tag).endswith("Ret")]
        return rets[0] if rets else rs

    # -- lists ----------------------------------------------------------------------------------------------------
    def add(self, list_type: str, fields: str) -> str:
        """Add a list object from its Add fields (XML, schema order); its ListID."""
        ret = self.ok(f"<{list_type}AddRq><{list_type}Add>{fields}</{list_type}Add></{list_type}AddRq>")
        return str(ret.findtext("ListID"))

    def vendor(self, name: str, extra: str = "") -> str:
        return self.add("Vendor", f"<Name>{esc(name)}</Name>{extra}")

    def customer(self, name: str, parent: str | None = None, email: str | None = None) -> str:
        parent_ref = f"<ParentRef><FullName>{esc(parent)}</FullName></ParentRef>" if parent else ""
        mail = f"<Email>{esc(email)}</Email>" if email else ""
        return self.add("Customer", f"<Name>{esc(name)}</Name>{parent_ref}{mail}")

    def account(self, name: str, account_type: str, parent: str | None = None) -> str:
        parent_ref = f"<ParentRef><FullName>{esc(parent)}</FullName></ParentRef>" if parent else ""
        return self.add("Account", f"<Name>{esc(name)}</Name>{parent_ref}<AccountType>{account_type}</AccountType>")

    def klass(self, name: str, parent: str | None = None) -> str:
        parent_ref = f"<ParentRef><FullName>{esc(parent)}</FullName></ParentRef>" if parent else ""
        return self.add("Class", f"<Name>{esc(name)}</Name>{parent_ref}")

    def service_item(self, name: str, price: str, account: str) -> str:
        return self.add("ItemService", f"<Name>{esc(name)}</Name><SalesOrPurchase><Desc>{esc(name)} work</Desc>"
                                       f"<Price>{price}</Price><AccountRef><FullName>{esc(account)}</FullName>"
                                       "</AccountRef></SalesOrPurchase>")

    def get(self, list_type: str, full_name: str) -> etree._Element | None:
        rs = self.send(f"<{list_type}QueryRq><FullName>{esc(full_name)}</FullName></{list_type}QueryRq>")
        rets = [c for c in rs if str(c.tag).endswith("Ret")]
        return rets[0] if rets else None

    def all(self, list_type: str) -> list[etree._Element]:
        rs = self.send(f"<{list_type}QueryRq><ActiveStatus>All</ActiveStatus></{list_type}QueryRq>")
        return [c for c in rs if str(c.tag).endswith("Ret")]

    def named(self, list_type: str, name: str) -> list[etree._Element]:
        """Every object of the list whose FullName is `name` (a duplicate shows as two)."""
        return [r for r in self.all(list_type) if (r.findtext("FullName") or r.findtext("Name")) == name]

    def mod(self, list_type: str, full_name: str, fields: str) -> etree._Element:
        """Change a list object: `fields` are Mod fields (XML, schema order)."""
        current = self.get(list_type, full_name)
        assert current is not None, f"no {list_type} {full_name}"
        return self.ok(f"<{list_type}ModRq><{list_type}Mod><ListID>{current.findtext('ListID')}</ListID>"
                       f"<EditSequence>{current.findtext('EditSequence')}</EditSequence>{fields}"
                       f"</{list_type}Mod></{list_type}ModRq>")

    # -- transactions ---------------------------------------------------------------------------------------------
    def bill(self, vendor: str, txn_date: str, lines: list[tuple[str, str]], number: str | None = None) -> str:
        """Enter a bill with expense lines (account, amount); its TxnID."""
        ref = f"<RefNumber>{esc(number)}</RefNumber>" if number else ""
        body = "".join(f"<ExpenseLineAdd><AccountRef><FullName>{esc(a)}</FullName></AccountRef>"
                       f"<Amount>{amount}</Amount></ExpenseLineAdd>" for a, amount in lines)
        ret = self.ok(f"<BillAddRq><BillAdd><VendorRef><FullName>{esc(vendor)}</FullName></VendorRef>"
                      f"<TxnDate>{txn_date}</TxnDate>{ref}{body}</BillAdd></BillAddRq>")
        return str(ret.findtext("TxnID"))

    def txns(self, txn_type: str, extra: str = "") -> list[etree._Element]:
        rs = self.send(f"<{txn_type}QueryRq>{extra}</{txn_type}QueryRq>")
        return [c for c in rs if str(c.tag).endswith("Ret")]

    def txn(self, txn_type: str, txn_id: str, linked: bool = True) -> etree._Element:
        extra = "<IncludeLineItems>true</IncludeLineItems>" + ("<IncludeLinkedTxns>true</IncludeLinkedTxns>"
                                                               if linked else "")
        rets = self.txns(txn_type, f"<TxnID>{txn_id}</TxnID>{extra}")
        assert rets, f"no {txn_type} {txn_id}"
        return rets[0]

    def bills(self) -> list[etree._Element]:
        return self.txns("Bill", "<IncludeLineItems>true</IncludeLineItems><IncludeLinkedTxns>true"
                                 "</IncludeLinkedTxns>")

    def mod_bill(self, txn_id: str, fields: str) -> etree._Element:
        current = self.txn("Bill", txn_id, linked=False)
        return self.ok(f"<BillModRq><BillMod><TxnID>{txn_id}</TxnID><EditSequence>"
                       f"{current.findtext('EditSequence')}</EditSequence>{fields}</BillMod></BillModRq>")

    def delete(self, txn_type: str, txn_id: str) -> None:
        self.ok(f"<TxnDelRq><TxnDelType>{txn_type}</TxnDelType><TxnID>{txn_id}</TxnID></TxnDelRq>")

    def pay_bill(self, vendor: str, bill_id: str, bank: str, amount: str, txn_date: str,
                 credit: tuple[str, str] | None = None) -> etree._Element:
        set_credit = (f"<SetCredit><CreditTxnID>{credit[0]}</CreditTxnID><AppliedAmount>{credit[1]}</AppliedAmount>"
                      "</SetCredit>") if credit else ""
        return self.ok(f"<BillPaymentCheckAddRq><BillPaymentCheckAdd><PayeeEntityRef><FullName>{esc(vendor)}"
                       f"</FullName></PayeeEntityRef><TxnDate>{txn_date}</TxnDate><BankAccountRef><FullName>"
                       f"{esc(bank)}</FullName></BankAccountRef><IsToBePrinted>false</IsToBePrinted>"
                       f"<AppliedToTxnAdd><TxnID>{bill_id}</TxnID><PaymentAmount>{amount}</PaymentAmount>"
                       f"{set_credit}</AppliedToTxnAdd></BillPaymentCheckAdd></BillPaymentCheckAddRq>")

    def vendor_credit(self, vendor: str, txn_date: str, account: str, amount: str) -> str:
        ret = self.ok(f"<VendorCreditAddRq><VendorCreditAdd><VendorRef><FullName>{esc(vendor)}</FullName>"
                      f"</VendorRef><TxnDate>{txn_date}</TxnDate><ExpenseLineAdd><AccountRef><FullName>"
                      f"{esc(account)}</FullName></AccountRef><Amount>{amount}</Amount></ExpenseLineAdd>"
                      "</VendorCreditAdd></VendorCreditAddRq>")
        return str(ret.findtext("TxnID"))

    def invoice(self, customer: str, number: str, txn_date: str, lines: list[tuple[str, str]],
                to_be_emailed: bool = False) -> str:
        """Enter an invoice with item lines (item, amount); its TxnID."""
        body = "".join(f"<InvoiceLineAdd><ItemRef><FullName>{esc(i)}</FullName></ItemRef><Amount>{amount}</Amount>"
                       "</InvoiceLineAdd>" for i, amount in lines)
        email = "<IsToBeEmailed>true</IsToBeEmailed>" if to_be_emailed else ""
        ret = self.ok(f"<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>{esc(customer)}</FullName></CustomerRef>"
                      f"<TxnDate>{txn_date}</TxnDate><RefNumber>{esc(number)}</RefNumber>{email}{body}"
                      "</InvoiceAdd></InvoiceAddRq>")
        return str(ret.findtext("TxnID"))

    def receive_payment(self, customer: str, invoice_id: str, amount: str, txn_date: str,
                        credit: tuple[str, str] | None = None) -> etree._Element:
        set_credit = (f"<SetCredit><CreditTxnID>{credit[0]}</CreditTxnID><AppliedAmount>{credit[1]}</AppliedAmount>"
                      "</SetCredit>") if credit else ""
        return self.ok(f"<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>{esc(customer)}</FullName>"
                       f"</CustomerRef><TxnDate>{txn_date}</TxnDate><TotalAmount>{amount}</TotalAmount>"
                       f"<AppliedToTxnAdd><TxnID>{invoice_id}</TxnID><PaymentAmount>{amount}</PaymentAmount>"
                       f"{set_credit}</AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>")

    def credit_memo(self, customer: str, number: str, txn_date: str, item: str, amount: str) -> str:
        ret = self.ok(f"<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>{esc(customer)}</FullName>"
                      f"</CustomerRef><TxnDate>{txn_date}</TxnDate><RefNumber>{esc(number)}</RefNumber>"
                      f"<CreditMemoLineAdd><ItemRef><FullName>{esc(item)}</FullName></ItemRef><Amount>{amount}"
                      "</Amount></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>")
        return str(ret.findtext("TxnID"))


def money(el: etree._Element, path: str) -> Decimal:
    return Decimal(el.findtext(path) or "0")
