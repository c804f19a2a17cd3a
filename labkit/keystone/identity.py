"""Users, projects, domains and role assignments: what a password or a scope resolves to.

Real keystone: keystone/identity/core.py (Manager.authenticate),
keystone/identity/backends/sql.py, keystone/resource/core.py (projects and
domains) and keystone/assignment/core.py (get_roles_for_user_and_project).
"""
import hashlib
import hmac

import sqlalchemy as sa

from labkit.keystone import models
from labkit.keystone.exception import NotFound, Unauthorized

ROOT_DOMAIN = "<<keystone.domain.root>>"
_ITERATIONS = 1000


def hash_password(password, salt):
    """NOTE(labkit): real keystone hashes with bcrypt (keystone/common/password_hashing.py)."""
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt.encode(), _ITERATIONS)
    return f"pbkdf2_sha512${_ITERATIONS}${salt}${digest.hex()}"


def check_password(password, hashed):
    _, iterations, salt, digest = hashed.split("$")
    candidate = hashlib.pbkdf2_hmac("sha512", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


def seed(conn, identities, ids):
    """Create the domain, projects, roles, users and assignments of data/identities.json."""
    domain = identities["domain"]
    conn.execute(models.project.insert(), [
        {"id": domain["id"], "name": domain["name"], "domain_id": ROOT_DOMAIN,
         "is_domain": True, "enabled": True}])
    conn.execute(models.project.insert(), [
        {"id": p["id"], "name": p["name"], "domain_id": domain["id"], "is_domain": False,
         "enabled": True, "description": p.get("description", "")}
        for p in identities["projects"]])
    role_ids = {name: ids.hex() for name in identities["roles"]}
    conn.execute(models.role.insert(), [{"id": rid, "name": name}
                                        for name, rid in role_ids.items()])
    project_ids = {p["name"]: p["id"] for p in identities["projects"]}
    for n, u in enumerate(identities["users"], start=1):
        # No default_project_id: a request without a scope gets an unscoped
        # token (keystone would otherwise scope it to the default project).
        conn.execute(models.user.insert(), {"id": u["id"], "domain_id": domain["id"],
                                            "enabled": True})
        conn.execute(models.local_user.insert(), {"id": n, "user_id": u["id"],
                                                  "domain_id": domain["id"], "name": u["name"]})
        conn.execute(models.password.insert(), {
            "local_user_id": n, "password_hash": hash_password(u["password"], ids.hex()[:16])})
        conn.execute(models.assignment.insert(), [
            {"type": "UserProject", "actor_id": u["id"], "target_id": project_ids[u["project"]],
             "role_id": role_ids[r], "inherited": False} for r in u["roles"]])


class IdentityAPI:
    """Read-side lookups that auth plugins and controllers share."""

    def __init__(self, db):
        self.db = db

    # -- domains ---------------------------------------------------------------
    def find_domain(self, ref):
        """``ref`` is ``{"id": ...}`` or ``{"name": ...}`` from an auth request."""
        p = models.project
        query = sa.select(p.c.id, p.c.name).where(p.c.is_domain.is_(True))
        if "id" in ref:
            query = query.where(p.c.id == ref["id"])
        else:
            query = query.where(p.c.name == ref.get("name"))
        with self.db.transaction() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise Unauthorized()
        return {"id": row.id, "name": row.name}

    # -- users -----------------------------------------------------------------
    def _user_query(self):
        u, lu = models.user, models.local_user
        return sa.select(u.c.id, lu.c.name, u.c.domain_id, u.c.enabled, lu.c.id.label("local_id"),
                         u.c.default_project_id).select_from(u.join(lu, lu.c.user_id == u.c.id))

    def get_user(self, user_id):
        with self.db.transaction() as conn:
            row = conn.execute(self._user_query().where(models.user.c.id == user_id)).first()
        if row is None:
            raise NotFound("user", user_id)
        return self._user(row)

    def list_users(self):
        """Every user, by name (keystone/identity/core.py:Manager.list_users)."""
        with self.db.transaction() as conn:
            rows = conn.execute(self._user_query().order_by(models.local_user.c.name)).all()
        return [self._user(row) for row in rows]

    def _user(self, row):
        domain = self.get_domain(row.domain_id)
        return {"id": row.id, "name": row.name, "domain": domain, "enabled": row.enabled,
                "default_project_id": row.default_project_id}

    def get_domain(self, domain_id):
        p = models.project
        with self.db.transaction() as conn:
            row = conn.execute(sa.select(p.c.id, p.c.name).where(p.c.id == domain_id)).first()
        return {"id": row.id, "name": row.name}

    def authenticate(self, user_ref, password):
        """Check a password; any mismatch is the same generic 401.

        Real keystone: keystone/identity/backends/sql.py:Identity.authenticate.
        """
        query = self._user_query()
        if "id" in user_ref:
            query = query.where(models.user.c.id == user_ref["id"])
        else:
            if "domain" not in user_ref:
                raise Unauthorized()
            domain = self.find_domain(user_ref["domain"])
            query = query.where(models.local_user.c.name == user_ref.get("name"),
                                models.local_user.c.domain_id == domain["id"])
        pw = models.password
        with self.db.transaction() as conn:
            row = conn.execute(query).first()
            hashed = row and conn.execute(sa.select(pw.c.password_hash).where(
                pw.c.local_user_id == row.local_id)).scalar()
        if row is None or not row.enabled or not check_password(password or "", hashed):
            raise Unauthorized()
        return self._user(row)

    # -- projects --------------------------------------------------------------
    def _project(self, row):
        return {"id": row.id, "name": row.name, "domain_id": row.domain_id,
                "description": row.description, "enabled": row.enabled,
                "is_domain": row.is_domain, "parent_id": row.domain_id,
                "tags": [], "options": {}}

    def find_project(self, ref):
        """A scope's project: by id, or by name within a domain (``{"name","domain"}``)."""
        p = models.project
        query = sa.select(p).where(p.c.is_domain.is_(False))
        if "id" in ref:
            query = query.where(p.c.id == ref["id"])
        else:
            if "domain" not in ref:
                raise Unauthorized()
            domain = self.find_domain(ref["domain"])
            query = query.where(p.c.name == ref.get("name"), p.c.domain_id == domain["id"])
        with self.db.transaction() as conn:
            row = conn.execute(query).first()
        if row is None or not row.enabled:
            raise Unauthorized()
        return self._project(row)

    def get_project(self, project_id):
        p = models.project
        with self.db.transaction() as conn:
            row = conn.execute(sa.select(p).where(p.c.id == project_id)).first()
        if row is None:
            raise NotFound("project", project_id)
        return self._project(row)

    def list_projects(self, user_id=None):
        """All projects, or those a user has a role on (list_projects_for_user)."""
        p, a = models.project, models.assignment
        query = sa.select(p).where(p.c.is_domain.is_(False)).order_by(p.c.name)
        if user_id is not None:
            query = query.where(p.c.id.in_(
                sa.select(a.c.target_id).where(a.c.actor_id == user_id,
                                               a.c.type == "UserProject")))
        with self.db.transaction() as conn:
            return [self._project(row) for row in conn.execute(query)]

    def get_roles_for_user_and_project(self, user_id, project_id):
        """``[{"id", "name"}]`` the user holds on the project (none: no access)."""
        r, a = models.role, models.assignment
        query = (sa.select(r.c.id, r.c.name)
                 .select_from(a.join(r, r.c.id == a.c.role_id))
                 .where(a.c.actor_id == user_id, a.c.target_id == project_id,
                        a.c.type == "UserProject").order_by(r.c.name))
        with self.db.transaction() as conn:
            return [{"id": row.id, "name": row.name} for row in conn.execute(query)]

    def list_role_assignments(self, project_id=None, user_id=None, role_id=None):
        """The user-on-project assignments that match every filter given
        (keystone/assignment/core.py:Manager.list_role_assignments)."""
        a = models.assignment
        query = sa.select(a.c.actor_id, a.c.target_id, a.c.role_id).where(
            a.c.type == "UserProject").order_by(a.c.target_id, a.c.actor_id, a.c.role_id)
        for column, value in ((a.c.target_id, project_id), (a.c.actor_id, user_id),
                              (a.c.role_id, role_id)):
            if value is not None:
                query = query.where(column == value)
        with self.db.transaction() as conn:
            return [{"user_id": r.actor_id, "project_id": r.target_id, "role_id": r.role_id}
                    for r in conn.execute(query)]

    def get_roles(self, role_ids):
        r = models.role
        with self.db.transaction() as conn:
            rows = conn.execute(sa.select(r.c.id, r.c.name).where(r.c.id.in_(role_ids)))
            names = {row.id: row.name for row in rows}
        return [{"id": rid, "name": names[rid]} for rid in role_ids if rid in names]
