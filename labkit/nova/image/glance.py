"""Nova's client for the image service, over HTTP with the user's token.

Real nova: nova/image/glance.py:API (get, create, upload via
GlanceImageServiceV2.update with data, delete) and
nova/compute/utils.py:create_image (the ``<name>-shelved`` snapshot record).
"""
from labkit.common.http import Session
from labkit.nova import exception


class API:
    def __init__(self, lab, node):
        self.base = lab.endpoints["glance"] + "/v2"
        self.session = Session(node)

    def _call(self, context, method, path, body=None, data=None):
        return self.session.request(method, self.base + path, json_body=body, data=data,
                                    token=context.auth_token, request_id=context.trace_id,
                                    raise_exc=False)

    def get(self, context, image_id):
        resp = self._call(context, "GET", f"/images/{image_id}")
        if resp.status == 404:
            raise exception.ImageNotFound(image_id=image_id)
        if resp.status == 403:
            raise exception.ImageNotAuthorized(image_id=image_id)
        if resp.status >= 400:
            raise exception.NovaException(f"image service error {resp.status}")
        return resp.json()

    def create(self, context, image_meta):
        resp = self._call(context, "POST", "/images", image_meta)
        if resp.status >= 400:
            raise exception.NovaException(f"image service refused the snapshot ({resp.status})")
        return resp.json()

    def upload(self, context, image_id, data):
        resp = self._call(context, "PUT", f"/images/{image_id}/file", data=data)
        if resp.status == 404:
            raise exception.ImageNotFound(image_id=image_id)
        if resp.status >= 400:
            raise exception.NovaException(f"image upload failed ({resp.status})")

    def delete(self, context, image_id):
        resp = self._call(context, "DELETE", f"/images/{image_id}")
        if resp.status == 404:
            raise exception.ImageNotFound(image_id=image_id)
        return resp.status == 204

    def close(self):
        self.session.close()


def create_image(context, instance, name, image_type, image_api, extra_properties=None):
    """The snapshot record nova-api makes before casting to compute (status ``queued``).

    Real nova: nova/compute/utils.py:create_image.
    """
    properties = {"instance_uuid": instance.uuid, "user_id": str(context.user_id),
                  "image_type": image_type, "base_image_ref": instance.image_ref}
    properties.update(extra_properties or {})
    meta = {"name": name, "visibility": "private", "container_format": "bare",
            "disk_format": "qcow2", "min_disk": (instance.flavor or {}).get("root_gb", 0),
            "min_ram": 0}
    meta.update(properties)
    return image_api.create(context, meta)
