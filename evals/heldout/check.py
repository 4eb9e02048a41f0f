"""Check every expected write of the held-out suites against the τ-bench retail data.

Each scenario's expected actions are replayed, in order, on a fresh in-memory copy of the
seed (the rules of ../shared/spec/retail-actions.md), so a later write sees the status an
earlier one left. A scenario with an `ambiguity` key (ambiguous.jsonl) also has its first turn
checked against the customer's data: 2+ candidates → one question, exactly one → none, and the
writes pick among the candidates. Expectations must agree with each other (agents = owners of
the writes, first_turn_state with clarifications, no write for injection/status, a handoff only
for missing/damaged), and ids are unique across all files (halves.py finds positions by id).
A problem is printed per failed precondition; the exit code is 1 if any.

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
DEFAULT_FILES = sorted(HERE.glob("*.jsonl"))
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


OWNERS = {
    "cancel_pending_order": "orders",
    "modify_pending_order_items": "orders",
    "modify_pending_order_address": "orders",
    "return_delivered_order_items": "orders",
    "exchange_delivered_order_items": "orders",
    "modify_pending_order_payment": "billing",
    "transfer_to_human_agents": "escalation",
}
ORDER_KINDS = {"pending orders": "pending", "delivered orders": "delivered"}
ITEM_KINDS = {"pending items": "pending", "delivered items": "delivered"}
AMBIGUITY_TAGS = {"ambiguous", "apparently-ambiguous"}


def candidates(seed: Data, user_id: str, ambiguity: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """What the first turn could mean in the customer's data, per the scenario's `ambiguity`:
    their orders of a status, the items of those orders (optionally of one product), or the
    available variants of one item that differ from it in one option only."""
    among = ambiguity.get("among")
    user_orders = [seed["orders"][o] for o in seed["users"][user_id]["orders"]]
    if among in ORDER_KINDS:
        return [o["order_id"] for o in user_orders if o["status"] == ORDER_KINDS[among]], []
    if among in ITEM_KINDS:
        product = ambiguity.get("product")
        found = []
        for order in user_orders:
            if order["status"] != ITEM_KINDS[among]:
                continue
            for item in order["items"]:
                pair = (order["order_id"], item["item_id"])
                if (product is None or item["name"] == product) and pair not in found:
                    found.append(pair)
        return found, []
    if among == "variants":
        order = seed["orders"].get(ambiguity.get("order_id", ""))
        if order is None or order["user_id"] != user_id:
            return [], [f"ambiguity order {ambiguity.get('order_id')} is not the customer's"]
        item = next((i for i in order["items"] if i["item_id"] == ambiguity.get("item_id")), None)
        if item is None:
            return [], [f"ambiguity item {ambiguity.get('item_id')} is not in {order['order_id']}"]
        option = ambiguity.get("option")
        kept = {k: v for k, v in item["options"].items() if k != option}
        variants = seed["products"][item["product_id"]]["variants"].values()
        return [
            v["item_id"]
            for v in variants
            if v["available"]
            and v["options"].get(option) != item["options"].get(option)
            and {k: x for k, x in v["options"].items() if k != option} == kept
        ], []
    return [], [f"ambiguity.among {among!r} is not one of the known kinds"]


def targets(among: str, actions: list[dict[str, Any]]) -> list[Any]:
    """What the expected writes picked, in the terms of `candidates`."""
    picked: list[Any] = []
    for action in actions:
        args = action.get("args", {})
        if among in ORDER_KINDS and "order_id" in args:
            picked.append(args["order_id"])
        elif among in ITEM_KINDS and "item_ids" in args:
            picked += [(args.get("order_id"), i) for i in args["item_ids"]]
        elif among in ITEM_KINDS:  # a whole-order write picks the order its item is in
            picked.append(args.get("order_id"))
        elif among == "variants":
            picked += args.get("new_item_ids", [])
    return picked


def check_ambiguity(seed: Data, user_id: str, scenario: dict[str, Any]) -> list[str]:
    """The first turn is as ambiguous in the data as the scenario says, and the writes pick
    from what it could mean: 2+ candidates → one question first; exactly 1 → no question."""
    ambiguity = scenario.get("ambiguity")
    tags = set(scenario.get("tags", []))
    if ambiguity is None:
        return ["tagged ambiguous but no 'ambiguity'"] if tags & AMBIGUITY_TAGS else []
    found, problems = candidates(seed, user_id, ambiguity)
    if problems:
        return problems
    expect = scenario.get("expect", {})
    if len(found) != ambiguity.get("count"):
        problems.append(
            f"ambiguity says {ambiguity.get('count')} candidates, data has {len(found)}"
        )
    asks = expect.get("clarifications", 0) > 0
    if asks != (len(found) >= 2):
        problems.append(
            f"{len(found)} candidate(s) but clarifications={expect.get('clarifications')}"
        )
    if ("apparently-ambiguous" in tags) != (len(found) == 1):
        problems.append(f"{len(found)} candidate(s): tag it 'apparently-ambiguous' iff exactly one")
    if asks != (expect.get("first_turn_state") == "input-required"):
        problems.append("first_turn_state does not match the candidates")
    picked = targets(ambiguity["among"], expect.get("actions", []))
    if not picked:
        problems.append("no expected write picks one of the candidates")
    orders_found = {c[0] for c in found if isinstance(c, tuple)}
    problems += [
        f"write picks {p}, not a candidate"
        for p in picked
        if p not in found and not (isinstance(p, str) and p in orders_found)
    ]
    if "most-recent" in tags:
        orders = {p[0] if isinstance(p, tuple) else p for p in found}
        newest = [o for o in seed["users"][user_id]["orders"] if o in orders][-1:]
        if {p[0] if isinstance(p, tuple) else p for p in picked} != set(newest):
            problems.append(f"'the most recent' is {newest} (last in the customer's orders)")
    return problems


def check_consistency(scenario: dict[str, Any]) -> list[str]:
    """Expectations agree with each other and with the tags' families."""
    expect, tags = scenario.get("expect", {}), set(scenario.get("tags", []))
    actions = expect.get("actions", [])
    names = [a["name"] for a in actions]
    problems = []
    owners = {OWNERS[n] for n in names if n in OWNERS}
    if owners and set(expect.get("agents", [])) != owners:
        problems.append(
            f"agents {expect.get('agents')} but the writes' owners are {sorted(owners)}"
        )
    if tags & {"injection", "status"} and actions:
        problems.append("an injection or status scenario expects a write")
    if "missing-damaged" in tags and (not names or set(names) != {"transfer_to_human_agents"}):
        problems.append("a missing/damaged scenario must expect a handoff and nothing else")
    questions = expect.get("clarifications")
    if questions is not None:
        if len(scenario.get("turns", [])) < questions + 1:
            problems.append(f"{questions} clarification(s) need {questions + 1} turns")
        first = expect.get("first_turn_state")
        if first is not None and (first == "input-required") != (questions > 0):
            problems.append(f"first_turn_state {first!r} with clarifications={questions}")
    return problems


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
    problems += check_ambiguity(seed, user_id, scenario)
    problems += check_consistency(scenario)
    return problems


def main(paths: list[str]) -> int:
    seed = load_seed()
    total = 0
    # ids are unique across the files too: halves.py finds a scenario's position by its id
    seen: set[str] = set()
    for path in [Path(p) for p in paths] or DEFAULT_FILES:
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
