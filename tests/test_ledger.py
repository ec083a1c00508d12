"""Balances as QuickBooks shows them, kept by every add, mod, delete and void, and the invariant that ties them to
the open transactions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from lxml import etree

from fakeqb import FakeQuickBooks
from tests.support import Client
from tests.txn_requests import applied, balance, bill, bill_body, company, ok, ref, status_of


def journal(client: Client, *lines: tuple[str, str, str, str | None]) -> etree._Element:
    body = "".join(f"<Journal{side}Line>{ref('AccountRef', account)}<Amount>{value}</Amount>"
                   f"{ref('EntityRef', who) if who else ''}</Journal{side}Line>" for side, account, value, who in lines)
    return ok(client, f"<JournalEntryAddRq><JournalEntryAdd>{body}</JournalEntryAdd></JournalEntryAddRq>")


def test_balances_follow_each_account_types_sign(client: Client) -> None:
    company(client)
    for name, account_type in (("Owner Equity", "Equity"), ("Loan", "LongTermLiability"), ("Van", "FixedAsset")):
        ok(client, f"<AccountAddRq><AccountAdd><Name>{name}</Name><AccountType>{account_type}</AccountType>"
                   "</AccountAdd></AccountAddRq>")
    journal(client, ("Debit", "Checking", "500.00", None), ("Credit", "Owner Equity", "500.00", None))
    journal(client, ("Debit", "Van", "900.00", None), ("Credit", "Loan", "900.00", None))
    journal(client, ("Debit", "Checking", "40.00", None), ("Credit", "Sales", "40.00", None))
    journal(client, ("Debit", "Supplies", "15.00", None), ("Credit", "Visa", "15.00", None))
    expected = {"Checking": "1540.00", "Owner Equity": "500.00", "Van": "900.00", "Loan": "900.00", "Sales": "40.00",
                "Supplies": "15.00", "Visa": "15.00"}
    assert {name: str(balance(client, "Account", name)) for name in expected} == expected
    ok(client, f"<TransferAddRq><TransferAdd>{ref('TransferFromAccountRef', 'Checking')}"
               f"{ref('TransferToAccountRef', 'Savings')}<Amount>40.00</Amount></TransferAdd></TransferAddRq>")
    assert (balance(client, "Account", "Checking"), balance(client, "Account", "Savings")) == (Decimal("1500.00"),
                                                                                                Decimal("40.00"))


def test_names_on_ap_and_ar_lines(client: Client) -> None:
    company(client)
    ok(client, "<AccountAddRq><AccountAdd><Name>Accounts Receivable</Name><AccountType>AccountsReceivable"
               "</AccountType></AccountAdd></AccountAddRq>")
    journal(client, ("Debit", "Accounts Receivable", "60.00", "Jones:Kitchen"), ("Credit", "Sales", "60.00", None))
    journal(client, ("Debit", "Supplies", "10.00", "Jones"), ("Credit", "Accounts Payable", "10.00", "Bolt"))
    jones = ok(client, "<CustomerQueryRq><FullName>Jones</FullName></CustomerQueryRq>")
    assert (jones.findtext("Balance"), jones.findtext("TotalBalance")) == ("0.00", "60.00")  # the job owes it
    assert balance(client, "Vendor", "Bolt") == Decimal("10.00")
    code, message = status_of(client, f"<JournalEntryAddRq><JournalEntryAdd><JournalDebitLine>"
                                      f"{ref('AccountRef', 'Accounts Receivable')}<Amount>5.00</Amount>"
                                      f"{ref('EntityRef', 'Acme')}</JournalDebitLine><JournalCreditLine>"
                                      f"{ref('AccountRef', 'Sales')}<Amount>5.00</Amount></JournalCreditLine>"
                                      "</JournalEntryAdd></JournalEntryAddRq>")
    assert code == 3180 and message.endswith("you must specify a customer in the Name column.")


def test_opening_balances_stay_in_the_balance(client: Client) -> None:
    company(client)  # Acme owes 100.00 from its opening balance (a bill), Checking holds 1000.00
    bill_id = bill(client, "Acme", "40.00")
    assert balance(client, "Vendor", "Acme") == Decimal("140.00")
    ok(client, f"<TxnDelRq><TxnDelType>Bill</TxnDelType><TxnID>{bill_id}</TxnID></TxnDelRq>")
    assert balance(client, "Vendor", "Acme") == Decimal("100.00")
    assert balance(client, "Account", "Checking") == Decimal("1000.00")


# -- the invariant --------------------------------------------------------------------------------------------------

def amount_of(el: etree._Element, path: str) -> Decimal:
    return Decimal(el.findtext(path) or "0")


def everything(client: Client, kind: str, extra: str = "") -> list[etree._Element]:
    return list(client.one(f"<{kind}QueryRq>{extra}</{kind}QueryRq>"))


def check_invariant(client: Client) -> None:
    """Every balance equals what the open transactions add up to (a vendor's opening balance is a bill against
    Opening Balance Equity)."""
    bills = everything(client, "Bill", "<IncludeLinkedTxns>true</IncludeLinkedTxns>")
    credits = everything(client, "VendorCredit", "<IncludeLinkedTxns>true</IncludeLinkedTxns>")
    payments = everything(client, "BillPaymentCheck") + everything(client, "BillPaymentCreditCard")
    balances = {r.findtext("Name"): amount_of(r, "Balance") for kind in ("Vendor", "Account")
                for r in everything(client, kind)}
    for txn, total in [(b, "AmountDue") for b in bills] + [(c, "CreditAmount") for c in credits]:
        linked = sum((-amount_of(x, "Amount") for x in txn.findall("LinkedTxn")), Decimal(0))
        assert amount_of(txn, "OpenAmount") == amount_of(txn, total) - linked >= 0
        if txn.tag == "BillRet":
            assert txn.findtext("IsPaid") == ("true" if amount_of(txn, "OpenAmount") == 0 else "false")
    owed = Decimal(0)
    for vendor in OPENING:
        expected = Decimal(0)
        for txn in bills + credits + payments:
            if (txn.findtext("VendorRef/FullName") or txn.findtext("PayeeEntityRef/FullName")) != vendor:
                continue
            if txn.tag == "BillRet":
                expected += amount_of(txn, "OpenAmount")
            elif txn.tag == "VendorCreditRet":
                expected -= amount_of(txn, "OpenAmount")
            else:  # what a payment left unapplied
                used = sum((amount_of(a, "Amount") for a in txn.findall("AppliedToTxnRet")), Decimal(0))
                expected -= amount_of(txn, "Amount") - used
        assert balances[vendor] == expected, vendor
        owed += expected
    checks = sum((amount_of(p, "Amount") for p in payments if p.tag == "BillPaymentCheckRet"), Decimal(0))
    cards = sum((amount_of(p, "Amount") for p in payments if p.tag == "BillPaymentCreditCardRet"), Decimal(0))
    spent = sum((amount_of(b, "AmountDue") for b in bills), Decimal(0))
    spent -= sum((amount_of(c, "CreditAmount") for c in credits), Decimal(0))
    expensed = balances["Supplies"] - balances.get("Opening Balance Equity", Decimal(0))
    assert (balances["Accounts Payable"], balances["Checking"], balances["Visa"], expensed) == (
        owed, Decimal("1000.00") - checks, cards, spent)


OPENING = {"Acme": Decimal("100.00"), "Bolt": Decimal("0.00")}
cents = st.integers(min_value=1, max_value=20_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
picks = st.integers(0, 1000)


class Books(RuleBasedStateMachine):
    """Random bills, credits, payments (with credits set), mods, voids and deletes; the balances add up after each."""

    def __init__(self) -> None:
        super().__init__()
        self.qb = FakeQuickBooks()
        self.qb.clock.set(datetime(2024, 3, 1, 9, 30))
        self.client = Client(self.qb.request_processor())
        company(self.client)
        self.made: list[tuple[str, str]] = []  # (type, TxnID) of everything added, deleted or not

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

    @rule(vendor=st.sampled_from(sorted(OPENING)), amount=cents, is_credit=st.booleans())
    def add(self, vendor: str, amount: str, is_credit: bool) -> None:
        if is_credit:
            self.send(f"<VendorCreditAddRq><VendorCreditAdd>{ref('VendorRef', vendor)}<ExpenseLineAdd>"
                      f"{ref('AccountRef', 'Supplies')}<Amount>{amount}</Amount></ExpenseLineAdd></VendorCreditAdd>"
                      "</VendorCreditAddRq>")
        else:
            self.send(bill_body(vendor, amount))

    @precondition(lambda self: self.has("Bill"))
    @rule(index=picks, share=st.sampled_from((10, 50, 99, 100, 105)), credit=st.sampled_from(("", "0.01", "0.50")),
          by_card=st.booleans())
    def pay(self, index: int, share: int, credit: str, by_card: bool) -> None:
        """A share of what is open on a bill (a little more than all of it now and then), maybe with a credit."""
        found = self.client.one(f"<BillQueryRq><TxnID>{self.pick('Bill', index)[1]}</TxnID></BillQueryRq>")
        if found.get("statusCode") != "0":
            return
        target, vendor = found[0].findtext("TxnID") or "", found[0].findtext("VendorRef/FullName") or ""
        amount = f"{amount_of(found[0], 'OpenAmount') * share / 100:.2f}"
        credits = everything(self.client, "VendorCredit", f"<EntityFilter><FullName>{vendor}</FullName></EntityFilter>")
        chosen = (credits[index % len(credits)].findtext("TxnID") or "") if credits else ""
        sets = {target: [(chosen, credit)]} if credit and chosen else None
        if by_card:
            self.send(f"<BillPaymentCreditCardAddRq><BillPaymentCreditCardAdd>{ref('PayeeEntityRef', vendor)}"
                      f"{ref('CreditCardAccountRef', 'Visa')}{applied({target: amount}, sets)}"
                      "</BillPaymentCreditCardAdd></BillPaymentCreditCardAddRq>")
        else:
            self.send(f"<BillPaymentCheckAddRq><BillPaymentCheckAdd>{ref('PayeeEntityRef', vendor)}"
                      f"{ref('BankAccountRef', 'Checking')}<IsToBePrinted>true</IsToBePrinted>"
                      f"{applied({target: amount}, sets)}</BillPaymentCheckAdd></BillPaymentCheckAddRq>")

    @precondition(lambda self: self.has("Bill"))
    @rule(index=picks, amount=cents)
    def modify_bill(self, index: int, amount: str) -> None:
        found = self.client.one(f"<BillQueryRq><TxnID>{self.pick('Bill', index)[1]}</TxnID><IncludeLineItems>true"
                                "</IncludeLineItems></BillQueryRq>")
        if found.get("statusCode") == "0":
            ret = found[0]
            self.send(f"<BillModRq><BillMod><TxnID>{ret.findtext('TxnID')}</TxnID><EditSequence>"
                      f"{ret.findtext('EditSequence')}</EditSequence><ExpenseLineMod><TxnLineID>"
                      f"{ret.findtext('ExpenseLineRet/TxnLineID')}</TxnLineID><Amount>{amount}</Amount>"
                      "</ExpenseLineMod></BillMod></BillModRq>")

    @precondition(lambda self: self.has("BillPaymentCheck"))
    @rule(index=picks, share=st.sampled_from((0, 30, 100, 105)))
    def modify_payment(self, index: int, share: int) -> None:
        """Pay another share of what each bill had open before this payment."""
        found = self.client.one(f"<BillPaymentCheckQueryRq><TxnID>{self.pick('BillPaymentCheck', index)[1]}</TxnID>"
                                "</BillPaymentCheckQueryRq>")
        if found.get("statusCode") != "0":
            return
        ret = found[0]
        paid = {a.findtext("TxnID") or "":
                f"{(amount_of(a, 'BalanceRemaining') + amount_of(a, 'Amount')) * share / 100:.2f}"
                for a in ret.findall("AppliedToTxnRet")}
        self.send(f"<BillPaymentCheckModRq><BillPaymentCheckMod><TxnID>{ret.findtext('TxnID')}</TxnID><EditSequence>"
                  f"{ret.findtext('EditSequence')}</EditSequence>{applied(paid, tag='AppliedToTxnMod')}"
                  "</BillPaymentCheckMod></BillPaymentCheckModRq>")

    @precondition(lambda self: bool(self.made))
    @rule(index=picks, verb=st.sampled_from(("Void", "Del")))
    def void_or_delete(self, index: int, verb: str) -> None:
        kind, txn_id = self.pick(None, index)
        self.send(f"<Txn{verb}Rq><Txn{verb}Type>{kind}</Txn{verb}Type><TxnID>{txn_id}</TxnID></Txn{verb}Rq>")

    @invariant()
    def balances_add_up(self) -> None:
        check_invariant(self.client)


TestBooks = Books.TestCase
TestBooks.settings = settings(max_examples=20, stateful_step_count=12, deadline=None, derandomize=True,
                              suppress_health_check=[HealthCheck.too_slow])
