"""Triage settings (``DESKMESH_*``): planner choice, LLM model, questions and budgets."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from agents.runtime.settings import EdgeSettings
from router.budget import Budget
from router.loops import DEFAULT_MAX_BOUNCES, DEFAULT_MAX_IDENTICAL


class TriageSettings(EdgeSettings):
    """The triage's own settings (``DESKMESH_*``, ``OPENAI_*``), built at the edge."""

    model_config = SettingsConfigDict(
        env_prefix="DESKMESH_", env_file=None, extra="ignore", populate_by_name=True
    )

    planner: Literal["offline", "llm"] = "offline"
    llm_model: str = "gpt-4o-mini"
    """Model name for the LLM planner."""
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "DESKMESH_OPENAI_BASE_URL")
    )
    """OpenAI-compatible endpoint of the LLM planner (None: the openai package's default)."""
    openai_api_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "DESKMESH_OPENAI_API_KEY"),
        repr=False,
    )
    llm_timeout_s: float = 20.0
    """Time for one planning call; a slower answer falls back to the offline planner."""
    max_questions: int = 2
    """Questions per ticket before an unresolved request goes to a human."""
    max_delegations: int = 24
    max_depth: int = 3
    ticket_wall_time_s: float = 120.0
    step_timeout_s: float = 30.0
    step_attempts: int = 2
    max_identical_calls: int = DEFAULT_MAX_IDENTICAL
    """How often one identical delegation may happen in a ticket (loop guard)."""
    max_bounces: int = DEFAULT_MAX_BOUNCES
    """Back-and-forth hops between two agents before it counts as ping-pong (loop guard)."""

    # --- faults (issue 14, docs/faults.md) ---
    max_ticket_chars: int = 20_000
    """Longest ticket (all customer turns together) triage reads; longer ones are rejected."""
    expected_agents: str = "billing,orders,escalation"
    """Specialists a ticket needs in the directory (comma-separated; empty: no check)."""
    specialist_wait_s: float = 10.0
    """How long a ticket waits for an expected specialist that was never seen, then fails."""
    # --- end faults ---

    def expected(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.expected_agents.split(",") if a.strip())

    def budget(self) -> Budget:
        return Budget(
            max_delegations=self.max_delegations,
            max_depth=self.max_depth,
            wall_time_s=self.ticket_wall_time_s,
            step_timeout_s=self.step_timeout_s,
            attempts=self.step_attempts,
            max_identical_calls=self.max_identical_calls,
            max_bounces=self.max_bounces,
        )
