"""The history of a run: actions, and the activity model that draws them day by day from a scenario's rates.

An action is plain data (JSON): when it happens, who does it (a person in QuickBooks, a person in the app, the
sync, the administrator), what, and with which values, naming objects by name or number. Replaying a history
performs the same actions; one whose object no longer exists is skipped.

Each batch of actions (the work before one sync) is drawn with the run's seeded random generator from what the app
shows at that moment; the count of each kind of action is its daily rate shared out over the day's syncs.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from faker import Faker

from scenarios.model import Model
from scenarios.profile import Scenario

ACTION_GAP = timedelta(minutes=5)  # more than the two minutes the sync reads again before its last read
EXPENSE_TYPES = ("Expense", "CostOfGoodsSold")
FIELDS = ("phone", "email", "company_name", "city", "postal_code")


@dataclass
class Action:
    at: str  # company time, ISO
    day: int
    actor: str  # "quickbooks", "app", "sync", "admin"
    op: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Action:
        return cls(str(data["at"]), int(data["day"]), str(data["actor"]), str(data["op"]), dict(data.get("args", {})))

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.args.items() if k != "faults")
        faults = len(self.args.get("faults", []))
        extra = f" with {faults} fault rule(s)" if faults else ""
        return f"day {self.day} {self.at[11:16]} {self.actor}.{self.op}({args}){extra}"


@dataclass
class Pool:
    """What the people can pick from: the app's objects as it shows them, and what QuickBooks alone has."""

    vendors: list[Any]
    customers: list[Any]
    accounts: list[Any]
    items: list[Any]
    bills: list[Any]
    credits: list[Any]
    invoices: list[Any]
    payments: list[Any]
    synced_invoices: set[str]


def pool(app: Any, model: Model) -> Pool:
    invoices = app.invoices.list()
    return Pool(app.vendors.list(), app.customers.list(), app.accounts.list(), app.items.list(), app.bills.list(),
                app.vendor_credits.list(), invoices, app.bill_payments.list(),
                {i.number for i in invoices if app.invoices.is_synced(i.id)})


def money(rng: random.Random, low: float, high: float) -> str:
    return f"{Decimal(rng.randint(int(low * 100), int(high * 100))) / 100:.2f}"


class Generator:
    """Draws the actions of a run from the scenario's rates, seeded."""

    def __init__(self, scenario: Scenario, seed: int, model: Model, taken_names: set[str]):
        self.scenario = scenario
        self.rng = random.Random(seed * 1_000_003 + scenario.company.seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed * 7919 + scenario.company.seed)
        self.model = model
        self.taken = {n.lower() for n in taken_names}
        self.counter = 0

    # -- the day's counts -----------------------------------------------------------------------------------------
    def count(self, rate: float) -> int:
        share = rate / len(self.scenario.syncs)
        whole = int(share)
        return whole + (1 if self.rng.random() < share - whole else 0)

    def batch(self, day: int, today: date, start: datetime, pool: Pool | None) -> list[Action]:
        """The work before one sync: QuickBooks' and the app's, interleaved, from `start` on, each ACTION_GAP apart."""
        drawn: list[tuple[str, str]] = []
        for op, rate in self.scenario.quickbooks.items():
            drawn += [("quickbooks", op)] * self.count(rate)
        if pool is not None:  # the app's people work once the first sync has brought the lists
            for op, rate in self.scenario.app.items():
                drawn += [("app", op)] * self.count(rate)
        self.rng.shuffle(drawn)
        actions = []
        moment = start
        for actor, op in drawn:
            args = getattr(self, f"{actor}_{op}")(today, pool) if pool is not None or actor == "quickbooks" else None
            if args is None:
                continue
            actions.append(Action(moment.isoformat(timespec="minutes"), day, actor, op, args))
            moment += ACTION_GAP
        return actions

    def sync(self, day: int, moment: datetime) -> Action:
        rules = []
        for rule in self.scenario.faults:
            if self.rng.random() < rule["chance"]:
                chosen = {k: v for k, v in rule.items() if k != "chance"}
                if "probability" in chosen:
                    chosen["seed"] = self.rng.randrange(2**31)
                rules.append(chosen)
        return Action(moment.isoformat(timespec="minutes"), day, "sync", "sync", {"faults": rules} if rules else {})

    # -- picking --------------------------------------------------------------------------------------------------
    def name(self, kind: str) -> str:
        """A new name in QuickBooks' one list of names (never used by a vendor, customer, employee or other name)."""
        while True:
            base = self.fake.company() if kind == "vendor" else f"{self.fake.last_name()}, {self.fake.first_name()}"
            candidate = base.replace(":", " ")[:36].strip()
            if candidate.lower() not in self.taken:
                self.taken.add(candidate.lower())
                return candidate
            self.counter += 1
            candidate = f"{candidate[:30]} {self.counter}"
            if candidate.lower() not in self.taken:
                self.taken.add(candidate.lower())
                return candidate

    def number(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items) if items else None

    def field_change(self) -> tuple[str, str]:
        field = self.rng.choice(FIELDS)
        value = {"phone": lambda: f"555-{self.rng.randint(1000, 9999)}",
                 "email": lambda: f"{self.fake.user_name()}@{self.fake.domain_name()}",
                 "company_name": lambda: self.fake.company()[:41],
                 "city": lambda: self.fake.city()[:31],
                 "postal_code": lambda: self.fake.zipcode()}[field]()
        return field, value

    def day_of(self, today: date) -> str:
        back = int(self.scenario.options.get("backdate_days", 0))
        return (today - timedelta(days=self.rng.randint(0, back) if back else 0)).isoformat()

    def expense_account(self, pool: Pool | None) -> str:
        names = [a.full_name for a in pool.accounts if a.account_type in EXPENSE_TYPES and a.is_active] \
            if pool else []
        return self.rng.choice(names) if names else "Office Supplies"

    def item(self, pool: Pool | None) -> str:
        names = [i.full_name for i in pool.items if i.is_active and i.item_type in ("Service", "OtherCharge")
                 and i.full_name not in self.model.app_items] if pool else []
        return self.rng.choice(names) if names else "Design Consultation"

    def active(self, objects: list[Any], jobs: bool | None = None) -> list[Any]:
        return [o for o in objects if o.is_active and (jobs is None or o.is_job == jobs)]

    def unused_vendor(self, pool: Pool) -> Any:
        used = {b.vendor.name for b in pool.bills} | {c.vendor.name for c in pool.credits}
        return self.pick([v for v in self.active(pool.vendors) if v.name not in used])

    def unused_customer(self, pool: Pool) -> Any:
        used = {i.customer.full_name.split(":")[0] for i in pool.invoices}
        used |= {c.full_name.split(":")[0] for c in pool.customers if c.is_job}
        used |= {line.customer.full_name.split(":")[0] for b in pool.bills for line in b.lines if line.customer}
        return self.pick([c for c in self.active(pool.customers, jobs=False) if c.full_name not in used])

    def open_bills(self, pool: Pool) -> list[Any]:
        return [b for b in pool.bills if b.balance_due > 0 and b.vendor.is_active]

    # -- a person in QuickBooks -----------------------------------------------------------------------------------
    def quickbooks_vendor_add(self, today: date, pool: Pool | None) -> dict[str, Any]:
        return {"name": self.name("vendor"), "phone": f"555-{self.rng.randint(1000, 9999)}"}

    def quickbooks_vendor_edit(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        vendor = self.pick(self.active(pool.vendors)) if pool else None
        if vendor is None:
            return None
        field, value = self.field_change()
        return {"name": vendor.name, "field": field, "value": value}

    def quickbooks_vendor_inactivate(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        vendor = self.unused_vendor(pool) if pool else None
        return {"name": vendor.name} if vendor else None

    def quickbooks_customer_add(self, today: date, pool: Pool | None) -> dict[str, Any]:
        name = self.name("customer")
        return {"name": name, "email": f"{self.fake.user_name()}@{self.fake.domain_name()}"}

    def quickbooks_customer_edit(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        customer = self.pick(self.active(pool.customers, jobs=False)) if pool else None
        if customer is None:
            return None
        field, value = self.field_change()
        return {"name": customer.full_name, "field": field, "value": value}

    def quickbooks_customer_inactivate(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        customer = self.unused_customer(pool) if pool else None
        return {"name": customer.full_name} if customer else None

    def quickbooks_job_add(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        customer = self.pick(self.active(pool.customers, jobs=False)) if pool else None
        if customer is None:
            return None
        return {"customer": customer.full_name, "name": self.number("Job ")}

    def quickbooks_job_edit(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        job = self.pick(self.active(pool.customers, jobs=True)) if pool else None
        if job is None:
            return None
        return {"name": job.full_name, "field": "phone", "value": f"555-{self.rng.randint(1000, 9999)}"}

    def quickbooks_job_inactivate(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        if pool is None:
            return None
        used = {i.customer.full_name for i in pool.invoices}
        used |= {line.customer.full_name for b in pool.bills for line in b.lines if line.customer}
        job = self.pick([j for j in self.active(pool.customers, jobs=True) if j.full_name not in used])
        return {"name": job.full_name} if job else None

    def quickbooks_bill_add(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        vendor = self.pick(self.active(pool.vendors)) if pool else None
        if vendor is None:
            return None
        return {"vendor": vendor.name, "number": self.number("QB-"), "date": self.day_of(today),
                "account": self.expense_account(pool), "amount": money(self.rng, 40, 2500)}

    def _any_bill(self, pool: Pool | None) -> tuple[str, str] | None:
        known = sorted(k for k in self.model.qb_bills - self.model.deleted_keys("bill") if k[1])
        known += [(b.vendor.name, b.number) for b in pool.bills if b.number] if pool else []
        return self.pick(sorted(set(known)))

    def quickbooks_bill_edit(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        bill = self._any_bill(pool)
        return {"vendor": bill[0], "number": bill[1], "amount": money(self.rng, 40, 2500)} if bill else None

    def quickbooks_bill_pay(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        bill = self._any_bill(pool)
        if bill is None:
            return None
        return {"vendor": bill[0], "number": bill[1], "share": self.rng.choice((1.0, 1.0, 0.5)), "date": str(today)}

    def quickbooks_bill_delete(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        bill = self._any_bill(pool)
        return {"vendor": bill[0], "number": bill[1]} if bill else None

    def quickbooks_payment_delete(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        bill = self._any_bill(pool)
        return {"vendor": bill[0], "number": bill[1]} if bill else None

    def quickbooks_vendor_credit_add(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        vendor = self.pick(self.active(pool.vendors)) if pool else None
        if vendor is None:
            return None
        return {"vendor": vendor.name, "number": self.number("QC-"), "date": str(today),
                "account": self.expense_account(pool), "amount": money(self.rng, 10, 300)}

    def quickbooks_invoice_add(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        customer = self.pick([c for c in self.active(pool.customers)]) if pool else None
        if customer is None:
            return None
        return {"customer": customer.full_name, "number": self.number("Q"), "date": self.day_of(today),
                "item": self.item(pool), "amount": money(self.rng, 100, 5000),
                "to_be_emailed": self.rng.random() < 0.7}

    def _any_invoice(self, pool: Pool | None) -> str | None:
        known = set(self.model.qb_invoices) | ({i.number for i in pool.invoices} if pool else set())
        known -= {key for kind, key in self.model.deleted if kind == "invoice"}
        return self.pick(sorted(known))

    def quickbooks_invoice_edit(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        number = self._any_invoice(pool)
        return {"number": number, "amount": money(self.rng, 100, 5000)} if number else None

    def quickbooks_invoice_email(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        number = self._any_invoice(pool)
        return {"number": number, "to_be_emailed": self.rng.random() < 0.8} if number else None

    def quickbooks_invoice_void(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        number = self._any_invoice(pool)
        return {"number": number} if number else None

    quickbooks_invoice_delete = quickbooks_invoice_void

    def quickbooks_payment_receive(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        number = self._any_invoice(pool)
        return {"number": number, "share": self.rng.choice((1.0, 0.5, 0.3)), "date": str(today)} if number else None

    def quickbooks_credit_memo_apply(self, today: date, pool: Pool | None) -> dict[str, Any] | None:
        number = self._any_invoice(pool)
        if number is None:
            return None
        return {"number": number, "memo": self.number("CM-"), "amount": money(self.rng, 10, 100), "date": str(today),
                "item": self.item(pool)}

    def quickbooks_close_books(self, today: date, pool: Pool | None) -> dict[str, Any]:
        return {"date": (today.replace(day=1) - timedelta(days=1)).isoformat()}

    # -- a person in the app --------------------------------------------------------------------------------------
    def app_vendor_add(self, today: date, pool: Pool) -> dict[str, Any]:
        return {"name": self.name("vendor"), "email": f"ap@{self.fake.domain_name()}"}

    def app_vendor_edit(self, today: date, pool: Pool) -> dict[str, Any] | None:
        vendor = self.pick(self.active(pool.vendors))
        if vendor is None:
            return None
        field, value = self.field_change()
        return {"name": vendor.name, "field": field, "value": value}

    def app_vendor_inactivate(self, today: date, pool: Pool) -> dict[str, Any] | None:
        vendor = self.unused_vendor(pool)
        return {"name": vendor.name} if vendor else None

    def app_customer_add(self, today: date, pool: Pool) -> dict[str, Any]:
        return {"name": self.name("customer"), "email": f"{self.fake.user_name()}@{self.fake.domain_name()}"}

    def app_customer_edit(self, today: date, pool: Pool) -> dict[str, Any] | None:
        customer = self.pick(self.active(pool.customers, jobs=False))
        if customer is None:
            return None
        field, value = self.field_change()
        return {"name": customer.full_name, "field": field, "value": value}

    def app_customer_inactivate(self, today: date, pool: Pool) -> dict[str, Any] | None:
        customer = self.unused_customer(pool)
        return {"name": customer.full_name} if customer else None

    def app_department_add(self, today: date, pool: Pool) -> dict[str, Any]:
        return {"name": self.number("Dept ")}

    def app_item_add(self, today: date, pool: Pool) -> dict[str, Any]:
        return {"name": self.number("App Item ")}

    def app_bill_add(self, today: date, pool: Pool) -> dict[str, Any] | None:
        vendor = self.pick(self.active(pool.vendors))
        if vendor is None:
            return None
        lines = []
        for _ in range(self.rng.choice((1, 1, 1, 2, 3))):
            line: dict[str, Any] = {"account": self.expense_account(pool), "amount": money(self.rng, 20, 1800)}
            customer = self.pick(self.active(pool.customers)) if self.rng.random() < 0.25 else None
            if customer is not None:
                line.update(customer=customer.full_name, billable=self.rng.random() < 0.7)
            lines.append(line)
        return {"vendor": vendor.name, "number": self.number("B-"), "date": self.day_of(today), "lines": lines}

    def app_bill_edit(self, today: date, pool: Pool) -> dict[str, Any] | None:
        bill = self.pick([b for b in pool.bills if b.number])
        if bill is None:
            return None
        if bill.paid_amount > 0 or self.rng.random() < 0.3:
            return {"number": bill.number, "memo": self.fake.sentence(nb_words=4)}
        if len(bill.lines) == 1:
            return {"number": bill.number, "amount": money(self.rng, 20, 2500)}
        # split the same total differently over its accounts (the lines' customers are dropped)
        cents = int(bill.amount * 100)
        cut = self.rng.randint(0, cents)
        accounts = [line.account.full_name for line in bill.lines[:2]]
        parts = (f"{Decimal(cut) / 100:.2f}", f"{Decimal(cents - cut) / 100:.2f}")
        return {"number": bill.number, "lines": [{"account": a, "amount": v} for a, v in zip(accounts, parts,
                                                                                              strict=True)]}

    def app_bill_approve(self, today: date, pool: Pool) -> dict[str, Any] | None:
        bill = self.pick([b for b in pool.bills if b.number])
        if bill is None:
            return None
        return {"number": bill.number, "status": self.rng.choice(("approve", "request"))}

    def app_bill_pay(self, today: date, pool: Pool) -> dict[str, Any] | None:
        bill = self.pick(self.open_bills(pool))
        if bill is None:
            return None
        return {"numbers": [bill.number], "date": str(today), "method": self.rng.choice(("epayment", "offline"))}

    def app_bill_pay_partial(self, today: date, pool: Pool) -> dict[str, Any] | None:
        bill = self.pick([b for b in self.open_bills(pool) if b.balance_due > Decimal("1.00")])
        if bill is None:
            return None
        part = (bill.balance_due * Decimal(self.rng.choice((25, 40, 50))) / 100).quantize(Decimal("0.01"))
        return {"numbers": [bill.number], "amount": f"{part:.2f}", "date": str(today),
                "method": self.rng.choice(("epayment", "offline"))}

    def app_bill_pay_batch(self, today: date, pool: Pool) -> dict[str, Any] | None:
        by_vendor: dict[str, list[str]] = {}
        for bill in self.open_bills(pool):
            by_vendor.setdefault(bill.vendor.name, []).append(bill.number)
        batches = [numbers for numbers in by_vendor.values() if len(numbers) > 1]
        numbers = self.pick(sorted(batches))
        if numbers is None:
            return None
        return {"numbers": numbers[:4], "date": str(today), "method": "epayment"}

    def app_vendor_credit_add(self, today: date, pool: Pool) -> dict[str, Any] | None:
        vendor = self.pick(self.active(pool.vendors))
        if vendor is None:
            return None
        return {"vendor": vendor.name, "number": self.number("VC-"), "date": str(today),
                "account": self.expense_account(pool), "amount": money(self.rng, 10, 400)}

    def app_credit_apply(self, today: date, pool: Pool) -> dict[str, Any] | None:
        credits = [c for c in pool.credits if c.remaining > 0 and c.vendor.is_active]
        pairs = [(c.number, b.number) for c in credits for b in self.open_bills(pool) if b.vendor.name == c.vendor.name]
        pair = self.pick(pairs)
        if pair is None:
            return None
        return {"credit": pair[0], "bill": pair[1], "pay_rest": self.rng.random() < 0.6, "date": str(today)}

    def app_withdraw(self, today: date, pool: Pool) -> dict[str, Any] | None:
        waiting = [p for p in pool.payments if p.method == "epayment" and not p.withdrawn and p.amount > 0]
        return {"date": str(today)} if waiting else None

    def app_invoice_add(self, today: date, pool: Pool) -> dict[str, Any] | None:
        customer = self.pick([c for c in self.active(pool.customers) if c.email or c.is_job])
        if customer is None:
            return None
        return {"customer": customer.full_name, "number": self.number("A"), "date": str(today),
                "item": self.item(pool), "amount": money(self.rng, 100, 5000),
                "to_be_emailed": bool(customer.email) and self.rng.random() < 0.3}

    def app_invoice_edit(self, today: date, pool: Pool) -> dict[str, Any] | None:
        unsynced = [i.number for i in pool.invoices if i.origin == "app" and i.number not in pool.synced_invoices
                    and i.balance_due == i.amount]
        number = self.pick(unsynced)
        return {"number": number, "amount": money(self.rng, 100, 5000)} if number else None

    def app_invoice_email(self, today: date, pool: Pool) -> dict[str, Any] | None:
        emailable = [i.number for i in pool.invoices if (i.origin == "app" or i.to_be_emailed) and i.emailed_at is None]
        number = self.pick(emailable)
        return {"number": number} if number else None

    def app_payment_receive(self, today: date, pool: Pool) -> dict[str, Any] | None:
        invoice = self.pick([i for i in pool.invoices if i.balance_due > 0])
        if invoice is None:
            return None
        share = self.rng.choice((100, 100, 50, 30))
        value = (invoice.balance_due * share / 100).quantize(Decimal("0.01"))
        return {"number": invoice.number, "amount": f"{value:.2f}", "date": str(today)}
