"""Drive openstacksdk's key pairs, limits and quotas against a lab (clients venv's python).

    .venv-clients/bin/python tests/clients/sdk_keypairs.py CLOUD ADMIN_CLOUD

Creates a key pair without a public key (the SDK asks at 2.10: nova generates it), loads
the private key it returned with ``cryptography`` and checks that its public half is the
key pair's public key; lists, gets and deletes it; reads the absolute limits and the
project's quota set, and (as admin) the usage.  Prints one line per step; any failure raises.
"""
import sys

import openstack
from cryptography.hazmat.primitives import serialization


def main(cloud, admin_cloud):
    conn = openstack.connect(cloud=cloud)
    compute = conn.compute
    keypair = compute.create_keypair(name="sdk-key")
    key = serialization.load_pem_private_key(keypair.private_key.encode(), password=None)
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    assert keypair.public_key.split()[:2] == public.split()[:2], (keypair.public_key, public)
    print("generated", key.key_size, keypair.type, flush=True)
    assert [k.name for k in compute.keypairs()] == ["sdk-key"]
    assert compute.get_keypair("sdk-key").fingerprint == keypair.fingerprint
    compute.delete_keypair("sdk-key", ignore_missing=False)
    print("deleted", [k.name for k in compute.keypairs()], flush=True)
    limits = compute.get_limits().absolute
    print("limits", limits.instances, limits.total_cores, limits.keypairs, flush=True)
    quota = compute.get_quota_set(conn.current_project_id)
    print("quota", quota.instances, quota.cores, quota.ram, quota.key_pairs, flush=True)
    admin = openstack.connect(cloud=admin_cloud)
    usages = list(admin.compute.usages())
    print("usages", type(usages).__name__, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
