"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from protocol.binding import NATS_BINDING_URI


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, row)) for row in rows]
    return "\n".join(out)


def _row(entry: dict[str, Any]) -> list[str]:
    card = entry["card"]
    interfaces = card.get("supportedInterfaces", [])
    http = next((i["url"] for i in interfaces if i["protocolBinding"] == "JSONRPC"), "")
    nats = next((i["url"] for i in interfaces if i["protocolBinding"] == NATS_BINDING_URI), "")
    skills = ", ".join(s["id"] for s in card.get("skills", []))
    return [entry["agent"], entry["instance"], http, nats.rsplit("/", 1)[-1], skills]


def print_directory(entries: list[dict[str, Any]]) -> None:
    header = ("agent", "instance", "HTTP (JSON-RPC)", "NATS subject", "skills")
    print(format_table(header, [_row(e) for e in entries]))


def print_mesh_table(mesh: Any) -> None:
    import httpx  # only when a table needs the live agents

    with httpx.Client(timeout=5) as http:
        entries = list(mesh.live_agents(http).values())
    print()
    print_directory(sorted(entries, key=lambda e: e["agent"]))
    print()
    print(f"NATS: {mesh.nats_url}    triage card: {mesh.triage_url}/.well-known/agent-card.json")
    print("Try:")
    print('  .venv/bin/deskmesh ask "Where is my order #W1000001?" --customer ava_moreno_1001')
    print("Ctrl-C stops the mesh.", flush=True)
