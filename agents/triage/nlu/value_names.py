"""Product names that stand for an option value of another product: "the backpack with the
laptop compartment", "the navy nylon laptop one", "still polyester with the laptop sleeve"
name a backpack's compartment, not a Laptop."""

from __future__ import annotations

import re

from agents.triage.customer import CustomerData

_PART_NOUNS = frozenset(
    {"sleeve", "pocket", "slot", "section", "holder", "space", "pouch", "compartment"}
)
_WITH_BEFORE = re.compile(r"\bwith (?:the |a |an )?$")


def without_value_names(
    folded: str, spans: list[tuple[int, int, str]], customer: CustomerData | None
) -> list[tuple[int, int, str]]:
    """A product name that is an option value of another product the text names, right before
    that option's name, is the value: "the backpack with the laptop compartment"."""
    named = {name for _, _, name in spans}
    if customer is None:
        return spans
    own = customer.product_names()
    out: list[tuple[int, int, str]] = []
    for start, end, name in spans:
        value = name.lower()
        following = folded[end : end + 30].split()
        head = following[0].strip(",.;:!?)") if following else ""
        # the other products named here; for "the laptop one" or a product the customer has
        # none of, also the customer's own products
        others = (named | own if head == "one" or name not in own else named) - {name}
        keys = {k for other in others for k in customer.option_keys(other).get(value, ())}
        if keys and (
            any(head.startswith(k.lower()[:6]) for k in keys)
            or head in _PART_NOUNS
            or head == "one"
            or _WITH_BEFORE.search(folded[max(0, start - 12) : start])
        ):
            continue
        out.append((start, end, name))
    return out
