"""Text helpers shared by the NLU modules: normalisation and features."""

from __future__ import annotations

import functools
import re
import unicodedata

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents removed, whitespace squeezed."""
    if len(text) <= 48:  # option values, names, words: the same few again and again
        return _fold_short(text)
    return _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip()


_fold_short = functools.lru_cache(maxsize=16384)(_fold)


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


@functools.lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light suffix stripper: enough to meet 'cancelled', 'cancelling' and 'cancel'."""
    for suffix in ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            base = word[: -len(suffix)]
            if suffix in ("ied", "ies"):
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]
            return base
    return word


STOPWORDS = frozenset(
    """a an the i me my mine we our you your ya u ur it its this that these those is am are was
    were be been being do does did done doing have has had having got get gotta to of in on at
    for from with by about as into and or but so if then than there here what which who whom
    how why can could would should will shall may might must need needs needed want
    wanna wants wanted like help helping assistance assist support please pls plz know tell
    show some any just also very really damn fucking bloody goddamn hi hello hey thanks thank
    trying try tried i'd i'm i've it's im dont don't do not no yes ok okay one ones way
    something someone anything information info""".split()
)


@functools.lru_cache(maxsize=16384)
def _token_features(token: str) -> tuple[tuple[str, float], ...]:
    """A stemmed token's own features: the word and, for longer words, its character 4-grams."""
    keys = [("w:" + token, 1.0)]
    if len(token) > 4:
        padded = f"<{token}>"
        keys += [("c:" + padded[i : i + 4], 0.25) for i in range(len(padded) - 3)]
    return tuple(keys)


def tokens(text: str) -> list[str]:
    """The stemmed content words of ``text``, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def token_features(token: str) -> tuple[tuple[str, float], ...]:
    """The features one stemmed token contributes (its word and character 4-grams)."""
    return _token_features(token)


def bigrams(stems: list[str]) -> list[str]:
    return [f"b:{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]


def features(text: str) -> dict[str, float]:
    """Sparse features: stemmed content words, their bigrams, and character 4-grams."""
    return features_of(tokens(text))


def features_of(stems: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in stems:
        for key, weight in _token_features(t):
            out[key] = out.get(key, 0.0) + weight
    for key in bigrams(stems):
        out[key] = out.get(key, 0.0) + 1.0
    return out
