"""A ticket turn's honest outcome: which steps ran, which did not, whether a human has it.

The rule (docs/faults.md): a turn whose every step ran (done, refused by a precondition, or
answered with a question) ends as before; a turn with a step that could not run (the specialist
was unreachable or failed, a budget stopped it) ends ``failed``, never ``completed``, after a
handoff to a human has been tried. The facts go into the reply artifact (``outcome``) and into a
separate closing section of the reply text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from router.engine import StepOutcome
from router.policy import HANDOFF

DEGRADED_REASONS = (
    "not_done",
    "missing_specialist",
    "stale_directory",
    "retried",
    "too_large",
)
"""Why a ticket counts as degraded (the ``reason`` label of ``deskmesh_degraded_tickets``)."""


@dataclass(frozen=True, slots=True)
class TicketOutcome:
    ran: tuple[StepOutcome, ...]
    not_run: tuple[StepOutcome, ...]
    handoff: StepOutcome | None
    """The handoff to a human made in this turn (planned, guardrail or fault), if any."""
    degraded: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> bool:
        return bool(self.not_run)

    @property
    def human_has_it(self) -> bool:
        return self.handoff is not None and self.handoff.status == "done"

    def record(self) -> dict[str, Any]:
        """The ``outcome`` entry of the reply artifact."""
        handoff = None
        if self.handoff is not None:
            d = self.handoff.delegation
            handoff = {
                "agent": self.handoff.step.agent,
                "status": self.handoff.status,
                "taskId": d.task_id if d else None,
            }
        return {
            "state": "failed" if self.failed else "done",
            "ran": [o.step.id for o in self.ran],
            "notRun": [
                {
                    "step": o.step.id,
                    "agent": o.step.agent,
                    "skill": o.step.skill,
                    "reason": o.reason,
                }
                for o in self.not_run
            ],
            "humanHasIt": self.human_has_it,
            "handoff": handoff,
            "degraded": list(self.degraded),
        }

    def section(self) -> str:
        """The reply's closing section; empty when everything ran."""
        if not self.failed:
            return ""
        total = len(self.ran) + len(self.not_run)
        lines = [f"Status: {len(self.ran)} of {total} steps done."]
        if self.human_has_it:
            lines.append("A human colleague has this ticket and will follow up.")
        else:
            lines.append("No human colleague could be reached either; please try again later.")
        return " ".join(lines)


def assess(
    outcomes: Sequence[StepOutcome],
    *,
    extra_handoff: StepOutcome | None = None,
    degraded: Sequence[str] = (),
) -> TicketOutcome:
    """Sort a turn's outcomes into ran / not run; ``extra_handoff`` is a handoff made after the
    plan (for a fault or a guardrail) and already included in ``outcomes``."""
    handoffs = [o for o in outcomes if o.step.skill == HANDOFF]
    handoff = next((o for o in handoffs if o.status == "done"), None) or extra_handoff
    if handoff is None and handoffs:
        handoff = handoffs[-1]
    ran = tuple(o for o in outcomes if o.ran)
    # A handoff that failed is reported under "handoff", not as a step the customer asked for
    # when it was the fault's own handoff.
    not_run = tuple(o for o in outcomes if not o.ran and o is not extra_handoff)
    reasons = list(degraded)
    if not_run:
        reasons.append("not_done")
    if any(o.retried for o in outcomes):
        reasons.append("retried")
    return TicketOutcome(ran, not_run, handoff, tuple(dict.fromkeys(reasons)))


def fault_summary(not_run: Sequence[StepOutcome]) -> str:
    """What a fault's handoff tells the human colleague."""
    items = "; ".join(f"{o.step.agent}.{o.step.skill} ({o.reason})" for o in not_run)
    return f"Steps of this ticket could not be carried out: {items}."
