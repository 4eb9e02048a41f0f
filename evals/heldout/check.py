"""Check every expected write of the held-out suites against the τ-bench retail data.

Each scenario's expected actions are replayed, in order, on a fresh in-memory copy of the
seed (the rules of ../shared/spec/retail-actions.md), so a later write sees the status an
earlier one left. A problem is printed per failed precondition; the exit code is 1 if any.

    .venv/bin/python evals/heldout/check.py [FILE.jsonl ...]
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE.parents[1] / ".." / "shared" / "datasets" / "tau-bench-retail" / "v1"
DEFAULT_FILES = [HERE / "paraphrase.jsonl", HERE / "everyday.jsonl"]
REASONS = {"no longer needed", "ordered by mistake"}
ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")

Data = dict[str, Any]


def load_seed() -> Data:
    return {
        name: json.loads((DATA_DIR / f"{name}.json").read_text())
        for name in ("users", "orders", "products")
    }


def variant_of(data: Data, item_id: str) -> tuple[str, dict[str, Any]] | None:
    for product_id, product in data["products"].items():
        if item_id in product["variants"]:
            return product_id, product["variants"][item_id]
    return None


def owned_order(
    data: Data, user_id: str, order_id: str, statuses: set[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    order = data["orders"].get(order_id)
    if order is None:
        return None, [f"order {order_id} does not exist"]
    problems = []
    if order["user_id"] != user_id:
        problems.append(f"order {order_id} belongs to {order['user_id']}, not {user_id}")
    if order["status"] not in statuses:
        problems.append(f"order {order_id} is {order['status']!r}, needs {sorted(statuses)}")
    return order, problems


def items_present(order: dict[str, Any], item_ids: list[str]) -> list[str]:
    held = [item["item_id"] for item in order["items"]]
    problems = []
    for item_id in set(item_ids):
        if item_ids.count(item_id) > held.count(item_id):
            problems.append(
                f"item {item_id} listed {item_ids.count(item_id)}x, "
                f"order {order['order_id']} holds {held.count(item_id)}"
            )
    return problems


def method(
    data: Data, user_id: str, payment_method_id: str
) -> tuple[dict[str, Any] | None, list[str]]:
    found = data["users"][user_id]["payment_methods"].get(payment_method_id)
    return found, ([] if found else [f"payment method {payment_method_id} is not {user_id}'s"])


def replacements(
    data: Data, order: dict[str, Any], old_ids: list[str], new_ids: list[str]
) -> tuple[float, list[str]]:
    if len(old_ids) != len(new_ids):
        return 0.0, ["item_ids and new_item_ids differ in length"]
    problems: list[str] = []
    difference = 0.0
    prices = {item["item_id"]: item["price"] for item in order["items"]}
    for old, new in zip(old_ids, new_ids, strict=True):
        old_variant, new_variant = variant_of(data, old), variant_of(data, new)
        if new_variant is None:
            problems.append(f"new item {new} is no product's variant")
            continue
        if old_variant is None or old_variant[0] != new_variant[0]:
            problems.append(f"new item {new} is not a variant of the same product as {old}")
        if not new_variant[1]["available"]:
            problems.append(f"new item {new} is not available")
        if old == new:
            problems.append(f"new item {new} is the item it replaces")
        difference += new_variant[1]["price"] - prices.get(old, 0.0)
    return round(difference, 2), problems


def apply(data: Data, user_id: str, action: dict[str, Any]) -> list[str]:
    """Check one expected write against `data` and apply it; return its problems."""
    name, args = action["name"], action.get("args", {})
    if name == "transfer_to_human_agents":
        return [] if isinstance(args.get("summary", ""), str) else ["summary must be text"]
    if name == "modify_user_address":
        if args.get("user_id") != user_id:
            return [f"modify_user_address for {args.get('user_id')}, customer is {user_id}"]
        data["users"][user_id]["address"] = {key: args[key] for key in ADDRESS_KEYS}
        return []
    order_id = args.get("order_id", "")
    if name == "cancel_pending_order":
        order, problems = owned_order(data, user_id, order_id, {"pending"})
        if args.get("reason") not in REASONS:
            problems.append(f"reason {args.get('reason')!r} is not one of {sorted(REASONS)}")
        if order and not problems:
            for entry in list(order["payment_history"]):
                order["payment_history"].append({**entry, "transaction_type": "refund"})
            order["status"] = "cancelled"
        return problems
    if name == "modify_pending_order_address":
        order, problems = owned_order(data, user_id, order_id, {"pending"})
        if order and not problems:
            order["address"] = {key: args[key] for key in ADDRESS_KEYS}
        return problems
    if name == "modify_pending_order_payment":
        order, problems = owned_order(data, user_id, order_id, {"pending"})
        pm, pm_problems = method(data, user_id, args["payment_method_id"])
        problems += pm_problems
        if order:
            history = order["payment_history"]
            if len(history) != 1 or history[0]["transaction_type"] != "payment":
                problems.append(f"order {order_id} payment history is not one payment")
            elif history[0]["payment_method_id"] == args["payment_method_id"]:
                problems.append(
                    f"order {order_id} is already paid with {args['payment_method_id']}"
                )
            elif pm and pm["source"] == "gift_card" and pm["balance"] < history[0]["amount"]:
                problems.append(
                    f"gift card {args['payment_method_id']} cannot cover {history[0]['amount']}"
                )
            if not problems:
                amount = history[0]["amount"]
                history.append(
                    {
                        "transaction_type": "payment",
                        "amount": amount,
                        "payment_method_id": args["payment_method_id"],
                    }
                )
                history.append(
                    {
                        "transaction_type": "refund",
                        "amount": amount,
                        "payment_method_id": history[0]["payment_method_id"],
                    }
                )
        return problems
    if name in ("modify_pending_order_items", "exchange_delivered_order_items"):
        status = "pending" if name == "modify_pending_order_items" else "delivered"
        order, problems = owned_order(data, user_id, order_id, {status})
        pm, pm_problems = method(data, user_id, args["payment_method_id"])
        problems += pm_problems
        if order is None:
            return problems
        problems += items_present(order, args["item_ids"])
        difference, swap_problems = replacements(
            data, order, args["item_ids"], args["new_item_ids"]
        )
        problems += swap_problems
        if pm and pm["source"] == "gift_card" and pm["balance"] < difference:
            problems.append(f"gift card {args['payment_method_id']} cannot cover {difference}")
        if not problems:
            if name == "modify_pending_order_items":
                for old, new in zip(args["item_ids"], args["new_item_ids"], strict=True):
                    item = next(i for i in order["items"] if i["item_id"] == old)
                    _, variant = variant_of(data, new)  # type: ignore[misc]
                    item.update(item_id=new, price=variant["price"], options=variant["options"])
                if pm and pm["source"] == "gift_card":
                    pm["balance"] = round(pm["balance"] - difference, 2)
                order["status"] = "pending (item modified)"
            else:
                order["status"] = "exchange requested"
        return problems
    if name == "return_delivered_order_items":
        order, problems = owned_order(data, user_id, order_id, {"delivered"})
        pm, pm_problems = method(data, user_id, args["payment_method_id"])
        problems += pm_problems
        if order is None:
            return problems
        problems += items_present(order, args["item_ids"])
        original = order["payment_history"][0]["payment_method_id"]
        if pm and args["payment_method_id"] != original and pm["source"] != "gift_card":
            problems.append(
                f"refund to {args['payment_method_id']}: "
                f"neither the original {original} nor a gift card"
            )
        if not problems:
            order["status"] = "return requested"
        return problems
    return [f"unknown action {name}"]


def check_scenario(seed: Data, scenario: dict[str, Any]) -> list[str]:
    problems = []
    if scenario.get("seed") != "tau-retail":
        problems.append("seed is not tau-retail")
    user_id = str((scenario.get("customer") or {}).get("user_id"))
    if user_id not in seed["users"]:
        return problems + [f"customer {user_id} is not a user"]
    expect = scenario.get("expect", {})
    if "actions" not in expect:
        problems.append("no expected actions")
    data = copy.deepcopy(seed)
    for action in expect.get("actions", []):
        problems += [f"{action['name']}: {p}" for p in apply(data, user_id, action)]
    if expect.get("clarifications", 0) > 0 and len(scenario.get("turns", [])) < 2:
        problems.append("a clarification is expected but there is no second turn")
    return problems


def main(paths: list[str]) -> int:
    seed = load_seed()
    total = 0
    for path in [Path(p) for p in paths] or DEFAULT_FILES:
        seen: set[str] = set()
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        for number, line in enumerate(lines, 1):
            scenario = json.loads(line)
            problems = check_scenario(seed, scenario)
            if scenario["id"] in seen:
                problems.append("duplicate id")
            seen.add(scenario["id"])
            for problem in problems:
                print(f"{path.name}:{number} {scenario['id']}: {problem}")
            total += len(problems)
        print(f"{path.name}: {len(lines)} scenarios")
    print(f"{total} problems")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
