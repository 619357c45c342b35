from db.models.auth import ApiToken, AuditEvent, User, WebSession
from db.models.base import Base
from db.models.document import Document
from db.models.enums import DocumentStatus, JobEventType, JobStatus, Role
from db.models.extracted_result import ExtractedResult
from db.models.job_event import JobEvent
from db.models.processing_job import ProcessingJob

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Document",
    "DocumentStatus",
    "ExtractedResult",
    "JobEvent",
    "JobEventType",
    "JobStatus",
    "ProcessingJob",
    "Role",
    "User",
    "WebSession",
]
