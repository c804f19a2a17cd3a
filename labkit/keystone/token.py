"""Issue, validate and revoke tokens, and render them as the v3 and v2.0 APIs show them.

Real keystone: keystone/token/provider.py (Manager.issue_token,
validate_token, revoke_token), keystone/models/token_model.py and
keystone/common/render_token.py (render_token_response_from_model); v2.0
rendering from Juno's keystone/token/providers/common.py (V2TokenDataHelper).

NOTE(labkit): tokens are opaque random strings of Fernet's length kept in the
``token`` table (real Fernet tokens are encrypted payloads nobody stores).
"""
import datetime

import sqlalchemy as sa

from labkit.keystone import models
from labkit.keystone.exception import NotFound, Unauthorized

V3_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def isotime(dt, fmt=V3_TIME):
    """keystone/common/utils.py:isotime(subsecond=True): always ends in ``Z``."""
    return dt.strftime(fmt)


class TokenAPI:
    def __init__(self, db, identity, catalog, ids, conf):
        self.db, self.identity, self.catalog = db, identity, catalog
        self.ids, self.conf = ids, conf
        self.admin_project_id = None     # set by the service from its seed data

    def issue_token(self, user, methods, project=None, parent=None):
        """Store a new token; returns ``(token_id, token_ref)``.

        A project scope needs at least one role there (else 401, as
        keystone/token/models: "User has no access to project").  ``parent``
        is the token being re-scoped: the new one keeps its expiry.
        """
        roles = []
        if project is not None:
            roles = self.identity.get_roles_for_user_and_project(user["id"], project["id"])
            if not roles:
                raise Unauthorized()
        issued = utcnow()
        expires = (parent["expires"] if parent else
                   issued + datetime.timedelta(seconds=self.conf.token_expiration))
        audit_ids = [self.ids.token(16)] + (parent["audit_ids"][:1] if parent else [])
        token_id = self.ids.token()
        row = {"id": token_id, "user_id": user["id"],
               "project_id": project["id"] if project else None,
               "roles": [r["id"] for r in roles], "methods": methods, "issued_at": issued,
               "expires": expires, "audit_ids": audit_ids, "valid": True}
        with self.db.transaction() as conn:
            conn.execute(models.token.insert(), row)
        return token_id, dict(row, user=user, project=project, roles=roles)

    def validate_token(self, token_id):
        """The token's ref, or 404 ``Could not find token`` if unknown, revoked or expired."""
        t = models.token
        with self.db.transaction() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == token_id)).first()
        if row is None or not row.valid or row.expires <= utcnow():
            raise NotFound("token", token_id)
        ref = dict(row._mapping)
        try:
            ref["user"] = self.identity.get_user(row.user_id)
            ref["project"] = row.project_id and self.identity.get_project(row.project_id)
        except NotFound:
            raise NotFound("token", token_id) from None
        if not ref["user"]["enabled"]:
            raise NotFound("token", token_id)
        ref["roles"] = self.identity.get_roles(row.roles)
        return ref

    def revoke_token(self, token_id):
        """keystone/token/provider.py:revoke_token (a revocation event in real keystone)."""
        self.validate_token(token_id)
        with self.db.transaction() as conn:
            conn.execute(models.token.update().where(models.token.c.id == token_id)
                         .values(valid=False))

    # -- rendering ---------------------------------------------------------------
    def render_v3(self, ref, include_catalog=True):
        """The ``{"token": {...}}`` body of POST/GET /v3/auth/tokens."""
        user = ref["user"]
        token = {"methods": list(ref["methods"]),
                 "user": {"domain": dict(user["domain"]), "id": user["id"],
                          "name": user["name"], "password_expires_at": None},
                 "audit_ids": list(ref["audit_ids"]),
                 "expires_at": isotime(ref["expires"]),
                 "issued_at": isotime(ref["issued_at"])}
        project = ref["project"]
        if project:
            token["project"] = {"domain": self.identity.get_domain(project["domain_id"]),
                                "id": project["id"], "name": project["name"]}
            token["is_domain"] = False
            # devstack sets [resource]admin_project_name = admin, so keystone
            # marks whether this is the cloud's admin project.
            token["is_admin_project"] = project["id"] == self.admin_project_id
            token["roles"] = [dict(r) for r in ref["roles"]]
            if include_catalog:
                token["catalog"] = self.catalog.get_v3_catalog()
        return {"token": token}

    def render_v2(self, token_id, ref):
        """The ``{"access": {...}}`` body of Juno's POST /v2.0/tokens."""
        project, user = ref["project"], ref["user"]
        token = {"issued_at": isotime(ref["issued_at"], "%Y-%m-%dT%H:%M:%S.%f"),
                 "expires": isotime(ref["expires"], "%Y-%m-%dT%H:%M:%SZ"),
                 "id": token_id, "audit_ids": list(ref["audit_ids"])}
        access = {"token": token, "serviceCatalog": [],
                  "user": {"username": user["name"], "roles_links": [], "id": user["id"],
                           "roles": [{"name": r["name"]} for r in ref["roles"]],
                           "name": user["name"]},
                  "metadata": {"is_admin": 0, "roles": [r["id"] for r in ref["roles"]]}}
        if project:
            token["tenant"] = {"description": project["description"] or None,
                               "enabled": True, "id": project["id"], "name": project["name"]}
            access["serviceCatalog"] = self.catalog.get_v2_catalog(project["id"])
        return {"access": access}
