"""Query schemas for GET /limits (nova/api/openstack/compute/schemas/limits.py)."""
index_query = {"type": "object", "properties": {
    "tenant_id": {"type": "array", "items": {"type": "string"}}}, "additionalProperties": True}
index_query_v275 = dict(index_query, additionalProperties=False)
