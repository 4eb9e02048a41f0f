"""A word several of the customer's own products end with ("kettle": an Electric Kettle and a
Tea Kettle), told apart by the option values said beside it ("the white glass kettle I got")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.triage.customer import CustomerData
from agents.triage.nlu.product_names import last_word
from agents.triage.nlu.text import fold

_WINDOW = 40
"""Characters either side of the word where its values are looked for."""


def told_apart(
    folded: str, spans: Sequence[tuple[int, int, str]], customer: CustomerData | None
) -> list[tuple[int, int, str]]:
    """``spans`` plus a mention for each shared last word not inside one, when the values
    beside it fit the customer's items of exactly one of the products sharing it."""
    if customer is None:
        return list(spans)
    sharing: dict[str, list[str]] = {}
    for name in sorted(customer.product_names()):
        sharing.setdefault(last_word(name), []).append(name)
    found: list[tuple[int, int, str]] = []
    for last, names in sharing.items():
        if len(names) < 2 or last not in folded:
            continue
        for m in re.finditer(rf"\b{re.escape(last)}s?\b", folded):
            if any(s <= m.start() < e for s, e, _ in (*spans, *found)):
                continue
            # what the item is, not what it should become: the words before it, and after it
            # up to a target word ("the stainless kettle I'd swap for the glass one")
            after = _UNTIL_TARGET.split(folded[m.end() : m.end() + _WINDOW], maxsplit=1)[0]
            window = folded[max(0, m.start() - _WINDOW) : m.start()] + " " + after
            scores = {n: _values_named(window, customer, n) + _own_words(window, n) for n in names}
            best = max(scores.values())
            winners = [n for n, score in scores.items() if score == best]
            if best and len(winners) == 1:
                found.append((m.start(), m.end(), winners[0]))
    return sorted([*spans, *found])


_UNTIL_TARGET = re.compile(r"\b(?:for|to|into|instead|with|but)\b|[,;:!?]")


def _own_words(window: str, name: str) -> int:
    """ "cancel the kettle order. the electric one.": the other words of the product's name."""
    words = fold(name).replace("-", " ").split()[:-1]
    return sum(bool(re.search(rf"\b{re.escape(w)}\b", window)) for w in words if len(w) >= 3)


def _values_named(window: str, customer: CustomerData, name: str) -> int:
    """How many values of the customer's items of ``name`` the window names (a value of
    several words counts by any of its words of four letters or more: "the stainless one")."""
    values = {
        fold(str(v))
        for order in customer.orders.values()
        for item in order["items"]
        if item["name"] == name
        for v in item["options"].values()
    }
    named = 0
    for value in values:
        words = [value, *(w for w in value.split() if len(w) >= 4 and " " in value)]
        named += any(re.search(rf"(?<![\w.]){re.escape(w)}(?![\w.])", window) for w in words)
    return named


def named_again(folded: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "my order with the grill and running shoes: …, and the shoes a 9 in mesh": a product's
    last word again, past another item's mention, is that product again (the values said
    there are its own)."""
    found: list[tuple[int, int, str]] = []
    for start, end, name in spans:
        last = last_word(name)
        said = folded[start:end].split()[-1:] or [last]
        if last == fold(name) and said[0] == last:
            continue  # a one-word name is matched again by the name matcher itself
        for m in re.finditer(rf"\b(?:{re.escape(last)}|{re.escape(said[0])})\b", folded[end:]):
            at = end + m.start()
            between = any(end <= s < at for s, _, n in spans if n != name)
            if between and not any(s <= at < e for s, e, _ in (*spans, *found)):
                # only past another item: up to there its words are read with it anyway
                found.append((at, end + m.end(), name))
                break
    return sorted([*spans, *found])
