"""Quotas: each resource's limit, and what a project (or user) already uses.

Real nova: nova/quota.py — QuotaEngine over DbQuotaDriver, the default
``[quota]driver``.  A limit is the project's (or user's) own row if it has one,
else the "default" quota class's, else the ``[quota]`` option; -1 is
unlimited.  Usage is never stored: countable resources are counted when
asked (instances, cores and ram from the instances, key pairs per user), and
objects/quotas.py:Quotas.check_deltas compares usage + the request with the
limits, raising OverQuota.

NOTE(labkit): a lab builds its own engine from its own ``[quota]`` options
(``QuotaEngine(conf)``), where nova has one ``QUOTAS`` per process; and
check_deltas, nova's Quotas object method, is the engine's.  Contexts carry
no quota class (nova's ``context.quota_class`` is always None from keystone).
With nova's default ``count_usage_from_placement = False`` instances, cores and
ram are counted from the database (_instances_cores_ram_count_legacy); unified
limits (nova/limit/, ``[quota]driver = UnifiedLimitsDriver``) are not offered.
"""
import collections

from labkit.nova import exception
from labkit.nova.objects.instance import InstanceList
from labkit.nova.objects.instance_group import InstanceGroupList
from labkit.nova.objects.keypair import KeyPairList
from labkit.nova.objects.quotas import Quotas


class BaseResource:
    def __init__(self, name, flag=None):
        self.name, self.flag = name, flag

    def default(self, conf):
        """The ``[quota]<flag>`` option (labkit's ``quota_<flag>``), or unlimited."""
        return getattr(conf, f"quota_{self.flag}") if self.flag else -1


class AbsoluteResource(BaseResource):
    """A limit with nothing to count (metadata items, injected files ...)."""
    valid_method = "check"


class CountableResource(AbsoluteResource):
    """A limit whose usage ``count_as_dict(context, ...)`` counts:
    ``{"project": {name: n}, "user": {name: n}}``."""

    def __init__(self, name, count_as_dict, flag=None):
        super().__init__(name, flag)
        self.count_as_dict = count_as_dict


def _instances_cores_ram_count(context, project_id, user_id=None):
    """Real nova: quota.py:_instances_cores_ram_count_legacy (InstanceList.get_counts)."""
    return InstanceList.get_counts(context, project_id, user_id=user_id)


def _keypair_get_count_by_user(context, user_id):
    return {"user": {"key_pairs": KeyPairList.get_count_by_user(context, user_id)}}


def _server_group_count(context, project_id, user_id=None):
    """Real nova: quota.py:_server_group_count (InstanceGroupList.get_counts)."""
    return InstanceGroupList.get_counts(context, project_id, user_id=user_id)


def _server_group_count_members_by_user(context, group, user_id):
    """Real nova: quota.py:_server_group_count_members_by_user: the group's not-deleted
    members that the user owns."""
    return {"user": {"server_group_members": group.count_members_by_user(user_id)}}


RESOURCES = (
    CountableResource("cores", _instances_cores_ram_count, "cores"),
    AbsoluteResource("injected_files", "injected_files"),
    AbsoluteResource("injected_file_content_bytes", "injected_file_content_bytes"),
    AbsoluteResource("injected_file_path_bytes", "injected_file_path_length"),
    CountableResource("instances", _instances_cores_ram_count, "instances"),
    CountableResource("key_pairs", _keypair_get_count_by_user, "key_pairs"),
    AbsoluteResource("metadata_items", "metadata_items"),
    CountableResource("ram", _instances_cores_ram_count, "ram"),
    CountableResource("server_groups", _server_group_count, "server_groups"),
    CountableResource("server_group_members", _server_group_count_members_by_user,
                      "server_group_members"),
    AbsoluteResource("fixed_ips"),
    AbsoluteResource("floating_ips"),
    AbsoluteResource("security_groups"),
    AbsoluteResource("security_group_rules"),
)


def _unlimited(value):
    return value <= DbQuotaDriver.UNLIMITED_VALUE


class DbQuotaDriver:
    """Limits from the API database, defaults from ``[quota]`` (nova/quota.py:DbQuotaDriver)."""
    UNLIMITED_VALUE = -1

    def __init__(self, conf):
        self.conf = conf

    def get_reserved(self):
        return 0          # nova stopped reserving quota in Pike

    def get_defaults(self, context, resources):
        """The "default" class's limit for each resource, else its ``[quota]`` option."""
        default_quotas = Quotas.get_default_class(context)
        return {r.name: default_quotas.get(r.name, r.default(self.conf))
                for r in resources.values()}

    def _process_quotas(self, context, resources, project_id, quotas, usages=None,
                        remains=False):
        """{resource: {"limit", ["in_use"], ["remains"]}}: set limits over the defaults."""
        defaults = self.get_defaults(context, resources)
        out = {}
        for resource in resources.values():
            limit = quotas.get(resource.name, defaults[resource.name])
            out[resource.name] = {"limit": limit}
            if usages:
                out[resource.name]["in_use"] = usages.get(resource.name, {}).get("in_use", 0)
            if remains:
                out[resource.name]["remains"] = limit
        if remains:
            # what the project's users were given is no longer the project's to give
            for row in Quotas.get_all(context, project_id):
                if row["resource"] in out:
                    out[row["resource"]]["remains"] -= row["hard_limit"]
        return out

    def _get_usages(self, context, resources, project_id, user_id=None):
        """{resource: {"in_use": n}}, counting instances, cores and ram once for all three;
        key pairs and server group members show 0 (they are counted per user, and only
        when a limit is checked)."""
        usages = {}
        for resource in resources.values():
            if not isinstance(resource, CountableResource) or resource.name in usages:
                continue
            if resource.name in ("key_pairs", "server_group_members"):
                usages[resource.name] = {"in_use": 0}
                continue
            count = resource.count_as_dict(context, project_id, user_id=user_id)
            for name, value in count["user" if user_id else "project"].items():
                usages[name] = {"in_use": value}
        return usages

    def get_user_quotas(self, context, resources, project_id, user_id, usages=True,
                        project_quotas=None, user_quotas=None):
        """A user's limits: their own, else the project's, else the defaults."""
        user_quotas = dict(user_quotas or Quotas.get_all_by_project_and_user(
            context, project_id, user_id))
        for key, value in (project_quotas or Quotas.get_all_by_project(
                context, project_id)).items():
            user_quotas.setdefault(key, value)
        counted = self._get_usages(context, resources, project_id, user_id) if usages else {}
        return self._process_quotas(context, resources, project_id, user_quotas,
                                    usages=counted)

    def get_project_quotas(self, context, resources, project_id, usages=True,
                           remains=False, project_quotas=None):
        project_quotas = project_quotas or Quotas.get_all_by_project(context, project_id)
        counted = self._get_usages(context, resources, project_id) if usages else {}
        return self._process_quotas(context, resources, project_id, project_quotas,
                                    usages=counted, remains=remains)

    def get_settable_quotas(self, context, resources, project_id, user_id=None):
        """{resource: {"minimum", "maximum"}} a new limit must lie within: at least what
        is used (and, for a project, what its users were given); a user at most what
        the project has left plus the user's own."""
        db_project = Quotas.get_all_by_project(context, project_id)
        project = self.get_project_quotas(context, resources, project_id, remains=True,
                                          project_quotas=db_project)
        if not user_id:
            return {key: {"minimum": max(int(_sub(value["limit"], value["remains"])),
                                         int(value["in_use"])), "maximum": -1}
                    for key, value in project.items()}
        set_for_user = Quotas.get_all_by_project_and_user(context, project_id, user_id)
        user = self.get_user_quotas(context, resources, project_id, user_id,
                                    project_quotas=db_project, user_quotas=set_for_user)
        return {key: {"minimum": value["in_use"],
                      "maximum": _add(project[key]["remains"], set_for_user.get(key, 0))}
                for key, value in user.items()}

    def _get_quotas(self, context, resources, keys, project_id, user_id=None,
                    project_quotas=None):
        """{resource: limit} for ``keys``, the user's if ``user_id`` is given."""
        wanted = {k: v for k, v in resources.items() if k in set(keys)}
        if len(wanted) != len(set(keys)):
            raise exception.QuotaResourceUnknown(unknown=sorted(set(keys) - set(wanted)))
        if user_id:
            quotas = self.get_user_quotas(context, wanted, project_id, user_id, usages=False,
                                          project_quotas=project_quotas)
        else:
            quotas = self.get_project_quotas(context, wanted, project_id, usages=False,
                                             project_quotas=project_quotas)
        return {k: v["limit"] for k, v in quotas.items()}

    def limit_check_project_and_user(self, context, resources, project_values=None,
                                     user_values=None, project_id=None, user_id=None):
        """Raise OverQuota if a value (usage + request) is over the project's or the
        user's limit.  Real nova: DbQuotaDriver.limit_check_project_and_user."""
        project_values, user_values = dict(project_values or {}), dict(user_values or {})
        for values in (project_values, user_values):
            unders = sorted(k for k, v in values.items() if v < 0)
            if unders:
                raise exception.InvalidQuotaValue(unders=unders)
        keys = set(project_values) | set(user_values)
        merged = {}        # counted for one scope only: checked against the lower limit
        for key in set(project_values) ^ set(user_values):
            merged[key] = project_values.pop(key, 0) or user_values.pop(key, 0)
        project_id = project_id or context.project_id
        user_id = user_id or context.user_id
        db_project = Quotas.get_all_by_project(context, project_id)
        quotas = self._get_quotas(context, resources, keys, project_id,
                                  project_quotas=db_project)
        user_quotas = self._get_quotas(context, resources, keys, project_id, user_id,
                                       project_quotas=db_project)
        if merged:
            lowest = {k: min(quotas[k], user_quotas[k]) for k in quotas}
            overs = sorted(k for k, v in merged.items() if 0 <= lowest[k] < v)
            if overs:
                raise exception.OverQuota(overs=overs, quotas=lowest, usages={},
                                          headroom={k: lowest[k] for k in overs})
        overs, over_user = [], False
        for key in user_values:
            if 0 <= quotas[key] < project_values[key]:
                overs.append(key)
            elif 0 <= user_quotas[key] < user_values[key]:
                overs.append(key)
                over_user = True
        if overs:
            exceeded = user_quotas if over_user else quotas
            raise exception.OverQuota(overs=sorted(overs), quotas=exceeded, usages={},
                                      headroom={k: exceeded[k] for k in overs},
                                      scope="user" if over_user else "project")


def _add(a, b):
    return -1 if _unlimited(a) or _unlimited(b) else a + b


def _sub(a, b):
    return -1 if _unlimited(a) or _unlimited(b) else a - b


class QuotaEngine:
    """The resources a lab limits and its driver (nova/quota.py:QuotaEngine)."""

    def __init__(self, conf, resources=RESOURCES):
        self._resources = {r.name: r for r in resources}
        self._driver = DbQuotaDriver(conf)

    @property
    def resources(self):
        return sorted(self._resources)

    def get_reserved(self):
        return self._driver.get_reserved()

    def get_defaults(self, context):
        return self._driver.get_defaults(context, self._resources)

    def get_project_quotas(self, context, project_id, usages=True, remains=False):
        return self._driver.get_project_quotas(context, self._resources, project_id,
                                               usages=usages, remains=remains)

    def get_user_quotas(self, context, project_id, user_id, usages=True):
        return self._driver.get_user_quotas(context, self._resources, project_id, user_id,
                                            usages=usages)

    def get_settable_quotas(self, context, project_id, user_id=None):
        return self._driver.get_settable_quotas(context, self._resources, project_id,
                                                user_id=user_id)

    def count_as_dict(self, context, resource, *args, **kwargs):
        res = self._resources.get(resource)
        if not isinstance(res, CountableResource):
            raise exception.QuotaResourceUnknown(unknown=[resource])
        return res.count_as_dict(context, *args, **kwargs)

    def limit_check_project_and_user(self, context, **kwargs):
        return self._driver.limit_check_project_and_user(context, self._resources, **kwargs)

    def check_deltas(self, context, deltas, *count_args, **count_kwargs):
        """Count, add ``deltas`` and check the limits; OverQuota carries the usages.

        Real nova: nova/objects/quotas.py:Quotas.check_deltas.
        """
        check = collections.defaultdict(dict)
        for key in ("check_project_id", "check_user_id"):
            value = count_kwargs.pop(key, None)
            if value is not None:
                check[key[len("check_"):]] = value
        count = {}
        for resource in deltas:
            if resource in check["project_values"] or resource in check["user_values"]:
                continue
            count = self.count_as_dict(context, resource, *count_args, **count_kwargs)
            for scope in ("project", "user"):
                for name, used in count.get(scope, {}).items():
                    if name in deltas:
                        check[f"{scope}_values"][name] = used + deltas[name]
        try:
            self.limit_check_project_and_user(context, **check)
        except exception.OverQuota as exc:
            scope = exc.kwargs.get("scope") or ("user" if "user" in count else "project")
            exc.kwargs["usages"] = count[scope]
            raise
