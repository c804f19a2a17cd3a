"""placement's microversions: read ``OpenStack-API-Version: placement X.Y``, echo it back.

Real placement: placement/microversion.py (MicroversionMiddleware,
VERSIONS) on the microversion_parse library.
"""
import json
import re

from labkit.placement.errors import error_body

MIN_VERSION = (1, 0)
MAX_VERSION = (1, 39)
KEY = "placement.microversion"
_VERSION = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


def version_string(version):
    return "%d.%d" % version


def parse(environ):
    """The requested version, ``(1, 0)`` when none; raises ValueError(status, message)."""
    header = environ.get("HTTP_OPENSTACK_API_VERSION", "")
    wanted = None
    for part in header.split(","):
        service, _, value = part.strip().partition(" ")
        if service.lower() == "placement":
            wanted = value.strip()
    if wanted is None:
        return MIN_VERSION
    if wanted == "latest":
        return MAX_VERSION
    match = _VERSION.match(wanted)
    if not match:
        raise ValueError(400, f"invalid version string: {wanted}")
    version = (int(match.group(1)), int(match.group(2)))
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise ValueError(406, f"Unacceptable version header: {wanted}")
    return version


def want(req, version):
    """True when the request asked for at least ``"1.N"``."""
    major, minor = version.split(".")
    return req.environ[KEY] >= (int(major), int(minor))


class MicroversionMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            version = parse(environ)
        except ValueError as exc:
            status, message = exc.args
            title = "Bad Request" if status == 400 else "Not Acceptable"
            raw = json.dumps(error_body(status, message, title,
                                        environ.get("openstack.request_id"))).encode()
            start_response(f"{status} {title}", [("Content-Type", "application/json"),
                                                 ("Content-Length", str(len(raw)))])
            return [raw]
        environ[KEY] = version
        echo = [("OpenStack-API-Version", "placement " + version_string(version)),
                ("Vary", "openstack-api-version")]

        def _start(status, headers, exc_info=None):
            return start_response(status, headers + echo, exc_info)
        return self.app(environ, _start)
