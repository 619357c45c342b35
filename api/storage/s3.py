"""Files in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage, moto in the tests).

Client library: boto3. Of the three kept clients (obstore, aioboto3, boto3) it is the reference
S3 SDK that every S3-compatible store tests against, and its low-level calls let this module
control memory exactly: an upload is a multipart upload whose parts are sent one at a time, so
an upload holds at most one part (``part_size``, 8 MiB, plus one incoming chunk) whatever the
file's size, where a higher-level transfer manager (or obstore's concurrent writer) buffers
several parts at once. boto3 is synchronous: each call runs in a worker thread
(``asyncio.to_thread``); calls move a part or a 1 MiB read at a time, so the thread hop costs
nothing next to the transfer. aioboto3 would avoid the threads at the price of a second, less
used stack (aiobotocore pins botocore versions).
A boto3 client is thread-safe and built after the worker's fork (``AppContext.create``).

Reads stream the object's body in bounded chunks and honour a byte range (``GetObject`` with
``Range``), which is how the API serves HTTP range requests for the PDF viewer without reading
the whole file.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
MIN_PART = 5 * MiB  # S3's smallest part (but the last)


class StorageUnavailable(OSError):
    """The object store is unreachable or answers 5xx (after boto3's own retries).

    An ``OSError``, so every surface treats it as a dependency outage like PostgreSQL or Redis
    away (``api.unavailable``): REST 503, GraphQL SERVICE_UNAVAILABLE, the worker retries."""


class S3Storage:
    """Objects under ``s3://bucket/prefix/``; keys are relative paths made by Paperlane."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        part_size: int = 8 * MiB,
        read_size: int = MiB,
    ):
        import boto3
        from botocore.config import Config

        if part_size < MIN_PART:
            raise ValueError(f"part_size must be at least {MIN_PART} bytes (S3's minimum)")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.part_size = part_size
        self.read_size = read_size
        config = Config(
            retries={"max_attempts": 4, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
            max_pool_connections=20,
            # A custom endpoint (MinIO, moto) is addressed by path, not by bucket subdomain.
            s3={"addressing_style": "path"} if endpoint_url else {},
            # Checksums only where the operation requires one: several S3-compatible stores
            # reject the newer default trailing checksums on streamed parts.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )

    def object_key(self, key: str) -> str:
        parts = key.split("/")
        if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"invalid storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    async def _upload_part(
        self, name: str, upload_id: str, parts: list[dict[str, Any]], body: bytearray
    ) -> None:
        """Send the next part of a multipart upload and note it in ``parts`` (numbered from 1)."""
        part = await self._call(
            "upload_part",
            Bucket=self.bucket,
            Key=name,
            UploadId=upload_id,
            PartNumber=len(parts) + 1,
            Body=body,
        )
        parts.append({"PartNumber": len(parts) + 1, "ETag": part["ETag"]})

    async def _call(self, method: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

        try:
            return await asyncio.to_thread(getattr(self.client, method), **kwargs)
        except (ConnectionError, HTTPClientError) as error:
            raise StorageUnavailable(f"object store unreachable: {error}") from error
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500:
                raise StorageUnavailable(f"object store answered {status}: {error}") from error
            raise
        except BotoCoreError as error:  # e.g. no credentials found: a configuration error
            raise RuntimeError(f"object store client: {error}") from error

    async def put(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        """Upload in parts of ``part_size``; a stream that fails aborts the multipart upload,
        so nothing is left under ``key`` (an object appears only when the upload completes)."""
        name = self.object_key(key)
        buffer = bytearray()
        written = 0
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        try:
            async for chunk in chunks:
                buffer += chunk
                written += len(chunk)
                if len(buffer) >= self.part_size:
                    if upload_id is None:
                        created = await self._call(
                            "create_multipart_upload", Bucket=self.bucket, Key=name
                        )
                        upload_id = created["UploadId"]
                    body, buffer = buffer, bytearray()  # handed over, not copied
                    await self._upload_part(name, upload_id, parts, body)
                    del body
            if upload_id is None:  # small enough for one request
                await self._call("put_object", Bucket=self.bucket, Key=name, Body=buffer)
                return written
            if buffer:
                await self._upload_part(name, upload_id, parts, buffer)
            await self._call(
                "complete_multipart_upload",
                Bucket=self.bucket,
                Key=name,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
            return written
        except BaseException:
            if upload_id is not None:
                await asyncio.shield(self._abort(name, upload_id))
            raise

    async def _abort(self, name: str, upload_id: str) -> None:
        try:
            await self._call(
                "abort_multipart_upload", Bucket=self.bucket, Key=name, UploadId=upload_id
            )
        except Exception:  # the store's lifecycle rule for incomplete uploads is the backstop
            import logging

            logging.getLogger(__name__).warning("could not abort upload of %s", name)

    async def open(
        self, key: str, chunk_size: int = 1 << 16, *, offset: int = 0, length: int | None = None
    ) -> AsyncIterator[bytes]:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": self.object_key(key)}
        if length == 0:
            return
        if offset or length is not None:
            end = "" if length is None else str(offset + length - 1)
            kwargs["Range"] = f"bytes={offset}-{end}"
        response = await self._call("get_object", **kwargs)
        body = response["Body"]
        from botocore.exceptions import ConnectionError, HTTPClientError

        try:
            size = max(chunk_size, self.read_size)
            while True:
                try:
                    chunk = await asyncio.to_thread(body.read, size)
                except (ConnectionError, HTTPClientError) as error:
                    raise StorageUnavailable(f"object store read failed: {error}") from error
                if not chunk:
                    break
                for start in range(0, len(chunk), chunk_size):
                    yield chunk[start : start + chunk_size]
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Bucket=self.bucket, Key=self.object_key(key))

    def local_path(self, key: str) -> Path | None:
        return None  # the object is not on this machine: the worker copies it

    async def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = await self._call("head_object", Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])
