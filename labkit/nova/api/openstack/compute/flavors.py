"""The flavors resource (nova/api/openstack/compute/flavors.py and views/flavors.py).

Clients look a flavor up by name by asking for ``/flavors/m1.nano`` first:
that must be a 404, after which they list and match the name.
"""
from labkit.nova import exception, objects
from labkit.nova.api.openstack import wsgi
from labkit.wsgi.app import HTTPError


class FlavorsController:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def _links(self, flavorid):
        return [{"rel": "self", "href": f"{self.base_url}/v2.1/flavors/{flavorid}"},
                {"rel": "bookmark", "href": f"{self.base_url}/flavors/{flavorid}"}]

    def _basic(self, req, row):
        """views/flavors.py:ViewBuilder.basic: id, name, links; 2.55 adds the description."""
        body = {"id": row["flavorid"], "name": row["name"], "links": self._links(row["flavorid"])}
        if req.api_version_request.matches("2.55"):
            body["description"] = row["description"]
        return body

    def _detail(self, req, row):
        v = req.api_version_request
        body = dict(self._basic(req, row), ram=row["memory_mb"], disk=row["root_gb"],
                    vcpus=row["vcpus"], swap=row["swap"] if v.matches("2.75") else
                    (row["swap"] or ""), rxtx_factor=row["rxtx_factor"])
        body["OS-FLV-EXT-DATA:ephemeral"] = row["ephemeral_gb"]
        body["OS-FLV-DISABLED:disabled"] = bool(row["disabled"])
        body["os-flavor-access:is_public"] = bool(row["is_public"])
        if v.matches("2.61"):
            body["extra_specs"] = row["extra_specs"] or {}
        return body

    def _rows(self, req):
        rows = objects.FlavorList.get_all(req.environ["nova.context"])
        params = req.GET
        if params.get("minRam", "").isdigit():
            rows = [r for r in rows if r["memory_mb"] >= int(params["minRam"])]
        if params.get("minDisk", "").isdigit():
            rows = [r for r in rows if r["root_gb"] >= int(params["minDisk"])]
        return rows

    def index(self, req):
        return wsgi.response(200, {"flavors": [self._basic(req, r) for r in self._rows(req)]})

    def detail(self, req):
        return wsgi.response(200, {"flavors": [self._detail(req, r) for r in self._rows(req)]})

    def show(self, req, flavor_id):
        try:
            row = objects.Flavor.get_by_flavor_id(req.environ["nova.context"], flavor_id)
        except exception.FlavorNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(200, {"flavor": self._detail(req, row)})
