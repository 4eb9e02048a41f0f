"""Planning service: the live catalog, the cached NLU model and the configured planner.

Screening and offline planning are CPU work; they run on one worker thread (one at a time, as
on the event loop before, so the planner needs no locking) and never on the event loop, so
heartbeats, health checks and other tickets' delegations keep going while a ticket is read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from a2a.types import AgentCard

from agents.triage.customer import CustomerData
from agents.triage.llm_planner import LlmPlanner
from agents.triage.planner import OfflinePlanner
from agents.triage.screening import Screening, default_screener
from agents.triage.settings import TriageSettings
from agents.triage.understanding import Understander
from router.plan import Catalog, Plan
from store import Store

if TYPE_CHECKING:
    from openai import AsyncOpenAI

logger = logging.getLogger(__name__)

TRIAGE = "triage"
T = TypeVar("T")


class PlanningService:
    """Plans a ticket turn: the offline planner, or the LLM planner with its fallback."""

    def __init__(
        self,
        store: Store,
        cards: Callable[[], Mapping[str, AgentCard]],
        settings: TriageSettings | None = None,
        *,
        llm_client: AsyncOpenAI | None = None,
    ) -> None:
        """``llm_client`` is used when ``settings.planner`` is "llm" (default: one built from
        the settings' OpenAI base URL and key)."""
        self._store = store
        self._cards = cards
        self.settings = settings or TriageSettings.defaults()
        self._products: dict[str, str] | None = None
        self._cached: tuple[tuple[object, ...], OfflinePlanner] | None = None
        self._catalog: tuple[tuple[AgentCard, ...], Catalog] | None = None
        self.screener = default_screener()  # guardrails: the screener the planner uses too
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="triage-planning")
        self.llm: LlmPlanner | None = None
        if self.settings.planner == "llm":
            # imported only for the LLM planner: the openai package is ~18 MB of memory
            from openai import AsyncOpenAI

            s = self.settings
            client = llm_client or AsyncOpenAI(
                base_url=s.openai_base_url,
                api_key=s.openai_api_key or "unset",
                max_retries=0,
                timeout=s.llm_timeout_s,
            )
            self.llm = LlmPlanner(
                client, s.llm_model, timeout_s=s.llm_timeout_s, max_questions=s.max_questions
            )
            logger.info("LLM planner: model %s at %s", s.llm_model, client.base_url)

    def catalog(self) -> Catalog:
        """The live catalog; rebuilt only when the directory holds other card objects (it
        parses a new one for every update it sees, so the same objects mean the same cards)."""
        cards = tuple(c for name, c in self._cards().items() if name != TRIAGE)
        if self._catalog is not None:
            seen, catalog = self._catalog
            if len(seen) == len(cards) and all(a is b for a, b in zip(seen, cards, strict=True)):
                return catalog
        catalog = Catalog.from_cards(cards)
        self._catalog = (cards, catalog)
        return catalog

    async def offline(self) -> OfflinePlanner:
        if self._products is None:
            self._products = {p["name"]: p["product_id"] for p in await self._store.list_products()}
        catalog = self.catalog()
        key = tuple(sorted((s, i.agent, i.kind, i.examples) for s, i in catalog.skills.items()))
        if self._cached is None or self._cached[0] != key:
            understander = Understander(catalog, sorted(self._products), self._products)
            planner = OfflinePlanner(understander, max_questions=self.settings.max_questions)
            self._cached = (key, planner)
        return self._cached[1]

    async def plan(self, turns: Sequence[str], customer: CustomerData | None) -> Plan:
        return (await self.screened_plan(turns, customer))[0]

    # --- guardrails (issue 6): plan only on the screened text; return the verdict too ---
    async def screened_plan(
        self, turns: Sequence[str], customer: CustomerData | None
    ) -> tuple[Plan, Screening]:
        user = customer.user_id if customer else None
        turns, screening = await self._off_loop(self.screener.screen_turns, turns, user)
        return await self._plan(turns, customer), screening

    # --- end guardrails ---

    async def _plan(self, turns: Sequence[str], customer: CustomerData | None) -> Plan:
        offline = await self.offline()
        if self.llm is None:
            return await self._off_loop(offline.plan, turns, customer)
        return await self.llm.plan(turns, customer, offline.catalog, offline.plan)

    async def _off_loop(self, fn: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn, *args)
