"""The billing agent's skills: payment methods, payment history, receipts, refunds, gift cards
and the change of a pending order's payment method (a write through ``Store.apply``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agents.billing.receipts import receipt, refund_status, refund_status_text
from agents.runtime.free_text import describe_payment_method
from agents.runtime.ownership import customer_user, owned_order, owned_payment_method
from agents.runtime.skills import (
    Arguments,
    NoArguments,
    OrderId,
    OrderRef,
    PaymentMethodId,
    Skill,
    SkillContext,
    SkillOutcome,
)
from store import ActionError

__all__ = ["SKILLS", "describe_payment_method"]


class OptionalOrderRef(Arguments):
    order_id: OrderId | None = None


class OptionalPaymentMethod(Arguments):
    payment_method_id: PaymentMethodId | None = None


class PaymentChangeArgs(Arguments):
    order_id: OrderId
    payment_method_id: PaymentMethodId = Field(description="the new payment method")


async def _describer(ctx: SkillContext, user_id: str) -> Any:
    user = await ctx.store.get_user(user_id)
    methods = user["payment_methods"] if user else {}

    def describe(pm_id: str) -> str:
        method = methods.get(pm_id)
        return describe_payment_method(method) if method else pm_id

    return describe


# ----------------------------------------------------------------------------- reads
async def get_payment_methods(_: NoArguments, ctx: SkillContext) -> SkillOutcome:
    user = await customer_user(ctx)
    methods = list(user["payment_methods"].values())
    text = "Payment methods on file: " + "; ".join(describe_payment_method(m) for m in methods)
    return SkillOutcome(data={"payment_methods": methods}, text=text)


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


async def get_refund_status(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    status = refund_status(order, await _describer(ctx, order["user_id"]))
    return SkillOutcome(data={"refund_status": status}, text=refund_status_text(status))


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
async def modify_pending_order_payment(args: PaymentChangeArgs, ctx: SkillContext) -> SkillOutcome:
    order = await ctx.store.apply(
        "modify_pending_order_payment", args.model_dump(), ctx.write_context()
    )
    describe = await _describer(ctx, order["user_id"])
    payment, refund = order["payment_history"][-2:]
    text = (
        f"Order {order['order_id']} is now paid by {describe(payment['payment_method_id'])}; "
        f"{refund['amount']:.2f} is refunded to {describe(refund['payment_method_id'])}."
    )
    return SkillOutcome(data={"order": order, "payment": payment, "refund": refund}, text=text)


SKILLS: tuple[Skill, ...] = (
    Skill(
        id="get_payment_methods",
        name="Payment methods",
        description="The payment methods on the customer's account, with gift-card balances.",
        kind="read",
        input_model=NoArguments,
        handler=get_payment_methods,
        examples=(
            "Which cards do I have on file?",
            "What payment methods are saved on my account?",
            "Do you still have my PayPal linked?",
        ),
        keywords=("payment methods", "cards on file", "on file", "saved", "linked", "methods"),
    ),
    Skill(
        id="get_payment_history",
        name="Payment history",
        description="Payments and refunds of one order, or of all the customer's orders.",
        kind="read",
        input_model=OptionalOrderRef,
        handler=get_payment_history,
        examples=(
            "What have I been charged for order #W1000001?",
            "Show me my payment history.",
            "Was I charged twice for my last order?",
        ),
        keywords=("history", "charged", "charges", "transactions", "payments", "billed"),
        order_statuses=(),
    ),
    Skill(
        id="get_receipt",
        name="Receipt",
        description="An invoice of one order: items, subtotal, payments, refunds and net paid.",
        kind="read",
        input_model=OrderRef,
        handler=get_receipt,
        examples=(
            "Can I get a receipt for #W1000002?",
            "I need an invoice for my order W1000001 for my expense report.",
            "Send me the itemized bill of my last purchase.",
        ),
        keywords=("receipt", "invoice", "bill", "itemized", "expense"),
    ),
    Skill(
        id="modify_pending_order_payment",
        name="Change a pending order's payment method",
        description="Pays a pending order with another of the customer's payment methods and "
        "refunds the original payment (gift cards must cover the amount).",
        kind="write",
        input_model=PaymentChangeArgs,
        handler=modify_pending_order_payment,
        examples=(
            "Please charge #W1000001 to my gift card instead of my Visa.",
            "Can I pay for order W1000004 with PayPal instead?",
            "I'd like to switch the card used for my pending order to the one ending 4407.",
        ),
        keywords=(
            "pay with",
            "pay for",
            "charge",
            "instead",
            "switch the card",
            "change the card",
            "change payment",
            "change the payment",
            "different card",
        ),
        order_statuses=("pending",),
        action="change the order's payment method",
    ),
    Skill(
        id="get_refund_status",
        name="Refund status",
        description="Refunds of an order so far and the refund still due for a requested return.",
        kind="read",
        input_model=OrderRef,
        handler=get_refund_status,
        examples=(
            "Where is my refund for #W1000010?",
            "Did you refund the order I cancelled?",
            "When will I get my money back for the return on W1000008?",
        ),
        keywords=("refund", "refunded", "money back", "reimburse"),
    ),
    Skill(
        id="get_gift_card_balance",
        name="Gift card balance",
        description="The balance of the customer's gift card(s).",
        kind="read",
        input_model=OptionalPaymentMethod,
        handler=get_gift_card_balance,
        examples=(
            "What is my gift card balance?",
            "How much is left on gift_card_7583025?",
            "Do I have any store credit left?",
        ),
        keywords=("gift card", "balance", "store credit", "left on"),
    ),
)
