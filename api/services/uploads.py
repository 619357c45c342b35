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

from sqlalchemy.ext.asyncio import AsyncSession

from api.effects import on_rollback
from api.errors import RejectedUpload
from api.services.jobs import JobService
from api.settings import Settings
from api.storage import Storage
from db.models import Document, ProcessingJob
from db.repositories import DocumentRepository

PDF_MIME = "application/pdf"
MAX_FILENAME_CHARS = 255
# The PDF header may follow up to 1 KiB of junk (ISO 32000-1, 7.5.2); readers accept that.
PDF_HEADER_WINDOW = 1024


@dataclass(frozen=True)
class IncomingFile:
    filename: str | None
    chunks: AsyncIterable[bytes]


@dataclass(frozen=True)
class Rejected:
    filename: str
    code: str
    message: str


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
    """Wraps the incoming stream: hashes, counts, enforces the limit, sniffs the type."""

    def __init__(self, chunks: AsyncIterable[bytes], limit: int):
        self.chunks = chunks
        self.limit = limit
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.head = b""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.chunks:
            if not chunk:
                continue
            self.size += len(chunk)
            if self.size > self.limit:
                raise RejectedUpload(
                    f"larger than the limit of {self.limit} bytes", code="FILE_TOO_LARGE"
                )
            if len(self.head) < PDF_HEADER_WINDOW:
                self.head += chunk[: PDF_HEADER_WINDOW - len(self.head)]
                if len(self.head) >= PDF_HEADER_WINDOW:
                    self._require_pdf()
            self.sha256.update(chunk)
            yield chunk
        if self.size == 0:
            raise RejectedUpload("the file is empty", code="EMPTY_FILE")
        self._require_pdf()

    def _require_pdf(self) -> None:
        if b"%PDF-" not in self.head:
            raise RejectedUpload(
                "not a PDF (the content has no PDF header; only PDF files are accepted)",
                code="UNSUPPORTED_TYPE",
            )


class UploadService:
    def __init__(
        self, session: AsyncSession, *, storage: Storage, jobs: JobService, settings: Settings
    ):
        self.session = session
        self.storage = storage
        self.jobs = jobs
        self.settings = settings
        self.documents = DocumentRepository(session)

    async def accept(self, files: Sequence[IncomingFile]) -> UploadOutcome:
        outcome = UploadOutcome()
        if len(files) > self.settings.max_files_per_upload:
            raise RejectedUpload(
                f"at most {self.settings.max_files_per_upload} files per upload",
                code="TOO_MANY_FILES",
            )
        for incoming in files:
            filename = clean_filename(incoming.filename)
            try:
                document, job = await self._accept_one(filename, incoming.chunks)
                outcome.documents.append(document)
                outcome.jobs[document.id] = job
            except RejectedUpload as rejected:
                outcome.rejected.append(Rejected(filename, rejected.code, rejected.message))
        return outcome

    async def _accept_one(
        self, filename: str, chunks: AsyncIterable[bytes]
    ) -> tuple[Document, ProcessingJob]:
        key = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"
        checked = _Checked(chunks, self.settings.max_upload_bytes)
        await self.storage.put(key, checked)

        async def remove_file() -> None:
            await self.storage.delete(key)

        # Registered before any row exists: a failed insert or commit leaves no orphan file.
        on_rollback(self.session, remove_file)
        sha256 = checked.sha256.hexdigest()
        original = await self.documents.earliest_with_sha256(sha256)
        document = await self.documents.create(
            original_filename=filename,
            stored_file_path=key,
            mime_type=PDF_MIME,
            file_size=checked.size,
            sha256=sha256,
            duplicate_of_id=original.id if original else None,
        )
        return document, await self.jobs.create(document.id)
