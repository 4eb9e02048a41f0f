"""The orders agent's skills: order reads (the mesh-foundation slice; writes follow)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from agents.runtime.ownership import owned_order, require_customer
from agents.runtime.skills import Skill, SkillContext, SkillOutcome


class OrderRef(BaseModel):
    order_id: str = Field(pattern=r"^#W\d{7}$")


class NoArguments(BaseModel):
    pass


async def get_order_details(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    items = ", ".join(item["name"] for item in order["items"])
    tracking = [t for f in order.get("fulfillments", []) for t in f.get("tracking_id", [])]
    text = f"Order {order['order_id']} is {order['status']} ({items})."
    if tracking:
        text += f" Tracking: {', '.join(tracking)}."
    return SkillOutcome(data={"order": order}, text=text)


async def list_orders(_: NoArguments, ctx: SkillContext) -> SkillOutcome:
    customer = require_customer(ctx)
    orders = await ctx.store.list_orders(customer)
    summary = [
        {"order_id": o["order_id"], "status": o["status"], "items": [i["name"] for i in o["items"]]}
        for o in orders
    ]
    text = "; ".join(f"{o['order_id']} ({o['status']})" for o in summary) or "No orders."
    return SkillOutcome(data={"orders": summary}, text=text)


SKILLS: tuple[Skill, ...] = (
    Skill(
        id="get_order_details",
        name="Order status",
        description="Status, items and tracking of one order of the customer.",
        kind="read",
        input_model=OrderRef,
        handler=get_order_details,
        examples=("Where is my order #W1000001?", "Has #W1000002 shipped yet?"),
        keywords=("where", "status", "track", "tracking", "shipped", "delivery", "arrive"),
    ),
    Skill(
        id="list_orders",
        name="List orders",
        description="The customer's orders with their statuses.",
        kind="read",
        input_model=NoArguments,
        handler=list_orders,
        examples=("What orders do I have?",),
        keywords=("orders", "list", "all"),
    ),
)
