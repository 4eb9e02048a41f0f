"""Helpers shared by the store tests: pick demo entities and check store against the oracle."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from store import ActionError, Store, WriteContext, apply_action, canonical

ADDRESS = {
    "address1": "1 Test Street",
    "address2": "Apt 2",
    "city": "Springfield",
    "state": "IL",
    "country": "USA",
    "zip": "62701",
}


def orders_where(data: dict[str, Any], status: str, source: str | None = None) -> list[dict]:
    """Orders with ``status`` whose first payment used a method of ``source``."""
    found = []
    for order in data["orders"].values():
        if order["status"] != status:
            continue
        methods = data["users"][order["user_id"]]["payment_methods"]
        first = methods[order["payment_history"][0]["payment_method_id"]]
        if source is None or first["source"] == source:
            found.append(order)
    return found


def method_of(data: dict[str, Any], user_id: str, source: str, exclude: str = "") -> str | None:
    for pm_id, pm in data["users"][user_id]["payment_methods"].items():
        if pm["source"] == source and pm_id != exclude:
            return pm_id
    return None


def swap_for(data: dict[str, Any], item: dict[str, Any], *, available: bool = True) -> str | None:
    """Another variant of the item's product with the given availability."""
    for item_id, variant in data["products"][item["product_id"]]["variants"].items():
        if item_id != item["item_id"] and variant["available"] is available:
            return item_id
    return None


def other_product_variant(data: dict[str, Any], item: dict[str, Any]) -> str:
    for product_id, product in data["products"].items():
        if product_id != item["product_id"]:
            return next(iter(product["variants"]))
    raise AssertionError("need two products")


async def apply_checked(
    store: Store,
    data: dict[str, Any],
    action: str,
    args: dict[str, Any],
    ctx: WriteContext | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply through the store and the oracle; assert identical states. Returns (result, data)."""
    expected = apply_action(data, action, args)
    result = await store.apply(action, copy.deepcopy(args), ctx or WriteContext())
    exported = await store.export()
    assert canonical(exported) == canonical(expected)
    return result, expected


async def expect_failure(
    store: Store,
    data: dict[str, Any],
    action: str,
    args: dict[str, Any],
    code: str,
    *,
    ctx: WriteContext | None = None,
    error: type[ActionError] = ActionError,
    oracle: bool = True,
) -> ActionError:
    """The store refuses with ``error``/``code``, logs it, and leaves the data unchanged."""
    if oracle:
        with pytest.raises(ActionError) as ref:
            apply_action(data, action, args)
        assert ref.value.code == code
    before = canonical(await store.export())
    with pytest.raises(error) as exc:
        await store.apply(action, copy.deepcopy(args), ctx or WriteContext())
    assert exc.value.code == code
    assert canonical(await store.export()) == before
    last = (await store.action_log())[-1]
    assert last["action"] == action
    assert last["outcome"] == exc.value.outcome
    assert last["error_code"] == code
    return exc.value
