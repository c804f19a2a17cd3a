"""os-aggregates (admin): host aggregates, their hosts, metadata and zone.

Real nova: nova/api/openstack/compute/aggregates.py:AggregateController.  An
aggregate's ``availability_zone`` is its metadata key of that name; creating
one with a zone makes the zone, adding hosts puts them in it.  The actions
(add_host, remove_host, set_metadata) are ``POST /os-aggregates/{id}/action``
bodies; they answer 200 with the aggregate, as nova's do.  ``uuid`` shows
from 2.41.
"""
from labkit.nova import exception, policy, utils
from labkit.nova.api import validation
from labkit.nova.api.openstack import wsgi
from labkit.nova.api.openstack.compute.schemas import aggregates as schema
from labkit.wsgi.app import HTTPError


def _normalize_name(name):
    """nova/api/openstack/common.py:normalize_name: no leading or trailing whitespace."""
    return name.strip()


def _context(req, action):
    context = req.environ["nova.context"]
    policy.check(context, f"os_compute_api:os-aggregates:{action}")
    return context


def _id(aggregate_id):
    try:
        return utils.validate_integer(aggregate_id, "id")
    except exception.InvalidInput as exc:
        raise HTTPError(400, exc.format_message()) from None


class AggregateController:
    def __init__(self, aggregate_api):
        self.api = aggregate_api
        self.actions = {"add_host": self._add_host, "remove_host": self._remove_host,
                        "set_metadata": self._set_metadata}

    def index(self, req):
        context = _context(req, "index")
        return wsgi.response(200, {"aggregates": [
            self._marshall_aggregate(req, a)["aggregate"]
            for a in self.api.get_aggregate_list(context)]})

    def create(self, req):
        """POST /os-aggregates: a name and, optionally, an availability zone (200)."""
        context = _context(req, "create")
        body = wsgi.loads(req)
        validation.validate(body, schema.create)
        host_aggregate = body["aggregate"]
        zone = host_aggregate.get("availability_zone")
        try:
            aggregate = self.api.create_aggregate(context,
                                                  _normalize_name(host_aggregate["name"]),
                                                  _normalize_name(zone) if zone else zone)
        except exception.AggregateNameExists as exc:
            raise HTTPError(409, exc.format_message()) from None
        agg = self._marshall_aggregate(req, aggregate)
        del agg["aggregate"]["hosts"], agg["aggregate"]["metadata"]
        return wsgi.response(200, agg)

    def show(self, req, aggregate_id):
        context = _context(req, "show")
        try:
            aggregate = self.api.get_aggregate(context, _id(aggregate_id))
        except exception.AggregateNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(200, self._marshall_aggregate(req, aggregate))

    def update(self, req, aggregate_id):
        """PUT /os-aggregates/{id}: a new name and/or availability zone."""
        context = _context(req, "update")
        body = wsgi.loads(req)
        validation.validate(body, schema.update)
        updates = dict(body["aggregate"])
        if "name" in updates:
            updates["name"] = _normalize_name(updates["name"])
        try:
            aggregate = self.api.update_aggregate(context, _id(aggregate_id), updates)
        except exception.AggregateNameExists as exc:
            raise HTTPError(409, exc.format_message()) from None
        except exception.AggregateNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(200, self._marshall_aggregate(req, aggregate))

    def delete(self, req, aggregate_id):
        context = _context(req, "delete")
        try:
            self.api.delete_aggregate(context, _id(aggregate_id))
        except exception.AggregateNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(200)

    def action(self, req, aggregate_id):
        """``POST /os-aggregates/{id}/action``: add_host, remove_host or set_metadata."""
        body = wsgi.loads(req)
        name = wsgi.action_name(body, self.actions)
        return self.actions[name](req, aggregate_id, body)

    def _add_host(self, req, aggregate_id, body):
        validation.validate(body, schema.add_host)
        context = _context(req, "add_host")
        host = body["add_host"]["host"]
        try:
            aggregate = self.api.add_host_to_aggregate(context, _id(aggregate_id), host)
        except (exception.AggregateNotFound, exception.ComputeHostNotFound) as exc:
            raise HTTPError(404, exc.format_message()) from None
        except (exception.AggregateHostExists, exception.InvalidAggregateAction) as exc:
            raise HTTPError(409, exc.format_message()) from None
        return wsgi.response(200, self._marshall_aggregate(req, aggregate))

    def _remove_host(self, req, aggregate_id, body):
        validation.validate(body, schema.remove_host)
        context = _context(req, "remove_host")
        host = body["remove_host"]["host"]
        try:
            aggregate = self.api.remove_host_from_aggregate(context, _id(aggregate_id), host)
        except (exception.AggregateNotFound, exception.AggregateHostNotFound,
                exception.ComputeHostNotFound):
            raise HTTPError(404, f"Cannot remove host {host} in aggregate "
                                 f"{aggregate_id}") from None
        except (exception.InvalidAggregateAction,
                exception.ResourceProviderUpdateConflict) as exc:
            raise HTTPError(409, exc.format_message()) from None
        return wsgi.response(200, self._marshall_aggregate(req, aggregate))

    def _set_metadata(self, req, aggregate_id, body):
        validation.validate(body, schema.set_metadata)
        context = _context(req, "set_metadata")
        try:
            aggregate = self.api.update_aggregate_metadata(
                context, _id(aggregate_id), body["set_metadata"]["metadata"])
        except exception.AggregateNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(200, self._marshall_aggregate(req, aggregate))

    @staticmethod
    def _marshall_aggregate(req, aggregate):
        """The aggregate's fields (``uuid`` from 2.41), as nova's _build_aggregate_items."""
        agg = {"availability_zone": aggregate.availability_zone,
               "created_at": aggregate.created_at, "deleted": False, "deleted_at": None,
               "hosts": list(aggregate.hosts or []), "id": aggregate.id,
               "metadata": dict(aggregate.metadata or {}), "name": aggregate.name,
               "updated_at": aggregate.updated_at}
        if req.api_version_request.matches("2.41"):
            agg["uuid"] = aggregate.uuid
        return {"aggregate": agg}
