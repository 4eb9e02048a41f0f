"""Who an anonymous ticket is from: an email, or a name and a zip code, as τ-bench's users give.

Only an exact match identifies: the email of one account (case ignored), or one account's first
name, last name (case ignored) and zip code. Details that match no account or several, or that
point at different accounts, identify nobody; the planner then asks again, and after its last
question hands the ticket to a human. A verified customer (the message metadata) always wins:
text never switches a ticket to another account.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from store import Store

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
ZIP = re.compile(
    r"\b(?:zip|zip ?code|zipcode|postal code|postcode|post code|code postal|"
    r"c[oó]digo postal|postleitzahl|plz|cap|cep)\b\D{0,12}?(\d{5})\b",
    re.IGNORECASE,
)
BARE_ZIP = re.compile(r"(?<![\d#W])\b(\d{5})\b(?!\d)")
NAME = re.compile(
    r"\b(?:i am|i'm|im|my name is|my name's|name is|name:|this is|it's|soy|me llamo|je suis|"
    r"je m'appelle|ich bin|ich heiße|ich heisse|mein name ist|sono|mi chiamo|sou|chamo-me|"
    r"meu nome é|ik ben|mijn naam is)\s+([^\W\d_][\w'-]*)\s+([^\W\d_][\w'-]*)",
    re.IGNORECASE,
)


NOT_A_NAME = frozenset(
    "a an the not so very still just also really here there sorry back from at in on with "
    "and or but to for of about writing trying looking waiting asking calling contacting".split()
)
"""Words after "I am" that start a sentence, not a name ("I am waiting since…")."""


def _a_name(first: str, last: str) -> bool:
    return not any(w.lower() in NOT_A_NAME or w.lower().endswith("ing") for w in (first, last))


@dataclass(frozen=True, slots=True)
class Identity:
    """The outcome of reading the customer's turns for identifying details."""

    user_id: str | None
    """The one account every detail given matches; None when there is none."""
    claimed: bool
    """Whether the turns gave identifying details at all (an email, or a name with a zip)."""

    @property
    def unmatched(self) -> bool:
        """Details were given but identify no single account."""
        return self.claimed and self.user_id is None


@dataclass(frozen=True, slots=True)
class Claim:
    email: str | None = None
    name: tuple[str, str] | None = None
    zip_code: str | None = None


def claims(text: str) -> list[Claim]:
    """The identifying details in one turn: each email, and a name with a zip code."""
    found = [Claim(email=m.group(0)) for m in EMAIL.finditer(text)]
    names = [
        (m.group(1), m.group(2)) for m in NAME.finditer(text) if _a_name(m.group(1), m.group(2))
    ]
    without_emails = EMAIL.sub(" ", text)
    zips = [m.group(1) for m in ZIP.finditer(without_emails)]
    if names and not zips:
        zips = [m.group(1) for m in BARE_ZIP.finditer(without_emails)]
    if names and zips:
        found.append(Claim(name=names[0], zip_code=zips[0]))
    return found


async def identify(store: Store, turns: Sequence[str]) -> Identity:
    """The account the customer's turns identify, if exactly one matches every claim."""
    given = [c for turn in turns for c in claims(turn)]
    if not given:
        return Identity(None, claimed=False)
    matched: set[str] = set()
    for claim in given:
        ids = await store.find_user_ids(email=claim.email, name=claim.name, zip_code=claim.zip_code)
        if len(ids) != 1:
            return Identity(None, claimed=True)
        matched.add(ids[0])
    return Identity(matched.pop() if len(matched) == 1 else None, claimed=True)
