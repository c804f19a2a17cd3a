"""Key pairs and fingerprints: what ``os-keypairs`` generates and checks.

Real nova: nova/crypto.py — generate_key_pair (paramiko makes a 2048-bit RSA
key: the private key in PEM, the public one in OpenSSH form, ending
"Generated-by-Nova"), generate_fingerprint (the MD5 of the OpenSSH key's
bytes, after ``cryptography`` has checked that it parses) and
generate_x509_fingerprint (the SHA-1 of a PEM certificate's DER bytes).

NOTE(labkit): labkit depends on neither paramiko nor cryptography.  The RSA
key is made here with Python's integers (Miller-Rabin primes from ``secrets``,
PKCS#1 DER by hand), and an imported key or certificate is checked by parsing
its wire format (RFC 4253 section 6.6, RFC 5656, RFC 8709; a certificate's
outer DER SEQUENCE) instead of loading it with ``cryptography``.  A generated
x509 pair is made as nova makes it, by the ``openssl`` command
(generate_winrm_x509_cert).
"""
import base64
import binascii
import hashlib
import math
import os
import secrets
import subprocess
import tempfile

from labkit.nova import exception

RSA_BITS = 2048
RSA_EXPONENT = 65537
_SMALL_PRIMES = [p for p in range(3, 2000, 2) if all(p % d for d in range(3, int(p ** 0.5) + 1, 2))]
_MILLER_RABIN_ROUNDS = 20
# key type -> the fields its blob holds after the type (RFC 4253, 5656, 8709)
_SSH_KEY_FIELDS = {"ssh-rsa": 2, "ssh-dss": 4, "ssh-ed25519": 1,
                   "ecdsa-sha2-nistp256": 2, "ecdsa-sha2-nistp384": 2,
                   "ecdsa-sha2-nistp521": 2}


def _colon_hex(digest):
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


# -- OpenSSH public keys -----------------------------------------------------------------
def _ssh_string(data):
    return len(data).to_bytes(4, "big") + data


def _ssh_mpint(value):
    """An RFC 4253 mpint: big-endian two's complement, a 0 byte before a set high bit."""
    data = value.to_bytes((value.bit_length() + 8) // 8, "big") if value else b""
    return _ssh_string(data)


def _ssh_fields(blob):
    """The length-prefixed strings a key blob is made of (ValueError if it is cut short)."""
    fields, pos = [], 0
    while pos < len(blob):
        if pos + 4 > len(blob):
            raise ValueError("truncated length")
        size = int.from_bytes(blob[pos:pos + 4], "big")
        pos += 4
        if pos + size > len(blob):
            raise ValueError("truncated field")
        fields.append(blob[pos:pos + size])
        pos += size
    return fields


def _parse_ssh_public_key(public_key):
    """The key's bytes, once its type and fields check out (as
    cryptography's load_ssh_public_key would accept it)."""
    parts = public_key.strip().split()
    if len(parts) < 2 or parts[0] not in _SSH_KEY_FIELDS:
        raise ValueError("not an OpenSSH public key")
    blob = base64.b64decode(parts[1], validate=True)
    fields = _ssh_fields(blob)
    if fields[0].decode("ascii", "replace") != parts[0] or \
            len(fields) != 1 + _SSH_KEY_FIELDS[parts[0]]:
        raise ValueError("key type and key data disagree")
    if parts[0] == "ssh-ed25519" and len(fields[1]) != 32:
        raise ValueError("an ed25519 key has 32 bytes")
    if parts[0].startswith("ecdsa-") and fields[1].decode("ascii", "replace") != \
            parts[0].rsplit("-", 1)[1]:
        raise ValueError("curve name and key type disagree")
    return blob


def generate_fingerprint(public_key):
    """``aa:bb:...``: the MD5 of an OpenSSH public key's bytes.

    Real nova: nova/crypto.py:generate_fingerprint.
    """
    try:
        blob = _parse_ssh_public_key(public_key)
    except (ValueError, binascii.Error, AttributeError, IndexError):
        raise exception.InvalidKeypair(reason="failed to generate fingerprint") from None
    return _colon_hex(hashlib.md5(blob, usedforsecurity=False).hexdigest())


def generate_x509_fingerprint(pem_key):
    """The SHA-1 of a PEM certificate's DER bytes, ``aa:bb:...``.

    Real nova: nova/crypto.py:generate_x509_fingerprint.
    """
    try:
        der = _pem_certificate_der(pem_key)
    except (ValueError, binascii.Error, AttributeError) as ex:
        raise exception.InvalidKeypair(reason="failed to generate X509 fingerprint. "
                                              f"Error message: {ex}") from None
    return _colon_hex(hashlib.sha1(der, usedforsecurity=False).hexdigest())


def _pem_certificate_der(pem_key):
    text = pem_key.decode() if isinstance(pem_key, bytes) else pem_key
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    if begin not in text or end not in text:
        raise ValueError("Unable to load PEM file. No PEM certificate found")
    body = text.split(begin, 1)[1].split(end, 1)[0]
    der = base64.b64decode("".join(body.split()), validate=True)
    # a Certificate is SEQUENCE {tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE,
    # signatureValue BIT STRING} and nothing after it
    inner, rest = _der_read(der, 0x30)
    if rest:
        raise ValueError("trailing data after the certificate")
    for tag in (0x30, 0x30, 0x03):
        _, inner = _der_read(inner, tag)
    if inner:
        raise ValueError("a certificate has three parts")
    return der


def _der_read(data, tag):
    """(content, what follows) of the DER element of ``tag`` at the start of ``data``."""
    if len(data) < 2 or data[0] != tag:
        raise ValueError("invalid DER: unexpected tag")
    size, pos = data[1], 2
    if size & 0x80:
        count = size & 0x7F
        if count == 0 or count > 4 or len(data) < 2 + count:
            raise ValueError("invalid DER length")
        size, pos = int.from_bytes(data[2:2 + count], "big"), 2 + count
    if pos + size > len(data):
        raise ValueError("invalid DER: truncated")
    return data[pos:pos + size], data[pos + size:]


# -- RSA key generation ----------------------------------------------------------------
def _is_probable_prime(n):
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(_MILLER_RABIN_ROUNDS):
        x = pow(2 + secrets.randbelow(n - 3), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _random_prime(bits):
    """A prime of exactly ``bits`` bits whose top two bits are set (so p*q has 2*bits)."""
    while True:
        candidate = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        if math.gcd(candidate - 1, RSA_EXPONENT) == 1 and _is_probable_prime(candidate):
            return candidate


def _der_integer(value):
    data = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return _der_element(0x02, data)


def _der_element(tag, content):
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def rsa_private_key(bits=RSA_BITS):
    """(n, e, d, p, q): a fresh RSA key, d the inverse of e mod lcm(p-1, q-1)."""
    while True:
        p, q = _random_prime(bits // 2), _random_prime(bits // 2)
        if p != q:
            break
    p, q = max(p, q), min(p, q)
    d = pow(RSA_EXPONENT, -1, math.lcm(p - 1, q - 1))
    return p * q, RSA_EXPONENT, d, p, q


def _pem_rsa_private_key(n, e, d, p, q):
    """PKCS#1 RSAPrivateKey in PEM, as paramiko's RSAKey.write_private_key writes it."""
    fields = (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
    der = _der_element(0x30, b"".join(_der_integer(f) for f in fields))
    text = base64.b64encode(der).decode()
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + \
        "\n-----END RSA PRIVATE KEY-----\n"


def generate_key_pair(bits=RSA_BITS):
    """(private key PEM, ``ssh-rsa ... Generated-by-Nova``, fingerprint).

    Real nova: nova/crypto.py:generate_key_pair.
    """
    n, e, d, p, q = rsa_private_key(bits)
    blob = _ssh_string(b"ssh-rsa") + _ssh_mpint(e) + _ssh_mpint(n)
    public_key = f"ssh-rsa {base64.b64encode(blob).decode()} Generated-by-Nova"
    return _pem_rsa_private_key(n, e, d, p, q), public_key, generate_fingerprint(public_key)


_WINRM_CONFIG = ("distinguished_name  = req_distinguished_name\n"
                 "[req_distinguished_name]\n"
                 "[v3_req_client]\n"
                 "extendedKeyUsage = clientAuth\n"
                 "subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:%s\n")


def generate_winrm_x509_cert(user_id, bits=RSA_BITS):
    """(PKCS#12 private key in base64, PEM certificate, fingerprint) for passwordless
    WinRM as ``user_id``: ``openssl req -x509`` then ``openssl pkcs12 -export``.

    Real nova: nova/crypto.py:generate_winrm_x509_cert (and _create_x509_openssl_config).
    """
    with tempfile.TemporaryDirectory() as tmpdir:
        keyfile, conffile = os.path.join(tmpdir, "temp.key"), os.path.join(tmpdir, "temp.conf")
        with open(conffile, "w") as fh:
            fh.write(_WINRM_CONFIG % f"{user_id}@localhost")
        try:
            certificate = subprocess.run(
                ["openssl", "req", "-x509", "-nodes", "-days", "3650", "-config", conffile,
                 "-newkey", f"rsa:{bits}", "-outform", "PEM", "-keyout", keyfile,
                 "-subj", f"/CN={user_id}", "-extensions", "v3_req_client"],
                capture_output=True, check=True).stdout
            pkcs12 = subprocess.run(["openssl", "pkcs12", "-export", "-inkey", keyfile,
                                     "-password", "pass:"], input=certificate,
                                    capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            raise exception.NovaException(f"openssl could not make the certificate: {exc}") \
                from None
    certificate = certificate.decode()
    return (base64.b64encode(pkcs12).decode("ascii"), certificate,
            generate_x509_fingerprint(certificate))
