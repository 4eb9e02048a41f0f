"""Spelling repair for the words that carry a request ("cancle", "retrun", "evrything",
"adress", "paymnet", "ordred").

A word is repaired only when it is unknown (in none of the triage's own example tables, the
glossary, the stop words, nor the names and option values the caller knows) and one slip away
from request words of a single stem (``plausible_slip``: an insertion, deletion, substitution
or swap of two neighbours that keeps the first letter and the ending). Request words are the
words of five letters or more of the intent and meaning examples. Ids, numbers and short words
are left as they are. Candidates come from a delete index (each request word under every
one-letter deletion), so a ticket costs a few dictionary lookups per unknown word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable

from agents.triage.nlu.examples import EXAMPLES
from agents.triage.nlu.meaning_examples import CANCEL_REASONS, DELIVERY_PROBLEMS
from agents.triage.nlu.text import STOPWORDS, stem

MIN_LENGTH = 5
"""Shorter words have too many neighbours one edit away to be repaired safely."""
MIN_SAME_LENGTH = 6
"""A substitution or a swap needs a longer word still: five-letter words swap into each other
("three"/"there", "fried"/"fired")."""
_WORD = re.compile(rf"(?<![\w#@./-])[A-Za-z]{{{MIN_LENGTH},}}(?![\w@/-])")
_TOKEN = re.compile(r"[a-z]+")

_EXTRA_TARGETS = (
    "everything accidentally accident address cancel cancellation delivered received arrived "
    "damaged broken payment method original refund return exchange replace should would could "
    "ordered purchase please tracking package shipping mistake different instead receipt "
    "wireless charge changed nothing anymore actually really rather prefer instead"
)
"""Request words the tables may hold only in inflected forms."""
_KNOWN = (
    "three seven eight first second third fourth fifth sixth couple things thing several "
    "sorry thanks hello cheers"
)
"""Everyday words the tables may lack (never repaired)."""


def _table_words() -> Iterable[str]:
    for table in (EXAMPLES, CANCEL_REASONS, DELIVERY_PROBLEMS):
        for texts in table.values():
            for text in texts:
                yield from _TOKEN.findall(text.lower())
    yield from _EXTRA_TARGETS.split()


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@functools.cache
def _index() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """(every known word, one-letter deletion → the targets it comes from)."""
    from agents.triage.nlu.glossary import foreign_words  # the glossary imports text helpers

    foreign = foreign_words()
    known = {*_table_words(), *STOPWORDS, *foreign, *_KNOWN.split()}
    candidates = sorted(w for w in set(_table_words()) - foreign if len(w) >= MIN_LENGTH)
    by_delete: dict[str, set[str]] = {}
    for word in candidates:
        for key in {word, *_deletes(word)}:
            by_delete.setdefault(key, set()).add(word)
    index = {key: tuple(sorted(targets)) for key, targets in by_delete.items()}
    return frozenset(known), {k: v for k, v in index.items() if v}


def one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def plausible_slip(word: str, target: str) -> bool:
    """One edit that is a slip, not another word form: the first letter is kept ("iphone" is
    not "phone") and the last one is not added, dropped or changed ("managed" is not
    "manager", "persons" not "person"); swapping the last two letters is a slip."""
    if word[0] != target[0] or not one_edit(word, target):
        return False
    if len(word) != len(target):
        if word[:-1] == target and word[-1] == word[-2]:
            return True  # a doubled last letter ("cancell") is a slip, not another form
        return word[:-1] != target and target[:-1] != word
    if len(word) < MIN_SAME_LENGTH:
        return False  # "three" is not a misspelt "there"
    return word[-1] == target[-1] or word[-2:] == target[-2:][::-1]


@functools.lru_cache(maxsize=16384)
def repair_word(word: str) -> str | None:
    """The request word ``word`` (lower case) misspells, or None."""
    known, index = _index()
    if word in known or len(word) < MIN_LENGTH or _inflected_known(word, _english_words()):
        return None
    found: set[str] = set()
    for key in {word, *_deletes(word)}:
        found.update(t for t in index.get(key, ()) if plausible_slip(word, t))
    stems = {stem(t) for t in found}
    if len(stems) != 1:
        return None
    # "returnd" is one edit from "return" and "returned": the same word either way.
    return min(found, key=len) if len(found) > 1 else next(iter(found))


@functools.cache
def _english_words() -> frozenset[str]:
    """The tables' own (English) words: the bases an inflected form may come from ("adress"
    is no plural of the Dutch "adres")."""
    return frozenset(_table_words())


def _inflected_known(word: str, known: frozenset[str]) -> bool:
    """ "changes", "returned", "cancelling": a form of a known word, not a slip ("changes" is
    one letter from "charges")."""
    bases = (word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-2] + "e")
    return word.endswith(("s", "es", "ed", "ing")) and any(b in known for b in bases if b)


def repaired(text: str, also_known: Callable[[], Collection[str]] = frozenset) -> str:
    """``text`` with its misspelt request words repaired (case of the first letter kept).
    ``also_known`` gives the caller's own words (names, option values, addresses), which are
    never repaired; it is only called when a word would be."""
    own: list[Collection[str]] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        repair = repair_word(word.lower())
        if repair is None:
            return word
        if not own:
            own.append(also_known())
        if word.lower() in own[0]:
            return word
        return repair.capitalize() if word[0].isupper() else repair

    return _WORD.sub(fix, text)
