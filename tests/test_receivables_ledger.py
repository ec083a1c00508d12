"""The receivables ledger: after every add, mod, delete and void of invoices, credit memos and payments received,
every balance equals what the open transactions add up to."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from lxml import etree

from fakeqb import FakeQuickBooks
from tests.support import Client
from tests.test_ledger import amount_of, everything
from tests.txn_requests import applied, invoice_body, labor, receive_body, ref, sales_company

#: The customers and the job of `sales_company`, with their opening balances.
OPENING = {"Jones": Decimal("0.00"), "Jones:Kitchen": Decimal("0.00"), "Smith": Decimal("40.00")}
cents = st.integers(min_value=1, max_value=20_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
picks = st.integers(0, 1000)
LINKED = "<IncludeLinkedTxns>true</IncludeLinkedTxns>"


def linked_total(txn: etree._Element) -> Decimal:
    return sum((-amount_of(x, "Amount") for x in txn.findall("LinkedTxn")), Decimal(0))


def check_invariant(client: Client) -> None:
    """Open amounts agree with what is linked; names and accounts hold what the open transactions add up to."""
    invoices = everything(client, "Invoice", LINKED)
    memos = everything(client, "CreditMemo", LINKED)
    payments = everything(client, "ReceivePayment")
    for inv in invoices:
        left = amount_of(inv, "BalanceRemaining")
        assert left == amount_of(inv, "Subtotal") - linked_total(inv) >= 0
        assert amount_of(inv, "AppliedAmount") == left - amount_of(inv, "Subtotal")
        assert inv.findtext("IsPaid") == ("true" if left == 0 else "false")
    for memo in memos:
        assert amount_of(memo, "CreditRemaining") == amount_of(memo, "TotalAmount") - linked_total(memo) >= 0
    open_invoices = {i.findtext("TxnID"): amount_of(i, "BalanceRemaining") for i in invoices}
    for payment in payments:
        own = sum((amount_of(a, "Amount") for a in payment.findall("AppliedToTxnRet")), Decimal(0))
        assert amount_of(payment, "UnusedPayment") == amount_of(payment, "TotalAmount") - own >= 0
        for a in payment.findall("AppliedToTxnRet"):
            assert amount_of(a, "BalanceRemaining") == open_invoices[a.findtext("TxnID")]
    names = {r.findtext("FullName"): r for r in everything(client, "Customer")}
    owed = Decimal(0)
    for name in OPENING:  # an opening balance is an invoice against Opening Balance Equity
        expected = Decimal(0)
        expected += sum((amount_of(i, "BalanceRemaining") for i in invoices
                         if i.findtext("CustomerRef/FullName") == name), Decimal(0))
        expected -= sum((amount_of(m, "CreditRemaining") for m in memos
                         if m.findtext("CustomerRef/FullName") == name), Decimal(0))
        expected -= sum((amount_of(p, "UnusedPayment") for p in payments
                         if p.findtext("CustomerRef/FullName") == name), Decimal(0))
        assert amount_of(names[name], "Balance") == expected, name
        owed += expected
    assert amount_of(names["Jones"], "TotalBalance") == (amount_of(names["Jones"], "Balance")
                                                         + amount_of(names["Jones:Kitchen"], "Balance"))
    accounts = {r.findtext("FullName"): amount_of(r, "Balance") for r in everything(client, "Account")}

    def deposited(account: str) -> Decimal:
        return sum((amount_of(p, "TotalAmount") for p in payments
                    if p.findtext("DepositToAccountRef/FullName") == account), Decimal(0))

    sold = sum((amount_of(i, "Subtotal") for i in invoices), Decimal(0))
    sold -= sum((amount_of(m, "TotalAmount") for m in memos), Decimal(0))
    # Opening Balance Equity: Smith's opening invoice credits it, Acme's opening bill (100.00) debits it
    income = accounts["Sales"] + accounts["Opening Balance Equity"] + Decimal("100.00")
    assert (accounts["Accounts Receivable"], income, accounts["Checking"]) == (
        owed, sold, Decimal("1000.00") + deposited("Checking"))
    assert accounts.get("Undeposited Funds", Decimal(0)) == deposited("Undeposited Funds")


class Receivables(RuleBasedStateMachine):
    """Random invoices, credit memos, payments (applied, auto-applied, setting credits), mods, voids and deletes."""

    def __init__(self) -> None:
        super().__init__()
        self.qb = FakeQuickBooks()
        self.qb.clock.set(datetime(2024, 3, 1, 9, 30))
        self.client = Client(self.qb.request_processor())
        sales_company(self.client)
        self.made: list[tuple[str, str]] = []  # (type, TxnID) of everything added and not deleted

    def teardown(self) -> None:
        self.client.close()
        self.qb.close()

    def send(self, body: str) -> etree._Element:
        """Requests QuickBooks refuses (paying too much, a deleted transaction...) must change nothing."""
        rs = self.client.one(body)
        assert rs.get("statusCode") in ("0", "3120", "3180", "3210"), rs.get("statusMessage")
        if rs.get("statusCode") == "0" and len(rs) and rs[0].tag.endswith("Ret") and "Add" in rs.tag:
            self.made.append((rs[0].tag.removesuffix("Ret"), rs[0].findtext("TxnID") or ""))
        return rs

    def pick(self, kind: str | None, index: int) -> tuple[str, str]:
        candidates = [m for m in self.made if kind is None or m[0] == kind]
        return candidates[index % len(candidates)]

    def has(self, kind: str) -> bool:
        return any(k == kind for k, _ in self.made)

    def found(self, kind: str, index: int, extra: str = "") -> etree._Element | None:
        rs = self.client.one(f"<{kind}QueryRq><TxnID>{self.pick(kind, index)[1]}</TxnID>{extra}</{kind}QueryRq>")
        return rs[0] if rs.get("statusCode") == "0" else None

    @rule(customer=st.sampled_from(sorted(OPENING)), amount=cents, is_credit=st.booleans())
    def add(self, customer: str, amount: str, is_credit: bool) -> None:
        if is_credit:
            self.send(f"<CreditMemoAddRq><CreditMemoAdd>{ref('CustomerRef', customer)}"
                      f"{labor(amount, tag='CreditMemoLineAdd')}</CreditMemoAdd></CreditMemoAddRq>")
        else:
            self.send(invoice_body(customer, amount))

    @precondition(lambda self: self.has("Invoice"))
    @rule(index=picks, share=st.sampled_from((10, 50, 99, 100, 105)),
          credit=st.sampled_from(("", "0.01", "0.50", "1000.00")), extra=st.sampled_from(("", "5.00")),
          to_bank=st.booleans())
    def pay(self, index: int, share: int, credit: str, extra: str, to_bank: bool) -> None:
        """A share of what is open on an invoice (a little more than all of it now and then), maybe with a credit
        memo set first (as much of `credit` as fits) and something left unused."""
        found = self.found("Invoice", index)
        if found is None:
            return
        target, customer = found.findtext("TxnID") or "", found.findtext("CustomerRef/FullName") or ""
        left = amount_of(found, "BalanceRemaining")
        memos = [m for m in everything(self.client, "CreditMemo", f"<EntityFilter><FullName>{customer}</FullName>"
                                                                   "</EntityFilter>")
                 if amount_of(m, "CreditRemaining") > 0]
        sets = None
        if credit and memos:
            memo = memos[index % len(memos)]
            use = min(Decimal(credit), amount_of(memo, "CreditRemaining"), left)
            sets = {target: [(memo.findtext("TxnID") or "", f"{use:.2f}")]}
            left -= use
        amount = left * share / 100
        total = f"{amount + Decimal(extra or 0):.2f}" if extra else None
        deposit = ref("DepositToAccountRef", "Checking") if to_bank else ""
        self.send(receive_body(customer, {target: f"{amount:.2f}"}, sets, total=total, extra=deposit))

    @rule(customer=st.sampled_from(sorted(OPENING)), total=cents, apply=st.booleans())
    def auto_pay(self, customer: str, total: str, apply: bool) -> None:
        self.send(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', customer)}<TotalAmount>{total}"
                  f"</TotalAmount><IsAutoApply>{str(apply).lower()}</IsAutoApply></ReceivePaymentAdd>"
                  "</ReceivePaymentAddRq>")

    @precondition(lambda self: self.has("Invoice") or self.has("CreditMemo"))
    @rule(index=picks, share=st.sampled_from((50, 101, 200)), is_credit=st.booleans())
    def modify(self, index: int, share: int, is_credit: bool) -> None:
        """Change the first line of an invoice or a credit memo to a share of its amount (half of it is often less
        than is applied)."""
        kind = "CreditMemo" if (is_credit and self.has("CreditMemo")) or not self.has("Invoice") else "Invoice"
        found = self.found(kind, index, "<IncludeLineItems>true</IncludeLineItems>")
        if found is not None:
            amount = amount_of(found, f"{kind}LineRet/Amount") * share / 100
            self.send(f"<{kind}ModRq><{kind}Mod><TxnID>{found.findtext('TxnID')}</TxnID><EditSequence>"
                      f"{found.findtext('EditSequence')}</EditSequence><{kind}LineMod><TxnLineID>"
                      f"{found.findtext(f'{kind}LineRet/TxnLineID')}</TxnLineID><Amount>{amount:.2f}</Amount>"
                      f"</{kind}LineMod></{kind}Mod></{kind}ModRq>")

    @precondition(lambda self: self.has("ReceivePayment"))
    @rule(index=picks, share=st.sampled_from((0, 30, 100, 105)), total=st.sampled_from(("", "applied", "more")))
    def modify_payment(self, index: int, share: int, total: str) -> None:
        """Apply another share of what each invoice had open before this payment; maybe a new TotalAmount."""
        found = self.found("ReceivePayment", index)
        if found is None:
            return
        paid = {a.findtext("TxnID") or "": (amount_of(a, "BalanceRemaining") + amount_of(a, "Amount")) * share / 100
                for a in found.findall("AppliedToTxnRet")}
        new_total = sum(paid.values(), Decimal(0)) + (Decimal(1) if total == "more" else Decimal(0))
        head = f"<TotalAmount>{new_total:.2f}</TotalAmount>" if total else ""
        self.send(f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{found.findtext('TxnID')}</TxnID><EditSequence>"
                  f"{found.findtext('EditSequence')}</EditSequence>{head}"
                  f"{applied({k: f'{v:.2f}' for k, v in paid.items()}, tag='AppliedToTxnMod')}"
                  "</ReceivePaymentMod></ReceivePaymentModRq>")

    @precondition(lambda self: bool(self.made))
    @rule(index=picks, void=st.booleans())
    def void_or_delete(self, index: int, void: bool) -> None:
        kind, txn_id = self.pick(None, index)
        verb = "Void" if void and kind != "ReceivePayment" else "Del"  # a payment received cannot be voided
        rs = self.send(f"<Txn{verb}Rq><Txn{verb}Type>{kind}</Txn{verb}Type><TxnID>{txn_id}</TxnID></Txn{verb}Rq>")
        if verb == "Del" and rs.get("statusCode") == "0":
            self.made.remove((kind, txn_id))

    @invariant()
    def balances_add_up(self) -> None:
        check_invariant(self.client)


TestReceivables = Receivables.TestCase
TestReceivables.settings = settings(max_examples=20, stateful_step_count=15, deadline=None, derandomize=True,
                                    suppress_health_check=[HealthCheck.too_slow])
