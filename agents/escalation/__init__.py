"""The escalation agent."""
