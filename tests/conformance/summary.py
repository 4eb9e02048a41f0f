"""The conformance summary: the TCK's results per transport, MUST/SHOULD/MAY, and the gate.

A requirement's status on a transport is FAIL when any of its results there failed, PASS when
one passed and none failed, SKIPPED otherwise (the TCK's own rule, applied per transport). The
agent-card requirements are checked once per run and count for the run's transport. A failing
MUST is *known* when an entry of ``known_false_failures.toml`` names it for that transport and
every error the TCK reported for it matches one of the entry's patterns; any other error
(a new symptom) makes it an unexplained failure.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LEVELS = ("MUST", "SHOULD", "MAY")
KNOWN_FILE = Path(__file__).with_name("known_false_failures.toml")


@dataclass(frozen=True, slots=True)
class KnownFailure:
    requirement: str
    transports: tuple[str, ...]
    errors: tuple[re.Pattern[str], ...]
    spec: str
    reason: str

    def explains(self, transport: str, errors: list[str]) -> bool:
        return transport in self.transports and all(
            any(p.search(e) for p in self.errors) for e in errors
        )


def load_known(path: Path = KNOWN_FILE) -> list[KnownFailure]:
    entries = tomllib.loads(path.read_text())["failure"]
    known = []
    for entry in entries:
        for name in ("requirement", "transports", "errors", "spec", "reason"):
            if not entry.get(name):
                raise ValueError(f"{path}: an entry for {entry.get('requirement')} lacks {name}")
        known.append(
            KnownFailure(
                requirement=entry["requirement"],
                transports=tuple(entry["transports"]),
                errors=tuple(re.compile(p) for p in entry["errors"]),
                spec=entry["spec"],
                reason=entry["reason"],
            )
        )
    return known


@dataclass(slots=True)
class Requirement:
    id: str
    level: str
    status: str = "SKIPPED"
    tests: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    skip_reasons: set[str] = field(default_factory=set)


def requirements_of(results: list[dict[str, Any]], transport: str) -> dict[str, Requirement]:
    out: dict[str, Requirement] = {}
    for r in results:
        if r["transport"] not in (transport, "agent_card"):
            continue
        req = out.setdefault(r["requirement_id"], Requirement(r["requirement_id"], r["level"]))
        if r["skipped"]:
            req.skip_reasons.add(r.get("skip_reason") or "skipped by the TCK")
        elif r["passed"]:
            req.status = "PASS" if req.status != "FAIL" else "FAIL"
        else:
            req.status = "FAIL"
            req.tests.add(r["test_id"].split("::", 1)[-1])
            req.errors.extend(r["errors"] or ["(no error text)"])
    return out


def summarise_run(
    results: list[dict[str, Any]], transport: str, known: list[KnownFailure]
) -> dict[str, Any]:
    reqs = requirements_of(results, transport)
    counts = {
        level: {
            status.lower(): sum(1 for r in reqs.values() if r.level == level and r.status == status)
            for status in ("PASS", "FAIL", "SKIPPED")
        }
        for level in LEVELS
    }
    failing, known_false, skipped = [], [], []
    for req in sorted(reqs.values(), key=lambda r: r.id):
        if req.status == "SKIPPED" and req.level == "MUST":
            skipped.append({"requirement": req.id, "reasons": sorted(req.skip_reasons)})
        if req.status != "FAIL":
            continue
        entry = next(
            (k for k in known if k.requirement == req.id and k.explains(transport, req.errors)),
            None,
        )
        item = {
            "requirement": req.id,
            "level": req.level,
            "tests": sorted(req.tests),
            "errors": req.errors,
            "known_false_failure": entry is not None,
        }
        failing.append(item)
        if entry is not None and req.level == "MUST":
            known_false.append(req.id)
    must = counts["MUST"]
    tested = must["pass"] + must["fail"]
    return {
        "transport": transport,
        "levels": counts,
        "must_rate": must["pass"] / tested if tested else 0.0,
        "must_rate_without_known_false_failures": (
            must["pass"] / (tested - len(known_false)) if tested - len(known_false) else 0.0
        ),
        "failing": failing,
        "unexplained_must_failures": [
            f["requirement"]
            for f in failing
            if f["level"] == "MUST" and not f["known_false_failure"]
        ],
        "skipped_must": skipped,
    }


def gate(runs: list[dict[str, Any]], bar: float, rate_key: str) -> list[str]:
    """Why the conformance run fails (empty when it passes)."""
    problems = []
    for run in runs:
        name = f"{run['agent']}/{run['transport']}"
        if run.get("error"):
            problems.append(f"{name}: {run['error']}")
            continue
        if run["unexplained_must_failures"]:
            problems.append(
                f"{name}: MUST failures not known to be false: "
                + ", ".join(run["unexplained_must_failures"])
            )
        if run[rate_key] < bar:
            problems.append(f"{name}: MUST pass rate {run[rate_key]:.1%} < {bar:.0%} ({rate_key})")
    return problems
