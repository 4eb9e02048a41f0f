"""A small phrase glossary: request cues of Spanish, French, German, Portuguese, Italian and
Dutch tickets rewritten to English, so one English intent model and one set of entity patterns
serve them all (written for this project; no dataset text).

Only phrases that carry the request are translated (verbs, order/payment/refund words, reasons,
product nouns); ids, addresses and the rest of the text are left as they are. Matching ignores
case and accents, and a phrase only matches whole words.
"""

from __future__ import annotations

import functools
import re

from agents.triage.nlu.text import words

_PHRASES: tuple[tuple[str, str], ...] = (
    # -- reasons (before the verbs they contain) --------------------------------------------
    ("ya no lo necesito", "I no longer need it"),
    ("ya no la necesito", "I no longer need it"),
    ("ya no los necesito", "I no longer need them"),
    ("no lo necesito", "I no longer need it"),
    ("je n'en ai plus besoin", "I no longer need it"),
    ("n'en ai plus besoin", "no longer need it"),
    ("plus besoin", "no longer need it"),
    ("brauche ich nicht mehr", "I no longer need it"),
    ("brauche es nicht mehr", "I no longer need it"),
    ("nicht mehr benotigt", "no longer needed"),
    ("nao preciso mais", "I no longer need it"),
    ("ja nao preciso", "I no longer need it"),
    ("non mi serve piu", "I no longer need it"),
    ("non ne ho piu bisogno", "I no longer need it"),
    ("heb ik niet meer nodig", "I no longer need it"),
    ("niet meer nodig", "no longer needed"),
    ("por error", "by mistake"),
    ("por equivocacion", "by mistake"),
    ("par erreur", "by mistake"),
    ("aus versehen", "by mistake"),
    ("versehentlich", "by mistake"),
    ("por engano", "by mistake"),
    ("per errore", "by mistake"),
    ("per sbaglio", "by mistake"),
    ("per ongeluk", "by mistake"),
    ("bij vergissing", "by mistake"),
    # -- people -------------------------------------------------------------------------------
    ("hablar con un supervisor", "speak to a supervisor"),
    ("hablar con una persona", "speak to a person"),
    ("hablar con alguien", "speak to someone"),
    ("hablar con un humano", "speak to a human"),
    ("hablar con un agente", "speak to an agent"),
    ("parler a un humain", "speak to a human"),
    ("parler a quelqu'un", "speak to someone"),
    ("parler a une personne", "speak to a person"),
    ("parler a un conseiller", "speak to an agent"),
    ("parler a un responsable", "speak to a manager"),
    ("mit einem menschen sprechen", "speak to a human"),
    ("mit einem mitarbeiter sprechen", "speak to an agent"),
    ("mit jemandem sprechen", "speak to someone"),
    ("mit einem vorgesetzten sprechen", "speak to a manager"),
    ("falar com um humano", "speak to a human"),
    ("falar com uma pessoa", "speak to a person"),
    ("falar com alguem", "speak to someone"),
    ("falar com um atendente", "speak to an agent"),
    ("parlare con un operatore", "speak to an agent"),
    ("parlare con una persona", "speak to a person"),
    ("parlare con qualcuno", "speak to someone"),
    ("spreken met een mens", "speak to a human"),
    ("met een medewerker spreken", "speak to an agent"),
    ("met iemand spreken", "speak to someone"),
    ("inaceptable", "unacceptable"),
    ("inacceptable", "unacceptable"),
    ("inakzeptabel", "unacceptable"),
    ("inaceitavel", "unacceptable"),
    ("inaccettabile", "unacceptable"),
    ("onaanvaardbaar", "unacceptable"),
    ("ahora mismo", "right now"),
    ("tout de suite", "right now"),
    ("sofort", "right now"),
    ("agora mesmo", "right now"),
    ("subito", "right now"),
    ("urgente", "urgent"),
    ("dringend", "urgent"),
    # -- payments -----------------------------------------------------------------------------
    ("moyens de paiement", "payment methods"),
    ("moyen de paiement", "payment method"),
    ("metodos de pago", "payment methods"),
    ("metodo de pago", "payment method"),
    ("formas de pago", "payment methods"),
    ("zahlungsmethoden", "payment methods"),
    ("zahlungsmittel", "payment methods"),
    ("zahlungsart", "payment method"),
    ("metodos de pagamento", "payment methods"),
    ("formas de pagamento", "payment methods"),
    ("metodi di pagamento", "payment methods"),
    ("metodo di pagamento", "payment method"),
    ("betaalmethoden", "payment methods"),
    ("betaalmethode", "payment method"),
    ("tarjeta de regalo", "gift card"),
    ("carte cadeau", "gift card"),
    ("carte-cadeau", "gift card"),
    ("geschenkkarte", "gift card"),
    ("gutschein", "gift card"),
    ("cartao-presente", "gift card"),
    ("cartao presente", "gift card"),
    ("vale-presente", "gift card"),
    ("carta regalo", "gift card"),
    ("buono regalo", "gift card"),
    ("cadeaukaart", "gift card"),
    ("cadeaubon", "gift card"),
    ("tarjeta de credito", "credit card"),
    ("carte de credit", "credit card"),
    ("carte bancaire", "credit card"),
    ("kreditkarte", "credit card"),
    ("cartao de credito", "credit card"),
    ("carta di credito", "credit card"),
    ("creditcard", "credit card"),
    ("carte", "card"),
    ("tarjeta", "card"),
    ("karte", "card"),
    ("cartao", "card"),
    ("kaart", "card"),
    ("saldo", "balance"),
    ("solde", "balance"),
    ("guthaben", "balance"),
    ("tegoed", "balance"),
    ("registrados", "on file"),
    ("enregistres", "on file"),
    ("hinterlegt", "on file"),
    ("cadastrados", "on file"),
    ("registrati", "on file"),
    ("opgeslagen", "on file"),
    ("factura", "invoice"),
    ("facture", "invoice"),
    ("rechnung", "invoice"),
    ("fatura", "invoice"),
    ("fattura", "invoice"),
    ("factuur", "invoice"),
    ("recibo", "receipt"),
    ("quittung", "receipt"),
    ("ricevuta", "receipt"),
    ("reembolso", "refund"),
    ("remboursement", "refund"),
    ("rembourser", "refund"),
    ("erstattung", "refund"),
    ("ruckerstattung", "refund"),
    ("rimborso", "refund"),
    ("terugbetaling", "refund"),
    ("pagar con", "pay with"),
    ("payer avec", "pay with"),
    ("payer par", "pay with"),
    ("bezahlen mit", "pay with"),
    ("mit .{0,20} bezahlen", "pay with"),
    ("pagar com", "pay with"),
    ("pagare con", "pay with"),
    ("betalen met", "pay with"),
    ("en su lugar", "instead"),
    ("a la place", "instead"),
    ("stattdessen", "instead"),
    ("em vez disso", "instead"),
    ("invece", "instead"),
    ("in plaats daarvan", "instead"),
    # -- verbs ----------------------------------------------------------------------------------
    ("cancelar", "cancel"),
    ("anular", "cancel"),
    ("annuler", "cancel"),
    ("stornieren", "cancel"),
    ("storniere", "cancel"),
    ("stornierung", "cancellation"),
    ("annule", "cancel"),
    ("annulez", "cancel"),
    ("cancela", "cancel"),
    ("cancele", "cancel"),
    ("rembourser", "refund"),
    ("remboursement", "refund"),
    ("erstatten", "refund"),
    ("erstattung", "refund"),
    ("ruckerstattung", "refund"),
    ("storniert", "cancelled"),
    ("annullare", "cancel"),
    ("cancellare", "cancel"),
    ("annuleren", "cancel"),
    ("devolver", "return"),
    ("retourner", "return"),
    ("renvoyer", "return"),
    ("zurucksenden", "return"),
    ("zuruckschicken", "return"),
    ("zuruckgeben", "return"),
    ("retournieren", "return"),
    ("restituire", "return"),
    ("retourneren", "return"),
    ("terugsturen", "return"),
    ("cambiar", "change"),
    ("changer", "change"),
    ("modifier", "change"),
    ("andern", "change"),
    ("umtauschen", "exchange"),
    ("trocar", "exchange"),
    ("alterar", "change"),
    ("cambiare", "change"),
    ("modificare", "change"),
    ("sostituire", "exchange"),
    ("wijzigen", "change"),
    ("ruilen", "exchange"),
    ("echanger", "exchange"),
    ("intercambiar", "exchange"),
    ("enviar a", "ship to"),
    ("envoyer", "ship"),
    ("expedier", "ship"),
    ("senden an", "ship to"),
    ("schicken an", "ship to"),
    ("liefern an", "ship to"),
    ("spedire a", "ship to"),
    ("verzenden naar", "ship to"),
    ("sturen naar", "ship to"),
    ("direccion", "address"),
    ("adresse", "address"),
    ("anschrift", "address"),
    ("endereco", "address"),
    ("indirizzo", "address"),
    ("adres", "address"),
    # -- questions --------------------------------------------------------------------------
    ("donde esta", "where is"),
    ("ou est", "where is"),
    ("ou en est", "what is the status of"),
    ("wo ist", "where is"),
    ("wo bleibt", "where is"),
    ("onde esta", "where is"),
    ("dove si trova", "where is"),
    ("dov'e", "where is"),
    ("dove e", "where is"),
    ("waar is", "where is"),
    ("waar blijft", "where is"),
    ("cual es", "what is"),
    ("qual e", "what is"),
    ("quel est", "what is"),
    ("quels", "which"),
    ("quelles", "which"),
    ("estado de", "status of"),
    ("statut de", "status of"),
    ("stato di", "status of"),
    # -- nouns --------------------------------------------------------------------------------
    ("mi pedido", "my order"),
    ("el pedido", "the order"),
    ("pedido", "order"),
    ("pedidos", "orders"),
    ("ma commande", "my order"),
    ("la commande", "the order"),
    ("commande", "order"),
    ("commandes", "orders"),
    ("meine bestellung", "my order"),
    ("die bestellung", "the order"),
    ("bestellung", "order"),
    ("bestellungen", "orders"),
    ("meu pedido", "my order"),
    ("o pedido", "the order"),
    ("encomenda", "order"),
    ("il mio ordine", "my order"),
    ("l'ordine", "the order"),
    ("ordine", "order"),
    ("ordini", "orders"),
    ("mijn bestelling", "my order"),
    ("de bestelling", "the order"),
    ("bestelling", "order"),
    ("sac a dos", "backpack"),
    ("mochila", "backpack"),
    ("rucksack", "backpack"),
    ("zaino", "backpack"),
    ("rugzak", "backpack"),
    ("gafas de sol", "sunglasses"),
    ("lunettes de soleil", "sunglasses"),
    ("sonnenbrille", "sunglasses"),
    ("oculos de sol", "sunglasses"),
    ("occhiali da sole", "sunglasses"),
    ("zonnebril", "sunglasses"),
    ("botas de montana", "hiking boots"),
    ("chaussures de randonnee", "hiking boots"),
    ("wanderschuhe", "hiking boots"),
    ("wanderstiefel", "hiking boots"),
    ("cafetera", "coffee maker"),
    ("cafetiere", "coffee maker"),
    ("kaffeemaschine", "coffee maker"),
    ("botella de agua", "water bottle"),
    ("gourde", "water bottle"),
    ("trinkflasche", "water bottle"),
    ("esterilla de yoga", "yoga mat"),
    ("tapis de yoga", "yoga mat"),
    ("yogamatte", "yoga mat"),
    ("camiseta", "t-shirt"),
    ("auriculares", "earbuds"),
    ("ecouteurs", "earbuds"),
    ("kopfhorer", "earbuds"),
    ("lampe de bureau", "desk lamp"),
    ("camara", "camera"),
    ("kamera", "camera"),
    ("appareil photo", "camera"),
    ("reloj", "watch"),
    ("montre", "watch"),
    ("armbanduhr", "watch"),
    ("zapatillas", "shoes"),
    ("chaussures", "shoes"),
    ("schuhe", "shoes"),
    ("chaqueta", "jacket"),
    ("veste", "jacket"),
    ("jacke", "jacket"),
    ("teclado", "keyboard"),
    ("clavier", "keyboard"),
    ("tastatur", "keyboard"),
    ("lampara", "lamp"),
    ("tableta", "tablet"),
    ("tablette", "tablet"),
    ("altavoz", "speaker"),
    ("enceinte", "speaker"),
    ("lautsprecher", "speaker"),
    ("aspiradora", "vacuum"),
    ("aspirateur", "vacuum"),
    ("staubsauger", "vacuum"),
    ("hervidor", "kettle"),
    ("bouilloire", "kettle"),
    ("wasserkocher", "kettle"),
    ("todo el pedido", "the whole order"),
    ("toda la orden", "the whole order"),
    ("toute la commande", "the whole order"),
    ("die ganze bestellung", "the whole order"),
    ("schreibtischlampe", "desk lamp"),
)

_VOWELS = {
    "a": "[aáàâäãå]",
    "e": "[eéèêë]",
    "i": "[iíìîï]",
    "o": "[oóòôöõ]",
    "u": "[uúùûü]",
    "c": "[cç]",
    "n": "[nñ]",
    "'": "['’]",
}


def _loose(phrase: str) -> str:
    """A regex for ``phrase`` that accepts accented letters, any case and flexible spaces."""
    out: list[str] = []
    for part in re.split(r"(\.\{0,20\})", phrase):
        if part == ".{0,20}":
            out.append(part)
            continue
        for ch in part:
            if ch == " ":
                out.append(r"[\s-]+")
            elif ch == "-":
                out.append(r"[\s-]?")
            else:
                out.append(_VOWELS.get(ch, re.escape(ch)))
    return "".join(out)


def _first_word(phrase: str) -> str:
    return re.split(r"[\s.-]", phrase, maxsplit=1)[0]


@functools.cache
def _by_first_word() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, (source, _) in enumerate(_PHRASES):
        index.setdefault(_first_word(source), []).append(i)
    return {k: tuple(v) for k, v in index.items()}


@functools.lru_cache(maxsize=256)
def _pattern(chosen: tuple[int, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    ordered = sorted(chosen, key=lambda i: len(_PHRASES[i][0]), reverse=True)
    groups = {f"g{i}": _PHRASES[i][1] for i in ordered}
    alternation = "|".join(f"(?P<g{i}>{_loose(_PHRASES[i][0])})" for i in ordered)
    return re.compile(rf"(?<!\w)(?:{alternation})(?![\w’])", re.IGNORECASE), groups


def to_english(text: str) -> str:
    """``text`` with the glossary's phrases replaced by their English meaning."""
    index = _by_first_word()
    tokens = set(words(text)) | set(words(re.sub(r"['’]", " ", text)))
    chosen = sorted({i for w in tokens for i in index.get(w, ())})
    if not chosen:
        return text
    pattern, groups = _pattern(tuple(chosen))
    return pattern.sub(lambda m: groups[m.lastgroup or ""], text)


@functools.cache
def foreign_words() -> frozenset[str]:
    """The glossary's words of other languages (known words, never spelling repairs)."""
    english = {w for _, meaning in _PHRASES for w in words(meaning)}
    return frozenset(w for source, _ in _PHRASES for w in words(source)) - english
