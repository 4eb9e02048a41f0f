"""Customer-facing wording of the triage's replies, per language (docs/triage.md, "Replies")."""
