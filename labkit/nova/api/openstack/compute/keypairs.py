"""os-keypairs: a user's ssh (or x509) public keys, by name.

Real nova: nova/api/openstack/compute/keypairs.py:KeypairController.  Before
2.92 a create without ``public_key`` has nova generate the pair and return
the private key once; from 2.92 the key must be imported.  2.2 added
``type`` (and 201/204 instead of 200/202), 2.10 lets an admin act for
another user (``user_id``), 2.35 pages the list, 2.75 refuses unknown query
parameters.
"""
from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import keypairs as schema
from labkit.nova.api.openstack.compute.views import keypairs as view
from labkit.wsgi.app import HTTPError


class KeypairController:
    def __init__(self, keypair_api):
        self.api = keypair_api

    @staticmethod
    def _start(req, action, query_schema):
        """(context, user_id) once the query and the policy pass: ``?user_id=`` (from 2.10,
        the policy lets only an admin name another user), else the caller."""
        context = req.environ["nova.context"]
        validation.validate_query(req, query_schema)
        user_id = context.user_id
        if req.api_version_request.matches("2.10") and "user_id" in req.GET:
            user_id = req.GET.getall("user_id")[0]
        policy.check(context, f"os_compute_api:os-keypairs:{action}", target_user=user_id)
        return context, user_id

    def create(self, req):
        """Import ``public_key``, or (before 2.92) generate a key pair."""
        context = req.environ["nova.context"]
        v = req.api_version_request
        body = wsgi.loads(req)
        validation.validate(body, schema.create_schema(v))
        params = body["keypair"]
        name = params["name"].strip()
        key_type = params.get("type", "ssh")
        user_id = (params.get("user_id") if v.matches("2.10") else None) or context.user_id
        policy.check(context, "os_compute_api:os-keypairs:create", target_user=user_id)
        private_key = None
        try:
            if "public_key" in params:
                keypair = self.api.import_key_pair(context, user_id, name,
                                                   params["public_key"], key_type)
            else:
                keypair, private_key = self.api.create_key_pair(context, user_id, name,
                                                                key_type)
        except exception.KeypairLimitExceeded as exc:
            raise HTTPError(403, exc.format_message()) from None
        except exception.InvalidKeypair as exc:
            raise HTTPError(400, exc.format_message()) from None
        except exception.KeyPairExists as exc:
            raise HTTPError(409, exc.format_message()) from None
        return wsgi.response(201 if v.matches("2.2") else 200,
                             view.create(keypair, private_key, key_type=v.matches("2.2")))

    def index(self, req):
        v = req.api_version_request
        context, user_id = self._start(req, "index", schema.index_query(v))
        limit = marker = None
        if v.matches("2.35"):
            limit, marker = common.get_limit_and_marker(req)
        try:
            keypairs = self.api.get_key_pairs(context, user_id, limit=limit, marker=marker)
        except exception.MarkerNotFound as exc:
            raise HTTPError(400, exc.format_message()) from None
        return wsgi.response(200, view.index(req, keypairs, key_type=v.matches("2.2"),
                                             links=v.matches("2.35")))

    def show(self, req, keypair_name):
        context, user_id = self._start(req, "show", schema.show_query(req.api_version_request))
        try:
            keypair = self.api.get_key_pair(context, user_id, keypair_name)
        except exception.KeypairNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(200, view.show(keypair,
                                            key_type=req.api_version_request.matches("2.2")))

    def delete(self, req, keypair_name):
        context, user_id = self._start(req, "delete",
                                       schema.show_query(req.api_version_request))
        try:
            self.api.delete_key_pair(context, user_id, keypair_name)
        except exception.KeypairNotFound as exc:
            raise HTTPError(404, exc.format_message()) from None
        return wsgi.response(204 if req.api_version_request.matches("2.2") else 202)
