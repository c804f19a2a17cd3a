"""The v2.0 token API the course's walkthrough uses (``POST /v2.0/tokens``).

Real keystone (Juno): keystone/token/controllers.py:Auth.authenticate and
keystone/version/controllers.py; v2.0 was removed in Queens, so
this is a history exhibit next to the v3 API.
NOTE(labkit): keystone 30 has no file for it, so ``labkit.upstream`` links
keystone 12.0.2 (Pike), the last release that served v2.0 tokens.
"""
from labkit.keystone import schema
from labkit.keystone.exception import NotFound, Unauthorized, ValidationError
from labkit.wsgi.app import json_body, json_response

DOMAIN = {"id": "default"}


def version_v2(base):
    return {"id": "v2.0", "status": "deprecated", "updated": "2016-08-04T00:00:00Z",
            "links": [{"rel": "self", "href": f"{base}/v2.0/"},
                      {"rel": "describedby", "type": "text/html",
                       "href": "https://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.identity-v2.0+json"}]}


class V2Controller:
    def __init__(self, identity, tokens):
        self.identity, self.tokens = identity, tokens

    def get_version(self, req):
        return json_response(200, {"version": version_v2(req.host_url)})

    def authenticate(self, req):
        """passwordCredentials (or a token) plus tenantName/tenantId → 200 ``access``."""
        body = json_body(req, lambda code, msg: ValidationError(msg))
        if not isinstance(body, dict) or not isinstance(body.get("auth"), dict):
            raise schema.expecting("auth", "request body")
        auth = body["auth"]
        schema.validate(auth, schema.v2_token_issue)
        parent = None
        if "passwordCredentials" in auth:
            creds = auth["passwordCredentials"]
            if "userId" in creds:
                ref = {"id": creds["userId"]}
            elif "username" in creds:
                ref = {"name": creds["username"], "domain": DOMAIN}
            else:
                raise schema.expecting("username", "passwordCredentials")
            user = self.identity.authenticate(ref, creds["password"])
            methods = ["password"]
        else:
            try:
                parent = self.tokens.validate_token(auth["token"]["id"])
            except NotFound:
                raise Unauthorized() from None
            user, methods = parent["user"], ["token"]
        project = None
        if "tenantId" in auth:
            project = self.identity.find_project({"id": auth["tenantId"]})
        elif "tenantName" in auth:
            project = self.identity.find_project({"name": auth["tenantName"], "domain": DOMAIN})
        token_id, ref = self.tokens.issue_token(user, methods, project, parent)
        return json_response(200, self.tokens.render_v2(token_id, ref))
