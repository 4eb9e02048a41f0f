"""``deskmesh eval`` end to end: a file with a malformed line, the table, the report, --explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskmesh.cli import main


def test_eval_command_runs_reports_and_explains(
    nats_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = tmp_path / "mini.jsonl"
    good = {
        "id": "status",
        "customer": {"user_id": "ava_moreno_1001"},
        "turns": ["Where is my order #W1000001?"],
        "expect": {"agents": ["orders"], "actions": []},
    }
    wrong = {**good, "id": "wrong", "expect": {"agents": ["escalation"]}}
    scenarios.write_text(json.dumps(good) + "\n{oops\n" + json.dumps(wrong) + "\n")
    out = tmp_path / "report.json"
    code = main(["eval", str(scenarios), "--out", str(out), "--nats-url", nats_url, "--quiet"])
    captured = capsys.readouterr()
    assert code == 0
    assert f"{scenarios}:2" in captured.err and "not JSON" in captured.err
    assert "mini" in captured.out and "1/2" in captured.out
    report = json.loads(out.read_text())
    assert [r["id"] for r in report["runs"]] == ["status", "wrong"]
    assert report["load_errors"] == [f"{scenarios}:2: not JSON (Expecting property name "
                                     "enclosed in double quotes at column 2)"]  # fmt: skip

    assert main(["eval", "--explain", "wrong", "--out", str(out)]) == 0
    explained = capsys.readouterr().out
    assert "FIRST DIVERGENCE: wrong agent" in explained and "orders.get_order_details" in explained
    assert main(["eval", "--explain", "nothing-like-this", "--out", str(out)]) == 1


def test_gate_fails_under_ci_when_a_suite_is_skipped_for_missing_data(
    nats_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo = tmp_path / "demo.jsonl"
    demo.write_text(json.dumps({
        "id": "status", "customer": {"user_id": "ava_moreno_1001"},
        "turns": ["Where is my order #W1000001?"], "expect": {"agents": ["orders"], "actions": []},
    }) + "\n")  # fmt: skip
    tau = tmp_path / "tau.jsonl"
    tau.write_text(json.dumps({
        "id": "t", "seed": "tau-retail", "customer": {"user_id": "omar_anderson_3203"},
        "turns": ["where is my order"], "expect": {"agents": ["orders"]},
    }) + "\n")  # fmt: skip
    baseline, out = tmp_path / "baseline.json", tmp_path / "report.json"
    common = [str(demo), str(tau), "--tau-data", str(tmp_path / "absent"), "--out", str(out)]
    common += ["--nats-url", nats_url, "--quiet", "--baseline", str(baseline)]
    monkeypatch.delenv("CI", raising=False)
    assert main(["eval", *common, "--write-baseline", str(baseline)]) == 0
    assert json.loads(out.read_text())["skipped"] == ["tau: τ-bench retail data absent"]
    capsys.readouterr()
    monkeypatch.setenv("CI", "true")
    assert main(["eval", *common]) == 1
    printed = capsys.readouterr().out
    assert "FAILED" in printed and "data is required" in printed and "tau" in printed
