"""Public suites converted to scenarios on the fly (their data is read, never copied).

- ``tau-train``: τ-bench v1 train (500): ``customer.user_id``, ``turns = [instruction]``,
  ``expect.actions`` = the gold actions, seed ``tau-retail`` (scored by final-state match).
- ``tau-test``: τ-bench v1 test (115), converted the same way, each instruction sent as one
  ticket. These were written for a dialogue with a simulated user: reported, never tuned on.
- ``tau-test-routing`` / ``tau2-routing``: τ-bench v1 test and τ² tasks as routing-only checks
  against ``derived/routing_gold.jsonl`` (tasks whose gold has no specialist are left out).
- ``bitext-test-routing``: Bitext customer-support test utterances, routed by category.
- ``clinc-oos``: CLINC150's out-of-scope test utterances (1000) from a real customer with orders
  of every kind: no write may execute (the measure of tests/triage/test_planner_datasets.py,
  end to end).

Agent ownership follows the mesh's split (the registry's owners): account changes belong to
orders, payment changes to billing, handoffs to escalation. Reads may go to orders or billing
without making the routing wrong; escalation only when expected.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from domain import SKILLS, DeskmeshError
from evaluation.scenario import Loaded, LoadError, ScenarioError, parse_scenario

PREFIX = "public:"
OWNER = {skill.id: skill.agent for skill in SKILLS.writes()}
GOLD_AGENT = {
    "orders": "orders",
    "billing": "billing",
    "account": "orders",
    "escalation": "escalation",
}
READ_AGENTS = ["billing", "orders"]
BITEXT_AGENT = {
    "ORDER": "orders",
    "DELIVERY": "orders",
    "SHIPPING_ADDRESS": "orders",
    "INVOICE": "billing",
    "PAYMENT": "billing",
    "REFUND": "billing",
    "CANCELLATION_FEE": "billing",
    "CONTACT": "escalation",
}
BITEXT_CUSTOMER = "ava_moreno_1001"
CLINC_CUSTOMER = "omar_anderson_3203"
"""A τ-bench customer with orders of every status, so a wrong write would have a target."""


class DatasetMissing(DeskmeshError, RuntimeError):
    """The public data set is not there (suites are skipped, not failed)."""


def is_public(name: str) -> bool:
    return name.startswith(PREFIX)


def suite_names() -> list[str]:
    return sorted(SUITES)


def load_public(name: str, datasets: Path) -> Loaded:
    suite = name.removeprefix(PREFIX)
    if suite not in SUITES:
        raise ValueError(f"unknown public suite {name!r}; known: {', '.join(suite_names())}")
    return SUITES[suite](datasets, suite)


def _require(path: Path) -> Path:
    if not path.exists():
        raise DatasetMissing(f"{path} is absent")
    return path


def _convert(raws: list[tuple[str, dict[str, Any]]], suite: str) -> Loaded:
    loaded = Loaded()
    for source, raw in raws:
        try:
            loaded.scenarios.append(parse_scenario(raw, suite=suite, source=source))
        except ScenarioError as e:
            loaded.errors.append(LoadError(source, str(e)))
    return loaded


def tau_train(datasets: Path, suite: str) -> Loaded:
    return _tau_tasks(datasets, suite, "tasks_train.json", "train")


def tau_test(datasets: Path, suite: str) -> Loaded:
    return _tau_tasks(datasets, suite, "tasks_test.json", "test")


def _tau_tasks(datasets: Path, suite: str, file: str, split: str) -> Loaded:
    from store import load_tau, replay

    path = _require(datasets / "tau-bench-retail" / "v1" / file)
    seed = load_tau(datasets / "tau-bench-retail")
    raws = []
    for position, task in enumerate(json.loads(path.read_text())):
        gold = [{"name": a["name"], "args": a.get("kwargs", {})} for a in task["actions"]]
        _, errors = replay(seed, [{"name": a["name"], "kwargs": a["args"]} for a in gold])
        # A gold action that fails its preconditions is a no-op in τ-bench too: it cannot
        # be expected to execute, and the state comparison is the same without it.
        actions = [a for a, error in zip(gold, errors, strict=True) if error is None]
        names = sorted({a["name"] for a in actions})
        orders = {a["args"].get("order_id") for a in actions} - {None}
        tags = [f"tau-{split}", *names]
        tags += ["multi-write"] if len(actions) > 1 else []
        tags += ["multi-order"] if len(orders) > 1 else []
        tags += ["gold-noop"] if len(actions) < len(gold) else []
        tags += ["read-only"] if not actions else []
        raw = {
            "id": f"{split}-{task.get('index', position):03d}",
            "tags": tags,
            "seed": "tau-retail",
            "customer": {"user_id": task["user_id"]},
            "turns": [task["instruction"]],
            "expect": {
                "agents": sorted({OWNER.get(n, "orders") for n in names}),
                "agents_allowed": READ_AGENTS,
                "actions": actions,
            },
        }
        raws.append((f"{path}:{position}", raw))
    return _convert(raws, suite)


def _routing_gold(datasets: Path, source: str, suite: str) -> Loaded:
    gold = _require(datasets / "tau-bench-retail" / "derived" / "routing_gold.jsonl")
    resolve = _user_resolver(datasets)
    raws = []
    for number, line in enumerate(gold.read_text().splitlines(), start=1):
        row = json.loads(line)
        if row["source"] != source or (source == "tau-bench-v1" and row["split"] != "test"):
            continue
        agents = [GOLD_AGENT[a] for a in row["agents"] if a in GOLD_AGENT]
        if not agents:
            continue  # 'info' / 'none': no specialist is the right answer to check
        user_id = row.get("user_id") or resolve(row["text"])
        raw = {
            "id": f"{row['split']}-{row['task']}",
            "tags": [suite, *sorted(set(agents))]
            + (["multi-agent"] if len(set(agents)) > 1 else []),
            "seed": "tau-retail",
            "customer": {"user_id": user_id} if user_id else None,
            "turns": [row["text"]],
            "expect": {"agents": sorted(set(agents)), "agents_allowed": READ_AGENTS},
        }
        raws.append((f"{gold}:{number}", raw))
    return _convert(raws, suite)


def tau_test_routing(datasets: Path, suite: str) -> Loaded:
    return _routing_gold(datasets, "tau-bench-v1", suite)


def tau2_routing(datasets: Path, suite: str) -> Loaded:
    return _routing_gold(datasets, "tau2-bench", suite)


def _user_resolver(datasets: Path) -> Callable[[str], str | None]:
    """τ² tasks name the customer ("You are Yusuf Rossi in zip code 19122"), not the user id."""
    users_path = datasets / "tau-bench-retail" / "v1" / "users.json"
    users = json.loads(users_path.read_text()) if users_path.exists() else {}
    by_name: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for user_id, user in users.items():
        key = (user["name"]["first_name"].lower(), user["name"]["last_name"].lower())
        by_name.setdefault(key, []).append((user_id, user["address"]["zip"]))

    by_email = {user["email"].lower(): user_id for user_id, user in users.items()}

    def resolve(text: str) -> str | None:
        explicit = re.search(r"\b([a-z]+_[a-z]+_\d{4})\b", text)
        if explicit and explicit.group(1) in users:
            return explicit.group(1)
        for email in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            if email.lower().rstrip(".") in by_email:
                return by_email[email.lower().rstrip(".")]
        zips = set(re.findall(r"\b\d{5}\b", text))
        for first, last in re.findall(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b", text):
            candidates = by_name.get((first.lower(), last.lower()), [])
            matching = [u for u, z in candidates if z in zips] or candidates
            if len(matching) == 1:
                return matching[0][0]
        return None

    return resolve


def bitext_test_routing(datasets: Path, suite: str) -> Loaded:
    folder = datasets / "bitext-customer-support" / "intent-detection"
    path = _require(folder / "Bitext_Sample_Customer_Service_Testing_Dataset.csv")
    raws = []
    with path.open(newline="", encoding="utf-8") as f:
        for number, row in enumerate(csv.DictReader(f), start=2):
            category, intent = row["category"], row["intent"]
            agent = "escalation" if intent == "complaint" else BITEXT_AGENT.get(category)
            expect: dict[str, Any] = {"agents": [agent] if agent else []}
            if agent is None:
                expect["agents_allowed"] = ["escalation"]  # not our business: answer or hand off
            raw = {
                "id": f"test-{number:04d}",
                "tags": [category.lower(), intent, agent or "out-of-scope"],
                "seed": "demo",
                "customer": {"user_id": BITEXT_CUSTOMER},
                "turns": [row["utterance"]],
                "expect": expect,
            }
            raws.append((f"{path}:{number}", raw))
    return _convert(raws, suite)


def clinc_oos(datasets: Path, suite: str) -> Loaded:
    path = _require(datasets / "clinc150" / "data_full.json")
    raws = []
    for number, (text, _label) in enumerate(json.loads(path.read_text())["oos_test"], start=1):
        raw = {
            "id": f"oos-{number:04d}",
            "tags": ["out-of-scope"],
            "seed": "tau-retail",
            "customer": {"user_id": CLINC_CUSTOMER},
            "turns": [text],
            "expect": {"actions": []},
        }
        raws.append((f"{path}:oos_test[{number - 1}]", raw))
    return _convert(raws, suite)


SUITES: dict[str, Callable[[Path, str], Loaded]] = {
    "tau-train": tau_train,
    "tau-test": tau_test,
    "clinc-oos": clinc_oos,
    "tau-test-routing": tau_test_routing,
    "tau2-routing": tau2_routing,
    "bitext-test-routing": bitext_test_routing,
}
