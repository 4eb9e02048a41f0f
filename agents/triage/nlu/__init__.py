"""Offline ticket understanding: text features, language, tone, segments, intents, entities."""
