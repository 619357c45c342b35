"""S3Storage against a real S3-protocol server (moto's standalone server in a child process)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from api.settings import Settings
from api.storage import LocalStorage, S3Storage, StorageUnavailable, storage_from_settings
from api.storage.s3 import MiB
from api.unavailable import is_dependency_error
from tests.auth import Identity
from tests.services import S3Server, free_port


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


@pytest.mark.parametrize("endpoint", ["minio:9000", "ftp://minio", "javascript:alert(1)", ""])
def test_hostile_endpoints_are_refused(settings: Settings, endpoint: str) -> None:
    update = {"storage_url": "s3://bucket", "s3_endpoint_url": endpoint}
    with pytest.raises(ValueError, match="PAPERLANE_S3_ENDPOINT_URL"):
        storage_from_settings(settings.model_copy(update=update))


async def test_an_unreachable_store_is_an_outage_not_a_bug() -> None:
    """Connection refused: StorageUnavailable, an OSError, so REST answers 503 and the worker
    retries (api.unavailable), instead of a 500 or a job failed for good."""
    dead = S3Storage(
        "bucket",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        region="us-east-1",
        access_key_id="x",
        secret_access_key="y",
    )
    with pytest.raises(StorageUnavailable) as caught:
        await dead.size("a.pdf")
    assert is_dependency_error(caught.value)
    with pytest.raises(StorageUnavailable):
        await dead.put("a.pdf", chunks(b"%PDF-1.7\n"))


async def test_upload_while_the_store_is_away_answers_503(
    settings: Settings, clean: None, admin: Identity
) -> None:
    from api.main import create_app

    own = settings.model_copy(
        update={
            "storage_url": "s3://bucket/p",
            "s3_endpoint_url": f"http://127.0.0.1:{free_port()}",
            "s3_region": "us-east-1",
            "s3_access_key_id": "x",
            "s3_secret_access_key": SecretStr("y"),
        }
    )
    application = create_app(own)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=admin.headers
        ) as client:
            response = await client.post(
                "/api/documents/upload",
                files=[("files", ("a.pdf", b"%PDF-1.7\n" + os.urandom(100), "application/pdf"))],
            )
    assert response.status_code == 503, response.text
