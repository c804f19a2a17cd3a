"""The images proxy: nova-api forwards to glance (nova/api/openstack/compute/images.py).

Deprecated, and gone from microversion 2.36 on (clients then ask glance
directly) — but it is what the walkthrough's ``nova --debug boot`` calls.
"""
from labkit.nova import exception
from labkit.nova.api.openstack import wsgi
from labkit.wsgi.app import HTTPError


class ImagesController:
    def __init__(self, base_url, image_api):
        self.base_url, self.image_api = base_url.rstrip("/"), image_api

    def _check_version(self, req):
        if req.api_version_request.matches("2.36"):
            raise HTTPError(404, "The resource could not be found.")

    def _view(self, image, detail):
        links = [{"rel": "self", "href": f"{self.base_url}/v2.1/images/{image['id']}"},
                 {"rel": "bookmark", "href": f"{self.base_url}/images/{image['id']}"}]
        body = {"id": image["id"], "name": image.get("name"), "links": links}
        if detail:
            body.update({"status": (image.get("status") or "").upper(),
                         "minRam": image.get("min_ram") or 0,
                         "minDisk": image.get("min_disk") or 0, "progress": 100,
                         "created": image.get("created_at"), "updated": image.get("updated_at"),
                         "metadata": {k: v for k, v in image.items()
                                      if k not in _STANDARD and isinstance(v, str)},
                         "OS-EXT-IMG-SIZE:size": image.get("size")})
        return body

    def _list(self, req, detail):
        self._check_version(req)
        context = req.environ["nova.context"]
        query = "&".join(f"{k}={v}" for k, v in req.GET.items() if k in ("name", "status"))
        resp = self.image_api.session.request(
            "GET", self.image_api.base + "/images" + (f"?{query}" if query else ""),
            token=context.auth_token, request_id=context.trace_id, raise_exc=False)
        images = resp.json().get("images", []) if resp.status == 200 else []
        return wsgi.response(200, {"images": [self._view(i, detail) for i in images]})

    def index(self, req):
        return self._list(req, detail=False)

    def detail(self, req):
        return self._list(req, detail=True)

    def show(self, req, image_id):
        self._check_version(req)
        try:
            image = self.image_api.get(req.environ["nova.context"], image_id)
        except (exception.ImageNotFound, exception.ImageNotAuthorized):
            raise HTTPError(404, "Image not found.") from None
        return wsgi.response(200, {"image": self._view(image, detail=True)})


_STANDARD = {"id", "name", "status", "visibility", "protected", "checksum", "size", "min_ram",
             "min_disk", "disk_format", "container_format", "owner", "created_at", "updated_at",
             "self", "file", "schema", "tags", "os_hash_algo", "os_hash_value", "os_hidden",
             "virtual_size"}
