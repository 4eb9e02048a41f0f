"""Resolving option descriptions ("the black one in size 10") to a product's variants.

Every option value of the product that occurs in the description is a mention; a value that
lies inside a longer mentioned value is dropped ("black" in "black leather"), and a value
shared by several options counts for the option named next to it ("dial color black"). A
variant scores one point per mention it satisfies; explicit options must match exactly. The
best-scoring variants are the candidates; with a base item (an exchange or a modification) ties
go to the variants that keep most of the base item's other options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_NON_WORD = re.compile(r"[^a-z0-9.]+")
_KEY_WINDOW = 24


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, padded with spaces for whole-word lookups."""
    return f" {_NON_WORD.sub(' ', text.lower()).strip()} "


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    choices: frozenset[tuple[str, str]]
    """(option, value) pairs this piece of text may mean; any one satisfies it."""


@dataclass(frozen=True, slots=True)
class VariantMatch:
    product: dict[str, Any]
    candidates: list[dict[str, Any]]
    """Available variants that fit best (0, 1 or several)."""
    unavailable: list[dict[str, Any]] = field(default_factory=list)
    """Variants that fit better than any available one but are not available."""
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    """When the wanted variant is unavailable: the available ones that come closest."""
    understood: dict[str, list[str]] = field(default_factory=dict)
    """Option → values read from the description and the explicit options."""

    @property
    def item_id(self) -> str | None:
        return self.candidates[0]["item_id"] if len(self.candidates) == 1 else None


def mentions_in(description: str, variants: list[dict[str, Any]]) -> list[Mention]:
    text = normalise(description)
    found: dict[tuple[int, int], set[tuple[str, str]]] = {}
    space = {(k, v) for variant in variants for k, v in variant["options"].items()}
    for key, value in space:
        needle = normalise(value)
        if needle.strip() == "":
            continue
        start = text.find(needle)
        while start >= 0:
            span = (start + 1, start + len(needle) - 1)
            found.setdefault(span, set()).add((key, value))
            start = text.find(needle, start + 1)
    spans = [s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found)]
    mentions = []
    for start, end in sorted(spans):
        choices = found[(start, end)]
        keys = {key for key, _ in choices}
        if len(keys) > 1:
            before = text[max(0, start - _KEY_WINDOW) : start]
            named = {key for key in keys if normalise(key) in f" {before} "}
            if named:
                choices = {(k, v) for k, v in choices if k in named}
        mentions.append(Mention(start, end, frozenset(choices)))
    return mentions


def match_variants(
    product: dict[str, Any],
    *,
    description: str | None = None,
    options: dict[str, str] | None = None,
    base_options: dict[str, str] | None = None,
) -> VariantMatch:
    variants = list(product["variants"].values())
    mentions = mentions_in(description or "", variants)
    wanted = {k.lower(): str(v).lower() for k, v in (options or {}).items()}

    def fits(variant: dict[str, Any]) -> bool:
        have = {k.lower(): str(v).lower() for k, v in variant["options"].items()}
        return all(have.get(k) == v for k, v in wanted.items())

    def score(variant: dict[str, Any]) -> tuple[int, int]:
        opts = variant["options"]
        hits = sum(any(opts.get(k) == v for k, v in m.choices) for m in mentions)
        mentioned = {k for m in mentions for k, _ in m.choices} | set(wanted)
        same = sum(opts.get(k) == v for k, v in (base_options or {}).items() if k not in mentioned)
        return hits, same

    fitting = [v for v in variants if fits(v)]
    available = [v for v in fitting if v["available"]]
    best = max((score(v) for v in available), default=None)
    candidates = [v for v in available if score(v) == best]
    best_any = max((score(v) for v in fitting), default=None)
    unavailable: list[dict[str, Any]] = []
    alternatives: list[dict[str, Any]] = []
    if best_any is not None and (best is None or best_any[0] > best[0]):
        # What was asked for exists but is sold out: say so, and offer the closest instead.
        unavailable = [v for v in fitting if not v["available"] and score(v) == best_any]
        alternatives, candidates = candidates, []
    understood: dict[str, list[str]] = {}
    for mention in mentions:
        for key, value in sorted(mention.choices):
            understood.setdefault(key, []).append(value)
    for key, value in (options or {}).items():
        understood.setdefault(key, []).append(str(value))
    return VariantMatch(product, candidates, unavailable, alternatives, understood)


def describe_options(options: dict[str, str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in options.items())


def find_product(products: list[dict[str, Any]], reference: str) -> dict[str, Any] | None:
    """A product by id, by one of its item ids, or by name (exact, then contained in text)."""
    ref = reference.strip()
    for product in products:
        if product["product_id"] == ref or ref in product["variants"]:
            return product
    text = normalise(ref)
    exact = [p for p in products if normalise(p["name"]) == text]
    if exact:
        return exact[0]
    named = [p for p in products if _name_forms(p["name"]) & _phrases(text)]
    return named[0] if len(named) == 1 else None


def products_named_in(products: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    phrases = _phrases(normalise(text))
    return [p for p in products if _name_forms(p["name"]) & phrases]


def _name_forms(name: str) -> set[str]:
    base = normalise(name).strip()
    return {base, base + "s", base + "es"} | ({base[:-1]} if base.endswith("s") else set())


def _phrases(text: str) -> set[str]:
    words = text.split()
    return {
        " ".join(words[i:j])
        for i in range(len(words))
        for j in range(i + 1, min(len(words), i + 4) + 1)
    }
