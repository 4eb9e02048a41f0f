"""The compose file and the Dockerfile agree with the agents (no Docker engine needed)."""

from __future__ import annotations

import re
from typing import Any

from agents.runtime.settings import AgentSettings
from tests.deploy.compose import (
    AGENTS,
    DOCKERFILE,
    agent_of,
    agent_services,
    interpolate,
    service_env,
)

PACKAGES = ("domain", "agents", "protocol", "router", "store", "deskmesh")
SETTINGS_FIELDS = {f"DESKMESH_{name.upper()}" for name in AgentSettings.model_fields}


def test_compose_parses_with_infrastructure_and_one_service_per_agent(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert {"nats", "postgres", "seed"} <= set(services)
    agents = agent_services(compose)
    default = {agent_of(s) for s in agents.values() if not s.get("profiles")}
    assert default == set(AGENTS)
    replicas = [n for n, s in agents.items() if s.get("profiles")]
    assert replicas == ["orders-2"] and agent_of(agents["orders-2"]) == "orders"
    assert "-js" in services["nats"]["command"] or "jetstream" in (
        (DOCKERFILE.parent / "nats" / "nats.conf").read_text()
    )
    assert any(v.endswith(":/data") for v in services["nats"]["volumes"])
    assert any("postgresql/data" in v for v in services["postgres"]["volumes"])


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    """Pinned official images by default; ensure-images.sh may point the variables elsewhere."""
    for name in ("nats", "postgres"):
        image = compose["services"][name]["image"]
        assert image.startswith(f"${{DESKMESH_{name.upper()}_IMAGE:-"), image
        assert re.fullmatch(r"[\w/.-]+:\d+\.\d+(\.\d+)?-[\w.-]+", interpolate(image, {})), image
    assert re.search(r"python:3\.11\.\d+-slim", DOCKERFILE.read_text())
    assert "# syntax=" not in DOCKERFILE.read_text()  # BuildKit would fetch a frontend image


def test_agent_environment_is_real_settings(compose: dict[str, Any]) -> None:
    for name, service in agent_services(compose).items():
        env = service_env(service)
        unknown = {k for k in env if k.startswith("DESKMESH_")} - SETTINGS_FIELDS
        assert not unknown, (name, unknown)
        settings = AgentSettings(
            **{
                k.removeprefix("DESKMESH_").lower(): v
                for k, v in env.items()
                if k.startswith("DESKMESH_")
            }
        )
        assert settings.nats_url == "nats://nats:4222"
        assert settings.store_url().startswith("postgresql+asyncpg://")
        assert settings.tasks_url(agent_of(service)) == settings.store_url()
        assert settings.host == "0.0.0.0" and settings.port == 8080
        # the card names a URL other containers reach: the service (or its alias) on its port
        host = settings.public_url.removeprefix("http://").split(":")[0]
        aliases = service.get("networks", {}).get("default", {}).get("aliases", [])
        assert host in {name, *aliases} and host == agent_of(service)
        assert settings.public_url.endswith(f":{settings.port}")
        assert settings.nats_user == agent_of(service) and settings.nats_password


def test_health_checks_and_restarts(compose: dict[str, Any]) -> None:
    for name, service in agent_services(compose).items():
        check = " ".join(service["healthcheck"]["test"])
        port = service_env(service)["DESKMESH_PORT"]
        assert f"http://127.0.0.1:{port}/readyz" in check, name
        assert service["restart"] == "unless-stopped"
        assert service["command"] == ["python", "-m", f"agents.{agent_of(service)}"]
        grace = float(service_env(service)["DESKMESH_SHUTDOWN_GRACE_S"])
        assert float(service["stop_grace_period"].removesuffix("s")) > grace
        for dependency in ("nats", "postgres"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy"
        assert service["depends_on"]["seed"]["condition"] == "service_completed_successfully"
    # loopback only, and a host port Docker picks unless one is asked for (8080 is often taken)
    assert compose["services"]["triage"]["ports"] == ["127.0.0.1:${DESKMESH_TRIAGE_PORT:-}:8080"]
    assert interpolate(compose["services"]["triage"]["ports"][0], {}) == "127.0.0.1::8080"
    for mapping in compose["services"]["nats"]["ports"]:
        assert re.fullmatch(r"127\.0\.0\.1::\d+", interpolate(mapping, {})), mapping


def test_nats_passwords_match(compose: dict[str, Any]) -> None:
    nats_env = {
        k: interpolate(str(v), {}) for k, v in compose["services"]["nats"]["environment"].items()
    }
    for service in agent_services(compose).values():
        agent = agent_of(service)
        assert (
            service_env(service)["DESKMESH_NATS_PASSWORD"]
            == nats_env[f"NATS_{agent.upper()}_PASSWORD"]
        )


def test_dockerfile_runs_what_the_project_runs() -> None:
    text = DOCKERFILE.read_text()
    assert re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE) == ["${PYTHON_IMAGE}"]
    assert re.search(r"^USER\s+10001", text, re.MULTILINE)
    assert 'CMD ["python", "-m", "agents.triage"]' in text
    assert "ENTRYPOINT" not in text and "# syntax" not in text
    assert "/readyz" in text and "DESKMESH_PORT=8080" in text
    assert re.search(r"^COPY \. /src$", text, re.MULTILINE)
    assert "pip install --quiet --no-build-isolation /src" in text


def test_the_build_context_holds_the_packages_and_not_the_rest() -> None:
    """``COPY .`` takes what .dockerignore lets through (the classic builder reads the root one)."""
    ignored = [
        line.strip()
        for line in (DOCKERFILE.parents[1] / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for kept in ("pyproject.toml", "README.md", *PACKAGES):
        assert kept not in ignored
    for dropped in (".git", ".venv", "var", "tests", "compose/.env", "compose", "docs"):
        assert dropped in ignored
