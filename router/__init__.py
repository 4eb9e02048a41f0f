"""Routing: plans of skill calls, their validation and their execution over A2A."""

from router.budget import Budget
from router.delegate import A2ADelegate, Delegation, DelegationError
from router.engine import PlanEngine, StepOutcome, TicketCancelled
from router.plan import Catalog, Plan, PlanError, SkillInfo, Step, validate_plan

__all__ = [
    "A2ADelegate",
    "Budget",
    "Catalog",
    "Delegation",
    "DelegationError",
    "Plan",
    "PlanEngine",
    "PlanError",
    "SkillInfo",
    "Step",
    "StepOutcome",
    "TicketCancelled",
    "validate_plan",
]
