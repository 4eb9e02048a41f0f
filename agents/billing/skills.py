"""The billing agent's skills: payment methods, payment history, receipts, refunds, gift cards
and the change of a pending order's payment method (a write through ``Store.apply``)."""

from __future__ import annotations

from typing import Any

from agents.billing.receipts import receipt, refund_status, refund_status_text
from agents.runtime.free_text import describe_payment_method
from agents.runtime.ownership import customer_user, owned_order, owned_payment_method
from agents.runtime.skills import Handlers, Skill, SkillContext, SkillOutcome
from domain import MODIFY_PAYMENT
from domain.arguments import (
    NoArguments,
    OptionalOrderRef,
    OptionalPaymentMethod,
    OrderRef,
    PaymentChangeArgs,
)
from store import ActionError

__all__ = ["HANDLERS", "SKILLS", "describe_payment_method"]

HANDLERS = Handlers("billing")


async def _describer(ctx: SkillContext, user_id: str) -> Any:
    user = await ctx.store.get_user(user_id)
    methods = user["payment_methods"] if user else {}

    def describe(pm_id: str) -> str:
        method = methods.get(pm_id)
        return describe_payment_method(method) if method else pm_id

    return describe


# ----------------------------------------------------------------------------- reads
@HANDLERS.handles("get_payment_methods")
async def get_payment_methods(_: NoArguments, ctx: SkillContext) -> SkillOutcome:
    user = await customer_user(ctx)
    methods = list(user["payment_methods"].values())
    text = "Payment methods on file: " + "; ".join(describe_payment_method(m) for m in methods)
    return SkillOutcome(data={"payment_methods": methods}, text=text)


@HANDLERS.handles("get_payment_history")
async def get_payment_history(args: OptionalOrderRef, ctx: SkillContext) -> SkillOutcome:
    if args.order_id is not None:
        orders = [await owned_order(ctx, args.order_id)]
    else:
        user = await customer_user(ctx)
        orders = await ctx.store.list_orders(user["user_id"])
    history = []
    for order in orders:
        describe = await _describer(ctx, order["user_id"])
        for entry in order["payment_history"]:
            history.append(
                {
                    "order_id": order["order_id"],
                    **entry,
                    "method": describe(entry["payment_method_id"]),
                }
            )
    text = "; ".join(
        f"{e['order_id']}: {e['transaction_type']} {e['amount']:.2f} ({e['method']})"
        for e in history
    )
    return SkillOutcome(data={"payment_history": history}, text=text or "No payments yet.")


@HANDLERS.handles("get_receipt")
async def get_receipt(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    invoice = receipt(order, await _describer(ctx, order["user_id"]))
    paid = ", ".join(f"{p['amount']:.2f} by {p['method']}" for p in invoice["payments"])
    text = (
        f"Receipt for {invoice['order_id']}: {len(invoice['lines'])} item(s), subtotal "
        f"{invoice['subtotal']:.2f}; paid {paid or 'nothing'}"
    )
    if invoice["refunds"]:
        text += f"; refunded {invoice['total_refunded']:.2f}"
    return SkillOutcome(data={"receipt": invoice}, text=f"{text}; net {invoice['net_paid']:.2f}.")


@HANDLERS.handles("get_refund_status")
async def get_refund_status(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    status = refund_status(order, await _describer(ctx, order["user_id"]))
    return SkillOutcome(data={"refund_status": status}, text=refund_status_text(status))


@HANDLERS.handles("get_gift_card_balance")
async def get_gift_card_balance(args: OptionalPaymentMethod, ctx: SkillContext) -> SkillOutcome:
    if args.payment_method_id is not None:
        method = await owned_payment_method(ctx, args.payment_method_id)
        if method["source"] != "gift_card":
            raise ActionError("not_a_gift_card", f"{args.payment_method_id} is not a gift card")
        cards = [method]
    else:
        user = await customer_user(ctx)
        cards = [m for m in user["payment_methods"].values() if m["source"] == "gift_card"]
    if not cards:
        return SkillOutcome(data={"gift_cards": []}, text="There is no gift card on file.")
    text = "; ".join(f"{c['id']}: balance {float(c['balance']):.2f}" for c in cards)
    return SkillOutcome(data={"gift_cards": cards}, text=f"Gift card balance: {text}.")


# ----------------------------------------------------------------------------- writes
@HANDLERS.handles(MODIFY_PAYMENT)
async def change_payment(args: PaymentChangeArgs, ctx: SkillContext) -> SkillOutcome:
    order = await ctx.store.apply(MODIFY_PAYMENT, args.model_dump(), ctx.write_context())
    describe = await _describer(ctx, order["user_id"])
    payment, refund = order["payment_history"][-2:]
    text = (
        f"Order {order['order_id']} is now paid by {describe(payment['payment_method_id'])}; "
        f"{refund['amount']:.2f} is refunded to {describe(refund['payment_method_id'])}."
    )
    return SkillOutcome(data={"order": order, "payment": payment, "refund": refund}, text=text)


SKILLS: tuple[Skill, ...] = HANDLERS.skills()
"""The billing agent's skills as registered at import (``HANDLERS.skills()`` rebinds)."""
