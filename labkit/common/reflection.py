"""The dotted name of a function or class: how the trace and the views name a handler.

Real OpenStack: oslo_utils/reflection.py:get_callable_name, which nova and
oslo.messaging use to name callables in logs.
"""


def get_callable_name(obj):
    """``module.Class.method`` of a function, bound method or class."""
    obj = getattr(obj, "__func__", obj)          # a bound method names its function
    return f"{obj.__module__}.{obj.__qualname__}"
