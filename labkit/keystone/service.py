"""The keystone service: its database, its route table and its WSGI stack.

Real keystone: keystone/server/flask/application.py (the Flask app and its
blueprints from keystone/api/) behind keystone's own auth context middleware
(keystone/server/flask/request_processing/middleware/auth_context.py).
"""
from labkit.keystone import catalog, identity, models
from labkit.keystone.controllers import Controllers
from labkit.keystone.exception import error_body
from labkit.keystone.token import TokenAPI
from labkit.keystone.v2 import V2Controller
from labkit.keystonemiddleware.auth_token import AuthProtocol
from labkit.wsgi import service_stack
from labkit.wsgi.app import Router

NODE = "keystone"


class KeystoneService:
    """keystone on its own port: ``/v3`` (and the old ``/v2.0`` token call)."""

    def __init__(self, lab):
        self.lab = lab
        self.db = lab.database(NODE, models.metadata)
        ident = lab.data["identities"]
        if self.db.created:            # a restarted keystone process finds its data
            with self.db.transaction() as conn:
                identity.seed(conn, ident, lab.ids)
                catalog.seed(conn, lab.endpoints, ident["region"], lab.ids)
        self.identity = identity.IdentityAPI(self.db)
        self.catalog = catalog.CatalogAPI(self.db)
        self.tokens = TokenAPI(self.db, self.identity, self.catalog, lab.ids, lab.conf)
        self.tokens.admin_project_id = next(
            (p["id"] for p in ident["projects"] if p["name"] == "admin"), None)
        self.app = service_stack(self._build_app(), NODE, lab, error_body)

    def _build_app(self):
        v3 = Controllers(self.identity, self.catalog, self.tokens)
        v2 = V2Controller(self.identity, self.tokens)
        routes = [
            ("GET", "/", v3.get_versions),
            ("GET", "/v3", v3.get_version_v3),
            ("POST", "/v3/auth/tokens", v3.issue_token),
            ("GET", "/v3/auth/tokens", v3.validate_token),
            ("HEAD", "/v3/auth/tokens", v3.check_token),
            ("DELETE", "/v3/auth/tokens", v3.revoke_token),
            ("GET", "/v3/auth/projects", v3.auth_projects),
            ("GET", "/v3/auth/catalog", v3.auth_catalog),
            ("GET", "/v3/projects", v3.list_projects),
            ("GET", "/v3/projects/{project_id}", v3.get_project),
            ("GET", "/v3/users", v3.list_users),
            ("GET", "/v3/users/{user_id}", v3.get_user),
            ("GET", "/v3/users/{user_id}/projects", v3.list_user_projects),
            ("GET", "/v3/role_assignments", v3.list_role_assignments),
            ("GET", "/v2.0", v2.get_version),
            ("POST", "/v2.0/tokens", v2.authenticate),
        ]
        # keystone checks its own tokens in-process; requests without one
        # (discovery, POST tokens) go on and each handler decides.
        return AuthProtocol(Router(routes, error_body), self.lab, NODE,
                            delay_auth_decision=True, validator=self.validate)

    def validate(self, token_id):
        """A token's v3 body, or 404: what keystonemiddleware asks keystone for."""
        return self.tokens.render_v3(self.tokens.validate_token(token_id))

    def stop(self):
        self.db.close()
