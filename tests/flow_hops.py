"""What a move test reads from a lab's trace: the RPC hops, placement requests, state
saves and migration record statuses of one request, in the shapes lifecycle-flows.md
lists them (/work/shared/reference: nova 34's captured flows)."""

OBJECT_CALLS = ("object_action", "object_class_action_versions")


def rpc_hops(events):
    """(kind, src, dst, method, topic) of each cast and call, the conductor's object
    calls (nova-compute's saves) left out, as the reference leaves them out."""
    return [(e["kind"], e["src"], e["dst"], e["name"], e.get("topic")) for e in events
            if e["kind"] in ("cast", "call") and e["name"] not in OBJECT_CALLS]


def placement_calls(events):
    """(caller, "METHOD /path") of each request to placement."""
    return [(e["src"], e["name"]) for e in events
            if e["kind"] == "http" and e["dst"] == "placement"]


def state_saves(events):
    """(saver, {key: new value}) of each save that changed vm/task/power state or host."""
    out = []
    for e in events:
        if e["kind"] == "db" and e.get("states"):
            before, after = e["states"]["before"] or {}, e["states"]["after"]
            out.append((e["src"], {k: v for k, v in after.items() if before.get(k) != v}))
    return out


def migration_statuses(events):
    """(saver, db hop, status) of each migration record write."""
    return [(e["src"], e["name"], e["migration"]["status"]) for e in events
            if e["kind"] == "db" and e["name"] in ("migration_create", "migration_update")]
