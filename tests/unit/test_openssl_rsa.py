"""The cffi binding to OpenSSL's raw RSA private operation (app/reviews/openssl_rsa.py).

Checked here: it computes exactly m^d mod n (RFC 9474's vector, Python's pow), refuses what it
must with a Python exception (never a crash), frees its key safely while other threads use it,
and lets threads sign in parallel.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest
from anyio import to_thread
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from app.reviews import blind_rsa, openssl_rsa
from app.reviews.openssl_rsa import KeyClosedError, OpenSSLError, RawRSAPrivateKey

VECTORS_PATH = Path(__file__).resolve().parents[1] / "data" / "rfc9474_vectors.json"


def _der(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, pkcs8: bool = False) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8
        if pkcs8
        else serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def raw(key: rsa.RSAPrivateKey) -> RawRSAPrivateKey:
    return RawRSAPrivateKey(_der(key))


def _numbers(key: rsa.RSAPrivateKey) -> tuple[int, int]:
    numbers = key.private_numbers()
    return numbers.public_numbers.n, numbers.d


def _inputs(n: int, count: int) -> list[bytes]:
    return [(secrets.randbelow(n - 1) + 1).to_bytes(256, "big") for _ in range(count)]


class TestResult:
    def test_rfc9474_vector(self) -> None:
        # BlindSign of RFC 9474 Appendix A is RSASP1: the binding alone must reproduce it.
        vector = json.loads(VECTORS_PATH.read_text())[0]
        p, q, n, e, d = (int(vector[name], 16) for name in ("p", "q", "n", "e", "d"))
        private_key = rsa.RSAPrivateNumbers(
            p=p,
            q=q,
            d=d,
            dmp1=rsa.rsa_crt_dmp1(d, p),
            dmq1=rsa.rsa_crt_dmq1(d, q),
            iqmp=rsa.rsa_crt_iqmp(p, q),
            public_numbers=rsa.RSAPublicNumbers(e=e, n=n),
        ).private_key()
        with RawRSAPrivateKey(_der(private_key)) as raw:
            assert raw.size == 512
            blind_sig = raw.private_op(bytes.fromhex(vector["blinded_msg"]))
        assert blind_sig.hex() == vector["blind_sig"]

    def test_matches_python_pow(self, key: rsa.RSAPrivateKey, raw: RawRSAPrivateKey) -> None:
        n, d = _numbers(key)
        assert raw.size == 256
        for data in [*_inputs(n, 8), (1).to_bytes(256, "big"), (n - 1).to_bytes(256, "big")]:
            out = raw.private_op(data)
            assert len(out) == 256
            assert int.from_bytes(out, "big") == pow(int.from_bytes(data, "big"), d, n)

    def test_small_results_keep_the_modulus_length(self, raw: RawRSAPrivateKey) -> None:
        # 0^d = 0 and 1^d = 1: the leading zero bytes are there.
        assert raw.private_op(bytes(256)) == bytes(256)
        assert raw.private_op((1).to_bytes(256, "big")) == (1).to_bytes(256, "big")

    def test_pkcs8_and_pkcs1_give_the_same_key(
        self, key: rsa.RSAPrivateKey, raw: RawRSAPrivateKey
    ) -> None:
        data = _inputs(key.public_key().public_numbers().n, 1)[0]
        with RawRSAPrivateKey(_der(key, pkcs8=True)) as other:
            assert other.private_op(data) == raw.private_op(data)


class TestRejects:
    @pytest.mark.parametrize("length", [0, 1, 255, 257, 512])
    def test_wrong_length(self, raw: RawRSAPrivateKey, length: int) -> None:
        with pytest.raises(ValueError, match="256 bytes"):
            raw.private_op(b"\x01" * length)

    @pytest.mark.parametrize("data", [bytearray(256), memoryview(bytes(256)), "00" * 128, None])
    def test_not_bytes(self, raw: RawRSAPrivateKey, data: object) -> None:
        with pytest.raises(TypeError):
            raw.private_op(data)  # type: ignore[arg-type]

    def test_value_not_below_n_is_an_openssl_error(
        self, key: rsa.RSAPrivateKey, raw: RawRSAPrivateKey
    ) -> None:
        n, d = _numbers(key)
        for value in (n, n + 1, 2**2048 - 1):
            with pytest.raises(OpenSSLError, match="data too large for modulus") as raised:
                raw.private_op(value.to_bytes(256, "big"))
            assert raised.value.codes
        # The error queue was drained: the next call succeeds and reports nothing stale.
        data = (n - 1).to_bytes(256, "big")
        assert int.from_bytes(raw.private_op(data), "big") == pow(n - 1, d, n)

    @pytest.mark.parametrize(
        "make",
        [
            lambda key: b"",
            lambda key: b"not a key",
            lambda key: _der(key)[:-1],
            lambda key: key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.PKCS1
            ),
            lambda key: _der(ec.generate_private_key(ec.SECP256R1()), pkcs8=True),
            lambda key: key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"passphrase"),
            ),
        ],
        ids=["empty", "garbage", "truncated", "public-key", "ec-key", "encrypted"],
    )
    def test_bad_keys_raise_openssl_errors(
        self, key: rsa.RSAPrivateKey, make: Callable[[rsa.RSAPrivateKey], bytes]
    ) -> None:
        with pytest.raises(OpenSSLError, match="d2i_PrivateKey") as raised:
            RawRSAPrivateKey(make(key))
        assert raised.value.codes

    def test_trailing_data(self, key: rsa.RSAPrivateKey) -> None:
        with pytest.raises(ValueError, match="trailing"):
            RawRSAPrivateKey(_der(key) + b"\x00")

    def test_der_not_bytes(self, key: rsa.RSAPrivateKey) -> None:
        with pytest.raises(TypeError):
            RawRSAPrivateKey(bytearray(_der(key)))  # type: ignore[arg-type]

    def test_error_without_a_recorded_openssl_error(self) -> None:
        with pytest.raises(OpenSSLError, match="no error recorded") as raised:
            openssl_rsa._raise_openssl_error("nothing")
        assert raised.value.codes == ()


class TestLifetime:
    def test_closed_key_raises(self, key: rsa.RSAPrivateKey) -> None:
        raw = RawRSAPrivateKey(_der(key))
        data = _inputs(key.public_key().public_numbers().n, 1)[0]
        first = raw.private_op(data)
        assert not raw.closed
        raw.close()
        assert raw.closed
        with pytest.raises(KeyClosedError):
            raw.private_op(data)
        raw.close()  # idempotent
        with pytest.raises(KeyClosedError):
            raw.private_op(data)
        # A key decoded again from the same DER is a new, independent object.
        with RawRSAPrivateKey(_der(key)) as again:
            assert again.private_op(data) == first
        assert again.closed

    def test_many_keys_loaded_and_dropped(self, key: rsa.RSAPrivateKey) -> None:
        der = _der(key)
        data = _inputs(key.public_key().public_numbers().n, 1)[0]
        expected = RawRSAPrivateKey(der).private_op(data)  # dropped at once: freed by ffi.gc
        for index in range(50):
            raw = RawRSAPrivateKey(der)
            assert raw.private_op(data) == expected
            if index % 2:
                raw.close()  # the others are freed when the name is rebound

    def test_close_while_other_threads_sign(self, key: rsa.RSAPrivateKey) -> None:
        # Every call either completes correctly or raises KeyClosedError: the key is freed only
        # after the last running operation, never under it.
        n, d = _numbers(key)
        inputs = _inputs(n, 16)
        expected = {data: pow(int.from_bytes(data, "big"), d, n) for data in inputs}
        for _ in range(5):
            raw = RawRSAPrivateKey(_der(key))
            started = threading.Barrier(5)
            outcomes: list[str] = []
            threads = [
                threading.Thread(
                    target=_sign_until_closed, args=(raw, started, inputs, expected, outcomes)
                )
                for _ in range(4)
            ]
            for thread in threads:
                thread.start()
            started.wait()
            time.sleep(0.005)
            raw.close()
            for thread in threads:
                thread.join()
            assert len(outcomes) == 4
            assert "wrong" not in outcomes
            assert "closed" in outcomes


def _sign_until_closed(
    raw: RawRSAPrivateKey,
    started: threading.Barrier,
    inputs: list[bytes],
    expected: dict[bytes, int],
    outcomes: list[str],
) -> None:
    started.wait()
    for index in range(200):
        data = inputs[index % len(inputs)]
        try:
            out = raw.private_op(data)
        except KeyClosedError:
            outcomes.append("closed")
            return
        if int.from_bytes(out, "big") != expected[data]:
            outcomes.append("wrong")
            return
    outcomes.append("finished")


class TestThreads:
    def test_many_threads_share_one_key(
        self, key: rsa.RSAPrivateKey, raw: RawRSAPrivateKey
    ) -> None:
        n, d = _numbers(key)
        inputs = _inputs(n, 64)
        with ThreadPoolExecutor(max_workers=8) as pool:
            outputs = list(pool.map(raw.private_op, inputs * 4))
        for data, out in zip(inputs * 4, outputs, strict=True):
            assert int.from_bytes(out, "big") == pow(int.from_bytes(data, "big"), d, n)

    @pytest.mark.bench  # measures CPU time against wall time
    @pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
    def test_two_threads_run_in_parallel(self, raw: RawRSAPrivateKey) -> None:
        data = (2).to_bytes(256, "big")

        def sign() -> None:
            for _ in range(100):
                raw.private_op(data)

        _assert_parallel(lambda: _threads_cores_used(sign))

    @pytest.mark.bench  # measures CPU time against wall time
    @pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
    def test_two_anyio_worker_threads_share_one_signer(self, key: rsa.RSAPrivateKey) -> None:
        # The app's path: BlindSigner.blind_sign through anyio.to_thread, two requests at once.
        signer = blind_rsa.BlindSigner(key)
        blinded = [
            blind_rsa.blind(key.public_key(), blind_rsa.prepare(bytes([index])))[0]
            for index in range(8)
        ]

        def sign() -> None:
            for index in range(100):
                signer.blind_sign(blinded[index % len(blinded)])

        async def both() -> float:
            wall, cpu = time.perf_counter(), time.process_time()
            async with anyio.create_task_group() as group:
                for _ in range(2):
                    group.start_soon(to_thread.run_sync, sign)
            return (time.process_time() - cpu) / (time.perf_counter() - wall)

        _assert_parallel(lambda: anyio.run(both))


# Two threads together above this many cores of CPU per second of wall time ran in parallel: with
# the GIL held during the C calls they could not exceed one.
PARALLEL = 1.3
_HASHED = bytes(1 << 20)


def _hash() -> None:
    # The reference: hashlib releases the GIL while hashing large buffers.
    for _ in range(40):
        hashlib.sha256(_HASHED).digest()


def _threads_cores_used(work: Callable[[], None]) -> float:
    threads = [threading.Thread(target=work) for _ in range(2)]
    wall, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def _assert_parallel(measure: Callable[[], float]) -> None:
    """``measure`` uses two cores, unless the machine is too busy to tell (then: skip).

    Other jobs may hold the second core: a reference that releases the GIL (hashlib) is run
    just before, and only a round where it scaled counts. The best of three rounds.
    """
    used = 0.0
    for _ in range(3):
        if _threads_cores_used(_hash) < PARALLEL:
            continue
        used = max(used, measure())
        if used > PARALLEL:
            return
    if used == 0.0:
        pytest.skip("the machine has no second core free (the reference did not scale)")
    raise AssertionError(f"two threads used {used:.2f} cores")


class TestLoading:
    def test_version(self) -> None:
        assert openssl_rsa.OPENSSL_VERSION >= 0x30000000

    def test_missing_library_says_what_to_install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(openssl_rsa, "_candidates", lambda: ["/nonexistent/libcrypto.so.3"])
        with pytest.raises(ImportError, match="libssl3") as raised:
            openssl_rsa._load()
        assert "/nonexistent/libcrypto.so.3" in str(raised.value)

    def test_a_library_without_openssl_symbols_is_skipped(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(openssl_rsa, "_candidates", lambda: ["libc.so.6"])
        with pytest.raises(ImportError, match=r"libc\.so\.6"):
            openssl_rsa._load()
