"""Action names, their arguments and argument validation (shared by the store and the oracle)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.errors import ActionError

ADDRESS_ARGS = ("address1", "address2", "city", "state", "country", "zip")
CANCEL_REASONS = ("no longer needed", "ordered by mistake")
PRIORITIES = ("low", "normal", "high", "urgent")
HANDOFF_STATUSES = ("open", "claimed", "closed")

# action → (required arguments, optional arguments); list-valued arguments end in "_ids".
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cancel_pending_order": (("order_id", "reason"), ()),
    "modify_pending_order_items": (
        ("order_id", "item_ids", "new_item_ids", "payment_method_id"),
        (),
    ),
    "modify_pending_order_address": (("order_id", *ADDRESS_ARGS), ()),
    "modify_pending_order_payment": (("order_id", "payment_method_id"), ()),
    "return_delivered_order_items": (("order_id", "item_ids", "payment_method_id"), ()),
    "exchange_delivered_order_items": (
        ("order_id", "item_ids", "new_item_ids", "payment_method_id"),
        (),
    ),
    "modify_user_address": (("user_id", *ADDRESS_ARGS), ()),
    "transfer_to_human_agents": (("summary",), ("reason", "priority", "user_id")),
}
RETAIL_ACTIONS = frozenset(name for name in ACTIONS if name != "transfer_to_human_agents")


def check_args(action: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an action's arguments; return a plain copy or raise ActionError."""
    if action not in ACTIONS:
        raise ActionError("unknown_action", f"unknown action {action!r}")
    required, optional = ACTIONS[action]
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
