"""Resize, confirm, revert and cold migrate with the unmodified ``openstack`` CLI.

``server resize --flavor --wait``, ``server resize confirm``, ``server resize revert``,
``server migrate --wait`` (an admin), ``server migration list`` and nova's 400 for a
resize to the flavor the server has, on the CLI's error line.  One in-process lab for
the module, so the trace can be read beside the CLI's output; the lab's own client
waits where the CLI has no --wait (every CLI run costs seconds).
"""
import json

from labkit.client import Client


def _cli(clients, *args, admin=False, **kw):
    return clients.openstack(*args, cloud="labkit-admin" if admin else "labkit", **kw)


def test_resize_and_migrate_with_the_cli(clients, lab):
    demo, admin = Client(lab), Client(lab, "admin")
    server_id = demo.boot("cli-resize", flavor="1", check=False)["id"]
    demo.wait_for(server_id, "ACTIVE")
    source = admin.show(server_id)["OS-EXT-SRV-ATTR:host"]

    _cli(clients, "server", "resize", "--flavor", "m1.small", "--wait", server_id)
    shown = admin.show(server_id)
    assert shown["status"] == "VERIFY_RESIZE" and shown["OS-EXT-SRV-ATTR:host"] != source
    assert _cli(clients, "server", "resize", "confirm", server_id).stdout == ""
    demo.wait_for(server_id, "ACTIVE")

    _cli(clients, "server", "resize", "--flavor", "m1.medium", "--wait", server_id)
    assert _cli(clients, "server", "resize", "revert", server_id).stdout == ""
    demo.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    assert admin.show(server_id)["flavor"]["id"] == "2"      # m1.small again

    refused = _cli(clients, "server", "resize", "--flavor", "m1.small", server_id, check=False)
    assert refused.returncode == 1
    assert "When resizing, instances must change flavor!" in refused.stderr
    assert "BadRequestException: 400" in refused.stderr

    _cli(clients, "server", "migrate", "--wait", server_id, admin=True)
    demo.server_action(server_id, {"confirmResize": None})
    demo.wait_for(server_id, "ACTIVE")
    lab.wait_idle()
    listed = json.loads(_cli(clients, "--os-compute-api-version", "2.80", "server",
                             "migration", "list", "--server", server_id, "-f", "json",
                             admin=True).stdout)
    assert sorted((m["Type"], m["Status"]) for m in listed) == [
        ("migration", "confirmed"), ("resize", "confirmed"), ("resize", "reverted")]
    # the CLI's resize went the way nova's does: conductor, then compute-alt between hosts
    topics = {(e["name"], e.get("topic")) for e in lab.trace.events(kind="cast")
              if e["name"] in ("prep_resize", "resize_instance", "finish_resize")}
    assert topics == {("prep_resize", "compute"), ("resize_instance", "compute-alt"),
                      ("finish_resize", "compute-alt")}
    demo.send("DELETE", f"/servers/{server_id}")
