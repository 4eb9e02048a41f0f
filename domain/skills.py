"""The mesh's skills, each defined once: the registry every layer reads (``SKILLS``).

Retail semantics (statuses, money) follow ``../shared/spec/retail-actions.md``. Adding a skill is
one ``SkillDef`` here plus its handler in the owning agent (``agents/<agent>/skills.py``): the
card, the planners' catalog, the plan policy, the capability gate, the store's argument check
and result validation all pick it up from this registry.
"""

from __future__ import annotations

from domain import arguments as a
from domain import statuses as st
from domain.money import MoneyEffect
from domain.registry import SkillDef, SkillRegistry

# the write skills' canonical names (τ-bench action names; the audit log records them)
CANCEL = "cancel_pending_order"
MODIFY_ITEMS = "modify_pending_order_items"
ORDER_ADDRESS = "modify_pending_order_address"
MODIFY_PAYMENT = "modify_pending_order_payment"
RETURN = "return_delivered_order_items"
EXCHANGE = "exchange_delivered_order_items"
USER_ADDRESS = "modify_user_address"
HANDOFF = "transfer_to_human_agents"

ADDRESS_KEYWORDS = (
    "address",
    "ship to",
    "shipping address",
    "delivery address",
    "deliver to",
    "ship",
    "go to",
)
ORDER_RESULT = {"order": dict}

_ORDERS = (
    SkillDef(
        id="get_order_details",
        agent="orders",
        kind="read",
        arguments=a.OrderRef,
        name="Order status",
        description="Status, items, tracking and payments of one order of the customer.",
        examples=(
            "Where is my order #W1000001?",
            "Has #W1000002 shipped yet? I'd like the tracking number.",
            "can you check the status of order W1000003 for me",
        ),
        keywords=("where", "status", "track", "shipped", "delivery", "arrive", "details"),
        llm_arguments="order_id",
        result=ORDER_RESULT,
    ),
    SkillDef(
        id="list_orders",
        agent="orders",
        kind="read",
        arguments=a.NoArguments,
        name="List orders",
        description="The customer's orders with their statuses and items.",
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
        result={"orders": list},
    ),
    SkillDef(
        id="get_product_details",
        agent="orders",
        kind="read",
        arguments=a.ProductRef,
        name="Product details",
        description="A product with all its variants: options, prices and availability.",
        examples=(
            "What options does product 6086499569 come in?",
            "Which colors and sizes of the T-Shirt are in stock?",
            "How much do the different hiking boots cost?",
        ),
        keywords=("options", "in stock", "available", "variants", "colors", "sizes", "cost"),
        llm_arguments="product_id",
        result={"product": dict},
    ),
    SkillDef(
        id="find_item",
        agent="orders",
        kind="read",
        arguments=a.FindItemArgs,
        name="Find an item",
        description="Resolves a product and an option description ('the black one in size 10', "
        "or exact options) to the matching available variant(s): one item id, or candidates.",
        examples=(
            "Do you have the hiking boots in size 10, leather?",
            "I want the black T-Shirt in size XL instead, what's the item id?",
            "Is there a water bottle with 1000ml capacity in steel?",
        ),
        keywords=("do you have", "is there", "in size", "in black", "which one", "item id"),
        llm_arguments="product_id, options",
    ),
    SkillDef(
        id=CANCEL,
        agent="orders",
        kind="write",
        arguments=a.CancelArgs,
        name="Cancel a pending order",
        description="Cancels a pending order (reason: 'no longer needed' or 'ordered by mistake') "
        "and refunds every payment to its method; gift cards are credited at once.",
        examples=(
            "Please cancel order #W1000004, I no longer need it.",
            "I ordered #W1000005 by mistake, can you cancel it?",
            "Cancel my pending order, I don't need it anymore.",
        ),
        keywords=("cancel", "cancellation", "call off"),
        action="cancel the order",
        reply="cancel {order_id}",
        llm_arguments="order_id, reason ('no longer needed' or 'ordered by mistake')",
        requires_status=st.PENDING,
        leaves_status=st.CANCELLED,
        money=MoneyEffect.REFUND_PAYMENTS,
        reversible=False,
        excludes_all=True,
        result=ORDER_RESULT,
    ),
    SkillDef(
        id=MODIFY_ITEMS,
        agent="orders",
        kind="write",
        arguments=a.ItemsChangeArgs,
        name="Change items of a pending order",
        description="Swaps items of a pending order for other available variants of the same "
        "product (once per order); the price difference is charged or refunded.",
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
        action="change the items",
        reply="change the items of {order_id}",
        llm_arguments="order_id, item_ids, new_item_ids, payment_method_id",
        requires_status=st.PENDING,
        leaves_status=st.ITEM_MODIFIED,
        money=MoneyEffect.SETTLE_DIFFERENCE,
        reversible=False,
        item_change=True,
        result=ORDER_RESULT,
    ),
    SkillDef(
        id=ORDER_ADDRESS,
        agent="orders",
        kind="write",
        arguments=a.OrderAddressArgs,
        name="Change a pending order's address",
        description="Changes the shipping address of a pending order.",
        examples=(
            "Ship #W1000004 to 12 Oak Street, Apt 3, Austin, TX, USA, 78701 instead.",
            "I gave the wrong address for my order, it should go to my office.",
            "Can you update the delivery address on order W1000005?",
        ),
        keywords=(*ADDRESS_KEYWORDS, "order address", "shipping"),
        action="change the order's address",
        reply="change the address of {order_id}",
        llm_arguments="order_id, address1, address2, city, state, country, zip",
        requires_status=st.PENDING,
        result=ORDER_RESULT,
    ),
    SkillDef(
        id=RETURN,
        agent="orders",
        kind="write",
        arguments=a.ReturnArgs,
        name="Return delivered items",
        description="Requests the return of delivered items; the refund goes to the original "
        "payment method or a gift card.",
        examples=(
            "I want to return the sunglasses from #W1000002, refund to my original card.",
            "The boots don't fit, please return them and put the money on my gift card.",
            "How do I send back an item I received last week?",
        ),
        keywords=("return", "send back", "refund", "money back"),
        action="return the items",
        reply="return items of {order_id}",
        llm_arguments="order_id, item_ids, payment_method_id",
        requires_status=st.DELIVERED,
        leaves_status=st.RETURN_REQUESTED,
        money=MoneyEffect.REFUND_ITEMS,
        reversible=False,
        excludes=frozenset({EXCHANGE}),
        result=ORDER_RESULT,
    ),
    SkillDef(
        id=EXCHANGE,
        agent="orders",
        kind="write",
        arguments=a.ItemsChangeArgs,
        name="Exchange delivered items",
        description="Requests an exchange of delivered items for other available variants of "
        "the same product (once per order); the price difference is settled by a method.",
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
        action="exchange the items",
        reply="exchange items of {order_id}",
        llm_arguments="order_id, item_ids, new_item_ids, payment_method_id",
        requires_status=st.DELIVERED,
        leaves_status=st.EXCHANGE_REQUESTED,
        money=MoneyEffect.SETTLE_DIFFERENCE,
        reversible=False,
        item_change=True,
        excludes=frozenset({RETURN}),
        result=ORDER_RESULT,
    ),
    SkillDef(
        id=USER_ADDRESS,
        agent="orders",
        kind="write",
        arguments=a.UserAddressArgs,
        name="Change the account address",
        description="Changes the default (account) address of the customer.",
        examples=(
            "I moved: my address is now 5 Elm Road, Unit 2, Boston, MA, USA, 02118.",
            "Please update the default address on my account.",
            "Change my profile address to my new apartment.",
        ),
        keywords=("default address", "account address", "my address", "profile", "moved"),
        action="change your account address",
        reply="change your default address",
        llm_arguments="user_id, address1, address2, city, state, country, zip",
        result={"user": dict},
    ),
)

_BILLING = (
    SkillDef(
        id="get_payment_methods",
        agent="billing",
        kind="read",
        arguments=a.NoArguments,
        name="Payment methods",
        description="The payment methods on the customer's account, with gift-card balances.",
        examples=(
            "Which cards do I have on file?",
            "What payment methods are saved on my account?",
            "Do you still have my PayPal linked?",
        ),
        keywords=("payment methods", "cards on file", "on file", "saved", "linked", "methods"),
        result={"payment_methods": (list, dict)},
    ),
    SkillDef(
        id="get_payment_history",
        agent="billing",
        kind="read",
        arguments=a.OptionalOrderRef,
        name="Payment history",
        description="Payments and refunds of one order, or of all the customer's orders.",
        examples=(
            "What have I been charged for order #W1000001?",
            "Show me my payment history.",
            "Was I charged twice for my last order?",
        ),
        keywords=("history", "charged", "charges", "transactions", "payments", "billed"),
        llm_arguments="order_id (optional)",
        result={"payment_history": (list, dict)},
    ),
    SkillDef(
        id="get_receipt",
        agent="billing",
        kind="read",
        arguments=a.OrderRef,
        name="Receipt",
        description="An invoice of one order: items, subtotal, payments, refunds and net paid.",
        examples=(
            "Can I get a receipt for #W1000002?",
            "I need an invoice for my order W1000001 for my expense report.",
            "Send me the itemized bill of my last purchase.",
        ),
        keywords=("receipt", "invoice", "bill", "itemized", "expense"),
        llm_arguments="order_id",
        result={"receipt": dict},
    ),
    SkillDef(
        id=MODIFY_PAYMENT,
        agent="billing",
        kind="write",
        arguments=a.PaymentChangeArgs,
        name="Change a pending order's payment method",
        description="Pays a pending order with another of the customer's payment methods and "
        "refunds the original payment (gift cards must cover the amount).",
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
        action="change the order's payment method",
        reply="change the payment of {order_id}",
        llm_arguments="order_id, payment_method_id",
        requires_status=st.PENDING,
        money=MoneyEffect.MOVE_PAYMENT,
        reversible=False,
        result=ORDER_RESULT,
    ),
    SkillDef(
        id="get_refund_status",
        agent="billing",
        kind="read",
        arguments=a.OrderRef,
        name="Refund status",
        description="Refunds of an order so far and the refund still due for a requested return.",
        examples=(
            "Where is my refund for #W1000010?",
            "Did you refund the order I cancelled?",
            "When will I get my money back for the return on W1000008?",
        ),
        keywords=("refund", "refunded", "money back", "reimburse"),
        llm_arguments="order_id",
        result={"refund_status": (dict, list, str)},
    ),
    SkillDef(
        id="get_gift_card_balance",
        agent="billing",
        kind="read",
        arguments=a.OptionalPaymentMethod,
        name="Gift card balance",
        description="The balance of the customer's gift card(s).",
        examples=(
            "What is my gift card balance?",
            "How much is left on gift_card_7583025?",
            "Do I have any store credit left?",
        ),
        keywords=("gift card", "balance", "store credit", "left on"),
        llm_arguments="payment_method_id (optional)",
        result={"gift_cards": list},
    ),
)

_ESCALATION = (
    SkillDef(
        id=HANDOFF,
        agent="escalation",
        kind="write",
        arguments=a.HandoffRequest,
        name="Hand off to a human",
        description="Records a handoff to the human support queue with a summary, a reason and "
        "a priority (derived from urgency and sentiment when not given).",
        examples=(
            "I want to talk to a person.",
            "This is unacceptable, get me a manager right now!",
            "Can a real human call me back about my complaint? No rush.",
        ),
        keywords=(
            "human",
            "person",
            "manager",
            "supervisor",
            "complaint",
            "representative",
            "someone",
        ),
        action="hand you to a colleague",
        reply="pass you to a human colleague",
        llm_arguments="summary, reason, priority ('low'|'normal'|'high'|'urgent')",
        anonymous=True,
        result={"handoff": dict},
        store_extras=("user_id",),
    ),
    SkillDef(
        id="get_handoff_status",
        agent="escalation",
        kind="read",
        arguments=a.HandoffRef,
        name="Handoff status",
        description="The status of a handoff to human support (by id, or the customer's latest).",
        examples=(
            "Has anyone picked up my request for a human yet?",
            "What's the status of handoff 12?",
            "Is someone from support already working on my case?",
        ),
        keywords=("status", "picked up", "anyone", "already", "handoff", "case", "my request"),
        llm_arguments="handoff_id (optional)",
        result={"handoff": dict},
    ),
)

SKILLS = SkillRegistry((*_ORDERS, *_BILLING, *_ESCALATION))
"""Every skill of the mesh. Extensions register theirs with ``SKILLS.register``."""
