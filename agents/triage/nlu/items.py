"""Item mentions: products named in the text (``product_names``), the option values that pick
the item and the ones it should become.

Option values are read against the options that product really has ("the 6mm one", "size 8",
"in purple", "pet hair removal", "4-cup"); values before a target word ("to", "for", "instead
of", "but in") pick the item, values after it are what it should become; a value several
options share is bound to the option named next to it ("brown lens").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from agents.triage.customer import CustomerData
from agents.triage.nlu import tau_template
from agents.triage.nlu.item_orders import ORDER_ASIDE, last_word_outside, order_locators
from agents.triage.nlu.item_targets import (
    TARGET_SPLIT,
    changed_options,
    current_in_target,
    direction,
    target_split,
)
from agents.triage.nlu.option_values import (
    flags_of_product,
    option_values,
    values_in,
)
from agents.triage.nlu.product_names import mentions
from agents.triage.nlu.shared_names import named_again, told_apart
from agents.triage.nlu.value_names import without_value_names

_TARGET_BEFORE = re.compile(
    r"\b(?:for|to|into|with)\s+(?:the same|a|an|another|one|the|a new|a different)?\s*$"
)
"""Right before a product name: the name is what the item should become ("swap it for the same
helmet in white", "exchange them for a t-shirt in purple")."""

_CHANGE_VERB = re.compile(r"\b(?:swap|exchange|replace|change|switch|trade|get)\w*\b")

_WANTS = re.compile(
    r"\b(?:want|wanted|like|prefer|need|rather|instead|hoping|should be|could be|can be|make)\b"
)

_RETURNS = re.compile(r"\b(?:return\w*|send\b.{0,20}\bback|give\b.{0,20}\bback)")

_NOT_A_CHANGE = re.compile(r"\b(?:return\w*|refund\w*|send\b.{0,20}\bback|cancel\w*)")

_KEPT_BEFORE = re.compile(
    r"(?:\b(?:keep|keeping|keepin'?|except|excluding|but not|apart from|other than|not|never ?mind|"
    r"(?:do not|don'?t|dont) (?:touch|change|return|cancel))\s+(?:the|my)\s+"
    r"(?:[\w.-]+\s+){0,3}$)"
)
"""Right before a product name: the item is excluded ("I'm keeping the headphones", "everything
except the perfume")."""

_CONTENT_AFTER = re.compile(
    r"\s*(?:(?:is|are|was|were|seems?|works?|fits?)\s+(?:totally |perfectly |just |absolutely "
    r"|really )?(?:fine|ok|okay|great|perfect|good|alright|all right)\b|"
    r"(?:i'?m|i am|i'?ll|i will|we'?re|we'?ll|i|we|i'?d like to|i want to)\s+keep|"
    r"(?:can|will|may)\s+stay\b|stays?\b(?!\s+(?:the|in|with|as)\b))"
)
"""Right after a product name: the customer is content with it ("the puzzle is fine but …",
"the lamp I'll keep"). With another product named, that one is meant, not this."""


@dataclass(frozen=True, slots=True)
class ItemMention:
    """A product named in the text, with the options that pick the item and the target options."""

    name: str
    options: Mapping[str, str] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    """Option values named in free text ("blue", "size 10"), key unknown."""
    target: Mapping[str, str] | None = None
    target_values: tuple[str, ...] = ()
    keyed: Mapping[str, str] = field(default_factory=dict)
    """Value → the option it was named with, when several options have that value ("black
    lens", "dial color black", "frame in silver")."""
    changes: tuple[str, ...] = ()
    """Options to become different, their new value not said ("in a different size")."""
    more: bool | None = None
    """For ``changes`` said with a comparative: True for a larger number ("a longer battery",
    "more storage"), False for a smaller one, None when no direction was said."""
    excluded: bool = False
    """The customer keeps this item out of the request ("I'm keeping the headphones")."""
    every: bool = False
    """Every item the mention fits ("both pairs of earbuds", "the two lamps")."""
    locates_order: str = ""
    """Named only to say which order: "with" ("in my order with the vacuum, change the
    espresso machine", "return some things from the order with the vacuum": never acted on),
    "aside" ("#W… (the kettle and the lamp)": acted on only when nothing else is named)."""

    @property
    def wants_change(self) -> bool:
        """The item is to become another variant (its target named, or only the option)."""
        return self.target is not None or bool(self.target_values or self.changes)


_SAME_ITEM = re.compile(
    r"\b(?:exact(?:ly)? )?(?:the )?(?:same|identical)(?: exact)? (?:one|model|item|thing|variant|"
    r"version|pair|product)\b|\bidentical (?:new )?(?:one|pair|item|model)\b|"
    r"\b(?:a|an) identical\b|\bsame exact\b|\bexact same\b"
)
"""The item again, as it is ("swap it for the exact same one", "an identical new pair")."""

_EVERY_BEFORE = re.compile(
    r"\b(?:both|all(?: of)?(?: the| my)?|the two|my two|the 2|my 2)\s+"
    r"(?:(?:pairs?|sets?) of\s+|of (?:the|my|them|these)\s+)?(?:[\w-]+\s+){0,2}$"
)
"""Right before a product name: every item of it ("both pairs of black earbuds")."""

_ONE_REFERENCE = re.compile(
    r"(?:^|[:;,(]|\band|\bplus)\s*(?:also\s+)?(?:the|my)\s+"
    r"(?=(?:[^,.;:()!?]{1,40}?\s)?one\b)"
)
"""Where "the green one (…)" starts, after a clause boundary: one item of a product named
just before in the plural ("two bluetooth speakers: the green one … and the black one …")."""

_PLURAL_HEAD = re.compile(
    r"\b(?:two|three|four|both|2|3|4|several|multiple|a couple of)\s+(?:of\s+)?"
    r"(?:my\s+|the\s+)?(?:[\w-]+\s+){0,3}$"
)


def _one_references(folded: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A product named with a count ("two bluetooth speakers") and then its items one by one
    ("the green one (…) for a red one, and the black one (…) for a blue one"): a mention per
    item, where each "the … one" starts, instead of the one mention of the product."""
    out: list[tuple[int, int, str]] = []
    for i, (start, end, name) in enumerate(spans):
        scope_end = spans[i + 1][0] if i + 1 < len(spans) else len(folded)
        counted = _PLURAL_HEAD.search(folded[max(0, start - 40) : start])
        refs = [m.end() for m in _ONE_REFERENCE.finditer(folded, end, scope_end)] if counted else []
        if len(refs) < 2:
            out.append((start, end, name))
            continue
        out += [(at, at, name) for at in refs]
    return out


_CLAUSE_JOINER = re.compile(r"(?:,|;|\band\b|\bplus\b|\balso\b)\s+(?:also\s+)?(?:the|my|a|an)\b")


def _clause_start(folded: str, lo: int, hi: int, *, ending: bool = False) -> int:
    """The offset in ``folded[lo:hi]`` where the last clause joiner starts (``ending``) or
    ends; ``hi``/``lo`` when there is none."""
    joiners = list(_CLAUSE_JOINER.finditer(folded, lo, hi))
    if not joiners:
        return hi if ending else lo
    return joiners[-1].start() if ending else joiners[-1].end()


def items(
    text: str, customer: CustomerData | None, product_names: Sequence[str]
) -> list[ItemMention]:
    """The item mentions of ``text``, in order; a product named twice is one mention ("my
    helmet is black … swap it for the same helmet in white": the second names the target)."""
    masked = tau_template.masked(text)
    folded = masked.lower()
    if len(folded) != len(masked):  # keep offsets aligned with ``text``
        folded = masked
    own = customer.product_names() if customer is not None else frozenset()
    spans = without_value_names(folded, mentions(folded, product_names, own), customer)
    spans = named_again(folded, told_apart(folded, spans, customer))
    spans = _one_references(folded, spans)
    asides = [(m.start(), m.end()) for m in ORDER_ASIDE.finditer(folded)]
    only_returns = bool(_RETURNS.search(folded)) and not _CHANGE_VERB.search(folded)
    asks_change = bool(_CHANGE_VERB.search(folded) or _WANTS.search(folded))
    spans, locators = order_locators(folded, spans, customer)
    named_outside = {n for s0, _, n in spans if not any(lo < s0 < hi for lo, hi in asides)}
    out: list[ItemMention] = []
    content: set[str] = set()
    for i, (start, end, name) in enumerate(spans):
        in_aside = any(lo < start < hi for lo, hi in asides)
        if in_aside and name in named_outside:
            continue  # "W… (toothbrush, charger) please change the charger to …": the later one
        next_start = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        prev_end = spans[i - 1][1] if i > 0 else 0
        literal = tau_template.literal_options(text, end, next_start)
        if literal is not None:
            out.append(ItemMention(name, literal[0], (), literal[1], ()))
            continue
        values = option_values(customer, name)
        flags = flags_of_product(customer, name)
        # Between two mentions, the last clause joiner ("…, and the silver camera") is where
        # one item's description ends and the next one's begins.
        if i > 0:
            prev_end = _clause_start(folded, prev_end, start)
        if i + 1 < len(spans):
            next_start = _clause_start(folded, end, next_start, ending=True)
        before = folded[prev_end:start]
        after = folded[end:next_start]
        if _CONTENT_AFTER.match(after):
            content.add(name)
        # "return the one for light skin tone": a return has no target, "for" only describes
        split = target_split(after, asks_change=asks_change) if not only_returns else None
        own_span = before[-40:] + " " + (after[: split.start()] if split else after)
        target_span = after[split.end() :] if split else ""
        if split and split.group(0).lower() == "instead":
            # "the boots in size 9 instead of 8", "mesh instead of leather, blue instead of
            # red": the target comes first; what follows "instead of" is the item as it is.
            own_span, target_span = before[-40:], after
        own_span, target_span = current_in_target(own_span, target_span)
        mention = ItemMention(
            name,
            {},
            values_in(own_span, values, flags),
            None,
            values_in(target_span, values, flags) if target_span else (),
        )
        if (
            not out
            and _TARGET_BEFORE.search(before[-30:])
            and _CHANGE_VERB.search(before)
            and not mention.target_values
        ):
            # "swap it for the same helmet in white": the values name the new variant.
            own_values = values_in(before[-40:], values, flags)
            mention = ItemMention(name, {}, own_values, None, values_in(after, values, flags))
        if _EVERY_BEFORE.search(before[-40:]):
            mention = dataclasses.replace(mention, every=True)
        if _KEPT_BEFORE.search(before[-40:]):
            mention = dataclasses.replace(mention, excluded=True)
        same = _SAME_ITEM.search(after) if not mention.wants_change else None
        if same:
            wanted = values_in(after[same.end() :], values, flags)
            if wanted:
                # "can I get the same one in medium": the values after it are what changes
                kept_values = tuple(v for v in mention.values if v not in wanted)
                mention = dataclasses.replace(mention, values=kept_values, target_values=wanted)
            else:
                # "exchange it for the exact same one": a new item of the variant it is now
                mention = dataclasses.replace(mention, target={})
        if in_aside and not last_word_outside(folded, name, asides):
            mention = dataclasses.replace(mention, locates_order="aside")
        if not mention.target_values and customer is not None:
            changes = changed_options(after, customer.option_keys(name))
            mention = dataclasses.replace(mention, changes=changes, more=direction(after))
        earlier = next((n for n, m in enumerate(out) if m.name == name), None)
        if (
            earlier is not None
            and TARGET_SPLIT.search(before)
            and out[earlier].target is None
            and (not out[earlier].target_values or earlier == len(out) - 1)
        ):
            # The same product again after "for"/"to": what the first mention should become
            # ("the 2000-piece puzzle -> the 500-piece art puzzle, intermediate": the words
            # before the name are the first's target already, those after it add to it).
            first = out[earlier]
            more = (
                values_in(after, values, flags)
                if first.target_values
                else (*mention.values, *mention.target_values)
            )
            wanted = tuple(dict.fromkeys((*first.target_values, *more)))
            # "… and replace the vacuum with an identical new one": the item's own variant
            same = mention.target if not wanted else None
            out[earlier] = ItemMention(name, first.options, first.values, same, wanted)
            continue
        if earlier is not None and _bare_repeat(out[earlier], mention):
            # "my order with the tablet and the puzzle … the puzzle of 2000 pieces": one item
            # named twice, once without a word of its own
            out[earlier] = _merged(out[earlier], mention)
            continue
        out.append(mention)
    out += [
        ItemMention(name, values=values, locates_order="with")
        for name, values in locators
        if name not in {o.name for o in out}
    ]
    if content and any(m.name not in content for m in out):
        out = [dataclasses.replace(m, excluded=True) if m.name in content else m for m in out]
    # An owned product named with a value none of the customer's items of it has can only
    # mean the item should become that ("the water bottle in glass", "size 8"), unless the
    # text returns, refunds or cancels.
    wants_a_change = _CHANGE_VERB.search(folded) or not _NOT_A_CHANGE.search(folded)
    if customer is not None and wants_a_change:
        out = [_closed_world_targets(m, customer) for m in out]
    if customer is not None:
        out = [_with_keys(m, folded, customer) for m in out]
    return out


_GENERIC_KEY_WORDS = frozenset({"color", "colour", "type", "size", "material"})


def _bare_repeat(first: ItemMention, again: ItemMention) -> bool:
    """One of two mentions of a product says nothing of its own (no values, no target, not
    "both"): the same item named twice."""

    def bare(m: ItemMention) -> bool:
        return not (m.values or m.target_values or m.target is not None or m.changes or m.every)

    same_role = first.excluded == again.excluded and not (
        first.locates_order or again.locates_order
    )
    words_first = {*first.values, *first.target_values}
    # "… I'd need an 11. Same boots otherwise.": the second says nothing the first did not
    adds_nothing = not again.every and again.target is None
    adds_nothing = adds_nothing and {*again.values, *again.target_values} <= words_first
    return same_role and (bare(first) or bare(again) or adds_nothing)


def _merged(first: ItemMention, again: ItemMention) -> ItemMention:
    keep, add = (again, first) if not (first.values or first.target_values) else (first, again)
    return dataclasses.replace(
        keep,
        values=tuple(dict.fromkeys((*keep.values, *add.values))),
        target_values=tuple(dict.fromkeys((*keep.target_values, *add.target_values))),
        target=keep.target if keep.target is not None else add.target,
    )


def _with_keys(mention: ItemMention, folded: str, customer: CustomerData) -> ItemMention:
    """Bind a value several options share to the option named next to it."""
    values = (*mention.values, *mention.target_values)
    if not values:
        return mention
    by_value = customer.option_keys(mention.name)
    keyed: dict[str, str] = {}
    for value in values:
        keys = by_value.get(value, frozenset())
        if len(keys) < 2:
            continue
        for key in sorted(keys):
            words = [w for w in key.lower().split() if w not in _GENERIC_KEY_WORDS]
            if not words:
                continue
            word = re.escape(words[0])
            near = rf"\b{word}\w*\s+(?:colou?r\s+|in\s+|of\s+)?{re.escape(value)}\b|"
            near += rf"\b{re.escape(value)}[\s-]+{word}"
            if re.search(near, folded):
                keyed[value] = key
                break
    if not keyed:
        return mention
    return dataclasses.replace(mention, keyed=keyed)


def _closed_world_targets(mention: ItemMention, customer: CustomerData) -> ItemMention:
    """ "I'd like the t-shirt in purple" from a customer whose t-shirts are all blue: values
    no owned item of that product has are what the item should become (also beside targets
    read after "to"/"with": "the blue speaker I want in red with the 20 hour battery")."""
    if mention.target is not None or not mention.values:
        return mention
    owned = [
        {str(v).lower() for v in item["options"].values()}
        for order in customer.orders.values()
        for item in order["items"]
        if item["name"] == mention.name
    ]
    if not owned or any(set(mention.values) <= values for values in owned):
        return mention
    held = set().union(*owned)
    own = tuple(v for v in mention.values if v in held)
    wanted = tuple(v for v in mention.values if v not in held)
    targets = tuple(dict.fromkeys((*mention.target_values, *wanted)))
    return dataclasses.replace(mention, values=own, target=None, target_values=targets, changes=())
