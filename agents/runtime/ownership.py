"""Read-side ownership: a customer sees only their own orders and payment methods."""

from __future__ import annotations

from typing import Any

from agents.runtime.skills import SkillContext
from store import NotFound, OwnershipError


def require_customer(ctx: SkillContext) -> str:
    if not ctx.customer_id:
        raise NotFound("customer_required", "this request needs a verified customer")
    return ctx.customer_id


async def owned_order(ctx: SkillContext, order_id: str) -> dict[str, Any]:
    """The order, if it exists and (when a customer is known) belongs to that customer."""
    order = await ctx.store.get_order(order_id)
    if order is None:
        raise NotFound("order_not_found", f"order {order_id} not found")
    if ctx.customer_id is not None and order["user_id"] != ctx.customer_id:
        raise OwnershipError("not_owner", f"order {order_id} does not belong to this customer")
    return order
