"""A flavor's extra specs, read: ``GET /flavors/{id}/os-extra_specs[/{key}]``.

Real nova: nova/api/openstack/compute/flavors_extraspecs.py
(FlavorExtraSpecsController.index and show).  ``openstack flavor list --long``
asks here for each flavor whose listing shows no extra specs.
NOTE(labkit): labkit's flavors are seeded; the create, update and delete of
extra specs (admin) are left out.
"""
from labkit.nova import exception, objects
from labkit.nova.api.openstack import wsgi
from labkit.wsgi.app import HTTPError


class FlavorExtraSpecsController:
    @staticmethod
    def _get_extra_specs(req, flavor_id):
        try:
            row = objects.Flavor.get_by_flavor_id(req.environ["nova.context"], flavor_id)
        except exception.FlavorNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return row["extra_specs"] or {}

    def index(self, req, flavor_id):
        return wsgi.response(200, {"extra_specs": self._get_extra_specs(req, flavor_id)})

    def show(self, req, flavor_id, id):
        specs = self._get_extra_specs(req, flavor_id)
        if id not in specs:
            raise HTTPError(404, f"Flavor {flavor_id} has no extra specs with key {id}.")
        return wsgi.response(200, {id: specs[id]})
