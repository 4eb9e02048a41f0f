"""The orders agent's skills: order and product reads, variant lookup and order changes.

Write skills take exactly the τ-bench action's arguments and run through ``Store.apply`` under
the action's canonical name (exactly once per ticket step; the store enforces ownership).
The account address (``modify_user_address``) lives here too: addresses are shipping data.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agents.orders.variants import describe_options, find_product, match_variants
from agents.runtime.free_text import order_ids_in
from agents.runtime.ownership import owned_order, require_customer
from agents.runtime.skills import (
    AddressLine,
    Arguments,
    ItemIds,
    NoArguments,
    OrderId,
    OrderRef,
    PaymentMethodId,
    ProductId,
    Skill,
    SkillContext,
    SkillOutcome,
)
from store import NotFound

ADDRESS_KEYWORDS = (
    "address",
    "ship to",
    "shipping address",
    "delivery address",
    "deliver to",
    "ship",
    "go to",
)


# ----------------------------------------------------------------------------- inputs
class ProductRef(Arguments):
    product_id: ProductId


class FindItemArgs(Arguments):
    product: str = Field(
        min_length=1,
        max_length=200,
        description="product id, product name, or the item id of a variant of it",
    )
    description: str | None = Field(
        default=None, max_length=1000, description="the wanted options in words"
    )
    options: dict[str, str] | None = Field(default=None, description="exact option values")
    order_id: OrderId | None = Field(
        default=None, description="order whose item of this product is the base to change"
    )


class CancelArgs(Arguments):
    order_id: OrderId
    reason: str = Field(min_length=1, max_length=100)


class ItemsChangeArgs(Arguments):
    order_id: OrderId
    item_ids: ItemIds
    new_item_ids: ItemIds
    payment_method_id: PaymentMethodId


class ReturnArgs(Arguments):
    order_id: OrderId
    item_ids: ItemIds
    payment_method_id: PaymentMethodId


class Address(Arguments):
    address1: AddressLine = Field(min_length=1)
    address2: AddressLine
    city: AddressLine = Field(min_length=1)
    state: AddressLine = Field(min_length=1)
    country: AddressLine = Field(min_length=1)
    zip: AddressLine = Field(min_length=1)


class OrderAddressArgs(Address):
    order_id: OrderId


class UserAddressArgs(Address):
    user_id: str = Field(min_length=1, max_length=200)


# ----------------------------------------------------------------------------- reads
def _items_text(order: dict[str, Any]) -> str:
    return ", ".join(item["name"] for item in order["items"])


async def get_order_details(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    tracking = [t for f in order.get("fulfillments", []) for t in f.get("tracking_id", [])]
    text = f"Order {order['order_id']} is {order['status']} ({_items_text(order)})."
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


async def get_product_details(args: ProductRef, ctx: SkillContext) -> SkillOutcome:
    product = await ctx.store.get_product(args.product_id)
    if product is None:
        raise NotFound("product_not_found", f"product {args.product_id} not found")
    variants = list(product["variants"].values())
    available = [v for v in variants if v["available"]]
    prices = [v["price"] for v in available]
    text = f"{product['name']}: {len(available)} of {len(variants)} variants available"
    if prices:
        text += f", {min(prices):.2f} to {max(prices):.2f}"
    offered = _offered_options(available)
    if offered:
        text += f"; in stock: {offered}"
    return SkillOutcome(data={"product": product}, text=text + ".")


def _offered_options(variants: list[dict[str, Any]]) -> str:
    """ "thickness 4mm, 6mm; material rubber": each option with the values in stock."""
    values: dict[str, dict[str, None]] = {}
    for variant in variants:
        for key, value in variant["options"].items():
            values.setdefault(key, {})[str(value)] = None
    return "; ".join(f"{key} {', '.join(found)}" for key, found in values.items())


async def find_item(args: FindItemArgs, ctx: SkillContext) -> SkillOutcome:
    products = await ctx.store.list_products()
    product = find_product(products, args.product)
    if product is None:
        raise NotFound("product_not_found", f"no product matches {args.product!r}")
    base = await _base_item(ctx, args, product)
    match = match_variants(
        product,
        description=args.description,
        options=args.options,
        base_options=base["options"] if base else None,
    )
    data = {
        "product_id": product["product_id"],
        "product_name": product["name"],
        "item_id": match.item_id,
        "candidates": match.candidates,
        "unavailable": match.unavailable,
        "alternatives": match.alternatives,
        "understood": match.understood,
        "base_item_id": base["item_id"] if base else None,
    }
    return SkillOutcome(data=data, text=_find_item_text(product["name"], match))


async def _base_item(
    ctx: SkillContext, args: FindItemArgs, product: dict[str, Any]
) -> dict[str, Any] | None:
    if args.order_id is None:
        return None
    order = await owned_order(ctx, args.order_id)
    same = [i for i in order["items"] if i["product_id"] == product["product_id"]]
    exact = [i for i in same if i["item_id"] == args.product]
    return (exact or same or [None])[0]


def _find_item_text(name: str, match: Any) -> str:
    if len(match.candidates) == 1:
        variant = match.candidates[0]
        return (
            f"{name} ({describe_options(variant['options'])}) is item {variant['item_id']}, "
            f"{variant['price']:.2f}, available."
        )
    if match.candidates:
        listed = "; ".join(
            f"{describe_options(v['options'])} = {v['item_id']}" for v in match.candidates[:8]
        )
        more = f" and {len(match.candidates) - 8} more" if len(match.candidates) > 8 else ""
        return f"{len(match.candidates)} {name} variants fit: {listed}{more}. Which one?"
    if match.unavailable:
        listed = "; ".join(describe_options(v["options"]) for v in match.unavailable[:4])
        text = f"The {name} in {listed} exists but is not available."
        if match.alternatives:
            closest = "; ".join(
                f"{describe_options(v['options'])} = {v['item_id']}" for v in match.alternatives[:4]
            )
            text += f" Closest available: {closest}."
        return text
    return f"No available {name} variant fits that description."


# ----------------------------------------------------------------------------- writes
async def _apply(ctx: SkillContext, action: str, args: Arguments) -> dict[str, Any]:
    return await ctx.store.apply(action, args.model_dump(), ctx.write_context())


def _money(amount: float) -> str:
    return f"{amount:.2f}"


async def cancel_pending_order(args: CancelArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, "cancel_pending_order", args)
    refunds = [e for e in order["payment_history"] if e["transaction_type"] == "refund"]
    total = round(sum(e["amount"] for e in refunds), 2)
    text = f"Order {order['order_id']} is cancelled ({args.reason})"
    text += (
        f"; {_money(total)} will be refunded to the original payment method." if refunds else "."
    )
    return SkillOutcome(data={"order": order, "refunds": refunds}, text=text)


async def modify_pending_order_items(args: ItemsChangeArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, "modify_pending_order_items", args)
    last = order["payment_history"][-1]
    verb = "charged" if last["transaction_type"] == "payment" else "refunded"
    text = (
        f"Order {order['order_id']} now has the new item(s); {_money(last['amount'])} "
        f"{verb} ({last['payment_method_id']})."
    )
    return SkillOutcome(data={"order": order, "payment": last}, text=text)


async def modify_pending_order_address(args: OrderAddressArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, "modify_pending_order_address", args)
    address = order["address"]
    text = f"Order {order['order_id']} will ship to {address['address1']}, {address['city']}."
    return SkillOutcome(data={"order": order}, text=text)


async def return_delivered_order_items(args: ReturnArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, "return_delivered_order_items", args)
    text = (
        f"Return of {len(args.item_ids)} item(s) from {order['order_id']} is requested; the "
        f"refund goes to {args.payment_method_id} once they arrive."
    )
    return SkillOutcome(data={"order": order}, text=text)


async def exchange_delivered_order_items(args: ItemsChangeArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, "exchange_delivered_order_items", args)
    diff = float(order.get("exchange_price_difference", 0))
    money = (
        f"you pay {_money(diff)}" if diff > 0 else f"you get {_money(-diff)} back" if diff else ""
    )
    text = f"Exchange of {len(args.item_ids)} item(s) from {order['order_id']} is requested"
    text += f"; {money} ({args.payment_method_id})." if money else "."
    return SkillOutcome(data={"order": order}, text=text)


async def modify_user_address(args: UserAddressArgs, ctx: SkillContext) -> SkillOutcome:
    user = await _apply(ctx, "modify_user_address", args)
    address = user["address"]
    text = f"The default address of {args.user_id} is now {address['address1']}, {address['city']}."
    return SkillOutcome(data={"user": user}, text=text)


# ----------------------------------------------------------------------------- free text
async def _new_items_from_words(text: str, resolver: Any, arguments: dict[str, Any]) -> dict:
    """ "Exchange the boots for size 10": resolve each replaced item's new variant in words.

    Only a single available variant that differs from the item counts; otherwise the argument
    stays missing and the question lists the candidates.
    """
    if "new_item_ids" in arguments or not arguments.get("item_ids"):
        return arguments
    order = await resolver.order(arguments["order_id"]) if arguments.get("order_id") else None
    if order is None:
        return arguments
    products = {p["product_id"]: p for p in await resolver.products()}
    without_ids = text
    for order_id in order_ids_in(text):
        without_ids = without_ids.replace(order_id, " ")
    new_ids = []
    for item_id in arguments["item_ids"]:
        item = next((i for i in order["items"] if i["item_id"] == item_id), None)
        product = products.get(item["product_id"]) if item else None
        if item is None or product is None:
            return arguments
        match = match_variants(product, description=without_ids, base_options=item["options"])
        if match.item_id is None or match.item_id == item_id or not match.understood:
            return arguments
        new_ids.append(match.item_id)
    return {**arguments, "new_item_ids": new_ids}


# ----------------------------------------------------------------------------- the skills
SKILLS: tuple[Skill, ...] = (
    Skill(
        id="get_order_details",
        name="Order status",
        description="Status, items, tracking and payments of one order of the customer.",
        kind="read",
        input_model=OrderRef,
        handler=get_order_details,
        examples=(
            "Where is my order #W1000001?",
            "Has #W1000002 shipped yet? I'd like the tracking number.",
            "can you check the status of order W1000003 for me",
        ),
        keywords=("where", "status", "track", "shipped", "delivery", "arrive", "details"),
    ),
    Skill(
        id="list_orders",
        name="List orders",
        description="The customer's orders with their statuses and items.",
        kind="read",
        input_model=NoArguments,
        handler=list_orders,
        examples=(
            "What orders do I have?",
            "Show me all my recent orders please.",
            "I forgot my order number, can you list what I bought?",
        ),
        keywords=(
            "my orders",
            "orders",
            "what orders",
            "recent orders",
            "list",
            "what i bought",
            "order number",
        ),
    ),
    Skill(
        id="get_product_details",
        name="Product details",
        description="A product with all its variants: options, prices and availability.",
        kind="read",
        input_model=ProductRef,
        handler=get_product_details,
        examples=(
            "What options does product 6086499569 come in?",
            "Which colors and sizes of the T-Shirt are in stock?",
            "How much do the different hiking boots cost?",
        ),
        keywords=("options", "in stock", "available", "variants", "colors", "sizes", "cost"),
    ),
    Skill(
        id="find_item",
        name="Find an item",
        description="Resolves a product and an option description ('the black one in size 10', "
        "or exact options) to the matching available variant(s): one item id, or candidates.",
        kind="read",
        input_model=FindItemArgs,
        handler=find_item,
        examples=(
            "Do you have the hiking boots in size 10, leather?",
            "I want the black T-Shirt in size XL instead, what's the item id?",
            "Is there a water bottle with 1000ml capacity in steel?",
        ),
        keywords=("do you have", "is there", "in size", "in black", "which one", "item id"),
    ),
    Skill(
        id="cancel_pending_order",
        name="Cancel a pending order",
        description="Cancels a pending order (reason: 'no longer needed' or 'ordered by mistake') "
        "and refunds every payment to its method; gift cards are credited at once.",
        kind="write",
        input_model=CancelArgs,
        handler=cancel_pending_order,
        examples=(
            "Please cancel order #W1000004, I no longer need it.",
            "I ordered #W1000005 by mistake, can you cancel it?",
            "Cancel my pending order, I don't need it anymore.",
        ),
        keywords=("cancel", "cancellation", "call off"),
        order_statuses=("pending",),
        action="cancel the order",
    ),
    Skill(
        id="modify_pending_order_items",
        name="Change items of a pending order",
        description="Swaps items of a pending order for other available variants of the same "
        "product (once per order); the price difference is charged or refunded.",
        kind="write",
        input_model=ItemsChangeArgs,
        handler=modify_pending_order_items,
        examples=(
            "Before it ships, can I change the T-Shirt in #W1000004 to size L?",
            "Please switch the hiking boots in my pending order to the synthetic ones, "
            "charge my gift card.",
            "I want a different color for the lamp I just ordered.",
        ),
        keywords=(
            "change the",
            "switch",
            "swap",
            "modify",
            "different color",
            "different size",
            "before it ships",
            "just ordered",
        ),
        order_statuses=("pending",),
        action="change the items",
        free_text_hook=_new_items_from_words,
    ),
    Skill(
        id="modify_pending_order_address",
        name="Change a pending order's address",
        description="Changes the shipping address of a pending order.",
        kind="write",
        input_model=OrderAddressArgs,
        handler=modify_pending_order_address,
        examples=(
            "Ship #W1000004 to 12 Oak Street, Apt 3, Austin, TX, USA, 78701 instead.",
            "I gave the wrong address for my order, it should go to my office.",
            "Can you update the delivery address on order W1000005?",
        ),
        keywords=(*ADDRESS_KEYWORDS, "order address", "shipping"),
        order_statuses=("pending",),
        action="change the order's address",
    ),
    Skill(
        id="return_delivered_order_items",
        name="Return delivered items",
        description="Requests the return of delivered items; the refund goes to the original "
        "payment method or a gift card.",
        kind="write",
        input_model=ReturnArgs,
        handler=return_delivered_order_items,
        examples=(
            "I want to return the sunglasses from #W1000002, refund to my original card.",
            "The boots don't fit, please return them and put the money on my gift card.",
            "How do I send back an item I received last week?",
        ),
        keywords=("return", "send back", "refund", "money back"),
        order_statuses=("delivered",),
        action="return the items",
    ),
    Skill(
        id="exchange_delivered_order_items",
        name="Exchange delivered items",
        description="Requests an exchange of delivered items for other available variants of "
        "the same product (once per order); the price difference is settled by a method.",
        kind="write",
        input_model=ItemsChangeArgs,
        handler=exchange_delivered_order_items,
        examples=(
            "The shirt from #W1000007 is too small, can I exchange it for a large?",
            "I'd like to exchange my delivered earbuds for the white ones.",
            "Can I swap the sunglasses I got for the polarized version?",
        ),
        keywords=(
            "exchange",
            "too small",
            "too big",
            "doesn't fit",
            "replace",
            "i got",
            "i received",
            "delivered",
        ),
        order_statuses=("delivered",),
        action="exchange the items",
        free_text_hook=_new_items_from_words,
    ),
    Skill(
        id="modify_user_address",
        name="Change the account address",
        description="Changes the default (account) address of the customer.",
        kind="write",
        input_model=UserAddressArgs,
        handler=modify_user_address,
        examples=(
            "I moved: my address is now 5 Elm Road, Unit 2, Boston, MA, USA, 02118.",
            "Please update the default address on my account.",
            "Change my profile address to my new apartment.",
        ),
        keywords=("default address", "account address", "my address", "profile", "moved"),
        action="change your account address",
    ),
)
