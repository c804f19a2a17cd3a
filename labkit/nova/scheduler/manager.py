"""The scheduler: which host gets the instance.

Real nova: nova/scheduler/manager.py:SchedulerManager.select_destinations
and _schedule — ask placement for allocation candidates, read those hosts'
state, run the filters, run the weighers, claim the winner in placement, and
return it with up to ``max_attempts - 1`` alternates.
"""
import itertools

from labkit.messaging import Target
from labkit.nova import exception, objects, rpc
from labkit.nova.manager import Manager
from labkit.nova.scheduler import filters, request_filter, weights
from labkit.nova.scheduler import utils as scheduler_utils
from labkit.nova.scheduler.client.report import SchedulerReportClient
from labkit.nova.scheduler.host_manager import HostManager


class SchedulerManager(Manager):
    target = Target("scheduler", version="4.5")

    def __init__(self, lab, host, node):
        super().__init__(lab, host, node)
        self.host_manager = HostManager(lab.conf)
        self.placement_client = SchedulerReportClient(lab, node)
        self.filters = [cls() for cls in filters.get_filter_classes(
            lab.conf.enabled_filters, lab.conf.available_filters)]
        self.weighers = weights.get_weighers(lab.conf.weight_classes)
        self.notifier = rpc.get_notifier(lab, node, "nova-scheduler:scheduler")

    def _notify(self, ctxt, phase, spec_obj):
        if self.notifier is not None:
            self.notifier.info(ctxt, f"scheduler.select_destinations.{phase}",
                               {"nova_object.name": "RequestSpecPayload",
                                "nova_object.data": {"instance_uuid": spec_obj.instance_uuid,
                                                     "num_instances": spec_obj.num_instances}})

    def select_destinations(self, ctxt, spec_obj, instance_uuids, return_objects=True,
                            return_alternates=True):
        """Return one list per instance: [chosen Selection, alternates ...]."""
        self._notify(ctxt, "start", spec_obj)
        if scheduler_utils.request_is_rebuild(spec_obj):
            selections = self._legacy_find_hosts(ctxt, spec_obj)
            self._notify(ctxt, "end", spec_obj)
            return selections
        request_filter.process_reqspec(ctxt, spec_obj)
        in_tree = scheduler_utils.get_requested_compute_node(ctxt, spec_obj)
        alloc_reqs, summaries = self.placement_client.get_allocation_candidates(
            ctxt, spec_obj.resources(),
            member_of=(spec_obj.requested_destination or {}).get("aggregates") or (),
            in_tree=in_tree)
        if not alloc_reqs:
            self._record(ctxt, spec_obj, [], [], [], None, [])
            raise exception.NoValidHost(reason="")
        by_rp = {}
        for req in alloc_reqs:
            for rp_uuid in req["allocations"]:
                by_rp.setdefault(rp_uuid, req)
        selections = self._schedule(ctxt, spec_obj, instance_uuids, by_rp, summaries,
                                    return_alternates)
        self._notify(ctxt, "end", spec_obj)
        return selections

    def _schedule(self, ctxt, spec_obj, instance_uuids, by_rp, summaries, return_alternates):
        hosts = self.host_manager.get_host_states_by_uuids(ctxt, list(by_rp), summaries)
        candidates = [h.host for h in hosts]
        result, claimed = [], []
        for instance_uuid in instance_uuids:
            sorted_hosts, filter_report, weighed, weigh_report = \
                self._get_sorted_hosts(spec_obj, hosts)
            alternates = []
            if return_alternates and sorted_hosts:
                alternates = list(itertools.islice(
                    (h for _, h in weighed if h is not sorted_hosts[0]), self.conf.max_attempts - 1))
            # the decision is made (and recorded) before placement is asked for anything
            first = sorted_hosts[0] if sorted_hosts else None
            self._record(ctxt, spec_obj, candidates, filter_report, weigh_report, first,
                         alternates, instance_uuid, weighed)
            chosen = None
            for host in sorted_hosts:
                # a move (hosts to ignore: the source) claims on top of what it holds
                if self.placement_client.claim_resources(ctxt, instance_uuid, by_rp[host.uuid],
                                                         spec_obj.project_id, spec_obj.user_id,
                                                         move=bool(spec_obj.ignore_hosts)):
                    chosen = host
                    break
            if chosen is None:
                for uuid in claimed:
                    self.placement_client.delete_allocation_for_instance(ctxt, uuid)
                if sorted_hosts:        # every claim was refused: nothing was chosen after all
                    self._record(ctxt, spec_obj, candidates, filter_report, weigh_report, None,
                                 [], instance_uuid, weighed)
                raise exception.NoValidHost(reason="There are not enough hosts available.")
            if chosen is not first:     # a 409 on the first: someone else took the room
                alternates = [h for h in alternates if h is not chosen]
                self._record(ctxt, spec_obj, candidates, filter_report, weigh_report, chosen,
                             alternates, instance_uuid, weighed)
            claimed.append(instance_uuid)
            self._consume_selected_host(chosen, spec_obj, instance_uuid)
            result.append([self._selection(h, by_rp) for h in [chosen] + alternates])
        return result

    def _legacy_find_hosts(self, ctxt, spec_obj):
        """A rebuild with a new image: does the server's own (forced) host suit it?

        No allocation candidates (placement would want room for a second copy on the
        same host) and no claim: the filters marked RUN_ON_REBUILD check that one host.
        Real nova: SchedulerManager._schedule, which goes to _legacy_find_hosts when it
        has no allocation requests (as for a rebuild).
        """
        nodes = [n["uuid"] for n in objects.ComputeNodeList.get_all(ctxt)]
        hosts, _ = self.host_manager.get_hosts_matching_request(
            self.host_manager.get_host_states_by_uuids(ctxt, nodes, {}), spec_obj)
        for host_filter in self.filters:
            if host_filter.RUN_ON_REBUILD:
                hosts = host_filter.filter_all(hosts, spec_obj)
        if not hosts:
            raise exception.NoValidHost(reason="")
        return [[self._selection(hosts[0], {hosts[0].uuid: {"allocations": {}}})]]

    def _get_sorted_hosts(self, spec_obj, host_states):
        """Filter, weigh, then put one of the best ``host_subset_size`` hosts first."""
        passed, filter_report = self._get_filtered_hosts(host_states, spec_obj)
        weighed, weigh_report = weights.weigh_hosts(self.weighers, passed, spec_obj, self.conf)
        ranked = [h for _, h in weighed]
        if ranked:
            subset = ranked[:max(1, self.conf.host_subset_size)]
            chosen = self.lab.ids.choice(subset) if len(subset) > 1 else subset[0]
            ranked.remove(chosen)
            ranked.insert(0, chosen)
        return ranked, filter_report, weighed, weigh_report

    @staticmethod
    def _consume_selected_host(selected_host, spec_obj, instance_uuid=None):
        """Take the instance's resources from the host; a group's next instance of the
        same request sees it there (the (anti-)affinity filters and weighers)."""
        selected_host.consume_from_request(spec_obj)
        group = spec_obj.instance_group
        if group is not None:
            group.hosts = list(group.hosts or []) + [selected_host.host]
            if instance_uuid and instance_uuid not in selected_host.instances:
                selected_host.instances[instance_uuid] = None

    def _get_filtered_hosts(self, hosts, spec_obj):
        """Run the filters over the hosts the request allows (HostManager.get_filtered_hosts)."""
        report = []
        hosts, forced = self.host_manager.get_hosts_matching_request(hosts, spec_obj)
        names = [h.host for h in hosts]
        for host_filter in [] if forced else self.filters:
            before = hosts
            hosts = host_filter.filter_all(hosts, spec_obj)
            if len(hosts) == len(before):              # every host passed (the usual case)
                failed = []
            else:
                passed = {id(h) for h in hosts}
                failed = [h.host for h in before if id(h) not in passed]
                names = [h.host for h in hosts]
            report.append({"filter": type(host_filter).__name__,
                           "passed": list(names),
                           "failed": failed})
        return hosts, report

    @staticmethod
    def _selection(host, by_rp):
        import json
        return objects.Selection(compute_node_uuid=host.uuid, service_host=host.host,
                                 nodename=host.nodename, cell_uuid="cell1",
                                 limits=host.limits, availability_zone=host.availability_zone,
                                 allocation_request=json.dumps(by_rp[host.uuid]),
                                 allocation_request_version="1.36")

    def _record(self, ctxt, spec_obj, candidates, filter_report, weigh_report, chosen,
                alternates, instance_uuid=None, weighed=()):
        """Record the decision for the scheduler view (kind ``schedule``)."""
        trace = self.lab.trace
        if trace.enabled:
            trace.record("schedule", self.node, self.node, "select_destinations",
                         ctxt.trace_id, instance_uuid=instance_uuid or spec_obj.instance_uuid,
                         payload={"resources": spec_obj.resources(), "candidates": candidates,
                                  "filters": filter_report, "weighers": weigh_report,
                                  "weights": {h.host: round(w, 6) for w, h in weighed},
                                  "chosen": chosen.host if chosen else None,
                                  "alternates": [h.host for h in alternates]})

    # -- fanout casts from nova-compute -----------------------------------------------
    def update_instance_info(self, ctxt, host_name, instance_info):
        """Compute tells every scheduler what it runs.

        NOTE(labkit): nova's HostManager keeps this per host to skip a DB read
        (track_instance_changes); labkit's HostState reads what it needs each time.
        """

    def delete_instance_info(self, ctxt, host_name, instance_uuid):
        """Compute tells every scheduler an instance left the host (see above)."""

    def cleanup_host(self):
        self.placement_client.close()
