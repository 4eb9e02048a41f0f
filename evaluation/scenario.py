"""Scenarios: the JSON Lines format of ``../shared/spec/scenario-format.md``, read leniently.

Unknown keys are ignored; a malformed line becomes a ``LoadError`` with its file and line number
and the rest of the file still loads. A scenario without any scored expectation is refused the
same way: it would pass whatever the mesh did. Keys beyond the format that are understood
(others ignore them): ``expect.agents_allowed`` (specialists that may also receive a delegation
without making the routing wrong), ``expect.actions_allowed`` (action names that may execute
without counting as extra writes, e.g. a handoff after a refusal) and ``expect.clarifications``
(how many questions the mesh should ask).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.errors import DeskmeshError

SEEDS = ("demo", "tau-retail")
STATES = ("completed", "input-required", "rejected", "failed", "canceled")
SCORED_KEYS = (
    "agents",
    "actions",
    "first_turn_state",
    "final_state",
    "reply_contains",
    "clarifications",
)
"""Keys of ``expect`` that are scored; a scenario needs at least one of them."""


class ScenarioError(DeskmeshError, ValueError):
    """A scenario object that does not follow the format."""


@dataclass(frozen=True, slots=True)
class ExpectedAction:
    """A write a scenario expects (name and the arguments it states)."""

    name: str
    args: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args}


@dataclass(frozen=True, slots=True)
class Expect:
    """What a scenario expects: writes, agents, reply content, final state."""

    agents: frozenset[str] | None = None
    agents_allowed: frozenset[str] = frozenset()
    actions: tuple[ExpectedAction, ...] | None = None
    actions_allowed: frozenset[str] = frozenset()
    first_turn_state: str | None = None
    final_state: str | None = None
    reply_contains: tuple[str, ...] = ()
    state_matches_gold: bool | None = None
    clarifications: int | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """One evaluation scenario: customer, seed, turns and expectations."""

    id: str
    suite: str
    seed: str
    customer: dict[str, str] | None
    turns: tuple[str, ...]
    expect: Expect
    tags: tuple[str, ...] = ()
    source: str = ""
    """Where it came from (``file:line``), for messages."""

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.id}"

    @property
    def scores_state(self) -> bool:
        """Whether the final data is compared with the gold replay of ``expect.actions``."""
        if self.expect.actions is None:
            return False
        if self.expect.state_matches_gold is not None:
            return self.expect.state_matches_gold
        return self.seed == "tau-retail"

    def to_json(self) -> dict[str, Any]:
        e = self.expect
        expect: dict[str, Any] = {
            "agents": sorted(e.agents) if e.agents is not None else None,
            "agents_allowed": sorted(e.agents_allowed),
            "actions": [a.to_json() for a in e.actions] if e.actions is not None else None,
            "actions_allowed": sorted(e.actions_allowed),
            "first_turn_state": e.first_turn_state,
            "final_state": e.final_state,
            "reply_contains": list(e.reply_contains),
            "state_matches_gold": e.state_matches_gold,
            "clarifications": e.clarifications,
        }
        return {
            "id": self.id,
            "suite": self.suite,
            "seed": self.seed,
            "customer": self.customer,
            "turns": list(self.turns),
            "tags": list(self.tags),
            "expect": expect,
        }


@dataclass(frozen=True, slots=True)
class LoadError:
    """A scenario line that could not be read, with where and why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(slots=True)
class Loaded:
    """The scenarios of a suite and the lines that failed to load."""

    scenarios: list[Scenario] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


def load_file(path: Path, suite: str | None = None) -> Loaded:
    """Every scenario of a JSONL file; malformed lines and duplicate ids become errors."""
    loaded = Loaded()
    suite = suite or path.stem
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            source = f"{path}:{number}"
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                scenario = parse_scenario(json.loads(line), suite=suite, source=source)
            except (json.JSONDecodeError, ScenarioError) as e:
                loaded.errors.append(LoadError(source, _short(e)))
                continue
            if scenario.id in seen:
                loaded.errors.append(LoadError(source, f"duplicate id {scenario.id!r}"))
                continue
            seen.add(scenario.id)
            loaded.scenarios.append(scenario)
    return loaded


def _short(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON ({error.msg} at column {error.colno})"
    return str(error)


def parse_scenario(raw: Any, *, suite: str, source: str = "") -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError("a scenario must be a JSON object")
    scenario_id = raw.get("id")
    if not isinstance(scenario_id, str) or not scenario_id:
        raise ScenarioError("'id' must be a non-empty string")
    seed = raw.get("seed", "demo")
    if seed not in SEEDS:
        raise ScenarioError(f"{scenario_id}: 'seed' must be one of {SEEDS}, not {seed!r}")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) for t in turns):
        raise ScenarioError(f"{scenario_id}: 'turns' must be a non-empty list of strings")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ScenarioError(f"{scenario_id}: 'tags' must be a list of strings")
    return Scenario(
        id=scenario_id,
        suite=suite,
        seed=seed,
        customer=_customer(raw.get("customer"), scenario_id),
        turns=tuple(turns),
        expect=_expect(raw.get("expect", {}), scenario_id),
        tags=tuple(dict.fromkeys(tags)),
        source=source,
    )


def _customer(raw: Any, scenario_id: str) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not any(
        isinstance(raw.get(k), str) for k in ("user_id", "email")
    ):
        raise ScenarioError(f"{scenario_id}: 'customer' must be null, {{user_id}} or {{email}}")
    return {k: raw[k] for k in ("user_id", "email") if isinstance(raw.get(k), str)}


def _expect(raw: Any, sid: str) -> Expect:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{sid}: 'expect' must be an object")
    if not _has_expectation(raw):
        # Nothing would be scored: the scenario would pass whatever the mesh did.
        raise ScenarioError(
            f"{sid}: no expectations (give at least one of 'expect.{', '.join(SCORED_KEYS)}')"
        )
    return Expect(
        agents=_agent_set(raw, "agents", sid),
        agents_allowed=_agent_set(raw, "agents_allowed", sid) or frozenset(),
        actions=_actions(raw.get("actions"), sid),
        actions_allowed=frozenset(_strings(raw, "actions_allowed", sid)),
        first_turn_state=_state(raw, "first_turn_state", sid),
        final_state=_state(raw, "final_state", sid),
        reply_contains=tuple(_strings(raw, "reply_contains", sid)),
        state_matches_gold=_optional_bool(raw, "state_matches_gold", sid),
        clarifications=_optional_count(raw, "clarifications", sid),
    )


def _has_expectation(raw: dict[str, Any]) -> bool:
    """An empty ``agents`` or ``actions`` list is an expectation (no specialist, no write)."""
    for key in SCORED_KEYS:
        value = raw.get(key)
        if value is not None and not (key == "reply_contains" and not value):
            return True
    return False


def _agent_set(raw: dict[str, Any], key: str, sid: str) -> frozenset[str] | None:
    if raw.get(key) is None:
        return None
    return frozenset(_strings(raw, key, sid))


def _strings(raw: dict[str, Any], key: str, sid: str) -> list[str]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{sid}: 'expect.{key}' must be a list of strings")
    return value


def _state(raw: dict[str, Any], key: str, sid: str) -> str | None:
    value = raw.get(key)
    if value is not None and value not in STATES:
        raise ScenarioError(f"{sid}: 'expect.{key}' must be one of {STATES}, not {value!r}")
    return value


def _optional_bool(raw: dict[str, Any], key: str, sid: str) -> bool | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, bool):
        raise ScenarioError(f"{sid}: 'expect.{key}' must be true or false")
    return value


def _optional_count(raw: dict[str, Any], key: str, sid: str) -> int | None:
    value = raw.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ScenarioError(f"{sid}: 'expect.{key}' must be a non-negative integer")
    return value


def _actions(raw: Any, sid: str) -> tuple[ExpectedAction, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ScenarioError(f"{sid}: 'expect.actions' must be a list")
    actions = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ScenarioError(f"{sid}: every expected action needs a 'name'")
        args = item.get("args", item.get("kwargs", {}))
        if not isinstance(args, dict):
            raise ScenarioError(f"{sid}: the args of {item['name']} must be an object")
        actions.append(ExpectedAction(item["name"], dict(args)))
    return tuple(actions)
