"""Accepting uploaded files: stream to storage, check, record, queue.

Each file is checked on its own and either becomes a document (with its QUEUED job) or a
``RejectedFile`` with a code. Bytes are streamed in chunks: the SHA-256, the size limit and the
type sniff all happen on the way to storage, so a 100 MB upload never sits in memory.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.auth.policy import Permission, authorize
from api.effects import on_rollback
from api.errors import RejectedUpload
from api.services import audit
from api.services.jobs import JobService
from api.services.sniff import (
    EXTENSIONS,
    MAX_XML_BYTES,
    PDF_HEADER_WINDOW,
    PDF_MIME,
    XML_MIME,
    XmlRootSniffer,
    looks_like_xml,
    unsupported,
)
from api.settings import Settings
from api.storage import Storage
from db.models import Document, ProcessingJob
from db.repositories import DocumentRepository

MAX_FILENAME_CHARS = 255


@dataclass(frozen=True)
class IncomingFile:
    filename: str | None
    chunks: AsyncIterable[bytes]


@dataclass(frozen=True)
class Rejected:
    filename: str
    code: str
    message: str


@dataclass(frozen=True)
class _Stored:
    """A file that passed its checks and is in storage, waiting for its rows."""

    filename: str
    key: str
    mime_type: str
    size: int
    sha256: str


@dataclass
class UploadOutcome:
    documents: list[Document] = field(default_factory=list)
    # Each accepted document's QUEUED job, so the answer can carry it (an integrator opens the
    # job's stream at once instead of asking again).
    jobs: dict[uuid.UUID, ProcessingJob] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)


def clean_filename(raw: str | None) -> str:
    """A display name: last path component, NFC, no control characters, bounded length.

    It is metadata only; storage keys never derive from it.
    """
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):
        name = "unnamed.pdf"
    if len(name) > MAX_FILENAME_CHARS:
        _, dot, ext = name.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        name = name[: MAX_FILENAME_CHARS - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return name


class _Checked:
    """Wraps the incoming stream: hashes, counts, enforces the limit, sniffs the type.

    ``sniff`` reads ahead just far enough to know the type (a PDF header in the first KiB, or an
    e-invoice XML root element), so the storage key can carry the right extension and a refused
    file is never stored; iterating then yields those bytes and the rest.
    """

    def __init__(self, chunks: AsyncIterable[bytes], limit: int):
        self.source = aiter(chunks)
        self.limit = limit
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.ahead: list[bytes] = []
        self.mime_type = ""

    async def _pull(self) -> bytes | None:
        async for chunk in self.source:
            if not chunk:
                continue
            self.size += len(chunk)
            if self.size > self.limit:
                raise self._too_large()
            self.sha256.update(chunk)
            return chunk
        return None

    async def sniff(self) -> str:
        """The MIME type from the content; RejectedUpload when it is neither accepted kind."""
        head = b""
        while len(head) < PDF_HEADER_WINDOW:
            chunk = await self._pull()
            if chunk is None:
                break
            self.ahead.append(chunk)
            head += chunk
        if not head:
            raise RejectedUpload("the file is empty", code="EMPTY_FILE")
        if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
            self.mime_type = PDF_MIME
            return self.mime_type
        if not looks_like_xml(head):
            raise unsupported("not a PDF (the content has no PDF header) and not XML")
        sniffer = XmlRootSniffer()
        done = sniffer.feed(head)
        while not done:
            chunk = await self._pull()
            if chunk is not None:
                self.ahead.append(chunk)
            done = sniffer.feed(chunk or b"", final=chunk is None)
        self.mime_type = sniffer.mime_type()
        self.limit = min(self.limit, MAX_XML_BYTES)
        if self.size > self.limit:
            raise self._too_large()
        return self.mime_type

    def _too_large(self) -> RejectedUpload:
        what = "an XML invoice" if self.mime_type == XML_MIME else "a file"
        return RejectedUpload(
            f"larger than the limit of {self.limit} bytes for {what}", code="FILE_TOO_LARGE"
        )

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert self.mime_type, "sniff() first"
        for ahead in self.ahead:
            yield ahead
        self.ahead = []
        while (chunk := await self._pull()) is not None:
            yield chunk


class UploadService:
    def __init__(
        self, session: AsyncSession, *, storage: Storage, jobs: JobService, settings: Settings
    ):
        self.session = session
        self.storage = storage
        self.jobs = jobs
        self.settings = settings
        self.documents = DocumentRepository(session)

    async def accept(
        self, files: Sequence[IncomingFile], actor: Actor | None = None
    ) -> UploadOutcome:
        if actor is not None:
            authorize(actor, Permission.UPLOAD)
        outcome = UploadOutcome()
        if len(files) > self.settings.max_files_per_upload:
            raise RejectedUpload(
                f"at most {self.settings.max_files_per_upload} files per upload",
                code="TOO_MANY_FILES",
            )
        stored: list[_Stored] = []
        for incoming in files:
            filename = clean_filename(incoming.filename)
            try:
                stored.append(await self._store(filename, incoming.chunks))
            except RejectedUpload as rejected:
                outcome.rejected.append(Rejected(filename, rejected.code, rejected.message))
        if stored:
            await self._record(stored, outcome, actor)
        return outcome

    async def _store(self, filename: str, chunks: AsyncIterable[bytes]) -> _Stored:
        """The file checked, hashed and in storage (removed again if the upload rolls back)."""
        checked = _Checked(chunks, self.settings.max_upload_bytes)
        mime_type = await checked.sniff()
        key = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{EXTENSIONS[mime_type]}"
        await self.storage.put(key, checked)

        async def remove_file() -> None:
            await self.storage.delete(key)

        # Registered before any row exists: a failed insert or commit leaves no orphan file.
        on_rollback(self.session, remove_file)
        return _Stored(filename, key, mime_type, checked.size, checked.sha256.hexdigest())

    async def _record(
        self, stored: list[_Stored], outcome: UploadOutcome, actor: Actor | None
    ) -> None:
        """Documents, jobs and events for every stored file: a few statements for the whole
        upload, not a few per file (issue 16). Identical bytes point at the earliest document
        with them, stored before or earlier in this upload."""
        earliest = await self.documents.earliest_with_sha256([f.sha256 for f in stored])
        rows: list[dict[str, Any]] = []
        for file in stored:
            new_id = uuid.uuid4()
            rows.append(
                {
                    "id": new_id,
                    "original_filename": file.filename,
                    "stored_file_path": file.key,
                    "mime_type": file.mime_type,
                    "file_size": file.size,
                    "sha256": file.sha256,
                    "duplicate_of_id": earliest.get(file.sha256),
                }
            )
            earliest.setdefault(file.sha256, new_id)
        documents = await self.documents.create_many(rows)
        jobs = await self.jobs.create_many([d.id for d in documents])
        for document, job in zip(documents, jobs, strict=True):
            outcome.documents.append(document)
            outcome.jobs[document.id] = job
            audit.record(self.session, actor, audit.UPLOADED, document_id=document.id)
