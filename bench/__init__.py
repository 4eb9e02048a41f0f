"""Benchmarks; each is a script or `python -m bench.<name>`."""

import agents  # noqa: F401 - sets the SDK tracing default before anything imports a2a
