"""The mesh's agents (triage, billing, orders, escalation) and their shared service runtime."""
