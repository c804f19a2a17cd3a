"""A request body checked against a resource's attribute map before the plugin sees it.

Real neutron: neutron/api/v2/base.py (Controller.prepare_request_body, which
pecan's body-validation hook, neutron/pecan_wsgi/hooks/body_validation.py,
calls for every POST and PUT).
"""
from labkit.neutron.extensions import securitygroup as ext_sg
from labkit.neutron_lib.exceptions import bad_request
from labkit.wsgi.app import json_body


def prepare_request_body(req, context, resource, is_create):
    """neutron/api/v2/base.py:Controller.prepare_request_body for one resource.

    The body's shape, the project (another project's needs admin), unknown
    attributes, required ones and defaults on POST, read-only ones on PUT, then
    each attribute's converter and validator from the attribute map."""
    attr_info = ext_sg.RESOURCE_ATTRIBUTE_MAP[resource + "s"]
    body = json_body(req, lambda code, msg: bad_request(msg))
    if not body:
        raise bad_request("Resource body required")
    if not isinstance(body, dict):
        raise bad_request("Body contains invalid data")
    res = body.get(resource)
    if res is None:
        raise bad_request(f"Unable to find '{resource}' in request body")
    if not isinstance(res, dict):
        raise bad_request(f"Object '{resource}' contains invalid data")
    owners = {v for k, v in res.items() if k in ("project_id", "tenant_id")}
    if is_create:
        if any(not isinstance(o, str) for o in owners) or len(owners) > 1:
            raise bad_request("Specifying 'project_id' or 'tenant_id' other than the "
                              "authenticated project in request requires admin privileges")
        owner = owners.pop() if owners else context.project_id
        if owner != context.project_id and not context.is_admin:
            raise bad_request("Specifying 'project_id' or 'tenant_id' other than the "
                              "authenticated project in request requires admin privileges")
    unknown = sorted(set(res) - set(attr_info) - {"project_id", "tenant_id"})
    if unknown:
        raise bad_request("Unrecognized attribute(s) '" + ", ".join(unknown) + "'")
    for attr, (allow_post, allow_put, default, _, _) in attr_info.items():
        if is_create and attr not in res:
            if default is ext_sg.REQUIRED:
                raise bad_request("Failed to parse request. Required attribute "
                                  f"'{attr}' not specified")
            res[attr] = default
        elif not is_create and attr in res and not allow_put:
            raise bad_request(f"Cannot update read-only attribute {attr}")
    if not is_create and (res.keys() & {"project_id", "tenant_id"}):
        raise bad_request("Cannot update read-only attribute project_id")
    for attr, (_, _, default, convert_to, validate) in attr_info.items():
        if attr not in res or (res[attr] is default and default is not ext_sg.REQUIRED):
            continue
        if convert_to is not None:
            res[attr] = convert_to(res[attr])
        msg = validate(res[attr]) if validate is not None else None
        if msg:
            raise bad_request(f"Invalid input for {attr}. Reason: {msg}.")
    if is_create:
        res["project_id"] = owner
    return res
