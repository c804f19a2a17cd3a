"""The servicegroup API: is a service up? (nova/servicegroup/__init__.py)."""
from labkit.nova.servicegroup.api import API

__all__ = ["API"]
