"""The customer's own request: the only ticket text a planner may turn into steps.

Text addressed to the system (role headers, "note to the AI", hidden comments, tool names and
tool-call JSON, "ignore previous instructions", forwarded third-party mail…) is removed by the
screener's rules and classifier; what is left is what the customer asks for in their own words.
Clean text comes back unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from agents.triage.screening.screener import Screener


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """The process's screener (its classifier is trained once, at first use)."""
    return Screener()


def customer_request(text: str, customer_id: str | None = None) -> str:
    """``text`` without the spans addressed to the system; ``customer_id`` is the verified
    customer (another customer's id in the text is flagged)."""
    return default_screener().screen(text, customer_id).text
