"""The GraphQL object types. Each wraps a database row (``strawberry.Private``); relations go
through the request's DataLoaders, never a query per object."""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from api.events.model import JobEventMessage
from api.services.fields import (
    FIELD_NAMES,
    FIELDS,
    LIST_FIELDS,
    NUMERIC_KINDS,
    Field,
    Kind,
    ListField,
    checks_of,
    effective_fields,
    extracted_fields,
    reviewed_fields,
)
from db import models
from db.repositories.documents import ESTIMATE_DESCRIPTION
from schema.history import HistoryEntry

T = TypeVar("T")


@strawberry.enum(description="Where a document is in its lifecycle.")
class DocumentStatus(Enum):
    QUEUED = strawberry.enum_value("QUEUED", description="Waiting for a worker.")
    PROCESSING = strawberry.enum_value("PROCESSING", description="A worker is extracting it.")
    COMPLETED = strawberry.enum_value("COMPLETED", description="Extracted; ready for review.")
    FAILED = strawberry.enum_value("FAILED", description="Processing failed; see the job's error.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Processing was cancelled.")
    FINALIZED = strawberry.enum_value("FINALIZED", description="Reviewed and read-only.")


@strawberry.enum(description="Where a processing job is in its lifecycle.")
class JobStatus(Enum):
    QUEUED = strawberry.enum_value("QUEUED", description="Waiting for a worker.")
    PROCESSING = strawberry.enum_value("PROCESSING", description="A worker runs it.")
    COMPLETED = strawberry.enum_value("COMPLETED", description="Finished successfully.")
    FAILED = strawberry.enum_value("FAILED", description="Stopped with an error code.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Stopped on request.")


@strawberry.enum(description="What happened to a job.")
class JobEventType(Enum):
    JOB_QUEUED = strawberry.enum_value("JOB_QUEUED", description="The job entered the queue.")
    JOB_STARTED = strawberry.enum_value("JOB_STARTED", description="A worker claimed the job.")
    DOCUMENT_PARSING_STARTED = strawberry.enum_value(
        "DOCUMENT_PARSING_STARTED", description="Reading the PDF began."
    )
    DOCUMENT_PARSING_COMPLETED = strawberry.enum_value(
        "DOCUMENT_PARSING_COMPLETED", description="Reading the PDF finished."
    )
    FIELD_EXTRACTION_STARTED = strawberry.enum_value(
        "FIELD_EXTRACTION_STARTED", description="Finding the invoice fields began."
    )
    FIELD_EXTRACTION_COMPLETED = strawberry.enum_value(
        "FIELD_EXTRACTION_COMPLETED", description="Finding the invoice fields finished."
    )
    JOB_COMPLETED = strawberry.enum_value("JOB_COMPLETED", description="The job succeeded.")
    JOB_FAILED = strawberry.enum_value("JOB_FAILED", description="The job failed.")
    JOB_CANCELLED = strawberry.enum_value("JOB_CANCELLED", description="The job was cancelled.")


@strawberry.type(description="One state change of a job; its id is the resume cursor.")
class JobEvent:
    id: strawberry.ID = strawberry.field(
        description="Increases monotonically across all jobs; pass it as afterEventId to resume."
    )
    job_id: strawberry.ID = strawberry.field(description="The job this event belongs to.")
    document_id: strawberry.ID = strawberry.field(description="The job's document.")
    type: JobEventType = strawberry.field(description="What happened.")
    status: JobStatus = strawberry.field(description="The job's status after this event.")
    progress: int = strawberry.field(description="The job's progress after this event, 0..100.")
    stage: str | None = strawberry.field(description='Pipeline stage, e.g. "parsing".')
    message: str | None = strawberry.field(description="Human-readable detail, if any.")
    attempt: int = strawberry.field(description="1 for the first run, +1 per retry.")
    occurred_at: datetime = strawberry.field(description="When the event was recorded.")

    @classmethod
    def of(cls, message: JobEventMessage) -> JobEvent:
        return cls(
            id=strawberry.ID(str(message.id)),
            job_id=strawberry.ID(str(message.job_id)),
            document_id=strawberry.ID(str(message.document_id)),
            type=JobEventType[message.type],
            status=JobStatus[message.status],
            progress=message.progress,
            stage=message.stage,
            message=message.message,
            attempt=message.attempt,
            occurred_at=message.occurred_at,
        )

    @classmethod
    def of_row(cls, row: models.JobEvent) -> JobEvent:
        return cls.of(JobEventMessage.from_row(row))


@strawberry.type(description="One processing run of a document.")
class Job:
    row: strawberry.Private[models.ProcessingJob]

    @strawberry.field(description="The job's id (a UUID).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The document this job processes.")
    async def document(self, info: Info) -> Document:
        row = await info.context.loaders.document.load(self.row.document_id)
        return Document(row=row)

    @strawberry.field(description="Where the job is in its lifecycle.")
    def status(self) -> JobStatus:
        return JobStatus[self.row.status]

    @strawberry.field(description="Progress in percent, 0..100.")
    def progress(self) -> int:
        return self.row.progress_percentage

    @strawberry.field(description='Current pipeline stage, e.g. "parsing", "extracting".')
    def stage(self) -> str | None:
        return self.row.current_stage

    @strawberry.field(
        description='Machine-readable failure reason when FAILED, e.g. "PDF_ENCRYPTED".'
    )
    def error_code(self) -> str | None:
        return self.row.error_code

    @strawberry.field(description="Human-readable failure reason when FAILED.")
    def error_message(self) -> str | None:
        return self.row.error_message

    @strawberry.field(description="How many times a user retried this job.")
    def retry_count(self) -> int:
        return self.row.retry_count

    @strawberry.field(description="When the job was created.")
    def created_at(self) -> datetime:
        return self.row.created_at

    @strawberry.field(description="When the current attempt started.")
    def started_at(self) -> datetime | None:
        return self.row.started_at

    @strawberry.field(description="When the job last finished (completed, failed, cancelled).")
    def completed_at(self) -> datetime | None:
        return self.row.completed_at

    @strawberry.field(description="Every event of the job, oldest first, across all attempts.")
    async def events(self, info: Info) -> list[JobEvent]:
        rows = await info.context.loaders.events.load(self.row.id)
        return [JobEvent.of_row(r) for r in rows]


def field_type(spec: Field) -> Any:
    """The Python (GraphQL) type of a scalar field's value."""
    if spec.kind is Kind.DATE:
        return date
    return Decimal if spec.kind in NUMERIC_KINDS else str


def field_value(spec: Field, value: Any) -> Any:
    """A stored value as its GraphQL type; a value that does not parse is shown as null."""
    if value in (None, ""):
        return None
    try:
        if spec.kind is Kind.DATE:
            return date.fromisoformat(value)
        if spec.kind in NUMERIC_KINDS:
            return Decimal(str(value))
    except (TypeError, ValueError, ArithmeticError):
        return None
    return value if isinstance(value, str) else str(value)


def derived(
    specs: Sequence[Field | ListField],
    description: str,
    *,
    list_types: Mapping[str, type] | None = None,
    as_input: bool = False,
    name: str | None = None,
) -> Callable[[type[T]], type[T]]:
    """Declare a Strawberry type's fields from ``api.services.fields`` (the one definition of
    the invoice fields): scalars nullable; lists of ``list_types[name]`` rows. As an input, a
    field left out of the request is UNSET (unchanged), null clears it."""

    def wrap(cls: type[T]) -> type[T]:
        annotations = dict(inspect.get_annotations(cls))
        for spec in specs:
            if isinstance(spec, ListField):
                assert list_types is not None
                row = list_types[spec.name]
                annotations[spec.attr] = list[row] | None if as_input else list[row]  # type: ignore[valid-type]
            else:
                annotations[spec.attr] = field_type(spec) | None
            default = strawberry.UNSET if as_input else dataclasses.MISSING
            setattr(cls, spec.attr, strawberry.field(default=default, description=spec.description))
        cls.__annotations__ = annotations
        decorate = strawberry.input if as_input else strawberry.type
        return decorate(cls, name=name, description=description)

    return wrap


def _list_row_type(spec: ListField) -> type:
    @derived(spec.items, spec.item_description, name=spec.item_type)
    class Row:
        pass

    return Row


ROW_TYPES: dict[str, type] = {spec.name: _list_row_type(spec) for spec in LIST_FIELDS}


@derived(FIELDS, "Invoice fields; any scalar may be null when unknown.", list_types=ROW_TYPES)
class InvoiceFields:
    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> InvoiceFields:
        """From the stored (normalised) camelCase fields."""
        values: dict[str, Any] = {}
        for spec in FIELDS:
            if isinstance(spec, ListField):
                row_type = ROW_TYPES[spec.name]
                values[spec.attr] = [
                    row_type(
                        **{item.attr: field_value(item, row.get(item.name)) for item in spec.items}
                    )
                    for row in fields.get(spec.name) or []
                ]
            else:
                values[spec.attr] = field_value(spec, fields.get(spec.name))
        return cls(**values)


@strawberry.type(description="One check of the invoice's arithmetic, identifiers or rules.")
class Check:
    name: str = strawberry.field(
        description='Rule id, e.g. "NET_PLUS_TAX_EQUALS_TOTAL", "IBAN_CHECKSUM", or an EN 16931 '
        'rule id such as "BR-CO-15" for XML invoices.'
    )
    passed: bool = strawberry.field(description="Whether the rule holds.")
    message: str = strawberry.field(description="What was compared, readable.")
    fields: list[str] = strawberry.field(
        description="The InvoiceFields keys the rule involves; a failed check marks them."
    )


@strawberry.type(description="Where a value came from, for highlighting in the review screen.")
class FieldEvidence:
    field: str = strawberry.field(description='The InvoiceFields key, e.g. "totalAmount".')
    confidence: float = strawberry.field(description="How sure the extractor is, 0..1.")
    page: int | None = strawberry.field(description="1-based page number.")
    bbox: list[float] | None = strawberry.field(description="x0, y0, x1, y1 in PDF points.")
    source: str = strawberry.field(
        description='"text", "embedded_xml", "ocr", or "reviewer" for a reviewer\'s change.'
    )


def _evidence(result: models.ExtractedResult) -> list[FieldEvidence]:
    items: list[FieldEvidence] = []
    raw = (result.structured_output_json or {}).get("evidence") or []
    reviewed = reviewed_fields(result)
    extracted = extracted_fields(result)
    changed = {
        name for name in FIELD_NAMES if reviewed is not None and reviewed[name] != extracted[name]
    }
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or item.get("field") in changed:
            continue
        try:
            bbox = item.get("bbox")
            items.append(
                FieldEvidence(
                    field=str(item["field"]),
                    confidence=float(item.get("confidence", 0.0)),
                    page=int(item["page"]) if item.get("page") is not None else None,
                    bbox=[float(v) for v in bbox] if isinstance(bbox, list) else None,
                    source=str(item.get("source") or "text"),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    items.extend(
        FieldEvidence(field=name, confidence=1.0, page=None, bbox=None, source="reviewer")
        for name in FIELD_NAMES
        if name in changed
    )
    return items


@strawberry.type(description="The extraction result of a document and its review.")
class Extraction:
    row: strawberry.Private[models.ExtractedResult]

    @strawberry.field(
        description="The document's text as extracted: `limit` characters from `offset` "
        "(0-based). `limit` defaults to, and may not exceed, PAPERLANE_GRAPHQL_RAW_TEXT_MAX_CHARS "
        "(1,000,000); all rawText fields of one request return at most "
        "PAPERLANE_GRAPHQL_RAW_TEXT_BUDGET_CHARS together (RESPONSE_TOO_LARGE past it). Page "
        "with `offset` up to `rawTextLength`."
    )
    async def raw_text(
        self,
        info: Info,
        offset: Annotated[
            int, strawberry.argument(description="First character (0-based) to return.")
        ] = 0,
        limit: Annotated[
            int | None,
            strawberry.argument(description="Most characters to return (default: the maximum)."),
        ] = None,
    ) -> str:
        return await info.context.raw_text(self.row.document_id, offset, limit)

    @strawberry.field(
        description="Length of the document's text in characters (for paging rawText)."
    )
    async def raw_text_length(self, info: Info) -> int:
        return await info.context.loaders.raw_text_length.load(self.row.document_id)

    @strawberry.field(description="Machine output; review never changes it.")
    def extracted(self) -> InvoiceFields:
        return InvoiceFields.of(extracted_fields(self.row))

    @strawberry.field(description="The reviewer's fields; null until a reviewer saves.")
    def reviewed(self) -> InvoiceFields | None:
        fields = reviewed_fields(self.row)
        return InvoiceFields.of(fields) if fields is not None else None

    @strawberry.field(description="Reviewed if present, else extracted; exports use these.")
    def fields(self) -> InvoiceFields:
        return InvoiceFields.of(effective_fields(self.row))

    @strawberry.field(
        description="Where each value came from; fields the reviewer changed have source "
        '"reviewer".'
    )
    def evidence(self) -> list[FieldEvidence]:
        return _evidence(self.row)

    @strawberry.field(
        description="Checks of the effective fields (recomputed after each review: sums, tax "
        "breakdown, IBAN checksum), plus the EN 16931 rule results read from an XML invoice."
    )
    def checks(self) -> list[Check]:
        return [Check(**check) for check in checks_of(self.row)]

    @strawberry.field(description="True once finalized; the record is then read-only.")
    def is_finalized(self) -> bool:
        return self.row.is_finalized

    @strawberry.field(description="When the record was finalized.")
    def finalized_at(self) -> datetime | None:
        return self.row.finalized_at

    @strawberry.field(description="When the result or its review last changed.")
    def updated_at(self) -> datetime:
        return self.row.updated_at

    @strawberry.field(description="Optimistic concurrency token: pass it to reviewDocument.")
    def version(self) -> int:
        return self.row.version


@strawberry.type(description="An uploaded file and what Paperlane made of it.")
class Document:
    row: strawberry.Private[models.Document]

    @strawberry.field(description="The document's id (a UUID).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The file name as uploaded (cleaned of paths and controls).")
    def original_filename(self) -> str:
        return self.row.original_filename

    @strawberry.field(description="MIME type sniffed from the bytes.")
    def mime_type(self) -> str:
        return self.row.mime_type

    @strawberry.field(description="Size in bytes.")
    def file_size(self) -> int:
        return self.row.file_size

    @strawberry.field(description="SHA-256 of the bytes, hex.")
    def sha256(self) -> str:
        return self.row.sha256

    @strawberry.field(description="Number of pages, once parsed.")
    def page_count(self) -> int | None:
        return self.row.page_count

    @strawberry.field(description="When the file was uploaded.")
    def uploaded_at(self) -> datetime:
        return self.row.uploaded_at

    @strawberry.field(description="Where the document is in its lifecycle.")
    def status(self) -> DocumentStatus:
        return DocumentStatus[self.row.current_status]

    @strawberry.field(description="The earliest other document with the same SHA-256, if any.")
    async def duplicate_of(self, info: Info) -> Document | None:
        if self.row.duplicate_of_id is None:
            return None
        row = await info.context.loaders.document.load(self.row.duplicate_of_id)
        return Document(row=row) if row is not None else None

    @strawberry.field(
        description="Other documents with the same invoice number and total and the same "
        "vendor or seller VAT id (at most 10, oldest first): finalizing this one then needs "
        "confirmDuplicate."
    )
    async def possible_duplicates(self, info: Info) -> list[Document]:
        rows = await info.context.loaders.possible_duplicates.load(self.row.id)
        return [Document(row=r) for r in rows]

    @strawberry.field(description="The most recent processing job.")
    async def latest_job(self, info: Info) -> Job | None:
        row = await info.context.loaders.latest_job.load(self.row.id)
        return Job(row=row) if row is not None else None

    @strawberry.field(description="Every processing job, newest first.")
    async def jobs(self, info: Info) -> list[Job]:
        return [Job(row=r) for r in await info.context.loaders.jobs.load(self.row.id)]

    @strawberry.field(description="The extraction result; null until a job has completed.")
    async def extraction(self, info: Info) -> Extraction | None:
        row = await info.context.loaders.extraction.load(self.row.id)
        return Extraction(row=row) if row is not None else None

    @strawberry.field(description="REST URL of the original file.")
    def file_url(self) -> str:
        return f"/api/documents/{self.row.id}/file"

    @strawberry.field(
        description="Who did what to this document (upload, reviews with each field's before "
        "and after, finalize, retry, cancel, export), oldest first."
    )
    async def history(self, info: Info) -> list[HistoryEntry]:
        return [HistoryEntry(row=r) for r in await info.context.loaders.history.load(self.row.id)]


@strawberry.type(description="Paging state of a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More documents follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="A document in a page, with its cursor.")
class DocumentEdge:
    cursor: str = strawberry.field(description="Opaque position of this document in the list.")
    node: Document = strawberry.field(description="The document.")


@strawberry.type(description="One page of documents.")
class DocumentConnection:
    edges: list[DocumentEdge] = strawberry.field(description="The documents of this page.")
    page_info: PageInfo = strawberry.field(description="Whether and how to get the next page.")
    total_count: int = strawberry.field(
        description="How many documents match, over all pages (an estimate when "
        "totalCountIsEstimate)."
    )
    total_count_is_estimate: bool = strawberry.field(description=ESTIMATE_DESCRIPTION)


@strawberry.type(description="How many documents have a status.")
class StatusCount:
    status: DocumentStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="Documents with that status.")


def document_id(value: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(str(value))
