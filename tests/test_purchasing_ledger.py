"""Item receipts (and bills made of them), credit card charges and credits, deposits, sales tax and inventory: after
every add, mod, delete and void, the books balance and every account holds what its transactions add up to
(Undeposited Funds the payments no deposit holds, Sales Tax Payable the tax collected less the tax given back, the
inventory asset and cost of goods sold what was bought; what is on hand what came in less what went out)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from lxml import etree

from fakeqb import FakeQuickBooks
from fakeqb.company.ledger import DEBIT_POSITIVE
from tests.support import Client
from tests.test_ledger import amount_of, everything
from tests.txn_requests import labor, ok, ref, sales_company

cents = st.integers(min_value=1, max_value=20_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
picks = st.integers(0, 1000)
LINES = "<IncludeLineItems>true</IncludeLineItems>"
#: Checking's opening balance (1000.00) is the one amount no transaction posts: the books balance but for it.
UNMATCHED_OPENING = Decimal("1000.00")


def total(rets: list[etree._Element], path: str, keep: object = None) -> Decimal:
    return sum((amount_of(r, path) for r in rets if keep is None or keep(r)), Decimal(0))  # type: ignore[operator]


def check_invariant(client: Client) -> None:
    accounts = everything(client, "Account", "<ActiveStatus>All</ActiveStatus>")
    by_name = {a.findtext("FullName"): amount_of(a, "Balance") for a in accounts}
    debits = total(accounts, "Balance", lambda a: a.findtext("AccountType") in DEBIT_POSITIVE)
    credits = total(accounts, "Balance", lambda a: a.findtext("AccountType") not in DEBIT_POSITIVE)
    assert debits - credits == UNMATCHED_OPENING  # every posting has its other side
    charges, card_credits = everything(client, "CreditCardCharge"), everything(client, "CreditCardCredit")
    assert by_name.get("Visa", Decimal(0)) == total(charges, "Amount") - total(card_credits, "Amount")
    receipts, bills = everything(client, "ItemReceipt"), everything(client, "Bill")
    vendors = everything(client, "Vendor")
    assert by_name["Accounts Payable"] == total(vendors, "Balance") == (
        total(bills, "OpenAmount") + total(receipts, "TotalAmount"))
    deposits = everything(client, "Deposit", LINES)
    held = [line.findtext("TxnID") for d in deposits for line in d.findall("DepositLineRet")
            if line.findtext("TxnID") and amount_of(line, "Amount")]  # a voided deposit's lines hold nothing
    assert len(held) == len(set(held))  # a payment is deposited once
    waiting = [p for kind in ("ReceivePayment", "SalesReceipt") for p in everything(client, kind)
               if p.findtext("DepositToAccountRef/FullName") == "Undeposited Funds" and p.findtext("TxnID") not in held]
    assert by_name.get("Undeposited Funds", Decimal(0)) == total(waiting, "TotalAmount")
    for d in deposits:
        assert amount_of(d, "DepositTotal") == total(d.findall("DepositLineRet"), "Amount") - amount_of(
            d, "CashBackInfoRet/Amount")
    straight = [p for kind in ("ReceivePayment", "SalesReceipt") for p in everything(client, kind)
                if p.findtext("DepositToAccountRef/FullName") == "Checking"]
    collected = sum((total(everything(client, kind), "SalesTaxTotal") for kind in ("Invoice", "SalesReceipt")),
                    Decimal(0))
    returned = total(everything(client, "CreditMemo"), "SalesTaxTotal")
    assert by_name.get("Sales Tax Payable", Decimal(0)) == collected - returned
    check_stock(client, by_name)
    assert by_name["Checking"] == UNMATCHED_OPENING + total(deposits, "DepositTotal") + total(straight, "TotalAmount")


def taxes(client: Client) -> None:
    """A sales tax group (6.25% and 1.75%), a taxable part and a customer it taxes."""
    for name, rate in (("State", "6.25"), ("County", "1.75")):
        ok(client, f"<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>{name}</Name><TaxRate>{rate}</TaxRate>"
                   "</ItemSalesTaxAdd></ItemSalesTaxAddRq>")
    ok(client, f"<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>City</Name>{ref('ItemSalesTaxRef', 'State')}"
               f"{ref('ItemSalesTaxRef', 'County')}</ItemSalesTaxGroupAdd></ItemSalesTaxGroupAddRq>")
    ok(client, f"<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Part</Name>{ref('SalesTaxCodeRef', 'Tax')}"
               f"<SalesOrPurchase><Price>1.00</Price>{ref('AccountRef', 'Sales')}</SalesOrPurchase>"
               "</ItemNonInventoryAdd></ItemNonInventoryAddRq>")
    ok(client, f"<CustomerAddRq><CustomerAdd><Name>Taxed</Name>{ref('ItemSalesTaxRef', 'City')}</CustomerAdd>"
               "</CustomerAddRq>")


def stocked(client: Client) -> None:
    """An inventory part (Stock) with its asset and cost of goods sold accounts, nothing on hand."""
    for name, kind in (("Inventory Asset", "OtherCurrentAsset"), ("COGS", "CostOfGoodsSold")):
        ok(client, f"<AccountAddRq><AccountAdd><Name>{name}</Name><AccountType>{kind}</AccountType></AccountAdd>"
                   "</AccountAddRq>")
    ok(client, f"<ItemInventoryAddRq><ItemInventoryAdd><Name>Stock</Name><SalesPrice>5.00</SalesPrice>"
               f"{ref('IncomeAccountRef', 'Sales')}<PurchaseCost>2.00</PurchaseCost>{ref('COGSAccountRef', 'COGS')}"
               f"{ref('AssetAccountRef', 'Inventory Asset')}</ItemInventoryAdd></ItemInventoryAddRq>")


def lines_of(client: Client, kind: str, item: str) -> list[etree._Element]:
    """The lines naming `item` of the transactions of a kind, but voided ones (their amounts are zero; the lines this
    test enters never are)."""
    line = f"{kind}LineRet" if kind in ("Invoice", "CreditMemo", "SalesReceipt") else "ItemLineRet"
    return [x for t in everything(client, kind, LINES) for x in t.findall(line)
            if x.findtext("ItemRef/FullName") == item and amount_of(x, "Amount")]


def check_stock(client: Client, accounts: dict[str | None, Decimal]) -> None:
    """What is on hand is what came in less what went out; the inventory asset and the cost of goods sold hold what
    was bought."""
    bought = [x for kind in ("ItemReceipt", "Bill") for x in lines_of(client, kind, "Stock")]
    sold = lines_of(client, "Invoice", "Stock") + lines_of(client, "SalesReceipt", "Stock")
    returned = lines_of(client, "CreditMemo", "Stock")
    item = client.one("<ItemInventoryQueryRq><FullName>Stock</FullName></ItemInventoryQueryRq>")[0]
    assert amount_of(item, "QuantityOnHand") == (total(bought, "Quantity") - total(sold, "Quantity")
                                                 + total(returned, "Quantity"))
    assert accounts["Inventory Asset"] + accounts["COGS"] == total(bought, "Amount")


class Purchasing(RuleBasedStateMachine):
    """Random item receipts, card charges and credits, payments held in Undeposited Funds, deposits of them, mods,
    voids and deletes."""

    def __init__(self) -> None:
        super().__init__()
        self.qb = FakeQuickBooks()
        self.qb.clock.set(datetime(2024, 3, 1, 9, 30))
        self.client = Client(self.qb.request_processor())
        sales_company(self.client)
        taxes(self.client)
        stocked(self.client)
        self.made: list[tuple[str, str]] = []  # (type, TxnID) of everything added and not deleted

    def teardown(self) -> None:
        self.client.close()
        self.qb.close()

    def send(self, body: str) -> etree._Element:
        """Requests QuickBooks refuses (a payment deposited twice, a deposited payment deleted) change nothing."""
        rs = self.client.one(body)
        assert rs.get("statusCode") in ("0", "3120", "3180"), rs.get("statusMessage")
        if rs.get("statusCode") == "0" and len(rs) and rs[0].tag.endswith("Ret") and "Add" in rs.tag:
            self.made.append((rs[0].tag.removesuffix("Ret"), rs[0].findtext("TxnID") or ""))
        return rs

    def pick(self, kinds: tuple[str, ...] | None, index: int) -> tuple[str, str] | None:
        candidates = [m for m in self.made if kinds is None or m[0] in kinds]
        return candidates[index % len(candidates)] if candidates else None

    @rule(amount=cents, item=st.sampled_from(("Widget", "Stock", "")), vendor=st.sampled_from(("Acme", "Bolt")),
          quantity=st.integers(1, 9))
    def receive_items(self, amount: str, item: str, vendor: str, quantity: int) -> None:
        line = (f"<ItemLineAdd>{ref('ItemRef', item)}<Quantity>{quantity}</Quantity><Amount>{amount}</Amount>"
                "</ItemLineAdd>" if item else
                f"<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}<Amount>{amount}</Amount></ExpenseLineAdd>")
        self.send(f"<ItemReceiptAddRq><ItemReceiptAdd>{ref('VendorRef', vendor)}{line}</ItemReceiptAdd>"
                  "</ItemReceiptAddRq>")

    @rule(amount=cents, is_credit=st.booleans())
    def card(self, amount: str, is_credit: bool) -> None:
        kind = "CreditCardCredit" if is_credit else "CreditCardCharge"
        self.send(f"<{kind}AddRq><{kind}Add>{ref('AccountRef', 'Visa')}{ref('PayeeEntityRef', 'Bolt')}"
                  f"<ExpenseLineAdd>{ref('AccountRef', 'Supplies')}<Amount>{amount}</Amount></ExpenseLineAdd>"
                  f"</{kind}Add></{kind}AddRq>")

    @rule(amount=cents, sale=st.booleans(), to_bank=st.booleans(), taxed=st.booleans())
    def take_money(self, amount: str, sale: bool, to_bank: bool, taxed: bool) -> None:
        """A payment or a sales receipt (maybe taxed), mostly held in Undeposited Funds."""
        deposit = ref("DepositToAccountRef", "Checking") if to_bank else ""
        if sale:
            lines = (f"<SalesReceiptLineAdd>{ref('ItemRef', 'Part')}<Amount>{amount}</Amount></SalesReceiptLineAdd>"
                     if taxed else labor(amount, tag="SalesReceiptLineAdd"))
            self.send(f"<SalesReceiptAddRq><SalesReceiptAdd>{ref('CustomerRef', 'Taxed' if taxed else 'Smith')}"
                      f"{deposit}{lines}</SalesReceiptAdd></SalesReceiptAddRq>")
        else:
            self.send(f"<ReceivePaymentAddRq><ReceivePaymentAdd>{ref('CustomerRef', 'Jones')}<TotalAmount>{amount}"
                      f"</TotalAmount>{deposit}<IsAutoApply>false</IsAutoApply></ReceivePaymentAdd>"
                      "</ReceivePaymentAddRq>")

    @rule(amount=cents, is_credit=st.booleans(), item=st.sampled_from(("Part", "Labor", "Stock")),
          quantity=st.integers(1, 12))
    def taxed_sale(self, amount: str, is_credit: bool, item: str, quantity: int) -> None:
        """An invoice or credit memo to the taxed customer: a taxable part, labor (not taxable), or stock (sold out of
        what is on hand, or more)."""
        kind = "CreditMemo" if is_credit else "Invoice"
        self.send(f"<{kind}AddRq><{kind}Add>{ref('CustomerRef', 'Taxed')}<{kind}LineAdd>{ref('ItemRef', item)}"
                  f"<Quantity>{quantity}</Quantity><Amount>{amount}</Amount></{kind}LineAdd></{kind}Add>"
                  f"</{kind}AddRq>")

    @precondition(lambda self: any(k in ("ReceivePayment", "SalesReceipt") for k, _ in self.made))
    @rule(index=picks, count=st.integers(1, 3), other=st.sampled_from(("", "5.00")),
          cash_back=st.sampled_from(("", "1.00")))
    def deposit(self, index: int, count: int, other: str, cash_back: str) -> None:
        """Deposit a few payments (some already deposited or not held: refused), maybe with other money."""
        payments = {self.pick(("ReceivePayment", "SalesReceipt"), index + i) for i in range(count)}
        lines = "".join(f"<DepositLineAdd><PaymentTxnID>{p[1]}</PaymentTxnID></DepositLineAdd>" for p in payments if p)
        if other:
            lines += f"<DepositLineAdd>{ref('AccountRef', 'Sales')}<Amount>{other}</Amount></DepositLineAdd>"
        back = (f"<CashBackInfoAdd>{ref('AccountRef', 'Supplies')}<Amount>{cash_back}</Amount></CashBackInfoAdd>"
                if cash_back else "")
        self.send(f"<DepositAddRq><DepositAdd>{ref('DepositToAccountRef', 'Checking')}{back}{lines}</DepositAdd>"
                  "</DepositAddRq>")

    @precondition(lambda self: any(k == "Deposit" for k, _ in self.made))
    @rule(index=picks)
    def drop_a_deposit_line(self, index: int) -> None:
        found = self.pick(("Deposit",), index)
        assert found is not None
        rs = self.client.one(f"<DepositQueryRq><TxnID>{found[1]}</TxnID>{LINES}</DepositQueryRq>")
        if rs.get("statusCode") != "0":
            return
        deposit = rs[0]
        kept = deposit.findall("DepositLineRet")[1:]
        mods = "".join(f"<DepositLineMod><TxnLineID>{line.findtext('TxnLineID')}</TxnLineID></DepositLineMod>"
                       for line in kept)
        self.send(f"<DepositModRq><DepositMod><TxnID>{found[1]}</TxnID><EditSequence>"
                  f"{deposit.findtext('EditSequence')}</EditSequence>{mods}</DepositMod></DepositModRq>")

    @precondition(lambda self: any(k == "ItemReceipt" for k, _ in self.made))
    @rule(index=picks, vendor=st.sampled_from(("Acme", "Bolt")))
    def bill_received_items(self, index: int, vendor: str) -> None:
        """Turn an item receipt into a bill (refused when the vendor is not the receipt's)."""
        found = self.pick(("ItemReceipt",), index)
        assert found is not None
        rs = self.send(f"<BillAddRq><BillAdd>{ref('VendorRef', vendor)}<LinkToTxnID>{found[1]}</LinkToTxnID>"
                       "</BillAdd></BillAddRq>")
        if rs.get("statusCode") == "0":
            self.made.remove(found)

    @precondition(lambda self: any(k in ("ReceivePayment", "ItemReceipt") for k, _ in self.made))
    @rule(index=picks, amount=cents)
    def change_amount(self, index: int, amount: str) -> None:
        """A payment's new total (refused once deposited), or an item receipt's first line's new amount."""
        found = self.pick(("ReceivePayment", "ItemReceipt"), index)
        assert found is not None
        kind, txn_id = found
        rs = self.client.one(f"<{kind}QueryRq><TxnID>{txn_id}</TxnID>{LINES}</{kind}QueryRq>")
        if rs.get("statusCode") != "0":
            return
        ret = rs[0]
        head = f"<TxnID>{txn_id}</TxnID><EditSequence>{ret.findtext('EditSequence')}</EditSequence>"
        if kind == "ReceivePayment":
            self.send(f"<ReceivePaymentModRq><ReceivePaymentMod>{head}<TotalAmount>{amount}</TotalAmount>"
                      "</ReceivePaymentMod></ReceivePaymentModRq>")
            return
        line = ret.find("ExpenseLineRet") if ret.find("ExpenseLineRet") is not None else ret.find("ItemLineRet")
        assert line is not None
        tag = line.tag.replace("Ret", "Mod")
        self.send(f"<ItemReceiptModRq><ItemReceiptMod>{head}<{tag}><TxnLineID>{line.findtext('TxnLineID')}"
                  f"</TxnLineID><Amount>{amount}</Amount></{tag}></ItemReceiptMod></ItemReceiptModRq>")

    @precondition(lambda self: bool(self.made))
    @rule(index=picks, void=st.booleans())
    def void_or_delete(self, index: int, void: bool) -> None:
        found = self.pick(None, index)
        assert found is not None
        kind, txn_id = found
        verb = "Void" if void and kind != "ReceivePayment" else "Del"  # a payment received cannot be voided
        rs = self.send(f"<Txn{verb}Rq><Txn{verb}Type>{kind}</Txn{verb}Type><TxnID>{txn_id}</TxnID></Txn{verb}Rq>")
        if verb == "Del" and rs.get("statusCode") == "0":
            self.made.remove(found)

    @invariant()
    def books_balance(self) -> None:
        check_invariant(self.client)


TestPurchasing = Purchasing.TestCase
TestPurchasing.settings = settings(max_examples=20, stateful_step_count=15, deadline=None, derandomize=True,
                                   suppress_health_check=[HealthCheck.too_slow])
