"""The triage report keeps train, held-out public and our suites apart, and edits only its block."""

from __future__ import annotations

from pathlib import Path

from evaluation.figures import END, START, render, write_doc
from evaluation.report import build_report
from tests.evaluation.synthetic import run, scenario, trajectory, write

CANCEL = {"name": "cancel_pending_order", "args": {"order_id": "#W1", "reason": "no longer needed"}}


def _report() -> dict:
    cancelled = write(1, "cancel_pending_order", order_id="#W1", reason="no longer needed")
    done = trajectory(actions=[cancelled])
    write_expect = {"actions": [CANCEL], "state_matches_gold": False}
    cases = [
        ("tau-train", "train-000", write_expect, done),
        ("tau-test", "test-000", write_expect, done),
        ("tau-test", "test-001", write_expect, trajectory(states=["input-required"])),
        ("tau-test", "test-002", {"agents": ["orders"], "actions": []}, trajectory()),
        ("clinc-oos", "oos-0001", {"actions": [], "state_matches_gold": False}, done),
        ("clinc-oos", "oos-0002", {"actions": [], "state_matches_gold": False}, trajectory()),
        ("orders", "status", {"final_state": "completed"}, trajectory()),
        ("cancel_reasons", "cancel_reasons-01", write_expect, done),
    ]
    runs, scenarios = [], {}
    for suite, sid, expect, t in cases:
        s = scenario(id=sid, suite=suite, expect=expect)
        runs.append(run(s, t))
        scenarios[s.key] = s.to_json()
    return build_report(runs, trials=1, scenarios=scenarios, skipped=["tau2-routing: absent"])


def _section(text: str, title: str) -> str:
    return text.split(title, 1)[1].split("###", 1)[0]


def test_groups_are_separate_tables_with_the_held_out_outcomes() -> None:
    planner = {"train": ["τ-bench train planner: 500/500"], "test": ["Bitext test routing: 9/10"]}
    text = render(_report(), "abc1234", planner)
    train = _section(text, "1. Train")
    held_out = _section(text, "2. Held out")
    hand = _section(text, "3. Ours: hand-written")
    everyday = _section(text, "4. Ours: the everyday suite")
    assert "| tau-train |" in train and "tau-test" not in train and "orders" not in train
    assert (
        "| tau-test |" in held_out and "| clinc-oos |" in held_out and "tau-train" not in held_out
    )
    assert "| orders |" in hand and "cancel_reasons" not in hand
    assert "| cancel_reasons |" in everyday and "| orders |" not in everyday
    assert "2 tasks with gold writes: **1** completed" in held_out
    assert "1 stopped at a question" in held_out
    assert "CLINC150 out-of-scope: **1/2 = 50.0%**" in held_out
    assert "skipped: tau2-routing: absent" in text and "abc1234" in text
    assert "- τ-bench train planner: 500/500" in train and "Bitext test routing" not in train
    assert "- Bitext test routing: 9/10" in held_out


def test_the_doc_keeps_what_lies_outside_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "figures.md"
    write_doc("first\n", doc)
    assert doc.read_text() == f"{START}\nfirst\n{END}\n"
    doc.write_text("# Title\nprose before\n\n" + doc.read_text() + "\nprose after\n")
    write_doc("second\n", doc)
    text = doc.read_text()
    assert text.startswith("# Title\nprose before\n") and text.endswith("\nprose after\n")
    assert "second" in text and "first" not in text


def test_held_out_suites_are_reported_as_two_halves() -> None:
    import json as _json

    from evaluation.figures import HELDOUT_DIR, _halves_table, heldout_halves

    path = sorted(HELDOUT_DIR.glob("*.jsonl"))[0]
    ids = [_json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]
    # every development scenario passes, every held-out one fails
    report = {"runs": [{"id": i, "passed": n % 2 == 0} for n, i in enumerate(ids)]}
    dev, n_dev, held, n_held = heldout_halves(report)[path.stem]
    assert (dev, held) == (n_dev, 0) and n_dev + n_held == len(ids)
    assert f"| {path.stem} | {n_dev}/{n_dev} | 0/{n_held} |" in _halves_table(report)
