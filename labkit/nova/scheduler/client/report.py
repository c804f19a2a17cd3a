"""Talking to placement over HTTP: providers, inventories, candidates, claims.

Real nova: nova/scheduler/client/report.py:SchedulerReportClient, used by
the scheduler (candidates, claims), the conductor (reschedule claims) and
nova-compute (its provider and inventory; freeing allocations on offload).
It authenticates as the ``nova`` service user.
"""

from labkit.common.http import HTTPError, Session
from labkit.nova import exception

PLACEMENT_VERSION = "1.36"
DISABLED = "COMPUTE_STATUS_DISABLED"       # os_traits.COMPUTE_STATUS_DISABLED


class SchedulerReportClient:
    def __init__(self, lab, node):
        self.lab, self.node = lab, node
        self.auth = lab.service_auth("nova", node)
        self.session = Session(node)
        self.base = lab.endpoints["placement"]

    def _request(self, method, path, context=None, body=None, version=PLACEMENT_VERSION):
        rid = context.trace_id if context is not None else None
        return self.session.request(
            method, self.base + path, json_body=body, token=self.auth.token(),
            request_id=rid, raise_exc=False,
            headers={"OpenStack-API-Version": f"placement {version}"})

    # -- providers (nova-compute, resource tracker) ------------------------------------
    def ensure_resource_provider(self, context, uuid, name):
        resp = self._request("GET", f"/resource_providers/{uuid}", context)
        if resp.status == 404:
            resp = self._request("POST", "/resource_providers", context,
                                 {"uuid": uuid, "name": name})
        if resp.status >= 400:
            raise HTTPError(resp.status, resp.body, "resource_providers")
        return resp.json()

    def set_inventory_for_provider(self, context, rp_uuid, inventory):
        provider = self._request("GET", f"/resource_providers/{rp_uuid}", context).json()
        resp = self._request("PUT", f"/resource_providers/{rp_uuid}/inventories", context,
                             {"resource_provider_generation": provider["generation"],
                              "inventories": inventory})
        if resp.status >= 400:
            raise HTTPError(resp.status, resp.body, "inventories")

    # -- scheduling ----------------------------------------------------------------------
    def get_allocation_candidates(self, context, resources, member_of=(), in_tree=None):
        """GET /allocation_candidates: (allocation_requests, provider_summaries), at most
        ``[scheduler] max_placement_results`` of them.

        ``member_of``: one ``member_of=in:<uuid>,...`` per list of placement aggregates
        (the request filters' RequestSpec.requested_destination.aggregates);
        ``in_tree``: only that compute node's provider tree (a requested host).
        """
        query = ",".join(f"{rc}:{amount}" for rc, amount in sorted(resources.items()))
        limit = self.lab.conf.max_placement_results
        members = "".join(f"&member_of=in:{aggs}" for aggs in member_of)
        if in_tree:
            members += f"&in_tree={in_tree}"
        resp = self._request("GET", f"/allocation_candidates?limit={limit}&resources={query}"
                                    f"{members}&root_required=!COMPUTE_STATUS_DISABLED",
                             context)
        if resp.status >= 400:
            return [], {}
        body = resp.json()
        return body["allocation_requests"], body["provider_summaries"]

    def claim_resources(self, context, consumer_uuid, alloc_request, project_id, user_id,
                        consumer_generation=None, move=False):
        """PUT /allocations/{consumer}: True if placement accepted the claim.

        ``move``: read what the consumer holds first and, if it holds something (an
        evacuation: the instance still holds its source host), claim the destination
        *on top of* it, so the instance holds both hosts (nova's "doubled-up"
        allocation, _move_operation_alloc_request).
        NOTE(labkit): nova's claim_resources reads the consumer (GET
        /allocations/{consumer}) before every claim, a boot's too; labkit reads it
        only for a move, so the boot's placement requests stay as the course shows them.
        """
        allocations = alloc_request["allocations"]
        if move:
            current = self.get_allocs_for_consumer(context, consumer_uuid)
            if current.get("allocations"):
                consumer_generation = current.get("consumer_generation")
                allocations = dict({rp: {"resources": a["resources"]}
                                    for rp, a in current["allocations"].items()},
                                   **allocations)
        body = {"allocations": allocations, "project_id": project_id,
                "user_id": user_id, "consumer_generation": consumer_generation}
        resp = self._request("PUT", f"/allocations/{consumer_uuid}", context, body)
        return resp.status == 204

    def get_allocs_for_consumer(self, context, consumer_uuid):
        """GET /allocations/{consumer}: {"allocations": {rp: {"resources": ...}},
        "consumer_generation", "project_id", "user_id"} ({"allocations": {}} for none)."""
        resp = self._request("GET", f"/allocations/{consumer_uuid}", context)
        if resp.status >= 400:
            raise exception.ConsumerAllocationRetrievalFailed(consumer_uuid=consumer_uuid,
                                                              error=resp.body.decode())
        return resp.json()

    def get_allocations_for_consumer(self, context, consumer):
        """{rp uuid: {"resources": ...}} the consumer holds ({} for none)."""
        return self.get_allocs_for_consumer(context, consumer)["allocations"]

    def get_allocations_for_consumer_by_provider(self, context, rp_uuid, consumer):
        """The resources ``consumer`` holds on provider ``rp_uuid`` ({} for none)."""
        allocs = self.get_allocs_for_consumer(context, consumer)["allocations"]
        return allocs.get(rp_uuid, {}).get("resources", {})

    def get_allocations_for_resource_provider(self, context, rp_uuid):
        """GET /resource_providers/{uuid}/allocations: {consumer: {"resources": ...}}."""
        resp = self._request("GET", f"/resource_providers/{rp_uuid}/allocations", context)
        if resp.status >= 400:
            raise exception.ResourceProviderAllocationRetrievalFailed(
                rp_uuid=rp_uuid, error=resp.body.decode())
        return resp.json()["allocations"]

    def get_provider_traits(self, context, rp_uuid):
        """GET /resource_providers/{uuid}/traits: the provider's trait names."""
        resp = self._request("GET", f"/resource_providers/{rp_uuid}/traits", context)
        if resp.status >= 400:
            raise exception.ResourceProviderTraitRetrievalFailed(uuid=rp_uuid)
        return set(resp.json()["traits"])

    def move_allocations(self, context, source_consumer_uuid, target_consumer_uuid):
        """Move everything ``source`` holds to ``target`` in one POST /allocations.

        The source is left with none; the target's own allocations are overwritten.
        True when done (or already done: the source holds nothing, the target does).
        AllocationMoveFailed when either consumer changed meanwhile (a consumer
        generation conflict).  Real nova: SchedulerReportClient.move_allocations.
        NOTE(labkit): nova retries a provider generation conflict (``Retry``); labkit
        returns False.
        """
        source = self.get_allocs_for_consumer(context, source_consumer_uuid)
        target = self.get_allocs_for_consumer(context, target_consumer_uuid)
        if target.get("allocations") and not source.get("allocations"):
            return True
        owner = {"project_id": source.get("project_id"), "user_id": source.get("user_id")}
        body = {
            source_consumer_uuid: dict(owner, allocations={},
                                       consumer_generation=source.get("consumer_generation")),
            target_consumer_uuid: dict(owner, allocations=source.get("allocations", {}),
                                       consumer_generation=target.get("consumer_generation"))}
        resp = self._request("POST", "/allocations", context, body)
        if resp.status == 409 and b"consumer generation conflict" in resp.body:
            raise exception.AllocationMoveFailed(source_consumer=source_consumer_uuid,
                                                 target_consumer=target_consumer_uuid,
                                                 error=resp.body.decode())
        return resp.status == 204

    def remove_provider_tree_from_instance_allocation(self, context, consumer_uuid,
                                                      root_rp_uuid):
        """Drop what ``consumer`` holds on one provider, keep the rest: GET, then PUT
        the remainder (``{"allocations": {}}`` when nothing is left: confirm drops the
        migration's source allocation this way, not with a DELETE)."""
        current = self.get_allocs_for_consumer(context, consumer_uuid)
        allocations = {rp: {"resources": alloc["resources"]}
                       for rp, alloc in current.get("allocations", {}).items()
                       if rp != root_rp_uuid}
        resp = self._request("PUT", f"/allocations/{consumer_uuid}", context, {
            "allocations": allocations, "project_id": current.get("project_id"),
            "user_id": current.get("user_id"),
            "consumer_generation": current.get("consumer_generation")})
        return resp.status == 204

    def delete_allocation_for_instance(self, context, uuid, consumer_type="instance",
                                       force=True):
        """Drop what the consumer (an instance or a migration) holds.

        ``force``: one DELETE.  Otherwise GET the consumer, then PUT it empty with its
        consumer generation (a confirmed resize drops the migration's this way); False
        when it holds nothing.  NOTE(labkit): nova's default is ``force=False``; labkit's
        callers that delete an instance's claim keep the DELETE they always sent.
        """
        if force:
            resp = self._request("DELETE", f"/allocations/{uuid}", context)
            return resp.status in (204, 404)
        current = self.get_allocs_for_consumer(context, uuid)
        if current.get("allocations", {}) == {}:
            return False
        resp = self._request("PUT", f"/allocations/{uuid}", context, dict(current,
                                                                          allocations={}))
        return resp.status == 204

    def delete_resource_provider(self, context, rp_uuid):
        """DELETE /resource_providers/{uuid} (a compute service was deleted)."""
        resp = self._request("DELETE", f"/resource_providers/{rp_uuid}", context)
        return resp.status in (204, 404)

    def update_compute_provider_status(self, context, rp_uuid, enabled):
        """Remove (enabled) or add (disabled) the provider's COMPUTE_STATUS_DISABLED trait.

        Real nova: compute/manager.py:ComputeVirtAPI.update_compute_provider_status over
        get_provider_traits and set_traits_for_provider.
        """
        current = self._request("GET", f"/resource_providers/{rp_uuid}/traits", context).json()
        traits = set(current["traits"])
        wanted = traits - {DISABLED} if enabled else traits | {DISABLED}
        if wanted == traits:
            return
        resp = self._request("PUT", f"/resource_providers/{rp_uuid}/traits", context, {
            "traits": sorted(wanted),
            "resource_provider_generation": current["resource_provider_generation"]})
        if resp.status >= 400:
            raise exception.ResourceProviderUpdateFailed(url="traits",
                                                         error=resp.body.decode())

    # -- aggregates (nova-api's AggregateAPI mirrors nova host aggregates here) ----------
    def get_provider_by_name(self, context, name):
        resp = self._request("GET", f"/resource_providers?name={name}", context)
        providers = resp.json().get("resource_providers", []) if resp.status == 200 else []
        if not providers:
            raise exception.ResourceProviderNotFound(name_or_uuid=name)
        return providers[0]

    def _set_provider_aggregates(self, context, host_name, change):
        """Read the provider's aggregates and generation, apply ``change``, write them back."""
        rp_uuid = self.get_provider_by_name(context, host_name)["uuid"]
        current = self._request("GET", f"/resource_providers/{rp_uuid}/aggregates",
                                context).json()
        aggregates = change(set(current["aggregates"]))
        if aggregates == set(current["aggregates"]):
            return
        resp = self._request("PUT", f"/resource_providers/{rp_uuid}/aggregates", context, {
            "aggregates": sorted(aggregates),
            "resource_provider_generation": current["resource_provider_generation"]})
        if resp.status == 409:
            raise exception.ResourceProviderUpdateConflict(
                uuid=rp_uuid, generation=current["resource_provider_generation"],
                error=resp.body.decode())
        if resp.status >= 400:
            raise exception.ResourceProviderUpdateFailed(url="aggregates",
                                                         error=resp.body.decode())

    def aggregate_add_host(self, context, agg_uuid, host_name):
        """Add the placement aggregate ``agg_uuid`` to the provider named ``host_name``."""
        self._set_provider_aggregates(context, host_name, lambda aggs: aggs | {agg_uuid})

    def aggregate_remove_host(self, context, agg_uuid, host_name):
        """Remove the placement aggregate ``agg_uuid`` from the provider ``host_name``."""
        self._set_provider_aggregates(context, host_name, lambda aggs: aggs - {agg_uuid})

    def get_provider_usages(self, context, rp_uuid):
        return self._request("GET", f"/resource_providers/{rp_uuid}/usages", context).json()

    def close(self):
        self.session.close()

