"""The schemas API: ``GET /v2/schemas/image`` and ``/v2/schemas/images``.

Real glance: glance/api/v2/schemas.py (Controller.image and Controller.images,
which serve the schemas glance/api/v2/images.py defines).
"""
from labkit.glance.api.v2.images import get_collection_schema, get_schema
from labkit.wsgi.app import json_response


def image(req):
    """``GET /v2/schemas/image`` (real glance: glance/api/v2/schemas.py:Controller.image)."""
    return json_response(200, get_schema())


def images(req):
    """``GET /v2/schemas/images`` (real glance: glance/api/v2/schemas.py:Controller.images)."""
    return json_response(200, get_collection_schema())
