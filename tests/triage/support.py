"""Shared helpers for the triage tests: the live catalog from the real agent cards, datasets."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from agents.billing.agent import SPEC as BILLING
from agents.escalation.agent import SPEC as ESCALATION
from agents.orders.agent import SPEC as ORDERS
from agents.triage.planner import OfflinePlanner
from agents.triage.understanding import Understander
from protocol.cards import build_card
from router.plan import Catalog
from tests.conftest import DATASETS

TAU = DATASETS / "tau-bench-retail" / "v1"
BITEXT = DATASETS / "bitext-customer-support" / "intent-detection"
CLINC = DATASETS / "clinc150" / "data_full.json"
BITEXT_AGENTS = {
    "ORDER": "orders",
    "DELIVERY": "orders",
    "SHIPPING_ADDRESS": "orders",
    "INVOICE": "billing",
    "PAYMENT": "billing",
    "REFUND": "billing",
    "CANCELLATION_FEE": "billing",
    "CONTACT": "escalation",
}


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"dataset not available: {path}")
    return path


def catalog() -> Catalog:
    cards = [
        build_card(spec.card, http_base_url="http://127.0.0.1", nats_interface_url=None)
        for spec in (ORDERS, BILLING, ESCALATION)
    ]
    return Catalog.from_cards(cards)


@lru_cache(maxsize=1)
def tau_data() -> dict[str, Any]:
    need(TAU)
    return {k: json.loads((TAU / f"{k}.json").read_text()) for k in ("users", "orders", "products")}


def tau_tasks() -> list[dict[str, Any]]:
    return json.loads((need(TAU) / "tasks_train.json").read_text())


def planner(product_names: list[str] | None = None) -> OfflinePlanner:
    return OfflinePlanner(Understander(catalog(), product_names or []))


@lru_cache(maxsize=1)
def tau_planner() -> OfflinePlanner:
    """A planner that knows every τ-bench product by name and id."""
    data = tau_data()
    names = sorted({p["name"] for p in data["products"].values()})
    ids = {p["name"]: pid for pid, p in data["products"].items()}
    return OfflinePlanner(Understander(catalog(), names, ids))


def bitext_test() -> list[dict[str, str]]:
    path = need(BITEXT / "Bitext_Sample_Customer_Service_Testing_Dataset.csv")
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def bitext_agent(row: dict[str, str]) -> str | None:
    if row["intent"] == "complaint":
        return "escalation"
    return BITEXT_AGENTS.get(row["category"])


def gold_key(name: str, kwargs: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """An action as a comparable key: item lists as multisets, pairs kept together."""
    args = dict(kwargs)
    if "item_ids" in args and "new_item_ids" in args:
        args["pairs"] = sorted(zip(args["item_ids"], args["new_item_ids"], strict=True))
    for key in ("item_ids", "new_item_ids"):
        if key in args:
            args[key] = sorted(args[key])
    return name, tuple(sorted((k, json.dumps(v)) for k, v in args.items()))
