"""os-simple-tenant-usage: server hours, and vCPU, RAM and disk hours, per project.

Real nova: nova/api/openstack/compute/simple_tenant_usage.py — for every
instance that ran in [start, end) (deleted ones too), the hours it ran
within it times its flavor's vcpus, memory_mb and disk; ``index`` (admin)
sums them per project, ``show`` for one project with each server's usage.
2.40 pages the servers behind the sums (``limit``, ``marker``: an instance).
"""
import datetime

from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import simple_tenant_usage as schema
from labkit.nova.objects.instance import InstanceList
from labkit.wsgi.app import HTTPError

_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f")
# how labkit keeps times (utils.utcnow_str), and how nova's JSON shows a datetime
# (oslo_serialization.jsonutils: timeutils.PERFECT_TIME_FORMAT)
_STORED = PERFECT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _parse_datetime(value):
    """A naive UTC datetime from one of nova's three formats; now if none was given."""
    if not value:
        return _utcnow()
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            pass
    raise exception.InvalidStrTime(reason="Datetime is in invalid format")


def _stored(value):
    return datetime.datetime.fromisoformat(value) if value else None


def _hours_for(instance, period_start, period_stop):
    """Hours it ran within the period: from launch (or the start) to termination (or
    the end).  Real nova: SimpleTenantUsageController._hours_for."""
    launched_at, terminated_at = _stored(instance.launched_at), _stored(instance.terminated_at)
    if not launched_at or (terminated_at and terminated_at < period_start) or \
            launched_at > period_stop:
        return 0
    stop = min(period_stop, terminated_at) if terminated_at else period_stop
    return (stop - max(launched_at, period_start)).total_seconds() / 3600.0


def _server_usage(instance, period_start, period_stop, now):
    flavor = instance.flavor or {}
    info = {"hours": _hours_for(instance, period_start, period_stop),
            "flavor": flavor.get("name", ""), "instance_id": instance.uuid,
            "name": instance.display_name, "tenant_id": instance.project_id,
            "memory_mb": flavor.get("memory_mb"),
            "local_gb": (flavor.get("root_gb") or 0) + (flavor.get("ephemeral_gb") or 0),
            "vcpus": flavor.get("vcpus"), "started_at": _stored(instance.launched_at),
            "ended_at": _stored(instance.terminated_at)}
    info["state"] = "terminated" if info["ended_at"] else instance.vm_state
    info["uptime"] = int(((info["ended_at"] or now) - info["started_at"]).total_seconds())
    for key in ("started_at", "ended_at"):
        info[key] = _iso(info[key])
    return info


def _iso(value):
    return value.strftime(PERFECT_TIME_FORMAT) if value else None


class SimpleTenantUsageController:
    def _tenant_usages_for_period(self, context, period_start, period_stop, tenant_id=None,
                                  detailed=True, limit=None, marker=None):
        """([one summary per project], [every server's usage])."""
        instances = InstanceList.get_active_by_window_joined(
            context, period_start.strftime(_STORED), period_stop.strftime(_STORED),
            tenant_id, limit=limit, marker=marker)
        summaries, servers, now = {}, [], _utcnow()
        for instance in instances:
            info = _server_usage(instance, period_start, period_stop, now)
            summary = summaries.setdefault(info["tenant_id"], dict(
                {"tenant_id": info["tenant_id"]}, **({"server_usages": []} if detailed else {}),
                total_local_gb_usage=0, total_vcpus_usage=0, total_memory_mb_usage=0,
                total_hours=0, start=_iso(period_start), stop=_iso(period_stop)))
            summary["total_local_gb_usage"] += info["local_gb"] * info["hours"]
            summary["total_vcpus_usage"] += (info["vcpus"] or 0) * info["hours"]
            summary["total_memory_mb_usage"] += (info["memory_mb"] or 0) * info["hours"]
            summary["total_hours"] += info["hours"]
            servers.append(info)
            if detailed:
                summary["server_usages"].append(info)
        return list(summaries.values()), servers

    @staticmethod
    def _parse_qs_params(req):
        try:
            start = _parse_datetime(req.GET.get("start"))
            stop = _parse_datetime(req.GET.get("end"))
        except exception.InvalidStrTime as exc:
            raise HTTPError(400, exc.format_message()) from None
        if not start < stop:
            raise HTTPError(400, "Invalid start time. The start time cannot occur after the "
                                 "end time.")
        return start, min(stop, _utcnow()), req.GET.get("detailed", "0") == "1"

    def _usages(self, req, tenant_id=None):
        """(summaries, server usages, whether to page) for index or show."""
        context = req.environ["nova.context"]
        v = req.api_version_request
        validation.validate_query(req, schema.query(v, show=tenant_id is not None))
        if tenant_id is None:
            policy.check(context, "os_compute_api:os-simple-tenant-usage:list")
        else:
            policy.check(context, "os_compute_api:os-simple-tenant-usage:show", tenant_id)
        start, stop, detailed = self._parse_qs_params(req)
        limit, marker = common.get_limit_and_marker(req) if v.matches("2.40") else \
            (common.MAX_LIMIT, None)
        try:
            usages, servers = self._tenant_usages_for_period(
                context, start, stop, tenant_id=tenant_id,
                detailed=detailed or tenant_id is not None, limit=limit, marker=marker)
        except exception.MarkerNotFound as exc:
            raise HTTPError(400, exc.format_message()) from None
        return usages, servers, v.matches("2.40")

    def index(self, req):
        """Every project's usage (admin)."""
        usages, servers, links = self._usages(req)
        body = {"tenant_usages": usages}
        next_links = links and common.get_collection_links(
            req, servers, "os-simple-tenant-usage", "instance_id")
        if next_links:
            body["tenant_usages_links"] = next_links
        return wsgi.response(200, body)

    def show(self, req, tenant_id):
        """One project's usage, with each server's; {} when nothing ran."""
        usages, servers, links = self._usages(req, tenant_id)
        body = {"tenant_usage": usages[0] if usages else {}}
        next_links = links and common.get_collection_links(
            req, servers, f"os-simple-tenant-usage/{tenant_id}", "instance_id")
        if next_links:
            body["tenant_usage_links"] = next_links
        return wsgi.response(200, body)
