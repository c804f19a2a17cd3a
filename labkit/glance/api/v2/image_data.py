"""An image's data: upload it to the store, download it back.

Real glance: glance/api/v2/image_data.py (ImageDataController.upload and
download), which reach the store through glance_store (glance_store/driver.py);
policy from glance/policies/image.py (upload_image, download_image).
"""
from labkit.glance.api.v2.images import check_owner, get_visible
from labkit.keystonemiddleware.auth_token import request_context
from labkit.wsgi.app import HTTPError, json_response


class ImageDataController:
    def __init__(self, repo, store):
        self.repo, self.store = repo, store

    def upload(self, req, image_id):
        """``PUT /v2/images/{id}/file``: the bytes go to the store, the image turns active."""
        context = request_context(req.environ)
        image = get_visible(self.repo, context, image_id)
        check_owner(context, image, "upload_image")
        if req.content_type != "application/octet-stream":
            raise HTTPError(415, "Content-Type must be application/octet-stream")
        if image["status"] != "queued":
            raise HTTPError(409, f"Image status transition from {image['status']} to saving "
                                 "is not allowed")
        size, checksum, multihash = self.store.add(image_id, req.body)
        done = self.repo.update(image_id, {"status": "active", "size": size,
                                           "virtual_size": None, "checksum": checksum,
                                           "os_hash_algo": "sha512", "os_hash_value": multihash},
                                from_status="queued")
        if not done:
            self.store.delete(image_id)
            raise HTTPError(409, "Image status transition from active to saving is not allowed")
        return json_response(204)

    def download(self, req, image_id):
        """``GET /v2/images/{id}/file``: the stored bytes, with their MD5."""
        image = get_visible(self.repo, request_context(req.environ), image_id)
        if image["status"] == "deactivated":
            raise HTTPError(403, "The requested image has been deactivated. Image data "
                                 "download is forbidden.")
        data = self.store.get(image_id)
        if data is None:      # no data uploaded (or a seeded image): glance answers 204
            return json_response(204)
        resp = json_response(200)
        resp.content_type = "application/octet-stream"
        resp.body = data
        if image["checksum"]:
            resp.headers["Content-MD5"] = image["checksum"]
        return resp
