"""Moving a server: resize + confirm, and live migration, timed like the other flows
(the client in its own process, polling ``GET /servers/{id}`` every ``poll`` seconds).

- resize: ``POST /servers/{id}/action {"resize": {"flavorRef": ...}}`` (202; RESIZE
  until the destination host has finished it, then VERIFY_RESIZE), then
  ``{"confirmResize": null}`` (204; VERIFY_RESIZE until the source host has dropped
  the old allocation and the server is ACTIVE again): the row is the two together,
  the server's owner asking;
- live migration: an admin's ``{"os-migrateLive": {"host": null, "block_migration":
  "auto"}}`` (the body since 2.25) at microversion 2.34, the first where nova-api
  casts it to the conductor rather than waiting for the conductor's checks before
  its 202; 202, MIGRATING, then ACTIVE on the host the scheduler chose, polled as
  admin, who sees the host.

Each server moves once: the servers are booted first (not timed) and deleted at the
end, so no move starts while the source host still cleans up after the last one.
"""
import statistics

from benchmarks.client import Refused, act, boot, compute
from labkit.client import ClientError

RESIZE = "resize + confirm → ACTIVE"
LIVE_MIGRATION = "live migration → ACTIVE on another host"
PARTS = ("resize → VERIFY_RESIZE", "confirmResize → ACTIVE")
NEW_FLAVOR = "84"                     # m1.micro, from the benchmark's m1.nano (42)
# os-migrateLive's body with "block_migration": "auto" is 2.25's; 2.34 is the first
# microversion where nova-api casts it to the conductor, as every later one does
MICROVERSION = "2.34"


def run_moves(auth_url, compute_url, rounds, poll, warmup=3, names=(RESIZE, LIVE_MIGRATION)):
    """{row: [seconds]} for the rows ``names`` (and the resize's two parts), or {row: why
    not} where the lab refused: an action it does not serve yet is a row left out, never
    a failed ``make bench``."""
    demo = compute(auth_url, compute_url)
    out = {}
    for name in names:
        servers = [boot(demo, f"move-{i}", poll)[0] for i in range(warmup + rounds)]
        try:
            out.update(move(auth_url, compute_url, name, servers, poll, warmup))
        finally:
            for server_id in servers:
                demo.send("DELETE", f"/servers/{server_id}")
    return out


def move(auth_url, compute_url, name, servers, poll, warmup=0):
    """Move each of ``servers`` (ACTIVE, the demo project's) once, the ``name`` row's
    way: {row: [seconds]} without the first ``warmup`` moves, or {name: why not}."""
    demo = compute(auth_url, compute_url)
    admin = compute(auth_url, compute_url, user="admin", microversion=MICROVERSION)
    measure = _resizes if name == RESIZE else _live_migrations
    try:
        return measure(demo, admin, servers, poll, warmup)
    except Refused as refused:
        return {name: why_not(refused)}
    except (ClientError, TimeoutError) as error:
        return {name: f"failed: {error}"}


def _resizes(demo, admin, servers, poll, warmup):
    resize, confirm = [], []
    for server_id in servers:
        resize.append(act(demo, server_id, "resize", "VERIFY_RESIZE", poll,
                          {"flavorRef": NEW_FLAVOR}))
        confirm.append(act(demo, server_id, "confirmResize", "ACTIVE", poll))
    resize, confirm = resize[warmup:], confirm[warmup:]
    return {RESIZE: [a + b for a, b in zip(resize, confirm)],
            PARTS[0]: resize, PARTS[1]: confirm}


def _live_migrations(demo, admin, servers, poll, warmup):
    times = []
    for server_id in servers:
        source = admin.wait(server_id, "ACTIVE", poll=poll)["OS-EXT-SRV-ATTR:host"]
        times.append(act(admin, server_id, "os-migrateLive", "ACTIVE", poll,
                         {"host": None, "block_migration": "auto"}, away_from=source))
    return {LIVE_MIGRATION: times[warmup:]}


def profile(name, moves=20, poll=0.001):
    """Where a move's CPU goes, hop by hop (``hop_cpu``): ``moves`` servers booted, then
    moved by a client in its own process while the lab's hops are charged.  The
    report's text, or ``None`` when the lab does not serve the move."""
    import labkit
    from benchmarks import hop_cpu
    from benchmarks.client import QUOTA, in_own_process
    with labkit.start(**QUOTA) as lab:
        demo = compute(lab.auth_url, lab.compute_url)
        servers = [boot(demo, f"p-{i}", poll)[0] for i in range(moves + 3)]
        warm = in_own_process(move, lab.auth_url, lab.compute_url, name, servers[:3], poll)
        if isinstance(warm.get(name), str):
            return None
        lab.wait_idle(0.05)
        title = (f"CPU of {moves} moves, {name} (the client in its own process, polling "
                 f"every {poll * 1000:g} ms; servers booted before)")
        return hop_cpu.per_operation(
            lambda: (in_own_process(move, lab.auth_url, lab.compute_url, name,
                                    servers[3:], poll), lab.wait_idle(0.05)), moves, title)


def why_not(refused):
    """The table's words for a refused action."""
    if refused.not_served:
        return f"not measured: this lab does not serve `{refused.action}` yet"
    return f"failed: `{refused.action}` answered {refused.status} {refused.message}".rstrip()


def parts_text(samples, unit=1000.0):
    """The resize row's note: the median of each part, as 'resize 21.0 + confirm 9.5 ms'."""
    resize, confirm = (statistics.median(samples[name]) * unit for name in PARTS)
    return f"resize {resize:.1f} + confirm {confirm:.1f} ms"
