"""The core plugin: networks, subnets and ports in neutron's database.

Real neutron: neutron/db/db_base_plugin_v2.py (NeutronDbPluginV2:
get_networks, create_port, _make_port_dict ...) and
neutron/plugins/ml2/plugin.py (Ml2Plugin: port binding, update_port).
NOTE(labkit): binding a port (setting ``binding:host_id``) makes it ACTIVE at
once; in real neutron the L2 agent on that host reports it up.
"""
import sqlalchemy as sa

from labkit.db import update_row
from labkit.neutron.db import models_v2, queries
from labkit.neutron.db.models import external_net, segment
from labkit.neutron.db.securitygroups_db import SecurityGroupDbMixin
from labkit.neutron.ipam.drivers.neutrondb_ipam import driver as ipam
from labkit.neutron.plugins.ml2 import models
from labkit.neutron_lib.db.standard_attr import standard as _standard
from labkit.neutron_lib.db.standard_attr import utcnow
from labkit.neutron_lib.exceptions import NeutronError, not_found

PORT_COLUMNS = ("id", "name", "network_id", "mac_address", "admin_state_up", "status",
                "device_id", "device_owner", "project_id")
MAC_GENERATION_RETRIES = 16


class Ml2Plugin(SecurityGroupDbMixin):
    def __init__(self, db, ids):
        self.db, self.ids = db, ids

    # -- seeding ------------------------------------------------------------------
    def seed(self, networks, projects):
        owners = {p["name"]: p["id"] for p in projects}
        now = utcnow()
        std = {"description": "", "created_at": now, "updated_at": now, "revision_number": 1}
        with self.db.transaction() as conn:
            for n, net in enumerate(networks, start=1):
                owner = owners.get(net["owner"], net["owner"])
                external = net.get("router:external", False)
                conn.execute(models_v2.networks.insert(), dict(
                    std, id=net["id"], project_id=owner, name=net["name"], status="ACTIVE",
                    admin_state_up=True, mtu=1500 if external else 1450,
                    shared=net.get("shared", False)))
                conn.execute(segment.networksegments.insert(), {
                    "id": self.ids.uuid4(), "network_id": net["id"],
                    "network_type": "flat" if external else "vxlan",
                    "physical_network": "public" if external else None,
                    "segmentation_id": None if external else n})
                if external:
                    conn.execute(external_net.externalnetworks.insert(),
                                 {"network_id": net["id"], "is_default": False})
                sub = net["subnet"]
                conn.execute(models_v2.subnets.insert(), dict(
                    std, id=sub["id"], project_id=owner, name=sub["name"],
                    network_id=net["id"], ip_version=4, cidr=sub["cidr"],
                    gateway_ip=sub.get("gateway_ip"), enable_dhcp=True))
                conn.execute(models_v2.ipallocationpools.insert(), [
                    {"id": self.ids.uuid4(), "subnet_id": sub["id"], "first_ip": pool["start"],
                     "last_ip": pool["end"]} for pool in sub["allocation_pools"]])

    # -- networks -------------------------------------------------------------------
    @staticmethod
    def network_visible(context, net):
        return (context.is_admin or net["shared"] or net["router:external"]
                or net["project_id"] == context.project_id)

    def get_networks(self, context, network_id=None):
        with self.db.transaction() as conn:
            if network_id is None:
                rows = queries.NETWORKS.rows(conn, {})
                subnet_rows = queries.SUBNET_IDS.rows(conn, {})
            else:
                params = {"network_id": network_id}
                rows = queries.NETWORK_BY_ID.rows(conn, params)
                subnet_rows = queries.SUBNET_IDS_OF.rows(conn, params)
            subnets = {}
            for r in subnet_rows:
                subnets.setdefault(r.network_id, []).append(r.id)
        nets = [self._network_dict(r, subnets.get(r.id, [])) for r in rows]
        return [net for net in nets if self.network_visible(context, net)]

    @staticmethod
    def _network_dict(r, subnet_ids):
        net = {"id": r.id, "name": r.name, "tenant_id": r.project_id,
               "project_id": r.project_id, "admin_state_up": r.admin_state_up, "mtu": r.mtu,
               "status": r.status, "subnets": subnet_ids, "shared": r.shared,
               "availability_zone_hints": [], "availability_zones": ["nova"],
               "ipv4_address_scope": None, "ipv6_address_scope": None,
               "router:external": r.external is not None, "port_security_enabled": True,
               "l2_adjacency": True, "provider:network_type": r.network_type,
               "provider:physical_network": r.physical_network,
               "provider:segmentation_id": r.segmentation_id}
        if net["router:external"]:
            net["is_default"] = False
        net.update(_standard(r))
        return net

    def get_network(self, context, network_id):
        found = self.get_networks(context, network_id)
        if not found:
            raise not_found("Network", network_id)
        return found[0]

    # -- subnets -------------------------------------------------------------------------
    def get_subnets(self, context, subnet_id=None):
        visible = {net["id"] for net in self.get_networks(context)}
        s, p = models_v2.subnets, models_v2.ipallocationpools
        query = sa.select(s).order_by(s.c.name, s.c.id)
        if subnet_id is not None:
            query = query.where(s.c.id == subnet_id)
        with self.db.transaction() as conn:
            rows = [r for r in conn.execute(query) if r.network_id in visible]
            pools = {}
            for r in conn.execute(sa.select(p).order_by(p.c.first_ip)):
                pools.setdefault(r.subnet_id, []).append({"start": r.first_ip, "end": r.last_ip})
        return [dict({"id": r.id, "name": r.name, "tenant_id": r.project_id,
                      "project_id": r.project_id, "network_id": r.network_id,
                      "ip_version": r.ip_version, "subnetpool_id": None,
                      "enable_dhcp": r.enable_dhcp, "ipv6_ra_mode": None,
                      "ipv6_address_mode": None, "gateway_ip": r.gateway_ip, "cidr": r.cidr,
                      "allocation_pools": pools.get(r.id, []), "host_routes": [],
                      "dns_nameservers": [], "service_types": []}, **_standard(r))
                for r in rows]

    def get_subnet(self, context, subnet_id):
        found = self.get_subnets(context, subnet_id)
        if not found:
            raise not_found("Subnet", subnet_id)
        return found[0]

    # -- ports -----------------------------------------------------------------------------
    def get_ports(self, context, filters=None, port_id=None):
        """Ports the caller may see: its own, those on its networks, or all for admin."""
        params = {"port_id": port_id, "project_id": context.project_id}
        keys = [key for key in (filters or {}) if key in PORT_COLUMNS]
        params.update((f"f_{key}", list(filters[key])) for key in keys)
        query = queries.ports(port_id is not None, keys, bool(context.is_admin))
        with self.db.transaction() as conn:
            rows = conn.execute(query, params).all() if keys else query.rows(conn, params)
            ips = {}
            for r in self._ips_of(conn, rows, port_id):
                ips.setdefault(r.port_id, []).append(
                    {"subnet_id": r.subnet_id, "ip_address": r.ip_address})
            groups = {}
            if rows:
                for r in conn.execute(queries.SG_IDS_OF_PORTS, {"port_ids": [r.id for r in rows]}):
                    groups.setdefault(r.port_id, []).append(r.security_group_id)
        return [self._port_dict(r, ips.get(r.id, []), groups.get(r.id, [])) for r in rows]

    @staticmethod
    def _ips_of(conn, rows, port_id):
        if not rows:
            return ()
        if port_id is not None:               # one port: the prepared lookup
            return queries.IPS_OF_PORT.rows(conn, {"port_id": port_id})
        return conn.execute(queries.IPS_OF_PORTS, {"port_ids": [r.id for r in rows]})

    @staticmethod
    def _port_dict(r, fixed_ips, security_groups):
        port = {k: getattr(r, k) for k in PORT_COLUMNS}
        port.update({"tenant_id": r.project_id, "fixed_ips": fixed_ips,
                     "allowed_address_pairs": [], "extra_dhcp_opts": [],
                     "security_groups": security_groups, "port_security_enabled": True,
                     "binding:host_id": r.host or "", "binding:vnic_type": r.vnic_type,
                     "binding:profile": {}, "binding:vif_type": r.vif_type,
                     "binding:vif_details": {"port_filter": True} if r.host else {}})
        port.update(_standard(r))
        return port

    def get_port(self, context, port_id):
        found = self.get_ports(context, port_id=port_id)
        if not found:
            raise not_found("Port", port_id)
        return found[0]

    def create_port(self, context, attrs, network=None):
        """db_base_plugin_v2.create_port + ipam: fixed IPs, a MAC, then the binding.

        ``network`` is the port's network when the caller has just read it (the API
        layer checks it first), else it is read here."""
        network = network or self.get_network(context, attrs["network_id"])
        host = attrs.get("binding:host_id") or ""
        now = utcnow()
        port_id = self.ids.uuid4()
        row = {"id": port_id, "project_id": attrs.get("project_id") or context.project_id,
               "name": attrs.get("name", ""), "network_id": network["id"],
               "admin_state_up": attrs.get("admin_state_up", True),
               "status": "ACTIVE" if host else "DOWN",
               "device_id": attrs.get("device_id", ""),
               "device_owner": attrs.get("device_owner", ""),
               "description": attrs.get("description", ""), "created_at": now,
               "updated_at": now, "revision_number": 1}
        groups = self._security_groups_for_port(context, attrs, row["project_id"])
        with self.db.transaction() as conn:
            row["mac_address"] = attrs.get("mac_address") or self._new_mac(conn, network["id"])
            queries.INSERT_PORT.execute(conn, row)
            allocations = self._allocate_ips(conn, network, attrs.get("fixed_ips"))
            queries.INSERT_IPS.executemany(conn, [
                dict(a, port_id=port_id, network_id=network["id"]) for a in allocations])
            queries.INSERT_BINDING.execute(conn, {
                "port_id": port_id, "host": host,
                "vnic_type": attrs.get("binding:vnic_type", "normal"), "profile": "",
                "vif_type": "ovs" if host else "unbound", "vif_details": ""})
            self._bind_security_groups(conn, port_id, groups)
        return self.get_port(context, port_id)

    def _new_mac(self, conn, network_id):
        for _ in range(MAC_GENERATION_RETRIES):
            mac = self.ids.mac()
            if queries.MAC_TAKEN.first(conn, {"network_id": network_id, "mac": mac}) is None:
                return mac
        raise NeutronError(503, "MacAddressGenerationFailure",
                           f"Unable to generate unique mac on network {network_id}.")

    def _allocate_ips(self, conn, network, fixed_ips):
        subnets = {r.id: {"id": r.id, "cidr": r.cidr} for r in queries.SUBNETS_OF.rows(
            conn, {"network_id": network["id"]})}
        out = []
        for request in (fixed_ips if fixed_ips is not None else [{}]):
            subnet_id = request.get("subnet_id") or next(iter(subnets), None)
            if subnet_id not in subnets:
                raise not_found("Subnet", subnet_id)
            if "ip_address" in request:
                ip = ipam.check_specific(conn, subnets[subnet_id], request["ip_address"])
            else:
                ip = ipam.allocate_any(conn, subnets[subnet_id])
            if ip is None:
                raise NeutronError(409, "IpAddressGenerationFailure",
                                   f"No more IP addresses available on network "
                                   f"{network['id']}.")
            out.append({"subnet_id": subnet_id, "ip_address": ip})
        return out

    def update_port(self, context, port_id, attrs):
        """Ml2Plugin.update_port: plain attributes, the security groups, the host binding."""
        port = self.get_port(context, port_id)
        groups = None
        if "security_groups" in attrs:          # None or [] leave the port in no group
            groups = self._security_groups_for_port(
                context, {"security_groups": attrs["security_groups"] or [],
                          "device_owner": port["device_owner"]}, port["project_id"])
        values = {k: attrs[k] for k in ("name", "admin_state_up", "device_id", "device_owner",
                                        "description") if k in attrs}
        binding = {}
        if "binding:host_id" in attrs:
            host = attrs["binding:host_id"] or ""
            binding = {"host": host, "vif_type": "ovs" if host else "unbound"}
            values["status"] = "ACTIVE" if host else "DOWN"
        if "binding:vnic_type" in attrs:
            binding["vnic_type"] = attrs["binding:vnic_type"]
        values["updated_at"] = utcnow()
        with self.db.transaction() as conn:
            update_row(conn, models_v2.ports, values, port_id, bump="revision_number")
            if binding:
                update_row(conn, models.ml2_port_bindings, binding, port_id, "port_id")
            if groups is not None:
                self._bind_security_groups(conn, port_id, groups)
        return self.get_port(context, port["id"])

    def delete_port(self, context, port_id):
        """Delete a port and free its addresses (ipallocations rows)."""
        self.get_port(context, port_id)
        with self.db.transaction() as conn:
            for stmt in queries.DELETE_PORT:
                conn.execute(stmt, {"port_id": port_id})
