"""RSA blind signatures, RFC 9474 variant RSABSSA-SHA384-PSS-Randomized.

A review token lets a participant prove "the platform allowed me to review one submission"
without the platform being able to link the review to the participant.

The token, end to end
---------------------
1. The server holds an RSA-2048 key (e = 65537) per issuance period; participants learn its
   public key as a JWK or as base64 SPKI DER (``public_jwk``, ``spki_b64``), named by ``kid``
   = lowercase hex SHA-256 of the SPKI DER (``key_id``).
2. The client picks a message ``msg`` (its content is the caller's choice, e.g. 32 random
   bytes) and prepares it: ``prepared = 32 random bytes || msg`` (``prepare``; the random prefix
   is what makes this the *Randomized* variant, so the signer never signs a value the client
   fully controls).
3. The client blinds it (``blind``): ``encoded = EMSA-PSS-ENCODE(prepared)`` with SHA-384,
   MGF1-SHA-384 and a 48-byte random salt, over ``emBits = bit_len(n) - 1`` bits;
   ``blinded = encoded * r^e mod n`` for a uniformly random ``r`` in [1, n). ``blinded`` (256
   bytes) goes to the server, signed-in; ``inv = r^-1 mod n`` stays on the client.
4. The server checks that the participant is entitled to a token and returns
   ``blind_sig = blinded^d mod n`` (``blind_sign``). ``blinded`` is uniformly distributed and
   independent of ``msg``, so the server learns nothing about the future token.
5. The client unblinds (``finalize``): ``sig = blind_sig * inv mod n``, which is an ordinary
   RSASSA-PSS signature (SHA-384, MGF1-SHA-384, salt length 48) on ``prepared``; ``finalize``
   checks it before returning it.
6. The token redeemed (anonymously) with the review is ``(kid, prepared, sig)``: 32 + len(msg)
   bytes and 256 bytes for RSA-2048. The server checks it with ``verify`` (plain PSS
   verification, any RFC 8017 implementation accepts it) and must remember spent tokens, keyed
   by ``prepared`` (e.g. its SHA-256), to refuse a second redemption: a signature is not a
   one-time object by itself.

Why the private operation is constant time
------------------------------------------
``blinded`` is chosen by the client, which may be an attacker timing the server. The private
operation is OpenSSL's own (``app/reviews/openssl_rsa.py``: ``EVP_PKEY_decrypt`` with
``RSA_NO_PADDING`` on the system libcrypto 3), the code every TLS server relies on against the
classic remote timing attacks on RSA-CRT (Brumley-Boneh): RSA blinding, on by default, multiplies
the input by r^e for a fresh random r before it meets the secret, so every value that touches
p, q, dP, dQ or qInv is uniformly random and uncorrelated with what the client sent; and the
exponentiations with the secret exponents are constant time (``BN_FLG_CONSTTIME``, or the
dedicated AVX-512 IFMA RSA-2048 code on CPUs that have it). Finally ``s^e == m mod n`` is
checked here before a signature leaves the server: a fault in the CRT computation (bit flip,
corrupted key) would otherwise hand out a value that factors n. (OpenSSL makes the same check
and recomputes without CRT when it fails; ours is independent of it.)

Threads: a ``BlindSigner`` is immutable after construction and holds its key decoded once in
OpenSSL, which is safe to share between threads (each call makes its own ``EVP_PKEY_CTX``), so
one instance may be used from any number of worker threads (``anyio.to_thread``) at once. cffi
releases the GIL around the OpenSSL calls, so signing in worker threads neither stalls the
event loop nor serialises on the GIL.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets

import gmpy2
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.reviews import openssl_rsa

VARIANT = "RSABSSA-SHA384-PSS-Randomized"
KEY_BITS = 2048
PUBLIC_EXPONENT = 65537
HASH_LEN = 48  # SHA-384
SALT_LENGTH = 48  # sLen of the PSS variant (the PSSZERO variants use 0)
PREFIX_LENGTH = 32  # random prefix of the Randomized variants
JWK_ALG = "PS384"

__all__ = [
    "HASH_LEN",
    "JWK_ALG",
    "KEY_BITS",
    "PREFIX_LENGTH",
    "PUBLIC_EXPONENT",
    "SALT_LENGTH",
    "VARIANT",
    "BlindRSAError",
    "BlindSigner",
    "BlindingError",
    "EncodingError",
    "InvalidBlindSignature",
    "InvalidBlindedMessage",
    "SigningFailure",
    "blind",
    "blind_sign",
    "emsa_pss_encode",
    "finalize",
    "generate_signing_key",
    "key_id",
    "prepare",
    "private_key_from_bytes",
    "private_key_to_bytes",
    "public_jwk",
    "spki_b64",
    "verify",
]


class BlindRSAError(Exception):
    """Base class of the errors of this module."""


class InvalidBlindedMessage(BlindRSAError, ValueError):
    """The blinded message has the wrong length or is not an integer in [1, n)."""


class SigningFailure(BlindRSAError):
    """The private operation produced a wrong result (fault or corrupted key): nothing leaves."""


class BlindingError(BlindRSAError):
    """The encoded message or r is not invertible modulo n (never by chance), or r out of range."""


class EncodingError(BlindRSAError):
    """EMSA-PSS-ENCODE failed: the modulus is too small for the hash and salt lengths."""


class InvalidBlindSignature(BlindRSAError):
    """The unblinded signature does not verify: the server misbehaved or the input was wrong."""


# --- keys -------------------------------------------------------------------------------------


def generate_signing_key() -> rsa.RSAPrivateKey:
    """A fresh RSA-2048 key with e = 65537."""
    return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS)


def private_key_to_bytes(private_key: rsa.RSAPrivateKey) -> bytes:
    """Unencrypted PKCS#8 DER: the caller encrypts it with its key provider before storing."""
    return private_key.private_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def private_key_from_bytes(data: bytes) -> rsa.RSAPrivateKey:
    """Load an unencrypted PKCS#8 DER RSA key (``private_key_to_bytes``); ValueError otherwise.

    Only for keys this service made: OpenSSL's consistency check of the key is skipped. It
    costs ~30 ms a key, so the first batch after a worker started waited 1.5 s for a round's
    50 keys (scripts/bench/tokens.py). Skipping it is safe here because the bytes come out of
    authenticated encryption (AES-GCM under the key provider), and a faulty key could not
    leak anyway: every signature is checked (s^e = m mod n) before it is returned.
    """
    try:
        key = serialization.load_der_private_key(
            data, password=None, unsafe_skip_rsa_key_validation=True
        )
    except (TypeError, UnsupportedAlgorithm) as exc:  # encrypted, or an unknown key type
        raise ValueError(f"not an unencrypted private key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return key


def _spki_der(public_key: rsa.RSAPublicKey) -> bytes:
    return public_key.public_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    )


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """Lowercase hex SHA-256 of the SubjectPublicKeyInfo DER."""
    return hashlib.sha256(_spki_der(public_key)).hexdigest()


def spki_b64(public_key: rsa.RSAPublicKey) -> str:
    """Standard base64 (with padding) of the SubjectPublicKeyInfo DER, for WebCrypto's import."""
    return base64.b64encode(_spki_der(public_key)).decode("ascii")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_to_min_bytes(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """RFC 7517/7518 JWK of the public key (base64url without padding), with ``kid``."""
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "alg": JWK_ALG,
        "n": _b64url(_int_to_min_bytes(numbers.n)),
        "e": _b64url(_int_to_min_bytes(numbers.e)),
        "kid": key_id(public_key),
    }


# --- primitives (RFC 8017) --------------------------------------------------------------------


def _i2osp(value: int, length: int) -> bytes:
    return int(value).to_bytes(length, "big")


def _os2ip(data: bytes) -> int:
    return int.from_bytes(data, "big")


def _modulus_length(n: int) -> int:
    return (n.bit_length() + 7) // 8


def _mgf1_sha384(seed: bytes, length: int) -> bytes:
    blocks = [
        hashlib.sha384(seed + counter.to_bytes(4, "big")).digest()
        for counter in range((length + HASH_LEN - 1) // HASH_LEN)
    ]
    return b"".join(blocks)[:length]


def emsa_pss_encode(message: bytes, em_bits: int, salt: bytes) -> bytes:
    """EMSA-PSS-ENCODE (RFC 8017, 9.1.1) with SHA-384 and MGF1-SHA-384; sLen = len(salt).

    RSASSA-PSS (and so RFC 9474's Blind) uses ``em_bits = bit_len(n) - 1``.
    """
    em_len = (em_bits + 7) // 8
    if em_len < HASH_LEN + len(salt) + 2:
        raise EncodingError("encoding error: modulus too small for SHA-384 and this salt")
    m_hash = hashlib.sha384(message).digest()
    h = hashlib.sha384(b"\x00" * 8 + m_hash + salt).digest()
    db = b"\x00" * (em_len - len(salt) - HASH_LEN - 2) + b"\x01" + salt
    db_mask = _mgf1_sha384(h, em_len - HASH_LEN - 1)
    masked = bytearray(a ^ b for a, b in zip(db, db_mask, strict=True))
    masked[0] &= 0xFF >> (8 * em_len - em_bits)
    return bytes(masked) + h + b"\xbc"


# --- server -----------------------------------------------------------------------------------


class BlindSigner:
    """The server side: RSASP1 by OpenSSL (blinded, constant time), every result checked.

    The key is decoded into OpenSSL once, at construction, and freed with the signer. Immutable
    afterwards, so safe to share between threads.
    """

    __slots__ = ("_e", "_modulus_length", "_n", "_raw", "private_key")

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        numbers = private_key.private_numbers()
        public = numbers.public_numbers
        if public.n.bit_length() < KEY_BITS:
            raise ValueError(f"blind signatures need an RSA key of at least {KEY_BITS} bits")
        if public.n % 2 == 0 or numbers.p % 2 == 0 or numbers.q % 2 == 0:
            raise ValueError("not an RSA key: even modulus or prime")
        self.private_key = private_key
        self._modulus_length = _modulus_length(public.n)
        self._n = gmpy2.mpz(public.n)
        self._e = gmpy2.mpz(public.e)
        # RSA's own DER format (PKCS#1), decoded into OpenSSL once, here.
        self._raw = openssl_rsa.RawRSAPrivateKey(
            private_key.private_bytes(
                encoding=serialization.Encoding.DER,
                format=serialization.PrivateFormat.TraditionalOpenSSL,
                encryption_algorithm=serialization.NoEncryption(),
            )
        )
        if self._raw.size != self._modulus_length:
            raise ValueError("OpenSSL reads another modulus length from this key")

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def modulus_length(self) -> int:
        """Length in bytes of the modulus, of blinded messages and of signatures."""
        return self._modulus_length

    def blind_sign(self, blinded_message: bytes) -> bytes:
        """RFC 9474 BlindSign: ``blinded_message^d mod n``, checked, as ``modulus_length`` bytes.

        Raises ``InvalidBlindedMessage`` unless the input has the modulus length and its integer
        m satisfies 0 < m < n; ``SigningFailure`` if OpenSSL fails or the result does not
        satisfy s^e = m mod n.
        """
        if not isinstance(blinded_message, bytes | bytearray | memoryview):
            raise InvalidBlindedMessage("blinded message must be bytes")
        if len(blinded_message) != self._modulus_length:
            raise InvalidBlindedMessage(
                f"blinded message must be {self._modulus_length} bytes, got {len(blinded_message)}"
            )
        data = bytes(blinded_message)
        m = _os2ip(data)
        if m == 0 or m >= self._n:
            raise InvalidBlindedMessage("blinded message out of range: need 0 < m < n")
        try:
            signature = self._raw.private_op(data)
        except openssl_rsa.OpenSSLError as exc:
            raise SigningFailure(f"signing failure: {exc}") from exc
        # The public exponent is not secret: GMP's ordinary (variable-time) powmod is right here.
        if gmpy2.powmod(_os2ip(signature), self._e, self._n) != m:
            raise SigningFailure("signing failure: s^e != m mod n (fault or corrupted key)")
        return signature


@functools.lru_cache(maxsize=16)
def _signer_for(private_key: rsa.RSAPrivateKey) -> BlindSigner:
    # Keyed by the key object (cryptography's keys hash by identity); holds it strongly, so an
    # id is never reused while cached. Thread-safe: the worst case is building a signer twice.
    return BlindSigner(private_key)


def blind_sign(private_key: rsa.RSAPrivateKey, blinded_message: bytes) -> bytes:
    """``BlindSigner(private_key).blind_sign(blinded_message)``, the signer cached per key."""
    return _signer_for(private_key).blind_sign(blinded_message)


def verify(
    public_key: rsa.RSAPublicKey,
    prepared_message: bytes,
    signature: bytes,
    *,
    salt_length: int = SALT_LENGTH,
) -> bool:
    """RSASSA-PSS-VERIFY (SHA-384, MGF1-SHA-384, salt length 48) of a finalised token.

    Returns False, never raises, on any bad input. ``salt_length`` exists for the PSSZERO test
    vectors; production uses the default.
    """
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    if not isinstance(prepared_message, bytes) or not isinstance(signature, bytes):
        return False
    if len(signature) != (public_key.key_size + 7) // 8:
        return False
    try:
        public_key.verify(
            signature,
            prepared_message,
            padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=salt_length),
            hashes.SHA384(),
        )
    except (InvalidSignature, ValueError, TypeError, OverflowError):
        return False
    return True


# --- client -----------------------------------------------------------------------------------


def prepare(message: bytes) -> bytes:
    """RFC 9474 Prepare, Randomized variant: 32 random bytes || message."""
    return secrets.token_bytes(PREFIX_LENGTH) + bytes(message)


def blind(
    public_key: rsa.RSAPublicKey,
    prepared_message: bytes,
    *,
    salt: bytes | None = None,
    r: int | None = None,
) -> tuple[bytes, bytes]:
    """RFC 9474 Blind: returns ``(blinded_message, inv)``, both modulus-length bytes.

    ``salt`` (default: 48 random bytes; its length is sLen) and ``r`` (default: uniform in
    [1, n)) are injectable for test vectors only.
    """
    numbers = public_key.public_numbers()
    n, e = numbers.n, numbers.e
    k = _modulus_length(n)
    if salt is None:
        salt = secrets.token_bytes(SALT_LENGTH)
    encoded = emsa_pss_encode(prepared_message, n.bit_length() - 1, salt)
    m = _os2ip(encoded)
    if gmpy2.gcd(m, n) != 1:
        raise BlindingError("invalid input: encoded message not coprime to n")
    if r is None:
        r = secrets.randbelow(n - 1) + 1
    elif not 0 < r < n:
        raise BlindingError("blinding error: r must be in [1, n)")
    try:
        inv = int(gmpy2.invert(r, n))
    except ZeroDivisionError as exc:
        raise BlindingError("blinding error: r not invertible modulo n") from exc
    z = m * pow(r, e, n) % n
    return _i2osp(z, k), _i2osp(inv, k)


def finalize(
    public_key: rsa.RSAPublicKey,
    prepared_message: bytes,
    blind_sig: bytes,
    inv: bytes,
    *,
    salt_length: int = SALT_LENGTH,
) -> bytes:
    """RFC 9474 Finalize: unblind and verify; raises ``InvalidBlindSignature`` if it fails."""
    n = public_key.public_numbers().n
    k = _modulus_length(n)
    if len(blind_sig) != k or len(inv) != k:
        raise InvalidBlindSignature("unexpected input size")
    z, r_inv = _os2ip(blind_sig), _os2ip(inv)
    if not 0 < r_inv < n or z >= n:
        raise InvalidBlindSignature("blind signature or inverse out of range")
    signature = _i2osp(z * r_inv % n, k)
    if not verify(public_key, bytes(prepared_message), signature, salt_length=salt_length):
        raise InvalidBlindSignature("invalid signature")
    return signature
