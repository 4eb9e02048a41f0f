"""The billing agent."""
