"""Order ids: the one recogniser of order numbers every triage module uses.

An order id is ``#W`` and seven digits. Customers write it with or without ``#``, in any case
("w1234567"), or as the bare number ("order 1234567", "it's 1234567"). Bare digits count when
"order" or "#" precedes them, or when they are the number of one of the verified customer's own
orders (the closed world: a seven-digit phone fragment is not an order of theirs).
"""

from __future__ import annotations

import re
from collections.abc import Collection

ORDER_ID_TEXT = r"#?\b[Ww]\d{7}\b"
"""The pattern source of a written order id, for patterns that embed one."""
ORDER_ID = re.compile(r"#?\b[Ww](\d{7})\b")
_ANY = re.compile(
    r"(?:#?\b[Ww](?P<written>\d{7})\b)|"
    r"(?P<lead>\border\s*(?:number|no\.?|nr\.?|id)?\s*[:#]?\s*|#)?\b(?P<bare>\d{7})\b",
    re.IGNORECASE,
)


def canonical(digits: str) -> str:
    return f"#W{digits}"


def order_spans(text: str, known: Collection[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, ``#W…`` id) of every order number in ``text``; ``known``: the customer's
    order ids (bare digits matching one of them count without a lead word)."""
    spans: list[tuple[int, int, str]] = []
    for m in _ANY.finditer(text):
        if m.group("written"):
            spans.append((m.start(), m.end(), canonical(m.group("written"))))
            continue
        order_id = canonical(m.group("bare"))
        if m.group("lead") or order_id in known:
            spans.append((m.start("bare"), m.end(), order_id))
    return spans


def order_ids(text: str, known: Collection[str] = ()) -> list[str]:
    """The order ids of ``text`` in order of appearance, each once."""
    return list(dict.fromkeys(order_id for _, _, order_id in order_spans(text, known)))
