"""The triage agent: takes a ticket, plans delegations, asks when it must, replies."""
