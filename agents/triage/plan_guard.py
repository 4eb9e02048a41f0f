"""The triage's guardrail hooks around a plan: checks before it runs, validation and budget trips
after (router.policy, router.budget, agents.runtime.validation; docs/guardrails.md).

- ``check``: the plan checks on the customer's data (drops and holds, a handoff naming held
  writes) and the ticket's LLM token budget;
- ``validate``: every specialist result against its schema; specialist text that tries to
  instruct is kept out of the reply;
- ``handoff_for_trips``: a tripped budget or loop guard ends the ticket with a handoff.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from pydantic_settings import SettingsConfigDict

from agents.runtime.settings import EdgeSettings
from agents.runtime.validation import check_result, clean_text
from agents.triage.customer import CustomerData
from agents.triage.screening import Screener, Screening
from router.budget import TokenMeter
from router.engine import StepOutcome
from router.plan import Plan, Step
from router.policy import (
    DEFAULT_APPROVAL_AMOUNT,
    DEFAULT_MAX_IRREVERSIBLE,
    HANDOFF,
    PolicyDecision,
    PolicySettings,
    check_plan,
)

TRIP_NOTE = (
    "I had to stop working on this ticket ({why}), so I have passed it to a human colleague, "
    "who will follow up."
)
TRIP_TEXT = {
    "delegations": "it needed more steps than one ticket may take",
    "depth": "the chain of hand-overs got too deep",
    "wall_time": "it took longer than one ticket may take",
    "llm_tokens": "it used more planning effort than one ticket may take",
    "repeat": "the same step kept repeating",
    "ping_pong": "it kept bouncing between teams",
}


class GuardrailSettings(EdgeSettings):
    """``DESKMESH_*``: plan-check and LLM-budget limits of the triage."""

    model_config = SettingsConfigDict(env_prefix="DESKMESH_", env_file=None, extra="ignore")

    max_irreversible_writes: int = DEFAULT_MAX_IRREVERSIBLE
    approval_amount: float = DEFAULT_APPROVAL_AMOUNT
    """Writes moving more money than this go to a human for approval."""
    max_llm_tokens: int = 60_000
    """LLM tokens one ticket may use over all its turns."""

    def policy(self) -> PolicySettings:
        return PolicySettings(self.max_irreversible_writes, self.approval_amount)


class PlanGuard:
    """The triage's plan checks before running: screening, policy, LLM token budget."""

    def __init__(
        self,
        settings: GuardrailSettings | None = None,
        *,
        screener: Screener | None = None,
        on_trip: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings or GuardrailSettings.defaults()
        self.tokens = TokenMeter(self.settings.max_llm_tokens)
        self.screener = screener or Screener()
        self.on_trip = on_trip

    def check(
        self, plan: Plan, customer: CustomerData | None, ticket_id: str, handoff_agent: str | None
    ) -> tuple[Plan, PolicyDecision, list[str]]:
        """The plan that may run, the policy decision, and the budgets it tripped."""
        tokens = int(plan.metadata.get("total_tokens", 0) or 0)
        if tokens and not self.tokens.add(ticket_id, tokens):
            self.tripped("llm_tokens")
            steps = tuple(s for s in plan.steps if s.skill == HANDOFF)
            return (
                Plan(
                    steps=steps,
                    language=plan.language,
                    planner=plan.planner,
                    metadata=plan.metadata,
                ),
                PolicyDecision(plan),
                ["llm_tokens"],
            )
        decision = check_plan(plan, customer, self.settings.policy(), handoff_agent=handoff_agent)
        for v in decision.violations:
            self.tripped(f"policy_{v.rule}")
        return decision.plan, decision, []

    def validate(self, outcomes: Sequence[StepOutcome]) -> list[StepOutcome]:
        """Outcomes whose result fails its schema become failures; suspicious text is dropped."""
        checked: list[StepOutcome] = []
        for o in outcomes:
            d = o.delegation
            if d is None:
                checked.append(o)
                continue
            problem = check_result(d.call, d.result)
            if problem is not None:
                self.tripped("output_validation")
                o = StepOutcome(o.step, "failed", None, "the answer did not pass validation")
            elif d.text:
                text = clean_text(d.text, self.screener.screen(d.text).flagged)
                if text != d.text:
                    self.tripped("peer_text")
                    o = dataclasses.replace(o, delegation=dataclasses.replace(d, text=text))
            checked.append(o)
        return checked

    def handoff_for_trips(
        self, trips: Sequence[str], outcomes: Sequence[StepOutcome], handoff_agent: str | None
    ) -> Step | None:
        """The handoff that ends a ticket whose budget tripped (None if one already ran)."""
        if not trips or handoff_agent is None:
            return None
        if any(o.step.skill == HANDOFF and o.status == "done" for o in outcomes):
            return None
        undone = [o.step.skill for o in outcomes if o.status != "done"]
        summary = (
            f"Guardrail tripped ({', '.join(trips)}); the ticket was stopped. Not done: "
            f"{', '.join(undone) or 'nothing pending'}."
        )
        return Step.of(
            handoff_agent,
            HANDOFF,
            {"summary": summary, "reason": f"guardrail: {', '.join(trips)}", "priority": "high"},
            kind="write",
        )

    @staticmethod
    def trip_note(trips: Sequence[str]) -> str:
        why = "; ".join(TRIP_TEXT.get(t, t) for t in trips)
        return TRIP_NOTE.format(why=why)

    @staticmethod
    def trips(outcomes: Sequence[StepOutcome]) -> list[str]:
        return list(dict.fromkeys(o.guardrail for o in outcomes if o.guardrail))

    @staticmethod
    def record(
        screening: Screening, decision: PolicyDecision, trips: Sequence[str]
    ) -> dict[str, Any]:
        """The reply artifact's guardrail entries."""
        return {
            "screening": screening.record(),
            "policy": decision.record(),
            "guardrails": list(trips),
        }

    def tripped(self, name: str) -> None:
        """Count a guardrail that refused or rewrote something (metrics)."""
        if self.on_trip is not None:
            self.on_trip(name)
