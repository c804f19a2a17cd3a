"""os-hypervisors (admin): the compute nodes and what runs on them.

Real nova: nova/api/openstack/compute/hypervisors.py.
"""
from labkit.nova import objects, policy, servicegroup
from labkit.nova.api.openstack import wsgi
from labkit.wsgi.app import HTTPError


class HypervisorsController:
    def __init__(self, conf):
        self.servicegroup_api = servicegroup.API(conf)

    def _services(self, context):
        return {s["host"]: s for s in objects.ServiceList.get_by_binary(
            context, "nova-compute", include_disabled=True)}

    def _view(self, req, node, service, detail, running):
        """_view_hypervisor: ``state`` is the servicegroup's verdict (forced down, or no
        heartbeat for service_down_time: down); 2.53 shows uuids for ids; 2.88 drops
        the usage figures (vcpus .. disk_available_least, cpu_info) and adds ``uptime``."""
        uuids = req.api_version_request.matches("2.53")
        alive = bool(service) and self.servicegroup_api.service_is_up(service)
        v = {"id": node["uuid"] if uuids else node["id"],
             "hypervisor_hostname": node["hypervisor_hostname"],
             "state": "up" if alive else "down",
             "status": "disabled" if service and service.get("disabled") else "enabled"}
        if not detail:
            return v
        v.update({"hypervisor_type": node["hypervisor_type"],
                  "hypervisor_version": node["hypervisor_version"],
                  "host_ip": node.get("host_ip") or "127.0.0.1",
                  "service": {"host": node["host"],
                              "id": (service["uuid"] if uuids else service["id"])
                              if service else None,
                              "disabled_reason": service.get("disabled_reason")
                              if service else None}})
        if req.api_version_request.matches("2.88"):
            v["uptime"] = None          # NOTE(labkit): the fake driver keeps no uptime
            return v
        vcpus_used, ram_used, disk_used = (node["vcpus_used"] or 0, node["memory_mb_used"] or 0,
                                           node["local_gb_used"] or 0)
        v.update({"vcpus": node["vcpus"], "memory_mb": node["memory_mb"],
                  "local_gb": node["local_gb"], "vcpus_used": vcpus_used,
                  "memory_mb_used": ram_used, "local_gb_used": disk_used,
                  "free_ram_mb": node["memory_mb"] - ram_used,
                  "free_disk_gb": node["local_gb"] - disk_used,
                  "current_workload": node["current_workload"] or 0, "running_vms": running,
                  "disk_available_least": node["local_gb"] - disk_used,
                  # a JSON text before 2.28, the parsed object from 2.28 on
                  "cpu_info": {} if req.api_version_request.matches("2.28") else "{}"})
        return v

    def _list(self, req, detail):
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-hypervisors:list-detail" if detail
                     else "os_compute_api:os-hypervisors:list")
        services = self._services(context)
        running = objects.InstanceList.get_counts_by_host(context)
        nodes = objects.ComputeNodeList.get_all(context)
        return wsgi.response(200, {"hypervisors": [
            self._view(req, n, services.get(n["host"]), detail, running.get(n["host"], 0))
            for n in nodes]})

    def index(self, req):
        return self._list(req, detail=False)

    def detail(self, req):
        return self._list(req, detail=True)

    def show(self, req, hypervisor_id):
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:os-hypervisors:show")
        nodes = [n for n in objects.ComputeNodeList.get_all(context)
                 if str(n["id"]) == hypervisor_id or n["uuid"] == hypervisor_id]
        if not nodes:
            raise HTTPError(404, f"Hypervisor with ID '{hypervisor_id}' could not be found.")
        running = objects.InstanceList.get_counts_by_host(context)
        node = nodes[0]
        return wsgi.response(200, {"hypervisor": self._view(
            req, node, self._services(context).get(node["host"]), True, running.get(node["host"], 0))})
