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
PRODUCT_ID = re.compile(r"\bproduct(?:\s+id)?\s*[:#]?\s*(\d{10})\b", re.IGNORECASE)
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
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
    r"Terrace|Parkway|Pkwy|Circle|Bend|Trail|Highway|Hwy|Square|Sq|Row|Path|Loop|Crescent|Pike|"
    r"Alley|Plaza|Walk|Run|Ridge|Hill|Heights|View|Point|Crossing|Close)"
)
_ADDRESS = re.compile(
    r"(?<![\w#])(?P<address1>\d+[A-Za-z]?(?:\s+(?!(?:to|at|in|for|and|on)\b)[A-Za-z][A-Za-z0-9.'-]*)"
    r"{0,5}?\s" + _STREET + r")\.?"
    r"(?:,?\s*(?P<address2>(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Room|Building|Bldg|#)"
    r"\.?\s*[\w-]+))?"
    r",\s*(?P<city>[A-Za-z][A-Za-z .'-]*?),\s*(?P<state>[A-Z]{2})\s*,?\s*"
    r"(?:(?:USA|United States|US)\s*,\s*)?(?P<zip>\d{5})"
    r"(?:,?\s*(?P<country>USA|United States))?",
)
_OTHER_USER_ID = re.compile(r"\b[a-z]+_[a-z]+_\d{4}\b")
_OTHER_PEOPLE = re.compile(
    r"\b(?:every|all(?: the)?|other|another|someone else'?s?|somebody else'?s?)\s+"
    r"(?:customers?|users?|accounts?|clients?|people)\b|"
    r"\b(?:my|our)\s+(?:wife|husband|partner|friend|mother|mom|mum|father|dad|son|daughter|"
    r"brother|sister|neighbou?r|boss|colleague|coworker|roommate)'?s?\s+"
    r"(?:account|order|address|card|payment|profile)s?\b",
    re.IGNORECASE,
)
_STATUS_NAMED = re.compile(
    r"\b(pending|processed|delivered|cancell?ed)\s+(?:orders?|ones?|purchases?)\b", re.IGNORECASE
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
    current: bool = False
    """Named as the method to move away from ("instead of the credit card", "than my gift
    card", "is on my gift card"), not as the one to use."""
    original: bool = False
    """ "the original payment method", "the card I paid with": the order's own method (the
    planner resolves it once it knows the order)."""


@dataclass(frozen=True, slots=True)
class Entities:
    order_ids: tuple[str, ...] = ()
    address_source: str | None = None
    payments: tuple[PaymentRef, ...] = ()
    reason: str | None = None
    address: Mapping[str, str] | None = None
    items: tuple[ItemMention, ...] = ()
    amounts: tuple[float, ...] = ()
    others: tuple[str, ...] = ()
    """Other people's accounts the text is about (a user id not the customer's, "every
    customer", "my wife's account"): never a target for the customer's writes."""
    product_ids: tuple[str, ...] = ()
    """Ten-digit product ids named as such ("product 8594502849")."""
    statuses: tuple[str, ...] = ()
    """Order statuses the text picks orders by ("my pending order", "the delivered one")."""

    @property
    def new_payments(self) -> tuple[PaymentRef, ...]:
        """The payment references naming the method to use (not the one to move away from)."""
        fresh = tuple(p for p in self.payments if not p.current)
        return fresh or self.payments


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
        others=tuple(_others(text, customer)),
        product_ids=tuple(dict.fromkeys(PRODUCT_ID.findall(text))),
        statuses=tuple(
            dict.fromkeys(
                m.lower().replace("canceled", "cancelled") for m in _STATUS_NAMED.findall(text)
            )
        ),
    )


def _others(text: str, customer: CustomerData | None) -> list[str]:
    own = customer.user_id if customer else None
    found = [u for u in _OTHER_USER_ID.findall(text) if u != own]
    found += [m.group(0) for m in _OTHER_PEOPLE.finditer(text)]
    return list(dict.fromkeys(found))


_CURRENT_BEFORE = re.compile(
    r"(?:instead of|rather than|than|from|not|currently (?:on|with)|is (?:on|paid with|charged to)|"
    r"was (?:on|paid with|charged to)|paid (?:with|by|on)|off)\s+(?:my|the|your|a|an)?\s*"
    r"(?:\w+\s+){0,2}$"
)


_ORIGINAL_METHOD = re.compile(
    r"\boriginal (?:form of )?(?:payment|method|card|credit card)|"
    r"\b(?:payment method|method|card) (?:that )?i (?:used|paid (?:with|by))\b|"
    r"\bthe way i paid\b"
)


def _current(folded: str, start: int) -> bool:
    """Whether the payment named at ``start`` is the one being replaced."""
    return bool(_CURRENT_BEFORE.search(folded[max(0, start - 40) : start]))


def _literal(raw: str) -> dict[str, str] | None:
    parsed = _parsed_literal(raw)
    return None if parsed is None else dict(parsed)


@functools.lru_cache(maxsize=1024)
def _parsed_literal(raw: str) -> tuple[tuple[str, str], ...] | None:
    """A ``{'color': 'black'}`` literal as pairs (cached: merged requests see it again)."""
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    return tuple((str(k), str(v)) for k, v in value.items())


def _payments(text: str, customer: CustomerData | None) -> list[PaymentRef]:
    methods = customer.payment_methods if customer else {}
    folded = fold(text)
    found: list[PaymentRef] = [
        PaymentRef(m.group(1), m.group(1), current=_current(folded, m.start()))
        for m in PM_ID.finditer(text)
    ]
    if found:
        return found
    for m in LAST_FOUR.finditer(folded):
        ids = tuple(k for k, v in methods.items() if v.get("last_four") == m.group(1))
        current = _current(folded, m.start())
        found.append(PaymentRef(ids[0] if len(ids) == 1 else None, m.group(0), ids, current))
    if found:
        return found
    spans: list[tuple[int, PaymentRef]] = [
        (m.start(), PaymentRef(None, m.group(0), (), _current(folded, m.start()), original=True))
        for m in _ORIGINAL_METHOD.finditer(folded)
    ]
    by_source = {
        "gift_card": re.finditer(r"\b(?:gift ?cards?|gift-cards?)\b", folded),
        "paypal": re.finditer(r"\bpay ?pal\b", folded),
        "credit_card": re.finditer(
            r"\b(credit card|debit card|my card|the card|visa|mastercard|master card|amex|"
            r"american express|discover)\b",
            folded,
        ),
    }
    for source, matches in by_source.items():
        for match in matches:
            ids = tuple(k for k, v in methods.items() if v.get("source") == source)
            brand = match.group(0).replace("master card", "mastercard")
            brand = "amex" if brand == "american express" else brand
            if source == "credit_card" and brand in ("visa", "mastercard", "amex", "discover"):
                ids = tuple(
                    k
                    for k in ids
                    if fold(str(methods[k].get("brand", ""))).replace("american express", "amex")
                    == brand
                )
            ref = PaymentRef(
                ids[0] if len(ids) == 1 else None,
                match.group(0),
                ids,
                _current(folded, match.start()),
            )
            spans.append((match.start(), ref))
    spans.sort(key=lambda s: s[0])
    unique: dict[tuple[str | None, str, bool], PaymentRef] = {}
    for _, ref in spans:
        unique.setdefault((ref.method_id, ref.text, ref.current), ref)
    return list(unique.values())


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


def _singular(word: str) -> str:
    """ "boots" → "boot": a plural name's last word, so "the hiking boot" names it too."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _name_regex(name: str) -> str:
    words = [re.escape(w) for w in fold(name).replace("-", " ").split()]
    words[-1] = re.escape(_singular(fold(name).replace("-", " ").split()[-1]))
    return r"[\s-]?".join(words)


@functools.lru_cache(maxsize=64)
def _catalog(names: tuple[str, ...]) -> _NameCatalog:
    last_words = tuple(
        (name, _singular(fold(name).replace("-", " ").split()[-1])) for name in names
    )
    lasts: dict[str, list[str]] = {}
    for name in names:
        last = _singular(fold(name).split()[-1])
        if len(last) > 3:
            lasts.setdefault(last, []).append(name)
    unique = {last: found[0] for last, found in lasts.items() if len(found) == 1}
    ordered = tuple(sorted(last_words, key=lambda pair: len(pair[0]), reverse=True))
    return _NameCatalog(ordered, unique)


@dataclass(frozen=True, slots=True)
class _NameCatalog:
    ordered: tuple[tuple[str, str], ...]
    """(name, its last word), longest name first (the alternation's order: the longest wins)."""
    unique_lasts: Mapping[str, str]
    """Last words (over three letters) that only one name ends with → that name."""

    def present(self, folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names whose last word, and the unique last words, occur in ``folded``: no other
        name can match, so the matchers need only these."""
        names = tuple([name for name, last in self.ordered if last in folded])
        lasts = tuple([last for last in self.unique_lasts if last in folded])
        return names, lasts


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    """One product name as a whole word, in any spacing or hyphenation, singular or plural."""
    return re.compile(r"\b" + _name_regex(name) + r"(?:e?s)?\b")


@functools.lru_cache(maxsize=4096)
def _last_word_pattern(last: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(last) + r"s?\b")


def _leftmost(
    folded: str, keyed: Sequence[tuple[str, re.Pattern[str]]]
) -> list[tuple[int, int, str]]:
    """Non-overlapping matches scanning left to right; at one position the first pattern in
    ``keyed`` that matches wins (what one alternation of them, in that order, would find)."""
    starts = sorted({m.start() for _, pattern in keyed for m in pattern.finditer(folded)})
    spans: list[tuple[int, int, str]] = []
    position = 0
    for start in starts:
        if start < position:
            continue
        for key, pattern in keyed:
            m = pattern.match(folded, start)
            if m:
                spans.append((start, m.end(), key))
                position = m.end()
                break
    return spans


def _mentions(folded: str, names: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of every product name in the text (a unique last word counts)."""
    if not names:
        return []
    catalog = _catalog(tuple(names))
    present, lasts = catalog.present(folded)
    spans = _leftmost(folded, [(name, _name_pattern(name)) for name in present])
    if lasts:
        named = {name for _, _, name in spans}
        by_length = sorted(lasts, key=len, reverse=True)
        for s, e, last in _leftmost(folded, [(w, _last_word_pattern(w)) for w in by_length]):
            name = catalog.unique_lasts[last]
            overlaps = any(s0 < e and s < e0 for s0, e0, _ in spans)
            if not overlaps and name not in named:
                spans.append((s, e, name))
    return sorted(spans)


@functools.lru_cache(maxsize=4096)
def _standalone(value: str) -> re.Pattern[str]:
    """``value`` not inside a longer word or number ("10" not in "100", "6.5" or "10.5")."""
    return re.compile(rf"(?<![\w.]){re.escape(value)}(?![\w.])")


def _option_values(customer: CustomerData | None, name: str) -> frozenset[str]:
    return customer.option_values(name) if customer is not None else frozenset()


_COUNTED = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-z]+?)(?:(?<=ch|sh)es|(?<=x)es|s)$")


@functools.lru_cache(maxsize=1024)
def _aliases(values: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(how a value may be written, the value): the value itself and, for a counted value
    ("4 cups"), its singular forms ("a 4 cup coffee maker", "the 4-cup one")."""
    pairs = [(v, v) for v in values]
    for v in values:
        counted = _COUNTED.match(v)
        if counted:
            number, unit = counted.groups()
            pairs += [(f"{number} {unit}", v), (f"{number}-{unit}", v)]
    return tuple(pairs)


def _values_in(span: str, values: frozenset[str]) -> tuple[str, ...]:
    found = {
        v for alias, v in _aliases(values) if alias in span and _standalone(alias).search(span)
    }
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
        instead = re.match(r"\s*of\b([^.,;!?]*)", target_span) if split else None
        if split and split.group(0).lower() == "instead" and instead:
            # "the boots in size 9 instead of 8": the target comes first.
            own_span, target_span = before[-40:] + " " + instead.group(1), after[: split.start()]
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
