"""Where a lab's CPU goes, hop by hop: each thread's CPU time charged to the HTTP
request or the RPC message it was serving.

The whole-lab profile (profile.py) says which *functions* cost; this says which
*hops* do, and it is where the README's "where a server's CPU goes" comes from.
It wraps the two places where every hop is served, the RPC servers' dispatch and
the WSGI servers' request handler, and reads ``time.thread_time`` around each.
A hop's own calls to other services run on those services' threads and are
charged there. So the rows add up to the lab's CPU without counting anything
twice. A caller's waiting costs no CPU; its encoding and decoding of what it
sends and gets back is charged to its own hop.

``make bench`` measures the table's multi-create and default one-POST
throughput rows through it (the wrappers cost a clock read per hop) and writes
the reports to benchmarks/profiles/throughput.txt and throughput-one-post.txt:
the second is the profile of the one row that misses its target.
"""
import collections
import contextlib
import re
import threading
import time

_ID = re.compile(r"^[0-9a-f-]{32,36}$")


def _http_key(server_name, environ):
    parts = (environ.get("PATH_INFO") or "/").strip("/").split("/")
    path = "/".join("*" if _ID.match(p) else p for p in parts[:4])
    return f"{server_name}: {environ['REQUEST_METHOD']} /{path}"


@contextlib.contextmanager
def charged():
    """Within the block, {hop: [calls, CPU seconds]} of every lab served in this process."""
    from labkit.messaging import server as rpc_server
    from labkit.wsgi import server as wsgi_server
    totals = collections.defaultdict(lambda: [0, 0.0])
    lock = threading.Lock()
    dispatch, run = rpc_server.RPCServer._dispatch, wsgi_server._RequestHandler._run

    def _charge(key, started):
        spent = time.thread_time() - started
        with lock:
            entry = totals[key]
            entry[0] += 1
            entry[1] += spent

    def charged_dispatch(self, msg):
        started = time.thread_time()
        try:
            return dispatch(self, msg)
        finally:
            _charge(f"{self.node.split('@')[0]}: {msg.get('method')}", started)

    def charged_run(self, environ):
        started = time.thread_time()
        try:
            return run(self, environ)
        finally:
            _charge(_http_key(self.server.name, environ), started)

    rpc_server.RPCServer._dispatch = charged_dispatch
    wsgi_server._RequestHandler._run = charged_run
    try:
        yield totals
    finally:
        rpc_server.RPCServer._dispatch = dispatch
        wsgi_server._RequestHandler._run = run


def throughput(hosts=100, servers=1000, threads=4, per_request=50, top=25):
    """``scale.throughput``, charged hop by hop: (seconds, ACTIVE, ERROR, the report's text)."""
    from benchmarks import scale
    settled = []

    def run():
        settled.extend(scale.throughput(hosts, servers, threads, per_request))
    how = "one POST each" if per_request == 1 else f"POSTs of max_count {per_request}"

    def title():
        return (f"CPU of {servers:,} servers on {hosts} hosts ({how}, {threads} client "
                f"threads): {settled[1]} ACTIVE, {settled[2]} ERROR, settled in "
                f"{settled[0]:.1f} s")
    text = per_operation(run, servers, title, top, unit="server",
                         note="start and stop included")
    return (*settled, text)


def per_operation(run, operations, title, top=25, unit="move", note=""):
    """``run()`` (``operations`` of them), charged hop by hop: the report's text,
    ``title`` first (or what ``title()`` says after the run), then the lab's CPU and
    the hops that took most of it."""
    started, cpu = time.perf_counter(), time.process_time()
    with charged() as totals:
        run()
    lab_cpu = time.process_time() - cpu
    wall = time.perf_counter() - started
    rows = sorted(totals.items(), key=lambda item: -item[1][1])
    charged_cpu = sum(spent for _, spent in totals.values())
    lines = [title() if callable(title) else title,
             f"the lab's process: {lab_cpu:.1f} s of CPU in {wall:.1f} s "
             f"({lab_cpu / operations * 1000:.1f} ms per {unit}{'; ' + note if note else ''}), "
             f"{charged_cpu / lab_cpu:.0%} of it charged to a hop below", "",
             f"{'hop (serving service: request or RPC method)':<58} {'calls':>7} "
             f"{'per ' + unit:>10} {'ms/' + unit:>9} {'ms/call':>8}"]
    for key, (calls, spent) in rows[:top]:
        lines.append(f"{key[:58]:<58} {calls:>7} {calls / operations:>10.2f} "
                     f"{spent / operations * 1000:>9.2f} {spent / calls * 1000:>8.2f}")
    return "\n".join(lines) + "\n"


def report(hosts=100, servers=1000, per_request=50):
    """Only the text of ``throughput``'s report."""
    return throughput(hosts, servers, per_request=per_request)[3]
