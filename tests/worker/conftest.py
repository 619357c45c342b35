"""A worker of a test's own (``private_worker``): its own settings, its own broker.

It is fed through a private broker database so that the session's shared worker cannot take
the job first: the upload commits with Redis unreachable (``tests.jobs.upload_quietly``: no
enqueue), then the job is enqueued on the private broker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import pytest

from api.queue import JobQueue, make_celery
from tests.services import WorkerProcess


def _private_broker(redis_url: str, db: int) -> str:
    parts = urlsplit(redis_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


class PrivateWorker:
    def __init__(self, process: WorkerProcess, broker: str, log: Path):
        self.process = process
        self.queue = JobQueue(make_celery(broker))
        self.log = log

    def children(self) -> list[psutil.Process]:
        return self.process.children()


@pytest.fixture
def private_worker(
    worker_env: dict[str, str], data_dir: Path
) -> Iterator[Callable[..., PrivateWorker]]:
    started: list[WorkerProcess] = []

    def start(**env: str) -> PrivateWorker:
        broker = _private_broker(worker_env["PAPERLANE_REDIS_URL"], 9 + len(started))
        log = data_dir / f"worker-private-{uuid.uuid4().hex[:8]}.log"
        process = WorkerProcess(
            {**worker_env, **env, "PAPERLANE_REDIS_URL": broker}, concurrency=1, log_path=log
        ).start()
        started.append(process)
        return PrivateWorker(process, broker, log)

    yield start
    for process in started:
        process.stop()
