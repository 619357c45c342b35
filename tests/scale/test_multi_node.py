"""The multi-node scenario (``tests/scale/multinode.py``) in its short form: two APIs, two workers,
separate local folders, files in S3 (moto), API 1 and worker A SIGKILLed mid-job.

``make scale-test`` runs the same with more documents (``PAPERLANE_SCALE_DOCUMENTS``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.auth import Identity
from tests.scale import multinode

pytestmark = [pytest.mark.worker, pytest.mark.scale]


async def test_two_apis_two_workers_one_object_store(
    settings_env: dict[str, str],
    s3_env: dict[str, str],
    admin: Identity,
    clean: None,
    data_dir: Path,
) -> None:
    documents = int(os.environ.get("PAPERLANE_SCALE_DOCUMENTS", "12"))
    # Machines share the server secret (the token hashes), never a disk: the session's admin
    # token was hashed under the key kept in the session's data folder.
    secret = (data_dir / "secret-key").read_text().strip()
    report = await multinode.run(
        {**settings_env, **s3_env, "PAPERLANE_SECRET_KEY": secret},
        documents=documents,
        folder=data_dir / "scale",
        timeout=120 + 3 * documents,
    )
    print(report.summary())
    assert not report.violations, report.summary()
    assert report.documents == documents
