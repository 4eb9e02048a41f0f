"""Item mentions: products named in the text, the options that pick the item, the target options.

A product is named by its name in any spacing, hyphenation or number ("the hiking boot"), or by
its last word when only one product ends with it — among the customer's own products first
("the camera" is their action camera). Option values are read against the options that product
really has ("the 6mm one", "size 8", "in purple", "pet hair removal", "4-cup"); values before a
target word ("to", "for", "instead of") pick the item, values after it are what it should become.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from agents.triage.customer import CustomerData
from agents.triage.nlu import tau_template
from agents.triage.nlu.text import fold

_TARGET_SPLIT = re.compile(r"\b(?:to|for|into|with|instead|but (?:in|with|as))\b", re.IGNORECASE)
_TARGET_BEFORE = re.compile(
    r"\b(?:for|to|into|with)\s+(?:the same|a|an|another|one|the|a new|a different)?\s*$"
)
"""Right before a product name: the name is what the item should become ("swap it for the same
helmet in white", "exchange them for a t-shirt in purple")."""
_CHANGE_VERB = re.compile(r"\b(?:swap|exchange|replace|change|switch|trade|get)\w*\b")
_WISH = re.compile(r"\b(?:i'?d like|i would like|i want|i'?d prefer|i'?d rather|i prefer)\b")
_NOT_A_CHANGE = re.compile(r"\b(?:return\w*|refund\w*|send\b.{0,20}\bback|cancel\w*)")
ALIASES: Mapping[str, tuple[str, ...]] = {
    "phone": ("Smartphone",),
    "cell phone": ("Smartphone",),
    "mobile": ("Smartphone",),
    "watch": ("Smart Watch", "Wristwatch"),
    "smartwatch": ("Smart Watch",),
    "shoes": ("Running Shoes", "Sneakers"),
    "trainers": ("Running Shoes", "Sneakers"),
    "earphones": ("Wireless Earbuds",),
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


@dataclass(frozen=True, slots=True)
class ItemMention:
    """A product named in the text, with the options that pick the item and the target options."""

    name: str
    options: Mapping[str, str] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    """Option values named in free text ("blue", "size 10"), key unknown."""
    target: Mapping[str, str] | None = None
    target_values: tuple[str, ...] = ()
    keyed: Mapping[str, str] = field(default_factory=dict)
    """Value → the option it was named with, when several options have that value ("black
    lens", "dial color black", "frame in silver")."""


def _singular(word: str) -> str:
    """ "boots" → "boot": a plural name's last word, so "the hiking boot" names it too."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _name_regex(name: str) -> str:
    words = [re.escape(w) for w in fold(name).replace("-", " ").split()]
    words[-1] = re.escape(_singular(fold(name).replace("-", " ").split()[-1]))
    return r"[\s-]?".join(words)


@functools.lru_cache(maxsize=64)
def _catalog(names: tuple[str, ...]) -> _NameCatalog:
    last_words = tuple(
        (name, _singular(fold(name).replace("-", " ").split()[-1])) for name in names
    )
    lasts: dict[str, list[str]] = {}
    for name in names:
        last = _singular(fold(name).split()[-1])
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
    return re.compile(r"\b" + re.escape(last) + r"s?\b")


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


def _mentions(
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
            overlaps = any(s0 < e and s < e0 for s0, e0, _ in spans)
            if not overlaps and name not in named:
                spans.append((s, e, name))
    spans += _aliased(folded, frozenset(names), own, spans)
    if own and not spans:
        spans += _misspelt(folded, own)
    return sorted(spans)


_WORD = re.compile(r"[a-z]{5,}")


def _misspelt(folded: str, own: frozenset[str]) -> list[tuple[int, int, str]]:
    """ "the skatebord": a word one edit away from the last word of exactly one of the
    customer's own products names it (only when nothing else was named)."""
    lasts = _own_lasts(own)
    out: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(folded):
        word = _singular(m.group(0))
        hits = [
            n
            for last, names in lasts
            if abs(len(last) - len(word)) <= 1 and _one_edit(word, last)
            for n in names
        ]
        if len(hits) == 1 and hits[0] not in {n for _, _, n in out}:
            out.append((m.start(), m.end(), hits[0]))
    return out


@functools.lru_cache(maxsize=256)
def _own_lasts(own: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(last word of six or more letters, the customer's products ending with it)."""
    lasts: dict[str, list[str]] = {}
    for name in sorted(own):
        last = _singular(fold(name).replace("-", " ").split()[-1])
        if len(last) >= 6:
            lasts.setdefault(last, []).append(name)
    return tuple((last, tuple(names)) for last, names in lasts.items())


@functools.lru_cache(maxsize=16384)
def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or transposition."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


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


@functools.lru_cache(maxsize=4096)
def _standalone(value: str) -> re.Pattern[str]:
    """``value`` not inside a longer word or number ("10" not in "100", "6.5" or "10.5")."""
    return re.compile(rf"(?<![\w.]){re.escape(value)}(?![\w.])")


def _option_values(customer: CustomerData | None, name: str) -> frozenset[str]:
    return customer.option_values(name) if customer is not None else frozenset()


_COUNTED = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-z]+?)(?:(?<=ch|sh)es|(?<=x)es|s)$")


@functools.lru_cache(maxsize=1024)
def _aliases(values: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(how a value may be written, the value): the value itself and, for a counted value
    ("4 cups"), its singular forms ("a 4 cup coffee maker", "the 4-cup one")."""
    pairs = [(v, v) for v in values]
    for v in values:
        counted = _COUNTED.match(v)
        if counted:
            number, unit = counted.groups()
            pairs += [(f"{number} {unit}", v), (f"{number}-{unit}", v)]
    return tuple(pairs)


def _values_in(span: str, values: frozenset[str]) -> tuple[str, ...]:
    found = {
        v for alias, v in _aliases(values) if alias in span and _standalone(alias).search(span)
    }
    # Drop values contained in a longer found value ("black" inside "black leather").
    return tuple(sorted(v for v in found if not any(v != w and v in w for w in found)))


def items(
    text: str, customer: CustomerData | None, product_names: Sequence[str]
) -> list[ItemMention]:
    """The item mentions of ``text``, in order; a product named twice is one mention ("my
    helmet is black … swap it for the same helmet in white": the second names the target)."""
    masked = tau_template.masked(text)
    folded = masked.lower()
    if len(folded) != len(masked):  # keep offsets aligned with ``text``
        folded = masked
    own = customer.product_names() if customer is not None else frozenset()
    spans = _mentions(folded, product_names, own)
    out: list[ItemMention] = []
    for i, (start, end, name) in enumerate(spans):
        next_start = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        prev_end = spans[i - 1][1] if i > 0 else 0
        literal = tau_template.literal_options(text, end, next_start)
        if literal is not None:
            out.append(ItemMention(name, literal[0], (), literal[1], ()))
            continue
        values = _option_values(customer, name)
        before = folded[prev_end:start]
        after = folded[end:next_start]
        split = _TARGET_SPLIT.search(after)
        own_span = before[-40:] + " " + (after[: split.start()] if split else after)
        target_span = after[split.end() :] if split else ""
        instead = re.match(r"\s*of\b([^.,;!?]*)", target_span) if split else None
        if split and split.group(0).lower() == "instead" and instead:
            # "the boots in size 9 instead of 8": the target comes first.
            own_span, target_span = before[-40:] + " " + instead.group(1), after[: split.start()]
        mention = ItemMention(
            name,
            {},
            _values_in(own_span, values),
            None,
            _values_in(target_span, values) if target_span else (),
        )
        if (
            not out
            and _TARGET_BEFORE.search(before[-30:])
            and _CHANGE_VERB.search(before)
            and not mention.target_values
        ):
            # "swap it for the same helmet in white": the values name the new variant.
            own_values = _values_in(before[-40:], values)
            mention = ItemMention(name, {}, own_values, None, _values_in(after, values))
        earlier = next((n for n, m in enumerate(out) if m.name == name), None)
        if (
            earlier is not None
            and _TARGET_SPLIT.search(before)
            and out[earlier].target is None
            and not out[earlier].target_values
        ):
            # The same product again after "for"/"to": what the first mention should become.
            first = out[earlier]
            wanted = tuple(
                dict.fromkeys((*first.target_values, *mention.values, *mention.target_values))
            )
            out[earlier] = ItemMention(name, first.options, first.values, None, wanted)
            continue
        out.append(mention)
    wants_a_change = _CHANGE_VERB.search(folded) or (
        _WISH.search(folded) and not _NOT_A_CHANGE.search(folded)
    )
    if customer is not None and wants_a_change:
        out = [_closed_world_targets(m, customer) for m in out]
    if customer is not None:
        out = [_with_keys(m, folded, customer) for m in out]
    return out


_GENERIC_KEY_WORDS = frozenset({"color", "colour", "type", "size", "material"})


def _with_keys(mention: ItemMention, folded: str, customer: CustomerData) -> ItemMention:
    """Bind a value several options share to the option named next to it."""
    values = (*mention.values, *mention.target_values)
    if not values:
        return mention
    by_value = customer.option_keys(mention.name)
    keyed: dict[str, str] = {}
    for value in values:
        keys = by_value.get(value, frozenset())
        if len(keys) < 2:
            continue
        for key in sorted(keys):
            words = [w for w in key.lower().split() if w not in _GENERIC_KEY_WORDS]
            if not words:
                continue
            word = re.escape(words[0])
            near = rf"\b{word}\w*\s+(?:colou?r\s+|in\s+|of\s+)?{re.escape(value)}\b|"
            near += rf"\b{re.escape(value)}[\s-]+{word}"
            if re.search(near, folded):
                keyed[value] = key
                break
    if not keyed:
        return mention
    return ItemMention(
        mention.name,
        mention.options,
        mention.values,
        mention.target,
        mention.target_values,
        keyed,
    )


def _closed_world_targets(mention: ItemMention, customer: CustomerData) -> ItemMention:
    """ "I'd like the t-shirt in purple" from a customer whose t-shirts are all blue: values
    no owned item of that product has are what the item should become."""
    if mention.target is not None or mention.target_values or not mention.values:
        return mention
    owned = [
        {str(v).lower() for v in item["options"].values()}
        for order in customer.orders.values()
        for item in order["items"]
        if item["name"] == mention.name
    ]
    if not owned or any(set(mention.values) <= values for values in owned):
        return mention
    held = set().union(*owned)
    own = tuple(v for v in mention.values if v in held)
    wanted = tuple(v for v in mention.values if v not in held)
    return ItemMention(mention.name, mention.options, own, None, wanted)
