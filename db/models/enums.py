"""Status and event vocabularies, stored as constrained text (CHECK), mirrored in GraphQL enums."""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class DocumentStatus(StrEnum):
    QUEUED = "QUEUED"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    FINALIZED = "FINALIZED"


class JobEventType(StrEnum):
    JOB_QUEUED = "job_queued"
    JOB_STARTED = "job_started"
    DOCUMENT_PARSING_STARTED = "document_parsing_started"
    DOCUMENT_PARSING_COMPLETED = "document_parsing_completed"
    FIELD_EXTRACTION_STARTED = "field_extraction_started"
    FIELD_EXTRACTION_COMPLETED = "field_extraction_completed"
    JOB_COMPLETED = "job_completed"
    JOB_FAILED = "job_failed"
    JOB_CANCELLED = "job_cancelled"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


class Role(StrEnum):
    """Who may do what: ``api.auth.policy`` maps each role to its permissions."""

    ADMIN = "admin"
    REVIEWER = "reviewer"
    UPLOADER = "uploader"
    VIEWER = "viewer"
