from db.repositories.documents import DocumentRepository
from db.repositories.events import EventRepository
from db.repositories.jobs import JobRepository
from db.repositories.results import ResultRepository

__all__ = ["DocumentRepository", "EventRepository", "JobRepository", "ResultRepository"]
