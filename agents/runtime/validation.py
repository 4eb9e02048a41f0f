"""Output validation: a specialist's result checked against its schema before anyone uses it.

Peer output is data, never instructions. ``check_result(call, result)`` returns the problem with a
result (None when it is fine): the SkillResult envelope must answer the skill that was called,
carry data when it succeeded and an error when it did not, and a successful result must have the
shape its skill returns (its registry entry's ``result``: required keys and their JSON types;
an order-scoped result must be about the order that was named). ``clean_text`` screens a
specialist's sentence before the triage puts it in a reply: text that tries to instruct the
reader is replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import SKILLS
from protocol.parts import SkillCall, SkillResult

MAX_TEXT = 4000


def check_result(call: SkillCall, result: SkillResult | None) -> str | None:
    """Why ``result`` can't be trusted as the answer to ``call``; None when it can."""
    if result is None:
        return None  # no structured result: the delegation's state speaks for itself
    if result.skill != call.skill:
        return f"answered {result.skill!r} to a {call.skill!r} call"
    if not result.ok:
        return None if (result.error or result.error_code) else "a refusal without a reason"
    if result.data is None:
        return "a success without data"
    return _check_shape(call, result.data)


def _check_shape(call: SkillCall, data: Mapping[str, Any]) -> str | None:
    skill = SKILLS.get(call.skill)
    shape = skill.result if skill is not None else {}
    for key, kind in shape.items():
        if key not in data:
            return f"{call.skill} result lacks {key!r}"
        if not isinstance(data[key], kind):
            return f"{call.skill} result has a malformed {key!r}"
    order = data.get("order")
    named = call.arguments.get("order_id")
    if isinstance(order, Mapping) and isinstance(named, str):
        if order.get("order_id") not in (None, named):
            return f"{call.skill} result is about another order"
    return None


def clean_text(text: str, suspicious: bool) -> str:
    """A specialist's sentence as it may appear in a reply: bounded, or dropped if suspicious."""
    if suspicious:
        return ""
    return text[:MAX_TEXT]
