"""neutron API extensions (neutron/extensions/)."""
