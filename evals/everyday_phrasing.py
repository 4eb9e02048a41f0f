# ruff: noqa: E501  (the customers' sentences are data, one per line)
"""The customers' sentences of the everyday suite, written before any expectation was computed.

Each family is a list of templates in several writers' styles (terse, chatty, angry, polite,
non-native, typos). Slots are filled by ``everyday_build.py`` from one customer's own data:
``{order}`` an order number in the form the template names (``{hash}`` ``#W1234567``, ``{w}``
``W1234567``, ``{lower}`` ``w1234567``, ``{digits}`` ``1234567``), ``{item}`` a product as a
customer calls it ("smart watch"), ``{change}`` the one option that changes ("in purple",
"in size 8"), ``{described}`` an item told apart by its options ("the earbuds (black, 6 hours)"),
``{pay}`` / ``{dest}`` a payment method by brand, last four, kind or "the card I paid with",
``{address}`` a new address. A template's label (reason, id form, answer kind) says what it means;
the build script never reads meaning from the text.
"""

from __future__ import annotations

NO_LONGER = "no longer needed"
MISTAKE = "ordered by mistake"

# (style, reason, text); {ref} is the order as the template's id form gives it.
CANCEL_REASONS: list[tuple[str, str, str, str]] = [
    (
        "chatty",
        NO_LONGER,
        "hash",
        "Hi! Could you cancel order {ref}? Turns out I won't need it after all.",
    ),
    ("terse", MISTAKE, "lower", "cancel {ref}, it was a mistake to order it"),
    (
        "polite",
        NO_LONGER,
        "w",
        "Good morning, I found it cheaper elsewhere, so please cancel my order {ref}. Thank you.",
    ),
    ("typos", MISTAKE, "digits", "pls cancel order {ref} i clicked twice by mistkae"),
    (
        "non-native",
        NO_LONGER,
        "hash",
        "Hello, I am not needing this order {ref} anymore, please to cancel it.",
    ),
    ("angry", MISTAKE, "w", "I never meant to buy this. Cancel {ref} right now."),
    (
        "chatty",
        NO_LONGER,
        "item",
        "So my plans changed and I don't need the {item} any more - can you cancel that order?",
    ),
    (
        "polite",
        MISTAKE,
        "item",
        "Hello, I ordered the {item} by accident. Would you be able to cancel that order, please?",
    ),
    ("terse", NO_LONGER, "item", "cancel the {item} order. dont need it anymore"),
    (
        "typos",
        MISTAKE,
        "item",
        "hi, my kid ordred the {item} on my account by acident, please cancel it",
    ),
    (
        "non-native",
        NO_LONGER,
        "digits",
        "Order number {ref}: I have no more need for it. Cancel please.",
    ),
    (
        "chatty",
        NO_LONGER,
        "item",
        "Someone already gave me a {item} as a present, so please cancel the one I ordered.",
    ),
    (
        "angry",
        MISTAKE,
        "lower",
        "your checkout placed {ref} when I only hit back. I did NOT want it. cancel it.",
    ),
    (
        "polite",
        NO_LONGER,
        "lower",
        "Could you please cancel {ref}? The event I bought it for was called off.",
    ),
    ("terse", MISTAKE, "hash", "{ref} - accidental purchase, cancel"),
    (
        "non-native",
        MISTAKE,
        "item",
        "I make an error when I buy the {item}, it is wrong order. Please cancel.",
    ),
    ("typos", NO_LONGER, "w", "cancle {ref} please, changed my mind and dont want it"),
    (
        "chatty",
        MISTAKE,
        "digits",
        "Ugh, I placed order {ref} twice by mistake, can you cancel this one?",
    ),
    (
        "polite",
        NO_LONGER,
        "item",
        "I would like to cancel my order with the {item}; I no longer require it.",
    ),
    (
        "angry",
        NO_LONGER,
        "item",
        "Delivery is taking forever and I don't want the {item} anymore. Cancel it.",
    ),
    ("terse", NO_LONGER, "w", "{ref}: not needed anymore, cancel pls"),
    ("non-native", MISTAKE, "lower", "please cancel the {ref}, I did it not on purpose"),
    (
        "chatty",
        NO_LONGER,
        "hash",
        "Hey, I ended up buying the same things at a local shop. Mind cancelling {ref}?",
    ),
    ("typos", MISTAKE, "item", "ordered the {item} by misstake, cancel thx"),
]

# (style, id form, pay kind, text). {change} names only what changes.
ITEM_CHANGES: list[tuple[str, str, str, str]] = [
    (
        "chatty",
        "item",
        "original",
        "Hi, could I get the {item} {change} instead? Use whatever I paid with for any difference.",
    ),
    ("terse", "hash", "original", "{ref}: {item} {change}. same payment method"),
    (
        "polite",
        "w",
        "named",
        "Hello, in order {ref} I'd like the {item} {change}, please. Please use {pay} for the difference.",
    ),
    (
        "typos",
        "item",
        "named",
        "can u switch my {item} to the one {change}? put the diffrence on {pay}",
    ),
    (
        "non-native",
        "digits",
        "original",
        "In order {ref} please change the {item}, I want it {change}. Pay with same card as before.",
    ),
    (
        "angry",
        "item",
        "named",
        "I picked the wrong {item}. I need it {change}. Charge {pay}, and don't mess it up.",
    ),
    (
        "chatty",
        "lower",
        "named",
        "Before {ref} ships - can the {item} be {change}? Everything else the same. {pay} is fine for the payment.",
    ),
    (
        "polite",
        "item",
        "original",
        "Would it be possible to have my {item} {change}? Please keep the other options and bill the original payment method.",
    ),
    ("terse", "item", "named", "{item} -> {change}. pay with {pay}"),
    (
        "non-native",
        "item",
        "named",
        "I want change my {item} for one {change}, other things stay same. Payment: {pay}.",
    ),
    (
        "typos",
        "w",
        "original",
        "order {ref} - the {item} shoud be {change}, same paymnet as before",
    ),
    (
        "chatty",
        "item",
        "original",
        "Changed my mind on the details: the {item} {change} would be perfect. Same card as the order, thanks!",
    ),
]

# (style, kind, text): returns of one item told apart from another of the same product.
ITEMS_BY_OPTIONS: list[tuple[str, str, str]] = [
    ("polite", "return", "Hello, I would like to return {described}. Please refund it to {dest}."),
    ("terse", "return", "return {described}, refund to {dest}"),
    (
        "chatty",
        "return",
        "So I've got two of these now and I want to send back {described}. Money back to {dest} please!",
    ),
    ("typos", "return", "need to retrun {described}. refund on {dest}"),
    ("non-native", "return", "I wish to give back {described}, the money to {dest} please."),
    ("angry", "return", "Take back {described}. It's useless. Refund {dest}."),
    ("polite", "return", "Could you start a return for {described}? The refund can go to {dest}."),
    (
        "chatty",
        "return",
        "Hi there - {described} isn't working out for me, I'd like to return it. Refund to {dest} is perfect.",
    ),
]

# (style, id form, text): a return with the refund destination in the customer's words.
REFUND_DESTINATIONS: list[tuple[str, str, str]] = [
    ("polite", "item", "Hello, I'd like to return the {item} I received. Please refund {dest}."),
    ("terse", "hash", "return the {item} from {ref}. refund to {dest}"),
    (
        "chatty",
        "item",
        "The {item} just isn't for me, sadly. Can I send it back and get the money on {dest}?",
    ),
    ("typos", "lower", "want to return {item} from order {ref}, refund too {dest}"),
    ("non-native", "item", "I return the {item}. Please the money back on {dest}."),
    ("angry", "w", "The {item} in {ref} is junk. I'm returning it and I want my money on {dest}."),
    (
        "polite",
        "digits",
        "Could you process a return of the {item} from order {ref}? Refund {dest}, please.",
    ),
    (
        "chatty",
        "item",
        "Hey! Returning the {item}. Please put the refund back on {dest}, thanks a lot.",
    ),
    ("terse", "item", "{item} return. refund {dest}"),
    ("non-native", "w", "Order {ref}, the {item}: I want to return. Refund go to {dest}."),
]

# (style, id form, text): one ticket, everything in the order returned.
RETURN_ALL_ONE_TURN: list[tuple[str, str, str]] = [
    ("terse", "hash", "return everything in {ref}, refund to {dest}"),
    (
        "polite",
        "lower",
        "Hello, I would like to return all of the items in order {ref}. Please refund {dest}.",
    ),
    (
        "chatty",
        "w",
        "Nothing in {ref} worked out, so I'm sending the whole lot back. Refund to {dest}, please!",
    ),
    ("non-native", "digits", "Order {ref}: I return all the things. Money to {dest}."),
    ("angry", "w", "Everything in {ref} is wrong. I'm returning all of it. Refund {dest}."),
    ("typos", "lower", "retrun evrything from {ref} pls, refund {dest}"),
    (
        "polite",
        "hash",
        "Could you arrange a return of the entire order {ref}? The refund may go to {dest}.",
    ),
    (
        "chatty",
        "digits",
        "Hi, I'd like to send back every item from order {ref} - refund to {dest} works.",
    ),
]

# (style, id form, turn 1, turn 2): which items is asked, the answer is "all of them".
RETURN_ALL_TWO_TURNS: list[tuple[str, str, str, str]] = [
    (
        "polite",
        "hash",
        "Hello, I need to return some items from order {ref}. Please refund {dest}.",
        "All of them, please.",
    ),
    ("terse", "lower", "return stuff from {ref}, refund to {dest}", "everything"),
    (
        "chatty",
        "w",
        "Hi! A few things from {ref} need to go back. Refund to {dest} is fine.",
        "Actually, let's just return all of them.",
    ),
    (
        "non-native",
        "digits",
        "I want to return things of order {ref}, money to {dest}.",
        "all items",
    ),
    (
        "typos",
        "w",
        "need to send back some of the items in {ref}, refund on {dest}",
        "the whole order pls",
    ),
    (
        "angry",
        "hash",
        "I'm returning items from {ref}. Refund to {dest}.",
        "ALL of them. Every single one.",
    ),
    (
        "polite",
        "lower",
        "I would like to make a return for order {ref}; refund {dest}, please.",
        "Everything in it, thank you.",
    ),
    (
        "chatty",
        "digits",
        "Hey, I'd like to return a couple of things from order {ref}. Refund to {dest}.",
        "On second thought, the lot of them.",
    ),
]

# (style, id form, text): status questions in everyday words.
STATUS: list[tuple[str, str, str]] = [
    ("chatty", "item", "Any news on the {item}?"),
    ("terse", "item", "where's the {item} I ordered"),
    ("polite", "item", "Hello, could you tell me the status of my {item}, please?"),
    ("typos", "item", "hav you shiped my {item} yet?"),
    ("non-native", "item", "Where is being my {item}? I wait long time."),
    ("angry", "item", "Still no sign of my {item}. What is going on?"),
    ("terse", "lower", "{ref} status?"),
    ("chatty", "digits", "Hi, just checking in on order {ref} - any update?"),
    ("polite", "lower", "Could you let me know where order {ref} is?"),
    ("typos", "digits", "wheres my order {ref}"),
    ("non-native", "w", "Please, what is the state of order {ref}?"),
    ("angry", "lower", "I've waited ages for {ref}. Where is it??"),
    ("chatty", "item", "Is my {item} on its way yet? Can't wait to try it."),
    ("polite", "w", "Good afternoon, has order {ref} been shipped?"),
    ("terse", "item", "{item} - shipped yet?"),
    ("non-native", "item", "I like to know about my {item}, when it arrive?"),
    ("typos", "lower", "any updat on {ref}??"),
    ("chatty", "item", "Quick one: what's happening with the {item} I bought?"),
    ("polite", "digits", "May I ask about the status of order {ref}?"),
    ("angry", "item", "Where on earth is my {item}?"),
    ("terse", "w", "track {ref}"),
    ("non-native", "lower", "{ref} where is it now please"),
    ("chatty", "item", "Hey, did the {item} go out yet?"),
    ("typos", "item", "whats the status of the {item} i orderd"),
]

# (style, problem, id form, text): the customer did not get what they paid for.
MISSING_OR_DAMAGED: list[tuple[str, str, str, str]] = [
    (
        "chatty",
        "missing",
        "item",
        "The tracking says my {item} was delivered but it isn't here. I checked with the neighbours too.",
    ),
    ("angry", "damaged", "item", "My {item} arrived damaged. The box was crushed and it's broken."),
    ("terse", "missing", "hash", "{ref} says delivered. never got it."),
    (
        "polite",
        "damaged",
        "w",
        "Hello, the {item} from order {ref} arrived with a cracked casing. Could someone look into this?",
    ),
    ("typos", "missing", "item", "my {item} never arived even tho it says deliverd"),
    (
        "non-native",
        "damaged",
        "item",
        "The {item} is come broken, the package was open. What I do?",
    ),
    (
        "angry",
        "missing",
        "lower",
        "Order {ref} is marked delivered and there is NOTHING at my door.",
    ),
    (
        "chatty",
        "damaged",
        "item",
        "So the {item} showed up today but it's scratched all over and one part snapped off.",
    ),
    (
        "polite",
        "missing",
        "digits",
        "Good evening, order {ref} shows as delivered, but I have not received it.",
    ),
    ("terse", "damaged", "item", "{item} arrived broken"),
    ("non-native", "missing", "w", "My order {ref} say delivered but I not receive anything."),
    ("typos", "damaged", "lower", "the stuff in {ref} came smashed, box was wet and torn"),
    ("angry", "damaged", "item", "The {item} came in pieces. Unacceptable."),
    ("polite", "missing", "item", "Hi, my {item} is listed as delivered, but it never reached me."),
    (
        "chatty",
        "missing",
        "hash",
        "Weird one: {ref} apparently got delivered yesterday, but nothing arrived here.",
    ),
    ("terse", "damaged", "digits", "order {ref} arrived damaged"),
]

# (style, reason, turn 1): "cancel my order" with several pending orders.
CANCEL_WHICH: list[tuple[str, str, str]] = [
    ("terse", NO_LONGER, "cancel my order, dont need it"),
    (
        "polite",
        MISTAKE,
        "Hello, I ordered something by mistake and would like to cancel it, please.",
    ),
    ("chatty", NO_LONGER, "Hi! I need to cancel an order - turns out I won't be needing it."),
    ("angry", MISTAKE, "I want my order cancelled. I never meant to place it."),
    ("typos", NO_LONGER, "plz cancel my ordr, i dont need it anymore"),
    ("non-native", MISTAKE, "I want cancel my order, I did it by error."),
    ("polite", NO_LONGER, "Could you cancel one of my orders? I no longer need it."),
    ("chatty", MISTAKE, "Oops, I hit order by accident. Could you cancel it?"),
]
# (kind, turn 2): the answer to "which order?".
CANCEL_WHICH_ANSWERS: list[tuple[str, str]] = [
    ("item", "the one with the {item}"),
    ("item", "{item}"),
    ("item", "It's the order with the {item} in it."),
    ("described", "the one with {described}"),
    ("described", "{described}, that's the one"),
    ("number", "{ref}"),
    ("number", "order {ref}"),
    ("number", "it's {ref}"),
]

# Tickets in Spanish, German and French: (language, kind, id form, text).
LANGUAGES: list[tuple[str, str, str, str]] = [
    ("es", "cancel-no-longer", "hash", "Hola, quiero cancelar el pedido {ref}, ya no lo necesito."),
    ("es", "cancel-mistake", "lower", "Por favor cancelen {ref}, lo pedí por error."),
    ("es", "status", "w", "¿Dónde está mi pedido {ref}? Hace días que espero."),
    ("es", "status", "digits", "¿Me pueden decir el estado del pedido {ref}?"),
    ("es", "return-all", "w", "Quiero devolver todo el pedido {ref}, el reembolso a {dest_es}."),
    ("es", "damaged", "hash", "El pedido {ref} llegó dañado, la caja estaba rota."),
    (
        "de",
        "cancel-no-longer",
        "w",
        "Hallo, bitte stornieren Sie die Bestellung {ref}, ich brauche sie nicht mehr.",
    ),
    (
        "de",
        "cancel-mistake",
        "digits",
        "Bestellung {ref} bitte stornieren, habe sie aus Versehen aufgegeben.",
    ),
    ("de", "status", "lower", "Wo ist meine Bestellung {ref}?"),
    ("de", "status", "hash", "Gibt es Neuigkeiten zu Bestellung {ref}?"),
    (
        "de",
        "return-all",
        "hash",
        "Ich möchte alle Artikel aus Bestellung {ref} zurückgeben. Erstattung bitte auf {dest_de}.",
    ),
    (
        "de",
        "missing",
        "w",
        "Laut Sendungsverfolgung wurde {ref} zugestellt, aber bei mir ist nichts angekommen.",
    ),
    (
        "fr",
        "cancel-no-longer",
        "lower",
        "Bonjour, pouvez-vous annuler la commande {ref} ? Je n'en ai plus besoin.",
    ),
    (
        "fr",
        "cancel-mistake",
        "hash",
        "Annulez la commande {ref} s'il vous plaît, je l'ai passée par erreur.",
    ),
    ("fr", "status", "w", "Où en est ma commande {ref} ?"),
    ("fr", "status", "digits", "Avez-vous des nouvelles de la commande {ref} ?"),
    (
        "fr",
        "return-all",
        "digits",
        "Je voudrais retourner tous les articles de la commande {ref}, remboursement sur {dest_fr}.",
    ),
    ("fr", "damaged", "lower", "La commande {ref} est arrivée abîmée, le colis était écrasé."),
]
DEST_WORDS = {
    "es": {
        "gift_card": "mi tarjeta regalo",
        "paypal": "mi PayPal",
        "original": "el método de pago original",
    },
    "de": {
        "gift_card": "meine Geschenkkarte",
        "paypal": "mein PayPal",
        "original": "die ursprüngliche Zahlungsmethode",
    },
    "fr": {
        "gift_card": "ma carte cadeau",
        "paypal": "mon PayPal",
        "original": "le moyen de paiement d'origine",
    },
}

# Two requests in one ticket: (style, role of {a}, role of {b}, text). Roles without an order
# ("address": the account's address) leave their slot unused.
MULTI_REQUESTS: list[tuple[str, str, str, str]] = [
    (
        "chatty",
        "cancel-no-longer",
        "status",
        "Hi! Please cancel {a}, I don't need it anymore. Also, where is {b}?",
    ),
    ("terse", "cancel-mistake", "status", "status of {b}? and cancel {a}, ordered by mistake"),
    (
        "polite",
        "cancel-no-longer",
        "return-all",
        "Hello, two things: please cancel order {a} as I no longer need it, and I'd like to return everything in {b} with the refund to {dest}.",
    ),
    (
        "typos",
        "cancel-mistake",
        "status",
        "cancle {a} (mistake order) and tell me whats up with {b}",
    ),
    (
        "non-native",
        "cancel-no-longer",
        "status",
        "First, where is my order {b}? Second, cancel {a}, I not need it more.",
    ),
    (
        "angry",
        "cancel-mistake",
        "handoff-damaged",
        "Cancel {a}, I ordered it by accident. And {b} arrived smashed, I want someone to deal with it.",
    ),
    (
        "chatty",
        "status",
        "return-all",
        "Sending back everything from {b}, refund to {dest} please. Oh, and any news on {a}?",
    ),
    (
        "polite",
        "cancel-no-longer",
        "address",
        "Please cancel {a}, I no longer need it. I have also moved; my new address is {address}, please update it on my account.",
    ),
    ("terse", "address", "status", "new address: {address} (update my account). also where is {b}"),
    (
        "typos",
        "cancel-no-longer",
        "return-all",
        "cancel {a} dont need it. also return evrything in {b}, refund {dest}",
    ),
    (
        "non-native",
        "cancel-mistake",
        "handoff-missing",
        "Order {a} I make by error, please cancel. Order {b} say delivered but I not get it.",
    ),
    (
        "chatty",
        "status",
        "status",
        "Could you check on {a} and {b} for me? Neither has shown up yet.",
    ),
    (
        "polite",
        "cancel-mistake",
        "cancel-no-longer",
        "Please cancel {a}, which I placed by mistake, and {b}, which I no longer need.",
    ),
    (
        "angry",
        "status",
        "handoff-damaged",
        "Where is {a}? And {b} came damaged. Get a person on this.",
    ),
    ("terse", "cancel-no-longer", "cancel-no-longer", "cancel {a} and {b}, dont need them"),
    (
        "chatty",
        "cancel-mistake",
        "address",
        "Hey! I moved to {address} - please update my profile. And cancel {a}, I ordered that by accident.",
    ),
]

# Addresses the customers move to (invented): address1, address2, city, state, zip; country USA.
NEW_ADDRESSES: list[tuple[str, str, str, str, str]] = [
    ("12 Elm Street", "Apt 3B", "Portland", "OR", "97205"),
    ("480 Harbor View Road", "Unit 12", "San Diego", "CA", "92101"),
    ("77 Maple Avenue", "Suite 200", "Columbus", "OH", "43215"),
    ("1509 Cedar Lane", "Apt 7", "Austin", "TX", "78704"),
    ("9 Orchard Court", "Floor 2", "Burlington", "VT", "05401"),
    ("3021 Lakeshore Drive", "Apt 14C", "Chicago", "IL", "60614"),
    ("65 Pinecrest Way", "Unit 5", "Boise", "ID", "83702"),
    ("218 Willow Bend", "Apt 301", "Raleigh", "NC", "27601"),
    ("4 Beacon Hill Place", "Suite 9", "Boston", "MA", "02108"),
    ("1340 Sunset Ridge", "Apt 22", "Phoenix", "AZ", "85004"),
    ("56 Riverside Terrace", "Unit 3A", "Minneapolis", "MN", "55401"),
    ("801 Magnolia Street", "Apt 18", "Savannah", "GA", "31401"),
    ("23 Aspen Circle", "Suite 4", "Denver", "CO", "80203"),
    ("700 Bayview Boulevard", "Apt 9D", "Tampa", "FL", "33602"),
    ("41 Quarry Road", "Unit 1", "Madison", "WI", "53703"),
]

# (style, scope, id form, text): new shipping address of one order, or of the account.
ADDRESSES: list[tuple[str, str, str, str]] = [
    ("polite", "order", "hash", "Hello, could you ship order {ref} to {address} instead?"),
    ("terse", "order", "lower", "change shipping address of {ref} to {address}"),
    (
        "chatty",
        "order",
        "item",
        "I'm staying at my sister's for a while - can the {item} go to {address}?",
    ),
    ("typos", "order", "digits", "plz send order {ref} to {address}, i moved"),
    ("non-native", "order", "w", "For order {ref} the address is now {address}. Please change."),
    (
        "angry",
        "order",
        "item",
        "You have the wrong address on my {item} order. It must go to {address}.",
    ),
    ("polite", "user", None, "I have moved. Please update the address on my account to {address}."),
    ("terse", "user", None, "new default address: {address}"),
    ("chatty", "user", None, "Hi! New place, new address: {address}. Could you update my profile?"),
    (
        "non-native",
        "user",
        None,
        "My home address change, now it is {address}. Please update my account.",
    ),
    ("typos", "user", None, "update my adress on file to {address} thx"),
    (
        "polite",
        "order",
        "lower",
        "Please deliver {ref} to {address}; I will not be at my usual address.",
    ),
]

# (style, id form, text): pay a pending order with another method.
PAYMENTS: list[tuple[str, str, str]] = [
    ("polite", "hash", "Hello, could you switch the payment for order {ref} to {pay}?"),
    ("terse", "lower", "pay {ref} with {pay} instead"),
    (
        "chatty",
        "item",
        "Hi! For the {item} I just ordered, I'd rather pay with {pay}. Can you change that?",
    ),
    ("typos", "digits", "chnage payment on order {ref} to {pay} pls"),
    ("non-native", "w", "For order {ref} I want to pay with {pay}, not the other."),
    ("angry", "item", "Wrong card on my {item} order. Charge {pay} instead."),
    (
        "polite",
        "digits",
        "Would you please use {pay} for order {ref} instead of the current method?",
    ),
    ("terse", "item", "{item} order: use {pay}"),
    ("chatty", "hash", "Can I move the payment of {ref} over to {pay}? Thanks!"),
    ("non-native", "item", "Please the {item} I pay with {pay}, change it."),
    ("typos", "w", "switch {ref} payment to {pay}"),
    ("polite", "lower", "I'd like {ref} to be charged to {pay} rather than the method I used."),
]
