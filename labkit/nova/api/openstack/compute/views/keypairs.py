"""How a key pair looks in a response (nova/api/openstack/compute/views/keypairs.py).

``type`` is shown from 2.2 on; a list shows name, public key and fingerprint,
a created key pair adds its user (and the private key, if nova made it), a
shown one adds the database columns (``deleted`` always false: nova never
shows a deleted key pair; ``created_at`` as nova's JSON writes a datetime,
with microseconds and no zone).
"""
from labkit.nova.api.openstack import common

_INDEX = ("name", "public_key", "fingerprint")
_CREATE = _INDEX + ("user_id",)
_SHOW = _CREATE + ("created_at", "deleted", "deleted_at", "id", "updated_at")


def _build(keypair, attrs):
    return {attr: keypair[attr] for attr in attrs}


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
