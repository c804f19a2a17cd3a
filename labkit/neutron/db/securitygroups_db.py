"""Security groups and their rules in neutron's database; the groups a port is in.

Real neutron: neutron/db/securitygroups_db.py:SecurityGroupDbMixin
(create_security_group, _ensure_default_security_group,
_validate_security_group_rule, _check_for_duplicate_rules,
_get_security_groups_on_port ...), which the ml2 plugin inherits.

Every project gets a group named ``default`` the first time it lists groups
or rules, creates a group, or gets a port: it lets the group's members reach
each other (ingress from the group itself) and lets everything out (egress to
anywhere), for IPv4 and IPv6.  A port made without ``security_groups`` joins it.
NOTE(labkit): the default group's ids are derived from its project (uuid5),
not drawn from the lab's seeded stream, so that whether a project has met its
default group yet never shifts the ids of the servers and ports after it.
"""
import ipaddress
import uuid

import sqlalchemy as sa

from labkit.db import update_row
from labkit.neutron.db.models import securitygroup as sg_models
from labkit.neutron.extensions import securitygroup as ext_sg
from labkit.neutron_lib.db.standard_attr import standard, utcnow

DEFAULT_SG_DESCRIPTION = "Default security group"
TRUSTED_OWNER_PREFIXES = ("network:", "neutron:")      # neutron_lib.utils.net.is_port_trusted
_IDS = uuid.UUID("6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
sg, rule, binding = (sg_models.securitygroups, sg_models.securitygrouprules,
                     sg_models.securitygroupportbindings)
default_sg = sg_models.default_security_group


def _proto_number(protocol):
    """_get_ip_proto_number: a protocol name or number as its number (None for any)."""
    if protocol in ext_sg.SG_RULE_PROTO_ANY:
        return None
    return int(ext_sg.IP_PROTOCOL_MAP.get(protocol, protocol))


def _proto_key(protocol, ethertype):
    """_get_ip_proto_name_and_num, for comparing rules: ``tcp`` and ``6`` are one."""
    if protocol is None:
        return "+"
    protocol = str(protocol)
    if ethertype == "IPv6" and protocol in ("icmp", "icmpv6"):
        protocol = "ipv6-icmp"
    elif ethertype == "IPv6" and protocol == "1":
        protocol = "58"
    number = ext_sg.IP_PROTOCOL_MAP.get(protocol)
    return str(number if number is not None else protocol)


class SecurityGroupDbMixin:
    """Needs ``self.db`` and ``self.ids`` (the ml2 plugin's)."""

    # -- groups ------------------------------------------------------------------------
    def _ensure_default_security_group(self, context, project_id):
        """The project's default group id, creating the group on first use.

        A project may not make another's default group (bug 1987410); admin may."""
        if not project_id or (project_id != context.project_id and not context.is_admin):
            return None
        with self.db.transaction() as conn:
            found = conn.execute(sa.select(default_sg.c.security_group_id).where(
                default_sg.c.project_id == project_id)).scalar()
            if found is not None:
                return found
            group_id = str(uuid.uuid5(_IDS, f"default:{project_id}"))
            self._insert_group(conn, group_id, project_id, "default", DEFAULT_SG_DESCRIPTION,
                               True)
            conn.execute(default_sg.insert(), {"project_id": project_id,
                                               "security_group_id": group_id})
            for ethertype in ext_sg.sg_supported_ethertypes:
                for direction, remote in (("ingress", group_id), ("egress", None)):
                    self._insert_rule(conn, {
                        "id": str(uuid.uuid5(_IDS, f"{group_id}:{direction}:{ethertype}")),
                        "project_id": project_id, "security_group_id": group_id,
                        "direction": direction, "ethertype": ethertype,
                        "remote_group_id": remote})
        return group_id

    @staticmethod
    def _insert_group(conn, group_id, project_id, name, description, stateful):
        now = utcnow()
        conn.execute(sg.insert(), {"id": group_id, "project_id": project_id, "name": name,
                                   "stateful": stateful, "description": description,
                                   "created_at": now, "updated_at": now,
                                   "revision_number": 1})

    @staticmethod
    def _insert_rule(conn, values):
        now = utcnow()
        row = {"protocol": None, "port_range_min": None, "port_range_max": None,
               "remote_ip_prefix": None, "remote_group_id": None, "description": "",
               "created_at": now, "updated_at": now, "revision_number": 0}
        row.update(values)
        conn.execute(rule.insert(), row)

    def create_security_group(self, context, group):
        """A new group holds the egress rules (IPv4, IPv6) every non-default group starts with."""
        self._ensure_default_security_group(context, group["project_id"])
        group_id = self.ids.uuid4()
        with self.db.transaction() as conn:
            self._insert_group(conn, group_id, group["project_id"], group["name"],
                               group["description"], group["stateful"])
            for ethertype in ext_sg.sg_supported_ethertypes:
                self._insert_rule(conn, {"id": self.ids.uuid4(),
                                         "project_id": group["project_id"],
                                         "security_group_id": group_id, "direction": "egress",
                                         "ethertype": ethertype})
        return self.get_security_group(context, group_id)

    def get_security_groups(self, context, project_id=None, group_id=None):
        """The groups the caller may see (its project's; every group for admin)."""
        if group_id is None:
            self._ensure_default_security_group(context, project_id or context.project_id)
        query = sa.select(sg).order_by(sg.c.created_at, sg.c.id)
        if group_id is not None:
            query = query.where(sg.c.id == group_id)
        if not context.is_admin:
            query = query.where(sg.c.project_id == context.project_id)
        with self.db.transaction() as conn:
            groups = conn.execute(query).all()
            rules = self._rule_rows(conn, rule.c.security_group_id.in_([g.id for g in groups]))
            defaults = set(conn.execute(sa.select(default_sg.c.security_group_id)).scalars())
        by_group = {}
        for r in rules:
            by_group.setdefault(r.security_group_id, []).append(
                self._make_security_group_rule_dict(r, defaults))
        return [self._make_security_group_dict(g, by_group.get(g.id, [])) for g in groups]

    @staticmethod
    def _make_security_group_dict(row, rules):
        group = {"id": row.id, "name": row.name, "stateful": row.stateful,
                 "tenant_id": row.project_id, "project_id": row.project_id, "shared": False,
                 "security_group_rules": rules}
        group.update(standard(row))
        return group

    def get_security_group(self, context, group_id):
        found = self.get_security_groups(context, group_id=str(group_id))
        if not found:
            raise ext_sg.SecurityGroupNotFound(id=group_id)
        return found[0]

    def update_security_group(self, context, group_id, changes):
        group = self.get_security_group(context, group_id)
        if group["name"] == "default" and "name" in changes:
            raise ext_sg.SecurityGroupCannotUpdateDefault()
        if "stateful" in changes and changes["stateful"] != group["stateful"] \
                and self._ports_using(group_id):
            raise ext_sg.SecurityGroupInUse(id=group_id)
        values = {k: changes[k] for k in ("name", "description", "stateful") if k in changes}
        values["updated_at"] = utcnow()
        with self.db.transaction() as conn:
            update_row(conn, sg, values, group_id, bump="revision_number")
        return self.get_security_group(context, group_id)

    def count_security_resources(self, resource, project_id):
        """How many groups (or rules) the project has: what its quota counts."""
        table = sg if resource == "security_group" else rule
        with self.db.transaction() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.project_id == project_id)).scalar()

    def _ports_using(self, group_id):
        with self.db.transaction() as conn:
            return conn.execute(sa.select(binding.c.port_id).where(
                binding.c.security_group_id == group_id)).first()

    def delete_security_group(self, context, group_id):
        """409 while a port is in the group; only admin may delete a default group."""
        if self._ports_using(group_id):
            raise ext_sg.SecurityGroupInUse(id=group_id)
        group = self.get_security_group(context, group_id)
        if group["name"] == "default" and not context.is_admin:
            raise ext_sg.SecurityGroupCannotRemoveDefault()
        with self.db.transaction() as conn:
            conn.execute(rule.delete().where(sa.or_(rule.c.security_group_id == group_id,
                                                    rule.c.remote_group_id == group_id)))
            conn.execute(default_sg.delete().where(default_sg.c.security_group_id == group_id))
            conn.execute(sg.delete().where(sg.c.id == group_id))

    # -- rules ---------------------------------------------------------------------------
    @staticmethod
    def _rule_rows(conn, where):
        return conn.execute(sa.select(rule).where(where)
                            .order_by(rule.c.created_at, rule.c.id)).all()

    @staticmethod
    def _make_security_group_rule_dict(r, default_groups):
        normalized = (str(ipaddress.ip_network(r.remote_ip_prefix, strict=False))
                      if r.remote_ip_prefix else None)
        out = {"id": r.id, "tenant_id": r.project_id, "project_id": r.project_id,
               "security_group_id": r.security_group_id, "ethertype": r.ethertype,
               "direction": r.direction, "protocol": r.protocol,
               "port_range_min": r.port_range_min, "port_range_max": r.port_range_max,
               "remote_ip_prefix": r.remote_ip_prefix, "remote_address_group_id": None,
               "normalized_cidr": normalized, "remote_group_id": r.remote_group_id,
               "belongs_to_default_sg": r.security_group_id in default_groups}
        out.update(standard(r))
        del out["tags"]
        return out

    def get_security_group_rules(self, context, rule_id=None):
        """The rules of the caller's groups (every rule for admin)."""
        if rule_id is None:
            self._ensure_default_security_group(context, context.project_id)
        where = sa.true() if rule_id is None else rule.c.id == str(rule_id)
        if not context.is_admin:
            where = sa.and_(where, rule.c.security_group_id.in_(
                sa.select(sg.c.id).where(sg.c.project_id == context.project_id)))
        with self.db.transaction() as conn:
            rows = self._rule_rows(conn, where)
            defaults = set(conn.execute(sa.select(default_sg.c.security_group_id)).scalars())
        return [self._make_security_group_rule_dict(r, defaults) for r in rows]

    def get_security_group_rule(self, context, rule_id):
        found = self.get_security_group_rules(context, rule_id)
        if not found:
            raise ext_sg.SecurityGroupRuleNotFound(id=rule_id)
        return found[0]

    def create_security_group_rule(self, context, new):
        """_validate_security_group_rule, then the duplicate check, then the row."""
        self._validate_base_security_group_rule_attributes(new)
        if new["remote_group_id"]:
            self.get_security_group(context, new["remote_group_id"])
        group = self.get_security_group(context, new["security_group_id"])
        key = self._rule_to_key(new)
        for existing in group["security_group_rules"]:
            if self._rule_to_key(existing) == key:
                raise ext_sg.SecurityGroupRuleExists(rule_id=existing["id"])
        rule_id = self.ids.uuid4()
        with self.db.transaction() as conn:
            self._insert_rule(conn, {k: new[k] for k in (
                "project_id", "security_group_id", "direction", "ethertype", "protocol",
                "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id",
                "description")} | {"id": rule_id})
        return self.get_security_group_rule(context, rule_id)

    def delete_security_group_rule(self, context, rule_id):
        self.get_security_group_rule(context, rule_id)
        with self.db.transaction() as conn:
            conn.execute(rule.delete().where(rule.c.id == rule_id))

    @staticmethod
    def _validate_base_security_group_rule_attributes(r):
        """Canonical forms first (IPv6 ICMP, the whole port range), then each check."""
        if r["ethertype"] == "IPv6" and r["protocol"] in ("icmp", "icmpv6"):
            r["protocol"] = "ipv6-icmp"
        elif r["ethertype"] == "IPv6" and r["protocol"] == "1":
            r["protocol"] = "58"
        if r["port_range_min"] == 1 and r["port_range_max"] == 65535:
            r["port_range_min"] = r["port_range_max"] = None
        SecurityGroupDbMixin._validate_port_range(r)
        if r["remote_ip_prefix"]:
            version = ipaddress.ip_interface(r["remote_ip_prefix"]).version
            if r["ethertype"] != f"IPv{version}":
                raise ext_sg.SecurityGroupRuleParameterConflict(
                    ethertype=r["ethertype"], cidr=r["remote_ip_prefix"])
        if r["protocol"] in ext_sg.IPV6_ONLY_PROTOCOLS and r["ethertype"] == "IPv4":
            raise ext_sg.SecurityGroupEthertypeConflictWithProtocol(
                ethertype=r["ethertype"], protocol=r["protocol"])
        if r["remote_ip_prefix"] and r["remote_group_id"]:
            raise ext_sg.SecurityGroupMultipleRemoteEntites()

    @staticmethod
    def _validate_port_range(r):
        low, high = r["port_range_min"], r["port_range_max"]
        if low is None and high is None:
            return
        if not r["protocol"]:
            raise ext_sg.SecurityGroupProtocolRequiredWithPorts()
        number = _proto_number(r["protocol"])
        if number in ext_sg.SG_PORT_PROTO_NUMS:
            if low == 0 or high == 0:
                raise ext_sg.SecurityGroupInvalidPortValue(port=0)
            if low is None or high is None or low > high:
                raise ext_sg.SecurityGroupInvalidPortRange()
        elif number in (1, 58):
            for attr, field in (("port_range_min", "type"), ("port_range_max", "code")):
                if r[attr] is not None and not 0 <= r[attr] <= 255:
                    raise ext_sg.SecurityGroupInvalidIcmpValue(field=field, attr=attr,
                                                               value=r[attr])
            if low is None and high is not None:
                raise ext_sg.SecurityGroupMissingIcmpType(value=high)
        else:
            raise ext_sg.SecurityGroupInvalidProtocolForPort(
                protocol=number,
                valid_port_protocols=", ".join(p.upper() for p in ext_sg.SG_PORT_PROTO_NAMES))

    @staticmethod
    def _rule_to_key(r):
        prefix = r.get("remote_ip_prefix")
        return (r["direction"], r["ethertype"], r.get("port_range_max"),
                r.get("port_range_min"), _proto_key(r.get("protocol"), r["ethertype"]),
                r.get("remote_group_id"),
                None if prefix in ("0.0.0.0/0", "::/0") else prefix, r["security_group_id"])

    # -- ports ------------------------------------------------------------------------------
    def _security_groups_for_port(self, context, port, project_id):
        """The group ids a new or changed port is in: the ones asked for (each must be the
        port project's, unless admin asks), else the project's default group; none for a
        network:* or neutron:* port."""
        if port.get("device_owner", "").startswith(TRUSTED_OWNER_PREFIXES):
            return []
        wanted = port.get("security_groups")
        if wanted is None:
            default = self._ensure_default_security_group(context, project_id)
            return [default] if default else []
        with self.db.transaction() as conn:
            found = {r.id: r.project_id for r in conn.execute(
                sa.select(sg.c.id, sg.c.project_id).where(sg.c.id.in_(wanted)))}
        missing = [g for g in wanted if g not in found
                   or not (context.is_admin or found[g] == project_id)]
        if missing:
            raise ext_sg.SecurityGroupNotFound(id=", ".join(missing))
        return list(wanted)

    @staticmethod
    def _bind_security_groups(conn, port_id, group_ids):
        conn.execute(binding.delete().where(binding.c.port_id == port_id))
        if group_ids:
            conn.execute(binding.insert(), [{"port_id": port_id, "security_group_id": g}
                                            for g in group_ids])
