"""Invoice and refund views derived from an order's items and payment history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Describe = Callable[[str], str]


def _total(entries: list[dict[str, Any]], key: str = "amount") -> float:
    return round(sum(e[key] for e in entries), 2)


def _entries(order: dict[str, Any], kind: str, describe: Describe) -> list[dict[str, Any]]:
    return [
        {**e, "method": describe(e["payment_method_id"])}
        for e in order["payment_history"]
        if e["transaction_type"] == kind
    ]


def receipt(order: dict[str, Any], describe: Describe) -> dict[str, Any]:
    """An invoice: one line per item, the subtotal, every payment and refund, the net paid."""
    lines = [
        {
            "item_id": item["item_id"],
            "product_id": item["product_id"],
            "name": item["name"],
            "options": item["options"],
            "price": item["price"],
        }
        for item in order["items"]
    ]
    payments = _entries(order, "payment", describe)
    refunds = _entries(order, "refund", describe)
    return {
        "order_id": order["order_id"],
        "status": order["status"],
        "bill_to": order["address"],
        "lines": lines,
        "subtotal": _total(lines, "price"),
        "payments": payments,
        "refunds": refunds,
        "total_paid": _total(payments),
        "total_refunded": _total(refunds),
        "net_paid": round(_total(payments) - _total(refunds), 2),
    }


def refund_status(order: dict[str, Any], describe: Describe) -> dict[str, Any]:
    """Refunds already in the payment history, plus a pending return and its expected refund."""
    refunds = _entries(order, "refund", describe)
    status: dict[str, Any] = {
        "order_id": order["order_id"],
        "status": order["status"],
        "refunds": refunds,
        "refunded_total": _total(refunds),
        "pending_return": None,
        "pending_exchange": None,
    }
    if order["status"] == "return requested":
        returned = list(order.get("return_items", []))
        expected = 0.0
        for item in order["items"]:
            if item["item_id"] in returned:
                returned.remove(item["item_id"])
                expected += item["price"]
        method = order.get("return_payment_method_id", "")
        status["pending_return"] = {
            "item_ids": order.get("return_items", []),
            "payment_method_id": method,
            "method": describe(method) if method else None,
            "expected_refund": round(expected, 2),
        }
    if order["status"] == "exchange requested":
        method = order.get("exchange_payment_method_id", "")
        status["pending_exchange"] = {
            "item_ids": order.get("exchange_items", []),
            "new_item_ids": order.get("exchange_new_items", []),
            "payment_method_id": method,
            "price_difference": order.get("exchange_price_difference", 0.0),
        }
    return status


def refund_status_text(status: dict[str, Any]) -> str:
    order_id = status["order_id"]
    parts = []
    if status["refunds"]:
        listed = ", ".join(f"{e['amount']:.2f} to {e['method']}" for e in status["refunds"])
        parts.append(f"Refunded for {order_id}: {listed}.")
    pending = status["pending_return"]
    if pending:
        parts.append(
            f"A return is requested; {pending['expected_refund']:.2f} will be refunded to "
            f"{pending['method']} once the items are received."
        )
    exchange = status["pending_exchange"]
    if exchange:
        diff = float(exchange["price_difference"])
        if diff < 0:
            parts.append(f"An exchange is requested; {-diff:.2f} will be refunded.")
        else:
            parts.append("An exchange is requested; no refund is due.")
    return " ".join(parts) or f"No refund for {order_id} (status {status['status']})."
