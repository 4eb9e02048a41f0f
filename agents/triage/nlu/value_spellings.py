"""Other ways customers write an option value: measures ("55-75 lbs" as "55 to 75 pounds",
"1.5l" as "1.5 litre", "20 hours" as "20h", "128gb" as "128 gb", "13-inch" as "13 inch"),
adjectives ("wooden" for wood) and spelling variants ("grey" for gray).

``spellings(value)`` lists them for one folded value; the item reader accepts any of them as
the value. A measure keeps its number and unit: it is never converted into another unit
("1000ml" is not "1 liter"), since a catalogue may sell both.
"""

from __future__ import annotations

import functools
import re

UNIT_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("lbs", "lb", "pounds", "pound"),
    ("inches", "inch", "in."),
    ("ft", "feet", "foot"),
    ("ml", "milliliters", "millilitres", "milliliter", "millilitre"),
    ("liters", "liter", "litres", "litre", "l", "ltr"),
    ("cups", "cup"),
    ("hours", "hour", "hrs", "hr", "h"),
    ("gb", "gig", "gigs", "gigabytes", "gigabyte"),
    ("tb", "terabyte", "terabytes"),
    ("mp", "megapixels", "megapixel"),
    ("mah",),
    ("w", "watt", "watts"),
    ("degrees", "degree", "deg", "°"),
    ("bar", "bars"),
    ("mm", "millimeters", "millimetres", "millimeter", "millimetre"),
    ("%", " percent", " per cent"),
)
"""Spellings of one unit; a value written with any of them accepts all of them."""

WORD_FORMS: dict[str, tuple[str, ...]] = {
    "wood": ("wooden",),
    "wool": ("woolen", "woollen", "wooly"),
    "gold": ("golden",),
    "grey": ("gray",),
    "gray": ("grey",),
    "space grey": ("space gray",),
    "stainless steel": ("stainless",),
    "hardshell": ("hard shell", "hard-shell"),
    "softshell": ("soft shell", "soft-shell"),
    "crew neck": ("crewneck",),
    "hard cover": ("hardcover", "hardback"),
    "soft cover": ("softcover", "paperback"),
    "wi-fi": ("wifi",),
    "wi-fi + cellular": ("wifi + cellular", "wi-fi and cellular", "wifi and cellular"),
    "usb-c": ("usb c", "type-c", "type c"),
    "usb-a": ("usb a",),
    "non-polarized": ("unpolarized",),
    "aa batteries": ("aa battery",),
    "ac adapter": ("ac adaptor", "ac power adapter", "power adapter", "power adaptor"),
    "xs": ("extra small", "extra-small", "x-small"),
    "s": ("small",),
    "m": ("medium",),
    "l": ("large",),
    "xl": ("extra large", "extra-large", "x-large"),
    "xxl": ("xx-large", "2xl", "double xl"),
}
"""Option values customers write as an adjective, in another English spelling, or as the word a
letter size stands for (used only where the product has no such value of its own: a helmet's
"medium" ventilation stays ventilation)."""

_BY_SPELLING = {spelling.strip(): group for group in UNIT_SPELLINGS for spelling in group}

_MEASURE = re.compile(
    r"^(?P<low>\d+(?:\.\d+)?)(?:\s*-\s*(?P<high>\d+(?:\.\d+)?))?"
    r"(?P<sep>[\s-]?)(?P<unit>[a-z%°]+\.?)(?P<rest>(?:\s.*)?)$"
)


@functools.lru_cache(maxsize=4096)
def spellings(value: str) -> tuple[str, ...]:
    """Other ways of writing the folded ``value`` ("30-50 lbs" → "30 to 50 pounds", "30-50lb",
    …); () when it is not a number with a unit."""
    if value in WORD_FORMS:
        return WORD_FORMS[value]
    m = _MEASURE.match(value)
    if m is None:
        return ()
    units = _BY_SPELLING.get(m["unit"])
    if units is None:
        return ()
    low, high, rest = m["low"], m["high"], m["rest"]
    numbers = (
        [f"{low}-{high}", f"{low} - {high}", f"{low} to {high}", f"{low}–{high}"] if high else [low]
    )
    if "." in low and not high:
        numbers.append(low.replace(".", ","))  # "1,5 l" in much of Europe
    out: list[str] = []
    for number in numbers:
        for unit in units:
            joiners = ("",) if unit.startswith(" ") else ("", " ", "-")
            out += [
                f"{number}{joiner}{unit.strip() if joiner else unit}{rest}" for joiner in joiners
            ]
    return tuple(s for s in dict.fromkeys(out) if s != value)
