"""How a key pair looks in a response (nova/api/openstack/compute/views/keypairs.py).

``type`` is shown from 2.2 on; a list shows name, public key and fingerprint,
a created key pair adds its user (and the private key, if nova made it), a
shown one adds the database columns (``deleted`` always false: nova never
shows a deleted key pair).
"""
from labkit.nova.api.openstack import common
from labkit.nova.utils import isotime

_INDEX = ("name", "public_key", "fingerprint")
_CREATE = _INDEX + ("user_id",)
_SHOW = _CREATE + ("created_at", "deleted", "deleted_at", "id", "updated_at")


def _build(keypair, attrs):
    body = {attr: keypair[attr] for attr in attrs}
    for key in ("created_at", "updated_at"):
        if body.get(key):
            body[key] = isotime(body[key])
    return body


def create(keypair, private_key=None, key_type=False):
    attrs = (("type",) if key_type else ()) + _CREATE
    body = _build(keypair, attrs)
    if private_key is not None:
        body["private_key"] = private_key
    return {"keypair": body}


def index(req, keypairs, key_type=False, links=False):
    attrs = _INDEX + (("type",) if key_type else ())
    body = {"keypairs": [{"keypair": _build(k, attrs)} for k in keypairs]}
    if links:
        next_links = common.get_collection_links(req, keypairs, "os-keypairs", "name")
        if next_links:
            body["keypairs_links"] = next_links
    return body


def show(keypair, key_type=False):
    return {"keypair": _build(keypair, _SHOW + (("type",) if key_type else ()))}
