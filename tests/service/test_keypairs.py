"""os-keypairs over real HTTP: generate, import, list, show, delete, microversion by
microversion, the key_pairs quota, and ``key_name`` on server create.

Expected bodies and messages are nova's (nova/api/openstack/compute/keypairs.py,
nova/exception.py, the API reference's os-keypairs samples).
"""
import base64
import datetime
import hashlib

import pytest

import labkit
from labkit.client import Client, fault as _fault

# a real OpenSSH ed25519 public key (32 key bytes), and its MD5 fingerprint worked out here
_ED25519_BLOB = (b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + bytes(range(32)))
ED25519 = "ssh-ed25519 " + base64.b64encode(_ED25519_BLOB).decode() + " learner@laptop"
_MD5 = hashlib.md5(_ED25519_BLOB).hexdigest()
ED25519_FINGERPRINT = ":".join(_MD5[i:i + 2] for i in range(0, 32, 2))


def test_import_list_show_delete_at_2_1(client):
    created = client.post("/os-keypairs", json={"keypair": {
        "name": "laptop", "public_key": ED25519}})
    assert created.status_code == 200, created.text          # 2.1: 200, no "type"
    body = created.json()["keypair"]
    assert body == {"name": "laptop", "public_key": ED25519,
                    "fingerprint": ED25519_FINGERPRINT, "user_id": client.token_body["user"]["id"]}
    listed = client.get("/os-keypairs").json()
    assert listed == {"keypairs": [{"keypair": {"name": "laptop", "public_key": ED25519,
                                                "fingerprint": ED25519_FINGERPRINT}}]}
    shown = client.get("/os-keypairs/laptop").json()["keypair"]
    assert set(shown) == {"name", "public_key", "fingerprint", "user_id", "created_at",
                          "deleted", "deleted_at", "id", "updated_at"}
    assert shown["deleted"] is False and shown["deleted_at"] is None
    assert shown["updated_at"] is None
    datetime.datetime.strptime(shown["created_at"], "%Y-%m-%dT%H:%M:%S.%f")   # nova's form
    assert client.send("DELETE", "/os-keypairs/laptop").status_code == 202    # 2.1: 202
    assert _fault(client.get("/os-keypairs/laptop"), 404) == \
        f"Keypair laptop not found for user {client.token_body['user']['id']}"


def test_generate_at_2_2_returns_the_private_key_once(lab):
    c = Client(lab, microversion="2.2")
    resp = c.post("/os-keypairs", json={"keypair": {"name": "made-here"}})
    assert resp.status_code == 201, resp.text                # 2.2: 201, with "type"
    body = resp.json()["keypair"]
    assert body["type"] == "ssh" and body["private_key"].startswith(
        "-----BEGIN RSA PRIVATE KEY-----")
    assert body["public_key"].startswith("ssh-rsa ") and \
        body["public_key"].endswith(" Generated-by-Nova")
    shown = c.get("/os-keypairs/made-here").json()["keypair"]
    assert "private_key" not in shown and shown["type"] == "ssh"
    assert shown["fingerprint"] == body["fingerprint"]
    assert c.send("DELETE", "/os-keypairs/made-here").status_code == 204      # 2.2: 204


def test_2_92_imports_only(lab):
    c = Client(lab, microversion="2.92")
    message = _fault(c.post("/os-keypairs", json={"keypair": {"name": "k"}}), 400)
    assert message == ("Invalid input for field/attribute keypair. Value: {'name': 'k'}. "
                       "'public_key' is a required property")
    resp = c.post("/os-keypairs", json={"keypair": {"name": "me@host.x",
                                                    "public_key": ED25519}})
    assert resp.status_code == 201 and "private_key" not in resp.json()["keypair"]
    c.send("DELETE", "/os-keypairs/me@host.x")


def test_bad_input_gets_novas_400_404_409(client):
    assert _fault(client.post("/os-keypairs", json={"keypair": {
        "name": "x", "public_key": "ssh-rsa not-base64!"}}), 400) == \
        "Keypair data is invalid: failed to generate fingerprint"
    assert _fault(client.post("/os-keypairs", json={"keypair": {
        "name": "x", "public_key": ED25519.replace("ssh-ed25519 ", "ssh-rsa ", 1)}}), 400) == \
        "Keypair data is invalid: failed to generate fingerprint"
    assert _fault(client.post("/os-keypairs", json={"keypair": {"name": "a/b"}}),
                  400).startswith("Invalid input for field/attribute name.")
    assert _fault(client.post("/os-keypairs", json={"keypair": {"name": "k", "type": "ssh"}}),
                  400).startswith("Invalid input for field/attribute keypair.")  # 2.2 on
    body = {"keypair": {"name": "twice", "public_key": ED25519}}
    assert client.post("/os-keypairs", json=body).status_code == 200
    assert _fault(client.post("/os-keypairs", json=body), 409) == \
        "Key pair 'twice' already exists."
    assert _fault(client.send("DELETE", "/os-keypairs/nosuch"), 404).startswith("Keypair nosuch")
    client.send("DELETE", "/os-keypairs/twice")


def test_paging_from_2_35_and_unknown_query_from_2_75(lab):
    c = Client(lab, microversion="2.35")
    for name in ("p-a", "p-b", "p-c"):
        c.post("/os-keypairs", json={"keypair": {"name": name, "public_key": ED25519}})
    page = c.get("/os-keypairs?limit=2").json()
    assert [k["keypair"]["name"] for k in page["keypairs"]] == ["p-a", "p-b"]
    assert page["keypairs_links"][0]["rel"] == "next"
    assert page["keypairs_links"][0]["href"].endswith("/os-keypairs?limit=2&marker=p-b")
    rest = c.get("/os-keypairs?limit=2&marker=p-b").json()
    assert [k["keypair"]["name"] for k in rest["keypairs"]] == ["p-c"]
    assert "keypairs_links" not in rest
    assert _fault(c.get("/os-keypairs?marker=nosuch"), 400) == \
        "Marker nosuch could not be found."
    assert c.get("/os-keypairs?bogus=1").status_code == 200            # ignored before 2.75
    message = _fault(Client(lab, microversion="2.75").get("/os-keypairs?bogus=1"), 400)
    assert message == "Additional properties are not allowed ('bogus' was unexpected)"
    for name in ("p-a", "p-b", "p-c"):
        c.send("DELETE", f"/os-keypairs/{name}")


def test_another_users_key_pairs_are_the_admins_only(lab, client, admin):
    user = client.token_body["user"]["id"]
    v210 = Client(lab, microversion="2.10")
    assert _fault(v210.get(f"/os-keypairs?user_id={admin.token_body['user']['id']}"), 403) == \
        "Policy doesn't allow os_compute_api:os-keypairs:index to be performed."
    boss = Client(lab, "admin", microversion="2.10")
    made = boss.post("/os-keypairs", json={"keypair": {"name": "given", "user_id": user,
                                                       "public_key": ED25519}})
    assert made.status_code == 201 and made.json()["keypair"]["user_id"] == user
    assert [k["keypair"]["name"] for k in client.get("/os-keypairs").json()["keypairs"]] == \
        ["given"]
    assert boss.send("DELETE", f"/os-keypairs/given?user_id={user}").status_code == 204


def test_key_name_on_server_create(client):
    missing = client.post("/servers", json={"server": {
        "name": "k", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf", "flavorRef": "42",
        "key_name": "nosuch"}})
    assert _fault(missing, 400) == "Invalid key_name provided."
    client.post("/os-keypairs", json={"keypair": {"name": "mine", "public_key": ED25519}})
    created = client.post("/servers", json={"server": {
        "name": "k", "imageRef": "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf", "flavorRef": "42",
        "key_name": "mine"}})
    assert created.status_code == 202, created.text
    server, _ = client.wait_for(created.json()["server"]["id"], "ACTIVE")
    assert server["key_name"] == "mine"
    client.send("DELETE", f"/servers/{server['id']}")
    client.send("DELETE", "/os-keypairs/mine")


def test_the_key_pairs_quota():
    with labkit.start(seed=32, exclusive=False, quota_key_pairs=1) as small:
        c = Client(small)
        assert c.post("/os-keypairs", json={"keypair": {
            "name": "one", "public_key": ED25519}}).status_code == 200
        assert _fault(c.post("/os-keypairs", json={"keypair": {
            "name": "two", "public_key": ED25519}}), 403) == \
            "Quota exceeded, too many key pairs."


@pytest.mark.parametrize("certificate", [
    "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", "plain text"])
def test_a_bad_x509_certificate(lab, certificate):
    c = Client(lab, microversion="2.2")
    message = _fault(c.post("/os-keypairs", json={"keypair": {
        "name": "cert", "type": "x509", "public_key": certificate}}), 400)
    assert message.startswith("Keypair data is invalid: failed to generate X509 fingerprint.")


# a self-signed certificate made with the ``cryptography`` package, and the SHA-1
# fingerprint that package computed for it
CERTIFICATE = """-----BEGIN CERTIFICATE-----
MIIBHjCBxaADAgECAgEBMAoGCCqGSM49BAMCMBkxFzAVBgNVBAMMDmxhYmtpdC1s
ZWFybmVyMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFowGTEXMBUGA1UE
AwwObGFia2l0LWxlYXJuZXIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQY6xF6
gWbE98m/f9pmQKmSqXLuURXD75uCgxkdX01ZxG8GmCdRY2u9iWePgnBBNKlG3YtG
MbKhvCYfPJWt5eGUMAoGCCqGSM49BAMCA0gAMEUCIB6UyRP0p18JnXHgKeEfb8Yz
NWhkYUg6hehNEiyQ9yuEAiEAyrNHgLXqFt5WDPnD+PT/zEHuEr9Mys4IpWxUNqjo
J6E=
-----END CERTIFICATE-----
"""
CERTIFICATE_FINGERPRINT = "87:64:f4:7e:fd:47:3d:67:99:1e:32:6d:02:c4:23:cd:23:a6:e0:e7"


def test_an_x509_certificate_imports_with_its_sha1_fingerprint(lab):
    c = Client(lab, microversion="2.2")
    resp = c.post("/os-keypairs", json={"keypair": {
        "name": "cert", "type": "x509", "public_key": CERTIFICATE}})
    assert resp.status_code == 201, resp.text
    assert resp.json()["keypair"]["fingerprint"] == CERTIFICATE_FINGERPRINT
    assert resp.json()["keypair"]["type"] == "x509"
    c.send("DELETE", "/os-keypairs/cert")


def test_a_generated_x509_pair_is_a_pkcs12_key_and_a_certificate(lab):
    """nova makes it with openssl (nova/crypto.py:generate_winrm_x509_cert)."""
    c = Client(lab, microversion="2.2")
    resp = c.post("/os-keypairs", json={"keypair": {"name": "winrm", "type": "x509"}})
    assert resp.status_code == 201, resp.text
    body = resp.json()["keypair"]
    assert body["type"] == "x509" and body["public_key"].startswith("-----BEGIN CERTIFICATE")
    assert base64.b64decode(body["private_key"])[:1] == b"\x30"        # a DER PKCS#12
    assert c.get("/os-keypairs/winrm").json()["keypair"]["fingerprint"] == body["fingerprint"]
    c.send("DELETE", "/os-keypairs/winrm")
