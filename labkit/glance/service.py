"""The glance service: its database, its route table and its WSGI stack.

Real glance: glance/api/v2/router.py (API.__init__'s mapper) behind
glance-api-paste.ini's pipeline (versionnegotiation, authtoken, context).
"""
from labkit.glance.api import versions
from labkit.glance.api.v2 import schemas
from labkit.glance.api.v2.image_data import ImageDataController
from labkit.glance.api.v2.images import ImagesController
from labkit.glance.db.sqlalchemy import models
from labkit.glance.db.sqlalchemy.api import ImageRepo
from labkit.glance_store.driver import MemoryStore
from labkit.keystonemiddleware.auth_token import AuthProtocol
from labkit.wsgi import service_stack
from labkit.wsgi.app import Router

NODE = "glance"


def error_body(code, message, title):
    """NOTE(labkit): glance's webob errors are text or HTML; labkit answers JSON."""
    return {"code": code, "title": title, "message": message}


def seed(repo, images, projects):
    """Create data/images.json's images, active, owned by the named project."""
    owners = {p["name"]: p["id"] for p in projects}
    for image in images:
        values = {k: image.get(k) for k in ("id", "name", "disk_format", "container_format",
                                            "visibility", "size")}
        values.update(status="active", owner=owners.get(image.get("owner"), image.get("owner")),
                      min_disk=image.get("min_disk", 0), min_ram=image.get("min_ram", 0),
                      protected=image.get("protected", False), os_hidden=False,
                      checksum=image.get("checksum"), os_hash_algo=image.get("os_hash_algo"),
                      os_hash_value=image.get("os_hash_value"), virtual_size=None)
        repo.create(values, image.get("properties", {}), image.get("tags", []))


class GlanceService:
    """glance-api on its own port (unversioned in the catalog, like devstack's)."""

    def __init__(self, lab):
        self.lab = lab
        self.db = lab.database(NODE, models.metadata)
        self.repo = ImageRepo(self.db)
        self.store = MemoryStore()
        if self.db.created:            # a restarted glance process finds its records
            seed(self.repo, lab.data["images"]["images"], lab.data["identities"]["projects"])
        images = ImagesController(self.repo, self.store, lab.ids)
        image_data = ImageDataController(self.repo, self.store)
        routes = [
            ("GET", "/", versions.root),
            ("GET", "/versions", versions.versions),
            ("GET", "/v2/images", images.index),
            ("POST", "/v2/images", images.create),
            ("GET", "/v2/images/{image_id}", images.show),
            ("PATCH", "/v2/images/{image_id}", images.update),
            ("DELETE", "/v2/images/{image_id}", images.delete),
            ("PUT", "/v2/images/{image_id}/file", image_data.upload),
            ("GET", "/v2/images/{image_id}/file", image_data.download),
            ("GET", "/v2/schemas/image", schemas.image),
            ("GET", "/v2/schemas/images", schemas.images),
        ]
        self.auth = AuthProtocol(Router(routes, error_body), lab, NODE,
                                 public_paths=("/", "/versions"))
        self.app = service_stack(self.auth, NODE, lab, error_body, limit_body=False)

    def stop(self):
        self.auth.close()
        self.db.close()


