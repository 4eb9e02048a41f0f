"""initial schema: retail tables, action_log, handoffs

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ADDRESS = ("address1", "address2", "city", "country", "state", "zip")
_LEN = {"address1": 256, "address2": 256, "city": 128, "country": 128, "state": 64, "zip": 32}


def _address() -> list[sa.Column]:
    return [sa.Column(name, sa.String(_LEN[name]), nullable=False) for name in ADDRESS]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.{column}"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "action_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=True),
        sa.Column("ticket_id", sa.String(128), nullable=True),
        sa.Column("task_id", sa.String(128), nullable=True),
        sa.Column("idempotency_key", sa.String(256), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('ok', 'error', 'refused')", name=op.f("ck_action_log_outcome")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_log")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_action_log_idempotency_key")),
    )
    for column in ("customer_id", "task_id", "ticket_id"):
        op.create_index(op.f(f"ix_action_log_{column}"), "action_log", [column])

    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(128), nullable=True),
        sa.Column("task_id", sa.String(128), nullable=True),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')", name=op.f("ck_handoffs_priority")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'claimed', 'closed')", name=op.f("ck_handoffs_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
    )
    op.create_index(op.f("ix_handoffs_ticket_id"), "handoffs", ["ticket_id"])

    op.create_table(
        "products",
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_products")),
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(128), nullable=False),
        sa.Column("last_name", sa.String(128), nullable=False),
        sa.Column("email", sa.String(256), nullable=False),
        *_address(),
        sa.Column("order_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_email"), "users", ["email"])

    op.create_table(
        "orders",
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        *_address(),
        sa.Column("extras", sa.JSON(), nullable=False),
        _fk("orders", "user_id", "users"),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
    )
    op.create_index(op.f("ix_orders_user_id"), "orders", ["user_id"])

    op.create_table(
        "payment_methods",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("brand", sa.String(64), nullable=True),
        sa.Column("last_four", sa.String(8), nullable=True),
        sa.Column("balance_cents", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "source IN ('credit_card', 'paypal', 'gift_card')",
            name=op.f("ck_payment_methods_source"),
        ),
        _fk("payment_methods", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_methods")),
    )
    op.create_index(op.f("ix_payment_methods_user_id"), "payment_methods", ["user_id"])

    op.create_table(
        "variants",
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("price_cents", sa.BigInteger(), nullable=False),
        _fk("variants", "product_id", "products"),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_variants")),
    )
    op.create_index(op.f("ix_variants_product_id"), "variants", ["product_id"])

    op.create_table(
        "fulfillments",
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tracking_ids", sa.JSON(), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        _fk("fulfillments", "order_id", "orders"),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_fulfillments")),
    )
    op.create_table(
        "order_items",
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("price_cents", sa.BigInteger(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        _fk("order_items", "order_id", "orders"),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_order_items")),
    )
    op.create_table(
        "payment_history",
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("transaction_type", sa.String(16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("payment_method_id", sa.String(64), nullable=False),
        sa.CheckConstraint(
            "transaction_type IN ('payment', 'refund')",
            name=op.f("ck_payment_history_transaction_type"),
        ),
        _fk("payment_history", "order_id", "orders"),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_payment_history")),
    )


def downgrade() -> None:
    for table in (
        "payment_history",
        "order_items",
        "fulfillments",
        "variants",
        "payment_methods",
        "orders",
        "users",
        "products",
        "handoffs",
        "action_log",
    ):
        op.drop_table(table)
