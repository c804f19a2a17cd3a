"""keystone's v3 API handlers: discovery, tokens, and the project lists clients read.

Real keystone: keystone/api/discovery.py (versions), keystone/api/auth.py
(AuthTokenResource, AuthProjectsResource, AuthCatalogResource),
keystone/api/_shared/authentication.py (authenticate_for_token) and
keystone/api/projects.py / users.py.  Policy follows keystone's defaults
(keystone/common/policies/).
"""
from labkit.keystone import schema
from labkit.keystone.exception import Forbidden, NotFound, Unauthorized, ValidationError
from labkit.wsgi.app import json_body, json_response

V3_UPDATED = "2020-04-07T00:00:00Z"
MEDIA_V3 = [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]


def v3_version(base):
    return {"id": "v3.14", "status": "stable", "updated": V3_UPDATED,
            "links": [{"rel": "self", "href": f"{base}/v3/"}], "media-types": MEDIA_V3}


def caller(req):
    """The validated caller's token body (set by AuthProtocol), or 401."""
    if req.environ.get("HTTP_X_IDENTITY_STATUS") != "Confirmed":
        raise Unauthorized()
    return req.environ["keystone.token_info"]["token"]


def collection_links(req):
    """A list's links: keystone lists everything on one page."""
    return {"self": req.url, "previous": None, "next": None}


def role_names(token):
    return {r["name"] for r in token.get("roles", ())}


class Controllers:
    """Every v3 handler, bound to the service's identity, catalog and token APIs."""

    def __init__(self, identity, catalog, tokens):
        self.identity, self.catalog, self.tokens = identity, catalog, tokens

    # -- discovery (keystone/api/discovery.py) -----------------------------------
    def get_versions(self, req):
        base = req.host_url
        return json_response(300, {"versions": {"values": [v3_version(base)]}},
                             headers={"Location": f"{base}/v3/"})

    def get_version_v3(self, req):
        return json_response(200, {"version": v3_version(req.host_url)})

    # -- POST /v3/auth/tokens ------------------------------------------------------
    def issue_token(self, req):
        """authenticate_for_token: run each method, resolve the scope, store, render."""
        body = json_body(req, lambda code, msg: ValidationError(msg))
        if not isinstance(body, dict) or not isinstance(body.get("auth"), dict):
            raise schema.expecting("auth", "request body")
        auth = body["auth"]
        schema.validate(auth, schema.token_issue)
        user, methods, parent = self._authenticate(auth["identity"])
        project = self._scope(auth.get("scope"), parent)
        token_id, ref = self.tokens.issue_token(user, methods, project, parent)
        data = self.tokens.render_v3(ref, include_catalog="nocatalog" not in req.GET)
        return json_response(201, data, headers={"X-Subject-Token": token_id,
                                                 "Vary": "X-Auth-Token"})

    def _authenticate(self, identity):
        """keystone/auth/core.py: each listed method must succeed for the same user."""
        methods = identity["methods"]
        if not methods or any(m not in ("password", "token") for m in methods):
            raise Unauthorized("Attempted to authenticate with an unsupported method.")
        for method in methods:
            if method not in identity:
                raise schema.expecting(method, "identity")
        user, parent = None, None
        if "password" in methods:      # keystone/auth/plugins/password.py
            ref = identity["password"]["user"]
            user = self.identity.authenticate(ref, ref.get("password"))
        if "token" in methods:         # keystone/auth/plugins/token.py
            try:
                parent = self.tokens.validate_token(identity["token"]["id"])
            except NotFound:
                raise Unauthorized() from None
            if user is not None and user["id"] != parent["user"]["id"]:
                raise Unauthorized()
            user = parent["user"]
        all_methods = list(methods)
        for method in (parent["methods"] if parent else ()):
            if method not in all_methods:
                all_methods.append(method)
        return user, all_methods, parent

    def _scope(self, scope, parent):
        """A project (or None for unscoped); domain and system scopes find no roles here."""
        if not scope:
            return parent["project"] if parent else None
        if scope == "system" or not isinstance(scope, dict) or "project" not in scope:
            # NOTE(labkit): no domain or system role assignments are seeded, so
            # keystone would refuse these scopes the same way.
            raise Unauthorized()
        return self.identity.find_project(scope["project"])

    # -- GET/HEAD/DELETE /v3/auth/tokens ----------------------------------------------
    def _subject(self, req):
        me = caller(req)
        subject_id = req.headers.get("X-Subject-Token")
        if not subject_id:
            raise schema.expecting("X-Subject-Token", "header")
        ref = self.tokens.validate_token(subject_id)
        if not ({"admin", "service"} & role_names(me) or me["user"]["id"] == ref["user"]["id"]):
            raise Forbidden("identity:validate_token")
        return subject_id, ref

    def validate_token(self, req):
        subject_id, ref = self._subject(req)
        data = self.tokens.render_v3(ref, include_catalog="nocatalog" not in req.GET)
        return json_response(200, data, headers={"X-Subject-Token": subject_id,
                                                 "Vary": "X-Auth-Token"})

    def check_token(self, req):
        subject_id, _ = self._subject(req)
        return json_response(200, None, headers={"X-Subject-Token": subject_id,
                                                 "Vary": "X-Auth-Token"})

    def revoke_token(self, req):
        subject_id, _ = self._subject(req)
        self.tokens.revoke_token(subject_id)
        return json_response(204)

    # -- projects and catalog ---------------------------------------------------------
    def _projects(self, req, projects):
        base = req.host_url
        for p in projects:
            p["links"] = {"self": f"{base}/v3/projects/{p['id']}"}
        return json_response(200, {"projects": projects, "links": collection_links(req)})

    def list_projects(self, req):
        """identity:list_projects: admin only."""
        if "admin" not in role_names(caller(req)):
            raise Forbidden("identity:list_projects")
        projects = self.identity.list_projects()
        for key in ("name", "domain_id"):
            if key in req.GET:
                projects = [p for p in projects if p[key] == req.GET[key]]
        return self._projects(req, projects)

    def get_project(self, req, project_id):
        me = caller(req)
        own = me.get("project", {}).get("id") == project_id
        if not own and "admin" not in role_names(me):
            raise Forbidden("identity:get_project")
        project = self.identity.get_project(project_id)
        project["links"] = {"self": f"{req.host_url}/v3/projects/{project_id}"}
        return json_response(200, {"project": project})

    def list_user_projects(self, req, user_id):
        """identity:list_user_projects: admin or the user themself."""
        me = caller(req)
        if me["user"]["id"] != user_id and "admin" not in role_names(me):
            raise Forbidden("identity:list_user_projects")
        self.identity.get_user(user_id)
        return self._projects(req, self.identity.list_projects(user_id))

    # -- users and role assignments (keystone/api/users.py, role_assignments.py) -------
    @staticmethod
    def _user_ref(req, user):
        ref = {"id": user["id"], "name": user["name"], "domain_id": user["domain"]["id"],
               "enabled": user["enabled"], "password_expires_at": None, "options": {},
               "links": {"self": f"{req.host_url}/v3/users/{user['id']}"}}
        if user["default_project_id"]:
            ref["default_project_id"] = user["default_project_id"]
        return ref

    def list_users(self, req):
        """identity:list_users: admin only; ``name`` and ``domain_id`` filter."""
        if "admin" not in role_names(caller(req)):
            raise Forbidden("identity:list_users")
        users = [self._user_ref(req, u) for u in self.identity.list_users()]
        for key in ("name", "domain_id"):
            if key in req.GET:
                users = [u for u in users if u[key] == req.GET[key]]
        return json_response(200, {"users": users, "links": collection_links(req)})

    def get_user(self, req, user_id):
        """identity:get_user: admin or the user themself."""
        me = caller(req)
        if me["user"]["id"] != user_id and "admin" not in role_names(me):
            raise Forbidden("identity:get_user")
        return json_response(200, {"user": self._user_ref(req, self.identity.get_user(user_id))})

    def list_role_assignments(self, req):
        """identity:list_role_assignments: admin only; filtered by ``scope.project.id``,
        ``user.id`` and ``role.id``.  NOTE(labkit): only user-on-project assignments are
        seeded, so a filter on a domain scope or a group matches none."""
        if "admin" not in role_names(caller(req)):
            raise Forbidden("identity:list_role_assignments")
        found = [] if {"scope.domain.id", "group.id"} & set(req.GET) else \
            self.identity.list_role_assignments(req.GET.get("scope.project.id"),
                                                req.GET.get("user.id"), req.GET.get("role.id"))
        base = req.host_url
        return json_response(200, {"role_assignments": [{
            "role": {"id": a["role_id"]}, "user": {"id": a["user_id"]},
            "scope": {"project": {"id": a["project_id"]}},
            "links": {"assignment": f"{base}/v3/projects/{a['project_id']}/users/"
                                    f"{a['user_id']}/roles/{a['role_id']}"}} for a in found],
            "links": collection_links(req)})

    def auth_projects(self, req):
        return self._projects(req, self.identity.list_projects(caller(req)["user"]["id"]))

    def auth_catalog(self, req):
        me = caller(req)
        if "project" not in me:
            raise Forbidden(message="A project-scoped token is required to produce a "
                                    "service catalog.")
        return json_response(200, {"catalog": self.catalog.get_v3_catalog(),
                                   "links": collection_links(req)})

