"""Identification of an anonymous ticket against a real store (SQLite): exact matches only."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from agents.triage.identity import claims, identify
from store import Store, generate_demo


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    data = copy.deepcopy(generate_demo())
    twin = copy.deepcopy(data["users"]["liam_chen_1002"])  # same name and zip, another account
    twin |= {"user_id": "liam_chen_9999", "email": "l.chen@example.com", "orders": []}
    twin["payment_methods"] = {}
    data["users"]["liam_chen_9999"] = twin
    async with Store(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}") as s:
        await s.reset(data)
        yield s


def test_claims_read_emails_and_a_name_with_a_zip() -> None:
    found = claims("I'm Yusuf Rossi, zip 19122 - order #W1234567, mail yusuf@example.com")
    assert {(c.email, c.name, c.zip_code) for c in found} == {
        ("yusuf@example.com", None, None),
        (None, ("Yusuf", "Rossi"), "19122"),
    }
    assert claims("Where is order #W1234567? I am waiting since 12345 days") == []


async def test_an_exact_email_or_name_and_zip_identifies_one_account(store: Store) -> None:
    assert (await identify(store, ["AVA.MORENO1000@example.com"])).user_id == "ava_moreno_1001"
    assert (await identify(store, ["hi", "I'm ava moreno, zip 80223"])).user_id == "ava_moreno_1001"
    both = ["I'm Ava Moreno, zip code 80223, email ava.moreno1000@example.com"]
    assert (await identify(store, both)).user_id == "ava_moreno_1001"


@pytest.mark.parametrize(
    "turns",
    [
        ["I'm Ava Moreno, zip 80224"],  # wrong zip
        ["I'm Ava Morena, zip 80223"],  # wrong name
        ["ava.moreno1000@example.co"],  # not the email
        ["I'm Liam Chen, zip 78754"],  # two accounts share name and zip
        ["ava.moreno1000@example.com", "actually liam.chen1001@example.com"],  # two accounts
    ],
)
async def test_anything_but_one_exact_match_identifies_nobody(
    store: Store, turns: list[str]
) -> None:
    identity = await identify(store, turns)
    assert identity.user_id is None and identity.unmatched


async def test_no_details_is_not_a_failed_identification(store: Store) -> None:
    identity = await identify(store, ["Where is my order?"])
    assert identity.user_id is None and not identity.claimed


async def test_the_store_refuses_a_lookup_without_enough_details(store: Store) -> None:
    with pytest.raises(ValueError):
        await store.find_user_ids(name=("Ava", "Moreno"))
