"""Secrets: the server key, password hashes, and the hashes under which sessions and tokens
are stored.

- Passwords: Argon2id (argon2-cffi's RFC 9106 low-memory profile). Unknown emails are checked
  against a dummy hash, so a sign-in takes about as long whether the account exists or not.
- Session cookies and API tokens are 256-bit random strings; the database keeps only
  ``HMAC-SHA-256(server key, value)``. The key is a pepper: a leaked database alone lets no one
  recognise or forge a credential. Lookups by that hash need no constant-time compare (an
  attacker cannot choose the hash of a guess without the key).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from api.settings import Settings

log = logging.getLogger(__name__)

TOKEN_PREFIX = "pl_"
MIN_KEY_LENGTH = 32
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory parameters


class SecretKeyMissing(RuntimeError):
    pass


def server_key(settings: Settings) -> bytes:
    """PAPERLANE_SECRET_KEY; in development, one generated once into <data_dir>/secret-key."""
    if settings.secret_key is not None:
        value = settings.secret_key.get_secret_value()
        if len(value) < MIN_KEY_LENGTH:
            raise SecretKeyMissing(
                f"PAPERLANE_SECRET_KEY must be at least {MIN_KEY_LENGTH} characters"
            )
        return value.encode()
    if settings.production:
        raise SecretKeyMissing(
            "PAPERLANE_ENV=production needs PAPERLANE_SECRET_KEY (at least 32 random "
            'characters, e.g. `python -c "import secrets; print(secrets.token_urlsafe(48))"`)'
        )
    return _development_key(settings.data_dir.resolve())


@lru_cache
def _development_key(data_dir: Path) -> bytes:
    path = data_dir / "secret-key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    key = secrets.token_urlsafe(48).encode()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    log.info("development secret key created in %s", path)
    return key


def credential_hash(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_session_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> tuple[str, str]:
    """A new token and its display prefix (``pl_`` and its first eight random characters)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token[: len(TOKEN_PREFIX) + 8]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; ``None`` (unknown account) still spends a verification.

    CPU-bound (about a second on a busy machine): async callers run it in a thread."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password may have at most {MAX_PASSWORD_LENGTH} characters"
    return None
