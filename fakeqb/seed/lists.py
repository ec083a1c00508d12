"""Seed a company with realistic small-business list data, sent as qbXML through a request processor.

    rp = FakeQuickBooks().request_processor()
    summary = seed_company(rp, seed=7, vendors=10, customers=8)

The company is a small US remodeling contractor: a standard chart of accounts with every account type, classes by
department, vendors, customers with jobs, items of the four simulated types, employees and other names. Everything
random comes from Faker (en_US) and `random.Random`, both seeded with `seed`, so the same seed gives the same company;
with the company clock stopped at the same time the ListIDs match too. It sends only the queries and Add requests a
QuickBooks integration could send, so the data goes through the same validation as any client's.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from faker import Faker
from lxml import etree

from fakeqb.com.client import envelope, session

#: A qbXML field: (element name, text or child fields). None and empty values are left out.
Value = str | None | list["Field"]
Field = tuple[str, Value]
#: Told how far a phase has come: (phase, done, total).
Progress = Callable[[str, int, int], None]

APP_NAME = "fakeqb seed"
BATCH = 100  # Add requests per message set
BASE_DATE = date(2024, 1, 1)  # opening balances are as of this date; job and hire dates fall around it
NAME_LIMIT = 41  # customers, vendors, employees, other names
SHORT_LIMIT = 31  # accounts, classes, items


class SeedError(RuntimeError):
    """Seeding stopped: QuickBooks refused a request, or the company already has data."""


@dataclass(frozen=True)
class SeedSummary:
    """How many objects of each list type the seed added, and the transactions of its history (if any)."""

    accounts: int = 0
    classes: int = 0
    customers: int = 0  # top-level customers
    jobs: int = 0  # customers with a parent
    vendors: int = 0
    employees: int = 0
    other_names: int = 0
    service_items: int = 0
    non_inventory_items: int = 0
    other_charge_items: int = 0
    inventory_items: int = 0
    bills: int = 0
    vendor_credits: int = 0
    bill_payments: int = 0  # by check and by credit card
    invoices: int = 0
    credit_memos: int = 0
    payments_received: int = 0
    transfers: int = 0
    voided: int = 0  # TxnVoid and TxnDel of transactions entered earlier in the history
    deleted: int = 0

    @property
    def items(self) -> int:
        return self.service_items + self.non_inventory_items + self.other_charge_items + self.inventory_items

    @property
    def transactions(self) -> int:
        """Transactions the history entered (those deleted later included)."""
        return sum(v for k, v in self.counts().items() if k in HISTORY and k not in ("voided", "deleted"))

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        shown = {k: v for k, v in self.counts().items() if k not in HISTORY or self.transactions}
        labels = {k: LABELS.get(k, k.replace("_", " ").capitalize()) for k in shown}
        width = max(map(len, labels.values()))
        lines = [f"{labels[k]:<{width}}  {v:>7,}" for k, v in shown.items()]
        return "\n".join([*lines, f"{'Total':<{width}}  {self.total:>7,}"])


LABELS = {"non_inventory_items": "Non-inventory items", "voided": "Voided (TxnVoid)", "deleted": "Deleted (TxnDel)"}
#: The counts of a history (`fakeqb.seed.history`).
HISTORY = ("bills", "vendor_credits", "bill_payments", "invoices", "credit_memos", "payments_received", "transfers",
           "voided", "deleted")


# -- the fixed parts of the company -------------------------------------------------------------------------------

#: (number, full name, type, opening balance range or None). Parents come before their sub-accounts.
CHART: tuple[tuple[str, str, str, tuple[int, int] | None], ...] = (
    ("1000", "Checking", "Bank", (15_000, 60_000)),
    ("1010", "Savings", "Bank", (5_000, 40_000)),
    ("1200", "Accounts Receivable", "AccountsReceivable", None),
    ("1300", "Inventory Asset", "OtherCurrentAsset", None),
    ("1350", "Prepaid Insurance", "OtherCurrentAsset", None),
    ("1499", "Undeposited Funds", "OtherCurrentAsset", None),
    ("1500", "Vehicles", "FixedAsset", None),
    ("1510", "Vehicles:Original Cost", "FixedAsset", (20_000, 45_000)),
    ("1520", "Vehicles:Accumulated Depreciation", "FixedAsset", None),
    ("1600", "Tools and Equipment", "FixedAsset", None),
    ("1800", "Security Deposits", "OtherAsset", None),
    ("2000", "Accounts Payable", "AccountsPayable", None),
    ("2050", "Business Visa", "CreditCard", None),
    ("2100", "Payroll Liabilities", "OtherCurrentLiability", None),
    ("2200", "Sales Tax Payable", "OtherCurrentLiability", None),
    ("2700", "Equipment Loan", "LongTermLiability", (10_000, 30_000)),
    ("3000", "Opening Balance Equity", "Equity", None),
    ("3100", "Owner's Equity", "Equity", None),
    ("3110", "Owner's Equity:Owner's Draw", "Equity", None),
    ("3900", "Retained Earnings", "Equity", None),
    ("4000", "Construction Income", "Income", None),
    ("4010", "Construction Income:Labor", "Income", None),
    ("4020", "Construction Income:Materials", "Income", None),
    ("4100", "Reimbursement Income", "Income", None),
    ("5000", "Cost of Goods Sold", "CostOfGoodsSold", None),
    ("5100", "Job Expenses", "CostOfGoodsSold", None),
    ("5110", "Job Expenses:Job Materials", "CostOfGoodsSold", None),
    ("5120", "Job Expenses:Subcontractors", "CostOfGoodsSold", None),
    ("6000", "Advertising", "Expense", None),
    ("6100", "Automobile", "Expense", None),
    ("6110", "Automobile:Fuel", "Expense", None),
    ("6120", "Automobile:Repairs", "Expense", None),
    ("6200", "Bank Service Charges", "Expense", None),
    ("6300", "Insurance", "Expense", None),
    ("6310", "Insurance:Liability Insurance", "Expense", None),
    ("6320", "Insurance:Workers Compensation", "Expense", None),
    ("6400", "Office Supplies", "Expense", None),
    ("6500", "Payroll Expenses", "Expense", None),
    ("6600", "Professional Fees", "Expense", None),
    ("6700", "Rent", "Expense", None),
    ("6800", "Utilities", "Expense", None),
    ("6810", "Utilities:Telephone", "Expense", None),
    ("7000", "Interest Income", "OtherIncome", None),
    ("8000", "Penalties and Fines", "OtherExpense", None),
    ("", "Estimates", "NonPosting", None),
    ("", "Purchase Orders", "NonPosting", None),
)

ACCOUNT_DESCRIPTIONS = {
    "Checking": "Operating account", "Savings": "Reserve account", "Undeposited Funds": "Payments not yet deposited",
    "Inventory Asset": "Stock on hand", "Opening Balance Equity": "Opening balances", "Estimates": "Job estimates",
    "Purchase Orders": "Open purchase orders", "Business Visa": "Company credit card",
}

#: Departments and their sub-classes.
DEPARTMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Residential", ("Remodeling", "New Construction", "Repairs")),
    ("Commercial", ("Tenant Improvements", "Maintenance", "New Construction")),
    ("Overhead", ("Administration", "Marketing", "Shop")),
    ("Service", ("Emergency", "Warranty", "Inspections")),
    ("Design", ("Architecture", "Interiors", "Landscape")),
)
BRANCH_CLASSES = ("Sales", "Operations", "Service")

TRADES = ("Lumber", "Plumbing Supply", "Electric", "Hardware", "Roofing", "Concrete", "Paint Co.", "Tile & Stone",
          "Glass", "HVAC Supply", "Equipment Rental", "Insurance Agency", "CPA Group", "Fuel Service", "Excavating")

JOB_NAMES = ("Kitchen Remodel", "Bathroom Remodel", "Deck Addition", "Roof Replacement", "Basement Finish",
             "Garage Conversion", "Window Replacement", "Master Suite", "Exterior Painting", "Flooring Upgrade",
             "Porch Repair", "Fence Installation", "Office Build-Out", "Storefront Renovation", "HVAC Upgrade",
             "Attic Insulation", "Siding Repair", "Patio Installation", "Sunroom Addition", "Driveway Repaving")
JOB_STATUSES = ("InProgress", "InProgress", "Awarded", "Pending", "Closed", "Closed", "NotAwarded", "None")

EMPLOYEE_TITLES = ("Project Manager", "Lead Carpenter", "Carpenter", "Estimator", "Office Manager", "Laborer",
                   "Electrician", "Bookkeeper", "Site Supervisor")


@dataclass(frozen=True)
class ItemKind:
    """One item type: its name pools, price range and the accounts it posts to."""

    list_type: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # parent items and their sub-items
    singles: tuple[str, ...]
    prices: tuple[int, int]  # whole dollars
    desc: str  # format with {name}


ITEM_KINDS = (
    ItemKind("ItemService", (("Labor", ("Framing", "Demolition", "Finish Carpentry", "Installation", "Drywall")),
                             ("Subcontracted", ("Electrical", "Plumbing", "HVAC", "Roofing"))),
             ("Design Consultation", "Project Management", "Site Cleanup", "Inspection", "Permit Processing",
              "Punch List Work"), (45, 125), "{name}, per hour"),
    ItemKind("ItemNonInventory", (("Lumber", ("Rough", "Trim", "Decking", "Plywood")),
                                  ("Hardware", ("Fasteners", "Hinges", "Brackets"))),
             ("Drywall Supplies", "Paint", "Concrete Mix", "Insulation", "Roofing Shingles", "Caulk and Sealant"),
             (5, 400), "{name}, special order"),
    ItemKind("ItemOtherCharge", (("Fees", ("Delivery Fee", "Disposal Fee", "Permit Fee")),
                                 ("Reimbursables", ("Travel", "Lodging", "Printing"))),
             ("Equipment Rental", "Finance Charge", "Change Order Fee", "Dumpster Rental", "Mileage"),
             (25, 250), "{name}"),
    ItemKind("ItemInventory", (("Cabinets", ("Cabinet Pulls", "Light Pine", "Oak Shaker")),
                               ("Doors", ("Interior Door", "Exterior Door", "Bifold Door"))),
             ("Window", "Faucet", "Light Fixture", "Ceiling Fan", "Ceramic Tile", "Vanity Sink"),
             (15, 900), "{name}"),
)
ITEM_ACCOUNTS = {
    "ItemService": "Construction Income:Labor",
    "ItemNonInventory": "Construction Income:Materials",
    "ItemOtherCharge": "Reimbursement Income",
}


# -- names --------------------------------------------------------------------------------------------------------

class NameSpace:
    """Names already used in one QuickBooks name space (case-insensitive, by full name)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.taken: set[str] = set()

    def is_free(self, name: str, parent: str | None = None) -> bool:
        return self._key(name, parent) not in self.taken

    def claim(self, candidate: str, parent: str | None = None) -> str:
        """`candidate` made valid (no colons, within the limit) and unique: "Name", "Name 2", "Name 3"..."""
        base = clean(candidate)[: self.limit].rstrip() or "Unnamed"
        name, n = base, 2
        while not self.is_free(name, parent):
            suffix = f" {n}"
            name = base[: self.limit - len(suffix)].rstrip() + suffix
            n += 1
        self.taken.add(self._key(name, parent))
        return name

    @staticmethod
    def _key(name: str, parent: str | None) -> str:
        return (f"{parent}:{name}" if parent else name).casefold()


def clean(text: str) -> str:
    """A name QuickBooks accepts: colons separate levels of a full name, so none inside one."""
    return re.sub(r"\s+", " ", text.replace(":", " ")).strip()


def clip(text: str, limit: int) -> str:
    return text[:limit].rstrip()


def money(value: Decimal | float | int) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


# -- building the requests ----------------------------------------------------------------------------------------

@dataclass
class Add:
    """One <{list_type}AddRq>: the fields of its <{list_type}Add> in schema order."""

    list_type: str
    fields: list[Field]

    @property
    def name(self) -> str:
        for key, value in self.fields:
            if key == "Name" and isinstance(value, str):
                return value
        return " ".join(v for k, v in self.fields if k in ("FirstName", "LastName") and isinstance(v, str))

    def xml(self, request_id: int) -> str:
        t = self.list_type
        return (f'<{t}AddRq requestID="{request_id}"><{t}Add>{render(self.fields)}</{t}Add>'
                f"<IncludeRetElement>ListID</IncludeRetElement></{t}AddRq>")


def render(items: Sequence[Field]) -> str:
    out = []
    for tag, value in items:
        if isinstance(value, list):
            inner = render(value)
            if inner:
                out.append(f"<{tag}>{inner}</{tag}>")
        elif value:
            out.append(f"<{tag}>{escape(value)}</{tag}>")
    return "".join(out)


def ref(full_name: str | None) -> list[Field] | None:
    return [("FullName", full_name)] if full_name else None


class Generator:
    """Makes the Add requests for one seed."""

    def __init__(self, seed: int):
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.names = NameSpace(NAME_LIMIT)  # customers, jobs, vendors, employees, other names
        self.items = NameSpace(SHORT_LIMIT)
        self.classes = NameSpace(SHORT_LIMIT)
        self.home_state = self.fake.state_abbr(include_territories=False, include_freely_associated_states=False)
        self.vendor_names: list[str] = []

    # -- small pieces ------------------------------------------------------------------------------------------
    def state(self) -> str:
        if self.rng.random() < 0.8:
            return self.home_state
        return self.fake.state_abbr(include_territories=False, include_freely_associated_states=False)

    def address(self, first_line: str | None = None) -> list[Field]:
        lines = [first_line] if first_line else []
        lines.append(self.fake.street_address())
        return [*((f"Addr{i}", clip(line, 41)) for i, line in enumerate(lines, 1)),
                ("City", clip(self.fake.city(), 31)), ("State", self.state()), ("PostalCode", self.fake.zipcode())]

    def phone(self) -> str:
        return f"({self.rng.randint(201, 989)}) {self.rng.randint(201, 989)}-{self.rng.randint(0, 9999):04d}"

    def email(self, local: str, organisation: str | None = None) -> str:
        """An address at the organisation's domain, or at a mail provider's."""
        if organisation is None:
            return f"{local}@{self.rng.choice(('gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'))}"
        domain = re.sub(r"[^a-z0-9]+", "", organisation.lower().split(",")[0].replace(" and ", " "))[:20] or "mail"
        return f"{local}@{domain}.{self.rng.choice(('com', 'com', 'net', 'biz'))}"

    def price(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low * 100, high * 100)) / 100

    def day(self, start: date, max_days: int) -> date:
        return start + timedelta(days=self.rng.randint(0, max_days))

    # -- lists ---------------------------------------------------------------------------------------------------
    def accounts(self) -> list[Add]:
        adds = []
        for number, full_name, account_type, opening in CHART:
            parent, _, name = full_name.rpartition(":")
            balance = money(self.price(*opening)) if opening else None
            adds.append(Add("Account", [
                ("Name", name), ("ParentRef", ref(parent)), ("AccountType", account_type), ("AccountNumber", number),
                ("Desc", ACCOUNT_DESCRIPTIONS.get(name)), ("OpenBalance", balance),
                ("OpenBalanceDate", BASE_DATE.isoformat() if balance else None),
            ]))
        return adds

    def class_list(self, count: int) -> list[Add]:
        """About one department in three, each with its sub-classes; parents first."""
        n_parents = -(-count // 3)
        departments = list(DEPARTMENTS)
        self.rng.shuffle(departments)
        tree: list[tuple[str, tuple[str, ...]]] = []
        for i in range(n_parents):
            if i < len(departments):
                name, subs = departments[i]
            else:
                name, subs = f"{self.fake.city()} Branch", BRANCH_CLASSES
            tree.append((self.classes.claim(name), subs))
        children: list[list[str]] = [[] for _ in tree]
        for i in range(count - n_parents):
            parent, pool = tree[i % len(tree)]
            index = len(children[i % len(tree)])
            children[i % len(tree)].append(self.classes.claim(pool[index % len(pool)], parent))
        adds = []
        for (parent, _), kids in zip(tree, children, strict=True):
            adds.append(Add("Class", [("Name", parent)]))
            adds += [Add("Class", [("Name", kid), ("ParentRef", ref(parent))]) for kid in kids]
        return adds

    def vendors(self, count: int) -> list[Add]:
        adds = []
        for _ in range(count):
            first, last = self.fake.first_name(), self.fake.last_name()
            if self.rng.random() < 0.6:
                company = self.fake.company()
            else:
                company = f"{self.fake.last_name()} {self.rng.choice(TRADES)}"
            name = self.names.claim(company)
            is_1099 = self.rng.random() < 0.35
            self.vendor_names.append(name)
            adds.append(Add("Vendor", [
                ("Name", name), ("CompanyName", clip(company, 41)), ("FirstName", first), ("LastName", last),
                ("VendorAddress", self.address(clip(company, 41))), ("Phone", self.phone()),
                ("Fax", self.phone() if self.rng.random() < 0.4 else None),
                ("Email", self.email(self.rng.choice(("ap", "billing", "orders", first.lower())), company)),
                ("Contact", clip(f"{first} {last}", 41)), ("NameOnCheck", clip(company, 41)),
                ("AccountNumber", self.fake.bothify("??-#####").upper()),
                ("VendorTaxIdent", self.fake.numerify("##-#######") if is_1099 else None),
                ("IsVendorEligibleFor1099", "true" if is_1099 else "false"),
            ]))
        return adds

    def customers(self, count: int, max_jobs: int) -> tuple[list[Add], int]:
        """Customers, each followed by its 0..max_jobs jobs; also the number of jobs."""
        adds, n_jobs = [], 0
        for _ in range(count):
            if self.rng.random() < 0.65:
                female = self.rng.random() < 0.5
                first = self.fake.first_name_female() if female else self.fake.first_name_male()
                last = self.fake.last_name()
                salutation = self.rng.choice(("Ms.", "Mrs.")) if female else "Mr."
                name = self.names.claim(f"{last}, {first}")
                company = None
                print_name = f"{first} {last}"
            else:
                first, last, salutation = self.fake.first_name(), self.fake.last_name(), None
                company = self.fake.company()
                name = self.names.claim(company)
                print_name = clip(company, 41)
            bill = self.address(print_name)
            ship = bill if self.rng.random() < 0.7 else self.address(print_name)
            phone = self.phone()
            email = self.email(f"{first}.{last}".lower().replace(" ", ""), company)
            adds.append(Add("Customer", [
                ("Name", name), ("CompanyName", clip(company, 41) if company else None), ("Salutation", salutation),
                ("FirstName", first), ("LastName", last), ("BillAddress", bill), ("ShipAddress", ship),
                ("Phone", phone), ("Mobile", self.phone() if self.rng.random() < 0.5 else None), ("Email", email),
                ("Contact", clip(f"{first} {last}", 41)),
            ]))
            for job_name in self.rng.sample(JOB_NAMES, self.rng.randint(0, min(max_jobs, len(JOB_NAMES)))):
                adds.append(self.job(self.names.claim(job_name, name), name, bill, phone, email))
                n_jobs += 1
        return adds, n_jobs

    def job(self, name: str, customer: str, bill: list[Field], phone: str, email: str) -> Add:
        status = self.rng.choice(JOB_STATUSES)
        start = self.day(BASE_DATE - timedelta(days=120), 300)
        end = start + timedelta(days=self.rng.randint(14, 120))
        site = self.address()
        return Add("Customer", [
            ("Name", name), ("ParentRef", ref(customer)), ("BillAddress", bill), ("ShipAddress", site),
            ("Phone", phone), ("Email", email), ("JobStatus", status),
            ("JobStartDate", start.isoformat() if status not in ("Pending", "NotAwarded", "None") else None),
            ("JobProjectedEndDate", end.isoformat()), ("JobEndDate", end.isoformat() if status == "Closed" else None),
            ("JobDesc", clip(f"{name} at {site[0][1]}", 99)),
        ])

    def item_list(self, count: int) -> tuple[list[Add], dict[str, int]]:
        """`count` items spread over the four types (Service first), about half of them in parent/sub-item groups."""
        share, extra = divmod(count, len(ITEM_KINDS))
        per_kind = [share + (1 if i < extra else 0) for i in range(len(ITEM_KINDS))]
        adds: list[Add] = []
        for kind, n in zip(ITEM_KINDS, per_kind, strict=True):
            adds += [self.item(kind, name, parent) for name, parent in self.item_names(kind, n)]
        return adds, {kind.list_type: n for kind, n in zip(ITEM_KINDS, per_kind, strict=True)}

    def item_names(self, kind: ItemKind, count: int) -> Iterator[tuple[str, str | None]]:
        """(name, parent name) pairs, parents before their sub-items."""
        to_group = (count + 1) // 2 if count >= 3 else 0
        grouped = 0
        groups = list(kind.groups)
        self.rng.shuffle(groups)
        for group_name, subs in groups:
            if to_group - grouped < 2:
                break
            parent = self.items.claim(group_name)
            yield parent, None
            n_subs = min(len(subs), to_group - grouped - 1)
            for sub in self.rng.sample(subs, n_subs):
                yield self.items.claim(sub, parent), parent
            grouped += 1 + n_subs
        singles = list(kind.singles)
        self.rng.shuffle(singles)
        for i in range(count - grouped):
            yield self.items.claim(singles[i % len(singles)]), None

    def item(self, kind: ItemKind, name: str, parent: str | None) -> Add:
        price = self.price(*kind.prices)
        desc = kind.desc.format(name=name)
        head: list[Field] = [("Name", name), ("ParentRef", ref(parent))]
        if kind.list_type == "ItemInventory":
            cost = (price * Decimal(self.rng.randint(50, 75)) / 100).quantize(Decimal("0.01"))
            vendor = self.rng.choice(self.vendor_names) if self.vendor_names else None
            return Add(kind.list_type, [
                *head, ("ManufacturerPartNumber", self.fake.bothify("??-####").upper()), ("SalesDesc", desc),
                ("SalesPrice", money(price)), ("IncomeAccountRef", ref("Construction Income:Materials")),
                ("PurchaseDesc", desc), ("PurchaseCost", money(cost)), ("COGSAccountRef", ref("Cost of Goods Sold")),
                ("PrefVendorRef", ref(vendor)), ("AssetAccountRef", ref("Inventory Asset")),
                ("ReorderPoint", str(self.rng.randint(2, 20))),
            ])
        return Add(kind.list_type, [*head, ("SalesOrPurchase", [
            ("Desc", desc), ("Price", money(price)), ("AccountRef", ref(ITEM_ACCOUNTS[kind.list_type])),
        ])])

    def employees(self, count: int) -> list[Add]:
        adds = []
        for i in range(count):
            for attempt in range(100):
                female = self.rng.random() < 0.5
                first = self.fake.first_name_female() if female else self.fake.first_name_male()
                last = self.fake.last_name()
                # Employees are named after their first and last names; fall back to a middle initial.
                middle = chr(ord("A") + (attempt - 50) % 26) if attempt >= 50 else None
                name = " ".join(p for p in (first, middle, last) if p)
                if len(name) <= NAME_LIMIT and self.names.is_free(name):
                    break
            else:
                raise SeedError("could not find an unused employee name")
            self.names.claim(name)
            adds.append(Add("Employee", [
                ("FirstName", first), ("MiddleName", middle), ("LastName", last),
                ("JobTitle", EMPLOYEE_TITLES[0] if i == 0 else self.rng.choice(EMPLOYEE_TITLES[1:])),
                ("EmployeeAddress", self.address()), ("Phone", self.phone()),
                ("Email", f"{first.lower()}.{last.lower()}@example.com"),
                ("EmployeeType", "Officer" if i == 0 else "Regular"),
                ("Gender", "Female" if female else "Male"),
                ("HiredDate", self.day(BASE_DATE - timedelta(days=3650), 3650).isoformat()),
            ]))
        return adds

    def other_names(self, count: int) -> list[Add]:
        adds = []
        for i in range(count):
            first, last = self.fake.first_name(), self.fake.last_name()
            name = self.names.claim(f"{first} {last}")
            adds.append(Add("OtherName", [
                ("Name", name), ("FirstName", first), ("LastName", last), ("OtherNameAddress", self.address(name)),
                ("Phone", self.phone()), ("Email", f"{first.lower()}{self.rng.randint(1, 99)}@example.net"),
                ("Notes", "Owner" if i == 0 else self.rng.choice(("Former partner", "Consultant", "Lender"))),
            ]))
        return adds


# -- sending ------------------------------------------------------------------------------------------------------

def send(rp: Any, ticket: str, adds: Sequence[Add], progress: Callable[[int], None] | None = None) -> None:
    """Send `adds` in message sets of BATCH; raise SeedError on the first failure. `progress` is told how many were
    sent after each message set."""
    for start in range(0, len(adds), BATCH):
        chunk = adds[start:start + BATCH]
        response = rp.ProcessRequest(ticket, envelope("".join(a.xml(i) for i, a in enumerate(chunk))))
        answers = list(etree.fromstring(response.encode()).find("QBXMLMsgsRs"))
        for i, add in enumerate(chunk):
            rs = answers[i] if i < len(answers) else None
            if rs is None:
                raise SeedError(f"{add.list_type}Add {add.name!r}: no response")
            if rs.get("statusCode") != "0":
                raise SeedError(f"{add.list_type}Add {add.name!r} failed: status {rs.get('statusCode')} "
                                f"({rs.get('statusSeverity')}): {rs.get('statusMessage')}")
        if progress is not None:
            progress(len(chunk))


def check_empty(rp: Any, ticket: str) -> None:
    """Refuse to seed a company that already has list data (the names would clash)."""
    lists = ("Account", "Class", "Customer", "Vendor", "Employee", "OtherName", "Item")
    body = "".join(f"<{t}QueryRq><MaxReturned>1</MaxReturned><ActiveStatus>All</ActiveStatus>"
                   f"<IncludeRetElement>ListID</IncludeRetElement></{t}QueryRq>" for t in lists)
    answers = etree.fromstring(rp.ProcessRequest(ticket, envelope(body)).encode()).find("QBXMLMsgsRs")
    found = [rs.tag.removesuffix("QueryRs") for rs in answers if len(rs)]
    if found:
        raise SeedError(f"the company already has data ({', '.join(found)}); seed an empty company")


def seed_company(rp: Any, seed: int = 0, *, vendors: int = 25, customers: int = 20, max_jobs: int = 3,
                 items: int = 16, classes: int = 6, employees: int = 4, other_names: int = 3,
                 progress: Progress | None = None) -> SeedSummary:
    """Fill the empty company behind request processor `rp` with a small business's lists; return the counts.
    `progress` is told how many of the list objects are in ("lists", done, total)."""
    sizes = {"vendors": vendors, "customers": customers, "max_jobs": max_jobs, "items": items, "classes": classes,
             "employees": employees, "other_names": other_names}
    negative = [k for k, v in sizes.items() if v < 0]
    if negative:
        raise ValueError(f"sizes must not be negative: {', '.join(negative)}")
    gen = Generator(seed)
    account_adds = gen.accounts()
    class_adds = gen.class_list(classes)
    vendor_adds = gen.vendors(vendors)
    customer_adds, n_jobs = gen.customers(customers, max_jobs)
    item_adds, per_type = gen.item_list(items)
    employee_adds = gen.employees(employees)
    other_adds = gen.other_names(other_names)

    phases = (account_adds, class_adds, vendor_adds, customer_adds, item_adds, employee_adds, other_adds)
    total, done = sum(map(len, phases)), 0

    def sent(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress("lists", done, total)

    with session(rp, APP_NAME) as ticket:
        check_empty(rp, ticket)
        for adds in phases:
            send(rp, ticket, adds, sent)
    return SeedSummary(
        accounts=len(account_adds), classes=len(class_adds), customers=customers, jobs=n_jobs, vendors=vendors,
        employees=employees, other_names=other_names, service_items=per_type["ItemService"],
        non_inventory_items=per_type["ItemNonInventory"], other_charge_items=per_type["ItemOtherCharge"],
        inventory_items=per_type["ItemInventory"],
    )


__all__ = ["Progress", "SeedError", "SeedSummary", "seed_company"]
