"""Helpers the filters share (nova/scheduler/filters/utils.py)."""


def instance_uuids_overlap(host_state, uuids):
    """Whether the host runs any of ``uuids`` (one uuid or a list)."""
    if not isinstance(uuids, list):
        uuids = [uuids]
    return bool(set(uuids) & set(host_state.instances))
