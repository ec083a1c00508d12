"""Add and Mod aggregates whose returned form differs from the one sent, mapped onto the stored object.

* `Contacts` (Add) are kept as `ContactsRet`, each with its own ListID, times and EditSequence; `ContactsMod` with a
  ListID changes that contact (its EditSequence, when sent, must be current), without one adds a contact.
* `AdditionalNotes` (Add) are kept as `AdditionalNotesRet`, numbered from 1 and dated with the company date;
  `AdditionalNotesMod` changes the note with that NoteID.
* An item's `SalesOrPurchaseMod`/`SalesAndPurchaseMod` updates the `SalesOrPurchase`/`SalesAndPurchase` it has.

ASSUMPTIONS: contacts and notes a Mod does not name are kept; an unknown contact ListID or NoteID is 3120; the
Apply...ToExistingTxns flags of an item Mod only affect transactions and are not stored.
"""

from __future__ import annotations

from typing import Any

from fakeqb.company.context import Context
from fakeqb.company.lists import new_list_id
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data
from fakeqb.qbxml.values import fmt_datetime

_PERSON = ("Salutation", "FirstName", "MiddleName", "LastName")


def on_add(ctx: Context, data: Data) -> None:
    if "Contacts" in data:
        data["ContactsRet"] = [_new_contact(ctx, c) for c in data.pop("Contacts")]
    if "AdditionalNotes" in data:
        data["AdditionalNotesRet"] = [_note(ctx, i, n["Note"]) for i, n in enumerate(data.pop("AdditionalNotes"), 1)]


def on_mod(ctx: Context, merged: Data, data: Data) -> None:
    """Apply the Mod aggregates in `data` to `merged` (the stored object), removing them from `data`."""
    if "ContactsMod" in data:
        contacts = [dict(c) for c in merged.get("ContactsRet", [])]
        for change in data.pop("ContactsMod"):
            _mod_contact(ctx, contacts, change)
        merged["ContactsRet"] = contacts
    if "AdditionalNotesMod" in data:
        notes = [dict(n) for n in merged.get("AdditionalNotesRet", [])]
        for change in data.pop("AdditionalNotesMod"):
            note = next((n for n in notes if n["NoteID"] == change["NoteID"]), None)
            if note is None:
                raise status.object_not_found(change["NoteID"])
            note.update(Note=change["Note"], Date=ctx.now.date().isoformat())
        merged["AdditionalNotesRet"] = notes
    _merge_sales_purchase(merged, data)


def _new_contact(ctx: Context, fields: Data) -> Data:
    stamp = fmt_datetime(ctx.now)
    contact: Data = {"ListID": new_list_id(ctx.conn, "contact", ctx.unix), "TimeCreated": stamp,
                     "TimeModified": stamp, "EditSequence": str(ctx.unix)}
    contact.update({k: v for k, v in fields.items() if v != ""})
    contact["Contact"] = _display_name(contact)
    return contact


def _mod_contact(ctx: Context, contacts: list[Data], change: Data) -> None:
    list_id = change.pop("ListID", None)
    sequence = change.pop("EditSequence", None)
    if list_id is None:
        contacts.append(_new_contact(ctx, change))
        return
    contact = next((c for c in contacts if c["ListID"] == list_id), None)
    if contact is None:
        raise status.object_not_found(list_id)
    if sequence is not None and sequence != contact["EditSequence"]:
        raise status.stale_edit_sequence(sequence)
    for key, value in change.items():
        if value == "":
            contact.pop(key, None)
        else:
            contact[key] = value
    contact.update(TimeModified=fmt_datetime(ctx.now),
                   EditSequence=str(max(ctx.unix, int(contact["EditSequence"]) + 1)),
                   Contact=_display_name(contact))


def _display_name(contact: Data) -> str:
    return " ".join(contact[k] for k in _PERSON[1:] if contact.get(k))[:41]


def _note(ctx: Context, note_id: int, text: str) -> Data:
    return {"NoteID": str(note_id), "Date": ctx.now.date().isoformat(), "Note": text}


def _merge_sales_purchase(merged: Data, data: Data) -> None:
    for mod_name, ret_name, other in (("SalesOrPurchaseMod", "SalesOrPurchase", "SalesAndPurchase"),
                                      ("SalesAndPurchaseMod", "SalesAndPurchase", "SalesOrPurchase")):
        if mod_name not in data:
            continue
        changes: dict[str, Any] = {k: v for k, v in data.pop(mod_name).items() if not k.startswith("Apply")}
        current = dict(merged.pop(ret_name, {}))
        merged.pop(other, None)
        if ret_name == "SalesOrPurchase" and ("Price" in changes or "PricePercent" in changes):
            current.pop("Price", None)
            current.pop("PricePercent", None)  # a choice: the new one replaces the old
        current.update(changes)
        merged[ret_name] = {k: v for k, v in current.items() if v not in ("", {})}
