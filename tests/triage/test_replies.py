"""Replies through the in-process mesh (demo store): the ticket's language, customer-facing
names instead of raw ids, no boilerplate or contradictory lines; and an anonymous ticket that
identifies itself by email or by name + zip code."""

from __future__ import annotations

import re
import string
from collections.abc import AsyncIterator

import pytest
from a2a.client import Client
from a2a.helpers import get_message_text
from a2a.types import Task, TaskState

from agents.triage.wording.phrases import LANGUAGES, PHRASES
from deskmesh.ask import ticket_message
from store import Store, generate_demo
from tests.guardrails.mesh import mesh_client, reply_data, send

DEMO = generate_demo()
RAW_ID = re.compile(r"\b(?:credit_card|paypal|gift_card)_\d+\b|(?<![\d#W])\d{10}\b")


@pytest.fixture(scope="module")
async def mesh(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Client, str]]:
    async with mesh_client(nats_url, tmp_path_factory.mktemp("replies-mesh"), DEMO) as pair:
        yield pair


@pytest.fixture
async def fresh(mesh: tuple[Client, str]) -> AsyncIterator[Client]:
    triage, url = mesh
    async with Store(url) as store:
        await store.reset(DEMO)
    yield triage


def _text(task: Task) -> str:
    return get_message_text(task.status.message)


def test_every_phrase_has_every_language_and_no_field_english_lacks() -> None:
    for key, table in PHRASES.items():
        assert set(table) == set(LANGUAGES), key
        fields = {
            lang: {f for _, f, _, _ in string.Formatter().parse(t) if f}
            for lang, t in table.items()
        }
        # a language may leave out a detail English names (``which_order``'s purpose)
        assert all(f <= fields["en"] for f in fields.values()), key


@pytest.mark.parametrize(
    ("ticket", "lead", "status"),
    [
        ("Where is my order #W1000003?", "Order #W1000003 (Smart Watch, ", "is processed"),
        ("¿Dónde está mi pedido #W1000003?", "El pedido #W1000003 (Smart Watch, ", "y Coffee"),
        ("Où est ma commande #W1000003 ?", "La commande #W1000003 (Smart Watch, ", "est traitée"),
        ("Wo ist meine Bestellung #W1000003?", "Die Bestellung #W1000003 (", "ist versandt"),
        ("Dov'è il mio ordine #W1000003?", "L'ordine #W1000003 (Smart Watch, ", "è elaborato"),
        ("Onde está o meu pedido #W1000003?", "O pedido #W1000003 (Smart Watch, ", "processado"),
        ("Waar is mijn bestelling #W1000003?", "Bestelling #W1000003 (", "is verwerkt"),
    ],
)
async def test_the_reply_is_in_the_ticket_language(
    fresh: Client, ticket: str, lead: str, status: str
) -> None:
    task = await send(fresh, ticket_message(ticket, "ava_moreno_1001", None))
    assert task.status.state == TaskState.TASK_STATE_COMPLETED
    reply = _text(task)
    assert lead in reply and status in reply


async def test_a_cancellation_in_spanish_is_confirmed_in_spanish(fresh: Client) -> None:
    ticket = "Quiero cancelar el pedido #W1000001, ya no lo necesito."
    task = await send(fresh, ticket_message(ticket, "ava_moreno_1001", None))
    reply = _text(task)
    assert "El pedido #W1000001 está cancelado." in reply
    assert "su Visa terminada en 1884" in reply and not RAW_ID.search(reply)


async def test_payment_methods_are_named_as_the_customer_knows_them(fresh: Client) -> None:
    task = await send(
        fresh, ticket_message("Which cards do I have on file?", "ava_moreno_1001", None)
    )
    reply = _text(task)
    assert "your Visa ending 1884" in reply and "your gift card ($223.00)" in reply
    assert not RAW_ID.search(reply)


async def test_a_return_names_items_and_refund_method_and_says_nothing_contradictory(
    fresh: Client,
) -> None:
    ticket = (
        "Return the backpack from #W1000008 with the refund to my amex card, and tell me the "
        "refund status."
    )
    task = await send(fresh, ticket_message(ticket, "sara_okafor_1003", None))
    assert task.status.state == TaskState.TASK_STATE_COMPLETED
    reply = _text(task)
    assert [a["action"] for a in reply_data(task)["actions"]] == ["return_delivered_order_items"]
    assert re.search(r"Backpack \((grey, small|small, grey)\)", reply)
    assert "your Amex ending 2491" in reply
    assert not RAW_ID.search(reply) and "no refund" not in reply.lower()


async def test_a_served_ticket_gets_no_out_of_scope_line(fresh: Client) -> None:
    ticket = "Where is my order #W1000003? Thanks a lot, and have a great weekend!"
    task = await send(fresh, ticket_message(ticket, "ava_moreno_1001", None))
    reply = _text(task)
    assert "#W1000003" in reply and "not something I can help with" not in reply


# -- identification of an anonymous ticket -------------------------------------------------------


async def _order_reads(task: Task) -> list[str]:
    return [
        d["arguments"].get("order_id")
        for d in reply_data(task).get("delegations", [])
        if d["skill"] == "get_order_details" and d["status"] == "done"
    ]


@pytest.mark.parametrize(
    "ticket",
    [
        "Hi, I'm Ava Moreno, zip 80223. Where is my order #W1000003?",
        "hello, my name is ava moreno and my zip code is 80223. where is #W1000003?",
        "My email is Ava.Moreno1000@example.com. Where is my order #W1000003?",
    ],
)
async def test_an_anonymous_ticket_identifies_by_email_or_name_and_zip(
    fresh: Client, ticket: str
) -> None:
    task = await send(fresh, ticket_message(ticket, None, None))
    assert task.status.state == TaskState.TASK_STATE_COMPLETED
    assert await _order_reads(task) == ["#W1000003"]


async def test_identification_can_come_as_the_answer_to_the_question(fresh: Client) -> None:
    first = await send(fresh, ticket_message("Where is my order #W1000003?", None, None))
    assert first.status.state == TaskState.TASK_STATE_INPUT_REQUIRED
    assert "email" in _text(first) and "zip code" in _text(first)
    second = await send(fresh, ticket_message("ava.moreno1000@example.com", None, first))
    assert second.status.state == TaskState.TASK_STATE_COMPLETED
    assert await _order_reads(second) == ["#W1000003"]


@pytest.mark.parametrize(
    "ticket",
    [
        "I'm Ava Moreno, zip 99999. Cancel #W1000001, I no longer need it.",
        "My email is ava.moreno@example.com, cancel #W1000001, I no longer need it.",
        "I'm Liam Chen, zip 80223. Cancel #W1000001, I no longer need it.",
        "I'm Liam Chen, zip 78754, email ava.moreno1000@example.com. Cancel #W1000001, "
        "I no longer need it.",
    ],
)
async def test_details_matching_no_single_account_identify_nobody(
    mesh: tuple[Client, str], fresh: Client, ticket: str
) -> None:
    task = await send(fresh, ticket_message(ticket, None, None))
    assert task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED
    assert "could not match those details" in _text(task)
    assert reply_data(task).get("actions", []) == []
    async with Store(mesh[1]) as store:
        assert (await store.get_order("#W1000001"))["status"] == "pending"


async def test_an_identified_customer_cannot_act_on_another_customers_order(
    mesh: tuple[Client, str], fresh: Client
) -> None:
    ticket = "I'm Liam Chen, zip 78754. Cancel #W1000001, I no longer need it."
    task = await send(fresh, ticket_message(ticket, None, None))
    assert reply_data(task).get("actions", []) == []
    async with Store(mesh[1]) as store:
        assert (await store.get_order("#W1000001"))["status"] == "pending"


@pytest.mark.parametrize(
    ("ticket", "asked"),
    [
        ("Quiero cancelar mi pedido, ya no lo necesito.", "¿A qué pedido se refiere?"),
        (
            "Ich möchte meine Bestellung stornieren, ich brauche sie nicht mehr.",
            "Welche Bestellung",
        ),
        ("Je veux annuler ma commande, je n'en ai plus besoin.", "De quelle commande"),
    ],
)
async def test_questions_are_asked_in_the_ticket_language(
    fresh: Client, ticket: str, asked: str
) -> None:
    task = await send(fresh, ticket_message(ticket, "liam_chen_1002", None))
    assert task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED
    question = _text(task)
    assert asked in question and "#W1000004" in question and not RAW_ID.search(question)


async def test_a_variant_is_described_by_its_options_not_its_item_id(fresh: Client) -> None:
    ticket = "I'd like the yoga mat in 6mm instead of 4mm on order #W1000001 - do you have it?"
    task = await send(fresh, ticket_message(ticket, "ava_moreno_1001", None))
    reply = _text(task)
    assert "Yoga Mat" in reply and "thickness 6mm" in reply and not RAW_ID.search(reply)
