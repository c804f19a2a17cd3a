"""Possible vm states for instances (nova/compute/vm_states.py)."""
ACTIVE = "active"
BUILDING = "building"
PAUSED = "paused"
SUSPENDED = "suspended"
STOPPED = "stopped"
RESCUED = "rescued"
RESIZED = "resized"
SOFT_DELETED = "soft-delete"
DELETED = "deleted"
ERROR = "error"
SHELVED = "shelved"
SHELVED_OFFLOADED = "shelved_offloaded"

# states a server may be shelved from (nova/compute/api.py:API.shelve)
ALLOW_SHELVE = (ACTIVE, STOPPED, PAUSED, SUSPENDED)

# states a server may be rebooted from, soft and hard (nova/compute/api.py:API.reboot)
ALLOW_SOFT_REBOOT = [ACTIVE]
ALLOW_HARD_REBOOT = ALLOW_SOFT_REBOOT + [STOPPED, PAUSED, SUSPENDED, ERROR]

# the state an evacuated server may be asked to end in (2.95: stopped)
ALLOW_TARGET_STATES = [STOPPED]
