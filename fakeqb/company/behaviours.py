"""QuickBooks' behaviours the evidence leaves open, as named switches: each with its values, its default (the best
evidence) and the evidence for every value. A client can observe each of them, so a sync must hold under every value.

    qb = FakeQuickBooks(behaviours={"payment_restamps": "yes"})
    qb.control.set_behaviour("time_offset", "event")

Set per running QuickBooks (not saved in the company file): `FakeQuickBooks(behaviours=...)`, `fakeqb serve
--behaviour NAME=VALUE`, the control plane; `fakeqb behaviours` lists them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Behaviour:
    name: str
    summary: str
    evidence: dict[str, str]  # value -> the evidence for it; the first value has the best evidence
    default: str = ""  # the value a company starts with: the best evidence unless given

    def __post_init__(self) -> None:
        if not self.default:
            object.__setattr__(self, "default", self.values[0])

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.evidence)

    def to_json(self, value: str) -> dict[str, Any]:
        return {"name": self.name, "value": value, "default": self.default, "values": list(self.values),
                "summary": self.summary, "evidence": dict(self.evidence)}


BEHAVIOURS: dict[str, Behaviour] = {b.name: b for b in (
    Behaviour(
        "payment_restamps",
        "Applying a payment or a credit to a bill or an invoice (or releasing it) gives that bill or invoice a new "
        "TimeModified and EditSequence.",
        {"no": "One clean capture: an invoice paid 239 s after it was created keeps its TimeModified and "
               "EditSequence (consolibyte/quickbooks-php, invoice 4-1232328070, payment 10-1232328309).",
         "yes": "A second, hand-edited capture points this way; a changed open balance is a change of the record."}),
    Behaviour(
        "balance_touches",
        "A transaction that moves a vendor's, customer's or account's balance gives it a new TimeModified, but not a "
        "new EditSequence.",
        {"yes": "Six captured Rets: a customer (jwachira/quickbooks-sync) and the A/R, A/P and income accounts "
                "(apotema/qbwc_integrator) show TimeModified later than their EditSequence's time after transactions.",
         "no": "The balance is computed, not edited: nothing about the record itself changed."}),
    Behaviour(
        "time_offset",
        "The UTC offset a stored TimeCreated or TimeModified is written with, when daylight saving time differs "
        "between the event and the answer.",
        {"response": "Five independent captures (bill-ash, selfjared1, jwachira, qbwc/qbxml, apotema): the local wall "
                     "time of the event with the offset in force when the response is written; summer times read "
                     "in winter come out one hour off their Unix time.",
         "event": "The offset in force at the event: the correct instant (what a careful implementation would do)."}),
    Behaviour(
        "email_without_address",
        "IsToBeEmailed true on a sales form whose customer has no e-mail address.",
        {"refused": "Intuit's field text: 'If there is no valid email address, the request will fail.' (status "
                    "3180; code and wording not captured).",
         "accepted": "No capture shows the refusal; QuickBooks' own forms let a person mark a form to be e-mailed "
                     "and ask for the address when sending."}),
    Behaviour(
        "iterator_lifetime",
        "How long an iterator stays valid between its pages.",
        {"session": "Intuit documents iterators as bound to the session; no capture shows one expiring.",
         "10m": "Integrations report 'iterator has expired' errors after long pauses; here an iterator not used for "
                "10 minutes of company time is gone (its next page is answered like an unknown iteratorID)."}),
    Behaviour(
        "lock_texts",
        "The messages of 3170, 3171, 3175 and 3176, which no capture shows.",
        {"assumed": "Texts built from the phrases integrations match on ('modified by another user', 'in use by "
                    "another user', 'internals could not be locked', the closing date's 'Admin privileges').",
         "terse": "Only the code's bare meaning, as Intuit's status table words it ('Record is in use', 'Object "
                  "locked', 'Cannot modify closed period'): a sync must read the code, not the words."}),
)}


class BehaviourError(ValueError):
    """An unknown behaviour or value; the message lists what there is."""


def check(name: str, value: Any) -> str:
    behaviour = BEHAVIOURS.get(name)
    if behaviour is None:
        raise BehaviourError(f"no behaviour {name!r} (there are: {', '.join(BEHAVIOURS)})")
    if value not in behaviour.values:
        raise BehaviourError(f"{name} is one of {', '.join(behaviour.values)}, not {value!r}")
    return str(value)


def others() -> dict[str, str]:
    """Every behaviour at the first value that is not its default: what a run checks the other side of each under."""
    return {b.name: next(v for v in b.values if v != b.default) for b in BEHAVIOURS.values()}


def parse(assignments: list[str]) -> dict[str, str]:
    """NAME=VALUE texts (command-line options) as a mapping, checked; `others` stands for `others()`."""
    out = {}
    for text in assignments:
        if text.strip() == "others":
            out.update(others())
            continue
        name, sep, value = text.partition("=")
        if not sep:
            raise BehaviourError(f"a behaviour is NAME=VALUE, not {text!r}")
        out[name.strip()] = check(name.strip(), value.strip())
    return out


class Behaviours(Mapping[str, str]):
    """The current value of every behaviour of one running QuickBooks; changes are checked."""

    def __init__(self, values: Mapping[str, str] | None = None):
        self._values = {name: b.default for name, b in BEHAVIOURS.items()}
        self._lock = threading.Lock()
        for name, value in (values or {}).items():
            self.set(name, value)

    def set(self, name: str, value: str) -> None:
        checked = check(name, value)
        with self._lock:
            self._values[name] = checked

    def reset(self) -> None:
        with self._lock:
            self._values = {name: b.default for name, b in BEHAVIOURS.items()}

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def describe(self) -> list[dict[str, Any]]:
        return [BEHAVIOURS[name].to_json(value) for name, value in self._values.items()]
