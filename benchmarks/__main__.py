"""Run labkit's benchmarks and print (and save) the results table.

    python -m benchmarks            # full run, updates benchmarks/results.md and the README
    python -m benchmarks --quick    # a smoke run (what ``make test`` checks)

Benchmarks are never timed tests: they measure and report; targets are
compared in the table, not asserted.
"""
import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = {"start a lab (cold, imports included)": None, "start a lab (warm)": 0.5,
           "boot → ACTIVE": 0.025, "shelve → SHELVED_OFFLOADED": 0.010,
           "unshelve → ACTIVE": 0.020, "resize + confirm → ACTIVE": 0.040,
           "live migration → ACTIVE on another host": 0.040}
REAL_NOVA = {"start a lab (cold, imports included)": "≈ 4.5 s", "start a lab (warm)": "≈ 1.5 s",
             "boot → ACTIVE": "≈ 460 ms", "shelve → SHELVED_OFFLOADED": "≈ 170 ms",
             "unshelve → ACTIVE": "≈ 330 ms"}


def _cold_start():
    code = ("import time; t=time.perf_counter(); import labkit; lab=labkit.start(); "
            "print(time.perf_counter()-t); lab.stop()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def _warm_start(rounds):
    import labkit
    labkit.start().stop()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        lab = labkit.start()
        times.append(time.perf_counter() - t)
        lab.stop()
    return times


def _blocks(rounds, size=10):
    """``rounds`` cut into blocks of at most ``size``: 30 → [10, 10, 10], 25 → [10, 10, 5]."""
    return [min(size, rounds - start) for start in range(0, rounds, size)]


def _flows(rounds, poll):
    """One lab's flows, timed by the client in its own process, by the same client in
    the kernel, and by the course's client as a notebook cell, taking turns in blocks
    of rounds so that all three see the same stretch of the machine (each flow's three
    rows side by side); then the moves.  {row: [seconds]}, or {row: why not measured}."""
    import labkit
    from benchmarks import in_kernel, moves
    from benchmarks.client import QUOTA, in_own_process, run_flows
    out = {}
    with labkit.start(**QUOTA) as lab:
        for block, size in enumerate(_blocks(rounds)):
            warmup = 3 if block == 0 else 1
            own = in_own_process(run_flows, lab.auth_url, lab.compute_url, size, poll, warmup)
            kernel = in_kernel.kernel_rows(
                run_flows(lab.auth_url, lab.compute_url, size, poll, warmup), poll)
            cell = in_kernel.run_cell_flows(lab, size, warmup)
            for rows in zip(own.items(), kernel.items(), cell.items()):
                for name, values in rows:
                    out.setdefault(name, []).extend(values)
            # the trace keeps every event (≈ 2 KB each, ≈ 190 a round) until cleared: the
            # memory row measures a lab holding about 33 rounds' events, as it always has
            lab.trace.clear()
        for name in (moves.RESIZE, moves.LIVE_MIGRATION):
            out.update(in_own_process(moves.run_moves, lab.auth_url, lab.compute_url, rounds,
                                      poll, 3, (name,)))
            lab.trace.clear()
    return out


class _TraceSwitch:
    """The lab's side of ``client.run_toggled_flows``: turns ``trace`` on or off when
    the client asks, and charges the lab's CPU between two asks to the mode it ran in."""

    def __init__(self, trace):
        import socket
        import threading
        self.trace, self.cpu = trace, {True: [], False: []}
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        conn, _ = self._listener.accept()
        with conn:
            mode, since = None, time.process_time()
            while True:
                ask = conn.recv(1)
                now = time.process_time()
                if mode is not None:
                    self.cpu[mode].append(now - since)
                if ask in (b".", b""):
                    conn.sendall(b"k")
                    return
                mode, since = ask == b"1", now
                self.trace.enabled = mode
                self.trace.clear()
                conn.sendall(b"k")

    def close(self):
        self._thread.join(timeout=60)
        self._listener.close()


def _trimmed_mean(values, cut=0.1):
    """The mean of ``values`` without their lowest and highest tenth.

    A boot's time comes in steps of one poll (≈ 1.2 ms here, ~7 % of a boot), so
    a median moves by a whole step when the true time crosses one; a trimmed mean
    does not, and still ignores the odd slow round."""
    values = sorted(values)
    k = int(len(values) * cut)
    kept = values[k:len(values) - k] or values
    return sum(kept) / len(kept)


def _trace_cost(rounds, poll):
    """The trace's cost: one lab, its trace turned on and off round by round (ABBA),
    so that both sides see the same stretch of the machine.

    Returns {"cost": relative boot time (trimmed means), "boot_off": boot time
    without the trace, "cpu": relative lab CPU a round, "rounds": rounds a side}.
    Labs with the trace on and off in turn (as this once measured) differed by
    ±10 % from one lab to the next, more than the trace's own cost."""
    import labkit
    from benchmarks.client import QUOTA, in_own_process, run_flows, run_toggled_flows
    with labkit.start(**QUOTA) as lab:
        in_own_process(run_flows, lab.auth_url, lab.compute_url, 3, poll)     # warm up
        switch = _TraceSwitch(lab.trace)
        boots = in_own_process(run_toggled_flows, lab.auth_url, lab.compute_url, 2 * rounds,
                               poll, switch.port)
        switch.close()
    off = _trimmed_mean(boots[False])
    cpu = {mode: _trimmed_mean(values) for mode, values in switch.cpu.items()}
    return {"cost": _trimmed_mean(boots[True]) / off - 1, "boot_off": off,
            "cpu": cpu[True] / cpu[False] - 1, "rounds": len(boots[True])}


def _flows_over_labs(labs, rounds, poll):
    """The flows in ``labs`` fresh labs, one after another: {flow: samples of every lab}
    and {flow: each lab's median}.  The machine's speed drifts by more than a target's
    margin from minute to minute, so one lab's median can land on either side of it."""
    samples, medians = {}, {}
    for _ in range(labs):
        for name, values in _flows(rounds, poll).items():
            if isinstance(values, str):                 # not measured, and why
                samples.setdefault(name, values)
                continue
            samples.setdefault(name, []).extend(values)
            medians.setdefault(name, []).append(statistics.median(values))
    return samples, medians


def _row(name, samples, unit=1000.0, lab_medians=None, note=None):
    target = TARGETS.get(name)
    target_text = "" if target is None else f"< {target * unit:.0f} ms"
    if isinstance(samples, str):
        return f"| {name} | {samples} | | | {target_text} | |"
    samples = sorted(samples)
    med = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    verdict = "" if target is None else ("met" if med < target else "missed")
    spread = f"{samples[0] * unit:.1f}–{samples[-1] * unit:.1f} ms"
    if lab_medians and len(lab_medians) > 1:
        spread += "; lab medians " + ", ".join(f"{m * unit:.1f}" for m in sorted(lab_medians))
    if note:
        spread += f"; {note}"
    return (f"| {name} | {med * unit:.1f} ms | {p95 * unit:.1f} ms | "
            f"{spread} | {target_text} {verdict} | "
            f"{REAL_NOVA.get(name, '')} |")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="a few rounds, no files written")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--labs", type=int, default=3, help="labs the flows run in, in turn")
    parser.add_argument("--poll", type=float, default=0.001, help="client poll interval (s)")
    parser.add_argument("--no-scale", action="store_true", help="skip the scale runs")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else args.rounds
    labs = 1 if args.quick else args.labs
    sys.path.insert(0, str(ROOT))
    results = {"start a lab (cold, imports included)": [_cold_start() for _ in
                                                          range(1 if args.quick else 3)],
               "start a lab (warm)": _warm_start(2 if args.quick else 10)}
    flows, lab_medians = _flows_over_labs(labs, rounds, args.poll)
    results.update(flows)
    trace_cost = _trace_cost(4 if args.quick else 100, args.poll)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = ["| measurement | median | p95 | spread | target | real nova here |",
             "|---|---|---|---|---|---|"]
    from benchmarks import moves
    lines += [_row(name, samples, lab_medians=lab_medians.get(name),
                   note=moves.parts_text(results) if name == moves.RESIZE and
                   not isinstance(samples, str) else None)
              for name, samples in results.items() if name not in moves.PARTS]
    from benchmarks import multiprocess
    separate = multiprocess.results(rounds, args.poll)
    if separate is None:
        lines.append("| the same flows as separate processes | not measured (no RabbitMQ: "
                     "tools/rabbitmq.sh start) | | | | |")
    else:
        lines += [_row(name, samples) for name, samples in separate.items()]
    cost = trace_cost["cost"]
    lines.append(f"| trace recording cost (boot, on vs off) | {cost * 100:+.0f} % | | "
                 f"{trace_cost['boot_off'] * 1000:.1f} ms without; one lab, its trace on and off "
                 f"round by round, {trace_cost['rounds']} rounds each, trimmed means; the lab's "
                 "CPU a round "
                 f"{trace_cost['cpu'] * 100:+.0f} % | < 10 % {'met' if cost < 0.10 else 'missed'} | |")
    lines.append(f"| peak resident memory of the benchmark process | {rss:.0f} MB | | | "
                 "< 150 MB | 210–290 MB |")
    if not args.quick:
        lines += _live_animation_rows()
    hops = cost = None
    if not args.no_scale:
        from benchmarks import scale
        scale_rows, hops, cost = scale.rows(quick=args.quick)
        lines += scale_rows
    table = "\n".join(lines)
    header = (f"Measured by `make bench` on {os.cpu_count()} cores, Python "
              f"{sys.version.split()[0]}, {rounds} rounds after 3 warm-up rounds (in each of "
              f"{labs} labs, one after another, for the flows); the client "
              f"runs in its own process and polls every {args.poll * 1000:g} ms, but "
              "in the rows that say it runs in the kernel, with the lab, as a notebook "
              "cell's does (the three clients take turns, 10 rounds at a time, each later "
              "block after one more warm-up round).")
    print(header)
    print(table)
    if not args.quick:
        from benchmarks.profile import profile_boots
        print(f"profile of the slowest flow written to {profile_boots()}")
        for name, report in (hops or {}).items():
            (HERE / "profiles" / name).write_text(report)
            print(f"CPU by hop of a throughput run written to {HERE / 'profiles' / name}")
        for name, row in (("resize.txt", moves.RESIZE),
                          ("live-migration.txt", moves.LIVE_MIGRATION)):
            report = moves.profile(row)
            if report is not None:
                (HERE / "profiles" / name).write_text(report)
                print(f"CPU by hop of {row} written to {HERE / 'profiles' / name}")
        if cost is not None:
            print("scheduling cost against hosts drawn in "
                  f"{scale.plot_scheduling(cost, HERE / 'profiles' / 'scheduling.png')}")
        (HERE / "results.md").write_text(header + "\n\n" + table + "\n")
        _update_readme(header + "\n\n" + table)
    return 0


def _live_animation_rows():
    """Frame rate and bytes per hop of the live view, measured in headless Chromium
    by the browser test (tests/browser/test_live_flow.py) during a real boot."""
    metrics = ROOT / "test-artifacts" / "live_flow_metrics.json"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/browser/test_live_flow.py"], cwd=ROOT, capture_output=True,
                         text=True)
    if run.returncode != 0 or not metrics.exists():
        return ["| live animation in Chromium | not measured (needs chromium and playwright) "
                "| | | ≥ 30 fps, ≤ 2 KB/hop | |"]
    import json
    m = json.loads(metrics.read_text())
    return [f"| live animation frame rate (Chromium, boot with {m['hops']} hops) | "
            f"{m['fps']:.0f} fps | | | ≥ 30 fps {'met' if m['fps'] >= 30 else 'missed'} | |",
            f"| bytes sent to the browser per hop | {m['bytes_per_hop']:.0f} B | | "
            f"{m['messages']} messages | ≤ 2 KB {'met' if m['bytes_per_hop'] <= 2048 else 'missed'}"
            " | |"]


def _update_readme(text):
    readme = ROOT / "README.md"
    if not readme.exists():
        return
    content = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in content and end in content:
        before, rest = content.split(start, 1)
        _, after = rest.split(end, 1)
        readme.write_text(f"{before}{start}\n{text}\n{end}{after}")


if __name__ == "__main__":
    sys.exit(main())
