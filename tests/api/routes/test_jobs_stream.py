"""SSE: ``GET /api/jobs/{id}/stream`` on a real uvicorn (ApiProcess) with jobs run by the real
Celery worker: ordered events whose ``id:`` is the event id, ``Last-Event-ID`` resume without
gap or duplicate, JSON errors for unknown or malformed ids and hostile ``Last-Event-ID``."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth import ADMIN_HEADERS
from tests.fixtures import INVOICE2DATA
from tests.services import ApiProcess

CORPUS = INVOICE2DATA
TERMINAL = {"JOB_COMPLETED", "JOB_FAILED", "JOB_CANCELLED"}


@pytest.fixture
def api(worker_env: dict[str, str], data_dir: Path, clean: None) -> Iterator[ApiProcess]:
    process = ApiProcess(
        {**worker_env, "PAPERLANE_KEEPALIVE_SECONDS": "0.5"}, log_path=data_dir / "api-sse.log"
    ).start()
    try:
        yield process
    finally:
        process.stop()


def upload(api: ApiProcess, name: str = "AzureInterior.pdf") -> str:
    with open(CORPUS / name, "rb") as f:
        response = httpx.post(
            f"{api.url}/api/documents/upload",
            files=[("files", (name, f, "application/pdf"))],
            headers=ADMIN_HEADERS,
            timeout=30,
        )
    assert response.status_code == 201, response.text
    document_id = response.json()["documents"][0]["id"]
    detail = httpx.get(
        f"{api.url}/api/documents/{document_id}", headers=ADMIN_HEADERS, timeout=10
    ).json()
    return str(detail["latestJob"]["id"])


def read_sse(
    api: ApiProcess,
    job_id: str,
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    until: Any = lambda e: e["data"]["type"] in TERMINAL,
    linger: float = 0.0,
    timeout: float = 90,
) -> list[dict[str, Any]]:
    """Parse the stream into ``{"id", "event", "data"}`` records until ``until`` says stop, then
    keep reading for ``linger`` seconds (to catch anything sent after the last expected event).
    Comment lines (keep-alive) and the ``retry:`` field are skipped."""
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    stop_at: float | None = None if until is not None else time.monotonic() + linger
    with httpx.stream(
        "GET",
        f"{api.url}/api/jobs/{job_id}/stream",
        headers={**ADMIN_HEADERS, **(headers or {})},
        params=params or {},
        timeout=httpx.Timeout(5, read=2),
    ) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        record: dict[str, Any] = {}
        lines = response.iter_lines()
        while True:
            now = time.monotonic()
            assert now < deadline, f"stream did not finish; got {events}"
            if stop_at is not None and now >= stop_at:
                return events
            try:
                line = next(lines)
            except httpx.ReadTimeout:
                if stop_at is not None:
                    return events
                continue
            if line == "":
                if "data" in record:
                    events.append(record)
                    if stop_at is None and until is not None and until(record):
                        stop_at = time.monotonic() + linger
                record = {}
            elif line.startswith(":") or line.startswith("retry:"):
                continue
            else:
                key, _, value = line.partition(":")
                value = value.removeprefix(" ")
                record[key] = json.loads(value) if key == "data" else value


@pytest.mark.worker
def test_sse_stream_resume_and_errors(api: ApiProcess, worker: object) -> None:
    job_id = upload(api)
    events = read_sse(api, job_id)
    types = [e["data"]["type"] for e in events]
    assert types[:2] == ["JOB_QUEUED", "JOB_STARTED"], types
    assert types[-1] == "JOB_COMPLETED", types
    assert "DOCUMENT_PARSING_STARTED" in types and "FIELD_EXTRACTION_COMPLETED" in types
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(e["event"] == "job_event" for e in events)
    assert all(str(e["data"]["id"]) == e["id"] for e in events)  # id: line = event id
    assert all(e["data"]["jobId"] == job_id for e in events)
    stored = httpx.get(f"{api.url}/api/jobs/{job_id}/events", headers=ADMIN_HEADERS).json()
    assert [e["id"] for e in stored] == ids  # nothing missed

    # Reconnect as EventSource would, after JOB_STARTED: exactly the later events, once.
    # Linger after the terminal event: a duplicate or a late re-send would show up.
    started = next(e["id"] for e in events if e["data"]["type"] == "JOB_STARTED")
    tail = read_sse(api, job_id, headers={"Last-Event-ID": started}, linger=1.5)
    assert [int(e["id"]) for e in tail] == [i for i in ids if i > int(started)]
    # ?after= does the same; Last-Event-ID wins over it (the browser's reconnect is newer).
    expected = [e["id"] for e in tail]
    assert read_sse_ids(api, job_id, params={"after": started}) == expected
    assert read_sse_ids(api, job_id, {"Last-Event-ID": started}, {"after": "0"}) == expected
    # After the last event: nothing (the stream stays open, only keep-alive comments).
    assert (
        read_sse(api, job_id, headers={"Last-Event-ID": str(ids[-1])}, until=None, linger=1.5) == []
    )


def read_sse_ids(
    api: ApiProcess,
    job_id: str,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> list[str]:
    return [e["id"] for e in read_sse(api, job_id, headers=headers, params=params, linger=0.5)]


def test_sse_stream_errors_and_hostile_last_event_id(api: ApiProcess) -> None:
    def error(path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        response = httpx.get(
            f"{api.url}{path}", headers={**ADMIN_HEADERS, **(headers or {})}, timeout=10
        )
        assert response.headers["content-type"].startswith("application/json"), response.text
        return response.status_code, response.json()["error"]

    status, body = error(f"/api/jobs/{uuid.uuid4()}/stream")
    assert status == 404 and body["code"] == "NOT_FOUND"
    # A malformed id names nothing that exists: 404 like every other route (api.ids.parse_id).
    for malformed in ["not-a-uuid", "123", "%20", "..%2F..%2Fetc"]:
        status, body = error(f"/api/jobs/{malformed}/stream")
        assert status == 404 and body["code"] == "NOT_FOUND", (malformed, body)
    status, body = error(f"/api/jobs/{uuid.uuid4()}/stream?after=-1")
    assert status == 422 and body["field"] == "after"


def raw_header(value: str) -> bytes:
    """Header bytes as a client would send them: Latin-1 when possible (``²`` is one byte that
    the server decodes back to ``²``), else UTF-8 bytes."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()


@pytest.mark.worker
def test_sse_hostile_last_event_id(api: ApiProcess, worker: object) -> None:
    job_id = upload(api, "QualityHosting.pdf")
    read_sse(api, job_id)
    hostile_values = [
        "abc",
        "-1",
        "+1",
        "1.5",
        "0x10",
        "1e3",
        "²",
        "1²",
        "9" * 40,
        "1; DROP",
        "１２",
    ]
    for hostile in hostile_values:
        response = httpx.get(
            f"{api.url}/api/jobs/{job_id}/stream",
            headers={**ADMIN_HEADERS, b"Last-Event-ID": raw_header(hostile)},
            timeout=10,
        )
        assert response.status_code == 422, (hostile, response.text)
        body = response.json()["error"]
        assert body["code"] == "VALIDATION_ERROR" and body["field"] == "Last-Event-ID", body
        assert "Last-Event-ID" in body["message"]
    # An empty header is what a first EventSource connection never sends; treated as absent.
    events = read_sse(api, job_id, headers={"Last-Event-ID": ""})
    assert events[0]["data"]["type"] == "JOB_QUEUED"
