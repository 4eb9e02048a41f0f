"""A scenario run's trajectory: turns, plan, delegations, specialist results, writes, reply.

Built from the conversation (what triage said and reported) and the store's audit log (what was
written under the ticket). Ids that change from run to run (task ids, timestamps) are left out,
and parallel delegations are ordered by plan step, so two runs of a deterministic planner give
equal trajectories.
"""

from __future__ import annotations

from typing import Any

from evaluation.conversation import Conversation

VOLATILE_KEYS = frozenset(
    {"created_at", "updated_at", "task_id", "ticket_id", "context_id", "idempotency_key"}
)


def scrub(value: Any) -> Any:
    """Drop run-specific keys, recursively."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in sorted(value.items()) if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def build_trajectory(
    conversation: Conversation, action_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    delegations = _delegations(conversation)
    steps = {d.pop("_task_id"): d for d in delegations if d.get("_task_id")}
    for d in delegations:
        d.pop("_task_id", None)
    return {
        "turns": [
            {"turn": t.number, "state": t.state, "message": t.message} for t in conversation.turns
        ],
        "plan": scrub(conversation.plan) if conversation.plan is not None else None,
        "delegations": delegations,
        "actions": _actions(action_rows, steps),
        "clarifications": conversation.questions,
        "final_state": conversation.final_state,
        "reply": conversation.reply,
        "error": conversation.error,
    }


def _delegations(conversation: Conversation) -> list[dict[str, Any]]:
    # Triage reports delegations in plan order (parallel ones included); keep it, per turn.
    records = sorted(conversation.delegations, key=lambda r: r.get("turn", 0))
    out = []
    for hop, record in enumerate(records, start=1):
        if "error" in record and "agent" not in record:
            out.append({"hop": hop, "turn": record.get("turn"), "error": str(record["error"])})
            continue
        data = record.get("data") if isinstance(record.get("data"), dict) else None
        out.append(
            {
                "hop": hop,
                "turn": record.get("turn"),
                "step": record.get("step"),
                "agent": record.get("agent"),
                "skill": record.get("skill"),
                "arguments": scrub(record.get("arguments") or {}),
                "state": record.get("state"),
                "ok": bool(record.get("ok")),
                "data": scrub(data) if data is not None else None,
                "_task_id": record.get("task_id"),
            }
        )
    return out


def _actions(rows: list[dict[str, Any]], steps: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    def order(row: dict[str, Any]) -> tuple[Any, ...]:
        step = steps.get(row.get("task_id") or "")
        hop = step["hop"] if step else 1 << 30
        return (hop, row.get("id") or 0)

    out = []
    for row in sorted(rows, key=order):
        step = steps.get(row.get("task_id") or "")
        out.append(
            {
                "name": row["action"],
                "args": row.get("arguments") or {},
                "outcome": row.get("outcome"),
                "error_code": row.get("error_code"),
                "hop": step["hop"] if step else None,
                "step": step["step"] if step else None,
            }
        )
    return out
