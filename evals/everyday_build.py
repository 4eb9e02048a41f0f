"""Build the everyday suite (evals/scenarios/everyday/*.jsonl) from its phrasing and τ-bench.

The sentences are ``everyday_phrasing.py``'s, written first. This script only picks, for each
template, a τ-bench customer whose own data gives the sentence exactly one meaning (the item is the
only one of its product in the customer's relevant orders, the payment phrase names one method, the
option change names one available variant), fills the slots and computes the expectations from the
semantics of ``../shared/spec/retail-actions.md``: the expected writes replay without error on a
fresh seed (checked here and by tests/evaluation/test_scenario_gold.py).

    .venv/bin/python evals/everyday_build.py        # rewrites evals/scenarios/everyday/

Deterministic: same data, same files. The files carry ids, prices and our own sentences only.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "evals")]  # run as a script or loaded by its test

import everyday_talk as talk  # noqa: E402
import everyday_writes as writes  # noqa: E402
from everyday_lookup import Data, Raw, Tau  # noqa: E402

from store import load_tau, replay  # noqa: E402
from store.seeds import datasets_dir  # noqa: E402

OUT = ROOT / "evals" / "scenarios" / "everyday"

FAMILIES: dict[str, Callable[[Tau], Iterator[Raw]]] = {
    "cancel_reasons": writes.cancel_reasons,
    "item_changes": writes.item_changes,
    "items_by_options": writes.items_by_options,
    "refund_destinations": writes.refund_destinations,
    "return_all": writes.return_all,
    "status_words": talk.status_words,
    "missing_damaged": talk.missing_damaged,
    "cancel_which": talk.cancel_which,
    "languages": talk.languages,
    "multi_requests": talk.multi_requests,
    "address_changes": writes.address_changes,
    "payment_changes": writes.payment_changes,
}


def check_replays(data: Data, scenarios: list[Raw]) -> None:
    for raw in scenarios:
        actions = [{"name": a["name"], "kwargs": a["args"]} for a in raw["expect"]["actions"]]
        actions = [a for a in actions if a["name"] != "transfer_to_human_agents"]
        _, errors = replay(data, actions)
        if any(errors):
            raise AssertionError(f"{raw['id']}: expected writes do not replay: {errors}")


def build_all(data: Data) -> dict[str, str]:
    """File name → JSONL text of every family, checked to replay."""
    tau = Tau(data)
    files = {}
    for family, build in FAMILIES.items():
        scenarios = list(build(tau))
        check_replays(data, scenarios)
        lines = [json.dumps(s, ensure_ascii=False) for s in scenarios]
        files[f"{family}.jsonl"] = "\n".join(lines) + "\n"
    return files


def main() -> None:
    files = build_all(load_tau(datasets_dir() / "tau-bench-retail"))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"{name.removesuffix('.jsonl'):22} {text.count(chr(10)):4}")
    print(f"{'total':22} {sum(t.count(chr(10)) for t in files.values()):4}")


if __name__ == "__main__":
    main()
