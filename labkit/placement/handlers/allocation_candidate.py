"""GET /allocation_candidates: where could this request fit, and how full is each place.

Real placement: placement/handlers/allocation_candidate.py
(list_allocation_candidates, _transform_allocation_requests_dict,
_transform_provider_summaries) and placement/lib.py (RequestGroup parsing).
"""
import re

from labkit.placement.errors import PlacementError
from labkit.placement.handlers import Handler
from labkit.placement.microversion import want
from labkit.placement.objects import allocation_candidate, resource_provider
from labkit.placement.util import handler, normalize_in
from labkit.wsgi.app import json_response

PARAMS = (("resources", "1.10"), ("limit", "1.16"), ("required", "1.17"),
          ("member_of", "1.21"), ("group_policy", "1.25"), ("in_tree", "1.31"),
          ("root_required", "1.35"))
_RESOURCE = re.compile(r"^([A-Z0-9_]+):(-?\d+)$")


def parse_resources(value):
    """``VCPU:1,MEMORY_MB:512`` → ``{"VCPU": 1, "MEMORY_MB": 512}``."""
    out = {}
    for part in value.split(","):
        match = _RESOURCE.match(part.strip())
        if not match:
            raise PlacementError(400, "Badly formed resources parameter. Expected resources "
                                      "query string parameter in form: ?resources=VCPU:2,"
                                      f"MEMORY_MB:1024. Got: {value}.")
        rc, amount = match.group(1), int(match.group(2))
        if amount < 1:
            raise PlacementError(400, f"Requested resource {rc} expected positive integer "
                                      f"amount. Got: {amount}.")
        out[rc] = amount
    return out


def _traits(values, allow_any_of):
    """``required``-style values → (any-of groups, forbidden names)."""
    groups, forbidden = [], set()
    for value in values:
        if allow_any_of and value.startswith("in:"):
            groups.append(normalize_in(value))
            continue
        for name in (v.strip() for v in value.split(",") if v.strip()):
            if name.startswith("!"):
                forbidden.add(name[1:])
            else:
                groups.append([name])
    return groups, forbidden


def parse_filters(req, params):
    """The filters find_providers takes, from resources/required/member_of/... params."""
    filters = {}
    if params.get("resources"):
        filters["resources"] = parse_resources(params["resources"])
    filters["required"], filters["forbidden"] = _traits(params.getall("required"),
                                                        want(req, "1.39"))
    filters["root_required"], filters["root_forbidden"] = _traits(
        params.getall("root_required"), False)
    member_of, forbidden_aggs = [], set()
    for value in params.getall("member_of"):
        if value.startswith("!"):
            forbidden_aggs.update(normalize_in(value[1:]))
        else:
            member_of.append(normalize_in(value))
    filters["member_of"], filters["forbidden_aggs"] = member_of, forbidden_aggs
    if params.get("in_tree"):
        filters["in_tree"] = params["in_tree"]
    return filters


def _check_params(req):
    allowed = {name for name, version in PARAMS if want(req, version)}
    unexpected = sorted(set(req.GET.keys()) - allowed)
    if unexpected:
        raise PlacementError(400, "Invalid query string parameters: Additional properties are "
                                  f"not allowed ('{unexpected[0]}' was unexpected)")
    if "resources" not in req.GET:
        raise PlacementError(400, "Invalid query string parameters: 'resources' is a required "
                                  "property")


def _limit(params):
    if "limit" not in params:
        return None
    try:
        limit = int(params["limit"])
    except ValueError:
        limit = 0
    if limit < 1:
        raise PlacementError(400, "Invalid query string parameters: "
                                  f"'{params['limit']}' does not match '^[1-9][0-9]*$'")
    return limit


class AllocationCandidateHandler(Handler):
    def __init__(self, db, ids, randomize=False):
        super().__init__(db, ids)
        self.randomize = randomize          # [placement] randomize_allocation_candidates

    def _providers(self, conn, limit, filters):
        """Every fitting provider, then ``limit`` of them: the first ones (in the database's
        order) or, with ``randomize``, a random sample of all (AllocationCandidates'
        limit_results, which also keeps only the summaries of the providers it kept)."""
        if not (self.randomize and limit):
            return allocation_candidate.find_providers(conn, limit=limit, **filters)
        providers = allocation_candidate.find_providers(conn, **filters)
        return self.ids.sample(providers, limit) if limit < len(providers) else providers

    @handler("placement:allocation_candidates:list", "1.10")
    def list_allocation_candidates(self, req):
        _check_params(req)
        filters = parse_filters(req, req.GET)
        requested = filters["resources"]
        with self.db.transaction() as conn:
            providers = self._providers(conn, _limit(req.GET), filters)
            summaries = allocation_candidate.summaries(
                conn, providers, None if want(req, "1.27") else set(requested))
            traits = resource_provider.get_traits(conn, [p["id"] for p in providers])
        versions = {v: want(req, v) for v in ("1.12", "1.17", "1.29", "1.34")}
        return json_response(200, {
            "allocation_requests": [self._request(versions, p, requested) for p in providers],
            "provider_summaries": {p["uuid"]: self._summary(versions, p, summaries[p["id"]],
                                                            traits[p["id"]])
                                   for p in providers}}, compact=True)

    @staticmethod
    def _request(versions, provider, requested):
        if not versions["1.12"]:
            return {"allocations": [{"resource_provider": {"uuid": provider["uuid"]},
                                     "resources": dict(requested)}]}
        out = {"allocations": {provider["uuid"]: {"resources": dict(requested)}}}
        if versions["1.34"]:
            out["mappings"] = {"": [provider["uuid"]]}
        return out

    @staticmethod
    def _summary(versions, provider, resources, traits):
        out = {"resources": resources}
        if versions["1.17"]:
            out["traits"] = traits
        if versions["1.29"]:
            out["parent_provider_uuid"] = provider["parent_provider_uuid"]
            out["root_provider_uuid"] = provider["root_provider_uuid"]
        return out
