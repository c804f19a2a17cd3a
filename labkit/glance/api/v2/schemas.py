"""The image schema: what glance accepts in a create and shows at /v2/schemas/image.

Real glance: glance/api/v2/images.py:get_base_properties / get_schema and
glance/api/v2/schemas.py.
"""
import functools

import jsonschema

from labkit.common import schema as schema_cache
from labkit.wsgi.app import json_response

DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop"]
CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]
READ_ONLY = ("created_at", "updated_at", "status", "checksum", "os_hash_algo",
             "os_hash_value", "size", "virtual_size", "direct_url", "self", "file", "schema",
             "locations")
RESERVED = ("location", "deleted", "deleted_at")

BASE_PROPERTIES = {
    "id": {"type": "string", "pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
                                        "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"},
    "name": {"type": ["null", "string"], "maxLength": 255},
    "status": {"type": "string", "readOnly": True,
               "enum": ["queued", "saving", "active", "killed", "deleted", "uploading",
                        "importing", "pending_delete", "deactivated"]},
    "visibility": {"type": "string", "enum": ["community", "public", "private", "shared"]},
    "protected": {"type": "boolean"},
    "os_hidden": {"type": "boolean"},
    "checksum": {"type": ["null", "string"], "readOnly": True, "maxLength": 32},
    "os_hash_algo": {"type": ["null", "string"], "readOnly": True, "maxLength": 64},
    "os_hash_value": {"type": ["null", "string"], "readOnly": True, "maxLength": 128},
    "owner": {"type": ["null", "string"], "maxLength": 255},
    "size": {"type": ["null", "integer"], "readOnly": True},
    "virtual_size": {"type": ["null", "integer"], "readOnly": True},
    "container_format": {"type": ["null", "string"], "enum": [None] + CONTAINER_FORMATS},
    "disk_format": {"type": ["null", "string"], "enum": [None] + DISK_FORMATS},
    "created_at": {"type": "string", "readOnly": True},
    "updated_at": {"type": "string", "readOnly": True},
    "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
    "min_ram": {"type": "integer"},
    "min_disk": {"type": "integer"},
    "self": {"type": "string", "readOnly": True},
    "file": {"type": "string", "readOnly": True},
    "schema": {"type": "string", "readOnly": True},
}
LINKS = [{"rel": "self", "href": "{self}"}, {"rel": "enclosure", "href": "{file}"},
         {"rel": "describedby", "href": "{schema}"}]


@functools.lru_cache(maxsize=None)
def image_schema():
    """The image schema (built once: validators are cached per schema object)."""
    return {"name": "image", "properties": dict(BASE_PROPERTIES),
            "additionalProperties": {"type": "string"}, "links": LINKS}


def images_schema():
    return {"name": "images",
            "properties": {"images": {"type": "array", "items": image_schema()},
                           "schema": {"type": "string"}, "first": {"type": "string"},
                           "next": {"type": "string"}},
            "links": [{"rel": "first", "href": "{first}"}, {"rel": "next", "href": "{next}"},
                      {"rel": "describedby", "href": "{schema}"}]}


def image(req):
    """``GET /v2/schemas/image`` (real glance: glance/api/v2/schemas.py:Controller.image)."""
    return json_response(200, image_schema())


def images(req):
    """``GET /v2/schemas/images`` (real glance: glance/api/v2/schemas.py:Controller.images)."""
    return json_response(200, images_schema())


def validate(image):
    """Returns None, or the message of glance's 400 ("Provided object does not match ...")."""
    try:
        schema_cache.validate(image, image_schema())
    except jsonschema.ValidationError as exc:
        return f"Provided object does not match schema 'image': {exc.message}"
    return None
