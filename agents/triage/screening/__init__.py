"""Injection screening of customer text: rules plus a small classifier (docs/guardrails.md)."""

from __future__ import annotations

from agents.triage.screening.request import customer_request, default_screener
from agents.triage.screening.screener import Screener, Screening

__all__ = ["Screener", "Screening", "customer_request", "default_screener"]
