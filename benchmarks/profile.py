"""A whole-lab CPU profile of the slowest flow (boot), every thread included.

cProfile and pyinstrument see one thread; a lab's work happens on its
services' threads, so this uses yappi.  ``make bench`` writes the result to
benchmarks/profiles/boot.txt: the functions where a boot's CPU goes.
"""
import io
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def profile_boots(boots=30, top=45):
    import yappi

    import labkit
    from benchmarks.client import QUOTA, boot, compute
    lab = labkit.start(seed=1, **QUOTA)
    try:
        # the benchmark's own light client (http.client, keep-alive), polling every 1 ms
        client = compute(lab.auth_url, lab.compute_url)
        for n in range(5):                       # warm up
            boot(client, f"warm-{n}", 0.001)
        yappi.set_clock_type("cpu")
        yappi.start()
        for n in range(boots):
            boot(client, f"p-{n}", 0.001)
        yappi.stop()
    finally:
        lab.stop()
    stats = sorted(yappi.get_func_stats(), key=lambda s: -s.tsub)[:top]
    out = io.StringIO()
    out.write(f"CPU profile of {boots} boots, all threads (the benchmark's client, polling "
              "every 1 ms, runs in the same process), by own time\n\n")
    out.write(f"{'function':<90} {'calls':>8} {'own s':>8} {'total s':>8}\n")
    for s in stats:
        where = f"{s.module.split('site-packages/')[-1].split('/labkit/', 1)[-1]}:{s.name}"
        out.write(f"{where[-90:]:<90} {s.ncall:>8} {s.tsub:>8.3f} {s.ttot:>8.3f}\n")
    yappi.clear_stats()
    (HERE / "profiles").mkdir(exist_ok=True)
    (HERE / "profiles" / "boot.txt").write_text(out.getvalue())
    return HERE / "profiles" / "boot.txt"
