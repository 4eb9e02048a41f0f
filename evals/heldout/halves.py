"""Split a `deskmesh eval --out` report of a held-out suite into its two halves.

    python evals/heldout/halves.py var/eval/report.json [more reports…]

Scenarios at even positions of their file form the development half, odd positions the
held-out half (README.md). Prints the pass counts of each half, per suite file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def halves(report: dict) -> dict[str, tuple[int, int, int, int]]:
    passed = {run["id"]: run["passed"] for run in report["runs"]}
    out: dict[str, tuple[int, int, int, int]] = {}
    for path in sorted(HERE.glob("*.jsonl")):
        ids = [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]
        if not any(i in passed for i in ids):
            continue
        dev = [passed[i] for i in ids[0::2] if i in passed]
        held = [passed[i] for i in ids[1::2] if i in passed]
        out[path.name] = (sum(dev), len(dev), sum(held), len(held))
    return out


def main(argv: list[str]) -> int:
    for name in argv:
        for suite, (dev, n_dev, held, n_held) in halves(json.loads(Path(name).read_text())).items():
            print(f"{suite}: development {dev}/{n_dev}, held-out {held}/{n_held}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
