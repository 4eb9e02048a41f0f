"""The root of deskmesh's exceptions: every error class of the project derives from it.

    DeskmeshError
    ├── RegistryError             a skill defined twice, or without a handler (domain)
    ├── ProtocolError, TransportError, CapabilityError      (protocol/)
    ├── StoreError → ActionError → OwnershipError, …         (store/)
    ├── PlanError, DelegationError, TicketCancelled          (router/)
    └── the triage's and the evaluation's own errors

Catch ``DeskmeshError`` to handle anything deskmesh raises on purpose.
"""

from __future__ import annotations


class DeskmeshError(Exception):
    """Root of every deskmesh-specific error."""


class RegistryError(DeskmeshError, LookupError):
    """The skill registry was asked for a skill it does not hold, or given one twice."""
