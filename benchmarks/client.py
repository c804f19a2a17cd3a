"""The measuring client: runs in its own process, like a learner's client (and, for
the rows that say so, in the kernel beside the lab: ``benchmarks/in_kernel.py``).

It talks to the lab over a keep-alive ``http.client`` connection with a real
token and times each flow from the HTTP request until polling the API (every
``poll`` seconds) sees the target status — what performance-notes.md calls
"measure like a client".
"""
import http.client
import json
import time
from urllib.parse import urlsplit

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"

# a quota no benchmark reaches (nova's default is 10 servers a project)
QUOTA = {"quota_instances": 10**6, "quota_cores": 10**7, "quota_ram": 10**10}


class Refused(Exception):
    """nova answered an action with an error: ``status``, its fault ``body`` and the
    fault's ``message``."""

    def __init__(self, action, status, body):
        self.action, self.status, self.body = action, status, body
        fault = next(iter(body.values()), None) if isinstance(body, dict) else None
        self.message = fault.get("message", "") if isinstance(fault, dict) else ""
        super().__init__(f"{action}: {status} {self.message or body}")

    @property
    def not_served(self):
        """True when this lab has no such action (nova-api's 400 "There is no such
        action: ..."), not when it refused it for this server."""
        return self.status == 400 and self.message.startswith("There is no such action")


class Compute:
    def __init__(self, auth_url, compute_url, user="demo", password="secret",
                 microversion=None):
        self.compute = urlsplit(compute_url)
        self.microversion = microversion
        keystone = urlsplit(auth_url)
        conn = http.client.HTTPConnection(keystone.hostname, keystone.port)
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"name": "Default"}, "password": password}}},
            "scope": {"project": {"name": user, "domain": {"name": "Default"}}}}}
        conn.request("POST", keystone.path + "/auth/tokens", json.dumps(body),
                     {"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        self.token = resp.getheader("X-Subject-Token")
        conn.close()
        self.conn = http.client.HTTPConnection(self.compute.hostname, self.compute.port)

    def call(self, method, path, body=None):
        headers = {"X-Auth-Token": self.token, "Content-Type": "application/json"}
        if self.microversion:
            headers["OpenStack-API-Version"] = f"compute {self.microversion}"
        self.conn.request(method, self.compute.path + path,
                          json.dumps(body) if body is not None else None, headers)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, (json.loads(data) if data else None)

    def wait(self, server_id, status, poll, timeout=30, away_from=None):
        """Poll until the server has ``status`` (and, with ``away_from``, a host other
        than that one: what an admin sees of a live migration); returns the server."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            code, body = self.call("GET", f"/servers/{server_id}")
            server = body["server"]
            got = server["status"]
            if got == status and (away_from is None or
                                  server.get("OS-EXT-SRV-ATTR:host") not in (away_from, None)):
                return server
            if got == "ERROR":
                raise RuntimeError(f"server {server_id} went to ERROR")
            time.sleep(poll)
        raise TimeoutError(f"{server_id} did not reach {status}")

    def boot(self, name, poll):
        start = time.perf_counter()
        code, body = self.call("POST", "/servers", {"server": {
            "name": name, "imageRef": IMAGE, "flavorRef": "42"}})
        assert code == 202, body
        server_id = body["server"]["id"]
        self.wait(server_id, "ACTIVE", poll)
        return server_id, time.perf_counter() - start

    def act(self, server_id, action, status, poll, value=None, away_from=None):
        """POST ``{action: value}`` and poll until ``status``: the seconds it took.
        ``Refused`` if nova does not accept the action (202 or, as for
        ``confirmResize``, 204)."""
        start = time.perf_counter()
        code, body = self.call("POST", f"/servers/{server_id}/action", {action: value})
        if code not in (202, 204):
            raise Refused(action, code, body)
        self.wait(server_id, status, poll, away_from=away_from)
        return time.perf_counter() - start

    def round(self, name, poll):
        """Boot, shelve, unshelve, delete one server: (boot, shelve, unshelve) seconds."""
        server_id, boot = self.boot(name, poll)
        shelve = self.act(server_id, "shelve", "SHELVED_OFFLOADED", poll)
        unshelve = self.act(server_id, "unshelve", "ACTIVE", poll)
        self.call("DELETE", f"/servers/{server_id}")
        return boot, shelve, unshelve


def in_own_process(fn, *args):
    """``fn(*args)`` in a fresh process (``spawn``): the client never shares the lab's
    interpreter lock, as a learner's client would not."""
    import multiprocessing
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def run_flows(auth_url, compute_url, rounds, poll, warmup=3):
    """Boot, shelve, unshelve ``rounds`` times; returns {flow: [seconds]}."""
    client = Compute(auth_url, compute_url)
    times = {"boot → ACTIVE": [], "shelve → SHELVED_OFFLOADED": [], "unshelve → ACTIVE": []}
    for i in range(warmup + rounds):
        flows = client.round(f"bench-{i}", poll)
        if i >= warmup:
            for key, value in zip(times, flows):
                times[key].append(value)
    return times


def run_toggled_flows(auth_url, compute_url, rounds, poll, switch_port):
    """``run_flows``'s rounds with the lab's trace turned on and off round by round.

    Before each round the client asks the lab, over a socket to ``switch_port``,
    to turn its trace on or off (ABBA: on, off, off, on ...) and waits for the
    answer; returns {True: [boot seconds with the trace], False: [... without]}.
    Adjacent rounds share the machine's state, so its drift cancels out.
    """
    import socket
    client = Compute(auth_url, compute_url)
    boots = {True: [], False: []}
    with socket.create_connection(("127.0.0.1", switch_port)) as switch:
        for i in range(rounds):
            on = i % 4 in (0, 3)
            switch.sendall(b"1" if on else b"0")
            switch.recv(1)
            boots[on].append(client.round(f"toggle-{i}", poll)[0])
        switch.sendall(b".")
        switch.recv(1)
    return boots
