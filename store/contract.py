"""Action names, their arguments and argument validation (shared by the store and the oracle)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import HANDOFF, SKILLS
from store.errors import ActionError

ADDRESS_ARGS = ("address1", "address2", "city", "state", "country", "zip")
HANDOFF_STATUSES = ("open", "claimed", "closed")

ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    skill.id: skill.store_arguments() for skill in SKILLS.writes()
}
"""action → (required arguments, optional arguments), from the registry's write skills;
list-valued arguments end in "_ids"."""
RETAIL_ACTIONS = frozenset(name for name in ACTIONS if name != HANDOFF)


def require_status(status: str, action: str) -> None:
    """Refuse ``action`` on an order in ``status`` unless it is the one the registry needs."""
    needed = SKILLS[action].requires_status
    if needed is not None and status != needed:
        raise ActionError(f"order_not_{needed}", f"order status is {status!r}")


def status_after(action: str) -> str:
    """The status an order has after ``action`` (the registry's ``leaves_status``)."""
    after = SKILLS[action].leaves_status
    assert after is not None, f"{action} leaves the status unchanged"
    return after


def check_args(action: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an action's arguments; return a plain copy or raise ActionError."""
    skill = SKILLS.get(action)
    if skill is None or not skill.is_write:
        raise ActionError("unknown_action", f"unknown action {action!r}")
    required, optional = skill.store_arguments()
    missing = [name for name in required if name not in args]
    extra = [name for name in args if name not in required and name not in optional]
    if missing or extra:
        raise ActionError(
            "invalid_arguments", f"{action}: missing {missing or '-'}, unexpected {extra or '-'}"
        )
    clean: dict[str, Any] = {}
    for name, value in args.items():
        if name.endswith("item_ids"):
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ActionError("invalid_arguments", f"{name} must be a list of strings")
            clean[name] = list(value)
        elif value is None and name in optional:
            continue
        elif not isinstance(value, str):
            raise ActionError("invalid_arguments", f"{name} must be a string")
        else:
            clean[name] = value
    return clean


def check_item_counts(present: list[str], requested: list[str]) -> None:
    """Each requested item id must occur in the order at least as often as it is listed."""
    for item_id in requested:
        if requested.count(item_id) > present.count(item_id):
            raise ActionError("item_not_found", f"item {item_id} not found in the order")


def check_same_length(item_ids: list[str], new_item_ids: list[str]) -> None:
    if len(item_ids) != len(new_item_ids):
        raise ActionError("item_count_mismatch", "item_ids and new_item_ids differ in length")
