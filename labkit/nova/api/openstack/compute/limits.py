"""GET /limits: the caller's project's quotas and how much of them is used.

Real nova: nova/api/openstack/compute/limits.py:LimitsController.  An admin
may ask for another project (``?tenant_id=``).  2.36 drops the network
proxies' limits, 2.39 ``maxImageMeta``, 2.57 the personality files'; 2.75
refuses unknown query parameters.
"""
from labkit.nova import policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import wsgi
from labkit.nova.api.openstack.compute.schemas import limits as schema
from labkit.nova.api.openstack.compute.views import limits as limits_view

FILTERED_LIMITS_v236 = ["floating_ips", "security_groups", "security_group_rules"]
FILTERED_LIMITS_v257 = FILTERED_LIMITS_v236 + ["injected_files", "injected_file_content_bytes"]


class LimitsController:
    def __init__(self, quotas):
        self.quotas = quotas

    def index(self, req):
        v = req.api_version_request
        validation.validate_query(req, schema.index_query_v275 if v.matches("2.75")
                                  else schema.index_query)
        filtered = FILTERED_LIMITS_v257 if v.matches("2.57") else \
            FILTERED_LIMITS_v236 if v.matches("2.36") else []
        context = req.environ["nova.context"]
        policy.check(context, "os_compute_api:limits")
        project_id = context.project_id
        if "tenant_id" in req.GET:
            project_id = req.GET.get("tenant_id")
            policy.check(context, "os_compute_api:limits:other_project")
        quotas = self.quotas.get_project_quotas(context, project_id, usages=True)
        return wsgi.response(200, limits_view.build(quotas, filtered,
                                                    max_image_meta=not v.matches("2.39")))
