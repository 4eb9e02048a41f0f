"""Instructions hidden in ticket text are not the customer's requests.

Removed before understanding: HTML comments, ``[instruction: …]``-style brackets, JSON objects
that look like tool calls, and everything from a line or sentence addressed to the assistant
("Note to the AI: …", "Assistant: …", "SYSTEM: …", "IGNORE ALL PREVIOUS INSTRUCTIONS …") to the
end of that sentence. What the customer asks for in their own words stays.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_BRACKETED = re.compile(
    r"\[\s*(?:instruction|system|assistant|admin|prompt|ai|note to)[^\]]*\]", re.IGNORECASE
)
_TOOL_JSON = re.compile(
    r"\{[^{}]*[\"'](?:skill|arguments|tool|function|action|name)[\"']\s*:"
    r"[^{}]*(?:\{[^{}]*\}[^{}]*)*\}",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"(?:^|(?<=[\s.!?]))(?:p\.?\s?s\.?\s*)?(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?"
    r"(?:ai|assistant|bot|model|llm|agent|system)\b[^\n]*|"
    r"(?:^|(?<=[\s.!?]))(?:p\.?\s?s\.?\s*)?(?:assistant|system|ai|bot|developer)\s*:[^\n]*|"
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|"
    r"your)\s+(?:instructions|rules|prompts?)\b[^.!?\n]*[.!?]?",
    re.IGNORECASE,
)


def strip_injections(text: str) -> str:
    cleaned = _COMMENT.sub(" ", text)
    cleaned = _BRACKETED.sub(" ", cleaned)
    cleaned = _TOOL_JSON.sub(" ", cleaned)
    cleaned = _ADDRESSED.sub(" ", cleaned)
    return cleaned if cleaned.strip() else text
