"""What a lab is made of, and how a learner reaches it: labkit's composition root.

Real OpenStack: devstack's ``stack.sh`` decides which services a cloud runs,
in which order (identity first, the API services, then nova-conductor and
nova-scheduler, then nova-compute on every host), and writes what a user needs
to reach it (``openrc``'s ``OS_*`` variables, ``/etc/openstack/clouds.yaml``).
One table here plays that part for all three ways labkit runs: the embedded
``labkit.lab.Lab``, the multi-process ``labkit.cluster.Cluster`` and the
``python -m labkit up`` command.  This module imports no service: the tables
name each class as ``"module:Class"`` and the lab loads it when it starts it.
"""
import importlib
import threading
import time

from labkit.config import load_data

# (node, "module:Class") of the HTTP API services, in start order; each class takes the Lab.
API_SERVICES = (
    ("keystone", "labkit.keystone.service:KeystoneService"),
    ("glance", "labkit.glance.service:GlanceService"),
    ("neutron", "labkit.neutron.service:NeutronService"),
    ("placement", "labkit.placement.service:PlacementService"),
    ("nova-api", "labkit.nova.api.openstack.compute.service:NovaAPIService"),
)
# The nova RPC services besides nova-compute, which runs once per host; each is a
# labkit.nova.service.Service around the manager nova/service.py's SERVICE_MANAGERS names.
RPC_SERVICES = ("nova-conductor", "nova-scheduler")
API_NODES = tuple(name for name, _ in API_SERVICES)
NODES = API_NODES + RPC_SERVICES     # every node but the computes
DATA_FILES = ("identities", "flavors", "images", "networks", "hosts")


def load(path):
    """The class a ``"module:Class"`` entry names."""
    module, _, cls = path.partition(":")
    return getattr(importlib.import_module(module), cls)


def compute_node(host):
    """The node name of one host's nova-compute (``nova-compute@compute-1``)."""
    return f"nova-compute@{host}"


def lab_data(data_dir=None):
    """The seed data every service of a lab reads (``data/*.json`` unless ``data_dir``)."""
    return {name: load_data(name, data_dir) for name in DATA_FILES}


def host_names(data, computes):
    """``compute-1`` ... ``compute-N``, as the hosts data names them."""
    if not isinstance(computes, int) or computes < 1:
        raise ValueError("computes must be a whole number >= 1")
    fmt = data["hosts"]["name_format"]
    return [fmt.format(n=n) for n in range(1, computes + 1)]


def start_waves(hosts):
    """The nodes in three waves, each ready before the next (devstack's order):
    the API services, then conductor and scheduler, then every nova-compute."""
    return API_NODES, RPC_SERVICES, tuple(compute_node(h) for h in hosts)


def all_nodes(hosts):
    return tuple(node for wave in start_waves(hosts) for node in wave)


def clouds_yaml(lab):
    """clouds.yaml text for openstacksdk, the openstack CLI and ``openstack.connect``."""
    region = lab.data["identities"]["region"]
    # floating_ip_source: none -- labkit's neutron has no L3 service (no routers, no
    # floating IPs), so openstacksdk's create_server(wait=True) must not try to add one
    # (its default, auto_ip, would list and create floating IPs).  Clouds without
    # floating IPs say so the same way in their clouds.yaml or vendor profile.
    lines = ["# Written by labkit (python -m labkit up / Lab.write_clouds_yaml).",
             "# export OS_CLIENT_CONFIG_FILE=<this file> OS_CLOUD=labkit", "clouds:"]
    for cloud, user in (("labkit", "demo"), ("labkit-admin", "admin")):
        c = lab.credentials(user)
        lines += [f"  {cloud}:", "    auth_type: password", "    auth:",
                  f"      auth_url: {c['auth_url']}", f"      username: {c['username']}",
                  f"      password: {c['password']}", f"      project_name: {c['project_name']}",
                  "      user_domain_name: Default", "      project_domain_name: Default",
                  f"    region_name: {region}", "    interface: public",
                  "    identity_api_version: 3", "    floating_ip_source: none"]
    return "\n".join(lines) + "\n"


_RUNNING = []   # labs started and not yet stopped (so a re-run cell can clean up)
_RUNNING_LOCK = threading.Lock()


def stop_all():
    """Stop every lab this process started (what a re-run notebook cell needs)."""
    with _RUNNING_LOCK:
        labs = list(_RUNNING)
    for lab in labs:
        lab.stop()


class LabAccess:
    """What a learner reaches a lab by: URLs and credentials (embedded or multi-process)."""

    @property
    def auth_url(self):
        """The keystone v3 URL (``OS_AUTH_URL``)."""
        return self.endpoints["keystone"] + "/v3"

    @property
    def compute_url(self):
        return self.endpoints["nova-api"] + "/v2.1"

    def url(self, node):
        """The base URL of an API service node."""
        return self.endpoints[node]

    def credentials(self, user="demo"):
        """Keyword arguments for the labkit client or ``openstack.connect``."""
        users = {u["name"]: u for u in self.data["identities"]["users"]}
        return {"auth_url": self.auth_url, "username": user,
                "password": users[user]["password"], "project_name": users[user]["project"],
                "user_domain_name": "Default", "project_domain_name": "Default"}

    def os_environ(self, user="demo"):
        """The ``OS_*`` variables a shell needs to point the ``openstack`` CLI here."""
        c = self.credentials(user)
        return {"OS_AUTH_URL": c["auth_url"], "OS_AUTH_TYPE": "password",
                "OS_IDENTITY_API_VERSION": "3", "OS_USERNAME": c["username"],
                "OS_PASSWORD": c["password"], "OS_PROJECT_NAME": c["project_name"],
                "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
                "OS_REGION_NAME": self.data["identities"]["region"], "OS_INTERFACE": "public"}

    def write_clouds_yaml(self, path):
        """Write a clouds.yaml with clouds ``labkit`` (demo) and ``labkit-admin`` (admin)."""
        with open(path, "w") as fh:
            fh.write(clouds_yaml(self))
        return path

    def wait_idle(self, quiet=0.1, timeout=10):
        """Wait until no new hop arrived for ``quiet`` seconds and no message waits in a
        queue; TimeoutError if the lab is still busy after ``timeout`` seconds.

        A client sees ACTIVE as soon as the database says so, while nova-compute may
        still send its last messages; waiting first makes a printed trace complete.
        """
        deadline = time.monotonic() + timeout
        last, since = self.trace.last_seq(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.01)
            seq = self.trace.last_seq()
            if seq != last:
                last, since = seq, time.monotonic()
            elif time.monotonic() - since >= quiet and not any(self.queue_depths().values()):
                return
        raise TimeoutError(f"the lab was still busy after {timeout} s")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _start_or_stop(self, start, t0):
        """Run ``start()``; on any failure stop what started.  Then count as running."""
        try:
            start()
        except BaseException:
            self.stop()
            raise
        with _RUNNING_LOCK:
            _RUNNING.append(self)
        self.startup_seconds = time.perf_counter() - t0

    def _forget(self):
        with _RUNNING_LOCK:
            if self in _RUNNING:
                _RUNNING.remove(self)
