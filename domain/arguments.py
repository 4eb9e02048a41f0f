"""The typed arguments of every skill (pydantic), shared by the agents, the store and the planners.

Unknown arguments are an error, not silently dropped (``Arguments``). The id patterns are the
retail domain's (τ-bench): ``#W`` and seven digits for orders, ten digits for items and products.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

ORDER_ID_PATTERN = r"^#W\d{7}$"
ITEM_ID_PATTERN = r"^\d{10}$"
PAYMENT_METHOD_ID_PATTERN = r"^(credit_card|paypal|gift_card)_\d+$"

OrderId = Annotated[str, Field(pattern=ORDER_ID_PATTERN, description="order id, e.g. #W1234567")]
ItemId = Annotated[str, Field(pattern=ITEM_ID_PATTERN, description="10-digit item (variant) id")]
ProductId = Annotated[str, Field(pattern=ITEM_ID_PATTERN, description="10-digit product id")]
PaymentMethodId = Annotated[
    str,
    Field(
        pattern=PAYMENT_METHOD_ID_PATTERN,
        description="payment method id: credit_card_…, paypal_… or gift_card_… and digits",
    ),
]
ItemIds = Annotated[list[ItemId], Field(min_length=1, max_length=50)]
AddressLine = Annotated[str, Field(max_length=200)]
PRIORITIES = ("low", "normal", "high", "urgent")
Priority = Literal["low", "normal", "high", "urgent"]
CANCEL_REASONS = ("no longer needed", "ordered by mistake")
"""The reasons a cancellation accepts (the store refuses any other)."""


class Arguments(BaseModel):
    """Base of every skill input: unknown arguments are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class NoArguments(Arguments):
    """A skill that takes nothing (it acts on the verified customer)."""


class OrderRef(Arguments):
    """One order of the customer."""

    order_id: OrderId


class OptionalOrderRef(Arguments):
    """One order of the customer, or all of them."""

    order_id: OrderId | None = None


class ProductRef(Arguments):
    """One product of the catalogue."""

    product_id: ProductId


class FindItemArgs(Arguments):
    """A product and the options wanted, in words or exactly."""

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


class OptionalPaymentMethod(Arguments):
    """One payment method of the customer, or all of them."""

    payment_method_id: PaymentMethodId | None = None


class CancelArgs(Arguments):
    """A cancellation: the order and one of ``CANCEL_REASONS``."""

    order_id: OrderId
    reason: str = Field(min_length=1, max_length=100)


class ItemsChangeArgs(Arguments):
    """Items of an order swapped for other variants, settled with one payment method."""

    order_id: OrderId
    item_ids: ItemIds
    new_item_ids: ItemIds
    payment_method_id: PaymentMethodId


class ReturnArgs(Arguments):
    """A return: the delivered order's items and the refund's payment method."""

    order_id: OrderId
    item_ids: ItemIds
    payment_method_id: PaymentMethodId


class Address(Arguments):
    """A postal address, as the store and τ-bench keep it."""

    address1: AddressLine = Field(min_length=1)
    address2: AddressLine
    city: AddressLine = Field(min_length=1)
    state: AddressLine = Field(min_length=1)
    country: AddressLine = Field(min_length=1)
    zip: AddressLine = Field(min_length=1)


class OrderAddressArgs(Address):
    """A pending order's new shipping address."""

    order_id: OrderId


class UserAddressArgs(Address):
    """A customer's new default address."""

    user_id: str = Field(min_length=1, max_length=200)


class PaymentChangeArgs(Arguments):
    """A pending order's new payment method."""

    order_id: OrderId
    payment_method_id: PaymentMethodId = Field(description="the new payment method")


class HandoffRequest(Arguments):
    """A handoff to a human: summary, reason and priority."""

    summary: str = Field(min_length=1, max_length=4000)
    reason: str | None = Field(default=None, max_length=500)
    priority: Priority | None = Field(
        default=None, description="default: derived from urgency and sentiment in the summary"
    )


class HandoffRef(Arguments):
    """One handoff of the customer, or the latest."""

    handoff_id: int | None = Field(default=None, ge=1, description="default: the latest one")
