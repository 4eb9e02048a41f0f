"""State match: the store after a run against the gold replay of the expected writes.

The gold state is ``store.reference.replay`` on a fresh copy of the seed (a gold action that
fails its preconditions leaves the data unchanged, as in τ-bench). Every write action changes
only the order it names, that order's user (payment history, gift-card balances) or the user it
names, so the comparison covers every order and user named by a gold or an executed write and
the customer; records nothing wrote to cannot differ, and skipping them keeps the check at a few
milliseconds instead of a full export per scenario.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from store import Store, canonical, replay


def gold_state(
    seed: dict[str, Any], actions: Iterable[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    data, _errors = replay(seed, [{"name": name, "kwargs": args} for name, args in actions])
    return data


async def compare_state(
    store: Store,
    seed: dict[str, Any],
    gold_actions: list[tuple[str, dict[str, Any]]],
    written: list[dict[str, Any]],
    customer_id: str | None,
) -> dict[str, Any]:
    """{"match": bool, "diff": ["orders/#W….status", …]} over the records writes can touch."""
    gold = gold_state(seed, gold_actions)
    arguments = [args for _, args in gold_actions] + [row.get("args") or {} for row in written]
    order_ids = sorted({a["order_id"] for a in arguments if isinstance(a.get("order_id"), str)})
    user_ids = {a["user_id"] for a in arguments if isinstance(a.get("user_id"), str)}
    user_ids |= {seed["orders"][o]["user_id"] for o in order_ids if o in seed["orders"]}
    if customer_id:
        user_ids.add(customer_id)
    diff: list[str] = []
    for order_id in order_ids:
        actual = await store.get_order(order_id)
        diff += _differences(f"orders/{order_id}", gold["orders"].get(order_id), actual)
    for user_id in sorted(user_ids):
        expected = gold["users"].get(user_id)
        actual = await store.get_user(user_id)
        if actual is not None and expected is not None and "user_id" not in expected:
            actual = {k: v for k, v in actual.items() if k != "user_id"}
        diff += _differences(f"users/{user_id}", expected, actual)
    return {"match": not diff, "diff": diff}


def _differences(path: str, expected: Any, actual: Any) -> list[str]:
    if canonical(expected) == canonical(actual):
        return []
    if not isinstance(expected, dict) or not isinstance(actual, dict):
        return [path]
    keys = sorted(set(expected) | set(actual))
    return [
        f"{path}.{key}"
        for key in keys
        if canonical(expected.get(key)) != canonical(actual.get(key))
    ]
