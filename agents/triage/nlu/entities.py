"""Entities of one request, read from its text and resolved against the customer's data.

Recognised: order ids (``#W1234567``; ``same as #W…`` marks an address source, not a target),
payment methods (ids, "visa ending 1234", "gift card", "paypal", "credit card"), cancellation
reasons, addresses (a ``{'address1': …}`` literal or "12 Oak Street, Suite 3, Austin, TX 78701"),
and item mentions: a product name, optionally its options (a ``{…}`` literal or option values
named in the text) and optionally target options ("… to {…}" / "for a red one").
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from agents.triage.customer import CustomerData
from agents.triage.nlu.text import fold

ORDER_ID = re.compile(r"#?\b[Ww](\d{7})\b")
SAME_AS = re.compile(r"same (?:address )?as (?:order )?#?W(\d{7})", re.IGNORECASE)
PM_ID = re.compile(r"\b((?:credit_card|gift_card|paypal)_\d+)\b")
LAST_FOUR = re.compile(
    r"\b(?:ending|ends|ending in|last four|last 4|x+|\*+)\s*(?:in|with)?\s*(\d{4})\b"
)
DICT_LITERAL = re.compile(r"\{[^{}]*\}")
_REASONS = (
    (
        "no longer needed",
        re.compile(
            r"no longer need|don'?t need|do not need|not needed|"
            r"changed my mind|no use for",
            re.IGNORECASE,
        ),
    ),
    (
        "ordered by mistake",
        re.compile(
            r"by mistake|by accident|accidental|mistaken|"
            r"didn'?t mean to|wrong order|ordered twice",
            re.IGNORECASE,
        ),
    ),
)
_ADDRESS = re.compile(
    r"(?P<address1>\d+\s+[A-Za-z0-9 .]+?\s(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|"
    r"Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Parkway|Circle))\.?"
    r"(?:,?\s*(?P<address2>(?:Suite|Apt|Apartment|Unit|Floor)\s*[\w-]+))?"
    r",\s*(?P<city>[A-Za-z .]+?),\s*(?P<state>[A-Z]{2})\s*,?\s*(?P<zip>\d{5})"
    r"(?:,?\s*(?P<country>USA|United States))?",
)
_TARGET_SPLIT = re.compile(r"\b(?:to|for|into|with|instead)\b", re.IGNORECASE)
ADDRESS_FIELDS = ("address1", "address2", "city", "country", "state", "zip")


@dataclass(frozen=True, slots=True)
class ItemMention:
    """A product named in the text, with the options that pick the item and the target options."""

    name: str
    options: Mapping[str, str] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    """Option values named in free text ("blue", "size 10"), key unknown."""
    target: Mapping[str, str] | None = None
    target_values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PaymentRef:
    method_id: str | None
    text: str
    """How the customer named it ("visa ending 1234"); unresolved when ``method_id`` is None."""
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entities:
    order_ids: tuple[str, ...] = ()
    address_source: str | None = None
    payments: tuple[PaymentRef, ...] = ()
    reason: str | None = None
    address: Mapping[str, str] | None = None
    items: tuple[ItemMention, ...] = ()
    amounts: tuple[float, ...] = ()


def extract(text: str, customer: CustomerData | None, product_names: Sequence[str]) -> Entities:
    same_as = SAME_AS.search(text)
    source = f"#W{same_as.group(1)}" if same_as else None
    targets = list(
        dict.fromkeys(
            f"#W{m.group(1)}"
            for m in ORDER_ID.finditer(DICT_LITERAL.sub(" ", text))
            if f"#W{m.group(1)}" != source
        )
    )
    return Entities(
        order_ids=tuple(targets),
        address_source=source,
        payments=tuple(_payments(text, customer)),
        reason=next((name for name, pattern in _REASONS if pattern.search(text)), None),
        address=_address(text, customer, source),
        items=tuple(_items(text, customer, product_names)),
        amounts=tuple(float(a) for a in re.findall(r"\$\s?(\d+(?:\.\d{1,2})?)", text)),
    )


def _literal(raw: str) -> dict[str, str] | None:
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items()}


def _payments(text: str, customer: CustomerData | None) -> list[PaymentRef]:
    methods = customer.payment_methods if customer else {}
    found: list[PaymentRef] = [PaymentRef(m, m) for m in PM_ID.findall(text)]
    if found:
        return found
    folded = fold(text)
    for m in LAST_FOUR.finditer(folded):
        ids = tuple(k for k, v in methods.items() if v.get("last_four") == m.group(1))
        found.append(PaymentRef(ids[0] if len(ids) == 1 else None, m.group(0), ids))
    if found:
        return found
    by_source = {
        "gift_card": re.search(r"\bgift ?cards?\b", folded),
        "paypal": re.search(r"\bpay ?pal\b", folded),
        "credit_card": re.search(
            r"\b(credit card|debit card|my card|visa|mastercard|amex|american express|discover)\b",
            folded,
        ),
    }
    for source, match in by_source.items():
        if match is None:
            continue
        ids = tuple(k for k, v in methods.items() if v.get("source") == source)
        brand = match.group(0) if source == "credit_card" else None
        if brand in ("visa", "mastercard", "amex", "discover"):
            ids = tuple(k for k in ids if fold(str(methods[k].get("brand", ""))) == brand)
        found.append(PaymentRef(ids[0] if len(ids) == 1 else None, match.group(0), ids))
    return found


def _address(
    text: str, customer: CustomerData | None, source: str | None
) -> Mapping[str, str] | None:
    for raw in DICT_LITERAL.findall(text):
        value = _literal(raw)
        if value and "address1" in value:
            return {k: value.get(k, "") for k in ADDRESS_FIELDS}
    m = _ADDRESS.search(text)
    if m:
        parts = m.groupdict()
        return {
            "address1": parts["address1"].strip(),
            "address2": (parts["address2"] or "").strip(),
            "city": parts["city"].strip(),
            "country": "USA",
            "state": parts["state"],
            "zip": parts["zip"],
        }
    if source and customer and source in customer.orders:
        address = customer.orders[source]["address"]
        return {k: address.get(k, "") for k in ADDRESS_FIELDS}
    return None


def _name_regex(name: str) -> str:
    words = [re.escape(w) for w in fold(name).replace("-", " ").split()]
    return r"[\s-]?".join(words)


@functools.lru_cache(maxsize=64)
def _matchers(names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """One alternation of all full names (longest first) and one of unique last words."""
    ordered = sorted(names, key=len, reverse=True)
    full = re.compile(
        r"\b(?:" + "|".join(f"(?P<n{i}>{_name_regex(n)})" for i, n in enumerate(ordered)) + r")"
        r"(?:e?s)?\b"
    )
    lasts: dict[str, list[str]] = {}
    for name in names:
        last = fold(name).split()[-1]
        if len(last) > 3:
            lasts.setdefault(last, []).append(name)
    unique = {last: found[0] for last, found in lasts.items() if len(found) == 1}
    short = re.compile(
        r"\b(" + "|".join(re.escape(w) for w in sorted(unique, key=len, reverse=True)) + r")s?\b"
    )
    index = {f"n{i}": n for i, n in enumerate(ordered)}
    return full, short, index | {f"last:{k}": v for k, v in unique.items()}


def _mentions(folded: str, names: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of every product name in the text (a unique last word counts)."""
    if not names:
        return []
    full, short, index = _matchers(tuple(names))
    spans = [(m.start(), m.end(), index[m.lastgroup or ""]) for m in full.finditer(folded)]
    if not spans:
        spans = [(m.start(), m.end(), index["last:" + m.group(1)]) for m in short.finditer(folded)]
    return spans


def _option_values(customer: CustomerData | None, name: str) -> set[str]:
    if customer is None:
        return set()
    values: set[str] = set()
    for product in customer.products.values():
        if product["name"] == name:
            for variant in product["variants"].values():
                values.update(fold(str(v)) for v in variant["options"].values())
    return values


def _values_in(span: str, values: set[str]) -> tuple[str, ...]:
    found = [v for v in values if re.search(rf"(?<![\w.]){re.escape(v)}(?![\w.])", span)]
    # Drop values contained in a longer found value ("black" inside "black leather").
    return tuple(sorted(v for v in found if not any(v != w and v in w for w in found)))


def _items(
    text: str, customer: CustomerData | None, product_names: Sequence[str]
) -> list[ItemMention]:
    masked = DICT_LITERAL.sub(lambda m: "\x00" * len(m.group(0)), text)
    folded = masked.lower()
    if len(folded) != len(masked):  # keep offsets aligned with ``text``
        folded = masked
    spans = _mentions(folded, product_names)
    literals = [(m.start(), m.end(), m.group(0)) for m in DICT_LITERAL.finditer(text)]
    out: list[ItemMention] = []
    for i, (start, end, name) in enumerate(spans):
        next_start = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        prev_end = spans[i - 1][1] if i > 0 else 0
        own = [lit for lit in literals if end <= lit[0] < next_start]
        options: dict[str, str] = {}
        target: dict[str, str] | None = None
        if own:
            first = _literal(own[0][2]) or {}
            between = text[end : own[0][0]]
            if re.search(r"\bto\b", between, re.IGNORECASE):
                target = first
            else:
                options = first
                if len(own) > 1 and re.search(
                    r"\bto\b", text[own[0][1] : own[1][0]], re.IGNORECASE
                ):
                    target = _literal(own[1][2]) or {}
            out.append(ItemMention(name, options, (), target, ()))
            continue
        values = _option_values(customer, name)
        before = folded[prev_end:start]
        after = folded[end:next_start]
        split = _TARGET_SPLIT.search(after)
        own_span = before[-40:] + " " + (after[: split.start()] if split else after)
        target_span = after[split.end() :] if split else ""
        out.append(
            ItemMention(
                name,
                {},
                _values_in(own_span, values),
                None,
                _values_in(target_span, values) if target_span else (),
            )
        )
    return out
