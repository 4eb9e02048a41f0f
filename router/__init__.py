"""Delegation: calling specialists' skills over A2A on behalf of a ticket."""

from router.delegate import A2ADelegate, Delegation, DelegationError

__all__ = ["A2ADelegate", "Delegation", "DelegationError"]
