"""Cards: HTTP first, NATS in the mesh card only; invalid cards from peers are refused."""

from __future__ import annotations

from typing import Any

import pytest

from protocol.binding import NATS_BINDING_URI
from protocol.cards import (
    CardSpec,
    SkillSpec,
    build_card,
    card_from_dict,
    card_to_dict,
    public_card,
)
from protocol.errors import InvalidCardError
from protocol.parts import SKILL_CALL_MEDIA_TYPE

SPEC = CardSpec(
    name="orders",
    description="orders agent",
    version="1.2.3",
    skills=(SkillSpec(id="get_order_details", name="Order", description="d", tags=("read",)),),
)


def _card_json() -> dict[str, Any]:
    card = build_card(
        SPEC, http_base_url="http://127.0.0.1:8000/", nats_interface_url="nats://h:4222/a2a.x.rpc"
    )
    return card_to_dict(card)


def test_http_interfaces_come_first_and_the_public_card_has_only_them() -> None:
    interfaces = _card_json()["supportedInterfaces"]
    served = [(i["protocolBinding"], i["protocolVersion"]) for i in interfaces]
    assert served == [
        ("JSONRPC", "1.0"),
        ("HTTP+JSON", "1.0"),
        ("JSONRPC", "0.3"),  # the same endpoints, A2A 0.3 (tests/interop)
        ("HTTP+JSON", "0.3"),
        (NATS_BINDING_URI, "1.0"),
    ]
    assert interfaces[0]["url"] == interfaces[2]["url"] == "http://127.0.0.1:8000/a2a/jsonrpc"
    card = build_card(
        SPEC, http_base_url="http://127.0.0.1:8000/", nats_interface_url="nats://h:4222/a2a.x.rpc"
    )
    public = card_to_dict(public_card(card))
    assert NATS_BINDING_URI not in {i["protocolBinding"] for i in public["supportedInterfaces"]}
    # every RPC URL has the card's origin (Google ADK refuses a card otherwise)
    assert {i["url"].split("/a2a/")[0] for i in public["supportedInterfaces"]} == {
        "http://127.0.0.1:8000"
    }


def test_no_provider_without_a_real_url_and_the_mesh_parts_are_declared() -> None:
    data = _card_json()
    assert "provider" not in data
    assert SKILL_CALL_MEDIA_TYPE in data["defaultInputModes"]
    assert {"text/plain", "application/json"} <= set(data["defaultInputModes"])


def test_round_trip() -> None:
    data = _card_json()
    assert card_to_dict(card_from_dict(data)) == data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c.pop("name"), "lacks name"),
        (lambda c: c.update(version=""), "lacks version"),
        (lambda c: c.update(supportedInterfaces=[]), "no interfaces"),
        (lambda c: c["supportedInterfaces"][0].pop("url"), "incomplete interface"),
        (lambda c: c["skills"][0].update(id=""), "incomplete skill"),
        (lambda c: c.update(skills="not a list"), "not an agent card"),
        (lambda c: c.update(capabilities=[1, 2]), "not an agent card"),
    ],
)
def test_invalid_cards_are_refused(mutate: Any, message: str) -> None:
    data = _card_json()
    mutate(data)
    with pytest.raises(InvalidCardError, match=message):
        card_from_dict(data)
