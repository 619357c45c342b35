"""``make soak``: the chaos soak. Many jobs, killed workers, a Redis restart, a PostgreSQL outage,
resuming subscribers; at the end, the guarantees of ARCHITECTURE.md are checked against the rows.

    python tests/bench/soak.py [--short] [--jobs N] [--kills K] [--seed S]

The stack is always embedded (so this script can restart the servers): PostgreSQL and Redis under
a temporary folder, one API process (uvicorn), one sweeper, two Celery workers (``--concurrency
1`` each, so two pool processes on a two-core machine), with short leases
(PAPERLANE_LEASE_SECONDS=5, HEARTBEAT 1, QUEUED_GRACE 3, SWEEP_INTERVAL 1).

While the jobs (mostly one page, some 100 and 600 pages so they take a while) are uploaded in
small batches through REST, a chaos loop:
  * SIGKILLs a busy worker pool process at random moments (``--kills`` times); once in a full
    run the whole worker (main process and pool) dies, and any worker whose main process died
    is started again;
  * restarts Redis once (the broker queue is lost: nothing is persisted);
  * halts PostgreSQL once for a few seconds, polling ``GET /readyz`` and ``GET /api/documents``
    all the while and recording the status codes.
Subscribers follow jobs and reconnect at random moments with their resume cursor: GraphQL
``jobEvents(documentId, afterEventId)`` over graphql-transport-ws, SSE ``/api/jobs/{id}/stream``
with ``Last-Event-ID``, and one dashboard feed (all jobs) over GraphQL.

Checks (each printed; exit 1 on any violation): every job COMPLETED; no job left QUEUED or
PROCESSING; exactly one extracted result per document; exactly one ``job_completed`` event per
job; every subscriber holds exactly the stored event sequence of what it followed (same ids, same
order, no duplicate); while PostgreSQL was down the API answered 503, never another 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import psutil
from sqlalchemy import text

from tests.auth import ADMIN_HEADERS, connection_init
from tests.bench.common import Stack, log, wait_until
from tests.pdfs import invoice_pdf
from tests.services import ApiProcess, WorkerProcess

SOAK_ENV = {
    "PAPERLANE_LEASE_SECONDS": "5",
    "PAPERLANE_HEARTBEAT_SECONDS": "1",
    "PAPERLANE_QUEUED_GRACE_SECONDS": "3",
    "PAPERLANE_SWEEP_INTERVAL_SECONDS": "1",
    # Chaos takes attempts that are not the job's fault; leave room so jobs are not given up.
    "PAPERLANE_MAX_ATTEMPTS": "10",
    "PAPERLANE_KEEPALIVE_SECONDS": "5",
    # The 600-page documents are there to be slow on purpose, above the default page limit.
    "PAPERLANE_MAX_PAGES": "1000",
}
DOC_SUBSCRIPTION = (
    "subscription($documentId: ID, $after: ID) { jobEvents(documentId: $documentId, "
    "afterEventId: $after) { id jobId documentId type status attempt } }"
)
FEED_SUBSCRIPTION = (
    "subscription($after: ID) { jobEvents(afterEventId: $after) { id jobId documentId type "
    "status attempt } }"
)
BATCH = 5


@dataclass
class Config:
    jobs: int
    kills: int
    upload_seconds: float
    pg_outage_seconds: float
    ws_subscribers: int
    sse_subscribers: int
    whole_worker_kill: bool
    settle_timeout: float


@dataclass
class Follower:
    """One resuming subscriber: what it follows and every event id it received, in order."""

    kind: str  # "ws-document", "sse-job", "ws-feed"
    target: str | None  # document id, job id, or None for the feed
    received: list[int] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    connects: int = 0
    cursors: list[int] = field(default_factory=list)  # the resume cursor of each connection
    errors: list[str] = field(default_factory=list)
    finished: bool = False

    @property
    def cursor(self) -> int:
        return self.received[-1] if self.received else 0

    def take(self, event: dict[str, Any]) -> None:
        self.received.append(int(event["id"]))
        self.types.append(str(event["type"]))
        if self.kind != "ws-feed" and event["type"] == "JOB_COMPLETED":
            self.finished = True


@dataclass
class Run:
    cfg: Config
    stack: Stack
    api: ApiProcess
    rng: random.Random
    workers: list[WorkerProcess] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    followers: list[Follower] = field(default_factory=list)
    outage_codes: list[tuple[str, int | str]] = field(default_factory=list)
    upload_codes: Counter[str] = field(default_factory=Counter)
    chaos_log: list[str] = field(default_factory=list)
    uploads_done: asyncio.Event = field(default_factory=asyncio.Event)
    all_done: asyncio.Event = field(default_factory=asyncio.Event)
    started: float = field(default_factory=time.monotonic)

    def note(self, message: str) -> None:
        line = f"t={time.monotonic() - self.started:6.1f}s {message}"
        self.chaos_log.append(line)
        log(line)


# -- uploads -----------------------------------------------------------------------------------


def make_files(cfg: Config, rng: random.Random) -> list[tuple[str, bytes]]:
    big = {600: invoice_pdf("Slow Reader AG", "INV-SLOW", "9,999.00", pages=600)}
    mid = {100: invoice_pdf("Mid Size GmbH", "INV-MID", "1,500.00", pages=100)}
    files = []
    for i in range(cfg.jobs):
        roll = rng.random()
        if roll < 0.05:
            files.append((f"soak-{i:04d}-600p.pdf", big[600]))
        elif roll < 0.25:
            files.append((f"soak-{i:04d}-100p.pdf", mid[100]))
        else:
            files.append(
                (
                    f"soak-{i:04d}.pdf",
                    invoice_pdf(
                        "Soak Supplies Ltd",
                        f"SOAK-{i:05d}",
                        f"{rng.randint(10, 9999)}.{i % 100:02d}",
                    ),
                )
            )
    return files


async def uploader(run: Run, files: list[tuple[str, bytes]]) -> None:
    batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
    pause = run.cfg.upload_seconds / max(1, len(batches))
    async with httpx.AsyncClient(base_url=run.api.url, timeout=60, headers=ADMIN_HEADERS) as client:
        for batch in batches:
            for _attempt in range(200):
                try:
                    response = await client.post(
                        "/api/documents/upload",
                        files=[("files", (name, data, "application/pdf")) for name, data in batch],
                    )
                    run.upload_codes[str(response.status_code)] += 1
                    if response.status_code == 201:
                        body = response.json()
                        if body["rejected"]:
                            raise RuntimeError(f"rejected: {body['rejected']}")
                        run.documents += [d["id"] for d in body["documents"]]
                        run.names.update(
                            (d["id"], d["originalFilename"]) for d in body["documents"]
                        )
                        break
                except httpx.HTTPError as error:
                    run.upload_codes[type(error).__name__] += 1
                await asyncio.sleep(0.5)
            else:
                raise RuntimeError("an upload batch never got through")
            await asyncio.sleep(pause)
    run.note(f"uploads done: {len(run.documents)} documents")
    run.uploads_done.set()


# -- chaos -------------------------------------------------------------------------------------


def busy_pool_child(workers: list[WorkerProcess]) -> tuple[float, psutil.Process] | None:
    children = [c for w in workers if w.proc and w.proc.poll() is None for c in w.children()]
    if not children:
        return None
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.cpu_percent(None)
    time.sleep(0.2)
    usage = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            usage.append((child.cpu_percent(None), child))
    return max(usage, key=lambda u: u[0]) if usage else None


async def restart_dead_workers(run: Run) -> None:
    for index, worker in enumerate(run.workers):
        if worker.proc is not None and worker.proc.poll() is not None:
            run.stack.stop_process(worker)
            run.workers[index] = await asyncio.to_thread(run.stack.worker, 1)
            run.note(f"worker {index} main process was dead: started a new one")


async def kill_loop(run: Run) -> None:
    window = run.cfg.upload_seconds + 15
    moments = sorted(run.rng.uniform(3, window) for _ in range(run.cfg.kills))
    whole = run.rng.randrange(len(moments)) if run.cfg.whole_worker_kill and moments else -1
    for index, moment in enumerate(moments):
        await asyncio.sleep(max(0.0, moment - (time.monotonic() - run.started)))
        await restart_dead_workers(run)
        if index == whole:
            victim = run.rng.randrange(len(run.workers))
            await asyncio.to_thread(run.workers[victim].kill_hard)
            run.note(f"kill {index + 1}: SIGKILL to worker {victim}'s whole process group")
        else:
            # Aim at a pool process in the middle of a job: wait (a little) for a busy one.
            found = None
            for _ in range(25):
                found = await asyncio.to_thread(busy_pool_child, run.workers)
                if found is not None and found[0] >= 30:
                    break
            if found is None:
                run.note(f"kill {index + 1}: no pool process found")
                continue
            cpu, child = found
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
            run.note(f"kill {index + 1}: SIGKILL to pool process {child.pid} ({cpu:.0f}% CPU)")
        await asyncio.sleep(1)
        await restart_dead_workers(run)


async def redis_restart(run: Run) -> None:
    await asyncio.sleep(run.cfg.upload_seconds * 0.35)
    redis = run.stack.servers.embedded_redis
    assert redis is not None
    run.note("restarting Redis (queue and Pub/Sub state lost)")
    await asyncio.to_thread(redis.stop)
    await asyncio.sleep(1.5)
    await asyncio.to_thread(redis.start)
    run.note("Redis is back")


async def postgres_outage(run: Run) -> None:
    await asyncio.sleep(run.cfg.upload_seconds * 0.65)
    pg = run.stack.servers.embedded_pg
    assert pg is not None
    run.note("halting PostgreSQL")
    await asyncio.to_thread(pg.halt)
    down_until = time.monotonic() + run.cfg.pg_outage_seconds
    async with httpx.AsyncClient(base_url=run.api.url, timeout=10, headers=ADMIN_HEADERS) as client:
        while time.monotonic() < down_until:
            for path in ("/readyz", "/api/documents?limit=5"):
                try:
                    response = await client.get(path)
                    run.outage_codes.append((path, response.status_code))
                    if response.status_code >= 500 and response.status_code != 503:
                        run.note(f"{path} answered {response.status_code}: {response.text[:200]}")
                except httpx.HTTPError as error:
                    run.outage_codes.append((path, type(error).__name__))
            await asyncio.sleep(0.2)
    await asyncio.to_thread(pg.resume)
    run.note("PostgreSQL is back")


# -- subscribers -------------------------------------------------------------------------------


async def ws_session(run: Run, follower: Follower, hold: float, budget: int) -> None:
    """One connection: subscribe from the follower's cursor, read for ``hold`` seconds or
    ``budget`` events, whichever comes first, then hang up (mid-job, on purpose)."""
    from websockets.asyncio.client import connect

    url = run.api.url.replace("http://", "ws://") + "/graphql"
    if follower.kind == "ws-feed":
        query, variables = FEED_SUBSCRIPTION, {"after": str(follower.cursor)}
    else:
        query = DOC_SUBSCRIPTION
        variables = {"documentId": follower.target, "after": str(follower.cursor)}
    follower.connects += 1
    follower.cursors.append(follower.cursor)
    async with connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        open_timeout=10,
        ping_interval=None,
        max_queue=None,
    ) as ws:
        await ws.send(connection_init())
        deadline = time.monotonic() + hold
        subscribed = False
        taken = 0
        while time.monotonic() < deadline and not follower.finished and taken < budget:
            try:
                raw = await asyncio.wait_for(ws.recv(), max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif kind == "connection_ack" and not subscribed:
                subscribed = True
                await ws.send(
                    json.dumps(
                        {
                            "id": "s",
                            "type": "subscribe",
                            "payload": {"query": query, "variables": variables},
                        }
                    )
                )
            elif kind == "next":
                payload = message["payload"]
                if payload.get("errors"):
                    follower.errors.append(json.dumps(payload["errors"])[:200])
                    return
                follower.take(payload["data"]["jobEvents"])
                taken += 1
            elif kind in ("error", "complete"):
                follower.errors.append(str(raw)[:200])
                return


async def sse_session(run: Run, follower: Follower, hold: float, budget: int) -> None:
    headers = {"Last-Event-ID": str(follower.cursor)}
    follower.connects += 1
    follower.cursors.append(follower.cursor)
    deadline = time.monotonic() + hold
    async with (
        httpx.AsyncClient(
            base_url=run.api.url,
            timeout=httpx.Timeout(10, read=hold + 5),
            headers=ADMIN_HEADERS,
        ) as c,
        c.stream("GET", f"/api/jobs/{follower.target}/stream", headers=headers) as response,
    ):
        if response.status_code != 200:
            follower.errors.append(f"HTTP {response.status_code}")
            return
        lines = response.aiter_lines()
        data: list[str] = []
        taken = 0
        while time.monotonic() < deadline and not follower.finished and taken < budget:
            try:
                line = await asyncio.wait_for(anext(lines), max(0.01, deadline - time.monotonic()))
            except (TimeoutError, StopAsyncIteration):
                break
            if line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                payload = json.loads("\n".join(data))
                data = []
                if "id" in payload and "type" in payload:
                    follower.take(payload)
                    taken += 1
                else:
                    follower.errors.append(json.dumps(payload)[:200])


async def follow(run: Run, follower: Follower) -> None:
    session = sse_session if follower.kind == "sse-job" else ws_session
    while not follower.finished:
        if follower.kind == "ws-feed" and run.all_done.is_set():
            # Final catch-up: one more resume, read until the feed is quiet.
            with contextlib.suppress(Exception):
                await session(run, follower, 4.0, 1_000_000)
            follower.finished = True
            return
        try:
            budget = (
                run.rng.randint(1, 4) if follower.kind != "ws-feed" else run.rng.randint(5, 120)
            )
            await session(run, follower, run.rng.uniform(0.3, 2.5), budget)
        except Exception as error:  # server restarting, PostgreSQL away during a replay, ...
            follower.errors.append(f"{type(error).__name__}: {str(error)[:120]}")
        await asyncio.sleep(run.rng.uniform(0.05, 0.8))


async def job_of(run: Run, document_id: str) -> str:
    async with httpx.AsyncClient(base_url=run.api.url, timeout=10, headers=ADMIN_HEADERS) as client:
        for _ in range(100):
            with contextlib.suppress(httpx.HTTPError):
                response = await client.get(f"/api/documents/{document_id}")
                if response.status_code == 200 and response.json().get("latestJob"):
                    return str(response.json()["latestJob"]["id"])
            await asyncio.sleep(0.3)
    raise RuntimeError(f"no job for document {document_id}")


async def start_followers(run: Run) -> list[asyncio.Task[None]]:
    """The feed at once; then, spread over the upload period, one follower at a time on the
    newest document (preferring a multi-page one): its job is still queued or running, so the
    follower's random reconnects fall in the middle of it, across kills and restarts."""
    tasks = []
    feed = Follower("ws-feed", None)
    run.followers.append(feed)
    tasks.append(asyncio.create_task(follow(run, feed)))
    kinds = ["ws-document"] * run.cfg.ws_subscribers + ["sse-job"] * run.cfg.sse_subscribers
    run.rng.shuffle(kinds)
    followed: set[str] = set()
    spacing = run.cfg.upload_seconds / max(1, len(kinds))
    for kind in kinds:
        await wait_until(
            lambda: len(run.documents) > len(followed) or run.uploads_done.is_set(),
            run.cfg.upload_seconds + 60,
            0.1,
        )
        recent = [d for d in run.documents[-10:] if d not in followed] or [
            d for d in run.documents if d not in followed
        ]
        if not recent:
            break
        recent.sort(key=lambda d: "p.pdf" not in run.names.get(d, ""))
        document_id = recent[0]
        followed.add(document_id)
        target = document_id if kind == "ws-document" else await job_of(run, document_id)
        follower = Follower(kind, target)
        run.followers.append(follower)
        tasks.append(asyncio.create_task(follow(run, follower)))
        await asyncio.sleep(spacing)
    return tasks


# -- the run -----------------------------------------------------------------------------------


async def settle(run: Run) -> dict[str, int]:
    engine = run.stack.engine()
    deadline = time.monotonic() + run.cfg.settle_timeout
    counts: dict[str, int] = {}
    try:
        while True:
            try:
                async with engine.connect() as conn:
                    rows = (
                        await conn.execute(
                            text("SELECT status, count(*) FROM processing_jobs GROUP BY status")
                        )
                    ).all()
                counts = {status: int(n) for status, n in rows}
            except Exception as error:  # PostgreSQL restarting
                log(f"settle: {type(error).__name__}")
            open_jobs = counts.get("QUEUED", 0) + counts.get("PROCESSING", 0)
            if run.uploads_done.is_set() and counts and open_jobs == 0:
                return counts
            if time.monotonic() > deadline:
                return counts
            await asyncio.sleep(1)
    finally:
        await engine.dispose()


async def soak(run: Run, files: list[tuple[str, bytes]]) -> dict[str, int]:
    upload_task = asyncio.create_task(uploader(run, files))
    chaos = [
        asyncio.create_task(kill_loop(run)),
        asyncio.create_task(redis_restart(run)),
        asyncio.create_task(postgres_outage(run)),
    ]
    followers = await start_followers(run)
    await upload_task
    await asyncio.gather(*chaos)
    counts = await settle(run)
    run.note(f"jobs settled: {counts}")
    run.all_done.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*followers, return_exceptions=True), 60)
    for task in followers:
        task.cancel()
    return counts


async def verify(run: Run, counts: dict[str, int]) -> list[str]:
    violations: list[str] = []
    engine = run.stack.engine()
    try:
        async with engine.connect() as conn:

            async def rows(sql: str) -> list[Any]:
                return list((await conn.execute(text(sql))).all())

            total_jobs = sum(counts.values())
            not_completed = await rows(
                "SELECT id, status, error_code, attempt FROM processing_jobs "
                "WHERE status <> 'COMPLETED'"
            )
            print(
                f"jobs: {total_jobs} for {len(run.documents)} uploaded documents; "
                f"by status {counts}"
            )
            if not_completed:
                violations.append(
                    f"{len(not_completed)} job(s) not COMPLETED, e.g. "
                    f"{[tuple(map(str, r)) for r in not_completed[:5]]}"
                )
            open_jobs = [r for r in not_completed if r[1] in ("QUEUED", "PROCESSING")]
            if open_jobs:
                violations.append(f"{len(open_jobs)} job(s) stuck in QUEUED/PROCESSING")
            documents = await rows("SELECT count(*) FROM documents")
            if documents[0][0] < len(run.documents):
                violations.append(
                    f"{len(run.documents)} uploads acknowledged but only "
                    f"{documents[0][0]} documents stored"
                )
            results = await rows(
                "SELECT d.id, count(r.id) FROM documents d LEFT JOIN extracted_results r "
                "ON r.document_id = d.id GROUP BY d.id HAVING count(r.id) <> 1"
            )
            if results:
                violations.append(
                    f"{len(results)} document(s) without exactly one extracted "
                    f"result, e.g. {[tuple(map(str, r)) for r in results[:5]]}"
                )
            completed_events = await rows(
                "SELECT j.id, count(e.id) FROM processing_jobs j LEFT JOIN job_events e "
                "ON e.job_id = j.id AND e.type = 'job_completed' GROUP BY j.id "
                "HAVING count(e.id) <> 1"
            )
            if completed_events:
                violations.append(
                    f"{len(completed_events)} job(s) without exactly one "
                    f"job_completed event, e.g. "
                    f"{[tuple(map(str, r)) for r in completed_events[:5]]}"
                )
            attempts = Counter(int(r[0]) for r in await rows("SELECT attempt FROM processing_jobs"))
            print(f"attempts per job: {dict(sorted(attempts.items()))}")
            by_job: dict[str, list[int]] = {}
            by_document: dict[str, list[int]] = {}
            every: list[int] = []
            for event_id, job_id, document_id in await rows(
                "SELECT id, job_id, document_id FROM job_events ORDER BY id"
            ):
                by_job.setdefault(str(job_id), []).append(int(event_id))
                by_document.setdefault(str(document_id), []).append(int(event_id))
                every.append(int(event_id))
    finally:
        await engine.dispose()

    for follower in run.followers:
        if follower.kind == "ws-feed":
            expected = every
        elif follower.kind == "ws-document":
            expected = by_document.get(str(follower.target), [])
        else:
            expected = by_job.get(str(follower.target), [])
        got = follower.received
        status = "ok"
        if follower.kind == "ws-feed":
            # Across jobs the live feed follows commit order, not id order: compare as a set,
            # and the order within each job.
            per_job: dict[str, list[int]] = {}
            job_of_event = {e: j for j, ids in by_job.items() for e in ids}
            for event_id in got:
                per_job.setdefault(job_of_event.get(event_id, "?"), []).append(event_id)
            in_job_order = all(ids == sorted(ids) for ids in per_job.values())
            swaps = sum(1 for a, b in itertools.pairwise(got) if b < a)
            if len(got) == len(set(got)) and set(got) == set(expected) and in_job_order:
                status = f"ok (complete; {swaps} cross-job id inversions, allowed)"
                expected = got
        if got != expected:
            duplicates = len(got) - len(set(got))
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            unordered = got != sorted(got)
            skipped = [
                f"{m} (resumed with afterEventId={min(c for c in follower.cursors if c > m)})"
                for m in missing[:3]
                if any(c > m for c in follower.cursors)
            ]
            status = (
                f"MISMATCH: {len(got)} received vs {len(expected)} stored, "
                f"{duplicates} duplicate(s), {len(missing)} missing "
                f"{missing[:8]}, {len(extra)} unexpected, "
                f"{'out of order' if unordered else 'in order'}"
                + (f"; missing below a later resume cursor: {skipped}" if skipped else "")
            )
            violations.append(f"subscriber {follower.kind} {follower.target}: {status}")
        print(
            f"subscriber {follower.kind:<11} {follower.target or 'all jobs'!s:<36} "
            f"{follower.connects:3d} connections, {len(got):5d} events: {status}"
            + (
                f"; {len(follower.errors)} connection errors (e.g. {follower.errors[0]})"
                if follower.errors
                else ""
            )
        )

    # For a gap, the stored story of the documents concerned (ids, attempts, types, times).
    gaps = {
        str(f.target) if f.kind == "ws-document" else None: f
        for f in run.followers
        if f.kind == "ws-document" and f.received != by_document.get(str(f.target))
    }
    if gaps:
        engine = run.stack.engine()
        try:
            async with engine.connect() as conn:
                for document_id in gaps:
                    rows = (
                        await conn.execute(
                            text(
                                "SELECT id, type, attempt, status, occurred_at FROM job_events "
                                "WHERE document_id = :d ORDER BY id"
                            ),
                            {"d": document_id},
                        )
                    ).all()
                    print(
                        f"stored events of document {document_id} (cursors used: "
                        f"{gaps[document_id].cursors}):"
                    )
                    for row in rows:
                        print(
                            f"    {row[0]:>6} {row[1]:<28} attempt {row[2]} {row[3]:<10} "
                            f"{row[4].isoformat()}"
                        )
        finally:
            await engine.dispose()

    codes = Counter(f"{path} {code}" for path, code in run.outage_codes)
    print(f"during the PostgreSQL outage: {dict(codes)}")
    bad = [(p, c) for p, c in run.outage_codes if not isinstance(c, int) or (c >= 500 and c != 503)]
    if bad:
        violations.append(
            f"while PostgreSQL was down the API answered {Counter(bad)} (expected 503)"
        )
    for path in ("/readyz", "/api/documents?limit=5"):
        if not any(p == path and c == 503 for p, c in run.outage_codes):
            violations.append(
                f"{path} never answered 503 while PostgreSQL was down "
                f"(got {Counter(c for p, c in run.outage_codes if p == path)})"
            )
    print(f"upload responses: {dict(run.upload_codes)}")
    return violations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="CI size: 60 jobs, 2 kills")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--kills", type=int)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    if args.short:
        cfg = Config(
            jobs=60,
            kills=2,
            upload_seconds=25,
            pg_outage_seconds=4,
            ws_subscribers=3,
            sse_subscribers=3,
            whole_worker_kill=False,
            settle_timeout=150,
        )
    else:
        cfg = Config(
            jobs=300,
            kills=6,
            upload_seconds=90,
            pg_outage_seconds=5,
            ws_subscribers=6,
            sse_subscribers=6,
            whole_worker_kill=True,
            settle_timeout=400,
        )
    cfg.jobs = args.jobs or cfg.jobs
    cfg.kills = args.kills if args.kills is not None else cfg.kills
    rng = random.Random(args.seed)
    log(f"soak: {cfg} seed={args.seed}")
    files = make_files(cfg, rng)
    stack = Stack.start(embedded_only=True, extra_env=SOAK_ENV)
    violations: list[str] = []
    started = time.monotonic()
    try:
        api = stack.api()
        stack.sweeper()
        run = Run(cfg, stack, api, rng)
        run.workers = [stack.worker(1), stack.worker(1)]
        counts = asyncio.run(soak(run, files))
        violations = asyncio.run(verify(run, counts))
    except Exception as error:
        import traceback

        traceback.print_exc()
        violations.append(f"the soak itself failed: {type(error).__name__}: {error}")
        for name in ("api", "worker", "sweeper"):
            print(f"---- {name}.log (tail) ----\n{stack.tail(name, 15)}")
    finally:
        if violations:
            for name in ("api", "worker", "sweeper"):
                errors = [
                    line
                    for line in stack.tail(name, 4000).splitlines()
                    if "Error" in line or "Traceback" in line
                ]
                print(
                    f"---- {name}.log: {len(errors)} error line(s); last: "
                    f"{errors[-3:] if errors else '-'}"
                )
        stack.stop()
    print()
    print(
        f"soak seed={args.seed}: {cfg.jobs} jobs, {cfg.kills} kills, "
        f"{time.monotonic() - started:.0f} s"
    )
    if violations:
        print(f"FAILED: {len(violations)} violation(s)")
        for violation in violations:
            print(f"  - {violation}")
        return 1
    print("PASSED: every guarantee held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
