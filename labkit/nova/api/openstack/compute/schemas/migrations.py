"""JSON schemas for os-migrations' query (nova/api/openstack/compute/schemas/migrations.py).

Each query parameter is a list of values (nova's parameter_types.multi_params);
2.59 adds paging and ``changes-since`` and refuses unknown parameters, 2.66 adds
``changes-before``, 2.80 ``user_id`` and ``project_id``.
"""
import copy

_multi_string = {"type": "array", "items": {"type": "string"}}


def _single(schema):
    """parameter_types.single_param: one value only."""
    return {"type": "array", "items": schema, "maxItems": 1}


_date_time = _single({"type": "string", "format": "date-time"})

index_query_v20 = {
    "type": "object",
    "properties": {key: _multi_string for key in (
        "hidden", "host", "instance_uuid", "source_compute", "status", "migration_type")},
    "additionalProperties": True,
}
index_query_v259 = copy.deepcopy(index_query_v20)
index_query_v259["properties"].update({
    "limit": _single({"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 0,
                      "minLength": 1}),
    "marker": _single({"type": "string"}),
    "changes-since": _date_time})
index_query_v259["additionalProperties"] = False
index_query_v266 = copy.deepcopy(index_query_v259)
index_query_v266["properties"]["changes-before"] = _date_time
index_query_v280 = copy.deepcopy(index_query_v266)
index_query_v280["properties"].update(user_id=_single({"type": "string"}),
                                      project_id=_single({"type": "string"}))
