"""Nova's client for the network service: validate networks, make and bind ports.

Real nova: nova/network/neutron.py:API — validate_networks (nova-api),
allocate_for_instance (nova-compute, while task_state is ``networking``),
deallocate_for_instance, and port binding updates on shelve offload/unshelve.
"""
from urllib.parse import quote

from labkit.common.http import Session
from labkit.nova import exception

MAX_URI_LEN = 8192          # python-neutronclient: neutronclient/client.py


class RequestURITooLong(Exception):
    """A URI the client will not send (neutronclient/common/exceptions.py, 414)."""

    def __init__(self, excess):
        self.excess = excess
        super().__init__(f"Request-URI too long by {excess} characters")


class API:
    def __init__(self, lab, node):
        self.base = lab.endpoints["neutron"] + "/v2.0"
        self.session = Session(node)
        self.admin_auth = lab.service_auth("nova", node)

    def _call(self, context, method, path, body=None, admin=False):
        """One request to neutron; a URI over MAX_URI_LEN is RequestURITooLong, never
        sent (neutronclient/client.py:HTTPClient._check_uri_length)."""
        if len(self.base) + len(path) > MAX_URI_LEN:
            raise RequestURITooLong(len(self.base) + len(path) - MAX_URI_LEN)
        token = self.admin_auth.token() if admin else context.auth_token
        return self.session.request(method, self.base + path, json_body=body, token=token,
                                    request_id=context.trace_id, raise_exc=False)

    def _get_available_networks(self, context):
        """The project's own non-shared networks, then the shared ones (as nova asks)."""
        own = self._call(context, "GET", f"/networks?tenant_id={context.project_id}"
                                         "&shared=False").json().get("networks", [])
        shared = self._call(context, "GET", "/networks?shared=True").json().get("networks", [])
        return own + [n for n in shared if n["id"] not in {o["id"] for o in own}]

    def get_default_network(self, context):
        """The one network a boot without networks gets; NetworkAmbiguous if several fit."""
        nets = self._get_available_networks(context)
        if len(nets) > 1:
            raise exception.NetworkAmbiguous()
        return nets[0] if nets else None

    def validate_networks(self, context, requested_networks):
        """Check each requested network exists; return the list of network ids."""
        ids = []
        for req in requested_networks:
            if req.get("port"):
                resp = self._call(context, "GET", f"/ports/{req['port']}")
                if resp.status == 404:
                    raise exception.NotFound(f"Port id {req['port']} could not be found.")
                ids.append(resp.json()["port"]["network_id"])
                continue
            resp = self._call(context, "GET", f"/networks/{req['uuid']}")
            if resp.status == 404:
                raise exception.NetworkNotFound(network_id=req["uuid"])
            ids.append(req["uuid"])
        return ids

    def allocate_for_instance(self, context, instance, requested_networks, host):
        """Create (or take) one port per requested network, bound to ``host``, in the
        instance's project and its security groups.

        NOTE(labkit): nova's allocate_for_instance takes ``security_groups`` as an
        argument (from the RequestSpec, via build_and_run_instance); labkit reads the
        same list from the instance, which carries it.  nova creates a port with a
        minimal body (``_create_port_minimal``: POST /v2.0/ports, no binding) and binds
        it in a second request (``_update_ports_for_instance``: PUT /v2.0/ports/{id}
        with ``binding:host_id``); labkit sends the binding in the POST, one hop.  nova
        sends the POST with the user's token (``get_client(context)``) and only the binding
        PUT with its own ``[neutron]`` credentials (``get_client(context, admin=True)``);
        labkit's one POST carries nova's service token."""
        groups = self._clean_security_groups(instance.security_groups)
        group_ids = self._process_security_groups(context, instance, groups) if (
            groups and requested_networks) else []
        network_info = []
        for req in requested_networks:
            body = {"port": {"device_id": instance.uuid, "device_owner": "compute:nova",
                             "binding:host_id": host}}
            if not req.get("port"):          # nova's _create_port_minimal
                body["port"]["tenant_id"] = instance.project_id
                if group_ids:
                    body["port"]["security_groups"] = group_ids
            if req.get("port"):
                resp = self._call(context, "PUT", f"/ports/{req['port']}", body, admin=True)
            else:
                body["port"]["network_id"] = req["uuid"]
                if req.get("fixed_ip"):
                    body["port"]["fixed_ips"] = [{"ip_address": req["fixed_ip"]}]
                resp = self._call(context, "POST", "/ports", body, admin=True)
            if resp.status == 409:
                raise exception.NoMoreFixedIps(net=req.get("uuid"))
            if resp.status >= 400:
                raise exception.NovaException(f"port allocation failed ({resp.status})")
            network_info.append(self._vif(context, resp.json()["port"]))
        return network_info

    @staticmethod
    def _clean_security_groups(security_groups):
        """Neutron puts a port in its project's default group unasked: ["default"] -> []."""
        if not security_groups or list(security_groups) == ["default"]:
            return []
        return list(security_groups)

    def _process_security_groups(self, context, instance, security_groups):
        """Each requested group (name or id) among the project's groups, as an id.

        A name matching two groups is NoUniqueMatch; a name beats another group's id."""
        found = self._call(context, "GET", "/security-groups?tenant_id="
                           + quote(instance.project_id)).json().get("security_groups", [])
        ids = []
        for wanted in security_groups:
            by_name = [g["id"] for g in found if g["name"] == wanted]
            if len(by_name) > 1:
                raise exception.NoUniqueMatch(f"Multiple security groups found matching "
                                              f"'{wanted}'. Use an ID to be more specific.")
            by_id = [g["id"] for g in found if g["id"] == wanted]
            if not (by_name or by_id):
                raise exception.SecurityGroupNotFound(security_group_id=wanted)
            ids.append((by_name or by_id)[0])
        return ids

    def _vif(self, context, port):
        resp = self._call(context, "GET", f"/networks/{port['network_id']}")
        name = resp.json()["network"]["name"] if resp.status == 200 else port["network_id"]
        ip = port["fixed_ips"][0]["ip_address"] if port["fixed_ips"] else None
        return {"id": port["id"], "address": ip, "mac": port["mac_address"],
                "network": name, "network_id": port["network_id"]}

    def bind_ports_to_host(self, context, instance, host):
        """Bind the instance's ports to ``host`` (None unbinds them).

        Real nova: nova/network/neutron.py:API.setup_instance_network_on_host (and
        cleanup_instance_network_on_host), through _update_port_binding_for_instance.
        NOTE(labkit): nova first lists the instance's ports (GET /v2.0/ports?device_id=)
        and updates each; labkit takes the ports from the info_cache, so only the PUTs
        show in the trace.
        """
        for vif in (instance.info_cache or {}).get("network_info", []):
            self._call(context, "PUT", f"/ports/{vif['id']}",
                       {"port": {"binding:host_id": host}}, admin=True)

    def unbind_ports(self, context, instance):
        self.bind_ports_to_host(context, instance, None)

    def deallocate_for_instance(self, context, instance):
        for vif in (instance.info_cache or {}).get("network_info", []):
            self._call(context, "DELETE", f"/ports/{vif['id']}", admin=True)

    def close(self):
        self.session.close()
