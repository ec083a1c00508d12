"""What the people did that the invariants must know: what a person in QuickBooks entered there (the app learns of
it only through the sync, or never, as the rules say), and what the rules allow to differ afterwards.

Keys: a bill or a vendor credit is (vendor, number), an invoice its number; numbers are unique across both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


def bill_key(vendor: str | None, number: str | None, day: Any, value: Decimal) -> tuple[str, str]:
    """A bill's key: its vendor and number; for a bill without a number, its vendor, date and amount."""
    return (vendor or "", number or f"{day} {value:.2f}")


@dataclass
class Model:
    #: Bills, vendor credits and invoices a person entered in QuickBooks.
    qb_bills: set[tuple[str, str]] = field(default_factory=set)
    qb_credits: set[tuple[str, str]] = field(default_factory=set)
    qb_invoices: set[str] = field(default_factory=set)
    #: Transactions a person entered in QuickBooks (TxnIDs of payments, credit memos...): not the app's.
    qb_txns: set[str] = field(default_factory=set)
    #: What the person's payments (and credit memos, for invoices) apply, per bill and per invoice.
    qb_paid_bills: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    qb_paid_invoices: dict[str, Decimal] = field(default_factory=dict)
    #: Objects whose fields may differ by the rules, and why ("edited in QuickBooks", ...): (kind, key) -> reason.
    diverged: dict[tuple[str, Any], str] = field(default_factory=dict)
    #: Bills whose money may differ (a payment the app made was deleted in QuickBooks).
    money_diverged: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Deleted or voided in QuickBooks by the person: (kind, key).
    deleted: set[tuple[str, Any]] = field(default_factory=set)
    #: Items created in the app: they stay in the app.
    app_items: set[str] = field(default_factory=set)
    #: The approval status the app person left each bill in (number -> status).
    approvals: dict[str, str] = field(default_factory=dict)
    #: What the app has shown once and must keep showing (bills and invoices from QuickBooks).
    seen_in_app: set[tuple[str, Any]] = field(default_factory=set)
    #: Numbers the app may report a sync error for, and why (number -> reason).
    troubled: dict[str, str] = field(default_factory=dict)
    #: The values people wrote since the last check: (kind, key, field) -> {side: value}; the last write per side.
    writes: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)

    def entered_before(self, txns: dict[str, list[Any]]) -> None:
        """What QuickBooks held when the run began (`QuickBooksView.txns`): people entered it there."""
        for t in txns.get("Bill", []):
            key = bill_key(t.entity, t.number, t.date, t.amount)
            self.qb_bills.add(key)
            self.qb_paid_bills[key] = t.amount - (t.open_amount or ZERO)
        self.qb_credits |= {(t.entity, t.number) for t in txns.get("VendorCredit", [])}
        for t in txns.get("Invoice", []):
            if t.number:
                self.qb_invoices.add(t.number)
                self.qb_paid_invoices[t.number] = t.amount - (t.open_amount or ZERO)
        self.qb_txns |= {t.txn_id for found in txns.values() for t in found}

    def wrote(self, kind: str, key: str, field_name: str, side: str, value: Any) -> None:
        self.writes.setdefault((kind, key, field_name), {})[side] = value

    def diverge(self, kind: str, key: Any, reason: str) -> None:
        self.diverged.setdefault((kind, key), reason)

    def trouble(self, number: str, reason: str) -> None:
        self.troubled.setdefault(number, reason)

    def deleted_keys(self, kind: str) -> set[Any]:
        return {key for k, key in self.deleted if k == kind}
