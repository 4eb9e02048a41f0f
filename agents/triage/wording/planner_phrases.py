"""Phrases for the planner's own notes and questions (worded again by ``wording.notes``)."""

from __future__ import annotations

from collections.abc import Mapping

PLANNER_PHRASES: Mapping[str, Mapping[str, str]] = {
    # -- notes -------------------------------------------------------------------------------
    "already_cancelled": {
        "en": "{order} is already cancelled.",
        "es": "El pedido {order} ya está cancelado.",
        "fr": "La commande {order} est déjà annulée.",
        "de": "Die Bestellung {order} ist bereits storniert.",
        "it": "L'ordine {order} è già annullato.",
        "pt": "O pedido {order} já está cancelado.",
        "nl": "Bestelling {order} is al geannuleerd.",
    },
    "not_your_orders": {
        "en": "I could not find {orders} among your orders, so I left it alone.",
        "es": "No he encontrado {orders} entre sus pedidos, así que no he hecho nada con él.",
        "fr": "Je n'ai pas trouvé {orders} parmi vos commandes, je n'y ai donc pas touché.",
        "de": "Ich habe {orders} nicht unter Ihren Bestellungen gefunden und nichts geändert.",
        "it": "Non ho trovato {orders} tra i suoi ordini, quindi non l'ho toccato.",
        "pt": "Não encontrei {orders} entre os seus pedidos, por isso não lhe mexi.",
        "nl": "Ik heb {orders} niet gevonden onder uw bestellingen en er niets mee gedaan.",
    },
    "no_matching_order": {
        "en": "I could not find a matching order on your account.",
        "es": "No he encontrado ningún pedido que coincida en su cuenta.",
        "fr": "Je n'ai trouvé aucune commande correspondante sur votre compte.",
        "de": "Ich habe auf Ihrem Konto keine passende Bestellung gefunden.",
        "it": "Non ho trovato un ordine corrispondente sul suo account.",
        "pt": "Não encontrei nenhum pedido correspondente na sua conta.",
        "nl": "Ik heb geen passende bestelling op uw account gevonden.",
    },
    "refused": {
        "en": "I can't do that: {why}.",
        "es": "No puedo hacerlo: {why}.",
        "fr": "Je ne peux pas le faire : {why}.",
        "de": "Das kann ich leider nicht tun: {why}.",
        "it": "Non posso farlo: {why}.",
        "pt": "Não posso fazer isso: {why}.",
        "nl": "Dat kan ik niet doen: {why}.",
    },
    "why_cancel": {
        "en": "{order} is {status}, so it can't be cancelled",
        "es": "el pedido {order} está {status} y ya no se puede cancelar",
        "fr": "la commande {order} est {status} et ne peut plus être annulée",
        "de": "die Bestellung {order} ist {status} und kann nicht mehr storniert werden",
        "it": "l'ordine {order} è {status} e non può più essere annullato",
        "pt": "o pedido {order} está {status} e já não pode ser cancelado",
        "nl": "bestelling {order} is {status} en kan niet meer worden geannuleerd",
    },
    "why_change": {
        "en": "{order} is {status}, so its items can't be changed",
        "es": "el pedido {order} está {status} y sus artículos no se pueden cambiar",
        "fr": "la commande {order} est {status} et ses articles ne peuvent pas être modifiés",
        "de": "die Bestellung {order} ist {status}, ihre Artikel können nicht geändert werden",
        "it": "l'ordine {order} è {status} e i suoi articoli non si possono modificare",
        "pt": "o pedido {order} está {status} e os seus artigos não podem ser alterados",
        "nl": "bestelling {order} is {status}, de artikelen kunnen niet worden gewijzigd",
    },
    "why_return": {
        "en": "{order} is {status}, so it can't be returned yet",
        "es": "el pedido {order} está {status} y todavía no se puede devolver",
        "fr": "la commande {order} est {status} et ne peut pas encore être retournée",
        "de": "die Bestellung {order} ist {status} und kann noch nicht zurückgesendet werden",
        "it": "l'ordine {order} è {status} e non può ancora essere reso",
        "pt": "o pedido {order} está {status} e ainda não pode ser devolvido",
        "nl": "bestelling {order} is {status} en kan nog niet worden geretourneerd",
    },
    "why_address": {
        "en": "{order} has already left, so its address is fixed",
        "es": "el pedido {order} ya ha salido y su dirección ya no se puede cambiar",
        "fr": "la commande {order} est déjà partie, son adresse ne peut plus changer",
        "de": "die Bestellung {order} ist bereits unterwegs, die Adresse steht fest",
        "it": "l'ordine {order} è già partito, l'indirizzo non si può più cambiare",
        "pt": "o pedido {order} já saiu, o endereço já não pode ser alterado",
        "nl": "bestelling {order} is al vertrokken, het adres ligt vast",
    },
    "why_payment": {
        "en": "{order} is {status}; its payment is final",
        "es": "el pedido {order} está {status}; su pago es definitivo",
        "fr": "la commande {order} est {status} ; son paiement est définitif",
        "de": "die Bestellung {order} ist {status}; die Zahlung ist endgültig",
        "it": "l'ordine {order} è {status}; il pagamento è definitivo",
        "pt": "o pedido {order} está {status}; o pagamento é definitivo",
        "nl": "bestelling {order} is {status}; de betaling is definitief",
    },
    "why_claim": {
        "en": "a price match, discount or compensation needs a colleague",
        "es": "un ajuste de precio, un descuento o una compensación los decide un compañero",
        "fr": "un alignement de prix, une remise ou un dédommagement relève d'un collègue",
        "de": "über Preisanpassung, Rabatt oder Entschädigung entscheidet ein Kollege",
        "it": "un adeguamento di prezzo, uno sconto o un risarcimento li decide un collega",
        "pt": "um ajuste de preço, desconto ou compensação é decidido por um colega",
        "nl": "over een prijsaanpassing, korting of compensatie beslist een collega",
    },
    "topic_delivery": {
        "en": "Delivery: orders ship to the address on the order; once an order has shipped I "
        "can give you its tracking details if you tell me which order it is.",
        "es": "Envío: los pedidos se envían a la dirección del pedido; cuando un pedido haya "
        "salido puedo darle su seguimiento si me dice de qué pedido se trata.",
        "fr": "Livraison : les commandes sont livrées à l'adresse de la commande ; une fois "
        "expédiée, je peux vous donner le suivi si vous me dites de quelle commande il s'agit.",
        "de": "Lieferung: Bestellungen gehen an die Adresse der Bestellung; sobald eine "
        "Bestellung versandt ist, nenne ich Ihnen die Sendungsdaten, wenn Sie mir sagen, welche.",
        "it": "Spedizione: gli ordini vengono spediti all'indirizzo dell'ordine; una volta "
        "partito, posso darle il tracciamento se mi dice di quale ordine si tratta.",
        "pt": "Entrega: os pedidos são enviados para o endereço do pedido; depois de expedido, "
        "posso dar-lhe o rastreio se me disser de que pedido se trata.",
        "nl": "Levering: bestellingen gaan naar het adres op de bestelling; zodra een bestelling "
        "verzonden is, geef ik u de trackinggegevens als u zegt om welke bestelling het gaat.",
    },
    "topic_place_order": {
        "en": "New orders are placed in our online shop; I can help with orders you have "
        "already placed (status, changes, cancellations, returns and exchanges).",
        "es": "Los pedidos nuevos se hacen en nuestra tienda online; puedo ayudarle con pedidos "
        "ya realizados (estado, cambios, cancelaciones, devoluciones).",
        "fr": "Les nouvelles commandes se passent sur notre boutique en ligne ; je peux vous "
        "aider pour les commandes déjà passées (suivi, modifications, annulations, retours).",
        "de": "Neue Bestellungen geben Sie in unserem Onlineshop auf; ich helfe bei bestehenden "
        "Bestellungen (Status, Änderungen, Stornierungen, Rücksendungen, Umtausch).",
        "it": "I nuovi ordini si fanno nel nostro negozio online; posso aiutarla con gli ordini "
        "già effettuati (stato, modifiche, annullamenti, resi e cambi).",
        "pt": "Os novos pedidos são feitos na nossa loja online; posso ajudar com pedidos já "
        "feitos (estado, alterações, cancelamentos, devoluções e trocas).",
        "nl": "Nieuwe bestellingen plaatst u in onze webwinkel; ik help met bestellingen die u "
        "al geplaatst heeft (status, wijzigingen, annuleringen, retouren en ruilen).",
    },
    "topic_refund_policy": {
        "en": "Refunds go back to the original payment method or to a gift card; returns are "
        "possible for delivered orders, and a cancelled pending order is refunded in full.",
        "es": "Los reembolsos vuelven al método de pago original o a una tarjeta regalo; las "
        "devoluciones son posibles para pedidos entregados y un pedido pendiente cancelado se "
        "reembolsa por completo.",
        "fr": "Les remboursements vont sur le moyen de paiement d'origine ou sur une carte "
        "cadeau ; les retours sont possibles pour les commandes livrées, et une commande en "
        "attente annulée est remboursée intégralement.",
        "de": "Erstattungen gehen an das ursprüngliche Zahlungsmittel oder auf eine "
        "Geschenkkarte; gelieferte Bestellungen können zurückgesendet werden, eine stornierte "
        "offene Bestellung wird voll erstattet.",
        "it": "I rimborsi tornano sul metodo di pagamento originale o su una carta regalo; i "
        "resi sono possibili per gli ordini consegnati e un ordine in attesa annullato è "
        "rimborsato per intero.",
        "pt": "Os reembolsos vão para o método de pagamento original ou para um cartão-presente; "
        "as devoluções são possíveis para pedidos entregues e um pedido pendente cancelado é "
        "reembolsado na totalidade.",
        "nl": "Terugbetalingen gaan naar de oorspronkelijke betaalmethode of naar een "
        "cadeaukaart; retourneren kan voor geleverde bestellingen en een geannuleerde "
        "openstaande bestelling wordt volledig terugbetaald.",
    },
    "topic_cancellation_fee": {
        "en": "There is no fee for cancelling a pending order: the full amount goes back to the "
        "payment method used.",
        "es": "Cancelar un pedido pendiente no tiene coste: el importe completo vuelve al método "
        "de pago utilizado.",
        "fr": "L'annulation d'une commande en attente est gratuite : le montant total retourne "
        "sur le moyen de paiement utilisé.",
        "de": "Das Stornieren einer offenen Bestellung kostet nichts: der volle Betrag geht an "
        "das verwendete Zahlungsmittel zurück.",
        "it": "Annullare un ordine in attesa non costa nulla: l'intero importo torna sul metodo "
        "di pagamento usato.",
        "pt": "Cancelar um pedido pendente não tem custo: o valor total volta para o método de "
        "pagamento usado.",
        "nl": "Het annuleren van een openstaande bestelling is gratis: het volledige bedrag gaat "
        "terug naar de gebruikte betaalmethode.",
    },
    # -- questions ---------------------------------------------------------------------------
    "which_order": {
        "en": "Which order do you mean? Orders that can be {purpose}: {listed}. Please reply "
        "with the order id.",
        "es": "¿A qué pedido se refiere? Pedidos posibles: {listed}. Responda con el número de "
        "pedido.",
        "fr": "De quelle commande s'agit-il ? Commandes possibles : {listed}. Répondez avec le "
        "numéro de commande.",
        "de": "Welche Bestellung meinen Sie? Infrage kommen: {listed}. Bitte antworten Sie mit "
        "der Bestellnummer.",
        "it": "A quale ordine si riferisce? Ordini possibili: {listed}. Risponda con il numero "
        "d'ordine.",
        "pt": "A que pedido se refere? Pedidos possíveis: {listed}. Responda com o número do "
        "pedido.",
        "nl": "Welke bestelling bedoelt u? Mogelijke bestellingen: {listed}. Antwoord met het "
        "bestelnummer.",
    },
    "which_items": {
        "en": "Which items of {order} would you like to {verb}? It holds: {items}.",
        "es": "¿Qué artículos del pedido {order} desea {verb}? Contiene: {items}.",
        "fr": "Quels articles de la commande {order} souhaitez-vous {verb} ? Elle contient : "
        "{items}.",
        "de": "Welche Artikel der Bestellung {order} möchten Sie {verb}? Sie enthält: {items}.",
        "it": "Quali articoli dell'ordine {order} desidera {verb}? Contiene: {items}.",
        "pt": "Que artigos do pedido {order} deseja {verb}? Contém: {items}.",
        "nl": "Welke artikelen van {order} wilt u {verb}? Erin zitten: {items}.",
    },
    "new_address": {
        "en": "What is the new address {where}? Please give street, suite (if any), city, state "
        "and ZIP code.",
        "es": "¿Cuál es la nueva dirección {where}? Indique calle, piso (si lo hay), ciudad, "
        "estado y código postal.",
        "fr": "Quelle est la nouvelle adresse {where} ? Indiquez rue, appartement (s'il y a "
        "lieu), ville, État et code postal.",
        "de": "Wie lautet die neue Adresse {where}? Bitte nennen Sie Straße, ggf. Wohnung, Stadt, "
        "Bundesstaat und Postleitzahl.",
        "it": "Qual è il nuovo indirizzo {where}? Indichi via, interno (se c'è), città, stato e "
        "CAP.",
        "pt": "Qual é o novo endereço {where}? Indique rua, apartamento (se houver), cidade, "
        "estado e código postal.",
        "nl": "Wat is het nieuwe adres {where}? Geef straat, eventueel appartement, plaats, staat "
        "en postcode.",
    },
    "refund_where": {
        "en": "Should the refund for {order} go to {targets}?",
        "es": "¿Adónde debe ir el reembolso del pedido {order}: {targets}?",
        "fr": "Le remboursement de la commande {order} doit-il aller sur {targets} ?",
        "de": "Soll die Erstattung für {order} an {targets} gehen?",
        "it": "Dove deve andare il rimborso dell'ordine {order}: {targets}?",
        "pt": "O reembolso do pedido {order} deve ir para {targets}?",
        "nl": "Moet de terugbetaling voor {order} naar {targets} gaan?",
    },
    "original_method": {
        "en": "the original payment method, {method}",
        "es": "el método de pago original, {method}",
        "fr": "le moyen de paiement d'origine, {method}",
        "de": "das ursprüngliche Zahlungsmittel, {method}",
        "it": "il metodo di pagamento originale, {method}",
        "pt": "o método de pagamento original, {method}",
        "nl": "de oorspronkelijke betaalmethode, {method}",
    },
    "or": {"en": "or", "es": "o", "fr": "ou", "de": "oder", "it": "o", "pt": "ou", "nl": "of"},
    "which_payment": {
        "en": "Which payment method should I use for {purpose}? On file: {listed}.",
        "es": "¿Qué método de pago debo usar? Registrados: {listed}.",
        "fr": "Quel moyen de paiement dois-je utiliser ? Enregistrés : {listed}.",
        "de": "Welches Zahlungsmittel soll ich verwenden? Hinterlegt: {listed}.",
        "it": "Quale metodo di pagamento devo usare? Registrati: {listed}.",
        "pt": "Que método de pagamento devo usar? Registados: {listed}.",
        "nl": "Welke betaalmethode moet ik gebruiken? Geregistreerd: {listed}.",
    },
}
"""Each entry has every language and the same fields in each (``which_order`` and
``which_payment`` keep the English purpose out of the other languages: the list says enough)."""

ITEM_VERBS: Mapping[str, Mapping[str, str]] = {
    "change": {"en": "change", "es": "cambiar", "fr": "modifier", "de": "ändern",
               "it": "modificare", "pt": "alterar", "nl": "wijzigen"},
    "return": {"en": "return", "es": "devolver", "fr": "retourner", "de": "zurücksenden",
               "it": "rendere", "pt": "devolver", "nl": "retourneren"},
}  # fmt: skip
ADDRESS_OF: Mapping[str, Mapping[str, str]] = {
    "order": {"en": "for {order}", "es": "del pedido {order}", "fr": "de la commande {order}",
              "de": "für {order}", "it": "dell'ordine {order}", "pt": "do pedido {order}",
              "nl": "voor {order}"},
    "account": {"en": "for your account", "es": "de su cuenta", "fr": "de votre compte",
                "de": "für Ihr Konto", "it": "del suo account", "pt": "da sua conta",
                "nl": "voor uw account"},
}  # fmt: skip
