"""Small helpers nova takes from oslo_utils and nova/utils.py."""
import datetime
import hashlib


def utcnow_str():
    """Now, as nova stores it (oslo_utils.timeutils.utcnow, microseconds kept)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat(
        timespec="microseconds")


def is_older_than(before, seconds):
    """Whether the stored time ``before`` is more than ``seconds`` ago
    (oslo_utils.timeutils.is_older_than)."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return now - datetime.datetime.fromisoformat(before) > datetime.timedelta(seconds=seconds)


def isotime(value):
    """``2014-09-18T04:03:09Z``, the form the compute API shows (no microseconds)."""
    if not value:
        return None
    return value[:19] + "Z"


def generate_hostid(host, project_id):
    """sha224(project_id + host), or "" with no host (nova/api/openstack/common.py)."""
    if not host:
        return ""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def validate_integer(value, name):
    """``value`` as an int, or InvalidInput "<name> must be an integer"
    (nova/utils.py:validate_integer over oslo_utils.strutils.validate_integer)."""
    from labkit.nova import exception
    try:
        return int(str(value))
    except ValueError:
        raise exception.InvalidInput(reason=f"{name} must be an integer") from None
