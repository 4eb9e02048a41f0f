"""deskmesh: an A2A delegation mesh for customer-service tickets."""

__version__ = "0.1.0"
