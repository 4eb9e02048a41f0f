"""The customer-facing reply and the structured record of a ticket turn.

The reply is in the ticket's language (``Plan.language``; English when it is not one of
``wording.phrases.LANGUAGES``), built from the specialists' data (``wording.outcomes``), with
customer-facing names instead of raw ids. It carries no boilerplate: the "not something I can
help with" note only stands when nothing else was done or said, the colleague note only when a
handoff really ran, and a read that ran beside a write on the same order (it describes the order
before the write) is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agents.triage.customer import CustomerData
from agents.triage.identity import Identity
from agents.triage.wording import names, notes, outcomes
from agents.triage.wording.phrases import LANGUAGES, PHRASES
from domain import HANDOFF
from router.engine import StepOutcome
from router.plan import Plan

HELP_TEXT = PHRASES["help"]["en"]


def language_of(plan: Plan) -> str:
    return plan.language if plan.language in LANGUAGES else names.DEFAULT_LANGUAGE


def describe(outcome: StepOutcome, language: str = names.DEFAULT_LANGUAGE) -> str:
    return names.action(outcome.step.skill, outcome.step.order_id, language)


def compose(
    plan: Plan, outcomes_: Sequence[StepOutcome], customer: CustomerData | None = None
) -> str:
    language = language_of(plan)
    shown = _current(outcomes_)
    sentences = [_sentence(o, customer, language) for o in shown if o.status != "needs_input"]
    handed_over = any(o.step.skill == HANDOFF and o.status == "done" for o in outcomes_)
    said = [s for s in sentences if s]
    for note in plan.notes:
        kind = notes.known(note)
        if kind == "handed_over" and handed_over:
            continue  # the handoff's own sentence says it, with its reference
        if kind == "out_of_scope" and (said or len(plan.notes) > 1):
            continue  # a request was served: the rest was small talk, not a refusal
        said.append(notes.translate(notes.scrub(note, customer, language), language))
    if not said:
        said.append(outcomes.say("help", language))
    return " ".join(dict.fromkeys(s for s in said if s))


def question(plan: Plan, identity: Identity | None, customer: CustomerData | None = None) -> str:
    """The plan's question in the ticket's language; says so when identifying details given
    in the ticket matched no single account."""
    language = language_of(plan)
    text = notes.translate(notes.scrub(plan.question or "", customer, language), language)
    if identity is not None and identity.unmatched:
        return f"{outcomes.say('identity_unmatched', language)} {text}"
    return text


def _sentence(outcome: StepOutcome, customer: CustomerData | None, language: str) -> str:
    step = outcome.step
    if outcome.status == "done":
        data = (
            outcome.delegation.result.data
            if outcome.delegation and outcome.delegation.result
            else None
        )
        worded = outcomes.render(step.skill, data, step.arguments, customer, language)
        if worded:
            return worded
        if outcome.text:
            return notes.scrub(outcome.text, customer, language)
        return outcomes.say("done", language, what=describe(outcome, language))
    reason = notes.scrub(outcome.reason.rstrip("."), customer, language)
    return outcomes.say("could_not", language, what=describe(outcome, language), reason=reason)


def _current(outcomes_: Sequence[StepOutcome]) -> list[StepOutcome]:
    """Without the reads that ran beside a write on the same order (they show the old order)."""
    written = {
        o.step.order_id: o.step.id
        for o in outcomes_
        if o.step.kind == "write" and o.status == "done" and o.step.order_id
    }
    return [
        o
        for o in outcomes_
        if o.step.kind == "write"
        or o.step.order_id not in written
        or written[o.step.order_id] in o.step.depends_on
    ]


def specialist_questions(outcomes_: Sequence[StepOutcome]) -> list[str]:
    return [o.text or o.reason for o in outcomes_ if o.status == "needs_input"]


def record(outcome: StepOutcome) -> dict[str, Any]:
    step, d = outcome.step, outcome.delegation
    entry: dict[str, Any] = {
        "agent": step.agent,
        "skill": step.skill,
        "arguments": dict(step.arguments),
        "step": step.id,
        "depends_on": list(step.depends_on),
        "status": outcome.status,
        "ok": outcome.status == "done",
    }
    if d is not None:
        entry |= {
            "task_id": d.task_id,
            "state": d.state,
            "data": d.result.data if d.result else None,
        }
    if outcome.reason:
        entry["reason"] = outcome.reason
    return entry


def actions(outcomes_: Sequence[StepOutcome], ticket_id: str) -> list[dict[str, Any]]:
    """The writes that were carried out, in plan order."""
    return [
        {
            "agent": o.step.agent,
            "action": o.step.skill,
            "arguments": dict(o.step.arguments),
            "step": o.step.id,
            "idempotency_key": o.step.idempotency_key(ticket_id),
        }
        for o in outcomes_
        if o.step.kind == "write" and o.status == "done"
    ]
