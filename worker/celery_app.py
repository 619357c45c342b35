"""The Celery application of the worker processes (``celery -A worker.celery_app:app worker``).

Configuration is shared with the producer side (``api.queue.make_celery``): JSON only,
``acks_late`` with ``task_reject_on_worker_lost`` and prefetch 1 (at-least-once delivery, made
harmless by the task's conditional claim), time limits below the broker's visibility timeout.
"""

from __future__ import annotations

import logging

from celery.signals import worker_process_init, worker_process_shutdown

from api.queue import make_celery
from api.settings import get_settings
from worker import limits, runtime


def _broker_url() -> str:
    url = get_settings().redis_url
    if not url:
        raise RuntimeError("PAPERLANE_REDIS_URL is not set (`paperlane dev` sets it)")
    return url


app = make_celery(_broker_url(), name="paperlane-worker")
app.conf.update(
    worker_pool="prefork",
    include=["worker.tasks.process_job"],
    # KiB; a child above it after a task is replaced (worker.limits, layer 3). None: no ceiling.
    worker_max_memory_per_child=get_settings().worker_max_memory_mib * 1024 or None,
)


@worker_process_init.connect
def _start_runtime(**_: object) -> None:
    """Engines and event loops must not cross fork(): each child builds its own. Memory
    limits are per child too (``worker.limits``)."""
    logging.getLogger("paperlane").setLevel(get_settings().log_level)
    limits.apply_child_limits(get_settings())
    runtime.start()


@worker_process_shutdown.connect
def _stop_runtime(**_: object) -> None:
    runtime.stop()
