"""Understanding a free-text request sent straight to a specialist by a third-party agent.

Inside the mesh, triage sends structured skill calls; a third-party agent may just write
"where is order #W1000001?". This matcher picks the skill whose keywords the text mentions most
and fills the arguments it can read from the text (order ids for now).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agents.runtime.skills import Skill

ORDER_ID = re.compile(r"#?\b(W\d{7})\b", re.IGNORECASE)
WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class FreeTextMatch:
    skill: Skill | None
    arguments: dict[str, Any]


def order_ids_in(text: str) -> list[str]:
    return [f"#{m.upper()}" for m in ORDER_ID.findall(text)]


def match_free_text(text: str, skills: Sequence[Skill]) -> FreeTextMatch:
    words = set(WORD.findall(text.lower()))
    scored = [(sum(k in words for k in s.keywords), i, s) for i, s in enumerate(skills)]
    best = max(scored, key=lambda t: (t[0], -t[1]), default=None)
    skill = best[2] if best and best[0] > 0 else None
    arguments: dict[str, Any] = {}
    order_ids = order_ids_in(text)
    if order_ids:
        arguments["order_id"] = order_ids[0]
    return FreeTextMatch(skill, arguments)
