"""placement: resource providers, their inventories and traits, and the allocations against them.

Real placement: placement/handlers/*.py (the HTTP side) and
placement/objects/*.py (the SQL side).
"""
