"""AgentSpec: what makes one agent different from another inside the shared runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from a2a.server.agent_execution import AgentExecutor
from starlette.routing import BaseRoute

from protocol.cards import CardSpec

if TYPE_CHECKING:
    from agents.runtime.resources import AgentResources


@dataclass(frozen=True, slots=True)
class AgentSpec:
    """An agent: its card, how to build its executor, and any routes of its own.

    ``delegates`` is true for agents that call other agents (they get a Directory and a client
    factory in their resources).
    """

    name: str
    card: CardSpec
    create_executor: Callable[[AgentResources], AgentExecutor]
    extra_routes: Callable[[AgentResources], list[BaseRoute]] = field(default=lambda _: [])
    delegates: bool = False
