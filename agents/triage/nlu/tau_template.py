"""What exists only to read the τ-bench v1 train template.

τ-bench's generated instructions spell things out the way no customer writes them: raw payment
method ids (``credit_card_4829249``), option dictionaries (``{'color': 'black', 'size': 'M'}``),
"change the boots {…} to {…}", and role-play preambles ("Your name is … and your zip code is …").
Everything the triage needs to read that template lives here, so the rest of the pipeline models
how people write.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping

PM_ID = re.compile(r"\b((?:credit_card|gift_card|paypal)_\d+)\b")
"""A raw payment method id."""
DICT_LITERAL = re.compile(r"\{[^{}]*\}")
"""An option or address dictionary literal."""
NOISE = re.compile(DICT_LITERAL.pattern + "|" + PM_ID.pattern, re.IGNORECASE)
"""Template tokens that name things but carry no intent (removed before intent ranking)."""
ROLE_PLAY = re.compile(
    r"\byour name is\b[^.!?]*[.!?]?|\byou (?:live|are) (?:in|at)\b[^.!?]*[.!?]?", re.IGNORECASE
)
"""The simulated user's own description ("Your name is Yusuf Rossi and your zip code is …")."""
PERSONA = re.compile(
    r"^\s*(?:"
    r"(?:your|you) name is [^.!?,]{1,60} and your (?:zip(?: code)?|e-?mail(?: address)?) is \S+?|"
    r"you are [a-z]+(?:,\s*[a-z]+)+|"
    r"you are [a-z]+_[a-z]+_\d+(?: and \S+@\S+?)+"
    r")[.!?]?\s*$",
    re.IGNORECASE,
)
"""A whole sentence of the simulated user's persona ("Your name is … and your zip code is …",
"You are patient, direct, curious."): it asks nothing, so it is read without the recognisers."""
_TO = re.compile(r"\bto\b", re.IGNORECASE)


def literal(raw: str) -> dict[str, str] | None:
    """A ``{'color': 'black'}`` literal as a dict (None when it is not one)."""
    parsed = _parsed_literal(raw)
    return None if parsed is None else dict(parsed)


_FLAT_PAIR = re.compile(r"""\s*(['"])([^'"\\]*)\1\s*:\s*(['"])([^'"\\]*)\3\s*(?:,|$)""")


@functools.lru_cache(maxsize=1024)
def _parsed_literal(raw: str) -> tuple[tuple[str, str], ...] | None:
    flat = _flat_pairs(raw[1:-1]) if raw.startswith("{") and raw.endswith("}") else None
    if flat is not None:
        return flat
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    return tuple((str(k), str(v)) for k, v in value.items())


def _flat_pairs(inner: str) -> tuple[tuple[str, str], ...] | None:
    """The template's literals are flat string → string dicts: read them without ``ast``
    (None when ``inner`` is anything else, which ``ast.literal_eval`` then reads)."""
    pairs: list[tuple[str, str]] = []
    position = 0
    for m in _FLAT_PAIR.finditer(inner):
        if m.start() != position:
            return None
        pairs.append((m.group(2), m.group(4)))
        position = m.end()
    return tuple(pairs) if not inner[position:].strip() else None


def literal_address(text: str, fields: tuple[str, ...]) -> Mapping[str, str] | None:
    """An address given as a ``{'address1': …}`` literal."""
    for raw in DICT_LITERAL.findall(text):
        value = literal(raw)
        if value and "address1" in value:
            return {k: value.get(k, "") for k in fields}
    return None


def literal_options(
    text: str, end: int, next_start: int
) -> tuple[dict[str, str], dict[str, str] | None] | None:
    """The options and target options of an item named just before ``end`` when literals follow
    it ("the boots {'size': '9'} to {'size': '10'}"); None when no literal belongs to it."""
    own = [m for m in DICT_LITERAL.finditer(text) if end <= m.start() < next_start]
    if not own:
        return None
    first = literal(own[0].group(0)) or {}
    if _TO.search(text[end : own[0].start()]):
        return {}, first
    target = None
    if len(own) > 1 and _TO.search(text[own[0].end() : own[1].start()]):
        target = literal(own[1].group(0)) or {}
    return first, target


def masked(text: str) -> str:
    """``text`` with each literal blanked out (offsets kept)."""
    return DICT_LITERAL.sub(lambda m: "\x00" * len(m.group(0)), text)


def payment_ids(text: str) -> list[tuple[int, str]]:
    """(offset, id) of each raw payment method id."""
    return [(m.start(), m.group(1)) for m in PM_ID.finditer(text)]
