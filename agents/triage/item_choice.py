"""Item choice: which items of an order a request names, and the variant an item change asks
for (every option the customer did not name is kept)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from agents.triage import clarify
from agents.triage.customer import CustomerData
from agents.triage.nlu.items import ItemMention
from agents.triage.nlu.text import fold
from agents.triage.resolution import Resolution


def item_matches(item: Mapping[str, Any], mention: ItemMention) -> bool:
    if item["name"] != mention.name:
        return False
    options = {k: str(v) for k, v in item.get("options", {}).items()}
    if any(options.get(k) != v for k, v in mention.options.items()):
        return False
    values = {v.lower() for v in options.values()}
    return all(v in values for v in mention.values)


def has_items(order: Mapping[str, Any], mentions: Sequence[ItemMention]) -> bool:
    return any(item_matches(i, m) for m in mentions for i in order["items"])


def best_item_matches(
    orders: Sequence[Mapping[str, Any]], mentions: Sequence[ItemMention]
) -> list[Mapping[str, Any]]:
    def named(order: Mapping[str, Any]) -> int:
        return sum(any(item_matches(i, m) for i in order["items"]) for m in mentions)

    best = max(named(o) for o in orders)
    return [o for o in orders if named(o) == best]


def covering(
    orders: Sequence[Mapping[str, Any]], mentions: Sequence[ItemMention]
) -> list[Mapping[str, Any]]:
    """The orders that, taken greedily by how many of the mentions they hold, hold them all
    (in the customer's order); all of ``orders`` when no such cover exists."""
    left = list(mentions)
    chosen: list[Mapping[str, Any]] = []
    while left:
        held = [(sum(any(item_matches(i, m) for i in o["items"]) for m in left), o) for o in orders]
        count, best = max(held, key=lambda pair: pair[0])
        if count == 0:
            return list(orders)
        chosen.append(best)
        left = [m for m in left if not any(item_matches(i, m) for i in best["items"])]
    return [o for o in orders if any(o is c for c in chosen)]


def pick_items(
    order: Mapping[str, Any],
    mentions: Sequence[ItemMention],
    res: Resolution,
    answers: Sequence[str] = (),
) -> list[Mapping[str, Any]] | None:
    used: set[int] = set()
    picked: list[Mapping[str, Any]] = []
    for mention in mentions:
        matches = [
            (i, item)
            for i, item in enumerate(order["items"])
            if i not in used and item_matches(item, mention)
        ]
        if not matches:
            res.gaps.append(clarify.no_such_item(order, mention))
            return None
        if len({item["item_id"] for _, item in matches}) > 1 and answers:
            matches = named_in_answer(matches, answers[-1])
        if len({item["item_id"] for _, item in matches}) > 1 and mention.target_values:
            matches = _not_already_so(matches, mention.target_values)
        distinct = {item["item_id"] for _, item in matches}
        if len(distinct) > 1 and mention.every and not mention.wants_change:
            # "both pairs of black earbuds": each item the mention fits
            used.update(i for i, _ in matches)
            picked += [item for _, item in matches]
            continue
        if len(distinct) > 1:
            res.gaps.append(clarify.which_item(order, mention, [item for _, item in matches]))
            return None
        index, item = matches[0]
        used.add(index)
        picked.append(item)
    return picked


def _not_already_so(
    matches: Sequence[tuple[int, Mapping[str, Any]]], target_values: Sequence[str]
) -> list[tuple[int, Mapping[str, Any]]]:
    """ "change the helmet to size S with medium ventilation" with two helmets, one already S:
    the item that has none of the values it is to become, when exactly one has none."""
    wanted = {fold(v) for v in target_values}
    fresh = [
        (i, item)
        for i, item in matches
        if not wanted & {fold(str(v)) for v in item["options"].values()}
    ]
    return fresh if len(fresh) == 1 else list(matches)


def named_in_answer(
    matches: Sequence[tuple[int, Mapping[str, Any]]], answer: str
) -> list[tuple[int, Mapping[str, Any]]]:
    """ "the medium one with the rotisserie" answers "which grill?": the items with the most
    of their distinguishing option values named in the answer (all of them when none is)."""
    folded = fold(answer)
    shared = set.intersection(*({fold(str(v)) for v in i["options"].values()} for _, i in matches))

    def named(item: Mapping[str, Any]) -> int:
        values = {fold(str(v)) for v in item["options"].values()} - shared
        return sum(bool(re.search(rf"(?<![\w.]){re.escape(v)}(?![\w.])", folded)) for v in values)

    best = max(named(item) for _, item in matches)
    return [(i, item) for i, item in matches if named(item) == best] if best else list(matches)


def new_variant(
    item: Mapping[str, Any], mention: ItemMention, customer: CustomerData, res: Resolution
) -> str | None:
    product = customer.products.get(item["product_id"])
    if product is None:
        res.notes.append(f"I could not look up the options of the {item['name']}.")
        return None
    wanted = {k: str(v) for k, v in item["options"].items()}
    if mention.target is not None:
        wanted.update(mention.target)
    elif mention.target_values:
        for value in mention.target_values:
            keys = [
                k
                for k in wanted
                if any(
                    str(v["options"].get(k, "")).lower() == value
                    for v in product["variants"].values()
                )
            ]
            if not keys:
                continue
            changed = [k for k in keys if wanted[k].lower() != value]
            key = (changed or keys)[0]
            if mention.keyed.get(value) in keys:
                key = mention.keyed[value]  # "the black lens": the option named with it
            wanted[key] = next(
                str(v["options"][key])
                for v in product["variants"].values()
                if str(v["options"].get(key, "")).lower() == value
            )
    elif mention.changes:
        only = _only_other_value(item, product, mention.changes, mention.more)
        if only is not None:
            return only  # "in a different colour" when one other colour keeps the rest
        res.gaps.append(clarify.which_value(item, product, mention.changes))
        return None
    else:
        res.gaps.append(clarify.which_target(item, product))
        return None
    if mention.target is None and wanted == {k: str(v) for k, v in item["options"].items()}:
        # Words naming only what the item already is ("to {}" literally keeps it, as asked).
        res.gaps.append(clarify.which_target(item, product))
        return None
    for variant in product["variants"].values():
        if {k: str(v) for k, v in variant["options"].items()} == wanted:
            if not variant.get("available", True) and variant["item_id"] != item["item_id"]:
                res.notes.append(
                    f"The {item['name']} with {clarify.options_text(wanted)} is out of stock."
                )
                return None
            return str(variant["item_id"])
    if mention.target is None:
        # No variant has exactly the options named plus the unnamed ones kept: the available
        # variants with the options named, keeping the most of the others; ask on a tie.
        current = {k: str(v) for k, v in item["options"].items()}
        named = {k: v for k, v in wanted.items() if v != current.get(k)}
        fits = _closest_available(product, named, current)
        if len(fits) == 1:
            return str(fits[0]["item_id"])
        if fits:
            res.gaps.append(clarify.which_variant(item, fits))
            return None
    res.gaps.append(clarify.which_target(item, product, wanted))
    return None


def _closest_available(
    product: Mapping[str, Any], named: Mapping[str, str], current: Mapping[str, str]
) -> list[Mapping[str, Any]]:
    """The available variants with every option in ``named`` that keep the most of the
    item's other options (several when they keep equally many)."""
    fits = [
        v
        for v in product["variants"].values()
        if v.get("available", True)
        and all(str(v["options"].get(k)) == value for k, value in named.items())
    ]
    if not fits or not named:
        return []

    def kept(variant: Mapping[str, Any]) -> int:
        return sum(
            str(variant["options"].get(k)) == v for k, v in current.items() if k not in named
        )

    best = max(kept(v) for v in fits)
    return [v for v in fits if kept(v) == best]


def _only_other_value(
    item: Mapping[str, Any], product: Mapping[str, Any], keys: Sequence[str], more: bool | None
) -> str | None:
    """The item id of the one available variant that differs from ``item`` in ``keys`` and
    keeps all its other options, when there is exactly one; with a comparative (``more``), its
    numbers must lie that way ("a longer battery" is never the 4-hour one instead of 6)."""
    current = {k: str(v) for k, v in item["options"].items()}

    def fits_direction(options: Mapping[str, Any]) -> bool:
        if more is None:
            return True
        for k in keys:
            new, now = _number(str(options.get(k))), _number(current.get(k, ""))
            if new is None or now is None or (new > now) != more:
                return False
        return True

    fits = [
        str(v["item_id"])
        for v in product["variants"].values()
        if v.get("available", True)
        and all(str(v["options"].get(k)) != current.get(k) for k in keys)
        and all(str(v["options"].get(k)) == current[k] for k in current if k not in keys)
        and fits_direction(v["options"])
    ]
    return fits[0] if len(fits) == 1 else None


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _number(value: str) -> float | None:
    m = _NUMBER.search(value)
    return float(m.group(0)) if m else None
