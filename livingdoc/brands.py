"""The app's brands, which edition of the help article each rule belongs to, and "the app" in a brand's words.

A rule, scenario or Examples table tagged `@<brand key>-only` (`@cashflow360-only`) belongs to that brand's edition of
the article alone; for the other brands it is not part of their edition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Brand key (as the spec's `--brand` option and the test ids have it) -> the name a person reads.
BRANDS: dict[str, str] = {"cashflow360": "Cashflow360", "keycashflow": "Key CashFlow"}

ONLY_SUFFIX = "-only"
_THE_APP = re.compile(r"\b([Tt])he app('s)?\b")
_TEST_ID_BRAND = re.compile(r"\[(" + "|".join(BRANDS) + r")(?:-|\])")


def only_brands(tags: Iterable[str]) -> set[str]:
    """The brands an `@<brand>-only` tag restricts to (empty: every brand)."""
    return {t[: -len(ONLY_SUFFIX)] for t in tags if t.endswith(ONLY_SUFFIX) and t[: -len(ONLY_SUFFIX)] in BRANDS}


def in_edition(tags: Iterable[str], brand: str) -> bool:
    """Whether something with these (inherited) tags is part of `brand`'s edition."""
    only = only_brands(tags)
    return not only or brand in only


def not_in_edition_reason(tags: Iterable[str], brand: str) -> str:
    """Why something is not part of `brand`'s edition, in plain words."""
    only = " and ".join(sorted(BRANDS[b] for b in only_brands(tags)))
    return (f"Not part of the {BRANDS[brand]} edition: documented for {only} accounts only "
            f"(@{'-only, @'.join(sorted(only_brands(tags)))}-only), so it is not run for {BRANDS[brand]}.")


def brand_of_test_id(test_id: str) -> str:
    """The brand key a spec test id carries (`test_x[keycashflow-inprocess]`), or "" if none."""
    match = _TEST_ID_BRAND.search(test_id)
    return match.group(1) if match else ""


def name_the_app(text: str, brand: str) -> str:
    """`text` with "the app" (and "The app's", and the features' `{app}` inside quotes) replaced by the brand's name."""
    name = BRANDS[brand]
    return _THE_APP.sub(lambda m: name + (m.group(2) or ""), text.replace("{app}", name))
