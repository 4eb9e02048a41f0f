"""What understanding hands the planner: a ticket's requests, each with its label and entities."""

from __future__ import annotations

from dataclasses import dataclass

from agents.triage.nlu.entities import Entities
from agents.triage.nlu.intents import IntentScore
from agents.triage.nlu.tone import Tone

CUE_SCORE = 1.0
"""The score of a label read from a strong cue (a model score is below it)."""


@dataclass(frozen=True, slots=True)
class Request:
    text: str
    label: str | None
    """A skill id, ``topic:…``, ``none:…``, ``ask:remedy`` (see ``REMEDY``), or None when
    nothing was recognised."""
    score: float
    entities: Entities
    ranked: tuple[IntentScore, ...] = ()
    """The model's best labels (empty when a strong cue named the label)."""
    answers: tuple[str, ...] = ()
    """The customer's answers to questions this request asked (already part of ``text``)."""

    @property
    def actionable(self) -> bool:
        return self.label is not None and not self.label.startswith("none:")

    @property
    def cued(self) -> bool:
        return self.score >= CUE_SCORE


@dataclass(frozen=True, slots=True)
class Understanding:
    language: str
    tone: Tone
    requests: tuple[Request, ...]
