"""Several machines, simulated on one: two API processes and two Celery workers, each with a local
data folder of its own, sharing only PostgreSQL, Redis and the object store (S3, moto's server).

The scenario (``run``):

1. Start API 1, API 2, worker A, worker B (prefork, one pool process each) and a sweeper.
2. Subscribe: on API 2 a dashboard feed (GraphQL ``jobEvents`` over graphql-transport-ws) and an
   SSE stream of the first job; on API 1 the same pair. Every client resumes from the last id it
   saw (``afterEventId`` / ``Last-Event-ID``) when its connection drops, failing over to the next
   API (what a load balancer does for a reconnect).
3. Upload N invoices through API 1.
4. As soon as worker A holds a job in PROCESSING (its log names the task, the row says
   PROCESSING), SIGKILL worker A's whole process group and API 1: a machine lost mid-job.
5. Wait until every job is COMPLETED (the sweeper reclaims the lost job once its lease expires;
   worker B runs it again), then until every client has caught up.

Checks: every document has exactly one job, COMPLETED, one result and one ``job_completed``
event; the killed job's second attempt is recorded (attempt 2 in its row and its events); every
client saw exactly the stored event ids of its scope, once each, in increasing order, across its
reconnects; a file uploaded through API 1 is downloaded from API 2 with a Range request (206).
The figures (time to upload, to finish, to recover; events; reconnects) come back in ``Report``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import text

from db.session import create_engine
from tests.auth import ADMIN_HEADERS, connection_init
from tests.pdfs import itemized_invoice_pdf
from tests.services import ApiProcess, ChildProcess, WorkerProcess

FEED = "subscription($after: ID) { jobEvents(afterEventId: $after) { id jobId type attempt } }"


class SweeperProcess(ChildProcess):
    """``paperlane sweeper``: re-enqueues stale QUEUED jobs, reclaims expired leases."""

    name = "sweeper"

    def argv(self) -> list[str]:
        return [str(Path(sys.executable).with_name("paperlane")), "sweeper"]

    def ready(self) -> bool:
        return True


@dataclass
class Client:
    """One live consumer that fails over between API base URLs and resumes where it stopped."""

    name: str
    urls: list[str]
    job_id: str | None = None  # SSE of this job; None: the dashboard feed over WebSocket
    ids: list[int] = field(default_factory=list)
    connects: int = 0
    resumes: list[int] = field(default_factory=list)  # the cursor sent on each reconnect
    errors: list[str] = field(default_factory=list)
    _index: int = 0

    @property
    def last(self) -> int | None:
        return self.ids[-1] if self.ids else None

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            url = self.urls[self._index % len(self.urls)]
            try:
                if self.connects:
                    self.resumes.append(self.last or 0)
                self.connects += 1
                if self.job_id is None:
                    await self._feed(url, stop)
                else:
                    await self._sse(url, stop)
            except Exception as error:
                self.errors.append(f"{url}: {type(error).__name__}: {error}"[:200])
                self._index += 1  # fail over to the next API
                await asyncio.sleep(0.2)

    async def _feed(self, url: str, stop: asyncio.Event) -> None:
        import websockets

        ws_url = url.replace("http://", "ws://") + "/graphql"
        protocols = ["graphql-transport-ws"]
        async with websockets.connect(
            ws_url,
            subprotocols=protocols,  # type: ignore[arg-type]
            open_timeout=10,
            close_timeout=1,
        ) as ws:
            await ws.send(connection_init())
            while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "connection_ack":
                pass
            variables = {"after": str(self.last or 0)}
            subscribe = {"query": FEED, "variables": variables}
            await ws.send(json.dumps({"id": "feed", "type": "subscribe", "payload": subscribe}))
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                message = json.loads(raw)
                if message["type"] == "next":
                    self.ids.append(int(message["payload"]["data"]["jobEvents"]["id"]))
                elif message["type"] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif message["type"] in ("error", "complete"):
                    raise RuntimeError(f"subscription ended: {message}")

    async def _sse(self, url: str, stop: asyncio.Event) -> None:
        reader = asyncio.create_task(self._read_sse(url))
        stopped = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({reader, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reader, stopped):
                task.cancel()
            await asyncio.gather(stopped, return_exceptions=True)
        if reader.done() and not reader.cancelled():
            reader.result()  # the stream ended or failed: reconnect

    async def _read_sse(self, url: str) -> None:
        headers = dict(ADMIN_HEADERS)
        if self.last is not None:
            headers["Last-Event-ID"] = str(self.last)
        timeout = httpx.Timeout(10, read=None)
        async with (
            httpx.AsyncClient(timeout=timeout) as http,
            http.stream("GET", f"{url}/api/jobs/{self.job_id}/stream", headers=headers) as r,
        ):
            if r.status_code != 200:
                raise RuntimeError(f"SSE answered {r.status_code}")
            event_id = None
            async for line in r.aiter_lines():
                if line.startswith("id:"):
                    event_id = int(line[3:].strip())
                elif line.startswith("event: error"):
                    raise RuntimeError("SSE error event")
                elif line == "" and event_id is not None:
                    self.ids.append(event_id)
                    event_id = None
        raise RuntimeError("the SSE stream ended")


@dataclass
class Report:
    documents: int
    events: int
    upload_seconds: float
    total_seconds: float
    recovery_seconds: float  # from the kills to the last job COMPLETED
    victim_job: str
    clients: list[Client]
    violations: list[str]

    def summary(self) -> str:
        lines = [
            f"{self.documents} documents, {self.events} events; upload {self.upload_seconds:.1f} s, "
            f"all COMPLETED {self.total_seconds:.1f} s after the first upload, "
            f"{self.recovery_seconds:.1f} s after the kills (killed job {self.victim_job})",
        ]
        for c in self.clients:
            lines.append(
                f"  {c.name:<22} {len(c.ids):5d} events, {c.connects} connection(s), "
                f"resumed from {c.resumes}"
            )
        lines += [f"  VIOLATION: {v}" for v in self.violations]
        return "\n".join(lines)


def _redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


async def _scalar_rows(database_url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())
    finally:
        await engine.dispose()


async def _wait(predicate: Any, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if await predicate():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(interval)


async def run(
    base_env: dict[str, str],
    *,
    documents: int,
    folder: Path | None = None,
    redis_db: int = 14,
    timeout: float = 180,
) -> Report:
    """The scenario above, against the servers named in ``base_env`` (PostgreSQL, Redis, S3)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="paperlane-scale-"))
    database_url = base_env["PAPERLANE_DATABASE_URL"]
    common = {
        **os.environ,
        **base_env,
        "PAPERLANE_REDIS_URL": _redis_db(base_env["PAPERLANE_REDIS_URL"], redis_db),
        "PAPERLANE_EVENTS_CHANNEL": f"paperlane:scale-{uuid.uuid4().hex[:6]}",
        "PAPERLANE_LOG_LEVEL": "INFO",
    }

    def node(name: str) -> dict[str, str]:
        local = folder / name  # this "machine's" own disk: nothing else reads it
        local.mkdir(parents=True, exist_ok=True)
        return {**common, "PAPERLANE_DATA_DIR": str(local), "PAPERLANE_STORAGE_DIR": str(local)}

    started: list[ChildProcess] = []

    def start(process: ChildProcess) -> Any:
        started.append(process)
        return process.start(timeout=90)

    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        api1 = start(ApiProcess(node("api-1"), log_path=folder / "api-1.log"))
        api2 = start(ApiProcess(node("api-2"), log_path=folder / "api-2.log"))
        worker_a = start(WorkerProcess(node("worker-a"), 1, log_path=folder / "worker-a.log"))
        start(WorkerProcess(node("worker-b"), 1, log_path=folder / "worker-b.log"))
        start(SweeperProcess(node("sweeper"), log_path=folder / "sweeper.log"))

        # 200 pages of line items each (the default page limit), ~0.35 s of work on the fastest
        # VM measured: a quicker job could be completed by worker A between being seen and the
        # SIGKILL, and the kill proved nothing (CI saw "killed job …: attempt 1" with one-page
        # jobs, and again on 2026-12-01 with 200 one-line pages, ~40 ms each).
        pdfs = [
            (
                f"scale-{i:03d}.pdf",
                itemized_invoice_pdf(199, 12, number=f"SC-{i:04d}", total=f"{100 + i},00"),
            )
            for i in range(documents)
        ]
        uploaded: list[dict[str, Any]] = []
        async with httpx.AsyncClient(base_url=api1.url, headers=ADMIN_HEADERS, timeout=60) as h:
            first = await h.post(
                "/api/documents/upload", files=[("files", (*pdfs[0], "application/pdf"))]
            )
            assert first.status_code == 201, first.text
            uploaded += first.json()["documents"]
            first_job = uploaded[0]["latestJob"]["id"]
            clients = [
                Client("feed on API 2", [api2.url]),
                Client("SSE on API 2", [api2.url], job_id=first_job),
                Client("feed on API 1 → 2", [api1.url, api2.url]),
                Client("SSE on API 1 → 2", [api1.url, api2.url], job_id=first_job),
            ]
            tasks = [asyncio.create_task(c.run(stop)) for c in clients]
            started_at = time.monotonic()
            for batch in range(1, documents, 5):
                files = [("files", (*pdf, "application/pdf")) for pdf in pdfs[batch : batch + 5]]
                response = await h.post("/api/documents/upload", files=files)
                assert response.status_code == 201, response.text
                uploaded += response.json()["documents"]
            upload_seconds = time.monotonic() - started_at

        # The kill: worker A while it holds a job, and API 1 with it.
        log_a = folder / "worker-a.log"

        async def a_is_busy() -> bool:
            rows = await _scalar_rows(
                database_url, "SELECT id::text FROM processing_jobs WHERE status = 'PROCESSING'"
            )
            log = log_a.read_text(errors="replace") if log_a.exists() else ""
            busy = [r[0] for r in rows if f"[{r[0]}] received" in log]
            if busy:
                victims.append(busy[0])
            return bool(busy)

        victims: list[str] = []
        await _wait(a_is_busy, 60, "worker A to hold a job", interval=0.01)
        worker_a.kill_hard()
        api1.kill_hard()
        killed_at = time.monotonic()

        async def all_completed() -> bool:
            rows = await _scalar_rows(
                database_url, "SELECT count(*) FROM processing_jobs WHERE status <> 'COMPLETED'"
            )
            return rows[0][0] == 0

        await _wait(all_completed, timeout, "every job to complete")
        done_at = time.monotonic()
        stored = [
            (int(r[0]), str(r[1]), str(r[2]), int(r[3]))
            for r in await _scalar_rows(
                database_url, "SELECT id, job_id::text, type, attempt FROM job_events ORDER BY id"
            )
        ]
        expected = {
            c.name: [e[0] for e in stored if c.job_id is None or e[1] == c.job_id] for c in clients
        }

        async def caught_up() -> bool:
            return all(c.ids[-1:] == expected[c.name][-1:] for c in clients)

        with contextlib.suppress(TimeoutError):
            await _wait(caught_up, 20, "the clients to catch up")
        await asyncio.sleep(0.5)  # anything beyond the stored log (a duplicate) shows now
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)

        violations = await _check(database_url, uploaded, stored, clients, expected, victims)
        async with httpx.AsyncClient(base_url=api2.url, headers=ADMIN_HEADERS, timeout=30) as h:
            document = uploaded[-1]
            ranged = await h.get(
                f"/api/documents/{document['id']}/file", headers={"Range": "bytes=0-7"}
            )
            if (ranged.status_code, len(ranged.content)) != (
                206,
                8,
            ) or not ranged.content.startswith(b"%PDF"):
                violations.append(
                    f"ranged download from API 2: {ranged.status_code} {ranged.content[:8]!r}"
                )
        return Report(
            documents=len(uploaded),
            events=len(stored),
            upload_seconds=upload_seconds,
            total_seconds=done_at - started_at,
            recovery_seconds=done_at - killed_at,
            victim_job=victims[0],
            clients=clients,
            violations=violations,
        )
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        for process in reversed(started):
            with contextlib.suppress(Exception):
                process.stop()


async def _check(
    database_url: str,
    uploaded: Sequence[dict[str, Any]],
    stored: Sequence[tuple[int, str, str, int]],
    clients: Sequence[Client],
    expected: dict[str, list[int]],
    victims: Sequence[str],
) -> list[str]:
    violations = []
    per_document = await _scalar_rows(
        database_url,
        "SELECT d.id::text, count(DISTINCT j.id), count(DISTINCT r.id), "
        "bool_and(j.status = 'COMPLETED') FROM documents d "
        "LEFT JOIN processing_jobs j ON j.document_id = d.id "
        "LEFT JOIN extracted_results r ON r.document_id = d.id GROUP BY d.id",
    )
    if len(per_document) != len(uploaded):
        violations.append(f"{len(per_document)} documents stored, {len(uploaded)} uploaded")
    for document_id, jobs, results, completed in per_document:
        if (jobs, results, completed) != (1, 1, True):
            violations.append(f"document {document_id}: {jobs} jobs, {results} results")
    completions: dict[str, int] = {}
    for _, job_id, kind, _ in stored:
        if kind == "job_completed":
            completions[job_id] = completions.get(job_id, 0) + 1
    twice = {j: n for j, n in completions.items() if n != 1}
    if twice or len(completions) != len(uploaded):
        violations.append(f"job_completed per job: {len(completions)} jobs, not once: {twice}")
    victim = victims[0]
    attempts = await _scalar_rows(
        database_url, "SELECT attempt FROM processing_jobs WHERE id = :id", id=victim
    )
    victim_attempts = {a for _, j, _, a in stored if j == victim}
    if attempts[0][0] < 2 or not {1, 2} <= victim_attempts:
        violations.append(
            f"killed job {victim}: attempt {attempts[0][0]}, events of attempts {victim_attempts}"
        )
    for c in clients:
        want = expected[c.name]
        if c.ids != want:
            missing = sorted(set(want) - set(c.ids))
            duplicates = len(c.ids) - len(set(c.ids))
            violations.append(
                f"{c.name}: {len(c.ids)} received vs {len(want)} stored, {len(missing)} missing "
                f"{missing[:5]}, {duplicates} duplicate(s), "
                f"{'in order' if c.ids == sorted(c.ids) else 'OUT OF ORDER'}; errors {c.errors[:3]}"
            )
    for c in clients[2:]:
        if c.connects < 2:
            violations.append(f"{c.name} never reconnected: API 1's kill proved nothing")
    return violations
