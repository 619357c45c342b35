"""REST response models (camelCase JSON, the GraphQL names)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from api.services.uploads import UploadOutcome
from db.models import Document


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              from_attributes=True, serialize_by_alias=True)


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
            id=document.id, original_filename=document.original_filename,
            mime_type=document.mime_type, file_size=document.file_size, sha256=document.sha256,
            page_count=document.page_count, uploaded_at=document.uploaded_at,
            status=document.current_status, duplicate_of_id=document.duplicate_of_id,
        )


class RejectedFileOut(CamelModel):
    filename: str
    code: str
    message: str


class UploadResponse(CamelModel):
    documents: list[DocumentSummary]
    rejected: list[RejectedFileOut]


def upload_response(outcome: UploadOutcome) -> UploadResponse:
    return UploadResponse(
        documents=[DocumentSummary.of(d) for d in outcome.documents],
        rejected=[RejectedFileOut(filename=r.filename, code=r.code, message=r.message)
                  for r in outcome.rejected],
    )
