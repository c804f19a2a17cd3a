"""neutron's root: ``GET /`` (the API versions) and ``GET /v2.0`` (its resources).

Real neutron: neutron/pecan_wsgi/controllers/root.py (RootController.index,
V2Controller.index).
"""
from labkit.wsgi.app import json_response

RESOURCES = (("network", "networks"), ("subnet", "subnets"), ("port", "ports"),
             ("security_group", "security-groups"),
             ("security_group_rule", "security-group-rules"))


def versions(req):
    return json_response(200, {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
        {"rel": "self", "href": f"{req.host_url}/v2.0/"}]}]})


def resources(req):
    return json_response(200, {"resources": [
        {"name": name, "collection": collection,
         "links": [{"rel": "self", "href": f"{req.host_url}/v2.0/{collection}"}]}
        for name, collection in RESOURCES]})
