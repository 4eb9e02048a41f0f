"""deskmesh: an A2A delegation mesh for customer-service tickets."""

import agents  # noqa: F401 - sets the SDK tracing default before anything imports a2a

__version__ = "0.1.0"
