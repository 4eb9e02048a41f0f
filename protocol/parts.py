"""The mesh's data parts: structured skill calls and results carried in A2A messages and artifacts.

Inside the mesh a delegation is an A2A message with one data part of media type
``SKILL_CALL_MEDIA_TYPE`` (skill id + arguments) and a ticket envelope in the message metadata;
a specialist answers with an artifact holding a ``SKILL_RESULT_MEDIA_TYPE`` data part and a
human-readable text part. Customer text inside arguments is data, never instructions.
"""

from __future__ import annotations

from typing import Any

from a2a.helpers import new_data_part
from a2a.types import Message, Part
from google.protobuf import struct_pb2
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SKILL_CALL_MEDIA_TYPE = "application/vnd.deskmesh.skill-call+json"
SKILL_RESULT_MEDIA_TYPE = "application/vnd.deskmesh.skill-result+json"
TICKET_METADATA_KEY = "deskmesh/ticket"
CUSTOMER_METADATA_KEY = "deskmesh/customer"
CUSTOMER_ID_FIELD = "userId"
"""The customer's id in ``deskmesh/customer``: camelCase like A2A's own JSON (§5.5)."""
LEGACY_CUSTOMER_ID_FIELD = "user_id"
"""What clients written before the camelCase keys send; still read."""


class SkillCall(BaseModel):
    """One structured invocation of a specialist's skill."""

    model_config = ConfigDict(extra="forbid")

    skill: str = Field(min_length=1, max_length=100)
    arguments: dict[str, Any] = Field(default_factory=dict)


class SkillResult(BaseModel):
    """What a specialist returns for a SkillCall."""

    model_config = ConfigDict(extra="forbid")

    skill: str
    ok: bool
    data: dict[str, Any] | None = None
    error: str | None = None
    error_code: str | None = None


class TicketEnvelope(BaseModel):
    """Ticket identity carried with every delegation (message metadata)."""

    model_config = ConfigDict(extra="ignore")

    ticket_id: str = Field(min_length=1, max_length=200)
    step: str = Field(default="0", max_length=100)
    customer_id: str | None = Field(default=None, max_length=200)
    depth: int = 0

    @property
    def idempotency_key(self) -> str:
        """Stable per (ticket, plan step): a retried delegation repeats the same key."""
        return f"{self.ticket_id}:{self.step}"


def data_part(data: Any, media_type: str = "") -> Part:
    """``a2a.helpers.new_data_part``, with a JSON object filled in by ``Struct.update`` instead
    of ``json_format.ParseDict`` (the same Value, in about a third of the CPU)."""
    if not isinstance(data, dict):
        return new_data_part(data, media_type=media_type)
    value = struct_pb2.Value()
    value.struct_value.SetInParent()  # an empty object is still an object
    value.struct_value.update(data)
    return Part(data=value, media_type=media_type)


def skill_call_part(call: SkillCall) -> Part:
    return data_part(call.model_dump(mode="json"), media_type=SKILL_CALL_MEDIA_TYPE)


def skill_result_part(result: SkillResult) -> Part:
    return data_part(result.model_dump(mode="json"), media_type=SKILL_RESULT_MEDIA_TYPE)


def _typed_data(parts: Any, media_type: str) -> list[Any]:
    return [data for part, data in _with_data(parts) if part.media_type == media_type]


def _with_data(parts: Any) -> list[tuple[Part, Any]]:
    return [(p, MessageToDict(p.data)) for p in parts if p.HasField("data")]


def find_skill_call(message: Message) -> SkillCall | None:
    """The message's skill call, or None when it carries free text only.

    Raises ValueError when a skill-call part is present but malformed.
    """
    found = _typed_data(message.parts, SKILL_CALL_MEDIA_TYPE)
    if not found:
        return None
    try:
        return SkillCall.model_validate(found[0])
    except ValidationError as e:
        raise ValueError(f"malformed skill call: {e.errors()[0]['msg']}") from e


def find_skill_result(parts: Any) -> SkillResult | None:
    found = _typed_data(parts, SKILL_RESULT_MEDIA_TYPE)
    if not found:
        return None
    return SkillResult.model_validate(found[0])


def read_ticket(message: Message) -> TicketEnvelope | None:
    if TICKET_METADATA_KEY not in message.metadata:
        return None
    raw = MessageToDict(message.metadata).get(TICKET_METADATA_KEY)
    try:
        return TicketEnvelope.model_validate(raw)
    except ValidationError:
        return None


def customer_metadata(customer: str) -> dict[str, Any]:
    """The message metadata that names the verified customer."""
    return {CUSTOMER_METADATA_KEY: {CUSTOMER_ID_FIELD: customer}}


def read_customer(message: Message) -> str | None:
    """The verified customer id a helpdesk attached to the message, if any: ``{"userId": …}``,
    the older ``{"user_id": …}`` or a bare string."""
    raw = MessageToDict(message.metadata).get(CUSTOMER_METADATA_KEY)
    if isinstance(raw, dict):
        for field in (CUSTOMER_ID_FIELD, LEGACY_CUSTOMER_ID_FIELD):
            if isinstance(raw.get(field), str):
                return str(raw[field])
        return None
    if isinstance(raw, str):
        return raw
    return None


__all__ = [
    "CUSTOMER_ID_FIELD",
    "CUSTOMER_METADATA_KEY",
    "SKILL_CALL_MEDIA_TYPE",
    "SKILL_RESULT_MEDIA_TYPE",
    "TICKET_METADATA_KEY",
    "SkillCall",
    "SkillResult",
    "TicketEnvelope",
    "customer_metadata",
    "find_skill_call",
    "find_skill_result",
    "read_customer",
    "read_ticket",
    "skill_call_part",
    "skill_result_part",
]
