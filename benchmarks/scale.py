"""Scale: many servers on many hosts, and how the scheduler's cost grows with hosts.

- throughput: ``servers`` boots from ``threads`` client threads (in their own
  process) onto ``hosts`` compute hosts; the time until every server is ACTIVE
  or ERROR.  Once with one POST per server; once more with
  ``[scheduler] max_placement_results`` at 10 and placement randomizing which
  candidates it keeps (what large clouds do to cut each boot's scheduling);
  once with nova's multi-create (``min_count``/``max_count``, ``openstack
  server create --min 50 --max 50``): one request, one ``select_destinations``
  call for the whole batch.
- scheduling: the time of each ``select_destinations`` call (from the call to
  its reply, read from the trace) at 10, 100 and 1,000 hosts.
"""
import concurrent.futures
import statistics
import time

from benchmarks.client import QUOTA

BULK = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"   # data/networks.json: 10.10.0.0/20


def _client_boots(auth_url, compute_url, servers, threads, per_request=1):
    """POST ``servers`` boots, ``per_request`` at a time (nova's min_count/max_count),
    then poll until no server is BUILD; returns (seconds, ACTIVE count, ERROR count)."""
    from benchmarks.client import compute

    def worker(index):
        client = compute(auth_url, compute_url, user="admin")   # bulk is admin's network
        for n in range(index, servers // per_request, threads):
            resp = client.post("/servers", json={"server": {
                "name": f"scale-{n}", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf",
                "flavorRef": "42", "networks": [{"uuid": BULK}],
                "min_count": per_request, "max_count": per_request}})
            if resp.status_code != 202:
                raise RuntimeError(f"POST /servers answered {resp.status_code}: {resp.text}")
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    client = compute(auth_url, compute_url, user="admin")
    # "is any server still building?": the short list, filtered by status in SQL, one
    # server long (a list of 1,000 servers every poll would itself be real work for nova)
    while client.get("/servers?status=BUILD&limit=1").json()["servers"]:
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    statuses = [s["status"] for s in
                client.get("/servers/detail?limit=100000").json()["servers"]]
    return elapsed, statuses.count("ACTIVE"), statuses.count("ERROR")


def throughput(hosts=100, servers=1000, threads=8, per_request=1, **options):
    import labkit
    from benchmarks.client import in_own_process
    with labkit.start(computes=hosts, compute_workers=1, **QUOTA, **options) as lab:
        return in_own_process(_client_boots, lab.auth_url, lab.compute_url, servers, threads,
                              per_request)


def scheduling_cost(host_counts=(10, 100, 1000), boots=20):
    """{hosts: median ms of select_destinations}, with lab start-up time for each."""
    import labkit
    from labkit.client import Client
    out = {}
    for hosts in host_counts:
        t0 = time.perf_counter()
        lab = labkit.start(computes=hosts, compute_workers=1, **QUOTA)
        startup = time.perf_counter() - t0
        try:
            client = Client(lab)
            for n in range(boots):
                server = client.boot(f"sched-{n}", check=False)
                client.wait(server["id"], "ACTIVE", poll=0.002)
            calls = {e["msg_id"]: e["t"] for e in lab.trace.events(kind="call")
                     if e["name"] == "select_destinations"}
            durations = [e["t"] - calls[e["msg_id"]] for e in lab.trace.events(kind="reply")
                         if e["name"] == "select_destinations" and e["msg_id"] in calls]
            out[hosts] = (statistics.median(durations), startup)
        finally:
            lab.stop()
    return out


def plot_scheduling(cost, path):
    """The curve of ``scheduling_cost``: select_destinations against hosts, on log scales,
    beside the line that grows in proportion to the hosts (the target's "at most linear")."""
    import matplotlib
    import matplotlib.ticker
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    hosts = sorted(cost)
    ms = [cost[h][0] * 1000 for h in hosts]
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot(hosts, [ms[0] * h / hosts[0] for h in hosts], "--", color="#999999",
            label="in proportion to the hosts")
    ax.plot(hosts, ms, "o-", color="#D55E00", label="measured (median)")
    for h, value in zip(hosts, ms):
        last = h == hosts[-1]
        ax.annotate(f"{value:.1f} ms", (h, value), textcoords="offset points",
                    xytext=(-8, 0) if last else (8, -4), ha="right" if last else "left",
                    va="center")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(hosts, [f"{h:,}" for h in hosts])
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.minorticks_off()
    ax.set_xlabel("compute hosts")
    ax.set_ylabel("select_destinations (ms)")
    ax.set_title("scheduling cost per boot")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def rows(quick=False):
    """(the table's rows, {profile file name: the CPU-by-hop report of a run} for the
    multi-create run and the default one-POST run, ``scheduling_cost``'s result)."""
    from benchmarks import hop_cpu
    lines = []
    hosts, servers = (10, 40) if quick else (100, 1000)
    batch = 10 if quick else 50
    limit = 3 if quick else 10
    *one_each, one_each_hops = hop_cpu.throughput(hosts, servers, 8, 1)
    limited = throughput(hosts, servers, 8, 1, max_placement_results=limit,
                         randomize_allocation_candidates=True)
    *multi, multi_hops = hop_cpu.throughput(hosts, servers, 4, batch)
    for (elapsed, active, error), how in (
            (one_each, "one POST each, 8 client threads"),
            (limited, f"one POST each, max_placement_results {limit}, randomized"),
            (multi, f"POSTs of max_count {batch}, 4 client threads")):
        lines.append(f"| {servers:,} servers on {hosts} hosts ({how}) settle | "
                     f"{elapsed:.1f} s | | {active} ACTIVE, {error} ERROR | "
                     f"< 10 s {'' if quick else ('met' if elapsed < 10 else 'missed')} | "
                     "≈ 0.58 s per boot |")
    counts = (10, 30) if quick else (10, 100, 1000)
    cost = scheduling_cost(counts, boots=5 if quick else 20)
    base = cost[counts[0]][0]
    for hosts, (median, startup) in cost.items():
        lines.append(f"| select_destinations at {hosts:,} hosts | {median * 1000:.1f} ms | | "
                     f"×{median / base:.1f} for ×{hosts // counts[0]} hosts; lab start "
                     f"{startup:.1f} s | linear or better | |")
    return lines, {"throughput.txt": multi_hops, "throughput-one-post.txt": one_each_hops}, cost
