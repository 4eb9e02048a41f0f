"""The retail domain of the mesh: every skill defined once (``SKILLS``), its typed arguments,
order statuses and money effects. Start at ``domain/skills.py``."""

from domain.errors import DeskmeshError, RegistryError
from domain.money import Money, MoneyEffect, cents
from domain.registry import SkillDef, SkillKind, SkillRegistry
from domain.skills import (
    CANCEL,
    EXCHANGE,
    HANDOFF,
    MODIFY_ITEMS,
    MODIFY_PAYMENT,
    ORDER_ADDRESS,
    RETURN,
    SKILLS,
    USER_ADDRESS,
)

__all__ = [
    "CANCEL",
    "EXCHANGE",
    "HANDOFF",
    "MODIFY_ITEMS",
    "MODIFY_PAYMENT",
    "ORDER_ADDRESS",
    "RETURN",
    "SKILLS",
    "USER_ADDRESS",
    "DeskmeshError",
    "Money",
    "MoneyEffect",
    "RegistryError",
    "SkillDef",
    "SkillKind",
    "SkillRegistry",
    "cents",
]
