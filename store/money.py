"""Money representation: integer cents in the database, floats rounded to cents in JSON."""

from __future__ import annotations


def to_cents(amount: float | int) -> int:
    """Convert a JSON amount (float or int, in currency units) to integer cents."""
    return int(round(float(amount) * 100))


def from_cents(cents: int) -> float:
    """Convert integer cents back to the float τ-bench uses (the nearest double to x.yz)."""
    return cents / 100


def round_money(amount: float) -> float:
    """Round a float amount to cents, normalising -0.0 to 0.0."""
    return round(amount, 2) + 0.0
