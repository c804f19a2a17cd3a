"""The compute API's key pairs: nova-api's side of os-keypairs.

Real nova: nova/compute/api.py:KeypairAPI (labkit keeps it in its own module
to keep compute/api.py short).  A key pair is checked against the user's
``key_pairs`` quota, then stored by the KeyPair object in the API database.
"""
from labkit.nova import crypto, exception, quota
from labkit.nova.objects.keypair import KEYPAIR_TYPE_SSH, KeyPair, KeyPairList


class KeypairAPI:
    """Key pairs: create (generate), import, list, show, delete.

    Real nova: nova/compute/api.py:KeypairAPI.  NOTE(labkit): nova also sends
    keypair.* notifications here; labkit's trace records the database hops.
    """

    def __init__(self, lab):
        self.quotas = quota.QuotaEngine(lab.conf)

    def _check_key_pair_quotas(self, context, user_id):
        try:
            self.quotas.check_deltas(context, {"key_pairs": 1}, user_id)
        except exception.OverQuota:
            raise exception.KeypairLimitExceeded() from None

    def import_key_pair(self, context, user_id, key_name, public_key,
                        key_type=KEYPAIR_TYPE_SSH):
        self._check_key_pair_quotas(context, user_id)
        fingerprint = crypto.generate_x509_fingerprint(public_key) if key_type == "x509" \
            else crypto.generate_fingerprint(public_key)
        keypair = KeyPair(context, user_id=user_id, name=key_name, type=key_type,
                          public_key=public_key, fingerprint=fingerprint)
        keypair.create()
        return keypair

    def create_key_pair(self, context, user_id, key_name, key_type=KEYPAIR_TYPE_SSH):
        """(the key pair, its private key): nova keeps the public half (or the certificate)."""
        self._check_key_pair_quotas(context, user_id)
        private_key, public_key, fingerprint = crypto.generate_key_pair() \
            if key_type == KEYPAIR_TYPE_SSH else crypto.generate_winrm_x509_cert(user_id)
        keypair = KeyPair(context, user_id=user_id, name=key_name, type=key_type,
                          public_key=public_key, fingerprint=fingerprint)
        keypair.create()
        return keypair, private_key

    def delete_key_pair(self, context, user_id, key_name):
        KeyPair.destroy_by_name(context, user_id, key_name)

    def get_key_pairs(self, context, user_id, limit=None, marker=None):
        return KeyPairList.get_by_user(context, user_id, limit=limit, marker=marker)

    def get_key_pair(self, context, user_id, key_name):
        return KeyPair.get_by_name(context, user_id, key_name)
