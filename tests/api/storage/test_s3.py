"""S3Storage against a real S3-protocol server (moto's standalone server in a child process)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from api.storage import LocalStorage, S3Storage, storage_from_settings
from api.storage.s3 import MiB
from tests.services import S3Server


@pytest.fixture
def storage(s3_server: S3Server) -> S3Storage:
    return S3Storage(
        s3_server.bucket,
        f"unit-{uuid.uuid4().hex[:8]}",
        endpoint_url=s3_server.url,
        region=s3_server.region,
        access_key_id=s3_server.access_key_id,
        secret_access_key=s3_server.secret_access_key,
        part_size=5 * MiB,
    )


async def chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read(storage: S3Storage, key: str, **kwargs: int) -> bytes:
    return b"".join([chunk async for chunk in storage.open(key, **kwargs)])


async def test_small_file_round_trip(storage: S3Storage) -> None:
    data = os.urandom(1000)
    assert await storage.put("a/b.pdf", chunks(data)) == 1000
    assert await storage.size("a/b.pdf") == 1000
    assert await read(storage, "a/b.pdf") == data
    await storage.delete("a/b.pdf")
    assert await storage.size("a/b.pdf") is None
    await storage.delete("a/b.pdf")  # missing: not an error


async def test_large_file_goes_up_in_parts(storage: S3Storage, s3_server: S3Server) -> None:
    data = os.urandom(12 * MiB + 123)
    assert await storage.put("big.pdf", chunks(data)) == len(data)
    head = s3_server.client().head_object(  # type: ignore[attr-defined]
        Bucket=s3_server.bucket, Key=storage.object_key("big.pdf")
    )
    assert head["ETag"].strip('"').endswith("-3")  # a multipart upload of three parts
    assert await read(storage, "big.pdf") == data
    assert (
        await read(storage, "big.pdf", offset=5 * MiB - 10, length=20)
        == data[5 * MiB - 10 : 5 * MiB + 10]
    )
    assert await read(storage, "big.pdf", offset=len(data) - 5) == data[-5:]
    assert await read(storage, "big.pdf", offset=3, length=0) == b""
    chunked = [len(c) async for c in storage.open("big.pdf", 1000, offset=0, length=5000)]
    assert chunked == [1000] * 5


async def test_a_failed_stream_leaves_nothing(storage: S3Storage, s3_server: S3Server) -> None:
    async def broken() -> AsyncIterator[bytes]:
        for _ in range(7):
            yield os.urandom(MiB)
        raise RuntimeError("client went away")

    with pytest.raises(RuntimeError, match="client went away"):
        await storage.put("broken.pdf", broken())
    assert await storage.size("broken.pdf") is None
    uploads = s3_server.client().list_multipart_uploads(Bucket=s3_server.bucket)  # type: ignore[attr-defined]
    assert not [u for u in uploads.get("Uploads", []) if u["Key"].startswith(storage.prefix)]


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "../x", "a//b", ".", "a/./b"])
async def test_hostile_keys_are_refused(storage: S3Storage, key: str) -> None:
    with pytest.raises(ValueError, match="invalid storage key"):
        storage.object_key(key)


def test_storage_url_chooses_the_backend(settings: Settings, tmp_path: Path) -> None:
    assert isinstance(storage_from_settings(settings), LocalStorage)
    local = storage_from_settings(settings.model_copy(update={"storage_url": f"file://{tmp_path}"}))
    assert isinstance(local, LocalStorage) and local.root == tmp_path.resolve()
    s3 = storage_from_settings(
        settings.model_copy(
            update={"storage_url": "s3://bucket/some/prefix/", "s3_region": "eu-central-1"}
        )
    )
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.object_key("k.pdf")) == ("bucket", "some/prefix/k.pdf")


@pytest.mark.parametrize(
    "url",
    ["s3://", "s3:///prefix", "ftp://host/x", "file://otherhost/x", "file://", "/plain/path", "x"],
)
def test_hostile_storage_urls_are_refused(settings: Settings, url: str) -> None:
    with pytest.raises(ValueError, match="PAPERLANE_STORAGE_URL"):
        storage_from_settings(settings.model_copy(update={"storage_url": url}))
