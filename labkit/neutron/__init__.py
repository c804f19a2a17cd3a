"""neutron: networks, subnets, ports (what nova-compute asks for while ``networking``)
and the security groups ports are in.

Real neutron: neutron/pecan_wsgi/controllers/ (the generic REST controllers),
neutron/db/db_base_plugin_v2.py and neutron/plugins/ml2/plugin.py, on
neutron-lib (labkit/neutron_lib/).
"""
