"""The escalation agent's skills: hand a ticket to a human, and report a handoff's status."""

from __future__ import annotations

from agents.escalation.priority import derive_priority
from agents.runtime.ownership import require_customer, require_owner
from agents.runtime.skills import Handlers, Skill, SkillContext, SkillOutcome
from domain import HANDOFF
from domain.arguments import HandoffRef, HandoffRequest
from store import NotFound

HANDLERS = Handlers("escalation")


@HANDLERS.handles(HANDOFF)
async def hand_off(args: HandoffRequest, ctx: SkillContext) -> SkillOutcome:
    arguments = {
        "summary": args.summary,
        "reason": args.reason or "customer asked for a human",
        "priority": args.priority or derive_priority(args.summary),
    }
    if ctx.customer_id:
        arguments["user_id"] = ctx.customer_id
    handoff = await ctx.store.apply(HANDOFF, arguments, ctx.write_context())
    text = (
        f"A human colleague will take over (handoff {handoff['id']}, "
        f"priority {handoff['priority']})."
    )
    return SkillOutcome(data={"handoff": handoff}, text=text)


@HANDLERS.handles("get_handoff_status")
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


SKILLS: tuple[Skill, ...] = HANDLERS.skills()
"""The escalation agent's skills as registered at import (``HANDLERS.skills()`` rebinds)."""
