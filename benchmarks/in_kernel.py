"""The flows as a notebook cell sees them: the client in the kernel, beside the lab.

The table's first flow rows time a client in its own process, as a learner's
terminal would be.  The course's cells do otherwise: ``labkit.client.Client``
(``requests``, one keep-alive session) runs in the kernel that also runs the
embedded lab, and ``Client.wait`` polls ``GET /servers/{id}`` every 5 ms:

    server = demo.boot("t2", check=False, networks=[course.PRIVATE_NET])
    server = demo.wait(server["id"], "ACTIVE")

So the client's own work (building each request, parsing each answer) takes
the interpreter lock the lab's threads need.  ``run_cell_flows`` times that,
and ``client.run_flows`` called here, in the kernel, times the benchmark's own
client at the same 1 ms poll as in its own process: the difference between
those two rows and the first ones is the price of sharing one interpreter.
"""
import time

ROWS = {"boot → ACTIVE": "boot → ACTIVE (notebook cell: labkit.client, 5 ms poll)",
        "shelve → SHELVED_OFFLOADED":
            "shelve → SHELVED_OFFLOADED (notebook cell: labkit.client, 5 ms poll)",
        "unshelve → ACTIVE": "unshelve → ACTIVE (notebook cell: labkit.client, 5 ms poll)"}


def kernel_rows(times, poll):
    """The benchmark's client's rows, renamed for the run in the kernel."""
    return {f"{name} (client in the kernel, {poll * 1000:g} ms poll)": values
            for name, values in times.items()}


def run_cell_flows(lab, rounds, warmup=3):
    """Boot, shelve, unshelve and delete ``rounds`` times the way notebooks 03, 06 and
    07 do: {row: [seconds]}, each from the request until ``Client.wait`` saw the status."""
    from labkit.client import Client
    demo = Client(lab)
    network = next(n["id"] for n in lab.data["networks"]["networks"] if n["name"] == "private")
    times = {row: [] for row in ROWS.values()}
    for i in range(warmup + rounds):
        start = time.perf_counter()
        server_id = demo.boot(f"cell-{i}", check=False, networks=[network])["id"]
        demo.wait(server_id, "ACTIVE")
        booted = time.perf_counter()
        demo.shelve(server_id)
        demo.wait(server_id, "SHELVED_OFFLOADED")
        shelved = time.perf_counter()
        demo.unshelve(server_id)
        demo.wait(server_id, "ACTIVE")
        unshelved = time.perf_counter()
        demo.delete(server_id)
        if i >= warmup:
            for row, seconds in zip(times, (booted - start, shelved - booted,
                                            unshelved - shelved)):
                times[row].append(seconds)
    return times
