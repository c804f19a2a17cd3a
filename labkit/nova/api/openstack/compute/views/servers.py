"""How a server looks in a response, microversion by microversion.

Real nova: nova/api/openstack/compute/views/servers.py:ViewBuilder (basic,
show, _get_flavor, _get_image, _get_addresses) plus the extended attributes
that 2.3, 2.9, 2.16, 2.19, 2.26, 2.47 ... 2.100 added.  Clients such as
tempest validate these bodies with ``additionalProperties: false``, so a key
appears only from the microversion that introduced it.
"""
from labkit.nova import policy
from labkit.nova.api.openstack import common
from labkit.nova.utils import generate_hostid, isotime


class ViewBuilder:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def _links(self, kind, ident, project_id):
        return [{"rel": "self", "href": f"{self.base_url}/v2.1/{kind}/{ident}"},
                {"rel": "bookmark", "href": f"{self.base_url}/{kind}/{ident}"}]

    def basic(self, req, instance):
        return {"id": instance.uuid, "name": instance.display_name,
                "links": self._links("servers", instance.uuid, instance.project_id)}

    def create(self, req, instance, admin_password):
        body = {"id": instance.uuid,
                "links": self._links("servers", instance.uuid, instance.project_id),
                "OS-DCF:diskConfig": "MANUAL",
                "security_groups": [{"name": n} for n in instance.security_groups or ["default"]]}
        if admin_password is not None:
            body["adminPass"] = admin_password
        return {"server": body}

    def show(self, req, instance, fault=None, show_server_groups=False):
        v = req.api_version_request
        context = req.environ["nova.context"]
        admin = policy.check(context, "os_compute_api:os-extended-server-attributes",
                             fatal=False)
        server = {
            "id": instance.uuid, "name": instance.display_name,
            "status": common.status_from_state(instance.vm_state, instance.task_state),
            "tenant_id": instance.project_id, "user_id": instance.user_id,
            "metadata": instance.metadata or {},
            "hostId": generate_hostid(instance.host, instance.project_id),
            "image": self._image(instance, v), "flavor": self._flavor(instance, v),
            "created": isotime(instance.created_at) or isotime(instance.updated_at),
            "updated": isotime(instance.updated_at) or isotime(instance.created_at),
            "addresses": self._addresses(instance),
            "accessIPv4": instance.access_ip_v4 or "", "accessIPv6": instance.access_ip_v6 or "",
            "links": self._links("servers", instance.uuid, instance.project_id),
            "OS-DCF:diskConfig": "MANUAL", "progress": instance.progress or 0,
            "OS-EXT-AZ:availability_zone": instance.availability_zone or "",
            "config_drive": instance.config_drive or "", "key_name": instance.key_name,
            "OS-SRV-USG:launched_at": _usg(instance.launched_at),
            "OS-SRV-USG:terminated_at": _usg(instance.terminated_at),
            "security_groups": [{"name": n} for n in instance.security_groups or ["default"]],
            "OS-EXT-STS:task_state": instance.task_state,
            "OS-EXT-STS:vm_state": instance.vm_state,
            "OS-EXT-STS:power_state": instance.power_state or 0,
            "os-extended-volumes:volumes_attached": [],
        }
        if fault is not None:
            server["fault"] = {"code": fault["code"], "created": isotime(fault["created_at"]),
                               "message": fault["message"]}
            if admin:
                server["fault"]["details"] = fault.get("details") or ""
        if admin:
            server["OS-EXT-SRV-ATTR:host"] = instance.host
            server["OS-EXT-SRV-ATTR:instance_name"] = \
                f"instance-{instance.id:08x}" if instance.id else ""
            server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = instance.node
            if v.matches("2.3"):
                server.update({
                    "OS-EXT-SRV-ATTR:hostname": instance.hostname,
                    "OS-EXT-SRV-ATTR:launch_index": instance.launch_index or 0,
                    "OS-EXT-SRV-ATTR:reservation_id": instance.reservation_id,
                    "OS-EXT-SRV-ATTR:kernel_id": "", "OS-EXT-SRV-ATTR:ramdisk_id": "",
                    "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
                    "OS-EXT-SRV-ATTR:user_data": None})
        self._microversion_fields(server, instance, v, admin, show_server_groups)
        return server

    def _microversion_fields(self, server, instance, v, admin, show_server_groups):
        if v.matches("2.9"):
            server["locked"] = bool(instance.locked)
        if v.matches("2.16") and admin:
            server["host_status"] = "UP" if instance.host else ""
        if v.matches("2.19"):
            server["description"] = instance.display_description
        if v.matches("2.26"):
            server["tags"] = list(instance.tags or [])
        if v.matches("2.63"):
            server["trusted_image_certificates"] = None
        if v.matches("2.71") and show_server_groups:
            server["server_groups"] = []
        if v.matches("2.73"):
            server["locked_reason"] = (instance.system_metadata or {}).get("locked_reason")
        if v.matches("2.90"):
            server["OS-EXT-SRV-ATTR:hostname"] = instance.hostname
        if v.matches("2.96"):
            server["pinned_availability_zone"] = instance.availability_zone
        if v.matches("2.100"):
            server["scheduler_hints"] = {}

    def _image(self, instance, v):
        if not instance.image_ref:
            return ""
        return {"id": instance.image_ref,
                "links": [{"rel": "bookmark",
                           "href": f"{self.base_url}/images/{instance.image_ref}"}]}

    def _flavor(self, instance, v):
        f = instance.flavor or {}
        if v.matches("2.47"):
            return {"vcpus": f.get("vcpus"), "ram": f.get("memory_mb"), "disk": f.get("root_gb"),
                    "ephemeral": f.get("ephemeral_gb"), "swap": f.get("swap"),
                    "original_name": f.get("name"), "extra_specs": f.get("extra_specs") or {}}
        return {"id": f.get("flavorid"),
                "links": [{"rel": "bookmark",
                           "href": f"{self.base_url}/flavors/{f.get('flavorid')}"}]}

    @staticmethod
    def _addresses(instance):
        out = {}
        for vif in (instance.info_cache or {}).get("network_info", []):
            if vif.get("address"):
                out.setdefault(vif["network"], []).append({
                    "version": 4, "addr": vif["address"], "OS-EXT-IPS:type": "fixed",
                    "OS-EXT-IPS-MAC:mac_addr": vif["mac"]})
        return out


def _usg(value):
    return value[:26] if value else None
