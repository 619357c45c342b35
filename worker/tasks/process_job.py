"""The task: take job ids, and for each claim it, run the pipeline, record the outcome."""

from __future__ import annotations

import uuid

from api.queue import PROCESS_JOB_TASK
from worker import runtime
from worker.celery_app import app
from worker.processing import process_many
from worker.tasks.base import PaperlaneTask


@app.task(base=PaperlaneTask, name=PROCESS_JOB_TASK)
def process_job(*job_ids: str) -> None:
    runtime.run(process_many([uuid.UUID(job_id) for job_id in job_ids]))
