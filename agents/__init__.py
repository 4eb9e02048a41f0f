"""The mesh's agents (triage, billing, orders, escalation) and their shared service runtime."""

import os

# deskmesh traces each A2A request itself (agents/runtime/tracing.py, protocol/telemetry.py); the
# SDK's own INTERNAL spans wrap ~100 method calls per request and cost a tenth of a hop. The SDK
# reads this once, when its modules are imported, hence here. "true" brings them back.
os.environ.setdefault("OTEL_INSTRUMENTATION_A2A_SDK_ENABLED", "false")
