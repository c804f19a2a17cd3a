"""Compute API microversions: parse, compare, negotiate.

Real nova: nova/api/openstack/api_version_request.py (APIVersionRequest,
_MIN_API_VERSION = "2.1", _MAX_API_VERSION = "2.104" in nova 34) and
wsgi.py:Request.set_api_version_request, which reads
``OpenStack-API-Version: compute X.Y`` or ``X-OpenStack-Nova-API-Version``.

NOTE(labkit): labkit's maximum is lower than nova's (see Config.max_api_version):
the response views below follow every microversion up to it.
"""
import functools
import re

from labkit.wsgi.app import HTTPError

MIN_VERSION = "2.1"
_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


class APIVersionRequest:
    __slots__ = ("ver_major", "ver_minor")

    def __init__(self, version_string):
        m = _RE.match(version_string or "")
        if not m:
            raise ValueError(version_string)
        self.ver_major, self.ver_minor = int(m.group(1)), int(m.group(2))

    def _key(self):
        return (self.ver_major, self.ver_minor)

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __eq__(self, other):
        return self._key() == other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def matches(self, min_version):
        """True from ``min_version`` on (views ask this for every key of every server)."""
        return self._key() >= _parsed(min_version)

    def get_string(self):
        return f"{self.ver_major}.{self.ver_minor}"

    def __str__(self):
        return self.get_string()


@functools.lru_cache(maxsize=256)
def _parsed(version_string):
    v = APIVersionRequest(version_string)
    return (v.ver_major, v.ver_minor)


def negotiate(environ, max_version):
    """The APIVersionRequest a request asked for; 400 or 406 when it can't have it."""
    value = None
    header = environ.get("HTTP_OPENSTACK_API_VERSION")
    if header:
        for item in header.split(","):
            service, _, version = item.strip().partition(" ")
            if service.strip().lower() == "compute":
                value = version.strip()
    if value is None:
        value = environ.get("HTTP_X_OPENSTACK_NOVA_API_VERSION")
    if not value:
        return APIVersionRequest(MIN_VERSION)
    if value.strip().lower() == "latest":
        return APIVersionRequest(max_version)
    try:
        requested = APIVersionRequest(value.strip())
    except ValueError:
        raise HTTPError(400, f"API Version String {value} is of invalid format. Must be of "
                             "format MajorNum.MinorNum.") from None
    if not APIVersionRequest(MIN_VERSION) <= requested <= APIVersionRequest(max_version):
        raise HTTPError(406, f"Version {value} is not supported by the API. Minimum is "
                             f"{MIN_VERSION} and maximum is {max_version}.")
    return requested
