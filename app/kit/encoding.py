"""Base64 in either alphabet: browsers and libraries disagree on which one to send."""

from __future__ import annotations

import base64
import binascii

BASE64_PATTERN = r"^[A-Za-z0-9_+/-]+={0,2}$"


def b64decode_any(text: str) -> bytes:
    """Decode standard or URL-safe base64, padded or not; ValueError if it is neither."""
    normalised = text.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(normalised + "=" * (-len(normalised) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64") from exc


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
