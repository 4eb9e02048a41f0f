"""Which option values a stretch of ticket text names, for one product of the customer's data.

A value counts as a word of its own ("10" is not in "100"), written as in the catalogue or in
the ways customers write it (``value_spellings``: "55 to 75 pounds", "wooden", "grey"), and an
option named by its own name counts with or without a negation (``Flag``: "waterproof" / "not
waterproof" → yes / no).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from agents.triage.customer import CustomerData
from agents.triage.nlu.spelling import one_edit
from agents.triage.nlu.value_spellings import spellings


@functools.lru_cache(maxsize=4096)
def _standalone(value: str) -> re.Pattern[str]:
    """``value`` not inside a longer word or number ("10" not in "100", "6.5" or "10.5"); a
    sentence's full stop may follow it ("… in size 30ml."); "it's" holds no "s"."""
    return re.compile(rf"(?<![\w'’])(?<!\d\.){re.escape(value)}(?!\w)(?!\.\d)")


def value_named(span: str, value: str) -> bool:
    """Whether the lower-cased ``span`` names the option ``value`` as a word of its own."""
    return value in span and _standalone(value).search(span) is not None


def option_values(customer: CustomerData | None, name: str) -> frozenset[str]:
    return customer.option_values(name) if customer is not None else frozenset()


_BARE_WORDS = frozenset({"yes", "no", "none"})
_COUNTED = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-z]+?)(?:(?<=ch|sh)es|(?<=x)es|s)$")


@functools.lru_cache(maxsize=1024)
def _aliases(values: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(how a value may be written, the value): the value itself and, for a counted value
    ("4 cups"), its singular forms ("a 4 cup coffee maker", "the 4-cup one")."""
    # "yes" / "no" / "none" are read with their option's name (``Flag``), never alone: "no
    # longer needed" names no option value
    pairs = [(v, v) for v in values if v not in _BARE_WORDS]
    # "full-size" / "full size", "water resistant" / "water-resistant"
    pairs += [(v.replace(" ", "-"), v) for v in values if " " in v]
    pairs += [(v.replace("-", " "), v) for v in values if "-" in v]
    for v in values:
        counted = _COUNTED.match(v)
        if counted:
            number, unit = counted.groups()
            pairs += [(f"{number} {unit}", v), (f"{number}-{unit}", v)]
        pairs += [(spelling, v) for spelling in spellings(v) if spelling not in values]
    # "the big black wireless 20000 one": a number of three digits or more with its unit left
    # out, when no other value of the product has that number
    numbers: dict[str, list[str]] = {}
    for v in values:
        measured = _MEASURED.match(v)
        if measured:
            numbers.setdefault(measured.group(1), []).append(v)
    pairs += [(n, vs[0]) for n, vs in numbers.items() if len(vs) == 1 and n not in values]
    # "the robotic one for pet hair": a value of three words or more by its first two, when no
    # other value starts with them
    heads: dict[str, list[str]] = {}
    for v in values:
        words = v.split()
        if len(words) >= 3:
            heads.setdefault(" ".join(words[:2]), []).append(v)
    pairs += [
        (head, vs[0])
        for head, vs in heads.items()
        if len(vs) == 1 and not any(w != vs[0] and w.startswith(head) for w in values)
    ]
    return tuple(pairs)


_MEASURED = re.compile(r"^(\d{3,})\s*[a-z]+$", re.IGNORECASE)


_LETTER_SIZES = (("s", "small"), ("m", "medium"), ("l", "large"))
_ENDS_A_SIZE = r"(?=\s*(?:[,.;!?)]|$|\s(?:instead|one|size|please|and|or|but|for|now|then)\b))"


@functools.lru_cache(maxsize=64)
def _said_as_size(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b(a|an|size|in)\s+{word}{_ENDS_A_SIZE}")


def _sized(span: str, values: frozenset[str]) -> str:
    """``span`` with "a medium" / "size small" written as the letter size, where the product
    also has the word as another option's value (a helmet's size M beside its "medium"
    ventilation): "is a medium, could I get a small instead" speaks of sizes."""
    for letter, word in _LETTER_SIZES:
        if word in span and letter in values and word in values:
            span = _said_as_size(word).sub(rf"\1 {letter}", span)
    return span


def values_in(span: str, values: frozenset[str], flags: tuple[Flag, ...] = ()) -> tuple[str, ...]:
    span = _sized(span, values)
    found = {
        v for alias, v in _aliases(values) if alias in span and _standalone(alias).search(span)
    }
    found |= _flag_values(span, flags)
    found |= _misspelt_values(span, values, found)
    # Drop values contained in a longer found value ("black" inside "black leather").
    return tuple(sorted(v for v in found if not any(v != w and _word_in(v, w) for w in found)))


_LONG_WORD = re.compile(r"[a-z]{5,}")


def _misspelt_values(span: str, values: frozenset[str], found: set[str]) -> set[str]:
    """ "the same helmet in whtie": a word one slip (first letter kept) from exactly one of the
    product's one-word values that the span does not name already. Only the product's own
    values are candidates, so short words are safe here."""
    words = [w for w in values if w.isalpha() and len(w) >= 5 and w not in found]
    out: set[str] = set()
    for m in _LONG_WORD.finditer(span):
        word = m.group(0)
        if word in values:
            continue
        hits = [w for w in words if w[0] == word[0] and one_edit(word, w)]
        if len(hits) == 1:
            out.add(hits[0])
    return out


def _word_in(value: str, longer: str) -> bool:
    """ "black" in "black leather", but not "l" (a size) in "low"."""
    return value in longer and _standalone(value).search(longer) is not None


@dataclass(frozen=True, slots=True)
class Flag:
    """An option a customer names by its name, with or without a negation: "waterproof" /
    "not waterproof" → yes / no; "no backlight" → none; "not water resistant" → not resistant."""

    pattern: re.Pattern[str]
    negated: str | None
    plain: str | None


_NEGATION = re.compile(
    r"(?:\b(?:not|non|no|without|isn'?t|aren'?t)[\s-]+(?:\w+[\s-]+)?|"
    r"\b(?:doesn'?t|don'?t|dont|does not|do not|needn'?t|never)[\s-]+(?:\w+[\s-]+){0,3})$"
)
"""Right before an option's name: "not waterproof", "it doesn't need to be waterproof"."""


@functools.lru_cache(maxsize=1024)
def _key_pattern(key: str) -> re.Pattern[str]:
    if "water" in key.lower():
        # "water resistance" and "waterproof" name one property
        return re.compile(r"\bwater[\s-]*(?:proof|resist)\w*")
    parts = [re.escape(w[:6]) + r"\w*" for w in key.lower().split()]
    return re.compile(r"\b" + r"[\s-]*".join(parts))


def flags_of_product(customer: CustomerData | None, name: str) -> tuple[Flag, ...]:
    """The options of ``name`` that can be named by their own name (see ``Flag``)."""
    if customer is None:
        return ()
    return customer.derived(("flags", name), lambda: _flags_of(customer, name))


def _flags_of(customer: CustomerData, name: str) -> tuple[Flag, ...]:
    by_key: dict[str, set[str]] = {}
    for value, keys in customer.option_keys(name).items():
        for key in keys:
            by_key.setdefault(key, set()).add(value)
    out: list[Flag] = []
    for key, values in sorted(by_key.items()):
        negative = [v for v in values if v in ("no", "none") or v.startswith(("not ", "non"))]
        plain = "yes" if "yes" in values else None
        if len(negative) == 1 or plain:
            out.append(Flag(_key_pattern(key), negative[0] if len(negative) == 1 else None, plain))
    return tuple(out)


def _flag_values(span: str, flags: Sequence[Flag]) -> set[str]:
    found: set[str] = set()
    for flag in flags:
        for m in flag.pattern.finditer(span):
            negated = _NEGATION.search(span[max(0, m.start() - 32) : m.start()])
            value = flag.negated if negated else flag.plain
            if value is not None:
                found.add(value)
    return found
