"""Step sentences written as in `features/STEPS.md`, with a name for each parameter.

    @when(Sentence('a person in QuickBooks renames the {kind:QuickBooks list} "{old:name}" to "{new:name}"'))

matches exactly the sentence `a person in QuickBooks renames the {QuickBooks list} "{name}" to "{name}"` of
STEPS.md, and passes `kind`, `old` and `new` to the step, converted by their parameter type (a `{date}` becomes a
`date`, a `{money}` a `Decimal`). `{word:a|b}` takes one of the words; `[still] ` is an optional word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pytest_bdd import parsers

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DATE = rf"(?:{MONTHS}) [1-9]\d?, \d{{4}}"
MONEY = r"\$(?:0|[1-9]\d{0,2}(?:,\d{3})*)\.\d{2}"

APP_LISTS = ("account", "bank account", "department", "vendor", "customer", "job", "item")
QUICKBOOKS_LISTS = ("account", "expense account", "income account", "bank account", "credit card account", "class",
                    "vendor", "customer", "job", "service item", "non-inventory item", "other charge item",
                    "inventory item")
PAYABLES = ("bill", "vendor credit")
RECORDS = ("bill", "vendor credit", "invoice")
STATUSES = ("open", "partially paid", "paid", "waiting for approval")
#: The details of a vendor or customer a person sees on both sides.
DETAILS = ("company name", "phone", "e-mail", "address")
#: Account and item types as a person names them -> as QuickBooks and the app keep them.
ACCOUNT_TYPES = {"expense": "Expense", "income": "Income", "bank": "Bank", "credit card": "CreditCard"}
ITEM_TYPES = {"service": "Service", "non-inventory": "NonInventory", "other charge": "OtherCharge",
              "inventory": "Inventory"}


def to_date(text: str) -> date:
    """`Apr 1, 2019` as a date."""
    return datetime.strptime(text, "%b %d, %Y").date()


def to_money(text: str) -> Decimal:
    """`$1,250.00` as an amount."""
    return Decimal(text.lstrip("$").replace(",", ""))


def dates_in(text: str) -> list[date]:
    """Every date a step mentions."""
    return [to_date(found) for found in re.findall(DATE, text)]


def _choice(values: tuple[str, ...]) -> str:
    return "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))


#: Parameter types that take one of a few values.
CHOICES = {"app list": APP_LISTS, "QuickBooks list": QUICKBOOKS_LISTS, "payable": PAYABLES, "record": RECORDS,
           "status": STATUSES, "detail": DETAILS, "account type": tuple(ACCOUNT_TYPES),
           "item type": tuple(ITEM_TYPES)}
#: Parameter type -> (regex, converter).
TYPES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "date": (DATE, to_date),
    "money": (MONEY, to_money),
    "name": (r'[^"]+', str),
    "number": (r'[^"]+', str),
    **{name: (_choice(values), str) for name, values in CHOICES.items()},
}
_TOKEN = re.compile(r"\{(\w+):([^}]+)\}|\[([^\]]+)\] ")

#: Every sentence a step is defined with (as STEPS.md writes it).
DEFINED: set[str] = set()


class Sentence(parsers.StepParser):
    """A step parser for one sentence of STEPS.md; see the module's docstring."""

    def __init__(self, template: str):
        parts, converters, text = [], {}, []
        position = 0
        for match in _TOKEN.finditer(template):
            literal = template[position:match.start()]
            parts.append(re.escape(literal))
            text.append(literal)
            position = match.end()
            if match[3] is not None:  # an optional word
                parts.append(f"(?:{re.escape(match[3])} )?")
                text.append(match[0])
                continue
            arg, kind = match[1], match[2]
            convert: Callable[[str], Any]
            if "|" in kind:
                pattern, convert = _choice(tuple(kind.split("|"))), str
            else:
                pattern, convert = TYPES[kind]
            parts.append(f"(?P<{arg}>{pattern})")
            converters[arg] = convert
            text.append("{" + kind + "}")
        parts.append(re.escape(template[position:]))
        text.append(template[position:])
        super().__init__("".join(text))
        self.regex = re.compile("".join(parts))
        self.converters = converters
        DEFINED.add(self.name)

    def parse_arguments(self, name: str) -> dict[str, Any] | None:
        match = self.regex.fullmatch(name)
        if match is None:
            return None
        return {arg: self.converters[arg](value) for arg, value in match.groupdict().items()}

    def is_matching(self, name: str) -> bool:
        return self.regex.fullmatch(name) is not None
