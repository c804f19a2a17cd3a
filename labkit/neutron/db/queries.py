"""The plugin's SQL, built once: every value a bind parameter.

Real neutron builds its queries through the ORM (neutron/db/_model_query.py,
neutron_lib/db/model_query.py) and oslo.db; nova's hot paths and this module
build SQLAlchemy Core statements once instead, because building a statement
costs several times more than running it.  Statements whose shape depends on a
request (which port filters were given) are built on first use of that shape
and kept.
NOTE(labkit): neutron has no module of prebuilt statements; this one serves
labkit's plugin and has no upstream counterpart to link to.
"""
import sqlalchemy as sa

from labkit.db import Prepared
from labkit.neutron.db import models_v2
from labkit.neutron.db.models import external_net, securitygroup, segment
from labkit.neutron.plugins.ml2 import models as ml2_models

n, e, s = models_v2.networks, external_net.externalnetworks, segment.networksegments
p, b, a = models_v2.ports, ml2_models.ml2_port_bindings, models_v2.ipallocations
sub, pool = models_v2.subnets, models_v2.ipallocationpools
g = securitygroup.securitygroupportbindings


def _bind(name):
    return sa.bindparam(name)


def _networks():
    return (sa.select(n, e.c.network_id.label("external"), s.c.network_type,
                      s.c.physical_network, s.c.segmentation_id)
            .select_from(n.outerjoin(e, e.c.network_id == n.c.id)
                         .outerjoin(s, s.c.network_id == n.c.id))
            .order_by(n.c.name, n.c.id))


NETWORKS = Prepared(_networks())
NETWORK_BY_ID = Prepared(_networks().where(n.c.id == _bind("network_id")))
_SUBNET_IDS = sa.select(sub.c.id, sub.c.network_id).order_by(sub.c.id)
SUBNET_IDS = Prepared(_SUBNET_IDS)
SUBNET_IDS_OF = Prepared(_SUBNET_IDS.where(sub.c.network_id == _bind("network_id")))
SUBNETS_OF = Prepared(sa.select(sub.c.id, sub.c.cidr).where(
    sub.c.network_id == _bind("network_id")).order_by(sub.c.id))
MAC_TAKEN = Prepared(sa.select(p.c.id).where(p.c.network_id == _bind("network_id"),
                                             p.c.mac_address == _bind("mac")))
POOLS_OF = Prepared(sa.select(pool.c.first_ip, pool.c.last_ip).where(
    pool.c.subnet_id == _bind("subnet_id")).order_by(pool.c.first_ip))
USED_IPS = Prepared(sa.select(a.c.ip_address).where(a.c.subnet_id == _bind("subnet_id")))
IP_TAKEN = Prepared(sa.select(a.c.port_id).where(a.c.subnet_id == _bind("subnet_id"),
                                                 a.c.ip_address == _bind("ip")))
IPS_OF_PORTS = (sa.select(a).where(a.c.port_id.in_(sa.bindparam("port_ids", expanding=True)))
                .order_by(a.c.subnet_id))
IPS_OF_PORT = Prepared(sa.select(a).where(a.c.port_id == _bind("port_id")).order_by(a.c.subnet_id))
INSERT_PORT = Prepared(p.insert(), columns=tuple(c.name for c in p.columns))
INSERT_IPS = Prepared(a.insert(), columns=("port_id", "ip_address", "subnet_id", "network_id"))
INSERT_BINDING = Prepared(b.insert(), columns=tuple(c.name for c in b.columns))
SG_IDS_OF_PORTS = (sa.select(g.c.port_id, g.c.security_group_id)
                   .where(g.c.port_id.in_(sa.bindparam("port_ids", expanding=True)))
                   .order_by(g.c.port_id, g.c.security_group_id))
DELETE_PORT = [table.delete().where(table.c.port_id == _bind("port_id")) for table in (a, b, g)] \
    + [p.delete().where(p.c.id == _bind("port_id"))]

_PORTS = {}


def ports(by_id, filter_keys, admin):
    """The port query for one shape: by id or not, which column filters, admin or not.

    A shape without filters (one port by id, every port) is prepared."""
    shape = (by_id, tuple(filter_keys), admin)
    query = _PORTS.get(shape)
    if query is None:
        query = (sa.select(p, b.c.host, b.c.vnic_type, b.c.vif_type,
                           n.c.project_id.label("network_owner"))
                 .select_from(p.outerjoin(b, b.c.port_id == p.c.id)
                              .join(n, n.c.id == p.c.network_id))
                 .order_by(p.c.created_at, p.c.id))
        if by_id:
            query = query.where(p.c.id == _bind("port_id"))
        for key in filter_keys:
            query = query.where(p.c[key].in_(sa.bindparam(f"f_{key}", expanding=True)))
        if not admin:
            query = query.where(sa.or_(p.c.project_id == _bind("project_id"),
                                       n.c.project_id == _bind("project_id")))
        query = _PORTS.setdefault(shape, query if filter_keys else Prepared(query))
    return query

