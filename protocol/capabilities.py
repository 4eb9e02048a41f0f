"""Ticket-scoped capabilities: signed, expiring, attenuable tokens (biscuit, Ed25519).

Triage mints one per ticket turn with the mesh's root private key. Its authority block names the
ticket, the verified customer, the orders, payment methods and skills in play, money limits per
write (integer cents), an expiry and a random ``jti``. Specialists hold only the root public
key: they can verify a capability but never mint one.

A holder narrows a capability by appending a block of checks (``attenuate``); biscuit signs the
chain, and facts of appended blocks are invisible to the verifier's checks, so an appended block
can only restrict, never widen. The verifier (``Verifier.verify``) states the request as facts
(``req_customer``, ``req_skill``, ``req_order``, …) and checks them against the authority facts;
every block's own checks must pass too.

The token travels as A2A extension ``CAPABILITY_EXTENSION_URI``: in the message metadata under
that key (``{"token": …}``) and in the ``CAPABILITY_HEADER`` request header (NATS or HTTP).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from biscuit_auth import (
    Algorithm,
    AuthorizationError,
    Authorizer,
    AuthorizerBuilder,
    Biscuit,
    BiscuitBuilder,
    BiscuitValidationError,
    BlockBuilder,
    Fact,
    KeyPair,
    PrivateKey,
    PublicKey,
    Rule,
)

from protocol.errors import DeskmeshError

CAPABILITY_EXTENSION_URI = "urn:deskmesh:ext:capability:v1"
CAPABILITY_HEADER = "Deskmesh-Capability"
PRIVATE_KEY_FILE = "capability-root.key"
PUBLIC_KEY_FILE = "capability-root.pub"
_MAX_DATALOG_TIME = timedelta(seconds=1)
"""Wall time is a poor bound: on a loaded 2-core box even 50 ms ran out, and a timed-out check
reads as a refusal. What bounds a hostile token's work is biscuit's deterministic limits (facts,
iterations), kept at their defaults, and the payload size limit; this is only a backstop."""

# The verifier's policy: the request (req_*) must fit the authority block's grant.
_CHECKS = """
check if ticket($t), req_ticket($t);
check if customer($c), req_customer($c);
check if skill($s), req_skill($s);
check if orders($g), req_orders($r), $g.contains($r);
check if payment_methods($g), req_payment_methods($r), $g.contains($r);
check if step($s, $d), req_step($s, $d);
check if max_refund($m), req_refund($r), $r <= $m;
check if max_charge($m), req_charge($c), $c <= $m;
check if expires($e), time($t), $t <= $e;
allow if capability("v1");
"""


def argument_digest(skill: str, arguments: Mapping[str, Any]) -> str:
    """A digest of one skill call that survives the wire: protobuf's Struct carries every
    number as a double, so an integral float and the int it equals digest alike."""
    payload = json.dumps(
        [skill, _canonical(arguments)], sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


class CapabilityError(DeskmeshError):
    """A capability that does not allow the request; ``code`` says why (safe to log)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Grant:
    """What a capability's authority block grants."""

    ticket_id: str
    customer_id: str
    skills: frozenset[str]
    orders: frozenset[str] = frozenset()
    payment_methods: frozenset[str] = frozenset()
    max_refund_cents: int = 0
    max_charge_cents: int = 0
    expires_at: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(minutes=5))
    jti: str = field(default_factory=lambda: secrets.token_hex(12))
    issuer: str = "triage"
    steps: frozenset[tuple[str, str]] = frozenset()
    """The plan's steps it may drive: (step id, ``argument_digest`` of the step's call)."""


@dataclass(frozen=True, slots=True)
class WriteRequest:
    """One write as the verifier states it."""

    skill: str
    customer_id: str | None
    ticket_id: str | None
    orders: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    refund_cents: int | None = 0
    """None: not stated here; the writer holds the write to the grant's limits instead."""
    charge_cents: int | None = 0
    step: str | None = None
    """The plan step the write claims (ticket envelope); None: not checked (gate refuses)."""
    digest: str = ""
    """``argument_digest`` of the call as it arrived; checked with ``step``."""


@dataclass(frozen=True, slots=True)
class CapabilityKeys:
    """The root key pair; specialists hold only ``public``."""

    public: PublicKey
    private: PrivateKey | None = None

    @classmethod
    def generate(cls) -> CapabilityKeys:
        pair = KeyPair()
        return cls(public=pair.public_key, private=pair.private_key)

    @classmethod
    def from_hex(
        cls, *, private_hex: str | None = None, public_hex: str | None = None
    ) -> CapabilityKeys | None:
        """From configuration; a private key implies its public key."""
        if private_hex:
            private = PrivateKey.from_bytes(bytes.fromhex(private_hex.strip()), Algorithm.Ed25519)
            return cls(public=KeyPair.from_private_key(private).public_key, private=private)
        if public_hex:
            public = PublicKey.from_bytes(bytes.fromhex(public_hex.strip()), Algorithm.Ed25519)
            return cls(public=public)
        return None

    @property
    def private_hex(self) -> str | None:
        return None if self.private is None else bytes(self.private.to_bytes()).hex()

    @property
    def public_hex(self) -> str:
        return bytes(self.public.to_bytes()).hex()

    def write(self, folder: Path) -> None:
        """Write ``capability-root.key`` (0600) and ``capability-root.pub`` into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.private_hex is not None:
            path = folder / PRIVATE_KEY_FILE
            path.touch(mode=0o600, exist_ok=True)
            path.chmod(0o600)
            path.write_text(self.private_hex + "\n")
        (folder / PUBLIC_KEY_FILE).write_text(self.public_hex + "\n")


def ensure_keys(folder: Path) -> CapabilityKeys:
    """The key pair under ``folder``, generated on first use (``deskmesh up``)."""
    private = folder / PRIVATE_KEY_FILE
    if private.exists():
        keys = CapabilityKeys.from_hex(private_hex=private.read_text())
        assert keys is not None
        return keys
    keys = CapabilityKeys.generate()
    keys.write(folder)
    return keys


def mint(grant: Grant, keys: CapabilityKeys) -> str:
    """A signed capability (URL-safe base64) for ``grant``."""
    if keys.private is None:
        raise CapabilityError("no private key to mint capabilities with", "capability_unkeyed")
    builder = BiscuitBuilder(
        'capability("v1"); issuer({issuer}); ticket({ticket}); customer({customer}); jti({jti});'
        " max_refund({refund}); max_charge({charge}); expires({expires});"
        " check if time($t), $t <= {expires};",
        {
            "issuer": grant.issuer,
            "ticket": grant.ticket_id,
            "customer": grant.customer_id,
            "jti": grant.jti,
            "refund": int(grant.max_refund_cents),
            "charge": int(grant.max_charge_cents),
            "expires": grant.expires_at,
        },
    )
    # sets for the subset checks, one fact per element for reading the grant back
    builder.add_fact(Fact("orders({v})", {"v": set(grant.orders)}))
    builder.add_fact(Fact("payment_methods({v})", {"v": set(grant.payment_methods)}))
    for name, values in _listed(grant.skills, grant.orders, grant.payment_methods):
        for value in sorted(values):
            builder.add_fact(Fact(f"{name}({{v}})", {"v": value}))
    for step_id, digest in sorted(grant.steps):
        builder.add_fact(Fact("step({s}, {d})", {"s": step_id, "d": digest}))
    return str(builder.build(keys.private).to_base64())


def _listed(
    skills: Iterable[str], orders: Iterable[str], payment_methods: Iterable[str]
) -> list[tuple[str, Iterable[str]]]:
    return [("skill", skills), ("order", orders), ("payment_method", payment_methods)]


class Verifier:
    """Verifies capabilities against the root public key; caches parsed (signature-checked)
    tokens and their grants, so a ticket's later writes pay only for the policy check."""

    def __init__(self, public_key: PublicKey, *, cache_size: int = 1024) -> None:
        self._public_key = public_key
        self._cache: OrderedDict[str, _Parsed] = OrderedDict()
        self._cache_size = cache_size

    def parse(self, token: str) -> Biscuit:
        return self._entry(token).biscuit

    def is_attenuated(self, token: str) -> bool:
        """Whether a holder appended blocks (which may narrow the grant) to the authority block."""
        return self._entry(token).biscuit.block_count() > 1

    def grant(self, token: str) -> Grant:
        """The authority block's grant (signature checked; no policy check)."""
        entry = self._entry(token)
        if entry.grant is None:
            entry.grant = _read_grant(
                _limited(AuthorizerBuilder("allow if true;")).build(entry.biscuit)
            )
        return entry.grant

    def _entry(self, token: str) -> _Parsed:
        cached = self._cache.get(token)
        if cached is not None:
            self._cache.move_to_end(token)
            return cached
        try:
            parsed = _Parsed(Biscuit.from_base64(token, self._public_key))
        except (BiscuitValidationError, ValueError, TypeError) as e:
            raise CapabilityError(
                "capability signature or format is invalid", "capability_invalid"
            ) from e
        self._cache[token] = parsed
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return parsed

    def verify(self, token: str, request: WriteRequest, now: datetime | None = None) -> Grant:
        """The grant, when the capability allows ``request``; else CapabilityError.

        A request without amounts (``refund_cents``/``charge_cents`` None) is checked for
        everything else; its caller must hold the write to the grant's money limits. A block
        appended to narrow the money refuses such a request (it has no amounts to check).
        """
        entry = self._entry(token)
        now = now or datetime.now(UTC)
        with_money = request.refund_cents is not None or request.charge_cents is not None
        facts = (
            "time({now}); req_customer({customer}); req_skill({skill});"
            " req_orders({orders}); req_payment_methods({methods});"
        )
        params: dict[str, Any] = {
            "now": now,
            "customer": request.customer_id or "",
            "skill": request.skill,
            "orders": set(request.orders),
            "methods": set(request.payment_methods),
        }
        if request.ticket_id is not None:
            # a request without a ticket envelope is bound to the capability's own ticket
            # only by the customer, skills and lists: see docs/guardrails.md
            facts += " req_ticket({ticket});"
            params["ticket"] = request.ticket_id
        if request.step is not None:
            facts += " req_step({step}, {digest});"
            params["step"] = request.step
            params["digest"] = request.digest
        if with_money:
            facts += " req_refund({refund}); req_charge({charge});"
            params["refund"] = int(request.refund_cents or 0)
            params["charge"] = int(request.charge_cents or 0)
        builder = AuthorizerBuilder(facts, params)
        builder.merge(_policy(request.ticket_id is not None, with_money, request.step is not None))
        authorizer = _limited(builder).build(entry.biscuit)
        try:
            authorizer.authorize()
        except AuthorizationError as e:
            grant = self.grant(token)
            raise CapabilityError(_refusal(grant, request, now), _refusal_code(grant, now)) from e
        if entry.grant is None:
            entry.grant = _read_grant(authorizer)
        return entry.grant


@dataclass(slots=True)
class _Parsed:
    biscuit: Biscuit
    grant: Grant | None = None


_POLICIES: dict[tuple[bool, bool, bool], AuthorizerBuilder] = {}


def _policy(with_ticket: bool, with_money: bool, with_step: bool) -> AuthorizerBuilder:
    key = (with_ticket, with_money, with_step)
    if key not in _POLICIES:
        checks = [
            line
            for line in _CHECKS.strip().splitlines()
            if (with_ticket or "req_ticket" not in line)
            and (with_money or ("req_refund" not in line and "req_charge" not in line))
            and (with_step or "req_step" not in line)
        ]
        _POLICIES[key] = AuthorizerBuilder("\n".join(checks))
    return _POLICIES[key]


def _limited(builder: AuthorizerBuilder) -> AuthorizerBuilder:
    limits = builder.limits()
    limits.max_time = _MAX_DATALOG_TIME
    builder.set_limits(limits)
    return builder


def _read_grant(authorizer: Authorizer) -> Grant:
    """The authority block's facts, from any authorizer built over the token."""

    def values(name: str) -> list[Any]:
        return [f.terms[0] for f in authorizer.query(Rule(f"q($v) <- {name}($v)"))]

    def one(name: str) -> Any:
        found = values(name)
        if len(found) != 1:
            raise CapabilityError(f"capability lacks {name}", "capability_invalid")
        return found[0]

    expires = one("expires")
    steps = authorizer.query(Rule("q($s, $d) <- step($s, $d)"))
    return Grant(
        ticket_id=one("ticket"),
        customer_id=one("customer"),
        skills=frozenset(values("skill")),
        orders=frozenset(values("order")),
        payment_methods=frozenset(values("payment_method")),
        max_refund_cents=int(one("max_refund")),
        max_charge_cents=int(one("max_charge")),
        expires_at=expires if expires.tzinfo else expires.replace(tzinfo=UTC),
        jti=one("jti"),
        issuer=one("issuer"),
        steps=frozenset((str(f.terms[0]), str(f.terms[1])) for f in steps),
    )


def _refusal_code(grant: Grant, now: datetime) -> str:
    return "capability_expired" if now > grant.expires_at else "capability_denied"


def _refusal(grant: Grant, request: WriteRequest, now: datetime) -> str:
    """Which part of the request the capability does not cover (ids only, no amounts' owners)."""
    if now > grant.expires_at:
        return "the ticket's capability has expired"
    if request.customer_id != grant.customer_id:
        return "the capability is for another customer"
    if request.ticket_id is not None and request.ticket_id != grant.ticket_id:
        return "the capability is for another ticket"
    if request.skill not in grant.skills:
        return f"the capability does not allow {request.skill}"
    if request.step is not None and (request.step, request.digest) not in grant.steps:
        if request.step in {step for step, _ in grant.steps}:
            return "the write's arguments are not the ones its plan step names"
        return "the capability's plan has no such step"
    if outside := sorted(set(request.orders) - grant.orders):
        return f"the capability does not cover order {outside[0]}"
    if outside := sorted(set(request.payment_methods) - grant.payment_methods):
        return f"the capability does not cover payment method {outside[0]}"
    if (request.refund_cents or 0) > grant.max_refund_cents:
        return "the refund is over the capability's limit"
    if (request.charge_cents or 0) > grant.max_charge_cents:
        return "the charge is over the capability's limit"
    return "the capability's holder narrowed it so that it does not allow this write"


def attenuate(
    token: str,
    verifier: Verifier,
    *,
    skills: Iterable[str] | None = None,
    orders: Iterable[str] | None = None,
    payment_methods: Iterable[str] | None = None,
    max_refund_cents: int | None = None,
    max_charge_cents: int | None = None,
    expires_at: datetime | None = None,
) -> str:
    """A narrower capability for a further delegation; refuses to widen (``capability_widened``).

    The child is the parent plus a signed block of checks; verification applies every block,
    so even a hand-made block that lists more cannot widen what the authority block granted.
    """
    parent = verifier.grant(token)
    narrowing: list[str] = []
    params: dict[str, Any] = {}
    for name, asked, granted, fact in (
        ("skills", skills, parent.skills, "req_skill"),
        ("orders", orders, parent.orders, "req_orders"),
        ("payment methods", payment_methods, parent.payment_methods, "req_payment_methods"),
    ):
        if asked is None:
            continue
        asked = frozenset(asked)
        if not asked <= granted:
            raise CapabilityError(f"attenuation would widen {name}", "capability_widened")
        # a skill is one value (membership); orders and methods are sets (subset)
        param = fact.removeprefix("req_")
        narrowing.append(f"check if {fact}($v), {{{param}}}.contains($v);")
        params[param] = set(asked)
    for asked_amount, limit, fact in (
        (max_refund_cents, parent.max_refund_cents, "req_refund"),
        (max_charge_cents, parent.max_charge_cents, "req_charge"),
    ):
        if asked_amount is None:
            continue
        if asked_amount > limit:
            raise CapabilityError("attenuation would raise a money limit", "capability_widened")
        narrowing.append(f"check if {fact}($a), $a <= {int(asked_amount)};")
    if expires_at is not None:
        if expires_at > parent.expires_at:
            raise CapabilityError("attenuation would extend the expiry", "capability_widened")
        narrowing.append("check if time($t), $t <= {exp};")
        params["exp"] = expires_at
    block = BlockBuilder("\n".join(narrowing), params) if narrowing else BlockBuilder("")
    return str(verifier.parse(token).append(block).to_base64())


__all__ = [
    "CAPABILITY_EXTENSION_URI",
    "CAPABILITY_HEADER",
    "CapabilityError",
    "CapabilityKeys",
    "Grant",
    "Verifier",
    "WriteRequest",
    "attenuate",
    "ensure_keys",
    "mint",
    "argument_digest",
]
