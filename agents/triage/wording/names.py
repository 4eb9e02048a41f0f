"""Customer-facing names: order statuses, payment methods, items, addresses, amounts, actions.

Never a raw id except order numbers (#W…): a card is "your Visa ending 1234", an item is its
product name and options.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

STATUS: Mapping[str, Mapping[str, str]] = {
    "pending": {
        "en": "pending",
        "es": "pendiente",
        "fr": "en attente",
        "de": "in Bearbeitung",
        "it": "in attesa",
        "pt": "pendente",
        "nl": "in behandeling",
    },
    "processed": {
        "en": "processed (on its way)",
        "es": "procesado (en camino)",
        "fr": "traitée (en route)",
        "de": "versandt",
        "it": "elaborato (in viaggio)",
        "pt": "processado (a caminho)",
        "nl": "verwerkt (onderweg)",
    },
    "delivered": {
        "en": "delivered",
        "es": "entregado",
        "fr": "livrée",
        "de": "zugestellt",
        "it": "consegnato",
        "pt": "entregue",
        "nl": "bezorgd",
    },
    "cancelled": {
        "en": "cancelled",
        "es": "cancelado",
        "fr": "annulée",
        "de": "storniert",
        "it": "annullato",
        "pt": "cancelado",
        "nl": "geannuleerd",
    },
}
"""Order statuses; a status not listed ("return requested", …) is shown as stored."""

_CARD = {
    "en": "your {brand} ending {last_four}",
    "es": "su {brand} terminada en {last_four}",
    "fr": "votre {brand} se terminant par {last_four}",
    "de": "Ihre {brand} mit Endziffern {last_four}",
    "it": "la sua {brand} che termina con {last_four}",
    "pt": "o seu {brand} terminado em {last_four}",
    "nl": "uw {brand} eindigend op {last_four}",
}
_GIFT_CARD = {
    "en": "your gift card",
    "es": "su tarjeta regalo",
    "fr": "votre carte cadeau",
    "de": "Ihre Geschenkkarte",
    "it": "la sua carta regalo",
    "pt": "o seu cartão-presente",
    "nl": "uw cadeaukaart",
}
_PAYPAL = {
    "en": "your PayPal account",
    "es": "su cuenta PayPal",
    "fr": "votre compte PayPal",
    "de": "Ihr PayPal-Konto",
    "it": "il suo conto PayPal",
    "pt": "a sua conta PayPal",
    "nl": "uw PayPal-rekening",
}
_METHOD = {
    "en": "your payment method",
    "es": "su método de pago",
    "fr": "votre moyen de paiement",
    "de": "Ihr Zahlungsmittel",
    "it": "il suo metodo di pagamento",
    "pt": "o seu método de pagamento",
    "nl": "uw betaalmethode",
}
_AND = {"en": "and", "es": "y", "fr": "et", "de": "und", "it": "e", "pt": "e", "nl": "en"}

ACTIONS: Mapping[str, Mapping[str, str]] = {
    "cancel_pending_order": {
        "en": "cancel {order}",
        "es": "cancelar el pedido {order}",
        "fr": "annuler la commande {order}",
        "de": "die Bestellung {order} zu stornieren",
        "it": "annullare l'ordine {order}",
        "pt": "cancelar o pedido {order}",
        "nl": "bestelling {order} te annuleren",
    },
    "modify_pending_order_items": {
        "en": "change the items of {order}",
        "es": "cambiar los artículos del pedido {order}",
        "fr": "modifier les articles de la commande {order}",
        "de": "die Artikel der Bestellung {order} zu ändern",
        "it": "modificare gli articoli dell'ordine {order}",
        "pt": "alterar os artigos do pedido {order}",
        "nl": "de artikelen van {order} te wijzigen",
    },
    "exchange_delivered_order_items": {
        "en": "exchange items of {order}",
        "es": "cambiar artículos del pedido {order}",
        "fr": "échanger des articles de {order}",
        "de": "Artikel aus {order} umzutauschen",
        "it": "cambiare articoli dell'ordine {order}",
        "pt": "trocar artigos do pedido {order}",
        "nl": "artikelen uit {order} te ruilen",
    },
    "return_delivered_order_items": {
        "en": "return items of {order}",
        "es": "devolver artículos del pedido {order}",
        "fr": "retourner des articles de {order}",
        "de": "Artikel aus {order} zurückzusenden",
        "it": "rendere articoli dell'ordine {order}",
        "pt": "devolver artigos do pedido {order}",
        "nl": "artikelen uit {order} te retourneren",
    },
    "modify_pending_order_address": {
        "en": "change the address of {order}",
        "es": "cambiar la dirección del pedido {order}",
        "fr": "modifier l'adresse de la commande {order}",
        "de": "die Adresse der Bestellung {order} zu ändern",
        "it": "cambiare l'indirizzo dell'ordine {order}",
        "pt": "alterar o endereço do pedido {order}",
        "nl": "het adres van {order} te wijzigen",
    },
    "modify_pending_order_payment": {
        "en": "change the payment of {order}",
        "es": "cambiar el pago del pedido {order}",
        "fr": "modifier le paiement de {order}",
        "de": "die Zahlung der Bestellung {order} zu ändern",
        "it": "cambiare il pagamento dell'ordine {order}",
        "pt": "alterar o pagamento do pedido {order}",
        "nl": "de betaling van {order} te wijzigen",
    },
    "modify_user_address": {
        "en": "change your default address",
        "es": "cambiar su dirección predeterminada",
        "fr": "modifier votre adresse par défaut",
        "de": "Ihre Standardadresse zu ändern",
        "it": "cambiare il suo indirizzo predefinito",
        "pt": "alterar o seu endereço predefinido",
        "nl": "uw standaardadres te wijzigen",
    },
    "transfer_to_human_agents": {
        "en": "pass you to a human colleague",
        "es": "pasarle con un compañero",
        "fr": "vous passer un collègue",
        "de": "Sie an einen Kollegen weiterzugeben",
        "it": "passarla a un collega",
        "pt": "passá-lo a um colega",
        "nl": "u door te verbinden met een collega",
    },
}
"""What a step does, as the object of "I could not …" (``phrases.could_not``)."""
_THE_ORDER = {
    "en": "the order",
    "es": "el pedido",
    "fr": "la commande",
    "de": "die Bestellung",
    "it": "l'ordine",
    "pt": "o pedido",
    "nl": "de bestelling",
}


DEFAULT_LANGUAGE = "en"


def pick(table: Mapping[str, str], language: str) -> str:
    return table.get(language) or table["en"]


def status(value: str, language: str) -> str:
    table = STATUS.get(value)
    return pick(table, language) if table else value


def payment_method(method: Mapping[str, Any] | None, language: str) -> str:
    """ "your Visa ending 1234", "your gift card", "your PayPal account"."""
    source = (method or {}).get("source")
    if source == "credit_card":
        brand = str(method.get("brand") or "card").title() if method else "Card"
        last_four = method.get("last_four", "") if method else ""
        return pick(_CARD, language).format(brand=brand, last_four=last_four)
    if source == "gift_card":
        return pick(_GIFT_CARD, language)
    if source == "paypal":
        return pick(_PAYPAL, language)
    return pick(_METHOD, language)


def item(entry: Mapping[str, Any]) -> str:
    """ "Water Bottle (1000ml, stainless steel, blue)": product name and option values."""
    values = ", ".join(str(v) for v in (entry.get("options") or {}).values())
    return f"{entry['name']} ({values})" if values else str(entry["name"])


def listing(parts: Iterable[str], language: str) -> str:
    """ "a, b and c" in the language."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {pick(_AND, language)} {parts[-1]}"


def items(entries: Sequence[Mapping[str, Any]], language: str) -> str:
    return listing((item(e) for e in entries), language)


def address(value: Mapping[str, Any]) -> str:
    street = ", ".join(str(value[k]) for k in ("address1", "address2") if value.get(k))
    place = " ".join(str(value[k]) for k in ("state", "zip") if value.get(k))
    return ", ".join(p for p in (street, str(value.get("city") or ""), place) if p)


def money(amount: float) -> str:
    return f"${amount:,.2f}"


def action(skill: str, order_id: str | None, language: str) -> str:
    table = ACTIONS.get(skill)
    order = order_id or pick(_THE_ORDER, language)
    if table is None:
        return skill.replace("_", " ") + (f" ({order_id})" if order_id else "")
    return pick(table, language).format(order=order)
