"""The service catalog: which URL each service answers on, per interface and region.

Real keystone: keystone/catalog/backends/sql.py (Catalog.get_v3_catalog and,
in Juno, get_catalog for v2.0); devstack registers the endpoints.  The lookup
helper stands in for keystoneauth1/access/service_catalog.py:url_for.
"""
import sqlalchemy as sa

from labkit.keystone import models

# (type, name, node, path) — devstack's registrations, one port per service.
SERVICES = (
    ("identity", "keystone", "keystone", "/v3"),
    ("compute", "nova", "nova-api", "/v2.1"),
    ("image", "glance", "glance", ""),
    ("network", "neutron", "neutron", ""),
    ("placement", "placement", "placement", ""),
)
INTERFACES = ("public", "internal", "admin")


def seed(conn, endpoints, region, ids):
    """Register every service with a public, internal and admin endpoint in ``region``."""
    conn.execute(models.region.insert(), {"id": region, "description": ""})
    for service_type, name, node, path in SERVICES:
        if node not in endpoints:
            continue
        service_id = ids.hex()
        conn.execute(models.service.insert(), {"id": service_id, "type": service_type,
                                               "name": name, "enabled": True})
        conn.execute(models.endpoint.insert(), [
            {"id": ids.hex(), "interface": interface, "service_id": service_id,
             "url": endpoints[node] + path, "region_id": region, "enabled": True}
            for interface in INTERFACES])


class CatalogAPI:
    def __init__(self, db):
        self.db = db
        self._v3 = None

    def get_v3_catalog(self):
        """``[{type, name, id, endpoints: [{id, interface, region, region_id, url}]}]``."""
        if self._v3 is None:      # NOTE(labkit): endpoints never change after start
            s, e = models.service, models.endpoint
            query = (sa.select(s.c.id.label("service_id"), s.c.type, s.c.name, e.c.id,
                               e.c.interface, e.c.region_id, e.c.url)
                     .select_from(s.join(e, e.c.service_id == s.c.id))
                     .where(s.c.enabled.is_(True), e.c.enabled.is_(True)))
            services = {}
            with self.db.transaction() as conn:
                for row in conn.execute(query):
                    entry = services.setdefault(row.service_id, {
                        "endpoints": [], "id": row.service_id, "type": row.type,
                        "name": row.name})
                    entry["endpoints"].append({
                        "id": row.id, "interface": row.interface, "region": row.region_id,
                        "region_id": row.region_id, "url": row.url})
            self._v3 = list(services.values())
        return [dict(s, endpoints=[dict(e) for e in s["endpoints"]]) for s in self._v3]

    def get_v2_catalog(self, tenant_id):
        """The v2.0 ``serviceCatalog``: one endpoint dict per region with three URLs.

        NOTE(labkit): Juno registered compute as ``:8774/v2/$(tenant_id)s``
        and keystone substituted the tenant; labkit derives that legacy URL
        from the v2.1 one, as the walkthrough's curl lines show it.
        """
        out = []
        for service in self.get_v3_catalog():
            regions = {}
            for ep in service["endpoints"]:
                url = ep["url"]
                if service["type"] == "compute":
                    url = url.rsplit("/v2.1", 1)[0] + f"/v2/{tenant_id}"
                elif service["type"] == "identity":
                    url = url.rsplit("/v3", 1)[0] + "/v2.0"
                region = regions.setdefault(ep["region"], {"region": ep["region"]})
                region[ep["interface"] + "URL"] = url
                if ep["interface"] == "public":
                    region["id"] = ep["id"]
            out.append({"type": service["type"], "name": service["name"],
                        "endpoints": list(regions.values()), "endpoints_links": []})
        return out


def url_for(catalog, service_type, interface="public", region_name=None):
    """The URL of ``service_type`` in a v3 or v2-style catalog, or None.

    Real keystoneauth1: access/service_catalog.py:ServiceCatalog.url_for.
    Nova finds glance, neutron and placement this way.
    """
    for service in catalog or ():
        if service.get("type") != service_type:
            continue
        for ep in service.get("endpoints", ()):
            if region_name and ep.get("region") != region_name:
                continue
            if "interface" in ep:
                if ep["interface"] == interface:
                    return ep["url"]
            elif interface + "URL" in ep:
                return ep[interface + "URL"]
    return None
