"""/healthz (the process is up) and /readyz (it takes requests: NATS served, stores open)."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass(slots=True)
class Readiness:
    """Mutable readiness flag shared by the service and its routes."""

    ready: bool = False
    reasons: list[str] = field(default_factory=list)


def health_routes(readiness: Readiness, agent: str) -> list[Route]:
    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "agent": agent})

    async def readyz(_: Request) -> JSONResponse:
        if readiness.ready:
            return JSONResponse({"status": "ready", "agent": agent})
        return JSONResponse({"status": "not ready", "agent": agent}, status_code=503)

    return [Route("/healthz", healthz), Route("/readyz", readyz)]
