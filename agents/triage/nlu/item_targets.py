"""Where an item mention's wanted variant starts, and what it asks to change.

Values before a target word ("to", "for", "instead of", "but in", "I'd like") pick the item,
values after it are what it should become; ``current_in_target`` moves what the item is now out
of the wanted words; ``changed_options`` reads options to be different without a new value
("a different size", "the bigger size" of a kettle is its capacity).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

TARGET_SPLIT = re.compile(
    r"\b(?:to|for|into|with|instead|become|be|but (?:in|with|as)|"
    r"(?:i'?d|id|i would) (?:actually |really |much |now |just )?(?:like|prefer|want|need)|"
    r"i (?:actually |really |now |just )?(?:want|need|prefer)|"
    r"i (?:wanted|was hoping for|had wanted)|"
    r"(?:i'?d|i would) rather(?: (?:have|get))?)"
    r"\b|-+>|→|=>",
    re.IGNORECASE,
)

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
    r"send|go|see|pay|cancel|modify|update|do)\b|"
    r"\s+(?:changed|exchanged|swapped|switched|replaced|modified|updated|made|turned)\b",
    re.IGNORECASE,
)
"""Right after "to"/"be": a verb ("I want to change it for 2K", "could the grill be switched
from … to …"), not an item's target."""

_IS_NOW_BEFORE = re.compile(
    r"\b(?:turn(?:s|ed)? out|happen(?:s|ed)?|seem(?:s|ed)?|appear(?:s|ed)?)(?:\s+to)?\s*$"
)

_TO_AFTER = re.compile(r"\s+to\b")

_TOPIC_AFTER = re.compile(r"\s+(?:the|my)\s+[^,.;:!?]{1,40}?,")


def target_split(after: str, *, asks_change: bool = True) -> re.Match[str] | None:
    """The word after which the text names what the item should become, skipping the ones that
    introduce a payment method ("… in size 30ml. Pay with same card as before.") or a verb
    ("want to change it"), or open a description in brackets; "with" counts only when no
    other target word follows."""
    weak: re.Match[str] | None = None
    strong: list[re.Match[str]] = []
    for split in TARGET_SPLIT.finditer(after):
        if after[: split.start()].rstrip().endswith("("):
            continue  # "the speaker (with water resistance)": what it is, not what it becomes
        if _IS_NOW_BEFORE.search(after[: split.start()]):
            continue  # "it turned out to be the HomeKit version": what it is
        if _PAYMENT_AFTER.match(after, split.end()) or _VERB_AFTER.match(after, split.end()):
            continue
        if _NO_TARGET_AFTER.match(after, split.end()):
            continue  # "not what I hoped for.", "a bit big for me"
        opens_clause = (
            not after[: split.start()].strip() or after[: split.start()].rstrip()[-1] in ".,;:!?"
        )
        if (
            split.group(0).lower() == "for"
            and opens_clause
            and _TOPIC_AFTER.match(after, split.end())
        ):
            continue  # "For the smaller one, the 1 litre, I'd like …": which item, then what
        if split.group(0).lower() == "for" and not asks_change:
            continue  # "a 1000-piece puzzle for beginners.": nothing asks for a change
        if split.group(0)[0] in "iI" and _TO_AFTER.match(after, split.end()):
            continue  # "I'd like to exchange …": a verb follows, not the target
        if split.group(0).lower() != "with":
            strong.append(split)
            continue
        weak = weak or split
    if len(strong) > 1 and split_after_verb(after, strong[0]) is False:
        # "a 1000-piece puzzle for beginners. Could I swap it for the 1500-piece one": the
        # target word right after the change verb, not the one in the description before it
        return next((m for m in strong[1:] if split_after_verb(after, m)), strong[0])
    # "the earbuds with 4 hour battery for blue ones": "with" describes; "for" names the target
    return strong[0] if strong else weak


_VERB_BEFORE_SPLIT = re.compile(
    r"\b(?:swap|exchange|replace|change|switch|trade|make|turn)\w*\s+(?:it|them|this|that|one|"
    r"(?:the|my)\s+(?:[\w-]+\s+){0,3}?)?\s*$"
)


def split_after_verb(after: str, split: re.Match[str]) -> bool:
    """Whether a change verb ("swap it") comes right before the target word."""
    return bool(_VERB_BEFORE_SPLIT.search(after[max(0, split.start() - 40) : split.start()]))


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

_INSTEAD_OF = re.compile(r"\b(?:instead of|rather than|in place of)\b([^,.;!?]*)")


def current_in_target(own_span: str, target_span: str) -> tuple[str, str]:
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


_DIFFERENT = re.compile(
    r"\b(?:different|another|other|new|bigger|smaller|larger|longer|shorter|more|less|higher|"
    r"lower|faster)\s+(?:one\s+(?:in|with)\s+)?"
    r"(?:the\s+)?([a-z]+(?:\s[a-z]+)?)"
)
"""An option to be different, its new value not said ("a different size", "another colour", "a
longer battery")."""

_SIZE_WORDS = re.compile(
    r"\b(?:bigger|smaller|larger)\s+(?:one|pair|size|version|model)\b|\bsize (?:up|down)\b"
)

_MORE = re.compile(r"\b(?:bigger|larger|longer|more|higher|faster)\b")

_LESS = re.compile(r"\b(?:smaller|shorter|less|lower)\b")


def direction(span: str) -> bool | None:
    more, less = bool(_MORE.search(span)), bool(_LESS.search(span))
    return more if more != less else None


def changed_options(span: str, by_value: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
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
    if _SIZE_WORDS.search(span):
        # "the bigger size" of a kettle is its capacity: the one option that measures it
        sized = [k for low, k in named.items() if low == "size"] or [
            k for low, k in named.items() if re.search(r"size|capacity|length", low)
        ]
        if len(sized) == 1:
            found.append(sized[0])
    return tuple(dict.fromkeys(found))
