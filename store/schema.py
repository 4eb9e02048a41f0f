"""SQLAlchemy 2 ORM tables of the store (retail data + the mesh's action_log and handoffs).

Money columns hold integer cents (``*_cents``); see docs/store.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables (one metadata, named constraints)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    """A customer: name, default address, position in the τ-bench export."""

    __tablename__ = "users"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    first_name: Mapped[str] = mapped_column(String(128))
    last_name: Mapped[str] = mapped_column(String(128))
    email: Mapped[str] = mapped_column(String(256), index=True)
    address1: Mapped[str] = mapped_column(String(256))
    address2: Mapped[str] = mapped_column(String(256))
    city: Mapped[str] = mapped_column(String(128))
    country: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(64))
    zip: Mapped[str] = mapped_column(String(32))
    order_ids: Mapped[list[Any]] = mapped_column(JSON)


class PaymentMethod(Base):
    """A customer's credit card, PayPal account or gift card (balance in cents)."""

    __tablename__ = "payment_methods"
    __table_args__ = (
        CheckConstraint("source IN ('credit_card', 'paypal', 'gift_card')", name="source"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.user_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32))
    brand: Mapped[str | None] = mapped_column(String(64))
    last_four: Mapped[str | None] = mapped_column(String(8))
    balance_cents: Mapped[int | None] = mapped_column(BigInteger)


class Product(Base):
    """A catalogue product; its variants are the items that can be ordered."""

    __tablename__ = "products"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(256))


class Variant(Base):
    """One orderable item of a product: options, price in cents, availability."""

    __tablename__ = "variants"

    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.product_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    available: Mapped[bool] = mapped_column(Boolean)
    price_cents: Mapped[int] = mapped_column(BigInteger)


class Order(Base):
    """A customer's order: status, shipping address, extras of later writes."""

    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.user_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(64))
    address1: Mapped[str] = mapped_column(String(256))
    address2: Mapped[str] = mapped_column(String(256))
    city: Mapped[str] = mapped_column(String(128))
    country: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(64))
    zip: Mapped[str] = mapped_column(String(32))
    # Keys added by writes (cancel_reason, return_items, exchange_*, ...), in insertion order.
    extras: Mapped[dict[str, Any]] = mapped_column(JSON)


class OrderItem(Base):
    """One item line of an order (a variant at the price paid)."""

    __tablename__ = "order_items"

    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.order_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    product_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    price_cents: Mapped[int] = mapped_column(BigInteger)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)


class Fulfillment(Base):
    """A shipment of some of an order's items, with its tracking ids."""

    __tablename__ = "fulfillments"

    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.order_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_ids: Mapped[list[Any]] = mapped_column(JSON)
    item_ids: Mapped[list[Any]] = mapped_column(JSON)


class PaymentEntry(Base):
    """One payment-history entry; append-only, ordered by position."""

    __tablename__ = "payment_history"
    __table_args__ = (
        CheckConstraint("transaction_type IN ('payment', 'refund')", name="transaction_type"),
    )

    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.order_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_type: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    payment_method_id: Mapped[str] = mapped_column(String(64))


class ActionLog(Base):
    """The audit row of one write (who, which ticket step, outcome), exactly once per key."""

    __tablename__ = "action_log"
    __table_args__ = (CheckConstraint("outcome IN ('ok', 'error', 'refused')", name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(64))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    ticket_id: Mapped[str | None] = mapped_column(String(128), index=True)
    task_id: Mapped[str | None] = mapped_column(String(128), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(256), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Handoff(Base):
    """A ticket handed to human support: summary, reason, priority, status."""

    __tablename__ = "handoffs"
    __table_args__ = (
        CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name="priority"),
        CheckConstraint("status IN ('open', 'claimed', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str | None] = mapped_column(String(128), index=True)
    task_id: Mapped[str | None] = mapped_column(String(128))
    user_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, typed as one (``__table__`` is declared as any FromClause)."""
    mapped = model.__table__
    assert isinstance(mapped, Table)
    return mapped


RETAIL_TABLES = tuple(
    table_of(model)
    for model in (
        User,
        PaymentMethod,
        Product,
        Variant,
        Order,
        OrderItem,
        Fulfillment,
        PaymentEntry,
    )
)
MESH_TABLES = (table_of(ActionLog), table_of(Handoff))
