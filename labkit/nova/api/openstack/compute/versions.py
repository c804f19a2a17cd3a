"""Version discovery for the compute API (nova/api/openstack/compute/versions.py).

No token and no microversion needed: clients read these to learn the
supported range (``min_version`` .. ``version``) before anything else.
"""
from labkit.nova.api.openstack import api_version_request
from labkit.wsgi.app import json_response


def v21(base, max_version):
    return {"id": "v2.1", "status": "CURRENT", "version": max_version,
            "min_version": api_version_request.MIN_VERSION, "updated": "2013-07-23T11:33:21Z",
            "links": [{"rel": "self", "href": f"{base}/v2.1/"},
                      {"rel": "describedby", "type": "text/html",
                       "href": "http://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.compute+json;version=2.1"}]}


def v20(base):
    return {"id": "v2.0", "status": "DEPRECATED", "version": "", "min_version": "",
            "updated": "2025-07-04T12:00:00Z",
            "links": [{"rel": "self", "href": f"{base}/v2/"},
                      {"rel": "describedby", "type": "text/html",
                       "href": "http://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.compute+json;version=2"}]}


class Versions:
    """``GET /``, ``GET /v2.1`` and ``GET /v2``."""

    def __init__(self, base, max_version):
        self.base, self.max_version = base.rstrip("/"), max_version

    def root(self):
        return json_response(200, {"versions": [v20(self.base),
                                                v21(self.base, self.max_version)]})

    def show(self, version):
        doc = v21(self.base, self.max_version) if version == "v2.1" else v20(self.base)
        return json_response(200, {"version": doc})
