"""Helpers shared by the compute API controllers.

Real nova: nova/api/openstack/common.py — status_from_state (the ``status``
a client sees is derived from vm_state and task_state), get_instance, and
raise_http_conflict_for_instance_invalid_state; get_limit_and_marker and
ViewBuilder._get_collection_links (a list's ``next`` link).
"""
import urllib.parse

from labkit.nova import exception, policy
from labkit.nova.compute import task_states, vm_states
from labkit.wsgi.app import HTTPError, json_response

_STATE_MAP = {
    vm_states.ACTIVE: {"default": "ACTIVE", task_states.POWERING_OFF: "ACTIVE",
                       **dict.fromkeys(task_states.soft_reboot_states, "REBOOT"),
                       **dict.fromkeys(task_states.hard_reboot_states, "HARD_REBOOT"),
                       **dict.fromkeys(task_states.rebuild_states, "REBUILD"),
                       task_states.MIGRATING: "MIGRATING",
                       **dict.fromkeys(task_states.resizing_states, "RESIZE")},
    vm_states.BUILDING: {"default": "BUILD"},
    vm_states.RESIZED: {"default": "VERIFY_RESIZE",
                        task_states.RESIZE_REVERTING: "REVERT_RESIZE"},
    vm_states.STOPPED: {"default": "SHUTOFF",
                        **dict.fromkeys(task_states.resizing_states, "RESIZE"),
                        **dict.fromkeys(task_states.rebuild_states, "REBUILD")},
    vm_states.PAUSED: {"default": "PAUSED", task_states.MIGRATING: "MIGRATING"},
    vm_states.SUSPENDED: {"default": "SUSPENDED"},
    vm_states.ERROR: {"default": "ERROR", **dict.fromkeys(task_states.rebuild_states, "REBUILD")},
    vm_states.DELETED: {"default": "DELETED"},
    vm_states.SOFT_DELETED: {"default": "SOFT_DELETED"},
    vm_states.SHELVED: {"default": "SHELVED"},
    vm_states.SHELVED_OFFLOADED: {"default": "SHELVED_OFFLOADED"},
}


def status_from_state(vm_state, task_state="default"):
    """ACTIVE while *shelving* (task states don't change it), BUILD while building ..."""
    task_map = _STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    status = task_map.get(task_state, task_map["default"])
    if status == "UNKNOWN":
        status = "UNKNOWN"
    return status


def get_instance(compute_api, context, instance_id):
    """The instance, or 404 in nova's words (also for another project's server)."""
    try:
        return compute_api.get(context, instance_id)
    except exception.InstanceNotFound as exc:
        raise HTTPError(404, exc.format_message()) from None


def raise_http_conflict_for_instance_invalid_state(exc, action, server_id):
    attr, state = exc.kwargs.get("attr"), exc.kwargs.get("state")
    if attr is not None and state is not None:
        msg = f"Cannot '{action}' instance {server_id} while it is in {attr} {state}"
    else:
        msg = f"Instance {server_id} is in an invalid state for '{action}'"
    raise HTTPError(409, msg)


def instance_action(compute_api, req, server_id, rule, action, compute_action, *args):
    """Run one server action: the server (404), the policy ``rule`` (403), then
    ``compute_action(context, instance, *args)``; a locked server, one that is not
    ready or one in the wrong state answers 409 naming ``action``.  202 when cast.

    NOTE(labkit): nova's action handlers (servers.py _reboot, _start, _stop;
    pause_server.py; suspend_server.py) each repeat these lines; labkit shares them.
    """
    context = req.environ["nova.context"]
    instance = get_instance(compute_api, context, server_id)
    policy.check(context, rule, instance.project_id)
    try:
        compute_action(context, instance, *args)
    except (exception.InstanceIsLocked, exception.InstanceNotReady) as exc:
        raise HTTPError(409, exc.format_message()) from None
    except exception.InstanceInvalidState as exc:
        raise_http_conflict_for_instance_invalid_state(exc, action, server_id)
    return json_response(202)


MAX_LIMIT = 1000      # [api]max_limit


def get_limit_and_marker(req):
    """(page size, marker) from a validated query: ``limit`` at most [api]max_limit."""
    limit = req.GET.get("limit")
    return (min(int(limit), MAX_LIMIT) if limit is not None else MAX_LIMIT,
            req.GET.get("marker"))


def get_collection_links(req, items, collection_name, id_key):
    """[{"rel": "next", "href": ...}] when the page is full, its ``marker`` the last
    item's ``id_key`` (common.py:ViewBuilder._get_collection_links)."""
    max_items = min(int(req.GET.get("limit", MAX_LIMIT)), MAX_LIMIT)
    if not max_items or max_items != len(items):
        return []
    params = dict(sorted(req.GET.items()))     # a marker already there keeps its place
    params["marker"] = items[-1][id_key]
    return [{"rel": "next", "href": f"{req.application_url}/{collection_name}?"
                                    f"{urllib.parse.urlencode(params)}"}]
