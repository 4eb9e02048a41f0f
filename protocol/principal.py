"""Principals; the caller of a NATS A2A request is the agent whose reply inbox it names.

Every deskmesh agent takes its replies on ``_INBOX.<agent>.>`` (``binding.inbox_prefix``), and the
broker's per-agent users let only that agent subscribe there (``deskmesh/nats_policy.toml``). A
request naming another agent's inbox gets its answer delivered to that agent, never to the
sender, so the inbox is the identity the broker vouches for. Without broker users (``make run``)
it is only claimed, like any caller on an open mesh.
"""

from __future__ import annotations

from starlette.authentication import BaseUser

NATS_PRINCIPAL_PREFIX = "nats:"


class Principal(BaseUser):
    """An authenticated caller, by name (Starlette's user; the SDK reads ``display_name``).
    Every binding's authentication puts one in the request scope (``scope["user"]``)."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self._name


def nats_principal(reply: str | None) -> Principal | None:
    """The principal of a request answered on ``reply`` (``_INBOX.<agent>.<id>...``), if any."""
    tokens = (reply or "").split(".")
    if len(tokens) < 3 or tokens[0] != "_INBOX" or not tokens[1]:
        return None
    return Principal(NATS_PRINCIPAL_PREFIX + tokens[1])
