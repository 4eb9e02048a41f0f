"""Segmentation: one ticket → the separate requests in it.

Sentences split at ``.``/``?``/``!``/newlines (not inside ``{…}`` literals, not after common
abbreviations) and at joiners that introduce a new request ("also", "and then", "plus").
"""

from __future__ import annotations

import re

from agents.triage.nlu.order_ids import ORDER_ID_TEXT, order_ids

_BRACES = re.compile(r"\{[^{}]*\}")
_BOUNDARY = re.compile(
    r"(?<=[.?!])\s+|\n+|;\s+(?=(?:For|Cancel|Return|Exchange|Modify|Change|Please|Also)\b)"
)
_ACTION_AHEAD = (
    r"(?=(?:cancel|return|exchange|change|modify|update|where|which|what|when|how|can|could|"
    r"i|i'd|i'm|please|tell|show|check|track|get|send|refund|talk|speak|is|are|do|does|why|"
    r"pay|ship|switch|swap|charge|list)\b"
    # "…; and make the kettle the 1.5L one": a verb that takes the item it changes
    r"|(?:make|set|put|turn)\s+(?:the|my|it|them|that|this)\b"
    # "… and on #W… change …": a new order named up front starts a new request
    r"|(?:on|for|in|from|with)\s+(?:my\s+)?(?:order\s+)?" + ORDER_ID_TEXT + ")"
)
_IMPERATIVE_AHEAD = (
    r"(?=(?:change|cancel|return|exchange|modify|update|switch|swap|replace|refund|ship)\s+"
    r"(?:the|my|its|order|#)\b|(?:ship|send)\s+(?:it|them)\s+to\b)"
)
"""", change the shipping address to …": a comma before an imperative naming its object starts
a new request ("change the payment to my Mastercard, change the shipping address to …", "…,
ship it to …"; not ", swap it for …", whose "it" is the item just described)."""
_JOINER = re.compile(
    r"\s*(?:,\s*)?\b(?:and also|and then|and after that|after that,?|afterwards,?|"
    r"as well as that|in addition|additionally|besides that|on top of that|also,|plus,?|"
    r"(?:and\s+)?while (?:you'?re|you are|i'?m|i am|i have you) (?:at it|here|on it),?|"
    r"(?:and\s+)?one more thing,?|(?:oh,?\s+)?and another thing,?)\s+"
    r"|,?\s+and\s+" + _ACTION_AHEAD + r"|,\s+" + _IMPERATIVE_AHEAD,
    re.IGNORECASE,
)
_NEW_SUBJECT = re.compile(
    r",?\s+and\s+(?=(?:the|my)\s+(?:[\w'-]+\s+){1,5}?(?:should|needs? to|must|has to|ought to)"
    r"\s+be\b)",
    re.IGNORECASE,
)
"""", and the grill in that order should be the charcoal one": a change of its own, split off
only in a sentence naming one order (the item tells which order it is in)."""
_ENUMERATED = re.compile(r"(?:^|\s)\(?1\)\s.*\s\(?2\)\s", re.DOTALL)
_ENUMERATION_MARK = re.compile(r"\s+(?=\(?\d{1,2}\)\s)")
""""1) status of … 2) my balance …": each numbered part is a request (only when both a 1) and
a 2) mark the text, so "(size 9) and …" is left alone)."""
_ORDER_ID = re.compile(ORDER_ID_TEXT, re.IGNORECASE)
_ORDER_HEADER = re.compile(
    r"^\W*(?:then\s+|and\s+|also\s+)?(?:for|on|in|about|from)\s+"
    r"(?:(?:my|the|pending|delivered|other|second|first|last)\s+)*"
    r"(?:order,?\s+)?(?P<order>" + ORDER_ID_TEXT + r")\s*[:,-]",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"\d{1,2}\.")
_BULLET = re.compile(r"^\s*(?:[-•*–·]|\d{1,2}[.)])\s+")
_ABBREVIATIONS = re.compile(r"\b(?:mr|mrs|ms|dr|st|no|e\.g|i\.e|etc|approx)\.$", re.IGNORECASE)


def segments(text: str) -> list[str]:
    masked, literals = _mask(text)
    parts: list[str] = []
    sentences = _split_sentences(masked)
    if _ENUMERATED.search(masked):
        sentences = [part for s in sentences for part in _ENUMERATION_MARK.split(s)]
    listed: str | None = None
    """The order a line ending in ":" named, for the bulleted lines under it."""
    for sentence in sentences:
        header = _ORDER_HEADER.match(sentence)
        bullet = _BULLET.match(sentence)
        if not bullet:
            listed = None
        sentence_orders = order_ids(_unmask(sentence, literals))
        for n, piece in enumerate(_JOINER.split(sentence)):
            piece = piece.strip(" ,;")
            if not piece:
                continue
            first, *changes = _NEW_SUBJECT.split(piece) if len(sentence_orders) == 1 else [piece]
            if changes:
                parts.append(_unmask(first.strip(" ,;"), literals))
                parts += [_unmask(change.strip(" ,;"), literals) for change in changes]
                continue
            if n and header and not _ORDER_ID.search(piece):
                # "For order #W…: change the payment …, change the address …": the header
                # names the order of every request of its sentence.
                piece = f"for order {header.group('order')}: {piece}"
            elif bullet and listed and not _ORDER_ID.search(piece):
                # "For order #W… please:\n• ship to …\n• pay with …": each line is about it
                piece = f"for order {listed}: {piece}"
            parts.append(_unmask(piece, literals))
        if sentence.rstrip().endswith(":") and len(sentence_orders) == 1:
            listed = sentence_orders[0]
    return parts


def _split_sentences(text: str) -> list[str]:
    out: list[str] = []
    pending = ""
    for piece in _BOUNDARY.split(text):
        if not piece:
            continue
        pending = f"{pending} {piece}".strip() if pending else piece.strip()
        if _ABBREVIATIONS.search(pending) or _LIST_NUMBER.fullmatch(pending):
            continue  # "e.g. …", "1. #W…, the makeup kit": not the end of a sentence
        out.append(pending)
        pending = ""
    if pending:
        out.append(pending)
    return out


def _mask(text: str) -> tuple[str, list[str]]:
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    return _BRACES.sub(keep, text), literals


def _unmask(text: str, literals: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: literals[int(m.group(1))], text)
