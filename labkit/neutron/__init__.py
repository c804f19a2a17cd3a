"""neutron: networks, subnets, ports (what nova-compute asks for while ``networking``)
and the security groups ports are in.

Real neutron: neutron/api/v2/ (the generic REST controller),
neutron/db/db_base_plugin_v2.py and neutron/plugins/ml2/plugin.py.
"""
