"""The escalation agent's skills: hand a ticket to a human."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agents.runtime.skills import Skill, SkillContext, SkillOutcome


class HandoffRequest(BaseModel):
    summary: str = Field(min_length=1, max_length=4000)
    reason: str = Field(default="customer asked for a human", max_length=500)
    priority: Literal["low", "normal", "high", "urgent"] = "normal"


async def transfer_to_human_agents(args: HandoffRequest, ctx: SkillContext) -> SkillOutcome:
    handoff = await ctx.store.apply(
        "transfer_to_human_agents",
        args.model_dump() | ({"user_id": ctx.customer_id} if ctx.customer_id else {}),
        ctx.write_context(),
    )
    text = (
        f"A human colleague will take over (handoff {handoff['id']}, "
        f"priority {handoff['priority']})."
    )
    return SkillOutcome(data={"handoff": handoff}, text=text)


SKILLS: tuple[Skill, ...] = (
    Skill(
        id="transfer_to_human_agents",
        name="Hand off to a human",
        description="Records a handoff to the human support queue with a summary and priority.",
        kind="write",
        input_model=HandoffRequest,
        handler=transfer_to_human_agents,
        examples=("I want to talk to a person.", "This is unacceptable, get me a manager."),
        keywords=("human", "person", "manager", "agent", "complaint", "representative"),
    ),
)
