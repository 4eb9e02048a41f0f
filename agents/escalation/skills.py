"""The escalation agent's skills: hand a ticket to a human, and report a handoff's status."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agents.escalation.priority import derive_priority
from agents.runtime.ownership import require_customer, require_owner
from agents.runtime.skills import Arguments, Skill, SkillContext, SkillOutcome
from store import NotFound

Priority = Literal["low", "normal", "high", "urgent"]


class HandoffRequest(Arguments):
    summary: str = Field(min_length=1, max_length=4000)
    reason: str | None = Field(default=None, max_length=500)
    priority: Priority | None = Field(
        default=None, description="default: derived from urgency and sentiment in the summary"
    )


class HandoffRef(Arguments):
    handoff_id: int | None = Field(default=None, ge=1, description="default: the latest one")


async def transfer_to_human_agents(args: HandoffRequest, ctx: SkillContext) -> SkillOutcome:
    arguments = {
        "summary": args.summary,
        "reason": args.reason or "customer asked for a human",
        "priority": args.priority or derive_priority(args.summary),
    }
    if ctx.customer_id:
        arguments["user_id"] = ctx.customer_id
    handoff = await ctx.store.apply("transfer_to_human_agents", arguments, ctx.write_context())
    text = (
        f"A human colleague will take over (handoff {handoff['id']}, "
        f"priority {handoff['priority']})."
    )
    return SkillOutcome(data={"handoff": handoff}, text=text)


async def get_handoff_status(args: HandoffRef, ctx: SkillContext) -> SkillOutcome:
    if args.handoff_id is not None:
        handoff = await ctx.store.get_handoff(args.handoff_id)
        if handoff is None:
            raise NotFound("handoff_not_found", f"handoff {args.handoff_id} not found")
        require_owner(ctx, handoff["user_id"], f"handoff {args.handoff_id}")
    else:
        customer = require_customer(ctx)
        mine = [h for h in await ctx.store.list_handoffs() if h["user_id"] == customer]
        if not mine:
            raise NotFound("handoff_not_found", "there is no handoff for this customer")
        handoff = mine[-1]
    words = {"open": "is waiting for a colleague", "claimed": "is being handled by a colleague"}
    state = words.get(handoff["status"], "is closed")
    text = f"Handoff {handoff['id']} ({handoff['priority']} priority) {state}."
    return SkillOutcome(data={"handoff": handoff}, text=text)


SKILLS: tuple[Skill, ...] = (
    Skill(
        id="transfer_to_human_agents",
        name="Hand off to a human",
        description="Records a handoff to the human support queue with a summary, a reason and "
        "a priority (derived from urgency and sentiment when not given).",
        kind="write",
        input_model=HandoffRequest,
        handler=transfer_to_human_agents,
        anonymous=True,
        examples=(
            "I want to talk to a person.",
            "This is unacceptable, get me a manager right now!",
            "Can a real human call me back about my complaint? No rush.",
        ),
        keywords=(
            "human",
            "person",
            "manager",
            "supervisor",
            "complaint",
            "representative",
            "someone",
        ),
        action="hand you to a colleague",
    ),
    Skill(
        id="get_handoff_status",
        name="Handoff status",
        description="The status of a handoff to human support (by id, or the customer's latest).",
        kind="read",
        input_model=HandoffRef,
        handler=get_handoff_status,
        examples=(
            "Has anyone picked up my request for a human yet?",
            "What's the status of handoff 12?",
            "Is someone from support already working on my case?",
        ),
        keywords=("status", "picked up", "anyone", "already", "handoff", "case", "my request"),
    ),
)
