"""Injection rules: phrasing a customer-service ticket has no reason to contain.

Each rule names a reason code (safe to log and to put in the reply data: never customer text)
and a pattern that marks the span it covers. A rule fires on one sentence (or on a hidden block
such as an HTML comment, which is screened as a whole before sentences are split).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.triage.screening.prefilter import leading_literals, may_match, prefix_pattern

IGNORE_CASE = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Rule:
    reason: str
    pattern: re.Pattern[str]
    prefixes: frozenset[str] | None = None
    """Literal text one of which starts every match (``prefilter``); None: always run."""
    prefix: re.Pattern[str] | None = None
    """A search for any of ``prefixes``."""


def _r(reason: str, pattern: str, flags: int = IGNORE_CASE) -> Rule:
    compiled = re.compile(pattern, flags)
    prefixes = leading_literals(compiled)
    return Rule(reason, compiled, prefixes, prefix_pattern(prefixes))


_TARGETS = (
    r"(instructions?|rules?|polic(?:y|ies)|guidelines?|prompts?|directives?|restrictions?|"
    r"checks?|safeguards?|filters?|programming|guardrails?|limitations?|constraints?)"
)

HIDDEN_COMMENT = r"<!--[\s\S]*?(?:-->|$)"
HIDDEN_BRACKET = (
    r"\[\s*(?:instruction|system|admin|assistant|note to|note (?:pour|[aà])|nota para|"
    r"hinweis (?:an|f[uü]r)|anweisung|instrucci[oó]n|consigne|syst[eè]me|sistema)\b[^\]]*\]"
)
"""Blocks a reader does not see (an HTML comment, an ``[instruction: …]``): the screener removes
them whole before it splits sentences."""

SKILL_VERBS = (
    "get|list|find|cancel|modify|return|exchange|transfer|update|delete|create|refund|issue|set|"
    "call|run|send|change|escalate"
)
"""Verbs a skill id (``cancel_pending_order``, ``find_item``) starts with."""

RULES: tuple[Rule, ...] = (
    # -- instruction override ----------------------------------------------------------------
    _r(
        "instruction_override",
        r"\b(ignore|disregard|forget|override|bypass|skip|circumvent|abandon|drop)\b[\w\s',-]{0,40}?"
        r"\b(previous|prior|above|earlier|all|your|the|any|these|those|its|my|original|existing)\b"
        r"[\w\s',-]{0,30}?\b" + _TARGETS,
    ),
    _r("instruction_override", r"\b(override|bypass)\s+(the\s+)?(policy|policies|rules?|checks?)"),
    _r("instruction_override", r"\bnew (set of )?(instructions?|rules?|directives?)\b"),
    _r("instruction_override", r"\b(the )?(policy|policies|rules?) (has |have )?(just )?changed\b"),
    _r(
        "instruction_override",
        r"\bwithout (any |the )?(checks?|verification|verifying|validation|confirmation|"
        r"restrictions?|limits?)\b",
    ),
    # "from now on you …" is addressed to the system; "pay with the gift card from now on" is not
    _r(
        "instruction_override",
        r"\b(from now on|for the rest of (this|the) conversation),?\s+(you|your|act|behave|"
        r"respond|answer|reply|pretend|ignore|always|never|only|obey|forget)\b",
    ),
    _r(
        "instruction_override",
        r"\byou (will|must|shall|are to|should|need to)\b[^.!?]{0,60}\b(from now on|for the "
        r"rest of (this|the) conversation)\b",
    ),
    _r(
        "instruction_override",
        r"\b(you (must|will|shall) (now )?(obey|comply|follow)|(obey|comply with) (me|my "
        r"commands?|the following)|do as i say)\b",
    ),
    _r("instruction_override", r"\b(no|without) (ethical |moral )?(rules|restrictions|limits)\b"),
    # -- role play / jailbreak personas -----------------------------------------------------
    _r("role_play", r"\b(DAN|STAN|DUDE|AIM|ANTI-?DAN|BetterDAN|BasedGPT)\b", 0),
    _r("role_play", r"\bdo anything now\b"),
    _r("role_play", r"\b(developer|god|jailbreak|unrestricted|unfiltered|evil|dev) mode\b"),
    _r("role_play", r"\bjail\s?br(eak|oken|eaking)\b"),
    _r(
        "role_play",
        r"\b(pretend|imagine|act|behave|role-?play|simulate)\b[\w\s',]{0,25}?"
        r"\b(you are|you're|to be|as (an?|the|my)|that you)\b",
    ),
    _r(
        "role_play",
        r"\byou are (now |going to be |about to )?(an? |my )?(unfiltered|unrestricted|uncensored|"
        r"free|evil|different|new|no longer|immerse)",
    ),
    _r("role_play", r"\byou('re| are) no longer\b"),
    _r("role_play", r"\b(stay|break|breaking) (in |out of )?character\b"),
    _r("role_play", r"\bin character\b"),
    _r(
        "role_play",
        r"\b(i am|i'm|this is) (the|an?|your) (store |system |shop |site |it )?(manager|"
        r"admin(istrator)?|developer|owner|supervisor|ceo|employee|operator|engineer)\b",
    ),
    _r(
        "role_play",
        r"\b(the |this )?(user|customer|caller) (is|has) (an? )?(admin(istrator)?|superuser|root|"
        r"employee|staff|elevated|full access|privileges)\b",
    ),
    _r("role_play", r"\b(opposite|alter ego|persona|character) (of|named|called)\b"),
    # -- system-prompt extraction -------------------------------------------------------------
    _r(
        "prompt_extraction",
        r"\b(system|initial|original|hidden|secret|starting|internal|pre-?prompt|base)[\s-]+"
        r"(prompt|instructions?|message|configuration|directives?)\b",
    ),
    _r(
        "prompt_extraction",
        r"\b(repeat|print|show|reveal|output|display|dump|leak|recite|spell out|tell me)\b"
        r"[\w\s',]{0,40}?\b(your|the|all) (instructions|prompt|rules you|guidelines)\b",
    ),
    _r("prompt_extraction", r"\b(text|everything|words|content) (above|before this)\b"),
    _r(
        "prompt_extraction",
        r"\b(list of (tools|functions)|(tools|functions) you (can )?(call|use))",
    ),
    _r(
        "prompt_extraction",
        r"\bwhat (were|are) you told\b|\bwhat are your (initial )?instructions\b",
    ),
    # -- addressed to the model, hidden instructions ----------------------------------------
    _r(
        "hidden_instruction",
        r"(^|\n|[.!?]\s+|\(|\[)\s*(system|assistant|developer|admin|ai|chatbot|bot)\s*:",
    ),
    _r(
        "hidden_instruction",
        r"\b(note|message|instructions?|reminder|command) (to|for) (the )?(ai|assistant|model|bot|"
        r"agent|llm|chatbot|system|language model)\b",
    ),
    _r("hidden_instruction", r"\b(dear|hey|attention) (ai|assistant|chatbot|bot|model|llm)\b"),
    _r(
        "hidden_instruction",
        r"\b(for|to) (the |this |any |all |our )?(automated |virtual |support |ai |helpdesk |"
        r"customer[- ]service )?(agents?|assistants?|bots?|chatbots?|models?|llms?|systems?|ai)"
        r"\s*:",
    ),
    _r(
        "hidden_instruction",
        r"\b(ai|assistants?|bots?|chatbots?|models?|llms?|agents?|systems?) (reading|seeing|"
        r"processing|parsing|that (read|see|process)s?|who (read|see)s?) (this|these)\b",
    ),
    _r(
        "hidden_instruction",
        r"\b(any|all|every|each) (ai|assistants?|bots?|chatbots?|models?|llms?)\b[^.!?]{0,40}\b"
        r"(must|shall|are (required|instructed|told) to|is (required|instructed|told) to)\b",
    ),
    _r(
        "hidden_instruction",
        r"\b(before|after|instead of|prior to) (answering|replying|responding|you (answer|reply|"
        r"respond))\b",
    ),
    _r("hidden_instruction", HIDDEN_COMMENT),
    _r("hidden_instruction", HIDDEN_BRACKET),
    _r(
        "hidden_instruction",
        r"\b(silently|secretly|quietly|covertly|without (telling|notifying|informing|letting|"
        r"alerting))\b",
    ),
    _r("hidden_instruction", r"[\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e]"),
    _r(
        "hidden_instruction",
        r"\b(in|to|into|with) your (response|answer|reply|output|message|responses|replies)\b",
    ),
    _r(
        "hidden_instruction", r"\b(respond|reply|answer) (only )?(with|in|using) (the )?(word|json)"
    ),
    _r(
        "hidden_instruction",
        r"\b(modify|change|alter|edit|enhance|augment|format|rewrite|end|begin|start|structure|"
        r"adjust|tailor|conclude|finish)\s+(your|the|each|every)\s+(answer|response|reply|output|"
        r"message)s?\b",
    ),
    # -- tool and argument payloads ------------------------------------------------------------
    _r("tool_payload", r"\$\([^)]*\)|`[^`]*\b(ls|rm|cat|curl|wget|touch|echo|sh|bash)\b[^`]*`"),
    _r("tool_payload", r"\b(rm -rf|/bin/(ba)?sh|/etc/passwd|/tmp/|chmod \d|wget |curl |nc -e)"),
    _r(
        "tool_payload",
        r"\b(system|exec|eval|popen|subprocess\.\w+|__import__|Kernel\.exec|compile|"
        r"os\.\w+|shell_exec|passthru)\s*\(",
    ),
    _r("tool_payload", r"\bimport (os|subprocess|requests|socket|sys)\b|@\{\[|\bputs\b"),
    _r(
        "tool_payload",
        r"\b(drop|truncate|alter)\s+(table|database)\b|\bunion\s+(all\s+)?select\b|"
        r"\binsert\s+into\b|\bdelete\s+from\b|\bselect\s+[\w*@,\s]+\s+from\b|@@version|"
        r"\b(sleep|benchmark|waitfor delay)\s*\(|\bexec\s*\(|;\s*--|'\s*or\s+'?\d'?\s*=\s*'?\d",
    ),
    _r(
        "tool_payload",
        r"<\s*/?\s*(script|img|iframe|svg|object|embed|body|style|link|meta|a\s+href)\b|"
        r"javascript\s*:|\bon(error|load|click|mouseover|focus)\s*=|data:text/html|"
        r"document\.(cookie|location)|\balert\s*\(|\bexpression\s*\(",
    ),
    _r(
        "tool_payload",
        r"\{[^{}]*[\"'](skill|tool|tools|function|arguments|tool_calls?|function_call|action)"
        r"[\"']\s*:",
    ),
    _r("tool_payload", r"\b[A-Za-z0-9+/]{48,}={0,2}"),
    _r("tool_payload", r"\b(base64|rot13|hex)[- ]?(encode|decode|encoded)\b"),
    # -- the mesh's own tool names: a customer has no reason to write them -----------------
    _r("tool_name", r"\b(?:" + SKILL_VERBS + r")_[a-z]+(?:_[a-z]+)*\b"),
    _r("tool_name", r"\b[a-z]+_[a-z]+_[a-z]+(?:_[a-z]+)*\b"),
    # -- acting for another account or in bulk -------------------------------------------------
    _r(
        "other_account",
        r"\b(as|for|on behalf of|impersonat\w*|log(ged)? in as|switch to)\s+(the\s+)?"
        r"(customer|user|account|client)\s+[\w.@-]*[_@\d][\w.@-]*",
    ),
    _r(
        "other_account",
        r"\b(another|a different|other|someone else'?s?) (customer|user|person|client)'s\b|"
        r"\bsomeone else'?s (orders?|account|cards?|payments?)\b|\b(orders?|account|cards?) "
        r"(of|belonging to|owned by) (another|a different|other|someone)\b",
    ),
    _r("other_account", r"\b(every|each|all) (customers?|users?|accounts?|clients?)\b"),
    _r(
        "bulk_action",
        r"\b(all|every|each|any) (the )?(orders?|payments?|refunds?|gift ?cards?|transactions?) "
        r"(in|on|of|from|across) (the )?(system|database|store|platform|everyone|every)",
    ),
    _r(
        "bulk_action",
        r"\b(cancel|refund|return|delete|wipe|modify|exchange|transfer)\w*\s+(all|every|each)\s+"
        r"(the\s+)?(orders?|payments?|accounts?|transactions?)\b",
    ),
    _r("bulk_action", r"\btransfer \$?\d[\d,.]*\s*(dollars|usd)?\s+to\b"),
    # -- the same in Spanish, German and French (screening reads the ticket as written) ------
    _r(
        "instruction_override",
        r"\b(ignor(ez|er|e|a|ad|en|ar|iere|ieren|iert)|oubli(ez|e)|olvid(a|e|ad|en)|vergiss|"
        r"vergessen sie)\b[\w\s'’,-]{0,30}?\b(vos|tes|les|toutes les|tus|sus|las|todas las|"
        r"deine|ihre|alle|die)\b[\w\s'’,-]{0,20}?\b(consignes|instructions|r[eè]gles|directives|"
        r"instrucciones|reglas|normas|anweisungen|regeln|vorgaben|richtlinien)\b",
    ),
    _r(
        "hidden_instruction",
        r"\b(note|remarque|message) (pour|[aà]) (l'|l’)?(assistant|ia|agent|syst[eè]me|robot)\b|"
        r"\b(nota|mensaje) para (el )?(asistente|agente|sistema|bot)\b|"
        r"\b(hinweis|nachricht|notiz) (an|f[uü]r) (den |das )?"
        r"(assistenten|agenten|system|bot|ki)\b",
    ),
    _r(
        "bulk_action",
        r"\b(annul|rembours|cancel|reembols|storn|erstatt)\w*\s+(toutes les|tous les|todos los|"
        r"todas las|alle)\s+(commandes|pedidos|[oó]rdenes|bestellungen|auftr[aä]ge|zahlungen)\b",
    ),
)

USER_ID = re.compile(r"\b(?!(?:credit_card|gift_card|paypal)_)[a-z]+_[a-z]+_\d{3,}\b")
"""A user-id-shaped token (τ-bench style); payment method ids look alike and are excluded."""

WRITE_VERB = re.compile(
    r"\b(cancel|return|refund|exchange|modify|change|update|transfer|send|pay|charge|ship|"
    r"replace|swap|delete|set|wire|click|open|issue|credit|approve|escalate|execute|invoke|"
    r"trigger|call|run)\b",
    IGNORE_CASE,
)
"""A request for an action: what a span continuing an injection must not smuggle through."""

OWN_VOICE = re.compile(r"\b(i|i'm|i'd|i've|i'll)\b", IGNORE_CASE)
"""The customer speaking for themselves: a sentence in their own voice after a flagged one is
their request again ("Anyway, please cancel #W… because I no longer need it"), not payload."""


def match(text: str, customer_id: str | None = None) -> list[str]:
    """Reason codes of the rules that fire on ``text`` (deduplicated, in rule order)."""
    folded = text.lower()
    reasons = [r.reason for r in RULES if may_match(r.prefix, folded) and r.pattern.search(text)]
    for m in USER_ID.finditer(text):
        if m.group(0) != customer_id:
            reasons.append("other_account")
            break
    return list(dict.fromkeys(reasons))
