"""Where original files live: chosen by ``PAPERLANE_STORAGE_URL`` (``storage_from_settings``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from api.storage.base import Storage
from api.storage.local import LocalStorage
from api.storage.s3 import S3Storage, StorageUnavailable

if TYPE_CHECKING:
    from api.settings import Settings

__all__ = ["LocalStorage", "S3Storage", "Storage", "StorageUnavailable", "storage_from_settings"]


def storage_from_settings(settings: Settings) -> Storage:
    """``file:///path`` → that folder; ``s3://bucket/prefix`` → the object store named by the
    ``PAPERLANE_S3_*`` settings; unset → ``PAPERLANE_STORAGE_DIR`` (default ``<data_dir>/files``).
    """
    url = settings.storage_url
    if not url:
        return LocalStorage(settings.files_dir)
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise ValueError(f"PAPERLANE_STORAGE_URL: a file URL is file:///absolute/path: {url}")
        from pathlib import Path

        return LocalStorage(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError(f"PAPERLANE_STORAGE_URL: no bucket in {url}")
        secret = settings.s3_secret_access_key
        endpoint = settings.s3_endpoint_url
        if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
            raise ValueError(f"PAPERLANE_S3_ENDPOINT_URL must be an http(s) URL: {endpoint!r}")
        return S3Storage(
            parts.netloc,
            unquote(parts.path),
            endpoint_url=endpoint,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    raise ValueError(f"PAPERLANE_STORAGE_URL must be file:///… or s3://bucket/prefix: {url}")
