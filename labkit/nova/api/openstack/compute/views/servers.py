"""How a server looks in a response, microversion by microversion.

Real nova: nova/api/openstack/compute/views/servers.py:ViewBuilder (basic,
show, _get_flavor, _get_image, _get_addresses) plus the extended attributes
that 2.3, 2.9, 2.16, 2.19, 2.26, 2.47 ... 2.100 added.  Clients such as
tempest validate these bodies with ``additionalProperties: false``, so a key
appears only from the microversion that introduced it.
"""
import urllib.parse

from labkit.nova import exception, objects, policy
from labkit.nova.api.openstack import common
from labkit.nova.compute import vm_states
from labkit.nova.utils import generate_hostid, isotime

# views/servers.py:ViewBuilder._progress_statuses: ``progress`` is only shown in these.
PROGRESS_STATUSES = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING")

# utils.SM_IMAGE_PROP_PREFIX: the image's properties live in system_metadata as image_<key>.
SM_IMAGE_PROP_PREFIX = "image_"
# NOTE(labkit): 2.98 shows only the image properties nova knows (objects.ImageMetaProps'
# fields plus its legacy names); labkit recognises them by their prefixes and the legacy
# names instead of listing nova's ~150 fields.
_IMAGE_PROP_PREFIXES = ("hw_", "img_", "os_", "traits_")
_IMAGE_PROP_LEGACY = frozenset({"architecture", "hypervisor_type", "hypervisor_version_requires",
                                "vm_mode", "auto_disk_config"})


# what GET shows and a rebuild's response before 2.75 does not (nova: schemas/servers.py
# rebuild_response ... rebuild_response_v273), besides the OS-EXT-* and usage keys
_SHOW_ONLY_KEYS = frozenset({"config_drive", "key_name", "security_groups", "host_status"})


class ViewBuilder:
    def __init__(self, base_url, compute_api=None):
        self.base_url = base_url.rstrip("/")
        self.compute_api = compute_api          # 2.16's host_status asks it

    def _links(self, kind, ident, project_id):
        return [{"rel": "self", "href": f"{self.base_url}/v2.1/{kind}/{ident}"},
                {"rel": "bookmark", "href": f"{self.base_url}/{kind}/{ident}"}]

    def collection_links(self, req, items, limit, collection):
        """``servers_links``: a ``next`` link when the page is full (common.ViewBuilder.
        _get_collection_links), carrying the query on with ``marker`` = the last id."""
        if not items or len(items) != limit:
            return []
        params = [(k, v) for k, v in req.GET.items() if k != "marker"]
        params.append(("marker", items[-1].uuid))
        # request.application_url: the version prefix, with the project id if the URL had one
        return [{"rel": "next", "href": f"{req.application_url}/{collection}?"
                                        f"{urllib.parse.urlencode(params)}"}]

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

    def show(self, req, instance, fault=None, show_server_groups=False, request_spec=None,
             host_status=None):
        """The detailed view (GET /servers/{id} and each entry of /servers/detail).

        ``request_spec``, ``host_status``: 2.96's RequestSpec data, 2.16's host status, if known.
        """
        v = req.api_version_request
        context = req.environ["nova.context"]
        admin = policy.check(context, "os_compute_api:os-extended-server-attributes",
                             fatal=False)
        status = common.status_from_state(instance.vm_state, instance.task_state)
        server = {
            "id": instance.uuid, "name": instance.display_name,
            "status": status,
            "tenant_id": instance.project_id, "user_id": instance.user_id,
            "metadata": instance.metadata or {},
            "hostId": generate_hostid(instance.host, instance.project_id),
            "image": self._image(instance, v), "flavor": self._flavor(instance, v),
            "created": isotime(instance.created_at) or isotime(instance.updated_at),
            "updated": isotime(instance.updated_at) or isotime(instance.created_at),
            # nova hides a server's addresses while it builds (_get_addresses)
            "addresses": {} if instance.vm_state == vm_states.BUILDING else
            self._addresses(instance),
            "accessIPv4": instance.access_ip_v4 or "", "accessIPv6": instance.access_ip_v6 or "",
            "links": self._links("servers", instance.uuid, instance.project_id),
            "OS-DCF:diskConfig": "MANUAL",
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
        if status in PROGRESS_STATUSES:
            server["progress"] = instance.progress or 0
        if fault is not None:
            server["fault"] = {"code": fault["code"], "created": isotime(fault["created_at"]),
                               "message": fault["message"]}
            if admin and fault.get("details"):
                server["fault"]["details"] = fault["details"]
        if admin:
            self._extended_server_attributes(server, instance, v)
        if v.matches("2.96") and request_spec is None:
            request_spec = self.request_specs(context, [instance.uuid]).get(instance.uuid)
        self._microversion_fields(server, instance, v, admin, show_server_groups,
                                  request_spec or {}, host_status)
        return server

    def rebuild(self, req, instance):
        """The server in a rebuild's response: from 2.75 what GET shows; before, nova's
        shorter view (no OS-EXT-* keys, zone, security groups, host status, and
        addresses without their type and MAC), key_name from 2.54, user_data from 2.57.

        Real nova: ServersController._rebuild's ViewBuilder.show flags (show_AZ,
        show_extended_attr ... all ``show_all_attributes``, 2.75).
        NOTE(labkit): labkit keeps no user data, so 2.57's ``user_data`` is null."""
        v = req.api_version_request
        server = self.show(req, instance, show_server_groups=v.matches("2.71"))
        if not v.matches("2.75"):
            hidden = _SHOW_ONLY_KEYS - ({"key_name"} if v.matches("2.54") else set())
            server = {k: value for k, value in server.items() if k not in hidden and
                      not k.startswith(("OS-EXT-", "OS-SRV-USG:", "os-extended-volumes:"))}
            server["addresses"] = {net: [{"addr": a["addr"], "version": a["version"]}
                                         for a in addrs]
                                   for net, addrs in server["addresses"].items()}
        server.pop("OS-EXT-SRV-ATTR:user_data", None)     # nova: show_user_data=False
        if v.matches("2.57"):
            server["user_data"] = None
        return server

    @staticmethod
    def _extended_server_attributes(server, instance, v):
        """OS-EXT-SRV-ATTR:* (policy os-extended-server-attributes: admin); more from 2.3."""
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

    @staticmethod
    def request_specs(context, instance_uuids):
        """{uuid: RequestSpec data} from the API database (RequestSpec.get_by_instance_uuids)."""
        return {spec.instance_uuid: {name: getattr(spec, name) for name in spec.fields}
                for spec in objects.RequestSpec.get_by_instance_uuids(context, instance_uuids)}

    def _microversion_fields(self, server, instance, v, admin, show_server_groups, spec,
                             host_status):
        if v.matches("2.9"):
            server["locked"] = bool(instance.locked)
        if v.matches("2.16") and admin:
            server["host_status"] = self.compute_api.get_instance_host_status(instance) \
                if host_status is None else host_status
        if v.matches("2.19"):
            server["description"] = instance.display_description
        if v.matches("2.26"):
            server["tags"] = list(instance.tags or [])
        if v.matches("2.63"):
            server["trusted_image_certificates"] = None
        if v.matches("2.71") and show_server_groups:
            server["server_groups"] = _server_groups(instance)
        if v.matches("2.73"):
            server["locked_reason"] = (instance.system_metadata or {}).get("locked_reason")
        if v.matches("2.90"):
            server["OS-EXT-SRV-ATTR:hostname"] = instance.hostname
        if v.matches("2.96"):
            # the zone the user asked for (RequestSpec.availability_zone), not the one the
            # server landed in: null unless pinned at create or by an unshelve to a zone
            server["pinned_availability_zone"] = spec.get("availability_zone")
        if v.matches("2.100"):
            # RequestSpec.scheduler_hints: each hint's value kept as a list (_from_hints)
            hints = spec.get("scheduler_hints")
            server["scheduler_hints"] = None if hints is None else {
                k: val if isinstance(val, list) else [val] for k, val in hints.items()}

    def _image(self, instance, v):
        if not instance.image_ref:
            return ""
        image = {"id": instance.image_ref,
                 "links": [{"rel": "bookmark",
                            "href": f"{self.base_url}/images/{instance.image_ref}"}]}
        if v.matches("2.98"):
            plen = len(SM_IMAGE_PROP_PREFIX)
            image["properties"] = {
                key[plen:]: value for key, value in (instance.system_metadata or {}).items()
                if key.startswith(SM_IMAGE_PROP_PREFIX) and value is not None and
                (key[plen:].startswith(_IMAGE_PROP_PREFIXES) or key[plen:] in _IMAGE_PROP_LEGACY)}
        return image

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


def _server_groups(instance):
    """The uuid of the server group the server is in, as a list (nova's 2.71 view)."""
    try:
        return [objects.InstanceGroup.get_by_instance_uuid(instance._context,
                                                           instance.uuid).uuid]
    except exception.InstanceGroupNotFound:
        return []
