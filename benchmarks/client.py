"""The measuring client: runs in its own process, like a learner's client (and, for
the rows that say so, in the kernel beside the lab: ``benchmarks/in_kernel.py``).

It is ``labkit.client.Client``, the notebooks' client, built from the lab's URLs
with a real token; it times each flow from the HTTP request until polling the API
(every ``poll`` seconds) sees the target status — what performance-notes.md
calls "measure like a client".  Its requests go over ``KeepAlive``, one
keep-alive ``http.client`` connection per host: a ``requests.Session`` costs
about four times the client's own CPU a request, which the kernel's rows would
count against the lab.
"""
import http.client
import json
import time
from urllib.parse import urlsplit

from labkit.client import Client, ClientError

IMAGE = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"

# a quota no benchmark reaches (nova's default is 10 servers a project)
QUOTA = {"quota_instances": 10**6, "quota_cores": 10**7, "quota_ram": 10**10}


class Refused(ClientError):
    """nova answered an action with an error: ``status``, its fault ``body`` and the
    fault's ``message``."""

    def __init__(self, action, status, body):
        super().__init__(status, body)
        self.action = action

    @property
    def not_served(self):
        """True when this lab has no such action (nova-api's 400 "There is no such
        action: ..."), not when it refused it for this server."""
        return self.status == 400 and self.message.startswith("There is no such action")


class Answer:
    """An HTTP answer with the parts of ``requests.Response`` the client reads."""

    def __init__(self, status_code, headers, content):
        self.status_code, self.headers, self.content = status_code, headers, content

    @property
    def text(self):
        return self.content.decode()

    def json(self):
        return json.loads(self.content)


class KeepAlive:
    """What carries a benchmark client's requests: ``requests.Session.request``'s
    call, over one keep-alive ``http.client`` connection per host."""

    def __init__(self):
        self._connections = {}

    def request(self, method, url, headers=None, data=None, timeout=60):
        parts = urlsplit(url)
        conn = self._connections.get(parts.netloc)
        if conn is None:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
            self._connections[parts.netloc] = conn
        conn.request(method, f"{parts.path}?{parts.query}" if parts.query else parts.path,
                     data, headers or {})
        resp = conn.getresponse()
        return Answer(resp.status, resp.headers, resp.read())


def compute(auth_url, compute_url, user="demo", microversion=None):
    """The benchmarks' client of the lab at ``auth_url`` as ``user`` (the seeded users'
    password is "secret", their project their name), over ``KeepAlive``."""
    client = Client(user=user, microversion=microversion, auth_url=auth_url,
                    password="secret", compute_url=compute_url, session=KeepAlive())
    client.authenticate()
    return client


def boot(client, name, poll):
    """POST /servers and poll until ACTIVE: (the server's id, the seconds it took)."""
    start = time.perf_counter()
    server_id = client.boot(name, image=IMAGE, check=False)["id"]
    client.wait(server_id, "ACTIVE", poll=poll)
    return server_id, time.perf_counter() - start


def act(client, server_id, action, status, poll, value=None, away_from=None):
    """POST ``{action: value}`` and poll until ``status``: the seconds it took.
    ``Refused`` if nova does not accept the action (202 or, as for
    ``confirmResize``, 204)."""
    start = time.perf_counter()
    try:
        client.action(server_id, action, value)
    except ClientError as error:
        raise Refused(action, error.status, error.body) from None
    client.wait(server_id, status, poll=poll, away_from=away_from)
    return time.perf_counter() - start


def one_round(client, name, poll):
    """Boot, shelve, unshelve, delete one server: (boot, shelve, unshelve) seconds."""
    server_id, booted = boot(client, name, poll)
    shelved = act(client, server_id, "shelve", "SHELVED_OFFLOADED", poll)
    unshelved = act(client, server_id, "unshelve", "ACTIVE", poll)
    client.delete(server_id)
    return booted, shelved, unshelved


def in_own_process(fn, *args):
    """``fn(*args)`` in a fresh process (``spawn``): the client never shares the lab's
    interpreter lock, as a learner's client would not."""
    import multiprocessing
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def run_flows(auth_url, compute_url, rounds, poll, warmup=3):
    """Boot, shelve, unshelve ``rounds`` times; returns {flow: [seconds]}."""
    client = compute(auth_url, compute_url)
    times = {"boot → ACTIVE": [], "shelve → SHELVED_OFFLOADED": [], "unshelve → ACTIVE": []}
    for i in range(warmup + rounds):
        flows = one_round(client, f"bench-{i}", poll)
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
    client = compute(auth_url, compute_url)
    boots = {True: [], False: []}
    with socket.create_connection(("127.0.0.1", switch_port)) as switch:
        for i in range(rounds):
            on = i % 4 in (0, 3)
            switch.sendall(b"1" if on else b"0")
            switch.recv(1)
            boots[on].append(one_round(client, f"toggle-{i}", poll)[0])
        switch.sendall(b".")
        switch.recv(1)
    return boots
