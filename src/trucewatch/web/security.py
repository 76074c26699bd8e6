"""Security for the web app: response headers, request size limits and write tokens.

Article content is untrusted. Pages are rendered with Jinja2 autoescaping,
data reaches JavaScript only through ``<script type="application/json">``
blocks and ``data-`` attributes, and every response carries a strict
Content-Security-Policy (scripts and styles only from this server, no inline
script, no framing).

Write endpoints need a bearer token. :func:`new_token` makes one; the store
keeps only ``sha256$<salt>$<hex digest>`` (a random salt per token; the token
itself is 256 random bits, so a fast hash is enough — a slow KDF protects
guessable passwords, not random keys). :func:`token_matches` compares in
constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

__all__ = [
    "BodyLimitMiddleware",
    "HeadMiddleware",
    "SecurityHeadersMiddleware",
    "hash_token",
    "is_loopback",
    "new_token",
    "token_matches",
]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI (/docs) sets style attributes from its bundled React code; scripts stay 'self' only.
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeadersMiddleware:
    """Add the CSP and hardening headers to every HTTP response (pure ASGI)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = (CSP_DOCS if scope.get("path") == "/docs" else CSP).encode()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers.append((b"content-security-policy", csp))
                headers.extend(_HEADERS)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadMiddleware:
    """Answer ``HEAD`` as the ``GET`` of the same URL would, headers and status only (pure ASGI).

    Routes are declared for GET; without this a HEAD (link checkers, ``curl -I``) got 405.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return  # drop the body; the last message below ends the response
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class BodyLimitMiddleware:
    """Answer 413 to any request whose body is larger than ``max_bytes`` (declared or streamed)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await _plain(send, 400, "The Content-Length header is not a number.")
                if declared > self.max_bytes:
                    return await _too_large(send, self.max_bytes)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _too_large(send, self.max_bytes)


class _TooLarge(Exception):
    pass


async def _too_large(send, limit: int) -> None:
    await _plain(
        send, 413,
        f"The request body is larger than the limit of {limit} bytes; send less, or raise the "
        "max_request_bytes setting (TRUCEWATCH_MAX_REQUEST_BYTES).",
    )


async def _plain(send, status: int, message: str) -> None:
    import json

    body = json.dumps({"detail": message}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


def new_token() -> tuple[str, str, str]:
    """A fresh write token: ``(token_id, token, stored_hash)``. Show ``token`` once; store only the hash."""
    token_id = secrets.token_hex(4)
    token = f"tw_{token_id}_{secrets.token_urlsafe(32)}"
    return token_id, token, hash_token(token)


def hash_token(token: str, salt: str | None = None) -> str:
    """``sha256$<salt>$<hex>`` of ``token`` with a random (or the given) salt."""
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}\x1f{token}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def token_matches(token: str, stored: list[tuple[str, str]]) -> bool:
    """Whether ``token`` matches one of the stored ``(id, hash)`` pairs; constant time per comparison."""
    ok = False
    for _token_id, stored_hash in stored:
        try:
            algo, salt, _digest = stored_hash.split("$", 2)
        except ValueError:
            continue
        if algo != "sha256":
            continue
        # Compare against every stored hash, without stopping early, so timing says nothing.
        ok |= hmac.compare_digest(hash_token(token, salt).encode(), stored_hash.encode())
    return ok


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (127.0.0.0/8, ::1, localhost)."""
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
