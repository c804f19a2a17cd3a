"""glance's version document.

Real glance: glance/api/versions.py (Controller.index): ``GET /`` answers
300 Multiple Choices, ``GET /versions`` 200, both listing every v2 minor.
"""
from labkit.wsgi.app import json_response

CURRENT = 16


def version_list(base):
    out = []
    for minor in range(CURRENT, -1, -1):
        out.append({"id": f"v2.{minor}", "status": "CURRENT" if minor == CURRENT else "SUPPORTED",
                    "links": [{"rel": "self", "href": f"{base}/v2/"}]})
    return {"versions": out}


def root(req):
    return json_response(300, version_list(req.host_url))


def versions(req):
    return json_response(200, version_list(req.host_url))
