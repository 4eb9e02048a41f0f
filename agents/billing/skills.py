"""The billing agent's skills: payment-method reads (the mesh-foundation slice)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from agents.runtime.ownership import require_customer
from agents.runtime.skills import Skill, SkillContext, SkillOutcome
from store import NotFound


class NoArguments(BaseModel):
    pass


def describe_payment_method(method: dict[str, Any]) -> str:
    source = method["source"]
    if source == "credit_card":
        return f"{method.get('brand', 'card').title()} ending {method.get('last_four', '????')}"
    if source == "gift_card":
        return f"gift card (balance {method.get('balance', 0):.2f})"
    return source.replace("_", " ")


async def get_payment_methods(_: NoArguments, ctx: SkillContext) -> SkillOutcome:
    customer = require_customer(ctx)
    user = await ctx.store.get_user(customer)
    if user is None:
        raise NotFound("user_not_found", f"customer {customer} not found")
    methods = list(user["payment_methods"].values())
    text = "Payment methods on file: " + "; ".join(describe_payment_method(m) for m in methods)
    return SkillOutcome(data={"payment_methods": methods}, text=text)


SKILLS: tuple[Skill, ...] = (
    Skill(
        id="get_payment_methods",
        name="Payment methods",
        description="The payment methods on the customer's account, with gift-card balances.",
        kind="read",
        input_model=NoArguments,
        handler=get_payment_methods,
        examples=("Which cards do I have on file?", "What is my gift card balance?"),
        keywords=("payment", "card", "cards", "paypal", "gift", "balance", "method", "methods"),
    ),
)
