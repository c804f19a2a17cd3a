"""GET /: the version document, served without a token.

Real placement: placement/handlers/root.py:home.
"""
from labkit.placement import microversion
from labkit.wsgi.app import json_response


def home(req):
    return json_response(200, {"versions": [{
        "id": "v1.0", "max_version": microversion.version_string(microversion.MAX_VERSION),
        "min_version": microversion.version_string(microversion.MIN_VERSION),
        "status": "CURRENT", "links": [{"rel": "self", "href": ""}]}]})
