"""Query schemas for os-simple-tenant-usage
(nova/api/openstack/compute/schemas/simple_tenant_usage.py)."""
import copy

from labkit.nova.api.validation import for_version

_multi_string = {"type": "array", "items": {"type": "string"}}
_non_negative = {"type": "array", "items": {"type": ["integer", "string"], "pattern": "^[0-9]*$",
                                            "minimum": 0, "minLength": 1}}

index_query = {"type": "object", "properties": {
    "start": _multi_string, "end": _multi_string, "detailed": _multi_string},
    "additionalProperties": True}
show_query = {"type": "object", "properties": {"start": _multi_string, "end": _multi_string},
              "additionalProperties": True}
index_query_v240, show_query_v240 = copy.deepcopy(index_query), copy.deepcopy(show_query)
for _schema in (index_query_v240, show_query_v240):
    _schema["properties"].update(limit=_non_negative, marker=_multi_string)
index_query_v275 = dict(index_query_v240, additionalProperties=False)
show_query_v275 = dict(show_query_v240, additionalProperties=False)


def query(version, show):
    """The query schema of index (``show=False``) or show at ``version``."""
    if show:
        return for_version(version, ("2.75", show_query_v275), ("2.40", show_query_v240),
                           (None, show_query))
    return for_version(version, ("2.75", index_query_v275), ("2.40", index_query_v240),
                       (None, index_query))
