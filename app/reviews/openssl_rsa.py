"""OpenSSL's raw RSA private operation (m^d mod n), from the system libcrypto through cffi.

One operation, nothing else: ``RawRSAPrivateKey(der).private_op(data)`` is OpenSSL 3's
``EVP_PKEY_decrypt`` with ``RSA_NO_PADDING``, which is RSADP / RSASP1 of RFC 8017: the same
function. We use it for RFC 9474 blind signatures (``app/reviews/blind_rsa.py``), which need the
raw private operation on a client-chosen value, something ``cryptography`` does not offer.

Why OpenSSL's own private operation: it is the one every TLS server relies on, with RSA
blinding on by default (the input is multiplied by a fresh random r^e before it meets the
secret, so its timing is uncorrelated with what the client sent) and constant-time modular
exponentiation for the secret exponents (``BN_FLG_CONSTTIME``; the AVX-512 IFMA RSA-2048 path
is constant time too). OpenSSL also checks its CRT result against the public exponent and falls
back to a computation without CRT when they disagree; the caller still checks s^e = m itself.

The binding is cffi's ABI mode (``ffi.dlopen``, no compiler, no build step): the declarations
below are copied from OpenSSL 3.0's headers (evp.h, rsa.h, err.h, crypto.h), and ABI mode
trusts them, so they must not be edited without the headers at hand.

Memory and threads:

- The ``EVP_PKEY`` is decoded once per key and freed by ``EVP_PKEY_free`` when the last Python
  reference to it goes (``ffi.gc``). ``close`` drops the key's own reference: an operation
  already running holds another one (and its ``EVP_PKEY_CTX`` holds an OpenSSL reference), so
  the key is freed when that operation ends, never under it.
- One ``RawRSAPrivateKey`` may be used from many threads at once. OpenSSL documents that objects
  are safe to share as long as the calls made on them do not modify them, and that two threads
  can compute signatures with two different ``EVP_PKEY_CTX`` objects (openssl-threads(7)); the
  RSA blinding state that the operation does update is guarded by OpenSSL's own locks. So each
  call makes its own ``EVP_PKEY_CTX``, which must never be shared (EVP_PKEY_CTX_new(3)).
- cffi releases the GIL around every C call: threads sign in parallel, and the event loop is
  not stalled while a worker thread signs.
- OpenSSL's error queue is per thread: a failed call drains it into ``OpenSSLError``.

If libcrypto 3 cannot be loaded, importing this module fails with ``ImportError`` saying what to
install.
"""

from __future__ import annotations

import ctypes.util
import sys
from typing import Any, NoReturn

# No type information ships with cffi, and the project does not install types-cffi.
from cffi import FFI  # type: ignore[import-untyped]

__all__ = [
    "OPENSSL_VERSION",
    "KeyClosedError",
    "OpenSSLError",
    "RawRSAPrivateKey",
]

_CDEF = """
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct engine_st ENGINE;

unsigned long OpenSSL_version_num(void);

EVP_PKEY *d2i_PrivateKey(int type, EVP_PKEY **a, const unsigned char **pp, long length);
int EVP_PKEY_get_base_id(const EVP_PKEY *pkey);
int EVP_PKEY_get_size(const EVP_PKEY *pkey);
void EVP_PKEY_free(EVP_PKEY *pkey);

EVP_PKEY_CTX *EVP_PKEY_CTX_new(EVP_PKEY *pkey, ENGINE *e);
void EVP_PKEY_CTX_free(EVP_PKEY_CTX *ctx);
int EVP_PKEY_decrypt_init(EVP_PKEY_CTX *ctx);
int EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int pad_mode);
int EVP_PKEY_decrypt(EVP_PKEY_CTX *ctx, unsigned char *out, size_t *outlen,
                     const unsigned char *in, size_t inlen);

unsigned long ERR_get_error(void);
void ERR_clear_error(void);
void ERR_error_string_n(unsigned long e, char *buf, size_t len);
"""

_EVP_PKEY_RSA = 6  # NID_rsaEncryption
_RSA_NO_PADDING = 3
_MIN_VERSION = 0x30000000  # the EVP_PKEY_get_* names and the provider-based EVP exist from 3.0

_INSTALL_HINT = (
    "app.reviews.openssl_rsa needs the OpenSSL 3 libcrypto shared library (libcrypto.so.3). "
    "Install it with `apt-get install libssl3` on Debian and Ubuntu (`libssl3t64` on releases "
    "from Debian 13 and Ubuntu 24.04), `dnf install openssl-libs` on Fedora and RHEL, "
    "`apk add libcrypto3` on Alpine, or `brew install openssl@3` on macOS."
)


def _candidates() -> list[str]:
    # find_library asks the dynamic loader's cache for the installed libcrypto; the OpenSSL 3
    # soname covers systems where that lookup finds nothing (minimal images without ldconfig)
    # or finds an older libcrypto first.
    names = [ctypes.util.find_library("crypto"), "libcrypto.so.3"]
    if sys.platform == "darwin":
        names += [
            "libcrypto.3.dylib",
            "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib",
            "/usr/local/opt/openssl@3/lib/libcrypto.3.dylib",
        ]
    return list(dict.fromkeys(name for name in names if name))


def _load() -> tuple[FFI, Any, int]:
    ffi = FFI()
    ffi.cdef(_CDEF)
    problems: list[str] = []
    for name in _candidates():
        try:
            lib = ffi.dlopen(name)
            version = int(lib.OpenSSL_version_num())
            if version < _MIN_VERSION:
                problems.append(f"{name}: OpenSSL {version:#x} is older than 3.0")
                continue
            # Resolve every symbol now, so that a library lacking one fails here, not mid-call.
            for symbol in dir(lib):
                getattr(lib, symbol)
        except (OSError, AttributeError) as exc:
            problems.append(f"{name}: {exc}")
            continue
        return ffi, lib, version
    raise ImportError(f"{_INSTALL_HINT} Tried: {'; '.join(problems) or 'no candidate found'}.")


_ffi, _lib, OPENSSL_VERSION = _load()


class OpenSSLError(RuntimeError):
    """An OpenSSL call failed; ``codes`` are its packed error codes (oldest first)."""

    def __init__(self, message: str, codes: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.codes = codes


class KeyClosedError(RuntimeError):
    """The key was closed: its OpenSSL object is gone and it cannot be used again."""


def _raise_openssl_error(what: str) -> NoReturn:
    codes: list[int] = []
    messages: list[str] = []
    text = _ffi.new("char[]", 256)
    while (code := int(_lib.ERR_get_error())) != 0:
        _lib.ERR_error_string_n(code, text, 256)
        codes.append(code)
        messages.append(_ffi.string(text).decode("utf-8", "replace"))
    # OpenSSL 3's decoders record one error per decoder tried: the same text several times.
    detail = "; ".join(dict.fromkeys(messages)) if messages else "no error recorded by OpenSSL"
    raise OpenSSLError(f"{what} failed: {detail}", tuple(codes))


class RawRSAPrivateKey:
    """An RSA private key held by OpenSSL, for the raw private operation only.

    ``der``: an unencrypted RSA private key, DER, PKCS#1 ``RSAPrivateKey`` or PKCS#8. OpenSSL
    does not check the key's consistency here; the caller checks every result (s^e = m).
    """

    __slots__ = ("_pkey", "_size")

    def __init__(self, der: bytes) -> None:
        if not isinstance(der, bytes):
            raise TypeError("der must be bytes")
        source = _ffi.from_buffer(der)
        cursor = _ffi.new("const unsigned char **", _ffi.cast("const unsigned char *", source))
        _lib.ERR_clear_error()
        # With the type given, OpenSSL does not try every other key type's decoder first (as
        # d2i_AutoPrivateKey does), and anything but an RSA key fails here.
        pkey = _lib.d2i_PrivateKey(_EVP_PKEY_RSA, _ffi.NULL, cursor, len(der))
        if pkey == _ffi.NULL:
            _raise_openssl_error("loading the RSA private key (d2i_PrivateKey)")
        pkey = _ffi.gc(pkey, _lib.EVP_PKEY_free)
        # d2i stops after the first DER object: trailing bytes mean the input was not one key.
        consumed = int(_ffi.cast("uintptr_t", cursor[0])) - int(_ffi.cast("uintptr_t", source))
        if consumed != len(der):
            _ffi.release(pkey)
            raise ValueError("not a single DER private key: trailing data")
        if _lib.EVP_PKEY_get_base_id(pkey) != _EVP_PKEY_RSA:
            _ffi.release(pkey)
            raise ValueError("not an RSA private key")
        size = int(_lib.EVP_PKEY_get_size(pkey))
        if size <= 0:
            _ffi.release(pkey)
            raise ValueError("RSA key without a modulus size")
        self._pkey: Any = pkey
        self._size = size

    @property
    def size(self) -> int:
        """Length in bytes of the modulus, of the input and of the output."""
        return self._size

    @property
    def closed(self) -> bool:
        return self._pkey is None

    def close(self) -> None:
        """Drop this object's hold on the OpenSSL key (idempotent); later calls raise.

        Running operations keep their own references, so the key is freed when the last one
        ends (at once if none runs).
        """
        self._pkey = None

    def __enter__(self) -> RawRSAPrivateKey:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def private_op(self, data: bytes) -> bytes:
        """``data^d mod n`` as ``size`` bytes, big-endian: OpenSSL's blinded, constant-time op.

        ``data`` must be exactly ``size`` bytes (ValueError otherwise); OpenSSL itself refuses a
        value >= n (``OpenSSLError``, "data too large for modulus"). The result is not checked
        here: that is the caller's job (the check needs the public key, which it has).
        """
        # A local reference: if another thread closes the key meanwhile, it is freed only after
        # this call is done with it.
        pkey = self._pkey
        if pkey is None:
            raise KeyClosedError("the RSA key is closed")
        if not isinstance(data, bytes):
            raise TypeError("data must be bytes")
        size = self._size
        if len(data) != size:
            raise ValueError(f"input must be {size} bytes (the modulus length), got {len(data)}")
        _lib.ERR_clear_error()  # so that a failure reports this call's errors only
        ctx = _lib.EVP_PKEY_CTX_new(pkey, _ffi.NULL)
        if ctx == _ffi.NULL:
            _raise_openssl_error("EVP_PKEY_CTX_new")
        try:
            if _lib.EVP_PKEY_decrypt_init(ctx) != 1:
                _raise_openssl_error("EVP_PKEY_decrypt_init")
            if _lib.EVP_PKEY_CTX_set_rsa_padding(ctx, _RSA_NO_PADDING) != 1:
                _raise_openssl_error("EVP_PKEY_CTX_set_rsa_padding(RSA_NO_PADDING)")
            out = _ffi.new("unsigned char[]", size)
            out_length = _ffi.new("size_t *", size)
            if _lib.EVP_PKEY_decrypt(ctx, out, out_length, data, size) != 1:
                _raise_openssl_error("the RSA private operation (EVP_PKEY_decrypt)")
        finally:
            _lib.EVP_PKEY_CTX_free(ctx)
        if out_length[0] != size:  # RSA_NO_PADDING always writes the full modulus length
            raise OpenSSLError(f"unexpected output length {out_length[0]}, expected {size}")
        return bytes(_ffi.buffer(out, size))
