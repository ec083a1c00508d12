"""What particular list types do with their fields when they are added or changed: bar codes, item groups and
assemblies (their component lines), sales tax groups (their tax items), price levels (their prices by item).

* A `BarCode` aggregate is kept as the item's `BarCodeValue`, the form QuickBooks returns it in.
* `ClearItemsInGroup` true removes the component lines of a group or an assembly; lines sent in a Mod replace the
  ones it had (the Mod's schema offers the two as a choice).
* A price level is either a fixed percentage (PriceLevelType FixedPercentage) or prices by item (PerItem). A price
  set with AdjustPercentage is computed when it is saved and kept as a CustomPrice: the item's sales price
  (StandardPrice), its purchase cost (Cost) or the level's current price for the item (CurrentCustomPrice; its sales
  price when the level has none), raised by the percentage.

ASSUMPTIONS:
* A group cannot hold another group, nor a sales tax group another group: the reference is refused as naming no
  object of the kind the line takes (3140), as QuickBooks offers only the other items in those lines.
* An adjusted price is rounded half up to cents (the SDK has no rounding option; QuickBooks' window offers cents by
  default). A price level Mod with PriceLevelPerItem changes or adds the prices of the items it names and keeps the
  others; one with PriceLevelFixedPercentage replaces the prices by item.
* A new group is not printed with its items unless IsPrintItemsInGroup says so (false written).
* Bar codes are not checked for uniqueness (AssignEvenIfUsed and AllowOverride are accepted and not stored).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fakeqb.company.context import Context
from fakeqb.company.lists import STOCK_TYPES, find
from fakeqb.qbxml import status
from fakeqb.qbxml.records import Data, normalise
from fakeqb.qbxml.values import fmt_bool

CENT = Decimal("0.01")
#: The component lines of the list types that have them, and the item types a line may not name.
_LINES = {"ItemGroup": ("ItemGroupLine", "ItemRef", ("ItemGroup",)),
          "ItemInventoryAssembly": ("ItemInventoryAssemblyLine", "ItemInventoryRef", ()),
          "ItemSalesTaxGroup": ("ItemSalesTaxRef", "", ("ItemSalesTaxGroup",))}
#: Fields the schema offers as a choice: a Mod sending one drops the other.
_CHOICES = (("DiscountRate", "DiscountRatePercent"),)


def on_save(ctx: Context, list_type: str, data: Data, merged: Data | None = None) -> None:
    """Apply the type's rules to the fields sent (`data`); `merged` is the stored object on a Mod (None on an Add)."""
    bar_code = data.pop("BarCode", None)
    if bar_code is not None:
        data["BarCodeValue"] = bar_code.get("BarCodeValue", "")
    for key in [k for k in data if k.startswith("Apply") or k == "ForceUOMChange"]:
        del data[key]  # they act on existing transactions; nothing is stored
    if merged is not None:
        for pair in _CHOICES:
            for one, other in (pair, pair[::-1]):
                if one in data:
                    merged.pop(other, None)
    if list_type in _LINES:
        _lines(ctx, list_type, data, merged)
    if list_type == "ItemGroup" and merged is None:
        data.setdefault("IsPrintItemsInGroup", fmt_bool(False))
    if list_type == "PriceLevel":
        _price_level(ctx, data, merged)
    if list_type in STOCK_TYPES and merged is None and data.get("QuantityOnHand") and data.get("TotalValue"):
        quantity = Decimal(data["QuantityOnHand"])
        if quantity > 0:  # the opening average cost
            average = (Decimal(data["TotalValue"]) / quantity).quantize(Decimal("0.00001"), ROUND_HALF_UP)
            data["AverageCost"] = normalise("price", str(average))


def _lines(ctx: Context, list_type: str, data: Data, merged: Data | None) -> None:
    field, ref, refused = _LINES[list_type]
    if merged is not None and data.pop("ClearItemsInGroup", "false") in ("true", "1"):
        merged.pop(field, None)
    for line in data.get(field, []):
        target = line.get(ref) if ref else line
        if not target:
            continue
        item = find(ctx.conn, "item", target["ListID"])
        if item is not None and item.list_type in refused:
            raise status.invalid_reference("Item", item.full_name, list_type)


# -- price levels ---------------------------------------------------------------------------------------------------

def _price_level(ctx: Context, data: Data, merged: Data | None) -> None:
    current = {p["ItemRef"]["ListID"]: p for p in (merged or {}).get("PriceLevelPerItemRet", [])}
    if "PriceLevelFixedPercentage" in data:
        data["PriceLevelType"] = "FixedPercentage"
        if merged is not None:
            merged.pop("PriceLevelPerItemRet", None)
        return
    if "PriceLevelPerItem" not in data:
        if merged is None:
            data["PriceLevelType"] = "PerItem"
        return
    data["PriceLevelType"] = "PerItem"
    if merged is not None:
        merged.pop("PriceLevelFixedPercentage", None)
    prices = dict(current)
    for entry in data.pop("PriceLevelPerItem"):
        item_id = entry["ItemRef"]["ListID"]
        ret: Data = {"ItemRef": {"ListID": item_id}}
        if "CustomPrice" in entry:
            ret["CustomPrice"] = entry["CustomPrice"]
        elif "CustomPricePercent" in entry:
            ret["CustomPricePercent"] = entry["CustomPricePercent"]
        else:
            base = _base_price(ctx, item_id, entry["AdjustRelativeTo"], prices.get(item_id))
            raised = base * (100 + Decimal(entry["AdjustPercentage"])) / 100
            ret["CustomPrice"] = normalise("price", str(raised.quantize(CENT, ROUND_HALF_UP)))
        prices[item_id] = ret
    data["PriceLevelPerItemRet"] = list(prices.values())


def _base_price(ctx: Context, item_id: str, relative_to: str, current: Data | None) -> Decimal:
    if relative_to == "CurrentCustomPrice" and current is not None and "CustomPrice" in current:
        return Decimal(current["CustomPrice"])
    item = find(ctx.conn, "item", item_id)
    assert item is not None  # resolved before
    sales, cost = item_prices(item)
    return Decimal((cost if relative_to == "Cost" else sales) or 0)


def item_prices(item: Any) -> tuple[str | None, str | None]:
    """An item's sales price and purchase cost (one price for both when the item is bought or sold, not both)."""
    fields = item.data
    if item.list_type in STOCK_TYPES:
        return fields.get("SalesPrice"), fields.get("PurchaseCost")
    both, one = fields.get("SalesAndPurchase") or {}, fields.get("SalesOrPurchase") or {}
    if both:
        return both.get("SalesPrice"), both.get("PurchaseCost")
    return one.get("Price"), one.get("Price")
