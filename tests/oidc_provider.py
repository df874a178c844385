"""A small OpenID Connect provider the tests run on this machine, standing in for an organisation's
identity provider: discovery, published keys, an authorisation page where a test person "signs
in" by pressing a button, and a token endpoint that checks the client's secret and the PKCE
verifier and returns an RS256-signed ID token.

It can also misbehave the ways a client must catch (``sign_with_other_key``, ``issuer_claim``,
``audience``, ``nonce``, ``expired``), so the tests show Umbrella refusing each.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID, CLIENT_SECRET = "umbrella-test", "test-provider-secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class TestProvider:
    """People are keyed by their ``sub``; each maps to the claims the provider gives them."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    people: dict[str, dict[str, Any]]
    issuer: str = ""
    # Misbehaviours, off by default.
    sign_with_other_key: bool = False
    issuer_claim: str | None = None
    audience: str | None = None
    nonce: str | None = None
    expired: bool = False
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens_issued: int = 0

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)

    def id_token(self, claims: dict[str, Any]) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}".encode()
        key = self.other_key if self.sign_with_other_key else self.key
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input.decode()}.{_b64(signature)}"

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                          "n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}]}

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def approve(self, params: dict[str, str], subject: str) -> str:
        """Where the browser goes once the person has signed in at the provider."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"subject": subject, "nonce": params.get("nonce", ""), "redirect_uri": params["redirect_uri"],
                            "challenge": params.get("code_challenge", ""), "client_id": params["client_id"]}
        back = {"code": code, "state": params.get("state", "")}
        return f"{params['redirect_uri']}?{urlencode(back)}"

    def exchange(self, form: dict[str, str], authorisation: str) -> tuple[int, dict[str, Any]]:
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorisation.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorisation[6:]).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        if not grant["challenge"] or _b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time()) - (3600 if self.expired else 0)
        claims = {"iss": self.issuer_claim or self.issuer, "sub": grant["subject"], "aud": self.audience or CLIENT_ID,
                  "iat": now, "exp": now + 300, "nonce": self.nonce if self.nonce is not None else grant["nonce"],
                  **self.people[grant["subject"]]}
        self.tokens_issued += 1
        return 200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300,
                     "id_token": self.id_token(claims)}


def _sign_in_page(provider: TestProvider, params: dict[str, str]) -> str:
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params.items())
    people = "".join(
        f'<form method="post" action="/authorize">{hidden}<input type="hidden" name="subject" value="{html.escape(sub)}">'
        f'<button type="submit">Continue as {html.escape(str(claims.get("name", sub)))}</button></form>'
        for sub, claims in provider.people.items())
    return (f'<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body><main>'
            f"<h1>Test identity provider</h1>{people}</main></body></html>")


def _handler(provider: TestProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def _send(self, status: int, body: str, content_type: str = "application/json", location: str = "") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._send(200, json.dumps(provider.metadata()))
            elif url.path == "/jwks":
                self._send(200, json.dumps(provider.jwks()))
            elif url.path == "/authorize":
                if params.get("client_id") != CLIENT_ID or params.get("response_type") != "code":
                    self._send(400, "unknown client", "text/plain")
                else:
                    self._send(200, _sign_in_page(provider, params), "text/html; charset=utf-8")
            else:
                self._send(404, "{}")

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            form = self._form()
            if self.path == "/authorize":
                subject = form.pop("subject")
                self._send(302, "", "text/plain", location=provider.approve(form, subject))
            elif self.path == "/token":
                status, body = provider.exchange(form, self.headers.get("Authorization", ""))
                self._send(status, json.dumps(body))
            else:
                self._send(404, "{}")

    return Handler


@contextmanager
def running(provider: TestProvider) -> Iterator[TestProvider]:
    """Serves the provider on a free port of 127.0.0.1 for the length of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
