"""Structured logs: JSON lines with ids; payment details redacted unless asked otherwise."""

from __future__ import annotations

import json
import logging

import pytest

from agents.runtime.log_setup import JsonFormatter, log_ids, redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("my card is 4111 1111 1111 1111 thanks", "4111 1111 1111 1111"),
        ("card 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("pan 5500005555555559.", "5500005555555559"),
        ("the visa ending in 4242 please", "4242"),
        ("use the last four digits 1881", "1881"),
        ("CVV: 123", "123"),
        ("security code 9876", "9876"),
        ("expiry 04/27", "04/27"),
    ],
)
def test_payment_details_are_redacted(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned and "[redacted]" in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "order #W1000001 for item 1008292230",
        "pay with credit_card_4421990 or gift_card_1234567",
        "task 12345678-1234-1234-1234-123456789012",
        "tracking 123456789012",
    ],
)
def test_ids_are_not_mistaken_for_payment_details(text: str) -> None:
    assert redact(text) == text


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, message, args, None)


def test_json_line_carries_ids_and_redacts() -> None:
    formatter = JsonFormatter(agent="billing", instance="i1")
    with log_ids(ticket_id="tk", task_id="ta", context_id="cx"):
        line = formatter.format(_record("customer said %s", "card 4111 1111 1111 1111"))
    entry = json.loads(line)
    assert entry["ticket_id"] == "tk" and entry["task_id"] == "ta" and entry["context_id"] == "cx"
    assert entry["agent"] == "billing" and entry["level"] == "INFO"
    assert "4111" not in line
    outside = json.loads(formatter.format(_record("no ids")))
    assert "ticket_id" not in outside


def test_sensitive_logging_keeps_the_text() -> None:
    formatter = JsonFormatter(agent="billing", instance="i1", sensitive=True)
    entry = json.loads(formatter.format(_record("card 4111 1111 1111 1111")))
    assert entry["msg"] == "card 4111 1111 1111 1111"
