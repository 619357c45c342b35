"""Per-request DataLoaders: a page of 100 documents with their latest job and extraction costs
the same number of SQL statements as a page of one (one batched statement per relation)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from api.services import audit
from api.services.documents import DocumentService
from api.services.duplicates import possible_duplicates
from db.models import AuditEvent, Document, ExtractedResult, JobEvent, ProcessingJob

T = TypeVar("T")
# The request's session, one user at a time (``schema.context.Context.use``).
SessionScope = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class Loaders:
    def __init__(self, use: SessionScope):
        self.use = use
        self.document: DataLoader[uuid.UUID, Document | None] = self._loader(
            DocumentService.documents_by_id
        )
        self.job: DataLoader[uuid.UUID, ProcessingJob | None] = self._loader(
            DocumentService.jobs_by_id
        )
        self.latest_job: DataLoader[uuid.UUID, ProcessingJob | None] = self._loader(
            DocumentService.latest_jobs
        )
        self.jobs: DataLoader[uuid.UUID, list[ProcessingJob]] = self._loader(
            DocumentService.jobs_of
        )
        # Without the raw text: ``rawText`` reads slices of it (schema.cost).
        self.extraction: DataLoader[uuid.UUID, ExtractedResult | None] = self._loader(
            lambda service, keys: service.results_of(keys, with_text=False)
        )
        self.raw_text_length: DataLoader[uuid.UUID, int] = self._loader(
            DocumentService.raw_text_lengths
        )
        self.raw_text_slice: DataLoader[tuple[uuid.UUID, int, int], str] = DataLoader(
            load_fn=self._raw_text_slices
        )
        self.events: DataLoader[uuid.UUID, list[JobEvent]] = self._loader(DocumentService.events_of)
        self.history: DataLoader[uuid.UUID, list[AuditEvent]] = DataLoader(load_fn=self._history)
        self.possible_duplicates: DataLoader[uuid.UUID, list[Document]] = DataLoader(
            load_fn=self._possible_duplicates
        )

    async def _possible_duplicates(self, keys: list[uuid.UUID]) -> list[list[Document]]:
        async with self.use() as session:
            found = await possible_duplicates(session, keys)
        return [found[k] for k in keys]

    async def _history(self, keys: list[uuid.UUID]) -> list[list[AuditEvent]]:
        async with self.use() as session:
            found = await audit.histories(session, keys)
        return [found[k] for k in keys]

    async def _raw_text_slices(self, keys: list[tuple[uuid.UUID, int, int]]) -> list[str]:
        async with self.use() as session:
            return await DocumentService(session).raw_text_slices(keys)

    def _loader(
        self, method: Callable[[DocumentService, Sequence[uuid.UUID]], Awaitable[list[T]]]
    ) -> DataLoader[uuid.UUID, T]:
        async def load(keys: list[uuid.UUID]) -> list[T]:
            async with self.use() as session:
                return await method(DocumentService(session), keys)

        return DataLoader(load_fn=load)

    def prime_document(self, document: Document) -> None:
        self.document.prime(document.id, document)

    def prime_result(self, result: ExtractedResult) -> None:
        self.extraction.prime(result.document_id, result, force=True)


__all__ = ["Document", "ExtractedResult", "JobEvent", "Loaders", "ProcessingJob"]
