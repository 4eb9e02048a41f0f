"""The orders agent."""
