"""A planned history written straight into the company's tables, exactly as the transaction handlers store it.

Sending a transaction through qbXML costs milliseconds; this computes every row in Python from the lists read once
(`fakeqb.seed.history.Lists`) and inserts them with executemany, in one database transaction. What it reproduces of
the handlers (`fakeqb.company.handlers`), for the shapes a history has:

* TxnIDs and TxnLineIDs from the shared "txn" counter (the lines start two numbers after the TxnID, with the TxnID's
  Unix time), TxnNumber from "txn_number", TimeCreated/TimeModified/EditSequence from each step's moment;
* the stored `data` as the handlers leave it, key order included: the request's fields, then the lines, then what
  QuickBooks fills in (VendorAddress, DueDate from DaysBillsAreDue, APAccountRef/ARAccountRef, AmountDue, item lines'
  Desc/Cost/Rate/Quantity/Amount, invoice and credit memo templates, ship dates, addresses, flags and RefNumbers in
  one sequence, a check's Address and IsToBePrinted, Undeposited Funds as the default deposit account, totals);
* postings numbered by line, and account and name balances moved as `fakeqb.company.ledger` moves them;
* links owned by the payment that made them and open amounts; as the company's behaviours say
  (`fakeqb.company.behaviours`), the new TimeModified/EditSequence of a transaction whose open amount a later request
  changes (`payment_restamps`) and the new TimeModified of an account or name whose balance moves (`balance_touches`);
* voids (`voided`, zero postings, links released) and deletions (postings and links removed, a deleted_objects row);
* stock moved by inventory lines and the cost of goods sold of sales (`fakeqb.company.stock`), undone by voids and
  deletions, the items' quantity, value and average cost stored as the handlers store them;
* row ids as the database hands them out: SQLite gives max(id) + 1, so ids freed at the top are used again;
  PostgreSQL's sequences never go back (they are moved past the ids written).

`tests/test_seed_history.py` holds it to the handlers: the same history through both paths gives the same tables.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, select, text, update

from fakeqb.company import stock
from fakeqb.company.defaults import DEFAULT_TEMPLATES
from fakeqb.company.file import CompanyFile
from fakeqb.company.handlers.transactions import TXN_TYPES, Effects, amount, voided
from fakeqb.company.ledger import NAME_SIGN, Link, Posting, account_sign
from fakeqb.company.lists import STOCK_TYPES, address_block
from fakeqb.company.store import counters, deleted_objects, list_objects, postings, stock_moves, transactions, txn_links
from fakeqb.qbxml.records import Data, normalise
from fakeqb.qbxml.values import fmt_amount
from fakeqb.seed.history import History, Listed, Lists, Progress, Step, Undo, request
from fakeqb.seed.lists import Field, SeedError

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: Request elements that repeat (stored as lists, as the message model has them).
REPEATED = frozenset(("ExpenseLineAdd", "ItemLineAdd", "InvoiceLineAdd", "CreditMemoLineAdd", "AppliedToTxnAdd",
                      "SetCredit"))
#: Sales forms numbered in one sequence (`receivables._NUMBERED`).
NUMBERED = ("Invoice", "CreditMemo")
CHUNK = 5_000  # rows per executemany


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: it would walk the growing rows again and again (nearly half the time
    of a large history); nothing made here is cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_history(company: CompanyFile, lists: Lists, history: History, progress: Progress | None = None) -> None:
    """Write every step of `history` into `company` in one database transaction (the lists as `lists` has them)."""
    with collector_paused(), company.transaction() as conn:
        writer = _Writer(conn, lists, company.clock.tz, company.behaviours)
        total = len(history.steps)
        for i, step in enumerate(history.steps, 1):
            writer.step(step)
            if progress is not None and (i % 2_000 == 0 or i == total):
                progress("history", i, total)
        writer.flush(progress)


def as_data(fields: list[Field]) -> Data:
    """Request fields as the handlers read them (`fakeqb.qbxml.records.to_data`): empty ones left out, repeated
    elements in lists."""
    out: Data = {}
    for tag, value in fields:
        item = as_data(value) if isinstance(value, list) else value
        if not item:
            continue
        if tag in REPEATED:
            out.setdefault(tag, []).append(item)
        else:
            out[tag] = item
    return out


class _Ids:
    """Row ids of one table as the database hands them out (see the module docstring)."""

    def __init__(self, last: int, reuse: bool):
        self.floor = self.last = self.highest = last
        self.reuse = reuse
        self.freed: set[int] = set()

    def next(self) -> int:
        self.last += 1
        self.highest = max(self.highest, self.last)
        return self.last

    def free(self, row_id: int) -> None:
        if not self.reuse:
            return
        self.freed.add(row_id)
        while self.last > self.floor and self.last in self.freed:
            self.freed.discard(self.last)
            self.last -= 1


class _Writer:
    def __init__(self, conn: Connection, lists: Lists, tz: tzinfo, behaviours: Mapping[str, str]):
        self.conn, self.lists, self.tz = conn, lists, tz
        self.restamps = behaviours["payment_restamps"] == "yes"
        self.balance_touches = behaviours["balance_touches"] == "yes"
        reuse = conn.dialect.name == "sqlite"
        self.ids = {t.name: _Ids(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar() or 0, reuse)
                    for t in (transactions, postings, txn_links, deleted_objects, stock_moves)}
        self.counters: dict[str, int | None] = {space: conn.execute(
            select(counters.c.value).where(counters.c.space == space)).scalar() for space in ("txn", "txn_number")}
        self.known = {space for space, value in self.counters.items() if value is not None}
        self.account_types = {o.list_id: o.data.get("AccountType", "") for o in lists.objects
                              if o.list_type == "Account"}
        self.templates = {o.full_name: o.list_id for o in lists.objects if o.list_type == "Template"}
        self.rows: dict[str, dict[str, Any]] = {}  # TxnID -> its transactions row
        self.postings: dict[str, list[dict[str, Any]]] = {}
        self.links: dict[int, dict[str, Any]] = {}  # by id
        self.touching: dict[str, list[int]] = defaultdict(list)  # TxnID -> ids of the links it is in or owns
        self.balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.stamps: dict[tuple[str, str], int] = {}  # when each account or name's balance last moved
        self.deleted: list[dict[str, Any]] = []
        self.stocked: dict[str, dict[str, Any]] = {}  # item ListID -> its stored fields as moved so far
        self.moves: dict[str, list[dict[str, Any]]] = {}  # TxnID -> its stock_moves rows
        self.numbers: list[tuple[int, str]] = self._last_number()  # (row id, RefNumber) of numbered sales forms
        self.txn_ids: list[str] = []  # by step
        self.prepare: dict[str, Callable[[Data, Data, str], Effects]] = {
            "Bill": self._bill, "VendorCredit": self._vendor_credit, "BillPaymentCheck": self._check,
            "BillPaymentCreditCard": self._credit_card, "Invoice": self._invoice, "CreditMemo": self._credit_memo,
            "ReceivePayment": self._receive_payment, "Transfer": self._transfer,
        }

    def _last_number(self) -> list[tuple[int, str]]:
        c = transactions.c
        refs = self.conn.execute(select(c.id, c.ref_number).where(c.txn_type.in_(NUMBERED), c.ref_number.is_not(None))
                                 .order_by(c.id.desc()))
        return next(([(row_id, ref)] for row_id, ref in refs if ref.isascii() and ref.isdigit()), [])

    def _count(self, space: str) -> int:
        value = (self.counters[space] or 0) + 1
        self.counters[space] = value
        return value

    # -- a step ------------------------------------------------------------------------------------------------
    def step(self, step: Step) -> None:
        unix = int(step.at.replace(tzinfo=self.tz).timestamp())
        op = step.op
        if isinstance(op, Undo):
            txn_id = self.txn_ids[op.target]
            if op.request == "TxnVoid":
                self._void(txn_id, unix)
            else:
                self._delete(txn_id, unix)
        else:
            name, fields = request(step, self.txn_ids.__getitem__)
            txn_id = self._add(name, as_data(fields), unix)
        self.txn_ids.append(txn_id)

    def _add(self, type_name: str, data: Data, unix: int) -> str:
        """`transactions.add`: IDs, lines, what `prepare` fills in, the row, postings and links."""
        kind = TXN_TYPES[type_name]
        request_only = {k: data.pop(k) for k in kind.request_only if k in data}
        txn_id = f"{self._count('txn'):X}-{unix}"
        self._count("txn")  # the lines start two numbers after the TxnID
        for lk in kind.lines:
            if lk.add in data:
                lines = data.pop(lk.add)
                data[lk.ret] = [{"TxnLineID": self._line_id(unix), **line} for line in lines]
        effects = self.prepare[type_name](data, request_only, txn_id)
        ref = data.get("RefNumber")
        row = dict(id=self.ids["transactions"].next(), txn_type=type_name, txn_id=txn_id,
                   txn_number=self._count("txn_number"), ref_number=ref, ref_key=ref.casefold() if ref else None,
                   txn_date=data["TxnDate"], entity_id=effects.entity_id, time_created=unix, time_modified=unix,
                   edit_sequence=unix, amount=effects.amount, open_amount=effects.amount, data=data)
        self.rows[txn_id] = row
        if type_name in NUMBERED and ref:
            self.numbers.append((row["id"], ref))
        self._post(txn_id, effects.postings, unix)
        self._apply_links(txn_id, effects.links, unix)
        self._move_stock(txn_id, effects.moves)
        return txn_id

    # -- stock -----------------------------------------------------------------------------------------------------
    def _item(self, list_id: str) -> Listed:
        return self.lists.by_key["item", list_id]

    def _item_data(self, list_id: str) -> dict[str, Any]:
        return self.stocked.get(list_id) or dict(self._item(list_id).data)

    def _move_stock(self, txn_id: str, moves: list[stock.Move]) -> None:
        """`stock.apply`: the rows, then each item moved."""
        moves = [m for m in moves if m.quantity or m.value]
        if not moves:
            return
        self.moves[txn_id] = [dict(id=self.ids["stock_moves"].next(), txn_id=txn_id, item_id=m.item_id,
                                   quantity=m.quantity, value=m.value) for m in moves]
        for item_id, quantity, value in stock.totals(moves, 1):
            self.stocked[item_id] = stock.moved(self._item_data(item_id), quantity, value)

    def _revert_stock(self, txn_id: str) -> None:
        """`stock.revert`: each item moved back, the rows gone."""
        rows = self.moves.pop(txn_id, [])
        moves = [stock.Move(r["item_id"], r["quantity"], r["value"]) for r in rows]
        for item_id, quantity, value in stock.totals(moves, -1):
            self.stocked[item_id] = stock.moved(self._item_data(item_id), quantity, value)
        for r in rows:
            self.ids["stock_moves"].free(r["id"])

    def _line_id(self, unix: int) -> str:
        return f"{self._count('txn'):X}-{unix}"

    # -- the ledger ----------------------------------------------------------------------------------------------
    def _post(self, txn_id: str, lines: list[Posting], unix: int) -> None:
        ids = self.ids["postings"]
        self.postings[txn_id] = [dict(id=ids.next(), txn_id=txn_id, line=i, account_id=p.account_id,
                                      entity_id=p.entity_id, amount=p.amount) for i, p in enumerate(lines, 1)]
        self._move(self.postings[txn_id], 1, unix)

    def _move(self, rows: list[dict[str, Any]], direction: int, unix: int) -> None:
        """`ledger._move`: accounts by their sign, and the names on A/P and A/R lines; those moved count as modified
        now (behaviour `balance_touches`)."""
        deltas: dict[tuple[str, str], Decimal] = {}
        for p in rows:
            account_type = self.account_types.get(p["account_id"], "")
            key = ("Account", p["account_id"])
            deltas[key] = deltas.get(key, ZERO) + direction * account_sign(account_type) * p["amount"]
            if p["entity_id"] is not None and account_type in NAME_SIGN:
                key = ("name", p["entity_id"])
                deltas[key] = deltas.get(key, ZERO) + direction * NAME_SIGN[account_type] * p["amount"]
        for key, delta in deltas.items():
            if delta:
                self.balances[key] += delta
                if self.balance_touches:
                    self.stamps[key] = unix

    def _apply_links(self, txn_id: str, links: list[Link], unix: int) -> None:
        """`transactions._apply_links` for an Add: the links, open amounts, and the others touched."""
        others = {t for x in links for t in (x.source, x.target)} - {txn_id}
        before = {t: self.rows[t]["open_amount"] for t in others}
        for x in links:
            if x.amount:
                link_id = self.ids["txn_links"].next()
                self.links[link_id] = dict(id=link_id, source=x.source, target=x.target, owner=txn_id,
                                           amount=x.amount)
                for t in {x.source, x.target, txn_id}:
                    self.touching[t].append(link_id)
                self.rows[x.source]["open_amount"] -= x.amount
                self.rows[x.target]["open_amount"] -= x.amount
        if any(self.rows[t]["open_amount"] < 0 for t in (*others, txn_id)):
            raise SeedError(f"{self.rows[txn_id]['txn_type']} {txn_id} applies more than is open")
        self._touch([t for t in others if self.rows[t]["open_amount"] != before[t]], unix)

    def _touch(self, txn_ids: list[str], unix: int) -> None:
        """Transactions whose open amount another one changed count as modified (behaviour `payment_restamps`)."""
        if not self.restamps:
            return
        for txn_id in txn_ids:
            row = self.rows[txn_id]
            row["time_modified"], row["edit_sequence"] = unix, max(unix, row["edit_sequence"] + 1)

    def _release(self, txn_id: str, unix: int) -> None:
        """`transactions._release_all` after the postings: every link touching the transaction goes."""
        gone = [self.links.pop(i) for i in dict.fromkeys(self.touching.pop(txn_id, ())) if i in self.links]
        others = {t for x in gone for t in (x["source"], x["target"])} - {txn_id}
        before = {t: self.rows[t]["open_amount"] for t in others}
        for x in gone:
            self.ids["txn_links"].free(x["id"])
            self.rows[x["source"]]["open_amount"] += x["amount"]
            self.rows[x["target"]]["open_amount"] += x["amount"]
        self._touch([t for t in others if self.rows[t]["open_amount"] != before[t]], unix)

    def _void(self, txn_id: str, unix: int) -> None:
        row = self.rows[txn_id]
        self._move(self.postings[txn_id], -1, unix)
        for p in self.postings[txn_id]:
            p["amount"] = ZERO
        self._revert_stock(txn_id)
        self._release(txn_id, unix)
        row.update(data=voided(TXN_TYPES[row["txn_type"]], row["data"]), amount=ZERO, open_amount=ZERO,
                   time_modified=unix, edit_sequence=max(unix, row["edit_sequence"] + 1))

    def _delete(self, txn_id: str, unix: int) -> None:
        rows = self.postings.pop(txn_id)
        self._move(rows, -1, unix)
        for p in rows:
            self.ids["postings"].free(p["id"])
        self._revert_stock(txn_id)
        self._release(txn_id, unix)
        row = self.rows.pop(txn_id)
        self.ids["transactions"].free(row["id"])
        if row["txn_type"] in NUMBERED and (row["id"], row["ref_number"]) in self.numbers:
            self.numbers.remove((row["id"], row["ref_number"]))
        self.deleted.append(dict(id=self.ids["deleted_objects"].next(), del_type=row["txn_type"], object_id=txn_id,
                                 full_name=row["ref_number"], time_created=row["time_created"], time_deleted=unix))

    # -- what each type fills in (`payables`, `receivables`, `banking`) -------------------------------------------
    def _account(self, data: Data, field: str, default: str) -> str:
        """The account a transaction names, or the company's; set as its reference."""
        list_id = data[field]["ListID"] if data.get(field) else default
        data[field] = {"ListID": list_id}
        return str(list_id)

    def _name(self, list_id: str) -> Listed:
        return self.lists.by_key["name", list_id]

    def _bill(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        vendor = self._name(data["VendorRef"]["ListID"])
        if "VendorAddress" not in data and vendor.data.get("VendorAddress"):
            data["VendorAddress"] = dict(vendor.data["VendorAddress"])
        if "DueDate" not in data:
            due = date.fromisoformat(data["TxnDate"]) + timedelta(days=self.lists.days_bills_are_due)
            data["DueDate"] = due.isoformat()
        effects = self._purchase(data, 1)
        data["AmountDue"] = fmt_amount(effects.amount)
        return effects

    def _vendor_credit(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        effects = self._purchase(data, -1)
        data["CreditAmount"] = fmt_amount(effects.amount)
        return effects

    def _purchase(self, data: Data, sign: int) -> Effects:
        vendor_id = data["VendorRef"]["ListID"]
        ap = self._account(data, "APAccountRef", self.lists.ap)
        lines: list[tuple[str, str | None, Decimal]] = []
        for line in data.get("ExpenseLineRet", []):
            lines.append((line["AccountRef"]["ListID"], _ref_id(line, "CustomerRef"), _amount_of(line)))
        for line in data.get("ItemLineRet", []):
            lines.append((self._item_line(line), _ref_id(line, "CustomerRef"), _amount_of(line)))
        total = sum((value for _, _, value in lines), ZERO)
        entries = [Posting(account, entity, sign * value) for account, entity, value in lines]
        entries.append(Posting(ap, vendor_id, -sign * total))
        moves = stock.purchase_moves(data.get("ItemLineRet", []), self._item, sign)
        return Effects(total, entries, entity_id=vendor_id, moves=moves)

    def _item_line(self, line: Data) -> str:
        """`payables._item_line`: Desc, Quantity, Cost and Amount from the item; the account it posts to."""
        item = self.lists.by_key["item", line["ItemRef"]["ListID"]]
        fields = item.data
        both, one = fields.get("SalesAndPurchase") or {}, fields.get("SalesOrPurchase") or {}
        if item.list_type in STOCK_TYPES:
            account, cost, desc = fields.get("AssetAccountRef"), fields.get("PurchaseCost"), fields.get("PurchaseDesc")
        elif both:
            account, cost, desc = both.get("ExpenseAccountRef"), both.get("PurchaseCost"), both.get("PurchaseDesc")
        else:
            account, cost, desc = one.get("AccountRef"), one.get("Price"), one.get("Desc")
        account = line.get("OverrideItemAccountRef") or account
        if not account:
            raise SeedError(f"item {item.full_name} has no account for purchases")
        if desc and "Desc" not in line:
            line["Desc"] = desc
        quantity = Decimal(line["Quantity"]) if line.get("Quantity") else None
        if line.get("Amount"):
            if quantity and "Cost" not in line:
                unit = (Decimal(line["Amount"]) / quantity).quantize(Decimal("0.00001"))
                line["Cost"] = normalise("price", str(unit))
        else:
            unit = Decimal(line.get("Cost") or cost or 0)
            line.setdefault("Cost", normalise("price", str(unit)))
            if quantity is None:
                quantity = Decimal(1)
                line["Quantity"] = normalise("quan", "1")
            line["Amount"] = fmt_amount((unit * quantity).quantize(CENT, ROUND_HALF_UP))
        return str(account["ListID"])

    def _check(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        if "RefNumber" in request_only:
            data["RefNumber"] = request_only["RefNumber"]
            data["IsToBePrinted"] = "false"
        elif "IsToBePrinted" in request_only:
            data["IsToBePrinted"] = request_only["IsToBePrinted"] or "false"
            if data["IsToBePrinted"] == "true":
                data.pop("RefNumber", None)
        if not data.get("RefNumber"):
            data.pop("RefNumber", None)
        payee = self._name(data["PayeeEntityRef"]["ListID"])
        address = next((payee.data[k] for k in ("VendorAddress", "BillAddress", "OtherNameAddress",
                                                "EmployeeAddress") if payee.data.get(k)), None)
        if address:
            data["Address"] = dict(address)
            address_block(data, "Address", "AddressBlock")
        return self._bill_payment(data, request_only, txn_id, "BankAccountRef")

    def _credit_card(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        return self._bill_payment(data, request_only, txn_id, "CreditCardAccountRef")

    def _bill_payment(self, data: Data, request_only: Data, txn_id: str, account_field: str) -> Effects:
        payee_id = data["PayeeEntityRef"]["ListID"]
        ap = self._account(data, "APAccountRef", self.lists.ap)
        links = _applications(txn_id, request_only.get("AppliedToTxnAdd", []))
        applied = sum((x.amount for x in links if x.source == txn_id), ZERO)
        total = Decimal(request_only["Amount"]) if "Amount" in request_only else applied
        if total == 0:
            raise SeedError(f"a bill payment of nothing ({txn_id}) creates no transaction")
        data["Amount"] = fmt_amount(total)
        entries = [Posting(ap, payee_id, total), Posting(data[account_field]["ListID"], payee_id, -total)]
        return Effects(total, entries, entity_id=payee_id, links=links)

    def _invoice(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        if request_only.get("SetCredit"):
            raise SeedError("an invoice setting credits is not a shape a history has")
        data.setdefault("DueDate", data["TxnDate"])
        data.setdefault("IsFinanceCharge", "false")
        return self._sale(data, "Invoice", "InvoiceLineRet", 1)

    def _credit_memo(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        effects = self._sale(data, "CreditMemo", "CreditMemoLineRet", -1)
        data["TotalAmount"] = fmt_amount(effects.amount)
        return effects

    def _sale(self, data: Data, form: str, line_key: str, sign: int) -> Effects:
        """`receivables._sale` for a new form: defaults, numbering, lines, postings."""
        customer = self._name(data["CustomerRef"]["ListID"])
        ar = self._account(data, "ARAccountRef", self.lists.ar)
        template = self.templates.get(DEFAULT_TEMPLATES[form])
        if "TemplateRef" not in data and template is not None:
            data["TemplateRef"] = {"ListID": template}
        data.setdefault("ShipDate", data["TxnDate"])
        for field in ("BillAddress", "ShipAddress"):
            if field not in data and customer.data.get(field):
                data[field] = dict(customer.data[field])
        for flag in ("IsPending", "IsToBePrinted", "IsToBeEmailed"):
            data.setdefault(flag, "false")
        if "RefNumber" not in data:
            data["RefNumber"] = self._next_number()
        elif not data["RefNumber"]:
            del data["RefNumber"]
        entries, above = [], ZERO
        for line in data.get(line_key, []):
            account = self._sales_line(line, above)
            above = amount(line.get("Amount"))
            if account is not None:
                entries.append(Posting(account, None, -sign * above))
        total = sum((-sign * p.amount for p in entries), ZERO)
        if customer.data.get("ItemSalesTaxRef"):
            raise SeedError("a customer with a sales tax item is not a shape a history has")
        data["Subtotal"] = fmt_amount(total)
        if "CustomerSalesTaxCodeRef" not in data and customer.data.get("SalesTaxCodeRef"):  # `sales_tax.apply`
            data["CustomerSalesTaxCodeRef"] = dict(customer.data["SalesTaxCodeRef"])
        for line in data.get(line_key, []):
            code = self._item(line["ItemRef"]["ListID"]).data.get("SalesTaxCodeRef") if line.get("ItemRef") else None
            if code and "SalesTaxCodeRef" not in line:
                line["SalesTaxCodeRef"] = dict(code)
        data.update(SalesTaxPercentage="0.00", SalesTaxTotal="0.00")
        moves, costs = stock.sale_moves(data.get(line_key, []), self._item, self._item_data, sign)
        entries += costs
        entries.append(Posting(ar, customer.list_id, sign * total))
        return Effects(total, entries, entity_id=customer.list_id, moves=moves)

    def _next_number(self) -> str:
        return next((str(int(ref) + 1) for _, ref in reversed(self.numbers) if ref.isascii() and ref.isdigit()), "1")

    def _sales_line(self, line: Data, above: Decimal) -> str | None:
        """`receivables._sales_line`: Desc, Quantity, Rate and Amount from the item; the account it posts to."""
        for name in ("Quantity", "Rate", "RatePercent", "Amount"):
            if line.get(name) == "":
                del line[name]
        if not line.get("ItemRef"):
            return None
        item = self.lists.by_key["item", line["ItemRef"]["ListID"]]
        account, price, percent, desc = _sales_terms(item)
        account = line.get("OverrideItemAccountRef") or account
        if not account:
            raise SeedError(f"item {item.full_name} has no income account")
        if desc and "Desc" not in line:
            line["Desc"] = desc
        quantity = Decimal(line["Quantity"]) if "Quantity" in line else None
        if "Amount" not in line and "Rate" not in line and ("RatePercent" in line or percent is not None):
            if "RatePercent" not in line:
                line["RatePercent"] = normalise("percent", str(percent))
            line["Amount"] = fmt_amount((above * Decimal(line["RatePercent"]) / 100).quantize(CENT, ROUND_HALF_UP))
        elif "Amount" in line:
            if quantity and "Rate" not in line and "RatePercent" not in line:
                line["Rate"] = normalise("price", str((Decimal(line["Amount"]) / quantity).quantize(
                    Decimal("0.00001"))))
            line["Amount"] = fmt_amount(line["Amount"])
        else:
            rate = Decimal(line.get("Rate") or price or 0)
            line["Rate"] = normalise("price", str(rate))
            if quantity is None:
                quantity = Decimal(1)
                line["Quantity"] = normalise("quan", "1")
            line["Amount"] = fmt_amount((rate * quantity).quantize(CENT, ROUND_HALF_UP))
        return str(account["ListID"])

    def _receive_payment(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        if "IsAutoApply" in request_only:
            raise SeedError("IsAutoApply is not a shape a history has")
        customer_id = data["CustomerRef"]["ListID"]
        ar = self._account(data, "ARAccountRef", self.lists.ar)
        if data.get("DepositToAccountRef"):
            deposit = data["DepositToAccountRef"]["ListID"]
        else:
            deposit = self.lists.undeposited
            data["DepositToAccountRef"] = {"ListID": deposit}
        links = _applications(txn_id, request_only.get("AppliedToTxnAdd", []))
        applied = sum((x.amount for x in links if x.source == txn_id), ZERO)
        total = Decimal(request_only["TotalAmount"]) if "TotalAmount" in request_only else applied
        if total < applied or total == 0:
            raise SeedError(f"a payment received of {total} applying {applied} is not a shape a history has")
        data["TotalAmount"] = fmt_amount(total)
        entries = [Posting(ar, customer_id, -total), Posting(deposit, customer_id, total)]
        return Effects(total, entries, entity_id=customer_id, links=links)

    def _transfer(self, data: Data, request_only: Data, txn_id: str) -> Effects:
        value = Decimal(data["Amount"])
        return Effects(value, [Posting(data["TransferToAccountRef"]["ListID"], None, value),
                               Posting(data["TransferFromAccountRef"]["ListID"], None, -value)])

    # -- writing -------------------------------------------------------------------------------------------------
    def flush(self, progress: Progress | None) -> None:
        """Insert the rows, set the balances and counters (and PostgreSQL's sequences)."""
        tables: list[tuple[Table, list[dict[str, Any]]]] = [
            (transactions, sorted(self.rows.values(), key=_by_id)),
            (postings, sorted((p for rows in self.postings.values() for p in rows), key=_by_id)),
            (txn_links, sorted(self.links.values(), key=_by_id)),
            (deleted_objects, self.deleted),
            (stock_moves, sorted((m for rows in self.moves.values() for m in rows), key=_by_id)),
        ]
        total, done = sum(len(rows) for _, rows in tables), 0
        for table, rows in tables:
            for start in range(0, len(rows), CHUNK):
                self.conn.execute(table.insert(), rows[start:start + CHUNK])
                done += len(rows[start:start + CHUNK])
                if progress is not None:
                    progress("writing", done, total)
        moved, stamped = [], []
        for key in self.balances.keys() | self.stamps.keys():
            listed = self.lists.by_key[key]
            change = {"row": listed.id, "value": listed.balance + self.balances.get(key, ZERO)}
            if key in self.stamps:
                stamped.append({**change, "stamp": self.stamps[key]})
            elif self.balances[key]:
                moved.append(change)
        by_row = update(list_objects).where(list_objects.c.id == bindparam("row"))
        if self.stocked:
            self.conn.execute(by_row.values(data=bindparam("fields")), [
                {"row": self._item(item_id).id, "fields": fields} for item_id, fields in self.stocked.items()])
        if moved:
            self.conn.execute(by_row.values(balance=bindparam("value")), moved)
        if stamped:
            self.conn.execute(by_row.values(balance=bindparam("value"), time_modified=bindparam("stamp")), stamped)
        for space, value in self.counters.items():
            if value is None:
                continue
            if space in self.known:
                self.conn.execute(update(counters).where(counters.c.space == space).values(value=value))
            else:
                self.conn.execute(counters.insert().values(space=space, value=value))
        if self.conn.dialect.name == "postgresql":
            for name, ids in self.ids.items():
                if ids.highest > ids.floor:
                    self.conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :value)"),
                                      {"value": ids.highest})


def _by_id(row: dict[str, Any]) -> int:
    return int(row["id"])


def _ref_id(data: Data, name: str) -> str | None:
    return (data.get(name) or {}).get("ListID")


def _amount_of(line: Data) -> Decimal:
    value = amount(line.get("Amount"))
    line["Amount"] = fmt_amount(value)
    return value


def _applications(txn_id: str, apps: list[Data]) -> list[Link]:
    """The links a payment's AppliedToTxnAdd make (`transactions.applications`, checked by the plan)."""
    links = []
    for app in apps:
        pay = amount(app.get("PaymentAmount"))
        if pay:
            links.append(Link(txn_id, app["TxnID"], pay))
        for credit in app.get("SetCredit", []):
            use = amount(credit["AppliedAmount"])
            if use:
                links.append(Link(credit["CreditTxnID"], app["TxnID"], use))
    return links


def _sales_terms(item: Listed) -> tuple[Data | None, str | None, str | None, str | None]:
    """`receivables._sales_terms`: an item's income account, sales price (or percentage) and sales description."""
    fields = item.data
    both, one = fields.get("SalesAndPurchase") or {}, fields.get("SalesOrPurchase") or {}
    if item.list_type in STOCK_TYPES:
        return fields.get("IncomeAccountRef"), fields.get("SalesPrice"), None, fields.get("SalesDesc")
    if both:
        return both.get("IncomeAccountRef"), both.get("SalesPrice"), None, both.get("SalesDesc")
    return one.get("AccountRef"), one.get("Price"), one.get("PricePercent"), one.get("Desc")
