"""JSON schemas for a server's live migrations (nova/api/openstack/compute/schemas/
server_migrations.py): ``force_complete`` takes null; 2.102 refuses unknown query keys."""
force_complete = {"type": "object", "properties": {"force_complete": {"type": "null"}},
                  "required": ["force_complete"], "additionalProperties": False}

index_query = {"type": "object", "properties": {}, "additionalProperties": True}
index_query_v2102 = dict(index_query, additionalProperties=False)
show_query, show_query_v2102 = index_query, index_query_v2102
