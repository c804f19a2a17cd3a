"""Small, repeatable views of what the lab recorded (text only, no widgets).

They print ids and names but never times or tokens, so a saved notebook
compares cleanly under nbval.
"""
import inspect
import json
import os
from urllib.parse import urlsplit

from labkit.trace import query
from labkit.trace.query import first  # noqa: F401  (course.first)


def pretty(data, keys=None, limit=None):
    """Print JSON indented; ``keys`` keeps only those top-level keys."""
    if keys is not None and isinstance(data, dict):
        data = {k: data[k] for k in keys if k in data}
    text = json.dumps(data, indent=2, sort_keys=False, default=str)
    if limit and len(text) > limit:
        text = text[:limit] + "\n  ... (cut)"
    print(text)


def folded(line, width=100):
    """Print one ``--debug`` line of labkit's client without its headers, cut at ``width``
    characters: ``REQ: <method> <path> <body>``, ``RESP: [<status>] (headers folded)``,
    and any other line (``RESP BODY: ...``) as it is.  Give it to a client as its output,
    ``client.out = course.folded``, to read a request's lines without their headers."""
    if line.startswith("REQ: curl "):
        url = urlsplit(line.split("'")[1])
        method = line.split(" -X ", 1)[1].split()[0]
        body = line.split(" -d ", 1)[1] if " -d " in line else ""
        path = url.path + (f"?{url.query}" if url.query else "")
        line = f"REQ: {method} {path} {body}".rstrip()
    elif line.startswith("RESP: ["):
        line = line.split("] ", 1)[0] + "] (headers folded)"
    print(line if len(line) <= width else line[:width] + " …")


def hops(trace, request_id):
    """(kind, src, dst, name) for the RPC hops of one request, without the conductor's
    object-proxy calls (``labkit.trace.query.hops`` as tuples, for printing)."""
    return [(e["kind"], e["src"], e["dst"], e["name"])
            for e in query.hops(trace.events(request_id), kinds=query.RPC)]


def show_message(event, args=True, limit=1200):
    """Print one RPC hop the way the bus addressed it, then its arguments."""
    fields = ("kind", "src", "dst", "name", "exchange", "routing_key", "topic", "server",
              "fanout", "version", "handler")
    for key in fields:
        if event.get(key) is not None:
            print(f"{key:<12} {event[key]}")
    if args and event.get("payload") is not None:
        print("args:")
        pretty(_shorten(event["payload"]), limit=limit)


def _shorten(value, depth=0):
    """Nova objects are long: keep their name and the first fields of their data."""
    if isinstance(value, dict):
        if "nova_object.name" in value:
            data = value.get("nova_object.data", {})
            keep = {k: _shorten(v, depth + 1) for k, v in list(data.items())[:8]}
            if len(data) > 8:
                keep["..."] = f"{len(data) - 8} more fields"
            return {"nova_object.name": value["nova_object.name"], "nova_object.data": keep}
        return {k: _shorten(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v, depth + 1) for v in value[:5]]
    return value


def state_changes(trace, instance_uuid):
    """Each change of (vm_state, task_state, power_state, host) written to the database,
    in order, with who wrote it: ``((vm, task, power, host), src, name)``
    (``labkit.trace.query.states(..., changes_only=True)`` as tuples, for printing)."""
    rows = query.states(trace.events(kind="db"), instance_uuid, changes_only=True)
    return [((r["vm_state"], r["task_state"], r["power_state"], r["host"]), r["src"], r["name"])
            for r in rows]


def show_source(obj, mirrors=None, lines=None):
    """Print a labkit function's source (optionally the first ``lines`` lines),
    headed by where it lives and the nova function it mirrors."""
    target = inspect.unwrap(obj)
    where = f"{target.__module__.replace('.', '/')}.py:{target.__qualname__}"
    print(f"# {where}" + (f"   (mirrors {mirrors})" if mirrors else ""))
    source = inspect.getsource(target).rstrip().splitlines()
    if lines and len(source) > lines:
        source = source[:lines] + ["    ..."]
    print("\n".join(source))


def over_rabbitmq(lab, request_id):
    """Print what RabbitMQ carried for one request, in lines a seeded run repeats exactly,
    or that it carried nothing: ``lab`` is None where the notebook found no broker.

    The cells that drive the multi-process lab print pids and queue listings, which
    change from run to run, so nbval ignores their output.  A cell that prints this
    one is compared: a run without a broker (``✗ not run ...``) cannot pass for a run
    with one (``✓ ...``).  Returns True or False and never raises, so a learner
    without RabbitMQ reads on.

    ✓ only for a lab of service processes (none of them this kernel) on a
    ``rabbit://`` transport whose RPC hops of ``request_id`` came back into this
    kernel's trace, which only the processes' ``labkit.trace`` exchange can bring.
    """
    if lab is None:
        print("✗ not run: no RabbitMQ broker answered, so no message crossed one here "
              "(tools/rabbitmq.sh start in a terminal, then run this section again)")
        return False
    pids = {proc.pid for proc in getattr(lab, "processes", {}).values()}
    if not str(getattr(lab, "transport_url", "")).startswith("rabbit://") or len(pids) < 2 \
            or os.getpid() in pids:
        print(f"✗ not over RabbitMQ: {type(lab).__name__} runs its services in this kernel")
        return False
    rpc = hops(lab.trace, request_id)
    if not rpc:
        print("✗ no RPC hop of this request came back from the service processes")
        return False
    print(f"✓ {len(pids)} service processes, none of them this kernel; RPC over RabbitMQ:")
    for kind, src, dst, name in rpc:
        print(f"  {kind:<5} {src:<24} -> {dst:<24} {name}")
    return True
