"""The task: take a job id, claim it, run the pipeline, record the outcome. Nothing else."""

from __future__ import annotations

import uuid

from api.queue import PROCESS_JOB_TASK
from worker import runtime
from worker.celery_app import app
from worker.processing import process
from worker.tasks.base import PaperlaneTask


@app.task(base=PaperlaneTask, name=PROCESS_JOB_TASK)
def process_job(job_id: str) -> None:
    runtime.run(process(uuid.UUID(job_id)))
