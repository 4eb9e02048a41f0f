"""A small phrase glossary: request cues of Spanish, French, German, Portuguese, Italian and
Dutch tickets rewritten to English, so one English intent model and one set of entity patterns
serve them all (written for this project; no dataset text).

Only phrases that carry the request are translated (verbs, order/payment/refund words, reasons,
product nouns); ids, addresses and the rest of the text are left as they are. Matching ignores
case and accents, and a phrase only matches whole words.
"""

from __future__ import annotations

import functools
import re

from agents.triage.nlu.glossary_options import OPTION_PHRASES
from agents.triage.nlu.glossary_phrases import PHRASES
from agents.triage.nlu.glossary_products import PRODUCT_PHRASES
from agents.triage.nlu.text import words

_PHRASES = PHRASES + PRODUCT_PHRASES + OPTION_PHRASES

_VOWELS = {
    "a": "[aáàâäãå]",
    "e": "[eéèêë]",
    "i": "[iíìîï]",
    "o": "[oóòôöõ]",
    "u": "[uúùûü]",
    "c": "[cç]",
    "n": "[nñ]",
    "'": "['’]",
}


def _loose(phrase: str) -> str:
    """A regex for ``phrase`` that accepts accented letters, any case and flexible spaces."""
    out: list[str] = []
    for part in re.split(r"(\.\{0,20\})", phrase):
        if part == ".{0,20}":
            out.append(part)
            continue
        for ch in part:
            if ch == " ":
                out.append(r"[\s-]+")
            elif ch == "-":
                out.append(r"[\s-]?")
            else:
                out.append(_VOWELS.get(ch, re.escape(ch)))
    return "".join(out)


def _first_word(phrase: str) -> str:
    return re.split(r"[\s.-]", phrase, maxsplit=1)[0]


@functools.cache
def _by_first_word() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, (source, _) in enumerate(_PHRASES):
        index.setdefault(_first_word(source), []).append(i)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _phrase_pattern(index: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_loose(_PHRASES[index][0])})(?![\w’])", re.IGNORECASE)


def compile_all() -> None:
    """Compile every phrase's pattern now (~0.1 s) rather than on the first ticket naming it."""
    for index in range(len(_PHRASES)):
        _phrase_pattern(index)


def to_english(text: str) -> str:
    """``text`` with the glossary's phrases replaced by their English meaning.

    Left to right, the leftmost phrase wins and, of those starting at one place, the longest:
    one pattern per phrase, compiled once, instead of an alternation compiled per ticket."""
    index = _by_first_word()
    tokens = set(words(text)) | set(words(re.sub(r"['’]", " ", text)))
    chosen = {i for w in tokens for i in index.get(w, ())}
    if not chosen:
        return text
    found = sorted(
        (m.start(), -len(_PHRASES[i][0]), i, m.end())
        for i in chosen
        for m in _phrase_pattern(i).finditer(text)
    )
    pieces: list[str] = []
    cursor = 0
    for start, _, i, end in found:
        if start >= cursor and not _said_already(text, start, i):
            pieces += [text[cursor:start], _PHRASES[i][1]]
            cursor = end
    return "".join(pieces) + text[cursor:]


def _said_already(text: str, start: int, i: int) -> bool:
    """The English meaning is written out already: "smart thermostat" is not the French
    "thermostat" after "smart"."""
    source, meaning = _PHRASES[i]
    if not meaning.endswith(source) or meaning == source:
        return False
    return text[:start].lower().endswith(meaning[: -len(source)])


@functools.cache
def foreign_words() -> frozenset[str]:
    """The glossary's words of other languages (known words, never spelling repairs)."""
    english = {w for _, meaning in _PHRASES for w in words(meaning)}
    return frozenset(w for source, _ in _PHRASES for w in words(source)) - english
