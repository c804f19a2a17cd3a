"""Ask keystone whether a project exists before touching its quotas.

Real nova: nova/api/openstack/identity.py:verify_project_id — a GET of
``/v3/projects/{id}`` with the caller's token: 404 means no such project (the
API answers 400), 403 means the caller may not look (nova lets it pass), any
other failure passes with a log line.

NOTE(labkit): nova builds a keystoneauth adapter on every call; labkit keeps
one Session per nova-api.
"""
import logging

from labkit.common.http import Session
from labkit.wsgi.app import HTTPError

LOG = logging.getLogger(__name__)


class Identity:
    def __init__(self, lab, node):
        self.base = lab.endpoints["keystone"] + "/v3"
        self.session = Session(node)

    def verify_project_id(self, context, project_id):
        """True, or a 400 in nova's words when keystone says there is no such project."""
        try:
            resp = self.session.request("GET", f"{self.base}/projects/{project_id}",
                                        token=context.auth_token,
                                        request_id=context.trace_id, raise_exc=False)
        except OSError:
            LOG.info("Unable to contact keystone to verify project_id")
            return True
        if resp.status == 404:
            raise HTTPError(400, f"Project ID {project_id} is not a valid project.")
        return True

    def close(self):
        self.session.close()
