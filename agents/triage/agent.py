"""The triage agent: its card, its executor and the mesh directory it serves over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from agents.runtime.resources import AgentResources
from agents.runtime.spec import AgentSpec
from agents.triage.capability import CapabilityMinter
from agents.triage.executor import TriageExecutor
from agents.triage.plan_guard import GuardrailSettings, PlanGuard
from agents.triage.planning import PlanningService
from agents.triage.settings import TriageSettings
from deskmesh import __version__
from protocol.cards import CardSpec, SkillSpec
from router.delegate import A2ADelegate
from router.engine import PlanEngine

DIRECTORY_PATH = "/directory"


def _executor_factory(
    settings: TriageSettings, guardrails: GuardrailSettings
) -> Callable[[AgentResources], TriageExecutor]:
    def create_executor(resources: AgentResources) -> TriageExecutor:
        assert resources.client_factory is not None and resources.directory is not None
        metrics = resources.metrics
        delegate = A2ADelegate(
            resources.client_factory,
            resources.directory,
            timeout_s=resources.settings.delegation_timeout_s,
            # the engine's step timeout and retry bound each attempt; transient failures are
            # retried inside it, the ticket's wall time bounds the whole
            retry_window_s=settings.ticket_wall_time_s,
            on_retry=metrics.delegation_retried if metrics else None,
        )
        # Plans are made from every specialist ever seen: one that is away is a fault to report
        # (the delegation fails, the ticket too), not a skill the mesh no longer offers.
        planning = PlanningService(resources.store, resources.directory.known_cards, settings)
        minter = CapabilityMinter.from_settings(resources.settings)
        on_trip = metrics.guardrail_tripped if metrics else None
        engine = PlanEngine(delegate, settings.budget(), on_trip=on_trip)
        return TriageExecutor(
            planning,
            engine,
            minter,
            guard=PlanGuard(guardrails, on_trip=on_trip),
            directory=resources.directory,
            on_degraded=metrics.ticket_degraded if metrics else None,
        )

    return create_executor


def _directory_routes(resources: AgentResources) -> list[BaseRoute]:
    directory = resources.directory
    assert directory is not None

    async def live_directory(_: Request) -> JSONResponse:
        return JSONResponse({"agents": [entry.to_json() for entry in directory.live()]})

    return [Route(DIRECTORY_PATH, live_directory)]


CARD = CardSpec(
    name="triage",
    description="deskmesh triage agent: takes a customer-service ticket, works out what it "
    "asks for, delegates to the billing, orders and escalation agents, and replies.",
    version=__version__,
    skills=(
        SkillSpec(
            id="resolve_ticket",
            name="Resolve a support ticket",
            description="Understands a ticket (several requests at once are fine), asks one "
            "question when something is ambiguous, delegates and replies.",
            tags=("triage", "tickets"),
            examples=(
                "Where is my order #W1000001?",
                "Which cards do I have on file, and where is my last order?",
            ),
        ),
    ),
)


def build_spec(
    settings: TriageSettings | None = None, guardrails: GuardrailSettings | None = None
) -> AgentSpec:
    """The triage agent with its settings (built at the edge; default: the built-in ones)."""
    return AgentSpec(
        name="triage",
        card=CARD,
        create_executor=_executor_factory(
            settings or TriageSettings.defaults(), guardrails or GuardrailSettings.defaults()
        ),
        extra_routes=_directory_routes,
        delegates=True,
    )


SPEC = build_spec()
"""The triage agent on the built-in settings (``python -m agents.triage`` reads the environment)."""
