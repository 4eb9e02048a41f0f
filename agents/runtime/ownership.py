"""Read-side ownership: a customer sees only their own orders, payment methods and handoffs.

Writes are checked by the store itself (and logged there). A refused read is logged here with
the same shape, outcome ``refused``, so every cross-customer attempt shows in the action log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from agents.runtime.skills import SkillContext
from store import NotFound, OwnershipError
from store.schema import ActionLog

NOT_OWNER = "not_owner"


def require_customer(ctx: SkillContext) -> str:
    if not ctx.customer_id:
        raise NotFound("customer_required", "this request needs a verified customer")
    return ctx.customer_id


async def customer_user(ctx: SkillContext) -> dict[str, Any]:
    """The verified customer's user record."""
    customer = require_customer(ctx)
    user = await ctx.store.get_user(customer)
    if user is None:
        raise NotFound("user_not_found", f"customer {customer} not found")
    return user


async def owned_order(ctx: SkillContext, order_id: str) -> dict[str, Any]:
    """The order, if it exists and (when a customer is known) belongs to that customer."""
    order = await ctx.store.get_order(order_id)
    if order is None:
        raise NotFound("order_not_found", f"order {order_id} not found")
    if ctx.customer_id is not None and order["user_id"] != ctx.customer_id:
        raise OwnershipError(NOT_OWNER, f"order {order_id} does not belong to this customer")
    return order


async def owned_payment_method(ctx: SkillContext, payment_method_id: str) -> dict[str, Any]:
    """One of the verified customer's payment methods (another's reads as not found)."""
    customer = require_customer(ctx)
    method = await ctx.store.get_payment_method(customer, payment_method_id)
    if method is None:
        raise NotFound("payment_method_not_found", f"payment method {payment_method_id} not found")
    return method


def require_owner(ctx: SkillContext, owner: str | None, what: str) -> None:
    if ctx.customer_id is not None and owner != ctx.customer_id:
        raise OwnershipError(NOT_OWNER, f"{what} does not belong to this customer")


async def log_refused_read(
    ctx: SkillContext, skill: str, arguments: dict[str, Any], error: OwnershipError
) -> None:
    """Record a refused read in the action log (no idempotency key: reads change nothing)."""
    row = {
        "action": skill,
        "arguments": arguments,
        "customer_id": ctx.customer_id,
        "ticket_id": ctx.ticket.ticket_id if ctx.ticket else None,
        "task_id": ctx.task_id,
        "idempotency_key": None,
        "outcome": error.outcome,
        "result": None,
        "error_code": error.code,
        "error": error.message,
    }
    async with ctx.store.engine.begin() as conn:
        await conn.execute(insert(ActionLog.__table__), [row])
