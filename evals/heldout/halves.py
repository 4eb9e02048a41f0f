"""Split `deskmesh eval --out` reports of the held-out suites into their two halves.

    python evals/heldout/halves.py var/eval/report.json [more reports…]

Scenarios at even positions of their file form the development half, odd positions the
held-out half (README.md); ``evaluation.figures.heldout_halves`` does the counting.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from evaluation.figures import heldout_halves  # noqa: E402


def main(argv: list[str]) -> int:
    for name in argv:
        for suite, (dev, n_dev, held, n_held) in heldout_halves(
            json.loads(Path(name).read_text())
        ).items():
            print(f"{suite}: development {dev}/{n_dev}, held-out {held}/{n_held}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
