"""Chaos benchmark: the fault table of issue 14 on the real mesh (see tests/chaos/).

    .venv/bin/python bench/chaos.py [--n 300] [--concurrency 16] [scenario ...]

Scenarios: nats-restart, specialist-restart, replica-kill, huge-ticket (default: all). For each
it prints the fault table (completed / failed / silently-not-done / duplicates, the store against
the replay of its action log and against gold) and, for huge-ticket, ordinary tickets' p99
without and with the big ticket in the same mesh.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.chaos.harness import tau_data  # noqa: E402
from tests.chaos.scenarios import SCENARIOS  # noqa: E402


async def _main(names: list[str], n: int, concurrency: int, keep: Path | None) -> int:
    data = tau_data()
    for name in names:
        var_dir = keep / name if keep else None
        outcome = await SCENARIOS[name](data, n, concurrency, var_dir)
        print(f"{name}: {outcome.table.row()}", flush=True)
        table = outcome.table
        print(f"  states {dict(table.states)}; handed off {table.handed_off}", flush=True)
        if table.not_run_reasons:
            print(f"  not run: {dict(table.not_run_reasons.most_common(5))}", flush=True)
        if outcome.notes:
            notes = {k: v for k, v in outcome.notes.items() if k != "big_reply"}
            print(f"  {json.dumps(notes)}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--keep", type=Path, help="keep each mesh's var/ (logs) under this folder")
    args = parser.parse_args()
    return asyncio.run(_main(args.scenarios, args.n, args.concurrency, args.keep))


if __name__ == "__main__":
    raise SystemExit(main())
