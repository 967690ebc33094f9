"""The test OpenID provider (tests/oidc/provider/server.mjs, panva's oidc-provider) as a
process, and a browser that signs in through its forms.

Missing packages make the tests fail (never skip), as for the other Node-based tests: run
`npm ci --prefix tests/oidc/provider` (./scripts/test does it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

HERE = Path(__file__).resolve().parent / "provider"
LIBRARY = HERE / "node_modules" / "oidc-provider" / "package.json"
INSTALL = "npm ci --prefix tests/oidc/provider"
CLIENT_ID = "challenge-platform"
CLIENT_SECRET = "test-client-secret-that-is-long-enough"
PUBLIC_URL = "http://127.0.0.1:8000"
REDIRECT_URI = f"{PUBLIC_URL}/api/v1/auth/oidc/callback"


@dataclass
class OidcTestProvider:
    issuer: str

    async def update_user(self, user: str, **claims: Any) -> None:
        async with httpx.AsyncClient() as http:
            response = await http.post(f"{self.issuer}/__test__/users/{user}", json=claims)
            assert response.status_code == 204, response.text

    async def rotate_keys(self) -> None:
        async with httpx.AsyncClient() as http:
            response = await http.post(f"{self.issuer}/__test__/rotate")
            assert response.status_code == 204, response.text

    async def set_auth_time(self, *, shift_s: int = 0, omit: bool = False) -> None:
        """Make the provider's ID tokens say the sign-in was `shift_s` seconds earlier than
        it was, or leave `auth_time` out (a provider that ignores max_age); no arguments:
        as it was."""
        body: dict[str, Any] = {"shift_s": shift_s} if shift_s else {}
        if omit:
            body["omit"] = True
        async with httpx.AsyncClient() as http:
            response = await http.post(f"{self.issuer}/__test__/auth-time", json=body)
            assert response.status_code == 204, response.text

    async def published_kids(self) -> list[str]:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"{self.issuer}/jwks")
            return [key["kid"] for key in response.json()["keys"]]


@contextmanager
def running_provider(
    users: dict[str, dict[str, Any]], redirect_uri: str = REDIRECT_URI
) -> Iterator[OidcTestProvider]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js 20+ must be on PATH for the single sign-on tests")
    if not LIBRARY.is_file():
        pytest.fail(f"{HERE / 'node_modules'} is missing: run `{INSTALL}` before the tests")
    config = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": redirect_uri,
        "users": users,
    }
    process = subprocess.Popen(
        [node, str(HERE / "server.mjs")],
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            pytest.fail("the test OpenID provider did not start")
        yield OidcTestProvider(issuer=json.loads(line)["issuer"])
    finally:
        process.terminate()
        process.wait(timeout=10)


async def through_provider(location: str, login: str) -> str:
    """Follow a browser from the authorisation request through the provider's login and
    consent forms; the URL it is sent back to (our callback, with its query)."""
    async with httpx.AsyncClient() as browser:
        url = location
        for _ in range(12):
            if url.startswith(PUBLIC_URL):
                return url
            response = await browser.get(url)
            while response.status_code in (302, 303):
                url = urljoin(url, response.headers["location"])
                if url.startswith(PUBLIC_URL):
                    return url
                response = await browser.get(url)
            assert response.status_code == 200, response.text
            action = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
            assert action is not None, response.text
            assert prompt is not None, response.text
            form = {"prompt": prompt.group(1)}
            if prompt.group(1) == "login":
                form |= {"login": login, "password": "any password"}
            answer = await browser.post(urljoin(url, action.group(1)), data=form)
            assert answer.status_code in (302, 303), answer.text
            url = urljoin(url, answer.headers["location"])
    raise AssertionError("the provider never sent the browser back")
