"""No input breaks the lab: seeded random requests to every API it serves.

A fixed seed picks, for each of a few thousand requests, an API (keystone, nova,
glance, neutron, placement), one of its routes and a way to spoil it: wrong
JSON types, unpaired surrogates and control characters in bodies, paths, query
strings and headers, truncated or oversized bodies, a Content-Length that lies,
odd Content-Types, bad, empty or huge tokens, odd microversion headers, and
sound requests at any microversion nova or placement knows.  The
requests go out as raw bytes over a socket to 127.0.0.1, so nothing is fixed up
on the way.  Every answer must be under 500, carry no traceback, and (when JSON)
be in that service's own error form; afterwards the lab still boots a server.
"""
import json
import random
import socket
from urllib.parse import urlsplit

import pytest
import requests
from labkit.client import Client, get_token

pytestmark = pytest.mark.lab

SEED = 20261202
REQUESTS = 2500
IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
NET = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"
SERVER = "00000000-0000-4000-8000-000000000000"

# each service's error document: its one top-level key (nova: one of its fault names)
ERROR_FORMS = {
    "keystone": lambda b: set(b) == {"error"},
    "nova-api": lambda b: len(b) == 1 and isinstance(next(iter(b.values())), dict)
    and "message" in next(iter(b.values())),
    "glance": lambda b: {"code", "message"} <= set(b),
    "neutron": lambda b: set(b) == {"NeutronError"},
    "placement": lambda b: set(b) == {"errors"},
}
# {server}, {image}, {provider}, {project}: a server, an image, a resource provider made for
# the run, and the demo project
ROUTES = {
    "keystone": [("POST", "/v3/auth/tokens", {"auth": {"identity": {
        "methods": ["password"], "password": {"user": {
            "name": "demo", "domain": {"name": "Default"}, "password": "x"}}}}}),
        ("POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["token"],
                                                           "token": {"id": "x"}},
                                              "scope": {"project": {"id": "x"}}}}),
        ("GET", "/v3/auth/tokens", None), ("GET", "/v3", None), ("GET", "/v3/projects", None),
        ("GET", "/v3/users", None), ("GET", "/v3/auth/catalog", None),
        ("GET", "/v3/auth/projects", None), ("GET", "/v3/users?name=demo&domain_id=default", None),
        ("GET", "/v3/users/{user}", None),
        ("GET", "/v3/role_assignments?scope.project.id={project}&user.id={user}", None)],
    "nova-api": [("POST", "/v2.1/servers", {"server": {"name": "f", "imageRef": IMAGE,
                                                       "flavorRef": "42",
                                                       "networks": [{"uuid": NET}],
                                                       "metadata": {"k": "v"},
                                                       "security_groups": [{"name": "default"}]}}),
                 ("GET", "/v2.1/servers/detail?limit=2&status=ACTIVE&name=a", None),
                 ("GET", "/v2.1/servers/{server}", None),
                 ("POST", "/v2.1/servers/{server}/action", {"lock": {"locked_reason": "f"}}),
                 ("POST", "/v2.1/servers/{server}/action", {"unlock": None}),
                 ("POST", "/v2.1/servers/{server}/action", {"unshelve": {
                     "availability_zone": None}}),
                 ("POST", f"/v2.1/servers/{SERVER}/action", {"shelve": None}),
                 ("POST", "/v2.1/servers/{server}/action", {"addSecurityGroup": {
                     "name": "default"}}),
                 ("GET", "/v2.1/servers/{server}/os-instance-actions", None),
                 ("GET", "/v2.1/flavors/42/os-extra_specs/hw:cpu_policy", None),
                 ("GET", "/v2.1/servers/{server}/ips/private", None),
                 ("GET", "/v2.1/flavors/detail?minRam=1&minDisk=0", None),
                 ("GET", "/v2.1/flavors/42", None), ("GET", f"/v2.1/images/{IMAGE}", None),
                 ("GET", "/v2.1/os-hypervisors/detail", None),
                 ("GET", "/v2.1/", None), ("DELETE", f"/v2.1/servers/{SERVER}", None),
                 ("POST", "/v2.1/servers/{server}/action", {"reboot": {"type": "HARD"}}),
                 ("POST", "/v2.1/servers/{server}/action", {"os-stop": None}),
                 ("POST", "/v2.1/servers/{server}/action", {"pause": None}),
                 ("POST", "/v2.1/servers/{server}/action", {"os-getConsoleOutput": {
                     "length": 5}}),
                 ("POST", "/v2.1/os-keypairs", {"keypair": {"name": "f", "type": "ssh"}}),
                 ("GET", "/v2.1/os-keypairs?limit=1&marker=f&user_id=x", None),
                 ("PUT", "/v2.1/os-quota-sets/{project}", {"quota_set": {
                     "instances": 5, "force": True, "cores": -1}}),
                 ("GET", "/v2.1/os-quota-sets/{project}/detail?user_id=x", None),
                 ("GET", "/v2.1/limits?tenant_id=x&reserved=1", None),
                 ("GET", "/v2.1/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1",
                  None),
                 ("PUT", "/v2.1/os-services/disable", {"host": "compute-1",
                                                       "binary": "nova-compute",
                                                       "disabled_reason": "f"}),
                 ("GET", "/v2.1/os-services?host=compute-1&binary=nova-compute", None),
                 ("POST", "/v2.1/os-aggregates", {"aggregate": {"name": "f",
                                                                "availability_zone": "z"}}),
                 ("POST", "/v2.1/os-aggregates/1/action", {"add_host": {"host": "x"}}),
                 ("POST", "/v2.1/os-server-groups", {"server_group": {
                     "name": "f", "policies": ["anti-affinity"]}}),
                 ("GET", "/v2.1/os-availability-zone/detail", None),
                 ("GET", "/v2.1/servers/{server}/os-security-groups", None)] + [
        # the moves, and what a learner watches them with: a 4th item is the microversion
        ("POST", "/v2.1/servers/{server}/action", body, *version) for body, *version in (
            ({"resize": {"flavorRef": "84", "OS-DCF:diskConfig": "AUTO"}},),
            ({"resize": {"flavorRef": "42"}},),
            ({"confirmResize": None},), ({"revertResize": None},),
            ({"migrate": {"host": "compute-2"}}, "compute 2.56"),
            ({"os-migrateLive": {"host": "compute-3", "block_migration": "auto",
                                 "force": False}}, "compute 2.30"),
            ({"evacuate": {"host": "compute-2", "adminPass": "f"}}, "compute 2.29"),
            ({"rebuild": {"imageRef": IMAGE, "name": "f", "metadata": {"k": "v"},
                          "description": "f", "key_name": None}}, "compute 2.54"),
            ({"os-start": None},), ({"unpause": None},), ({"suspend": None},),
            ({"resume": None},))] + [
        ("GET", "/v2.1/os-migrations?status=finished&migration_type=resize&limit=2"
                "&changes-since=2026-01-01T00:00:00", None, "compute 2.80"),
        ("GET", "/v2.1/os-migrations?instance_uuid={server}&hidden=0", None),
        ("GET", "/v2.1/servers/{server}/migrations", None, "compute 2.80"),
        ("GET", "/v2.1/servers/{server}/migrations/1", None, "compute 2.80"),
        ("POST", "/v2.1/servers/{server}/migrations/1/action", {"force_complete": None},
         "compute 2.22"),
        ("DELETE", "/v2.1/servers/{server}/migrations/1", None, "compute 2.65"),
        ("GET", "/v2.1/servers/{server}/os-instance-actions?limit=2&changes-since="
                "2026-01-01T00:00:00", None, "compute 2.58"),
        ("GET", "/v2.1/servers/{server}/os-instance-actions/{request}", None,
         "compute 2.84")],
    "glance": [("GET", "/v2/images?limit=2&sort_key=name&marker=" + IMAGE, None),
               ("GET", f"/v2/images/{IMAGE}", None),
               ("POST", "/v2/images", {"name": "f", "disk_format": "qcow2",
                                       "container_format": "bare", "visibility": "private",
                                       "min_ram": 0, "tags": ["a"]}),
               ("PATCH", "/v2/images/{image}", [{"op": "replace", "path": "/name",
                                                 "value": "x"},
                                                {"op": "add", "path": "/k", "value": "v"}]),
               ("PUT", "/v2/images/{image}/file", None), ("GET", "/v2/schemas/image", None),
               ("DELETE", f"/v2/images/{SERVER}", None)],
    "neutron": [("GET", "/v2.0/networks?shared=True", None),
                ("POST", "/v2.0/ports", {"port": {"network_id": NET, "fixed_ips": [
                    {"ip_address": "192.168.1.250"}], "admin_state_up": True}}),
                ("PUT", f"/v2.0/ports/{SERVER}", {"port": {"name": "x"}}),
                ("GET", "/v2.0/ports?fixed_ips=ip_address%3D1.2.3.4&device_id=x", None),
                ("POST", "/v2.0/security-groups", {"security_group": {"name": "f",
                                                                      "stateful": True}}),
                ("POST", "/v2.0/security-group-rules", {"security_group_rule": {
                    "direction": "ingress", "security_group_id": SERVER, "protocol": "tcp",
                    "port_range_min": 22, "port_range_max": 22,
                    "remote_ip_prefix": "10.0.0.0/8"}}),
                ("PUT", f"/v2.0/security-groups/{SERVER}", {"security_group": {"name": "g"}}),
                ("GET", "/v2.0/security-groups?fields=id&name=default", None)],
    "placement": [("GET", "/resource_providers?name=x&member_of=in:" + SERVER, None),
                  ("GET", "/allocation_candidates?resources=VCPU:1,MEMORY_MB:64&limit=1",
                   None),
                  ("POST", "/resource_providers", {"name": "f"}),
                  ("PUT", "/resource_providers/{provider}/inventories", {
                      "resource_provider_generation": 0,
                      "inventories": {"VCPU": {"total": 4, "max_unit": 2}}}),
                  ("PUT", "/resource_providers/{provider}/traits", {
                      "resource_provider_generation": 0, "traits": ["CUSTOM_F"]}),
                  ("PUT", f"/allocations/{SERVER}", {
                      "allocations": {SERVER: {"resources": {"VCPU": 1}}},
                      "project_id": "p", "user_id": "u", "consumer_generation": None}),
                  ("GET", "/resource_providers/{provider}/inventories", None),
                  ("GET", "/usages?project_id=x", None), ("GET", "/traits?name=in:A,B", None)],
}
ODD_STRINGS = ["\ud800", "\udfff", "\x00", "\x1b[31m", "\u202e", "a" * 70000, "", " ",
               "%", "%ZZ", "..", "/", "😀", "\r\nX-Injected: 1", "null", "[]", "{}", "-1",
               "1e309", "NaN", "0x10", "<script>", "' OR 1=1 --"]
ODD_VALUES = [None, True, False, 0, -1, 2 ** 64, 1.5, float("1e308"), "", [], {}, [[]],
              {"a": {}}, "x" * 5000, "\ud800", ["\x00"]]
MICROVERSIONS = ["compute 2.1000", "compute latest", "compute 3.0", "compute 2.0",
                 "compute \ud800", "compute", "placement 1.999", "placement latest",
                 "compute 2.01", "compute -2.5", "network 2.0", ""]


def _mutate_json(rng, value, depth=0):
    """The same document with one value, key or container swapped for an odd one."""
    if isinstance(value, dict) and value and depth < 5:
        key = rng.choice(list(value))
        out = dict(value)
        roll = rng.random()
        if roll < 0.15:
            out.pop(key)
        elif roll < 0.25:
            out[rng.choice(ODD_STRINGS[:14])] = rng.choice(ODD_VALUES)
        else:
            out[key] = _mutate_json(rng, value[key], depth + 1)
        return out
    if isinstance(value, list) and value and depth < 5:
        out = list(value)
        i = rng.randrange(len(out))
        out[i] = _mutate_json(rng, out[i], depth + 1)
        return out
    return rng.choice(ODD_VALUES + ODD_STRINGS)


def _encode(obj):
    """JSON as a client might send it, unpaired surrogates and all (surrogatepass)."""
    return json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _spoil(rng, method, path, body, token, version=None):
    """(method, raw path, headers, body bytes, declared length or None) for one request
    (``version``: the route's own microversion header, if it has one)."""
    headers = {"X-Auth-Token": token, "Content-Type": "application/json",
               "Accept": "application/json"}
    if version:
        headers["OpenStack-API-Version"] = version
    raw = _encode(body) if body is not None else b""
    declared = None
    kind = rng.randrange(13)
    if kind == 0 and body is not None:
        raw = _encode(_mutate_json(rng, body))
    elif kind == 1:
        raw = _encode(rng.choice(ODD_VALUES + ODD_STRINGS))
    elif kind == 2 and raw:
        raw = raw[:rng.randrange(len(raw))]                # truncated JSON
    elif kind == 3:
        raw = b"{" * rng.choice([1, 100, 5000]) + rng.choice([b"", b"\xff\xfe", b'"a":'])
    elif kind == 4:
        raw = b'{"x": "' + b"y" * rng.choice([120000, 200000]) + b'"}'   # over the limit
    elif kind == 5:
        path += rng.choice(["/", "//", "/%00", "/\ud800", "/..%2F..", "/" + "a" * 3000,
                            "?" + "&".join(["a=b"] * 200), "?limit=-1&marker=\ud800",
                            "?fields=\x00&name=%FF", "/%ZZ", "/" + SERVER + "/x/y"])
    elif kind == 6:
        headers["X-Auth-Token"] = rng.choice(["", " ", "x" * 10000, "\ud800", token + "x",
                                              "gAAAAA" + "=" * 50, "null", "\x7f"])
    elif kind == 7:
        headers["Content-Type"] = rng.choice(["text/plain", "", "application/json; charset=\ud800",
                                              "multipart/form-data; boundary=", "\x00",
                                              "application/json-patch+json",
                                              "application/octet-stream", "*/*;;"])
    elif kind == 8:
        declared = len(raw) + rng.choice([-1, 1, 50]) if raw else rng.choice([5, 999999999])
    elif kind == 9:
        headers["OpenStack-API-Version"] = rng.choice(MICROVERSIONS)
        headers["X-OpenStack-Nova-API-Version"] = rng.choice(["2.1000", "latest", "x", "\ud800"])
    elif kind == 10:
        headers[rng.choice(["X-OpenStack-Request-ID", "User-Agent", "Accept", "X-Subject-Token",
                            "Content-Encoding", "Transfer-Encoding"])] = \
            rng.choice(ODD_STRINGS[:14] + ["chunked", "gzip", "req-\ud800"])
    elif kind == 11:          # a sound body at any microversion the services know
        headers["OpenStack-API-Version"] = rng.choice([f"compute 2.{rng.randint(1, 100)}",
                                                       f"placement 1.{rng.randint(0, 39)}"])
    else:
        method = rng.choice(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
                             "TRACE", "BREW"])
        if body is None and method in ("POST", "PUT", "PATCH"):
            raw = _encode(rng.choice(ODD_VALUES))
    return method, path, headers, raw, declared


def _send(host, port, method, path, headers, raw, declared):
    """One raw HTTP/1.1 request on its own connection: (status, body) or None if dropped."""
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if raw or method in ("POST", "PUT", "PATCH") or declared is not None:
        head.append(f"Content-Length: {declared if declared is not None else len(raw)}")
    data = ("\r\n".join(head) + "\r\n\r\n").encode("utf-8", "surrogatepass") + raw
    # a key pair nova-api generates is pure-Python RSA (labkit/nova/crypto.py): under a
    # few hundred ms of CPU, but seconds on a machine busy with other work
    with socket.create_connection((host, port), timeout=30) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:          # the server answered (413) and closed before reading all
            pass
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    reply = b"".join(chunks)
    if not reply:
        return None
    status_line, _, rest = reply.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def _problem(service, method, path, status, body):
    """What is wrong with one answer, or None."""
    where = f"{service} {method} {path[:100]!r}: {status} {body[:240]!r}"
    if status >= 500:
        return where
    if b"Traceback" in body or b'File "' in body:
        return "traceback: " + where
    if status >= 400 and body and method != "HEAD":
        try:
            doc = json.loads(body)
        except ValueError:
            return "not JSON: " + where
        # a 401 comes from keystonemiddleware, in keystone's form, whichever the service
        forms = (ERROR_FORMS[service], ERROR_FORMS["keystone"]) if status == 401 else \
            (ERROR_FORMS[service],)
        if not (isinstance(doc, dict) and any(form(doc) for form in forms)):
            return "not the service's error form: " + where
    return None


def _made_for_the_run(lab, demo, admin):
    """A server (and its boot's request id), an image and a resource provider for the
    routes to act on."""
    client = Client(lab)
    server_id = client.boot("fuzz-target", networks=[NET], check=False)["id"]
    boot_request = client.last_request_id
    client.wait_for(server_id, "ACTIVE")
    glance, placement = lab.endpoints["glance"], lab.endpoints["placement"]
    image = requests.post(glance + "/v2/images", headers={"X-Auth-Token": demo}, json={
        "name": "fuzz", "disk_format": "qcow2", "container_format": "bare"}).json()
    provider = requests.post(placement + "/resource_providers", json={"name": "fuzz"},
                             headers={"X-Auth-Token": admin,
                                      "OpenStack-API-Version": "placement 1.20"}).json()
    return {"{server}": server_id, "{image}": image["id"], "{provider}": provider["uuid"],
            "{project}": client.project_id, "{user}": client.token_body["user"]["id"],
            "{request}": boot_request}


def test_no_input_breaks_any_api(lab):
    rng = random.Random(SEED)
    demo, admin = get_token(lab, "demo")[0], get_token(lab, "admin")[0]
    ids = _made_for_the_run(lab, demo, admin)
    targets = {s: urlsplit(lab.endpoints[s]) for s in ROUTES}
    answered, problems = 0, {}
    for _ in range(REQUESTS):
        service = rng.choice(list(ROUTES))
        url = targets[service]
        method, path, body, *version = rng.choice(ROUTES[service])
        for name, value in ids.items():
            path = path.replace(name, value)
        # placement is admin-only; half of nova's requests come from an admin, so its
        # admin APIs (services, aggregates, quotas) get past their policy to the body
        token = admin if service == "placement" or (
            service == "nova-api" and rng.random() < 0.5) else demo
        method, path, headers, raw, declared = _spoil(rng, method, url.path.rstrip("/") + path,
                                                      body, token, *version)
        reply = _send(url.hostname, url.port, method, path, headers, raw, declared)
        if reply is not None:
            answered += 1
            problem = _problem(service, method, path, *reply)
            if problem:
                problems.setdefault(problem[:160], problem)
    # the quotas the run set put back, for the lab's next boot (and the module's next tests)
    client = Client(lab)
    quotas = f"/os-quota-sets/{client.project_id}"
    assert Client(lab, "admin").send("DELETE", quotas).status_code == 202
    assert not problems, "\n".join(problems.values())
    assert answered > REQUESTS * 0.9
    # and the lab still works
    server_id = client.boot("after-fuzz", networks=[NET], check=False)["id"]
    client.wait_for(server_id, "ACTIVE")


# -- each 5xx the fuzzing found, pinned at its root ------------------------------------------
def _raw(lab, service, method, path, headers=None, raw=b"", declared=None, user="demo"):
    url = urlsplit(lab.endpoints[service])
    headers = dict({"X-Auth-Token": get_token(lab, user)[0],
                    "Content-Type": "application/json"}, **(headers or {}))
    return _send(url.hostname, url.port, method, url.path.rstrip("/") + path, headers, raw,
                 declared)


def test_a_body_shorter_than_its_content_length_is_a_400(lab):
    """webob's DisconnectionError was every service's 500 (labkit/wsgi/app.py:Router)."""
    status, body = _raw(lab, "neutron", "POST", "/v2.0/security-groups",
                        raw=b'{"security_group": {}}', declared=40)
    assert status == 400 and json.loads(body)["NeutronError"]["message"] == \
        "The client disconnected while sending the body."


def test_a_content_length_that_is_no_number_is_a_400_in_the_services_form(lab):
    """The server's thread died on int("abc"), with no answer (labkit/wsgi/server.py)."""
    status, body = _raw(lab, "glance", "POST", "/v2/images", raw=b"{}", declared="abc")
    assert status == 400 and json.loads(body)["message"] == "Invalid Content-Length: 'abc'"
    status, body = _raw(lab, "nova-api", "POST", "/v2.1/servers", raw=b"{}", declared="\xb2")
    assert status == 400 and list(json.loads(body)) == ["badRequest"]


def test_a_url_that_is_not_utf8_is_a_400(lab):
    """An unpaired surrogate in a path or query: webob's UnicodeDecodeError was a 500,
    and its 0xA0 byte split the request line (labkit/wsgi/app.py:check_utf8, server.py)."""
    for service, path in (("keystone", "/v3/users/\ud800"), ("placement", "/traits/\ud800"),
                          ("neutron", "/v2.0/networks?name=%FF"),
                          ("nova-api", "/v2.1/servers/detail?name=\ud800")):
        status, body = _raw(lab, service, "GET", path, user="admin")
        assert status == 400, (service, body)
        assert ERROR_FORMS[service](json.loads(body)), body
    # UTF-8 that is text is still a path like any other (404: no such user)
    status, _ = _raw(lab, "keystone", "GET", "/v3/users/\u00e9\u00a0", user="admin")
    assert status == 404


def test_a_header_line_too_long_is_answered_in_the_services_form(lab):
    status, body = _raw(lab, "neutron", "GET", "/v2.0/networks",
                        headers={"X-Auth-Token": "a" * 70000})
    assert status == 431 and set(json.loads(body)) == {"NeutronError"}


def test_json_with_an_unpaired_surrogate_is_a_400(lab):
    """glance stored "\\udfff" as an image name: SQLite's UnicodeEncodeError, a 500
    (labkit/wsgi/app.py:loads_body, for every service)."""
    for raw in (b'{"name": "\\udfff", "disk_format": "qcow2", "container_format": "bare"}',
                b'{"name": "\xed\xa0\x80", "disk_format": "qcow2", "container_format": "bare"}'):
        status, body = _raw(lab, "glance", "POST", "/v2/images", raw=raw)
        assert status == 400 and json.loads(body)["message"] == "Malformed request body"
    paired = b'{"name": "\\ud83d\\ude00", "disk_format": "qcow2", "container_format": "bare"}'
    status, body = _raw(lab, "glance", "POST", "/v2/images", raw=paired)
    assert status == 201 and json.loads(body)["name"] == "\U0001f600"


def test_a_port_attribute_of_the_wrong_type_is_a_400(lab):
    """network_id {} reached SQLite's bind (labkit/neutron/pecan_wsgi/controllers/resource.py:
    PORT_CHECKS)."""
    for port, message in (({"network_id": {}}, "Invalid input for network_id. Reason: "
                                                "'{}' is not a valid string."),
                          ({"network_id": NET, "fixed_ips": [1]},
                           "Invalid input for fixed_ips. Reason: Invalid data format for "
                           "fixed IP: '1'."),
                          ({"network_id": NET, "admin_state_up": "maybe"},
                           "Invalid input for operation: 'maybe' cannot be converted to "
                           "boolean.")):
        status, body = _raw(lab, "neutron", "POST", "/v2.0/ports",
                            raw=json.dumps({"port": port}).encode())
        assert status == 400 and json.loads(body)["NeutronError"]["message"] == message


def test_a_network_without_uuid_or_port_is_a_400(lab):
    """nova-api read network['uuid'] unguarded (servers.py:_requested_networks)."""
    resp = Client(lab).post("/servers", json={"server": {
        "name": "x", "imageRef": IMAGE, "flavorRef": "42", "networks": [{}]}})
    assert resp.status_code == 400
    assert resp.json() == {"badRequest": {"code": 400,
                                          "message": "Bad network format: missing 'uuid'"}}


def test_a_provider_generation_no_column_holds_is_a_409(lab):
    """2**64 reached SQLite's bind (placement objects/resource_provider.py)."""
    admin = get_token(lab, "admin")[0]
    base = lab.endpoints["placement"]
    headers = {"X-Auth-Token": admin, "OpenStack-API-Version": "placement 1.20"}
    provider = requests.post(base + "/resource_providers", json={"name": "huge-generation"},
                             headers=headers).json()
    resp = requests.put(f"{base}/resource_providers/{provider['uuid']}/inventories",
                        headers=headers, json={"resource_provider_generation": 2 ** 64,
                                               "inventories": {"VCPU": {"total": 1}}})
    assert resp.status_code == 409
    assert resp.json()["errors"][0]["code"] == "placement.concurrent_update"


def test_a_security_group_name_no_uri_can_carry_is_not_found(lab):
    """addSecurityGroup with a 70,000-character name: the lookup's URI was past the neutron
    server's request-line limit, which closed the connection unanswered, and nova-api
    answered a 500 (labkit/nova/network/neutron.py:API._call refuses such a URI, as
    neutronclient does; security_group_api.find reads it as no such group)."""
    client = Client(lab)
    server_id = client.boot_active("long-group-name", networks=[NET])
    name = "a" * 70000
    for action in ("addSecurityGroup", "removeSecurityGroup"):
        resp = client.post(f"/servers/{server_id}/action", json={action: {"name": name}})
        assert resp.status_code == 404, resp.text[:200]
        assert resp.json()["itemNotFound"]["message"] == \
            f"Security group {name} is not found for project {client.project_id}"
    # a name neutron can be asked about is still looked up, and the server keeps its group
    resp = client.post(f"/servers/{server_id}/action",
                       json={"addSecurityGroup": {"name": "b" * 8000}})
    assert resp.status_code == 404
    groups = client.get(f"/servers/{server_id}/os-security-groups").json()["security_groups"]
    assert [g["name"] for g in groups] == ["default"]


def test_a_request_line_too_long_is_a_414_in_the_services_form(lab):
    """labkit/wsgi/server.py sent its 414 before any command was read, and failed on it."""
    url = urlsplit(lab.endpoints["neutron"])
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(b"GET /v2.0/networks?name=" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 ")
    assert json.loads(body)["NeutronError"]["message"] == "Request-URI Too Long"


def test_a_console_length_past_64_bits_is_the_whole_log(lab):
    """length 2**64 passes nova's schema (no maximum); labkit's RPC JSON (orjson) refused
    the integer and nova-api answered a 500 (labkit/common/jsonutils.py)."""
    client = Client(lab)
    server_id = client.boot_active("long-console", networks=[NET])
    whole = client.post(f"/servers/{server_id}/action",
                        json={"os-getConsoleOutput": {}}).json()["output"]
    for length in (2 ** 64, 10 ** 400):
        resp = client.post(f"/servers/{server_id}/action",
                           json={"os-getConsoleOutput": {"length": length}})
        assert resp.status_code == 200 and resp.json()["output"] == whole


def test_an_image_size_no_int_column_holds_is_a_400(lab):
    """min_ram 2**64 reached SQLite's bind: glance's _validate_db_int and the domain's
    refusal of a negative size (labkit/glance/db/sqlalchemy/api.py, api/v2/images.py)."""
    glance = lab.endpoints["glance"]
    headers = {"X-Auth-Token": get_token(lab, "demo")[0]}
    for key, value, message in (
            ("min_ram", 2 ** 64, "'min_ram' value out of range, must not exceed 2147483647."),
            ("min_disk", -1, "Invalid value '-1' for parameter 'min_disk': Cannot be a "
                             "negative value")):
        resp = requests.post(glance + "/v2/images", headers=headers, json={
            "name": "big", "disk_format": "qcow2", "container_format": "bare", key: value})
        assert resp.status_code == 400 and resp.json()["message"] == message
    image = requests.post(glance + "/v2/images", headers=headers, json={
        "name": "big", "disk_format": "qcow2", "container_format": "bare",
        "min_ram": 2 ** 31 - 1}).json()
    assert image["min_ram"] == 2 ** 31 - 1
    resp = requests.patch(f"{glance}/v2/images/{image['id']}", data=json.dumps(
        [{"op": "replace", "path": "/min_disk", "value": 2 ** 31}]), headers=dict(
        headers, **{"Content-Type": "application/openstack-images-v2.1-json-patch"}))
    assert resp.status_code == 400
    assert resp.json()["message"] == "'min_disk' value out of range, must not exceed 2147483647."
