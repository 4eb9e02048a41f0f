"""Language identification by function-word profiles (no model files, deterministic)."""

from __future__ import annotations

from agents.triage.nlu.text import words

_PROFILES: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and to my is of i you it for on with this that be have was not are please order "
        "where what can how do want need would".split()
    ),
    "es": frozenset(
        "el la los las de que y en un una mi por para con no es quiero pedido donde esta "
        "como puedo necesito hola gracias".split()
    ),
    "fr": frozenset(
        "le la les de des et en un une mon ma mes pour avec ne pas est je veux commande ou "
        "comment bonjour merci vous".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ich mein meine mit fur auf ein eine bitte bestellung wo "
        "wie kann mochte hallo danke sie".split()
    ),
    "it": frozenset(
        "il lo la gli le di che e un una mio mia per con non sono voglio ordine dove come "
        "posso grazie ciao".split()
    ),
    "pt": frozenset(
        "o a os as de que e em um uma meu minha por para com nao quero pedido onde como "
        "posso obrigado ola voce".split()
    ),
    "nl": frozenset(
        "de het een en is niet ik mijn met voor op van bestelling waar hoe kan wil graag "
        "bedankt hallo u".split()
    ),
}


def detect_language(text: str, default: str = "en") -> str:
    """The ISO 639-1 code whose function words the text uses most; ``default`` when unsure."""
    tokens = words(text)
    if not tokens:
        return default
    scores = {lang: sum(t in profile for t in tokens) for lang, profile in _PROFILES.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    if scores[best] == 0 or scores[best] <= scores[default]:
        return default
    return best
