"""Password hashing (argon2id), token helpers and sealed values."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from werkplek.clock import Clock

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash to verify against when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("werkplek-no-such-account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """256 bits of randomness, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mac(secret: str, purpose: str, body: str) -> str:
    """HMAC-SHA256 of ``body`` under ``secret``, bound to ``purpose`` (hex): what cannot be
    told from it without the secret, nor reused for another purpose."""
    message = purpose.encode() + b":" + body.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def seal(secret: str, purpose: str, payload: Mapping[str, Any]) -> str:
    """``payload`` (with its expiry ``exp``, a POSIX timestamp) as a value the browser
    carries and cannot alter: JSON in URL-safe base64 and its HMAC-SHA256 under
    ``secret``, bound to ``purpose`` so that a value sealed for one use is refused by
    another."""
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{body}.{mac(secret, purpose, body)}"


def unseal(secret: str, purpose: str, clock: Clock, value: str | None) -> dict[str, Any] | None:
    """What ``seal`` sealed for ``purpose``; None when it was altered or has expired."""
    if not value or "." not in value:
        return None
    body, sealed_mac = value.rsplit(".", 1)
    if not hmac.compare_digest(sealed_mac, mac(secret, purpose, body)):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("exp", 0) < clock.now().timestamp():
        return None
    return payload
