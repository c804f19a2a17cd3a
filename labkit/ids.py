"""One seeded source of ids and choices per lab.

Real nova draws ids from ``uuid.uuid4()`` (oslo_utils/uuidutils.py) and request
ids from ``oslo_context``; labkit draws resource ids (servers, ports, providers),
MAC addresses and the scheduler's random picks from one ``random.Random`` per
lab, so that the same ``seed`` gives the same ids in the same order and the
course notebooks' saved outputs stay stable.  With no seed, they are random.

Two things are never seeded: secrets (tokens, generated passwords), which must
not be guessable from a published seed, and request ids, of which a polling
client makes a timing-dependent number — drawing them from the seeded stream
would shift every id after them.
"""
import random
import secrets
import threading
import uuid

_unique = random.Random()          # seeded from the operating system, once per process
_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PASSWORD_LIMIT = 256 - 256 % len(_PASSWORD_ALPHABET)


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

    @staticmethod
    def message_id():
        """32 hex digits that name one message (oslo.messaging's ``_msg_id`` and
        ``_unique_id``); never seeded.  They need to be unique, not unguessable, so they
        come from a per-process generator rather than ``uuid.uuid4()``'s system call."""
        return "%032x" % _unique.getrandbits(128)

    @staticmethod
    def request_id():
        """nova's ``req-<uuid>`` (oslo_context/context.py:generate_request_id); never seeded."""
        return "req-" + str(uuid.uuid4())

    @staticmethod
    def token(nbytes=96):
        """An opaque token, Fernet-length (keystone/token/providers/fernet); never seeded."""
        return secrets.token_urlsafe(nbytes)

    @staticmethod
    def password(length=12):
        """A generated admin password (nova/utils.py:generate_password); never seeded.

        One read of the system's randomness for the whole password, each byte kept
        only below the largest multiple of the alphabet's size so every character is
        equally likely (``secrets.choice`` per character reads it once a character).
        """
        chars = []
        while len(chars) < length:
            chars.extend(_PASSWORD_ALPHABET[b % len(_PASSWORD_ALPHABET)]
                         for b in secrets.token_bytes(2 * length) if b < _PASSWORD_LIMIT)
        return "".join(chars[:length])

    def choice(self, seq):
        with self._lock:
            return self._random.choice(seq)

    def sample(self, seq, k):
        """``k`` distinct items of ``seq`` in random order (``random.sample``)."""
        with self._lock:
            return self._random.sample(seq, k)

    def mac(self):
        """A MAC address in OpenStack's fa:16:3e prefix (neutron base_mac)."""
        with self._lock:
            tail = [self._random.randrange(256) for _ in range(3)]
        return "fa:16:3e:" + ":".join("%02x" % b for b in tail)
