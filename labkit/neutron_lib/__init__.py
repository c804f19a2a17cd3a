"""neutron-lib: what neutron shares with its plugins (validators, converters, exceptions,
standard attributes).

Real neutron-lib: neutron_lib/ (the library neutron imports as ``neutron_lib``).
"""
