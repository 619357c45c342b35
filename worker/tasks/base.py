"""The one task base of the project: what is retried, and how."""

from __future__ import annotations

from celery import Task

from api.unavailable import DEPENDENCY_ERRORS

# Only failures that heal by themselves. Bad data (a corrupt PDF) is recorded as FAILED instead.
TRANSIENT = DEPENDENCY_ERRORS


class PaperlaneTask(Task):
    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 5
