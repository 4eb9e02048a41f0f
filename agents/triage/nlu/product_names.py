"""Product names in ticket text, resolved among the catalogue and the customer's own products.

A product is named by its name in any spacing, hyphenation or number ("the hiking boot"), by
its last word when only one product ends with it — among the customer's own products first
("the camera" of a customer with one camera) —, by an everyday name (``ALIASES``), or, when
nothing else was named, by a word one edit away from one of the customer's own products.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agents.triage.nlu.spelling import plausible_slip
from agents.triage.nlu.text import fold

ALIASES: Mapping[str, tuple[str, ...]] = {
    "phone": ("Smartphone",),
    "cell phone": ("Smartphone",),
    "mobile": ("Smartphone",),
    "watch": ("Smart Watch", "Wristwatch"),
    "smartwatch": ("Smart Watch",),
    "shoes": ("Running Shoes", "Sneakers"),
    "trainers": ("Running Shoes", "Sneakers"),
    "earphones": ("Wireless Earbuds", "Headphones"),
    "headset": ("Headphones",),
    "charger": ("Portable Charger",),
    "power bank": ("Portable Charger",),
    "luggage": ("Luggage Set",),
    "suitcases": ("Luggage Set",),
    "dumbbell": ("Dumbbell Set",),
    "weights": ("Dumbbell Set",),
    "puzzle": ("Jigsaw Puzzle",),
    "makeup": ("Makeup Kit",),
    "espresso maker": ("Espresso Machine",),
    "vacuum": ("Vacuum Cleaner",),
    "umbrella": ("Patio Umbrella",),
    "bike": ("Bicycle",),
    "shirt": ("T-Shirt",),
    "tee": ("T-Shirt",),
    "tshirt": ("T-Shirt",),
    "ereader": ("E-Reader",),
    "kindle": ("E-Reader",),
    "shelf": ("Bookshelf",),
    "glasses": ("Sunglasses",),
    "fragrance": ("Perfume",),
    "bulb": ("LED Light Bulb",),
    "light bulbs": ("LED Light Bulb",),
    "security camera": ("Indoor Security Camera",),
    "mouse": ("Gaming Mouse",),
    "mice": ("Gaming Mouse",),
    "casque": ("Headphones", "Cycling Helmet"),  # French: headphones or a helmet
    "keyboard": ("Mechanical Keyboard",),
    "kettle": ("Electric Kettle", "Tea Kettle"),
    "coffee machine": ("Coffee Maker",),
    "air filter": ("Air Purifier",),
    "jacket": ("Fleece Jacket",),
    "fleece": ("Fleece Jacket",),
    "speaker": ("Bluetooth Speaker",),
    "camera": ("Action Camera", "Digital Camera", "Indoor Security Camera"),
    "toothbrush": ("Electric Toothbrush",),
    "bag": ("Backpack",),
}
"""Everyday names of the catalogue's products; a name several products share names the one
the customer ordered, when only one of them is theirs."""


def last_word(name: str) -> str:
    """A product name's last word, folded ("Vacuum Cleaner" → "cleaner", "T-Shirt" → "shirt")."""
    return fold(name).replace("-", " ").split()[-1]


def singular(word: str) -> str:
    """ "boots" → "boot": a plural name's last word, so "the hiking boot" names it too."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _name_regex(name: str) -> str:
    words = [re.escape(w) for w in fold(name).replace("-", " ").split()]
    words[-1] = re.escape(singular(last_word(name)))
    return r"[\s-]?".join(words)


@functools.lru_cache(maxsize=64)
def _catalog(names: tuple[str, ...]) -> _NameCatalog:
    last_words = tuple((name, singular(last_word(name))) for name in names)
    lasts: dict[str, list[str]] = {}
    for name in names:
        last = singular(fold(name).split()[-1])
        if len(last) > 3:
            lasts.setdefault(last, []).append(name)
    unique = {last: found[0] for last, found in lasts.items() if len(found) == 1}
    ordered = tuple(sorted(last_words, key=lambda pair: len(pair[0]), reverse=True))
    return _NameCatalog(ordered, unique)


@dataclass(frozen=True, slots=True)
class _NameCatalog:
    ordered: tuple[tuple[str, str], ...]
    """(name, its last word), longest name first (the alternation's order: the longest wins)."""
    unique_lasts: Mapping[str, str]
    """Last words (over three letters) that only one name ends with → that name."""

    def present(self, folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names whose last word, and the unique last words, occur in ``folded``: no other
        name can match, so the matchers need only these."""
        names = tuple([name for name, last in self.ordered if last in folded])
        lasts = tuple([last for last in self.unique_lasts if last in folded])
        return names, lasts


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    """One product name as a whole word, in any spacing or hyphenation, singular or plural."""
    return re.compile(r"\b" + _name_regex(name) + r"(?:e?s)?\b")


@functools.lru_cache(maxsize=4096)
def _last_word_pattern(last: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(last) + r"(?:e?s)?\b")


def compile_names(names: Sequence[str]) -> None:
    """Compile the patterns of the catalogue's names, their last words and the everyday names
    now, at start-up, rather than on the first ticket that names each."""
    for name in names:
        _name_pattern(name)
        _last_word_pattern(singular(last_word(name)))
    for alias in ALIASES:
        _last_word_pattern(alias)


def _leftmost(
    folded: str, keyed: Sequence[tuple[str, re.Pattern[str]]]
) -> list[tuple[int, int, str]]:
    """Non-overlapping matches scanning left to right; at one position the first pattern in
    ``keyed`` that matches wins (what one alternation of them, in that order, would find)."""
    starts = sorted({m.start() for _, pattern in keyed for m in pattern.finditer(folded)})
    spans: list[tuple[int, int, str]] = []
    position = 0
    for start in starts:
        if start < position:
            continue
        for key, pattern in keyed:
            m = pattern.match(folded, start)
            if m:
                spans.append((start, m.end(), key))
                position = m.end()
                break
    return spans


def mentions(
    folded: str, names: Sequence[str], own: frozenset[str] = frozenset()
) -> list[tuple[int, int, str]]:
    """(start, end, name) of every product name in the text (a unique last word counts; among
    the customer's own products ``own`` a last word only they share with other products counts
    too: "the camera" of a customer who bought one camera)."""
    if not names:
        return []
    catalog = _catalog(tuple(names))
    present, lasts = catalog.present(folded)
    spans = _leftmost(folded, [(name, _name_pattern(name)) for name in present])
    by_last = dict(catalog.unique_lasts)
    if own:
        mine = _catalog(tuple(sorted(own)))
        by_last |= mine.unique_lasts
        lasts = tuple(dict.fromkeys((*lasts, *(w for w in mine.unique_lasts if w in folded))))
    if lasts:
        named = {name for _, _, name in spans}
        by_length = sorted(lasts, key=len, reverse=True)
        for s, e, last in _leftmost(folded, [(w, _last_word_pattern(w)) for w in by_length]):
            name = by_last[last]
            owned = [n for n in ALIASES.get(last, ()) if n in own]
            if name not in own and len(owned) == 1:
                name = owned[0]  # "the watches" of a customer who owns wristwatches
            overlaps = any(s0 < e and s < e0 for s0, e0, _ in spans)
            if not overlaps and name not in named:
                spans.append((s, e, name))
    spans += _aliased(folded, frozenset(names), own, spans)
    if own and not spans:
        spans += _misspelt(folded, own)
    return _heads_only(folded, sorted(spans))


def _heads_only(folded: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "the bike helmet", "my laptop backpack": of two names side by side the last one is the
    thing (an English compound ends in its head), the first only describes it."""
    out: list[tuple[int, int, str]] = []
    for i, (start, end, name) in enumerate(spans):
        following = spans[i + 1] if i + 1 < len(spans) else None
        if following and following[2] != name and following[0] - end in (0, 1):
            if not folded[end : following[0]].strip():
                continue
        out.append((start, end, name))
    return out


_WORD = re.compile(r"[a-z]{5,}")


def _misspelt(folded: str, own: frozenset[str]) -> list[tuple[int, int, str]]:
    """ "the skatebord": a word one slip away from the last word of exactly one of the
    customer's own products names it (only when nothing else was named; "charge" is another
    word, not a misspelt "charger")."""
    lasts = _own_lasts(own)
    out: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(folded):
        word = singular(m.group(0))
        hits = [
            n
            for last, names in lasts
            if abs(len(last) - len(word)) <= 1 and plausible_slip(word, last)
            for n in names
        ]
        if len(hits) == 1 and hits[0] not in {n for _, _, n in out}:
            out.append((m.start(), m.end(), hits[0]))
    return out


@functools.lru_cache(maxsize=256)
def _own_lasts(own: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(last word of six or more letters, the customer's products ending with it), and the
    everyday names of six or more letters that name one of their products ("vacuum")."""
    lasts: dict[str, list[str]] = {}
    for name in sorted(own):
        last = singular(last_word(name))
        if len(last) >= 6:
            lasts.setdefault(last, []).append(name)
    for alias, names in ALIASES.items():
        owned = [n for n in names if n in own]
        if len(alias) >= 6 and " " not in alias and len(owned) == 1:
            lasts.setdefault(alias, []).extend(n for n in owned if n not in lasts.get(alias, ()))
    return tuple((last, tuple(names)) for last, names in lasts.items())


_ALIASES_LONGEST_FIRST = tuple(sorted(ALIASES, key=len, reverse=True))


def _aliased(
    folded: str,
    names: frozenset[str],
    own: frozenset[str],
    spans: Sequence[tuple[int, int, str]],
) -> list[tuple[int, int, str]]:
    """Mentions by an everyday name (``ALIASES``) not already inside a name's mention."""
    out: list[tuple[int, int, str]] = []
    named = {name for _, _, name in spans}
    for alias in _ALIASES_LONGEST_FIRST:
        if alias not in folded:
            continue
        candidates = [n for n in ALIASES[alias] if n in names]
        mine = [n for n in candidates if n in own]
        chosen = mine if len(mine) == 1 else candidates if len(candidates) == 1 else []
        if not chosen or chosen[0] in named:
            continue
        for m in _last_word_pattern(alias).finditer(folded):
            taken = [*spans, *out]
            if not any(s0 < m.end() and m.start() < e0 for s0, e0, _ in taken):
                out.append((m.start(), m.end(), chosen[0]))
                named.add(chosen[0])
                break
    return out
