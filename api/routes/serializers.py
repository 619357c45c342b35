"""REST response models (camelCase JSON, the GraphQL names)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model
from pydantic import Field as PydanticField
from pydantic.alias_generators import to_camel

from api.services.fields import (
    FIELDS,
    Field,
    ListField,
    checks_of,
    effective_fields,
    extracted_fields,
    reviewed_fields,
)
from api.services.uploads import UploadOutcome
from db.models import Document, ExtractedResult, ProcessingJob
from db.repositories.documents import ESTIMATE_DESCRIPTION


class CamelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        from_attributes=True,
        serialize_by_alias=True,
    )


class DocumentSummary(CamelModel):
    id: uuid.UUID
    original_filename: str
    mime_type: str
    file_size: int
    sha256: str
    page_count: int | None
    uploaded_at: datetime
    status: str
    duplicate_of_id: uuid.UUID | None

    @classmethod
    def of(cls, document: Document) -> DocumentSummary:
        return cls(
            id=document.id,
            original_filename=document.original_filename,
            mime_type=document.mime_type,
            file_size=document.file_size,
            sha256=document.sha256,
            page_count=document.page_count,
            uploaded_at=document.uploaded_at,
            status=document.current_status,
            duplicate_of_id=document.duplicate_of_id,
        )


# -- documents, jobs, extractions, events (GraphQL names, camelCase) ----------------------------


class JobOut(CamelModel):
    id: uuid.UUID
    document_id: uuid.UUID
    status: str
    progress: int
    stage: str | None
    error_code: str | None
    error_message: str | None
    retry_count: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def of(cls, job: ProcessingJob) -> JobOut:
        return cls(
            id=job.id,
            document_id=job.document_id,
            status=job.status,
            progress=job.progress_percentage,
            stage=job.current_stage,
            error_code=job.error_code,
            error_message=job.error_message,
            retry_count=job.retry_count,
            created_at=job.created_at,
            started_at=job.started_at,
            completed_at=job.completed_at,
        )


def _model(name: str, specs: tuple[Field | ListField, ...]) -> type[CamelModel]:
    """A response model derived from ``api.services.fields`` (the one definition): scalars as
    the stored strings (decimal strings, ISO dates), lists as lists of row models."""
    definitions: dict[str, Any] = {}
    for spec in specs:
        if isinstance(spec, ListField):
            row = _model(spec.item_type + "Out", spec.items)
            definitions[spec.attr] = (list[row], PydanticField(default_factory=list))  # type: ignore[valid-type]
        else:
            definitions[spec.attr] = (str | None, None)
    return create_model(name, __base__=CamelModel, **definitions)


_InvoiceFieldsModel = _model("InvoiceFieldsOut", FIELDS)


class InvoiceFieldsOut(_InvoiceFieldsModel):  # type: ignore[misc,valid-type]
    @classmethod
    def of(cls, fields: dict[str, Any]) -> InvoiceFieldsOut:
        return cls.model_validate(fields)


class CheckOut(CamelModel):
    name: str
    passed: bool
    message: str
    fields: list[str]


class ExtractionOut(CamelModel):
    raw_text: str
    extracted: InvoiceFieldsOut
    reviewed: InvoiceFieldsOut | None
    fields: InvoiceFieldsOut
    evidence: list[dict[str, Any]]
    checks: list[CheckOut]
    is_finalized: bool
    finalized_at: datetime | None
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, result: ExtractedResult) -> ExtractionOut:
        reviewed = reviewed_fields(result)
        evidence = (result.structured_output_json or {}).get("evidence") or []
        return cls(
            raw_text=result.raw_text,
            extracted=InvoiceFieldsOut.of(extracted_fields(result)),
            reviewed=InvoiceFieldsOut.of(reviewed) if reviewed is not None else None,
            fields=InvoiceFieldsOut.of(effective_fields(result)),
            evidence=[e for e in evidence if isinstance(e, dict)],
            checks=[CheckOut(**c) for c in checks_of(result)],
            is_finalized=result.is_finalized,
            finalized_at=result.finalized_at,
            updated_at=result.updated_at,
            version=result.version,
        )


class DocumentListItem(DocumentSummary):
    vendor_name: str | None
    invoice_number: str | None
    invoice_date: date | None
    total_amount: Decimal | None
    currency: str | None
    file_url: str

    @classmethod
    def of(cls, document: Document) -> DocumentListItem:
        base = DocumentSummary.of(document).model_dump()
        return cls(
            **base,
            vendor_name=document.vendor_name,
            invoice_number=document.invoice_number,
            invoice_date=document.invoice_date,
            total_amount=document.total_amount,
            currency=document.currency,
            file_url=f"/api/documents/{document.id}/file",
        )


class DocumentDetail(DocumentListItem):
    latest_job: JobOut | None
    extraction: ExtractionOut | None

    @classmethod
    def build(
        cls, document: Document, job: ProcessingJob | None, result: ExtractedResult | None
    ) -> DocumentDetail:
        base = DocumentListItem.of(document).model_dump()
        return cls(
            **base,
            latest_job=JobOut.of(job) if job else None,
            extraction=ExtractionOut.of(result) if result else None,
        )


class DocumentPageOut(CamelModel):
    items: list[DocumentListItem]
    next_cursor: str | None
    has_next_page: bool
    total_count: int
    total_count_is_estimate: bool = PydanticField(description=ESTIMATE_DESCRIPTION)


class ReviewIn(CamelModel):
    fields: dict[str, Any]
    # Versions are PostgreSQL integers: 2**70 is a 422 here, not a driver error later.
    expected_version: int = PydanticField(ge=1, le=2_147_483_647)


class RejectedFileOut(CamelModel):
    filename: str
    code: str
    message: str


class UploadResponse(CamelModel):
    documents: list[DocumentDetail]
    rejected: list[RejectedFileOut]


def upload_response(outcome: UploadOutcome) -> UploadResponse:
    """Each accepted document as ``GET /api/documents/{id}`` shows it: with its QUEUED job."""
    return UploadResponse(
        documents=[
            DocumentDetail.build(d, outcome.jobs.get(d.id), None) for d in outcome.documents
        ],
        rejected=[
            RejectedFileOut(filename=r.filename, code=r.code, message=r.message)
            for r in outcome.rejected
        ],
    )
