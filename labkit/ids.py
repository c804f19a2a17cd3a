"""One seeded source of ids and choices per lab.

Real nova draws ids from ``uuid.uuid4()`` (oslo_utils/uuidutils.py) and request
ids from ``oslo_context``; labkit draws them from one ``random.Random`` per lab
so that the same ``seed`` gives the same ids in the same order, which keeps the
course notebooks' saved outputs stable.  With no seed, ids are random.
"""
import random
import threading
import uuid


class IdGenerator:
    """UUIDs, request ids and random choices from a single (optionally seeded) RNG."""

    def __init__(self, seed=None):
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def uuid4(self):
        """A version-4 UUID string (seeded when the lab has a seed)."""
        with self._lock:
            bits = self._random.getrandbits(128)
        return str(uuid.UUID(int=bits, version=4))

    def hex(self):
        """32 hex digits, the form keystone uses for user and project ids."""
        return self.uuid4().replace("-", "")

    def request_id(self):
        """nova's ``req-<uuid>`` (oslo_context/context.py:generate_request_id)."""
        return "req-" + self.uuid4()

    def token(self, nbytes=96):
        """An opaque token string, Fernet-length (keystone/token/providers/fernet)."""
        with self._lock:
            raw = self._random.getrandbits(nbytes * 8).to_bytes(nbytes, "big")
        import base64
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def password(self, length=12):
        """A generated admin password (nova/utils.py:generate_password)."""
        alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        with self._lock:
            return "".join(self._random.choice(alphabet) for _ in range(length))

    def choice(self, seq):
        with self._lock:
            return self._random.choice(seq)

    def mac(self):
        """A MAC address in OpenStack's fa:16:3e prefix (neutron base_mac)."""
        with self._lock:
            tail = [self._random.randrange(256) for _ in range(3)]
        return "fa:16:3e:" + ":".join("%02x" % b for b in tail)
