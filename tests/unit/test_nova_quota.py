"""Quotas, key pairs and the usage arithmetic on an in-memory database (no lab, no HTTP).

Real nova's counterparts: nova/tests/unit/test_quota.py (DbQuotaDriver),
nova/tests/unit/compute/test_utils.py (headroom), nova/tests/unit/test_crypto.py.
"""
import base64
import datetime
import hashlib
import types

import pytest

from labkit.config import Config
from labkit.db import Database
from labkit.nova import crypto, exception
from labkit.nova.api.openstack.compute import simple_tenant_usage
from labkit.nova.compute import utils as compute_utils
from labkit.nova.db import api as db
from labkit.nova.db import models
from labkit.nova.objects.keypair import KeyPair, KeyPairList
from labkit.nova.objects.quotas import Quotas
from labkit.nova.quota import QuotaEngine

NANO = {"name": "m1.nano", "vcpus": 1, "memory_mb": 192, "root_gb": 1, "ephemeral_gb": 0}


def _context(project_id="p", user_id="u"):
    handle = db.DbHandle(Database(models.metadata, "nova"), None, "nova-api")
    return types.SimpleNamespace(db=handle, trace_id=None, request_id="req-1",
                                 global_request_id=None, project_id=project_id,
                                 user_id=user_id, is_admin=False)


def _instance(context, uuid, user_id="u", **values):
    db.instance_create(context, {"uuid": uuid, "project_id": "p", "user_id": user_id,
                                 "vm_state": "active", "flavor": NANO, "deleted": 0, **values})


# -- crypto ------------------------------------------------------------------------------
def test_a_generated_rsa_key_encrypts_and_decrypts_and_its_fingerprint_is_its_md5():
    n, e, d, p, q = crypto.rsa_private_key(1024)
    assert n.bit_length() == 1024 and p * q == n and e == 65537
    message = 0x1ABCDEF
    assert pow(pow(message, e, n), d, n) == message
    private, public, fingerprint = crypto.generate_key_pair(1024)
    assert private.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    blob = base64.b64decode(public.split()[1])
    digest = hashlib.md5(blob).hexdigest()
    assert fingerprint == ":".join(digest[i:i + 2] for i in range(0, 32, 2))


@pytest.mark.parametrize("public_key", [
    "", "ssh-rsa", "ssh-foo AAAA", "ssh-rsa !!!",
    # the type inside the key is not the type in front of it
    "ssh-rsa " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" +
                                  bytes(32)).decode(),
    # an ed25519 key of 31 bytes; a field that runs past the end
    "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x1f" +
                                      bytes(31)).decode(),
    "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x01\x00").decode(),
])
def test_a_public_key_that_is_not_one_is_invalid(public_key):
    with pytest.raises(exception.InvalidKeypair, match="failed to generate fingerprint"):
        crypto.generate_fingerprint(public_key)


def test_a_certificate_must_be_one_der_sequence_of_three_parts():
    def pem(der):
        return ("-----BEGIN CERTIFICATE-----\n" + base64.b64encode(der).decode() +
                "\n-----END CERTIFICATE-----\n")
    seq = b"\x30\x03\x02\x01\x00"       # a SEQUENCE holding one INTEGER
    for der in (b"\x30\x05" + seq, b"\x02\x01\x00", b"\x30\x10" + seq):
        with pytest.raises(exception.InvalidKeypair, match="X509 fingerprint"):
            crypto.generate_x509_fingerprint(pem(der))
    three = b"\x30\x00" + b"\x30\x00" + b"\x03\x01\x00"
    der = bytes([0x30, len(three)]) + three
    assert crypto.generate_x509_fingerprint(pem(der)) == ":".join(
        hashlib.sha1(der).hexdigest()[i:i + 2] for i in range(0, 40, 2))


# -- key pairs -------------------------------------------------------------------------
def test_key_pairs_are_per_user_by_name_and_paged_after_a_marker():
    context = _context()
    for name in ("b", "a", "c"):
        KeyPair(context, user_id="u", name=name, public_key="x", fingerprint="f").create()
    KeyPair(context, user_id="other", name="a", public_key="x", fingerprint="f").create()
    with pytest.raises(exception.KeyPairExists):
        KeyPair(context, user_id="u", name="a", public_key="x", fingerprint="f").create()
    assert [k.name for k in KeyPairList.get_by_user(context, "u")] == ["a", "b", "c"]
    assert [k.name for k in KeyPairList.get_by_user(context, "u", limit=1, marker="a")] == ["b"]
    with pytest.raises(exception.MarkerNotFound):
        KeyPairList.get_by_user(context, "u", marker="zz")
    assert KeyPairList.get_count_by_user(context, "u") == 3
    KeyPair.destroy_by_name(context, "u", "a")
    with pytest.raises(exception.KeypairNotFound, match="Keypair a not found for user u"):
        KeyPair.get_by_name(context, "u", "a")


# -- the quota engine -----------------------------------------------------------------------
def test_limits_come_from_the_user_then_the_project_then_the_default_class_then_the_options():
    context, engine = _context(), QuotaEngine(Config(quota_instances=10, quota_cores=20))
    Quotas.create_limit(context, "default", "cores", 30)      # a project named "default"
    db_handle = context.db
    with db_handle.database.transaction() as conn:
        conn.execute(models.quota_classes.insert(), {"class_name": "default",
                                                     "resource": "cores", "hard_limit": 40})
    Quotas.create_limit(context, "p", "instances", 5)
    Quotas.create_limit(context, "p", "instances", 2, user_id="u")
    with pytest.raises(exception.QuotaExists):
        Quotas.create_limit(context, "p", "instances", 6)
    project = engine.get_project_quotas(context, "p", usages=False)
    assert project["instances"] == {"limit": 5} and project["cores"] == {"limit": 40}
    assert engine.get_user_quotas(context, "p", "u", usages=False)["instances"] == {"limit": 2}
    assert engine.get_user_quotas(context, "p", "v", usages=False)["instances"] == {"limit": 5}


def test_settable_quotas_leave_room_for_what_users_were_given():
    context, engine = _context(), QuotaEngine(Config(quota_instances=10))
    _instance(context, "i-1")
    _instance(context, "i-2", user_id="v")
    Quotas.create_limit(context, "p", "instances", 4, user_id="u")
    settable = engine.get_settable_quotas(context, "p")
    assert settable["instances"] == {"minimum": 4, "maximum": -1}   # 4 given away > 2 used
    # a user: at least what they use, at most what the project has left plus their own
    assert engine.get_settable_quotas(context, "p", user_id="u")["instances"] == \
        {"minimum": 1, "maximum": 10}


def test_check_deltas_counts_then_raises_over_quota_with_the_usages():
    context, engine = _context(), QuotaEngine(Config(quota_instances=2, quota_cores=-1))
    _instance(context, "i-1")
    engine.check_deltas(context, {"instances": 1, "cores": 1, "ram": 192}, "p")
    _instance(context, "i-2")
    with pytest.raises(exception.OverQuota) as caught:
        engine.check_deltas(context, {"instances": 1, "cores": 1, "ram": 192}, "p")
    assert caught.value.kwargs["overs"] == ["instances"]
    assert caught.value.kwargs["usages"] == {"instances": 2, "cores": 2, "ram": 384}


def test_check_num_instances_quota_boots_what_fits_or_says_why_not():
    context, engine = _context(), QuotaEngine(Config(quota_instances=5, quota_cores=3))
    _instance(context, "i-1")
    assert compute_utils.check_num_instances_quota(context, NANO, 1, 4, quotas=engine) == 2
    with pytest.raises(exception.TooManyInstances) as caught:
        compute_utils.check_num_instances_quota(context, NANO, 3, 4, quotas=engine)
    assert caught.value.format_message() == (
        "Quota exceeded for cores: Requested 4, but already used 1 of 3 cores")


def test_headroom_of_an_unlimited_resource_follows_the_instances():
    quotas = {"instances": 10, "cores": -1, "ram": 1000}
    usages = {"instances": 4, "cores": 8, "ram": 200}
    headroom = compute_utils.get_headroom(quotas, usages, {"instances": 2, "cores": 4})
    assert headroom == {"instances": 6, "cores": 12.0, "ram": 800}
    assert compute_utils.get_over_quota_detail(
        headroom, ["instances", "ram"], quotas, {"instances": "1-3", "ram": 3000}) == \
        ("instances, ram", "1-3, 3000", "10, 1000", "4, 200")


# -- usage ---------------------------------------------------------------------------------
@pytest.mark.parametrize("launched,terminated,hours", [
    ("2026-01-01T10:00:00", None, 2.0),                      # still running at the end
    ("2026-01-01T08:00:00", "2026-01-01T11:00:00", 2.0),     # before the start: from it
    ("2026-01-01T13:00:00", None, 0),                        # after the end
    ("2026-01-01T07:00:00", "2026-01-01T08:00:00", 0),       # over before the start
    (None, None, 0),                                          # never launched
])
def test_hours_within_the_period(launched, terminated, hours):
    instance = types.SimpleNamespace(launched_at=launched, terminated_at=terminated)
    start, stop = datetime.datetime(2026, 1, 1, 9), datetime.datetime(2026, 1, 1, 12)
    assert simple_tenant_usage._hours_for(instance, start, stop) == hours
