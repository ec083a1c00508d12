"""A person working in QuickBooks, and what they read there: qbXML written by hand, through a request processor of
their own (never the syncer's builders or readers, so that a disagreement between the syncer and QuickBooks shows).

Lists are found by full name, bills and vendor credits by vendor and number, invoices by number.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from fakeqb.com.client import envelope

APP_NAME = "QuickBooks user"
PAGE = 500


class RefusedError(Exception):
    """QuickBooks refused what the person entered (its status code and message)."""

    def __init__(self, code: int, message: str):
        super().__init__(f"QuickBooks refused it: {code} {message}")
        self.code = code


def esc(value: Any) -> str:
    return escape(str(value))


def ref(element: str, full_name: str) -> str:
    return f"<{element}><FullName>{esc(full_name)}</FullName></{element}>"


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def amount(element: etree._Element, path: str) -> Decimal:
    return Decimal(element.findtext(path) or "0")


class Desk:
    """A QuickBooks user's session: one request processor, reopened when QuickBooks was closed meanwhile."""

    def __init__(self, rp: Any):
        self.rp = rp
        self.ticket: str | None = None

    def close(self) -> None:
        if self.ticket is not None:
            with contextlib.suppress(Exception):
                self.rp.EndSession(self.ticket)
            with contextlib.suppress(Exception):
                self.rp.CloseConnection()
        self.ticket = None

    def _open(self) -> str:
        if self.ticket is None:
            self.rp.OpenConnection2("", APP_NAME, 1)
            self.ticket = self.rp.BeginSession("", 2)
        return self.ticket

    def send(self, body: str) -> etree._Element:
        """One request; its Rs element."""
        for attempt in (1, 2):
            try:
                raw = self.rp.ProcessRequest(self._open(), envelope(body))
                break
            except Exception:
                if attempt == 2:
                    raise
                self.close()  # QuickBooks closed or the file was restored: sessions ended
        msgs = etree.fromstring(raw.encode()).find("QBXMLMsgsRs")
        assert msgs is not None and len(msgs), "QuickBooks gave no response"
        return msgs[0]

    def ok(self, body: str) -> etree._Element:
        """A request that must succeed; its first Ret (or the Rs)."""
        rs = self.send(body)
        if rs.get("statusCode") not in ("0", "1"):
            raise RefusedError(int(rs.get("statusCode") or 0), rs.get("statusMessage") or "")
        return next((c for c in rs if str(c.tag).endswith("Ret")), rs)

    def rets(self, body: str) -> list[etree._Element]:
        rs = self.send(body)
        if rs.get("statusCode") not in ("0", "1", "500"):
            raise RefusedError(int(rs.get("statusCode") or 0), rs.get("statusMessage") or "")
        return [c for c in rs if str(c.tag).endswith("Ret")]

    def every(self, query: str, inner: str = "") -> Iterator[etree._Element]:
        """Every object a query finds, read in pages through an iterator."""
        iterator_id = None
        while True:
            attrs = 'iterator="Start"' if iterator_id is None else f'iterator="Continue" iteratorID="{iterator_id}"'
            rs = self.send(f"<{query}Rq {attrs}><MaxReturned>{PAGE}</MaxReturned>{inner}</{query}Rq>")
            if rs.get("statusCode") not in ("0", "1"):
                raise RefusedError(int(rs.get("statusCode") or 0), rs.get("statusMessage") or "")
            yield from (c for c in rs if str(c.tag).endswith("Ret"))
            iterator_id = rs.get("iteratorID")
            if not iterator_id or rs.get("iteratorRemainingCount") in (None, "0"):
                return


class QuickBooksPerson:
    """What a person enters in QuickBooks."""

    def __init__(self, desk: Desk):
        self.desk = desk

    # -- lists ----------------------------------------------------------------------------------------------------
    def get(self, list_type: str, full_name: str) -> etree._Element | None:
        found = self.desk.rets(f"<{list_type}QueryRq><FullName>{esc(full_name)}</FullName></{list_type}QueryRq>")
        return found[0] if found else None

    def add(self, list_type: str, fields: str) -> etree._Element:
        return self.desk.ok(f"<{list_type}AddRq><{list_type}Add>{fields}</{list_type}Add></{list_type}AddRq>")

    def mod(self, list_type: str, full_name: str, fields: str) -> bool:
        """Change a list object (Mod fields in schema order); False when QuickBooks has no such object."""
        current = self.get(list_type, full_name)
        if current is None:
            return False
        self.desk.ok(f"<{list_type}ModRq><{list_type}Mod><ListID>{current.findtext('ListID')}</ListID>"
                     f"<EditSequence>{current.findtext('EditSequence')}</EditSequence>{fields}"
                     f"</{list_type}Mod></{list_type}ModRq>")
        return True

    # -- transactions ---------------------------------------------------------------------------------------------
    def bill(self, vendor: str, number: str, linked: bool = False) -> etree._Element | None:
        return self._numbered("Bill", number, vendor, linked)

    def vendor_credit(self, vendor: str, number: str) -> etree._Element | None:
        return self._numbered("VendorCredit", number, vendor, False)

    def invoice(self, number: str, linked: bool = False) -> etree._Element | None:
        return self._numbered("Invoice", number, None, linked)

    def _numbered(self, txn_type: str, number: str, entity: str | None, linked: bool) -> etree._Element | None:
        extra = "<IncludeLinkedTxns>true</IncludeLinkedTxns>" if linked else ""
        found = self.desk.rets(f"<{txn_type}QueryRq><RefNumber>{esc(number)}</RefNumber>"
                               f"<IncludeLineItems>true</IncludeLineItems>{extra}</{txn_type}QueryRq>")
        found = [f for f in found if entity is None or (f.findtext("VendorRef/FullName") or "") == entity]
        return found[0] if found else None

    def enter_payable(self, txn_type: str, vendor: str, number: str, day: str, account: str,
                      value: Decimal) -> etree._Element:
        return self.desk.ok(f"<{txn_type}AddRq><{txn_type}Add>{ref('VendorRef', vendor)}<TxnDate>{day}</TxnDate>"
                            f"<RefNumber>{esc(number)}</RefNumber><ExpenseLineAdd>{ref('AccountRef', account)}"
                            f"<Amount>{money(value)}</Amount></ExpenseLineAdd></{txn_type}Add></{txn_type}AddRq>")

    def change_bill_amount(self, bill: etree._Element, value: Decimal) -> None:
        line = bill.find("ExpenseLineRet")
        assert line is not None
        self.desk.ok(f"<BillModRq><BillMod><TxnID>{bill.findtext('TxnID')}</TxnID><EditSequence>"
                     f"{bill.findtext('EditSequence')}</EditSequence><ExpenseLineMod><TxnLineID>"
                     f"{line.findtext('TxnLineID')}</TxnLineID><Amount>{money(value)}</Amount></ExpenseLineMod>"
                     "</BillMod></BillModRq>")

    def pay_bill(self, bill: etree._Element, bank: str, day: str, value: Decimal) -> etree._Element:
        return self.desk.ok(
            f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', bill.findtext('VendorRef/FullName'))}"
            f"<TxnDate>{day}</TxnDate>{ref('BankAccountRef', bank)}<IsToBePrinted>false</IsToBePrinted>"
            f"<AppliedToTxnAdd><TxnID>{bill.findtext('TxnID')}</TxnID><PaymentAmount>{money(value)}</PaymentAmount>"
            "</AppliedToTxnAdd></BillPaymentCheckAdd></BillPaymentCheckAddRq>")

    def delete(self, txn_type: str, txn_id: str) -> None:
        self.desk.ok(f"<TxnDelRq><TxnDelType>{txn_type}</TxnDelType><TxnID>{txn_id}</TxnID></TxnDelRq>")

    def void(self, txn_type: str, txn_id: str) -> None:
        self.desk.ok(f"<TxnVoidRq><TxnVoidType>{txn_type}</TxnVoidType><TxnID>{txn_id}</TxnID></TxnVoidRq>")

    def enter_invoice(self, customer: str, number: str, day: str, item: str, value: Decimal,
                      to_be_emailed: bool) -> etree._Element:
        email = "<IsToBeEmailed>true</IsToBeEmailed>" if to_be_emailed else ""
        return self.desk.ok(f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}<TxnDate>{day}</TxnDate>"
                            f"<RefNumber>{esc(number)}</RefNumber>{email}<InvoiceLineAdd>{ref('ItemRef', item)}"
                            f"<Amount>{money(value)}</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>")

    def change_invoice(self, invoice: etree._Element, fields: str, line_amount: Decimal | None = None) -> None:
        line = invoice.find("InvoiceLineRet")
        lines = ""
        if line_amount is not None and line is not None:
            lines = (f"<InvoiceLineMod><TxnLineID>{line.findtext('TxnLineID')}</TxnLineID><Amount>"
                     f"{money(line_amount)}</Amount></InvoiceLineMod>")
        self.desk.ok(f"<InvoiceModRq><InvoiceMod><TxnID>{invoice.findtext('TxnID')}</TxnID><EditSequence>"
                     f"{invoice.findtext('EditSequence')}</EditSequence>{fields}{lines}</InvoiceMod></InvoiceModRq>")

    def receive_payment(self, invoice: etree._Element, day: str, value: Decimal) -> etree._Element:
        customer = invoice.findtext("CustomerRef/FullName") or ""
        return self.desk.ok(
            f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TxnDate>{day}</TxnDate>"
            f"<TotalAmount>{money(value)}</TotalAmount><AppliedToTxnAdd><TxnID>{invoice.findtext('TxnID')}</TxnID>"
            f"<PaymentAmount>{money(value)}</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd>"
            "</ReceivePaymentAddRq>")

    def apply_credit_memo(self, invoice: etree._Element, number: str, day: str, item: str,
                          value: Decimal) -> tuple[str, str]:
        """A new credit memo for the invoice's customer, applied to the invoice; (memo TxnID, payment TxnID)."""
        customer = invoice.findtext("CustomerRef/FullName") or ""
        memo = self.desk.ok(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', customer)}<TxnDate>{day}</TxnDate>"
                            f"<RefNumber>{esc(number)}</RefNumber><CreditMemoLineAdd>{ref('ItemRef', item)}"
                            f"<Amount>{money(value)}</Amount></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>")
        try:
            payment = self.desk.ok(
                f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TxnDate>{day}</TxnDate>"
                f"<AppliedToTxnAdd><TxnID>{invoice.findtext('TxnID')}</TxnID><PaymentAmount>0.00</PaymentAmount>"
                f"<SetCredit><CreditTxnID>{memo.findtext('TxnID')}</CreditTxnID><AppliedAmount>{money(value)}"
                "</AppliedAmount></SetCredit></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>")
        except RefusedError:
            self.delete("CreditMemo", memo.findtext("TxnID") or "")
            raise
        return memo.findtext("TxnID") or "", payment.findtext("TxnID") or ""
