"""``deskmesh trace TASK_ID``: a ticket's tree of hops and delegations, from the local span files.

Agents without an OTLP endpoint write their spans as JSON lines to
``<var_dir>/traces/<agent>.jsonl`` (``agents.runtime.tracing``). This module finds the traces
that mention a task id (as ``a2a.task_id`` or ``deskmesh.ticket_id``) and prints each as a tree:
who served which hop, which skill, the resulting task state, when it started relative to the
trace and how long it took.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRACES_DIR = "traces"


@dataclass(slots=True)
class SpanNode:
    record: dict[str, Any]
    children: list[SpanNode] = field(default_factory=list)

    @property
    def start_ns(self) -> int:
        return int(self.record["start_ns"])

    @property
    def duration_ms(self) -> float:
        return (int(self.record["end_ns"]) - self.start_ns) / 1e6

    @property
    def attributes(self) -> dict[str, Any]:
        return dict(self.record.get("attributes") or {})

    def walk(self) -> Iterator[SpanNode]:
        yield self
        for child in self.children:
            yield from child.walk()


def read_spans(var_dir: Path) -> list[dict[str, Any]]:
    spans: list[dict[str, Any]] = []
    folder = var_dir / TRACES_DIR
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
        with path.open(encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    spans.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash
    return spans


def trace_ids_for(task_id: str, spans: Iterable[dict[str, Any]]) -> list[str]:
    """Traces in which ``task_id`` is a task or a ticket, oldest first."""
    first_seen: dict[str, int] = {}
    for span in spans:
        attributes = span.get("attributes") or {}
        if task_id in (attributes.get("a2a.task_id"), attributes.get("deskmesh.ticket_id")):
            trace_id = span["trace_id"]
            first_seen[trace_id] = min(first_seen.get(trace_id, span["start_ns"]), span["start_ns"])
    return sorted(first_seen, key=first_seen.__getitem__)


def build_trees(trace_id: str, spans: Iterable[dict[str, Any]]) -> list[SpanNode]:
    """The roots of one trace (a span whose parent was not recorded here is a root)."""
    nodes = {s["span_id"]: SpanNode(s) for s in spans if s["trace_id"] == trace_id}
    roots: list[SpanNode] = []
    for node in nodes.values():
        parent = nodes.get(node.record.get("parent_id") or "")
        (parent.children if parent is not None else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.start_ns)
    return sorted(roots, key=lambda n: n.start_ns)


def describe(node: SpanNode) -> str:
    """One line: service, span, skill/state/task, in a form people read."""
    r, a = node.record, node.attributes
    service = r.get("service") or "?"
    kind = r.get("kind")
    if kind == "client":
        head = f"{service} → {a.get('deskmesh.target', '?')}  {a.get('a2a.method', r['name'])}"
    elif kind == "server":
        binding = a.get("a2a.binding") or "http"
        head = f"{service}  {binding} {a.get('a2a.method') or r['name']}"
    else:
        head = f"{service}  {r['name']}"
    details = []
    if a.get("deskmesh.skill") and kind == "client":
        details.append(str(a["deskmesh.skill"]))
    if a.get("a2a.state"):
        details.append(f"[{a['a2a.state']}]")
    if kind == "internal" and a.get("a2a.task_id"):
        details.append(f"task {a['a2a.task_id']}")
    if r.get("status") == "error":
        details.append("ERROR")
    return " ".join([head, *details])


def render(trace_id: str, roots: list[SpanNode]) -> list[str]:
    if not roots:
        return []
    origin = min(n.start_ns for n in roots)
    end = max(int(n.record["end_ns"]) for root in roots for n in root.walk())
    ticket = next(
        (
            n.attributes["deskmesh.ticket_id"]
            for root in roots
            for n in root.walk()
            if n.attributes.get("deskmesh.ticket_id")
        ),
        "?",
    )
    lines = [f"trace {trace_id}  ticket {ticket}  {(end - origin) / 1e6:.1f} ms"]

    def emit(node: SpanNode, prefix: str, last: bool) -> None:
        offset = (node.start_ns - origin) / 1e6
        branch = "└─ " if last else "├─ "
        timing = f"+{offset:.1f} ms  {node.duration_ms:.1f} ms"
        lines.append(f"{prefix}{branch}{describe(node)}  ({timing})")
        child_prefix = prefix + ("   " if last else "│  ")
        for i, child in enumerate(node.children):
            emit(child, child_prefix, i == len(node.children) - 1)

    for i, root in enumerate(roots):
        emit(root, "", i == len(roots) - 1)
    return lines


def trace_report(task_id: str, var_dir: Path) -> list[str]:
    spans = read_spans(var_dir)
    lines: list[str] = []
    for trace_id in trace_ids_for(task_id, spans):
        if lines:
            lines.append("")
        lines.extend(render(trace_id, build_trees(trace_id, spans)))
    return lines
