"""The app's input rules: names, numbers, amounts and dates, with QuickBooks' limits where they apply."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from syncer.errors import InvalidInputError

#: QuickBooks' longest names: customers and vendors 41 characters, accounts, classes and items 31.
NAME_LIMITS = {"vendor": 41, "customer": 41, "account": 31, "department": 31, "item": 31}
BILL_NUMBER_LIMIT = 20
INVOICE_NUMBER_LIMIT = 11
CHECK_NUMBER_LIMIT = 11
REFERENCE_LIMIT = 20
MEMO_LIMIT = 4095
TEXT_LIMIT = 41
EMAIL_LIMIT = 1023
CENT = Decimal("0.01")

#: QuickBooks' account types, and the names a person may use for them ("Accounts Payable", "accounts-payable"...).
ACCOUNT_TYPES = (
    "AccountsPayable", "AccountsReceivable", "Bank", "CostOfGoodsSold", "CreditCard", "Equity", "Expense",
    "FixedAsset", "Income", "LongTermLiability", "NonPosting", "OtherAsset", "OtherCurrentAsset",
    "OtherCurrentLiability", "OtherExpense", "OtherIncome",
)
_ACCOUNT_TYPE_KEYS = {t.lower(): t for t in ACCOUNT_TYPES}


def name(value: Any, noun: str) -> str:
    """A list object's name: required, no colon (QuickBooks' separator of sub-levels), within QuickBooks' limit."""
    text = str(value or "").strip()
    if not text:
        raise InvalidInputError(f"A {noun} needs a name.")
    if ":" in text:
        raise InvalidInputError(f'The {noun} name "{text}" cannot contain a colon (":"); choose a parent instead.')
    limit = NAME_LIMITS.get(noun, TEXT_LIMIT)
    if len(text) > limit:
        raise InvalidInputError(f'The {noun} name "{text}" is too long: QuickBooks allows at most {limit} characters.')
    return text


def text(value: Any, field: str, limit: int = TEXT_LIMIT) -> str | None:
    """An optional text field; blank is None."""
    if value is None:
        return None
    result = str(value).strip()
    if not result:
        return None
    if len(result) > limit:
        raise InvalidInputError(f'The {field} "{result}" is too long: at most {limit} characters.')
    return result


def money(value: Any, field: str, *, negative: bool = False) -> Decimal:
    """An amount in dollars and cents."""
    try:
        amount = Decimal(str(value).strip().replace(",", "").lstrip("$"))
    except (InvalidOperation, AttributeError):
        raise InvalidInputError(f'The {field} "{value}" is not an amount.') from None
    if not amount.is_finite():
        raise InvalidInputError(f'The {field} "{value}" is not an amount.')
    if amount != amount.quantize(CENT):
        raise InvalidInputError(f"The {field} {value} has more than two decimals.")
    if amount < 0 and not negative:
        raise InvalidInputError(f"The {field} cannot be negative ({value}).")
    return amount.quantize(CENT)


def quantity(value: Any, field: str) -> Decimal:
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInputError(f'The {field} "{value}" is not a number.') from None
    if not result.is_finite() or result != result.quantize(CENT):
        raise InvalidInputError(f"The {field} {value} must be a number with at most two decimals.")
    return result


def day(value: Any, field: str) -> date:
    """A date, given as a date or as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInputError(f'The {field} "{value}" is not a date (YYYY-MM-DD).') from None


def optional_day(value: Any, field: str) -> date | None:
    return None if value is None or value == "" else day(value, field)


def account_type(value: Any) -> str:
    key = "".join(ch for ch in str(value or "") if ch.isalnum()).lower()
    if key not in _ACCOUNT_TYPE_KEYS:
        raise InvalidInputError(f'"{value}" is not an account type. The types are: {", ".join(ACCOUNT_TYPES)}.')
    return _ACCOUNT_TYPE_KEYS[key]


def email(value: Any) -> str | None:
    result = text(value, "email", EMAIL_LIMIT)
    if result is not None and ("@" not in result or result.startswith("@") or result.endswith("@")):
        raise InvalidInputError(f'"{result}" is not an email address.')
    return result
