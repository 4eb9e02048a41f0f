"""The reply phrases, one table per message, one template per language.

Languages: English plus the six the triage reads (``nlu/language.py``, ``nlu/glossary.py``):
Spanish, French, German, Italian, Portuguese, Dutch. Placeholders are ``str.format`` fields; every
language of a message has the same fields (``tests/triage/test_replies.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Mapping

from agents.triage.wording.planner_phrases import PLANNER_PHRASES

LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl")
DEFAULT = "en"

Phrase = Mapping[str, str]

REPLY_PHRASES: Mapping[str, Phrase] = {
    # -- orders ------------------------------------------------------------------------------
    "order_status": {
        "en": "Order {order} ({items}) is {status}.",
        "es": "El pedido {order} ({items}) está {status}.",
        "fr": "La commande {order} ({items}) est {status}.",
        "de": "Die Bestellung {order} ({items}) ist {status}.",
        "it": "L'ordine {order} ({items}) è {status}.",
        "pt": "O pedido {order} ({items}) está {status}.",
        "nl": "Bestelling {order} ({items}) is {status}.",
    },
    "tracking": {
        "en": "Tracking number: {tracking}.",
        "es": "Número de seguimiento: {tracking}.",
        "fr": "Numéro de suivi : {tracking}.",
        "de": "Sendungsnummer: {tracking}.",
        "it": "Numero di tracciamento: {tracking}.",
        "pt": "Código de rastreio: {tracking}.",
        "nl": "Trackingnummer: {tracking}.",
    },
    "orders_list": {
        "en": "Your orders: {orders}.",
        "es": "Sus pedidos: {orders}.",
        "fr": "Vos commandes : {orders}.",
        "de": "Ihre Bestellungen: {orders}.",
        "it": "I suoi ordini: {orders}.",
        "pt": "Os seus pedidos: {orders}.",
        "nl": "Uw bestellingen: {orders}.",
    },
    "no_orders": {
        "en": "There are no orders on your account yet.",
        "es": "Todavía no hay pedidos en su cuenta.",
        "fr": "Il n'y a pas encore de commande sur votre compte.",
        "de": "Auf Ihrem Konto gibt es noch keine Bestellungen.",
        "it": "Non ci sono ancora ordini sul suo account.",
        "pt": "Ainda não há pedidos na sua conta.",
        "nl": "Er staan nog geen bestellingen op uw account.",
    },
    "cancelled": {
        "en": "Order {order} is cancelled.",
        "es": "El pedido {order} está cancelado.",
        "fr": "La commande {order} est annulée.",
        "de": "Die Bestellung {order} ist storniert.",
        "it": "L'ordine {order} è annullato.",
        "pt": "O pedido {order} foi cancelado.",
        "nl": "Bestelling {order} is geannuleerd.",
    },
    "refund_to": {
        "en": "{amount} will be refunded to {method}.",
        "es": "Se reembolsarán {amount} a {method}.",
        "fr": "{amount} seront remboursés sur {method}.",
        "de": "{amount} werden auf {method} erstattet.",
        "it": "{amount} saranno rimborsati su {method}.",
        "pt": "{amount} serão reembolsados para {method}.",
        "nl": "{amount} wordt teruggestort op {method}.",
    },
    "charged_to": {
        "en": "{amount} is charged to {method}.",
        "es": "Se cobran {amount} a {method}.",
        "fr": "{amount} sont débités sur {method}.",
        "de": "{amount} werden {method} belastet.",
        "it": "{amount} vengono addebitati su {method}.",
        "pt": "{amount} são cobrados em {method}.",
        "nl": "{amount} wordt afgeschreven van {method}.",
    },
    "items_changed": {
        "en": "Order {order} now has {items}.",
        "es": "El pedido {order} ahora contiene {items}.",
        "fr": "La commande {order} contient maintenant {items}.",
        "de": "Die Bestellung {order} enthält jetzt {items}.",
        "it": "L'ordine {order} ora contiene {items}.",
        "pt": "O pedido {order} agora contém {items}.",
        "nl": "Bestelling {order} bevat nu {items}.",
    },
    "address_changed": {
        "en": "Order {order} will ship to {address}.",
        "es": "El pedido {order} se enviará a {address}.",
        "fr": "La commande {order} sera livrée au {address}.",
        "de": "Die Bestellung {order} wird an {address} geliefert.",
        "it": "L'ordine {order} sarà spedito a {address}.",
        "pt": "O pedido {order} será enviado para {address}.",
        "nl": "Bestelling {order} wordt verzonden naar {address}.",
    },
    "default_address": {
        "en": "Your default address is now {address}.",
        "es": "Su dirección predeterminada es ahora {address}.",
        "fr": "Votre adresse par défaut est désormais {address}.",
        "de": "Ihre Standardadresse ist jetzt {address}.",
        "it": "Il suo indirizzo predefinito è ora {address}.",
        "pt": "O seu endereço predefinido é agora {address}.",
        "nl": "Uw standaardadres is nu {address}.",
    },
    "return_requested": {
        "en": "The return of {items} from {order} is registered; the refund goes to {method} "
        "once the items arrive.",
        "es": "La devolución de {items} del pedido {order} está registrada; el reembolso irá a "
        "{method} cuando recibamos los artículos.",
        "fr": "Le retour de {items} de la commande {order} est enregistré ; le remboursement "
        "ira sur {method} dès réception des articles.",
        "de": "Die Rücksendung von {items} aus der Bestellung {order} ist registriert; die "
        "Erstattung geht nach Eingang der Artikel an {method}.",
        "it": "Il reso di {items} dall'ordine {order} è registrato; il rimborso andrà su "
        "{method} all'arrivo degli articoli.",
        "pt": "A devolução de {items} do pedido {order} está registada; o reembolso vai para "
        "{method} quando os artigos chegarem.",
        "nl": "De retour van {items} uit bestelling {order} is geregistreerd; de terugbetaling "
        "gaat naar {method} zodra de artikelen binnen zijn.",
    },
    "exchange_requested": {
        "en": "The exchange of {items} from {order} is registered.",
        "es": "El cambio de {items} del pedido {order} está registrado.",
        "fr": "L'échange de {items} de la commande {order} est enregistré.",
        "de": "Der Umtausch von {items} aus der Bestellung {order} ist registriert.",
        "it": "Il cambio di {items} dall'ordine {order} è registrato.",
        "pt": "A troca de {items} do pedido {order} está registada.",
        "nl": "De ruil van {items} uit bestelling {order} is geregistreerd.",
    },
    "paid_with": {
        "en": "Order {order} is now paid with {method}.",
        "es": "El pedido {order} se paga ahora con {method}.",
        "fr": "La commande {order} est désormais payée avec {method}.",
        "de": "Die Bestellung {order} wird jetzt mit {method} bezahlt.",
        "it": "L'ordine {order} ora è pagato con {method}.",
        "pt": "O pedido {order} é agora pago com {method}.",
        "nl": "Bestelling {order} wordt nu betaald met {method}.",
    },
    "variant_available": {
        "en": "The {product} with {options} is available for {price}.",
        "es": "El {product} con {options} está disponible por {price}.",
        "fr": "Le {product} avec {options} est disponible pour {price}.",
        "de": "{product} mit {options} ist für {price} verfügbar.",
        "it": "Il {product} con {options} è disponibile a {price}.",
        "pt": "O {product} com {options} está disponível por {price}.",
        "nl": "De {product} met {options} is beschikbaar voor {price}.",
    },
    "variants_fit": {
        "en": "Several {product} variants fit: {variants}. Which one would you like?",
        "es": "Encajan varias variantes de {product}: {variants}. ¿Cuál prefiere?",
        "fr": "Plusieurs variantes de {product} conviennent : {variants}. Laquelle voulez-vous ?",
        "de": "Mehrere Varianten von {product} passen: {variants}. Welche möchten Sie?",
        "it": "Più varianti di {product} corrispondono: {variants}. Quale preferisce?",
        "pt": "Várias variantes de {product} servem: {variants}. Qual prefere?",
        "nl": "Er passen meerdere varianten van {product}: {variants}. Welke wilt u?",
    },
    "variant_unavailable": {
        "en": "The {product} with {options} is not available.",
        "es": "El {product} con {options} no está disponible.",
        "fr": "Le {product} avec {options} n'est pas disponible.",
        "de": "{product} mit {options} ist nicht verfügbar.",
        "it": "Il {product} con {options} non è disponibile.",
        "pt": "O {product} com {options} não está disponível.",
        "nl": "De {product} met {options} is niet beschikbaar.",
    },
    "closest_available": {
        "en": "Closest available: {variants}.",
        "es": "Lo más parecido disponible: {variants}.",
        "fr": "Le plus proche disponible : {variants}.",
        "de": "Am nächsten kommt: {variants}.",
        "it": "Il più simile disponibile: {variants}.",
        "pt": "O mais próximo disponível: {variants}.",
        "nl": "Het dichtst in de buurt en beschikbaar: {variants}.",
    },
    "no_variant_fits": {
        "en": "No available {product} fits that description.",
        "es": "Ningún {product} disponible encaja con esa descripción.",
        "fr": "Aucun {product} disponible ne correspond à cette description.",
        "de": "Kein verfügbares Produkt {product} passt zu dieser Beschreibung.",
        "it": "Nessun {product} disponibile corrisponde a questa descrizione.",
        "pt": "Nenhum {product} disponível corresponde a essa descrição.",
        "nl": "Geen beschikbare {product} past bij die beschrijving.",
    },
    # -- billing -----------------------------------------------------------------------------
    "payment_methods": {
        "en": "Payment methods on file: {methods}.",
        "es": "Métodos de pago registrados: {methods}.",
        "fr": "Moyens de paiement enregistrés : {methods}.",
        "de": "Hinterlegte Zahlungsmittel: {methods}.",
        "it": "Metodi di pagamento registrati: {methods}.",
        "pt": "Métodos de pagamento registados: {methods}.",
        "nl": "Geregistreerde betaalmethoden: {methods}.",
    },
    "gift_card_balance": {
        "en": "The balance of {method} is {amount}.",
        "es": "El saldo de {method} es {amount}.",
        "fr": "Le solde de {method} est de {amount}.",
        "de": "Das Guthaben von {method} beträgt {amount}.",
        "it": "Il saldo di {method} è {amount}.",
        "pt": "O saldo de {method} é {amount}.",
        "nl": "Het saldo van {method} is {amount}.",
    },
    "no_gift_card": {
        "en": "There is no gift card on your account.",
        "es": "No hay ninguna tarjeta regalo en su cuenta.",
        "fr": "Il n'y a pas de carte cadeau sur votre compte.",
        "de": "Auf Ihrem Konto ist keine Geschenkkarte hinterlegt.",
        "it": "Non c'è nessuna carta regalo sul suo account.",
        "pt": "Não há nenhum cartão-presente na sua conta.",
        "nl": "Er staat geen cadeaukaart op uw account.",
    },
    # -- people --------------------------------------------------------------------------------
    "handoff": {
        "en": "A human colleague will take over (reference {reference}).",
        "es": "Un compañero del equipo se encargará (referencia {reference}).",
        "fr": "Un collègue va prendre le relais (référence {reference}).",
        "de": "Ein Kollege übernimmt Ihr Anliegen (Referenz {reference}).",
        "it": "Un collega se ne occuperà (riferimento {reference}).",
        "pt": "Um colega vai tratar do seu pedido (referência {reference}).",
        "nl": "Een collega neemt het over (referentie {reference}).",
    },
    "handed_over": {
        "en": "I have passed this to a human colleague, who will follow up.",
        "es": "He pasado su caso a un compañero, que se pondrá en contacto con usted.",
        "fr": "J'ai transmis votre demande à un collègue, qui reviendra vers vous.",
        "de": "Ich habe Ihr Anliegen an einen Kollegen weitergegeben, der sich bei Ihnen meldet.",
        "it": "Ho passato la sua richiesta a un collega, che la ricontatterà.",
        "pt": "Passei o seu pedido a um colega, que entrará em contacto consigo.",
        "nl": "Ik heb dit doorgegeven aan een collega, die contact met u opneemt.",
    },
    # -- general -------------------------------------------------------------------------------
    "could_not": {
        "en": "I could not {what}: {reason}.",
        "es": "No he podido {what}: {reason}.",
        "fr": "Je n'ai pas pu {what} : {reason}.",
        "de": "Leider war es nicht möglich, {what}: {reason}.",
        "it": "Non sono riuscito a {what}: {reason}.",
        "pt": "Não consegui {what}: {reason}.",
        "nl": "Het is me niet gelukt om {what}: {reason}.",
    },
    "done": {
        "en": "Done: {what}.",
        "es": "Hecho: {what}.",
        "fr": "C'est fait : {what}.",
        "de": "Erledigt: {what}.",
        "it": "Fatto: {what}.",
        "pt": "Feito: {what}.",
        "nl": "Gedaan: {what}.",
    },
    "help": {
        "en": "I can check an order's status, cancel or change pending orders, return or exchange "
        "delivered items, show your payment methods and invoices, or pass you to a human "
        "colleague. What can I do for you?",
        "es": "Puedo consultar el estado de un pedido, cancelar o modificar pedidos pendientes, "
        "devolver o cambiar artículos entregados, mostrar sus métodos de pago y facturas, o "
        "pasarle con un compañero. ¿En qué puedo ayudarle?",
        "fr": "Je peux vérifier l'état d'une commande, annuler ou modifier une commande en "
        "attente, retourner ou échanger des articles livrés, afficher vos moyens de paiement et "
        "factures, ou vous passer un collègue. Que puis-je faire pour vous ?",
        "de": "Ich kann den Status einer Bestellung prüfen, offene Bestellungen stornieren oder "
        "ändern, gelieferte Artikel zurücknehmen oder umtauschen, Ihre Zahlungsmittel und "
        "Rechnungen zeigen oder Sie an einen Kollegen weitergeben. Was kann ich für Sie tun?",
        "it": "Posso controllare lo stato di un ordine, annullare o modificare ordini in attesa, "
        "gestire resi e cambi di articoli consegnati, mostrare i suoi metodi di pagamento e le "
        "fatture, o passarla a un collega. Come posso aiutarla?",
        "pt": "Posso ver o estado de um pedido, cancelar ou alterar pedidos pendentes, devolver "
        "ou trocar artigos entregues, mostrar os seus métodos de pagamento e faturas, ou "
        "passá-lo a um colega. Em que posso ajudar?",
        "nl": "Ik kan de status van een bestelling bekijken, openstaande bestellingen annuleren "
        "of wijzigen, geleverde artikelen retour nemen of ruilen, uw betaalmethoden en facturen "
        "tonen, of u doorverbinden met een collega. Wat kan ik voor u doen?",
    },
    "identify": {
        "en": "I need to know whose account this is about: please sign in, or give the email "
        "address on your account, or your full name and zip code.",
        "es": "Necesito saber de qué cuenta se trata: inicie sesión o indíqueme el correo "
        "electrónico de su cuenta, o su nombre completo y código postal.",
        "fr": "J'ai besoin de savoir de quel compte il s'agit : connectez-vous, ou donnez-moi "
        "l'adresse e-mail de votre compte, ou vos nom complet et code postal.",
        "de": "Ich muss wissen, um welches Konto es geht: Bitte melden Sie sich an oder nennen "
        "Sie die E-Mail-Adresse Ihres Kontos oder Ihren vollständigen Namen und Ihre Postleitzahl.",
        "it": "Devo sapere di quale account si tratta: acceda, oppure mi indichi l'e-mail del "
        "suo account, o nome e cognome e CAP.",
        "pt": "Preciso de saber de que conta se trata: inicie sessão ou indique o e-mail da sua "
        "conta, ou o seu nome completo e código postal.",
        "nl": "Ik moet weten om welk account het gaat: log in, of geef het e-mailadres van uw "
        "account, of uw volledige naam en postcode.",
    },
    "identity_unmatched": {
        "en": "I could not match those details to exactly one account.",
        "es": "No he podido asociar esos datos a una única cuenta.",
        "fr": "Je n'ai pas pu associer ces informations à un seul compte.",
        "de": "Ich konnte diese Angaben keinem eindeutigen Konto zuordnen.",
        "it": "Non sono riuscito ad associare questi dati a un solo account.",
        "pt": "Não consegui associar esses dados a uma única conta.",
        "nl": "Ik kon deze gegevens niet aan precies één account koppelen.",
    },
    "thanks": {
        "en": "You're welcome! If anything else comes up, just write to us.",
        "es": "¡De nada! Si necesita algo más, escríbanos.",
        "fr": "Avec plaisir ! Si vous avez besoin d'autre chose, écrivez-nous.",
        "de": "Gern geschehen! Wenn noch etwas ist, schreiben Sie uns einfach.",
        "it": "Prego! Se le serve altro, ci scriva pure.",
        "pt": "De nada! Se precisar de mais alguma coisa, escreva-nos.",
        "nl": "Graag gedaan! Als er nog iets is, schrijf ons gerust.",
    },
    "out_of_scope": {
        "en": "That is not something I can help with here: I can help with your orders (status, "
        "cancellations, changes, returns, exchanges), payments, refunds and invoices, or pass you "
        "to a human colleague.",
        "es": "Con eso no puedo ayudarle aquí: puedo ayudarle con sus pedidos (estado, "
        "cancelaciones, cambios, devoluciones), pagos, reembolsos y facturas, o pasarle con un "
        "compañero.",
        "fr": "Je ne peux pas vous aider pour cela ici : je peux vous aider pour vos commandes "
        "(suivi, annulations, modifications, retours, échanges), paiements, remboursements et "
        "factures, ou vous passer un collègue.",
        "de": "Dabei kann ich hier nicht helfen: Ich helfe bei Bestellungen (Status, Stornierung, "
        "Änderung, Rücksendung, Umtausch), Zahlungen, Erstattungen und Rechnungen oder gebe Sie "
        "an einen Kollegen weiter.",
        "it": "Non posso aiutarla con questo qui: posso aiutarla con i suoi ordini (stato, "
        "annullamenti, modifiche, resi, cambi), pagamenti, rimborsi e fatture, o passarla a un "
        "collega.",
        "pt": "Não posso ajudar com isso aqui: posso ajudar com os seus pedidos (estado, "
        "cancelamentos, alterações, devoluções, trocas), pagamentos, reembolsos e faturas, ou "
        "passá-lo a um colega.",
        "nl": "Daar kan ik hier niet mee helpen: ik help met uw bestellingen (status, "
        "annuleringen, wijzigingen, retouren, ruilen), betalingen, terugbetalingen en facturen, "
        "of verbind u door met een collega.",
    },
    "cancel_reason": {
        "en": "Why would you like to cancel {order}: is it no longer needed, or was it ordered "
        "by mistake?",
        "es": "¿Por qué desea cancelar {order}: ya no lo necesita o lo pidió por error?",
        "fr": "Pourquoi souhaitez-vous annuler {order} : vous n'en avez plus besoin, ou "
        "l'avez-vous commandé par erreur ?",
        "de": "Warum möchten Sie {order} stornieren: brauchen Sie es nicht mehr, oder wurde es "
        "versehentlich bestellt?",
        "it": "Perché desidera annullare {order}: non le serve più o l'ha ordinato per errore?",
        "pt": "Porque deseja cancelar {order}: já não precisa dele ou encomendou-o por engano?",
        "nl": "Waarom wilt u {order} annuleren: heeft u het niet meer nodig, of is het per "
        "ongeluk besteld?",
    },
    "several_details": {
        "en": "Before I go ahead I need a few details: {details}",
        "es": "Antes de continuar necesito algunos datos: {details}",
        "fr": "Avant de continuer, j'ai besoin de quelques précisions : {details}",
        "de": "Bevor ich weitermache, brauche ich ein paar Angaben: {details}",
        "it": "Prima di procedere mi servono alcuni dettagli: {details}",
        "pt": "Antes de avançar preciso de alguns detalhes: {details}",
        "nl": "Voordat ik verder ga, heb ik een paar gegevens nodig: {details}",
    },
}

PHRASES: Mapping[str, Phrase] = {**REPLY_PHRASES, **PLANNER_PHRASES}
