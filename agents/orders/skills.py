"""The orders agent's skills: order and product reads, variant lookup and order changes.

Write skills take exactly the τ-bench action's arguments and run through ``Store.apply`` under
the action's canonical name (exactly once per ticket step; the store enforces ownership).
The account address change lives here too: addresses are shipping data.
"""

from __future__ import annotations

from typing import Any

from agents.orders.variants import describe_options, find_product, match_variants
from agents.runtime.free_text import order_ids_in
from agents.runtime.ownership import owned_order, require_customer
from agents.runtime.skills import Handlers, Skill, SkillContext, SkillOutcome
from domain import CANCEL, EXCHANGE, MODIFY_ITEMS, ORDER_ADDRESS, RETURN, USER_ADDRESS
from domain.arguments import (
    Arguments,
    CancelArgs,
    FindItemArgs,
    ItemsChangeArgs,
    NoArguments,
    OrderAddressArgs,
    OrderRef,
    ProductRef,
    ReturnArgs,
    UserAddressArgs,
)
from store import NotFound

HANDLERS = Handlers("orders")


# ----------------------------------------------------------------------------- reads
def _items_text(order: dict[str, Any]) -> str:
    return ", ".join(item["name"] for item in order["items"])


@HANDLERS.handles("get_order_details")
async def get_order_details(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    tracking = [t for f in order.get("fulfillments", []) for t in f.get("tracking_id", [])]
    text = f"Order {order['order_id']} is {order['status']} ({_items_text(order)})."
    if tracking:
        text += f" Tracking: {', '.join(tracking)}."
    return SkillOutcome(data={"order": order}, text=text)


@HANDLERS.handles("list_orders")
async def list_orders(_: NoArguments, ctx: SkillContext) -> SkillOutcome:
    customer = require_customer(ctx)
    orders = await ctx.store.list_orders(customer)
    summary = [
        {"order_id": o["order_id"], "status": o["status"], "items": [i["name"] for i in o["items"]]}
        for o in orders
    ]
    text = "; ".join(f"{o['order_id']} ({o['status']})" for o in summary) or "No orders."
    return SkillOutcome(data={"orders": summary}, text=text)


@HANDLERS.handles("get_product_details")
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


@HANDLERS.handles("find_item")
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


# ----------------------------------------------------------------------------- writes
async def _apply(ctx: SkillContext, action: str, args: Arguments) -> dict[str, Any]:
    return await ctx.store.apply(action, args.model_dump(), ctx.write_context())


def _money(amount: float) -> str:
    return f"{amount:.2f}"


@HANDLERS.handles(CANCEL)
async def cancel(args: CancelArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, CANCEL, args)
    refunds = [e for e in order["payment_history"] if e["transaction_type"] == "refund"]
    total = round(sum(e["amount"] for e in refunds), 2)
    text = f"Order {order['order_id']} is cancelled ({args.reason})"
    text += (
        f"; {_money(total)} will be refunded to the original payment method." if refunds else "."
    )
    return SkillOutcome(data={"order": order, "refunds": refunds}, text=text)


@HANDLERS.handles(MODIFY_ITEMS, free_text=_new_items_from_words)
async def modify_items(args: ItemsChangeArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, MODIFY_ITEMS, args)
    last = order["payment_history"][-1]
    verb = "charged" if last["transaction_type"] == "payment" else "refunded"
    text = (
        f"Order {order['order_id']} now has the new item(s); {_money(last['amount'])} "
        f"{verb} ({last['payment_method_id']})."
    )
    return SkillOutcome(data={"order": order, "payment": last}, text=text)


@HANDLERS.handles(ORDER_ADDRESS)
async def modify_order_address(args: OrderAddressArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, ORDER_ADDRESS, args)
    address = order["address"]
    text = f"Order {order['order_id']} will ship to {address['address1']}, {address['city']}."
    return SkillOutcome(data={"order": order}, text=text)


@HANDLERS.handles(RETURN)
async def return_items(args: ReturnArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, RETURN, args)
    text = (
        f"Return of {len(args.item_ids)} item(s) from {order['order_id']} is requested; the "
        f"refund goes to {args.payment_method_id} once they arrive."
    )
    return SkillOutcome(data={"order": order}, text=text)


@HANDLERS.handles(EXCHANGE, free_text=_new_items_from_words)
async def exchange_items(args: ItemsChangeArgs, ctx: SkillContext) -> SkillOutcome:
    order = await _apply(ctx, EXCHANGE, args)
    diff = float(order.get("exchange_price_difference", 0))
    money = (
        f"you pay {_money(diff)}" if diff > 0 else f"you get {_money(-diff)} back" if diff else ""
    )
    text = f"Exchange of {len(args.item_ids)} item(s) from {order['order_id']} is requested"
    text += f"; {money} ({args.payment_method_id})." if money else "."
    return SkillOutcome(data={"order": order}, text=text)


@HANDLERS.handles(USER_ADDRESS)
async def modify_account_address(args: UserAddressArgs, ctx: SkillContext) -> SkillOutcome:
    user = await _apply(ctx, USER_ADDRESS, args)
    address = user["address"]
    text = f"The default address of {args.user_id} is now {address['address1']}, {address['city']}."
    return SkillOutcome(data={"user": user}, text=text)


SKILLS: tuple[Skill, ...] = HANDLERS.skills()
"""The orders agent's skills as registered at import (``HANDLERS.skills()`` rebinds)."""
