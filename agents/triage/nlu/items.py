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
from agents.triage.nlu.option_values import (
    flags_of_product,
    option_values,
    values_in,
)
from agents.triage.nlu.product_names import mentions
from agents.triage.nlu.value_names import without_value_names

_TARGET_SPLIT = re.compile(
    r"\b(?:to|for|into|with|instead|become|be|but (?:in|with|as)|i'?d (?:like|prefer|want)|"
    r"id (?:like|prefer)|"
    r"i would (?:like|prefer)|i (?:want|need|prefer)|i (?:wanted|was hoping for|had wanted)|"
    r"(?:i'?d|i would) rather(?: (?:have|get))?)"
    r"\b|-+>|→|=>",
    re.IGNORECASE,
)
_TARGET_BEFORE = re.compile(
    r"\b(?:for|to|into|with)\s+(?:the same|a|an|another|one|the|a new|a different)?\s*$"
)
"""Right before a product name: the name is what the item should become ("swap it for the same
helmet in white", "exchange them for a t-shirt in purple")."""
_CHANGE_VERB = re.compile(r"\b(?:swap|exchange|replace|change|switch|trade|get)\w*\b")
_PAYMENT_AFTER = re.compile(
    r"\s+(?:(?:my|the|your|a|same|original|other)\s+){0,3}(?:card|credit|debit|paypal|pay pal|"
    r"gift|visa|master|amex|payment|method|account|balance)",
    re.IGNORECASE,
)
"""Right after "with"/"to": a payment method ("pay with the same card"), not an item's target."""
_NO_TARGET_AFTER = re.compile(r"\s*(?:[.!?,;:]|$|(?:me|us|myself|ourselves|now|ages|days)\b)")
"""Right after a target word: nothing it could name ("what I hoped for.", "too big for me")."""
_VERB_AFTER = re.compile(
    r"\s+(?:change|exchange|swap|switch|return|replace|get|have|be|make|keep|know|ask|order|buy|"
    r"send|go|see|pay|cancel|modify|update|do)\b",
    re.IGNORECASE,
)
"""Right after "to": a verb ("I want to change it for 2K"), not an item's target."""
_NOT_A_CHANGE = re.compile(r"\b(?:return\w*|refund\w*|send\b.{0,20}\bback|cancel\w*)")
_DIFFERENT = re.compile(
    r"\b(?:different|another|other|new|bigger|smaller|larger|longer|shorter|more|less|higher|"
    r"lower|faster)\s+(?:one\s+(?:in|with)\s+)?"
    r"(?:the\s+)?([a-z]+(?:\s[a-z]+)?)"
)
"""An option to be different, its new value not said ("a different size", "another colour", "a
longer battery")."""
_KEPT_BEFORE = re.compile(
    r"(?:\b(?:keep|keeping|keepin'?|except|excluding|but not|apart from|other than|not|"
    r"(?:do not|don'?t|dont) (?:touch|change|return|cancel))\s+(?:the|my)\s+"
    r"(?:[\w.-]+\s+){0,3}$)"
)
"""Right before a product name: the item is excluded ("I'm keeping the headphones", "everything
except the perfume")."""
_NOT_THIS_ONE = re.compile(
    r"\(\s*not\b[^)]*\)|\bnot the [^,.;()]{1,30}? one\b|\bkeep(?:ing)? the [^,.;()!?]{1,30}|"
    r"\b(?:don'?t|dont|do not)\s+(?:touch|change) the [^,.;()!?]{1,30}|\bleave the [^,.;()!?]{1,30}"
)
"""Values of another item than the one meant ("the 34 inch skateboard (not the 28 inch one)",
"return the 17-inch laptop. Keep the 13-inch.")."""
_NOW_BRACKET = re.compile(
    r"\(\s*(?:now|currently|it'?s|it is|they'?re|they are|was|were|mine is|i have)\b[^)]*\)|"
    r"\b(?:it'?s|it is|they'?re|they are|mine is)\b[^.;!?()]*\bnow\b|"
    r"\b(?:now|currently),? (?:it'?s|it is|they'?re|they are)\b[^.;!?()]*"
)
"""What the item is now, inside the wanted variant's words ("to 30MP (now it is 24MP)", "…
robotic one. It's the upright HEPA one now.")."""
_CONTENT_AFTER = re.compile(
    r"\s*(?:(?:is|are|was|were|seems?|works?|fits?)\s+(?:totally |perfectly |just |absolutely "
    r"|really )?(?:fine|ok|okay|great|perfect|good|alright|all right)\b|"
    r"(?:i'?m|i am|i'?ll|i will|we'?re|we'?ll|i|we|i'?d like to|i want to)\s+keep|"
    r"(?:can|will|may)\s+stay\b|stays\b)"
)
"""Right after a product name: the customer is content with it ("the puzzle is fine but …",
"the lamp I'll keep"). With another product named, that one is meant, not this."""
_INSTEAD_OF = re.compile(r"\b(?:instead of|rather than|in place of)\b([^,.;!?]*)")
_SIZE_WORDS = re.compile(r"\b(?:bigger|smaller|larger)\s+(?:one|pair|size)\b|\bsize (?:up|down)\b")


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
_IS_NOW_BEFORE = re.compile(
    r"\b(?:turn(?:s|ed)? out|happen(?:s|ed)?|seem(?:s|ed)?|appear(?:s|ed)?)(?:\s+to)?\s*$"
)


def _target_split(after: str) -> re.Match[str] | None:
    """The word after which the text names what the item should become, skipping the ones that
    introduce a payment method ("… in size 30ml. Pay with same card as before.") or a verb
    ("want to change it"), or open a description in brackets; "with" counts only when no
    other target word follows."""
    weak: re.Match[str] | None = None
    for split in _TARGET_SPLIT.finditer(after):
        if after[: split.start()].rstrip().endswith("("):
            continue  # "the speaker (with water resistance)": what it is, not what it becomes
        if _IS_NOW_BEFORE.search(after[: split.start()]):
            continue  # "it turned out to be the HomeKit version": what it is
        if _PAYMENT_AFTER.match(after, split.end()) or _VERB_AFTER.match(after, split.end()):
            continue
        if _NO_TARGET_AFTER.match(after, split.end()):
            continue  # "not what I hoped for.", "a bit big for me"
        if split.group(0)[0] in "iI" and _TO_AFTER.match(after, split.end()):
            continue  # "I'd like to exchange …": a verb follows, not the target
        if split.group(0).lower() != "with":
            return split
        weak = weak or split
    # "the earbuds with 4 hour battery for blue ones": "with" describes; "for" names the target
    return weak


_TO_AFTER = re.compile(r"\s+to\b")

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
    spans = _one_references(folded, spans)
    out: list[ItemMention] = []
    content: set[str] = set()
    for i, (start, end, name) in enumerate(spans):
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
        split = _target_split(after)
        own_span = before[-40:] + " " + (after[: split.start()] if split else after)
        target_span = after[split.end() :] if split else ""
        if split and split.group(0).lower() == "instead":
            # "the boots in size 9 instead of 8", "mesh instead of leather, blue instead of
            # red": the target comes first; what follows "instead of" is the item as it is.
            own_span, target_span = before[-40:], after
        own_span, target_span = _current_in_target(own_span, target_span)
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
        if _KEPT_BEFORE.search(before[-40:]):
            mention = dataclasses.replace(mention, excluded=True)
        if not mention.wants_change and _SAME_ITEM.search(after):
            # "exchange it for the exact same one": a new item of the variant it is now
            mention = dataclasses.replace(mention, target={})
        if not mention.target_values and customer is not None:
            changes = _changed_options(after, customer.option_keys(name))
            mention = dataclasses.replace(mention, changes=changes, more=_direction(after))
        earlier = next((n for n, m in enumerate(out) if m.name == name), None)
        if (
            earlier is not None
            and _TARGET_SPLIT.search(before)
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
            out[earlier] = ItemMention(name, first.options, first.values, None, wanted)
            continue
        out.append(mention)
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


def _current_in_target(own_span: str, target_span: str) -> tuple[str, str]:
    """Move what the item is now out of the wanted variant's words: "to the A4 hard cover one
    instead of the A6 soft cover", "to 30MP with 3x zoom (now it is 24MP, 5x)"; drop values the
    customer says the item is not ("(not the 28 inch one)")."""
    own_span = _NOT_THIS_ONE.sub(" ", own_span)
    target_span = _NOT_THIS_ONE.sub(" ", target_span)
    for m in _NOW_BRACKET.finditer(target_span):
        own_span += " " + m.group(0)
    target_span = _NOW_BRACKET.sub(" ", target_span)
    # "mesh instead of leather, blue instead of red": each current value runs to the next comma
    for m in _INSTEAD_OF.finditer(target_span):
        own_span += " " + m.group(1)
    return own_span, _INSTEAD_OF.sub(" ", target_span)


_MORE = re.compile(r"\b(?:bigger|larger|longer|more|higher|faster)\b")
_LESS = re.compile(r"\b(?:smaller|shorter|less|lower)\b")


def _direction(span: str) -> bool | None:
    more, less = bool(_MORE.search(span)), bool(_LESS.search(span))
    return more if more != less else None


def _changed_options(span: str, by_value: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The options of the item's product ``span`` asks to be different ("can I get them in a
    different size?", "a bigger pair")."""
    keys = {key for keys in by_value.values() for key in keys}
    named = {k.lower().replace("colour", "color"): k for k in keys}
    found = []
    for m in _DIFFERENT.finditer(span.replace("colour", "color")):
        words = m.group(1).split()
        for candidate in (" ".join(words), words[0], words[0].rstrip("s")):
            if candidate in named:
                found.append(named[candidate])
                break
        else:
            # "a longer battery", "a bigger screen": the one option whose name starts so
            starting = [k for low, k in named.items() if low.split()[0] == words[0]]
            if len(starting) == 1:
                found.append(starting[0])
    if _SIZE_WORDS.search(span) and "size" in named:
        found.append(named["size"])
    return tuple(dict.fromkeys(found))


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
