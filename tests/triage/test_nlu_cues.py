"""Unit tests of the glossary, strong cues and the new entities."""

from __future__ import annotations

from agents.triage.customer import CustomerData
from agents.triage.nlu.cues import cue_label
from agents.triage.nlu.entities import extract
from agents.triage.nlu.glossary import to_english

CUSTOMER = CustomerData(
    "ava_moreno_1001",
    {
        "payment_methods": {
            "credit_card_1": {"source": "credit_card", "brand": "visa", "last_four": "1884"},
            "paypal_2": {"source": "paypal"},
            "gift_card_3": {"source": "gift_card", "balance": 10},
        }
    },
    {},
)


def test_glossary_translates_request_cues_only() -> None:
    assert "cancel" in to_english("Quiero cancelar el pedido #W1000001, ya no lo necesito.")
    assert "no longer need" in to_english("Quiero cancelar el pedido #W1000001, ya no lo necesito.")
    assert "by mistake" in to_english("Vorrei annullare l'ordine #W1000005, per errore.")
    assert "gift card" in to_english("Qual é o saldo do meu cartão-presente?")
    assert "22 Elm Street" in to_english("Merci d'envoyer la commande au 22 Elm Street, Apt 4")
    english = "Where is my order #W1000001?"
    assert to_english(english) == english


def test_inline_address_and_other_user() -> None:
    text = "Update the address of user liam_chen_1002 to 5 Aspen Court, Suite 1, Denver, CO 80205."
    e = extract(text, CUSTOMER, ())
    assert e.address is not None and e.address["address1"] == "5 Aspen Court"
    assert e.others == ("liam_chen_1002",)
    e = extract("ship #W1234567 to 410 Orchard Lane, Apt 9, Madison, WI, USA, 53703", None, ())
    assert e.address == {
        "address1": "410 Orchard Lane",
        "address2": "Apt 9",
        "city": "Madison",
        "country": "USA",
        "state": "WI",
        "zip": "53703",
    }
    assert extract("Cancel my wife's order please", CUSTOMER, ()).others


def test_payment_change_target_is_not_the_replaced_method() -> None:
    e = extract("Pay for #W1000001 with my PayPal instead of the credit card.", CUSTOMER, ())
    assert [p.method_id for p in e.new_payments] == ["paypal_2"]
    e = extract("#W1000001 is on my gift card, move the payment to my visa.", CUSTOMER, ())
    assert [p.method_id for p in e.new_payments] == ["credit_card_1"]
    assert cue_label("Switch the payment of #W1000001 to my gift card.", e) == (
        "modify_pending_order_payment"
    )


def test_cues_need_their_entities() -> None:
    bare = extract("please ship it somewhere else", CUSTOMER, ())
    assert cue_label("please ship it somewhere else", bare) is None
    assert cue_label("I want to talk to a human", bare) == "transfer_to_human_agents"
    text = "Send #W1000006 to 900 Congress Ave, Floor 3, Austin, TX 78701, USA."
    assert cue_label(text, extract(text, CUSTOMER, ())) == "modify_pending_order_address"
    text = "Please update my default address to 3 Willow Bend, Raleigh, NC, USA, 27601."
    assert cue_label(text, extract(text, CUSTOMER, ())) == "modify_user_address"
    assert cue_label("What is my gift card balance?", extract("gift card", CUSTOMER, ())) is None
