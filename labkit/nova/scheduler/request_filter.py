"""Request filters: narrow what the scheduler asks placement for, before it asks.

Real nova: nova/scheduler/request_filter.py — process_reqspec runs every
filter of ALL_REQUEST_FILTERS over the RequestSpec, which turns
``GET /allocation_candidates`` into a smaller question.  An availability zone
is one of them: since nova 28 (2023.2) ``map_az_to_placement_aggregate`` is
always on and the AvailabilityZoneFilter is gone.  The zone's host aggregates
become a ``member_of`` of placement aggregates with the same uuids, which
nova-api keeps in step when hosts join or leave an aggregate.

NOTE(labkit): of nova's fourteen request filters labkit runs this one;
``compute_status_filter`` (a disabled compute's COMPUTE_STATUS_DISABLED trait)
is the ``root_required=!COMPUTE_STATUS_DISABLED`` the report client always
sends, and the others are for features labkit has not got (tenant isolation,
image types, accelerators, routed networks ...).
"""
import logging

from labkit.nova import objects

LOG = logging.getLogger(__name__)


def map_az_to_placement_aggregate(ctxt, request_spec):
    """Ask placement only for hosts in an aggregate of the requested zone.

    A zone no aggregate names (the default "nova") adds nothing: every host passes.
    """
    az_hint = request_spec.availability_zone
    if not az_hint:
        return False
    aggregates = objects.AggregateList.get_by_metadata(ctxt, key="availability_zone",
                                                       value=az_hint)
    if aggregates:
        destination = dict(request_spec.requested_destination or {})
        # Destination.require_aggregates: one comma-joined "any of" list per call
        destination["aggregates"] = list(destination.get("aggregates") or []) + [
            ",".join(agg.uuid for agg in aggregates)]
        request_spec.requested_destination = destination
        LOG.debug("map_az_to_placement_aggregate request filter added aggregates %s "
                  "for az %r", destination["aggregates"][-1], az_hint)
    return True


ALL_REQUEST_FILTERS = [map_az_to_placement_aggregate]


def process_reqspec(ctxt, request_spec):
    """Run every request filter over the RequestSpec before placement is asked."""
    for request_filter in ALL_REQUEST_FILTERS:
        request_filter(ctxt, request_spec)
