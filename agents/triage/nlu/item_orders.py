"""Products named to say which order a request is about, not to act on them: "the order with
the grey backpack", "the toothbrush that came with my bookshelf", "#W… (kettle and lamp)"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.triage.customer import CustomerData
from agents.triage.nlu.option_values import flags_of_product, option_values, values_in
from agents.triage.nlu.product_names import last_word

_ORDER_WITH_BEFORE = re.compile(
    r"(?:\b(?:order|package|shipment|delivery|purchase)\s+"
    r"(?:with|that (?:has|had|contains|included)|which (?:has|had)|containing|including|holding)|"
    r"\b(?:delivered|came|arrived|shipped|ordered|bought) (?:together |along )?with)"
    r"\s+(?:the|my|a|an)?\s*(?:[\w-]+\s+){0,2}$"
)
"""Right before a product name: the name says which order ("the order with the puzzle", "the
toothbrush that was delivered with my bookshelf")."""

_ORDER_AFTER = re.compile(r"\s+(?:order|package|purchase|delivery)\b(?!\s+(?:number|id|no)\b)")
ORDER_ASIDE = re.compile(
    r"(?:\border\b|#?w\d{7}\b|\b\d{7}\b)\s*\((?:the one |that'?s the one )?(?:with )?[^()]*\)"
)
"""An order and, in brackets, what it holds ("#W… (toothbrush and portable charger)")."""


def order_locators(
    folded: str, spans: list[tuple[int, int, str]], customer: CustomerData | None
) -> tuple[list[tuple[int, int, str]], list[tuple[str, tuple[str, ...]]]]:
    """The spans that name items, and (product, option values) of the ones that only say
    which order ("the order with the grey backpack", "the kettle order, can the bottle …").
    A locator is no boundary ("the toothbrush that came with my bookshelf. It's the blue one
    …" describes the toothbrush); one whose product is named again after it ("in my order
    with the tea kettle, can the kettle be …") is the item."""
    kept: list[tuple[int, int, str]] = []
    locators: list[tuple[str, tuple[str, ...]]] = []
    for i, (start, end, name) in enumerate(spans):
        before = _ORDER_WITH_BEFORE.search(folded[max(0, start - 60) : start])
        # "the tea kettle order, can you change the water bottle …": with another product
        # named, "<product> order" only says which order
        after = len(spans) > 1 and _ORDER_AFTER.match(folded, end)
        if not (before or after):
            kept.append((start, end, name))
            continue
        # its last word, or the word the text used ("vacuum" for the Vacuum Cleaner)
        lasts = {last_word(name), *folded[start:end].split()[-1:]}
        if any(re.search(rf"\b{re.escape(last)}", folded[end:]) for last in lasts):
            kept.append((start, end, name))
            continue
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(folded)
        window = folded[max(0, start - 30) : stop]  # up to the next item, as for any mention
        values = values_in(window, option_values(customer, name), flags_of_product(customer, name))
        locators.append((name, values))
    return kept, locators


def last_word_outside(folded: str, name: str, asides: Sequence[tuple[int, int]]) -> bool:
    """Whether the product's last word occurs outside the brackets too ("#W… (toothbrush and
    charger), I'd like to change the charger")."""
    last = last_word(name)
    return any(
        not any(lo <= m.start() < hi for lo, hi in asides)
        for m in re.finditer(rf"\b{re.escape(last)}", folded)
    )
