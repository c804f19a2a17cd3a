"""Waits the tests share beyond labkit.client.Client's own."""
import time


def wait_for_fault(client, server_id, timeout=30):
    """The server once it is ERROR *and* shows its fault.

    nova (and labkit) save vm_state ERROR before they write the instance fault
    (``set_vm_state_and_notify``, ``_bury_in_cell0``), so a GET in between shows ERROR
    with no fault; a client that reads the fault waits for both."""
    server, _ = client.wait_for(server_id, ("ERROR",), timeout=timeout)
    deadline = time.monotonic() + timeout
    while "fault" not in server and time.monotonic() < deadline:
        time.sleep(0.01)
        server = client.show(server_id)
    return server
