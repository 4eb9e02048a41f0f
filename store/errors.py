"""Exception tree of the store: StoreError → ActionError → (OwnershipError, MoneyLimitExceeded,
NotFound)."""

from __future__ import annotations

from domain.errors import DeskmeshError


class StoreError(DeskmeshError):
    """Root of every error raised by the store."""


class ActionError(StoreError):
    """A write action's precondition failed; the data is unchanged.

    ``code`` is stable and machine readable (for example ``order_not_pending``).
    """

    outcome = "error"

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message or code.replace("_", " ")
        super().__init__(f"{self.code}: {self.message}")


class OwnershipError(ActionError):
    """The order, payment method or user belongs to another customer (refused)."""

    outcome = "refused"


class MoneyLimitExceeded(ActionError):
    """The write would refund or charge more than the ticket's capability allows (refused)."""

    outcome = "refused"

    def __init__(self, message: str) -> None:
        super().__init__("capability_denied", message)


class NotFound(ActionError):
    """The order or user the action is about does not exist."""


def error_from_record(outcome: str, code: str | None, message: str | None) -> ActionError:
    """Rebuild the error stored in an action_log row (used when replaying an idempotency key)."""
    code = code or "error"
    if outcome == "refused":
        if code == "capability_denied":
            return MoneyLimitExceeded(message or code)
        return OwnershipError(code, message)
    if code.endswith("_not_found") and code in NOT_FOUND_CODES:
        return NotFound(code, message)
    return ActionError(code, message)


NOT_FOUND_CODES = frozenset({"order_not_found", "user_not_found", "handoff_not_found"})
