"""CapabilityGate: a specialist's check of the ticket capability before any write.

Reads need no capability (the store's ownership rules still hold for a verified customer).
A write needs a capability (the request's ``Deskmesh-Capability`` header, or the message
metadata under the extension URI, which the handler takes out before the message is stored) and
its ticket envelope. The capability must verify against the root public key and cover this
customer, ticket, skill, order and payment method, and name the envelope's plan step with the
digest of exactly this call's arguments: a harvested token cannot drive a write its plan did not
contain. The money limits it grants go with the write to the store, which refuses, inside the
write's transaction, a write that would refund or charge more (so the gate never reads the
order). A (jti, step) may authorise one request only, across every replica (the ledger is a
JetStream KV bucket); repeating that same request (a retry) is fine. The only write allowed
without a capability is an anonymous skill (a handoff to a human).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from a2a.server.agent_execution import RequestContext
from a2a.types import Message
from google.protobuf.json_format import MessageToDict

from agents.runtime.task_access import CAPABILITY_STATE_KEY
from agents.runtime.write_scope import MoneyLimits, Scope, price_in, write_scope
from domain import SKILLS
from protocol.capabilities import (
    CAPABILITY_EXTENSION_URI,
    CAPABILITY_HEADER,
    CapabilityError,
    CapabilityKeys,
    Verifier,
    WriteRequest,
    argument_digest,
)
from protocol.parts import TicketEnvelope
from protocol.replay import KvReplayLedger, MemoryReplayLedger, ReplayLedger
from store import Store

if TYPE_CHECKING:
    from agents.runtime.resources import AgentResources


def capability_token(message: Message | None, context: RequestContext | None = None) -> str | None:
    """The capability this request carries (never one of an earlier request of the task): the
    one the handler took out of the message, the request header, or still in the message."""
    call = context.call_context if context is not None else None
    state = call.state if call is not None else {}
    headers = state.get("headers") or {}
    for token in (state.get(CAPABILITY_STATE_KEY), headers.get(CAPABILITY_HEADER.lower())):
        if isinstance(token, str) and token:
            return token
    if message is not None and CAPABILITY_EXTENSION_URI in message.metadata:
        raw = MessageToDict(message.metadata).get(CAPABILITY_EXTENSION_URI)
        token = raw.get("token") if isinstance(raw, dict) else raw
        if isinstance(token, str) and token:
            return token
    return None


def capability_gate(resources: AgentResources, agent: str) -> CapabilityGate:
    """The gate of an agent process, from its settings; its replicas share one ledger."""
    settings = resources.settings
    ledger = KvReplayLedger(
        resources.nc,
        settings.capability_ledger_bucket,
        namespace=agent,
        ttl_s=settings.capability_ttl_s * 2,
        replicas=settings.jetstream_replicas,
    )
    return CapabilityGate(
        settings.capability_keys(),
        resources.store,
        enforce=settings.capabilities == "enforce",
        ledger=ledger,
    )


class CapabilityGate:
    """A specialist's check of a write's ticket capability before the write runs."""

    def __init__(
        self,
        keys: CapabilityKeys | None,
        store: Store,
        *,
        enforce: bool = True,
        ledger: ReplayLedger | None = None,
    ) -> None:
        self._verifier = Verifier(keys.public) if keys is not None else None
        self._store = store
        self._enforce = enforce
        self._ledger = ledger or MemoryReplayLedger()

    async def check_write(
        self,
        *,
        skill: str,
        anonymous: bool,
        arguments: Mapping[str, Any],
        call_arguments: Mapping[str, Any],
        token: str | None,
        customer_id: str | None,
        ticket: TicketEnvelope | None,
        task_id: str,
    ) -> MoneyLimits | None:
        """The money limits the write must keep, when it may run; raise CapabilityError (with a
        code) when not. None: no limits (capabilities off, or an anonymous handoff).

        ``arguments`` are the validated ones; ``call_arguments`` the call as it arrived, whose
        digest the plan step must name."""
        if not self._enforce:
            return None
        if token is None:
            if anonymous:
                return None
            raise CapabilityError("a write needs the ticket's capability", "capability_required")
        if self._verifier is None:
            raise CapabilityError(
                "this agent has no key to verify capabilities", "capability_unkeyed"
            )
        if ticket is None:
            raise CapabilityError("a write needs its ticket envelope", "ticket_required")
        digest = argument_digest(skill, call_arguments)
        # Everything but the amounts is checked here; the amounts need the order, which the
        # store reads inside the write's transaction anyway, so the grant's limits go there.
        scope = write_scope(skill, arguments, None, price_in({}))
        request = WriteRequest(
            skill=skill,
            customer_id=customer_id,
            ticket_id=ticket.ticket_id,
            orders=scope.orders,
            payment_methods=scope.payment_methods,
            refund_cents=None,
            charge_cents=None,
            step=ticket.step,
            digest=digest,
        )
        try:
            grant = self._verifier.verify(token, request)
            limits = MoneyLimits(grant.max_refund_cents, grant.max_charge_cents)
        except CapabilityError as refused:
            # A holder may have narrowed the money limits in an appended block; only the write's
            # actual amounts can tell whether it still fits, so read them and ask again.
            if refused.code != "capability_denied" or not self._verifier.is_attenuated(token):
                raise
            amounts = await self._amounts(skill, arguments, customer_id)
            request = replace(
                request, refund_cents=amounts.refund_cents, charge_cents=amounts.charge_cents
            )
            grant = self._verifier.verify(token, request)
            limits = MoneyLimits(amounts.refund_cents, amounts.charge_cents)
        await self._ledger.record(grant.jti, ticket.step, digest, grant.expires_at)
        return limits

    async def _amounts(
        self, skill: str, arguments: Mapping[str, Any], customer_id: str | None
    ) -> Scope:
        """The write's money over the store. Read only for skills that move money, and not for
        another customer's order (ownership refuses that write with its own reason)."""
        order_id = arguments.get("order_id")
        order = None
        products: dict[str, Mapping[str, Any]] = {}
        if SKILLS.money(skill).moves_money and isinstance(order_id, str):
            order = await self._store.get_order(order_id)
            if order is not None and order.get("user_id") != customer_id:
                order = None
            if order is not None and arguments.get("new_item_ids"):
                for product_id in sorted({str(i.get("product_id")) for i in order["items"]}):
                    product = await self._store.get_product(product_id)
                    if product is not None:
                        products[product_id] = product
        return write_scope(skill, arguments, order, price_in(products))
