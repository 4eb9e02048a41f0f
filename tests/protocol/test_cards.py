"""Cards: NATS first, HTTP after; invalid cards from peers are refused with a clear error."""

from __future__ import annotations

from typing import Any

import pytest

from protocol.binding import NATS_BINDING_URI
from protocol.cards import CardSpec, SkillSpec, build_card, card_from_dict, card_to_dict
from protocol.errors import InvalidCardError

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


def test_nats_interface_comes_first_then_http() -> None:
    interfaces = _card_json()["supportedInterfaces"]
    assert [i["protocolBinding"] for i in interfaces] == [NATS_BINDING_URI, "JSONRPC", "HTTP+JSON"]
    assert interfaces[1]["url"] == "http://127.0.0.1:8000/a2a/jsonrpc"
    assert all(i["protocolVersion"] == "1.0" for i in interfaces)


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
