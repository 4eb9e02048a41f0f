"""Broker permissions: the policy of deskmesh/nats_policy.toml as nats-server configuration.

``render_authorization`` turns the policy into an ``authorization { users = [...] }`` block;
``ensure_credentials`` generates one random password per agent under ``<var>/nats/`` (mode 0600)
the first time ``deskmesh up`` runs. ``python -m deskmesh.broker compose`` prints the compose
mesh's permissions.conf (passwords as ``$NATS_<AGENT>_PASSWORD`` variables).
"""

from __future__ import annotations

import json
import secrets
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from protocol.binding import DEFAULT_SUBJECT_PREFIX, inbox_prefix, push_bucket, tasks_bucket
from protocol.discovery import DEFAULT_BUCKET
from protocol.replay import DEFAULT_LEDGER_BUCKET

POLICY_FILE = Path(__file__).with_name("nats_policy.toml")
CREDENTIALS_FILE = "users.json"


@dataclass(frozen=True, slots=True)
class AgentPermissions:
    agent: str
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]


def load_policy(
    path: Path = POLICY_FILE,
    *,
    prefix: str = DEFAULT_SUBJECT_PREFIX,
    bucket: str = DEFAULT_BUCKET,
    ledger: str = DEFAULT_LEDGER_BUCKET,
) -> dict[str, AgentPermissions]:
    """Every agent's subjects, with the placeholders filled in."""
    policy = tomllib.loads(path.read_text())
    common = policy["every_agent"]
    calls = {agent: list(rules.get("calls", [])) for agent, rules in policy["agents"].items()}
    result = {}
    for agent in calls:
        values = {
            "prefix": prefix,
            "agent": agent,
            "bucket": bucket,
            "ledger": ledger,
            "tasks": tasks_bucket(agent, prefix),
            "push": push_bucket(agent, prefix),
        }
        callers = [caller for caller, callees in calls.items() if agent in callees]
        publish = [s.format(**values) for s in common["publish"]]
        publish += [f"{prefix}.{callee}.rpc" for callee in calls[agent]]
        peers = dict.fromkeys([*callers, *calls[agent]])
        publish += [f"{inbox_prefix(peer)}.>" for peer in peers]
        subscribe = [s.format(**values) for s in common["subscribe"]]
        result[agent] = AgentPermissions(agent, tuple(publish), tuple(subscribe))
    return result


def _subjects(subjects: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(s) for s in subjects) + "]"


def render_authorization(
    permissions: Mapping[str, AgentPermissions], passwords: Mapping[str, str]
) -> str:
    """An ``authorization`` block; a password starting with ``$`` stays a variable reference."""
    lines = ["authorization {", "  users = ["]
    for agent, perms in permissions.items():
        password = passwords[agent]
        shown = password if password.startswith("$") else json.dumps(password)
        lines += [
            "    {",
            f"      user: {json.dumps(agent)}",
            f"      password: {shown}",
            "      permissions: {",
            f"        publish: {_subjects(perms.publish)}",
            f"        subscribe: {_subjects(perms.subscribe)}",
            "      }",
            "    }",
        ]
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


COMPOSE_HEADER = """\
# GENERATED from deskmesh/nats_policy.toml by `python -m deskmesh.broker compose`; do not edit.
# Per-agent NATS users of the compose mesh (subject prefix "a2a", cards bucket "deskmesh_cards").
# Passwords come from the nats service's environment (compose/.env or the shell); the compose
# file falls back to development values. Replace them for any shared deployment.
"""


def compose_permissions() -> str:
    permissions = load_policy()
    passwords = {agent: f"$NATS_{agent.upper()}_PASSWORD" for agent in permissions}
    return COMPOSE_HEADER + render_authorization(permissions, passwords)


def ensure_credentials(folder: Path, agents: tuple[str, ...]) -> dict[str, str]:
    """agent → password, generated once and kept in ``<folder>/users.json`` (0600)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CREDENTIALS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [a for a in agents if a not in stored]
    if missing:
        stored.update({a: secrets.token_urlsafe(24) for a in missing})
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        path.write_text(json.dumps(stored, indent=2))
    return {a: stored[a] for a in agents}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["compose"]:
        print("usage: python -m deskmesh.broker compose", file=sys.stderr)
        return 2
    sys.stdout.write(compose_permissions())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
