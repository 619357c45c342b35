"""Queries: the GraphQL ``documents`` list over 1,000,000 documents (``--quick``: 20,000;
``BENCH_DOCUMENTS`` sets the number).

Data: documents + processing_jobs + extracted_results bulk-inserted with ``generate_series`` in
one transaction (plausible vendors, numbers, dates, amounts, currencies, a realistic status mix;
not through the API, which would take hours), then ``VACUUM ANALYZE``. Each case is the dashboard's list query (the web app's DocumentRow
selection: latest job, extraction fields) sent over HTTP to one API process under uvicorn,
~30 times: p50/p95 of the wall time. The SQL behind each case is captured in-process (the same
app, an SQLAlchemy ``before_cursor_execute`` listener) and EXPLAINed with its parameters; a
Seq Scan on ``documents`` in any of a case's statements marks the case MISS.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

import httpx
from sqlalchemy import event, text

from tests.auth import ADMIN_HEADERS
from tests.bench.common import Result, Stack, log, percentile

LIST_QUERY = """
query Documents($search: String, $filter: DocumentFilter, $sort: DocumentSort,
                $first: Int, $after: String) {
  documents(search: $search, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount totalCountIsEstimate
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id originalFilename fileSize uploadedAt status
        latestJob { id status progress stage errorCode errorMessage retryCount }
        extraction { isFinalized fields { vendorName totalAmount currency } }
      }
    }
  }
}
"""

VENDORS = [
    "Acme Supplies GmbH",
    "Nordwind Logistik AG",
    "Blue Harbor Trading Ltd",
    "Pine & Co LLC",
    "Société Générale des Fournitures",
    "Van der Berg Kantoor BV",
    "Iberia Papel S.L.",
    "Fratelli Rossi S.p.A.",
    "Kowalski i Syn Sp. z o.o.",
    "Helvetia Druck AG",
    "Contoso Office Supply",
    "Northwind Traders",
    "Globex Corporation",
    "Initech Services",
    "Umbrella Facilities",
    "Stark Industrial Parts",
    "Wayne Paper Mills",
    "Tyrell Components",
    "Cyberdyne Hardware",
    "Hooli Cloud Services",
]

SEED_SQL = [
    # documents: status mix 70 % COMPLETED, 20 % FINALIZED, 4 % FAILED, 3 % QUEUED,
    # 2 % PROCESSING, 1 % CANCELLED; fields only where a job completed.
    """
    INSERT INTO documents (id, original_filename, stored_file_path, mime_type, file_size, sha256,
        page_count, uploaded_at, current_status, vendor_name, invoice_number, invoice_date,
        total_amount, currency, search_vector)
    SELECT id, name, 'bench/' || name, 'application/pdf', size, sha, pages, uploaded, status,
           vendor, number, idate, total, currency,
           to_tsvector('simple', concat_ws(' ', name,
               regexp_replace(name, '[^[:alnum:]]+', ' ', 'g'), vendor, number,
               'Invoice ' || coalesce(vendor, '') || ' total ' || coalesce(total::text, '')))
    FROM (
      SELECT gen_random_uuid() AS id,
             format('invoice-%s-%s.pdf', lower(split_part(v, ' ', 1)), g) AS name,
             20000 + (g::bigint * 7919) % 900000 AS size,
             md5(g::text) || md5((g + 7)::text) AS sha,
             1 + g % 4 AS pages,
             now() - make_interval(secs => g * 31) AS uploaded,
             s AS status,
             CASE WHEN s IN ('COMPLETED', 'FINALIZED') THEN v END AS vendor,
             CASE WHEN s IN ('COMPLETED', 'FINALIZED') THEN 'INV-' || lpad(g::text, 7, '0')
             END AS number,
             CASE WHEN s IN ('COMPLETED', 'FINALIZED') THEN date '2023-01-01' + (g * 13) % 900
             END AS idate,
             CASE WHEN s IN ('COMPLETED', 'FINALIZED')
                  THEN round(((g::bigint * 104729) % 5000000) / 100.0, 2) END AS total,
             CASE WHEN s IN ('COMPLETED', 'FINALIZED')
                  THEN (ARRAY['EUR','EUR','USD','GBP','PLN','CHF'])[1 + g % 6] END AS currency
      FROM (
        SELECT g,
               (:vendors)::text[] AS vs,
               CASE WHEN g % 100 < 70 THEN 'COMPLETED' WHEN g % 100 < 90 THEN 'FINALIZED'
                    WHEN g % 100 < 94 THEN 'FAILED' WHEN g % 100 < 97 THEN 'QUEUED'
                    WHEN g % 100 < 99 THEN 'PROCESSING' ELSE 'CANCELLED' END AS s,
               ((:vendors)::text[])[1 + (g * 7) % 20] AS v
        FROM generate_series(1, :n) AS g
      ) base
    ) rows
    """,
    """
    INSERT INTO processing_jobs (id, document_id, status, progress_percentage, current_stage,
        error_code, error_message, retry_count, attempt, cancel_requested, queued_at, created_at,
        started_at, completed_at)
    SELECT gen_random_uuid(), d.id, js,
           CASE js WHEN 'COMPLETED' THEN 100 WHEN 'PROCESSING' THEN 50 ELSE 0 END,
           CASE js WHEN 'PROCESSING' THEN 'parsing' END,
           CASE js WHEN 'FAILED' THEN 'PDF_CORRUPT' END,
           CASE js WHEN 'FAILED' THEN 'the file is not a readable PDF' END,
           0, CASE js WHEN 'QUEUED' THEN 0 ELSE 1 END, false,
           d.uploaded_at, d.uploaded_at,
           CASE WHEN js <> 'QUEUED' THEN d.uploaded_at + interval '1 second' END,
           CASE WHEN js IN ('COMPLETED', 'FAILED', 'CANCELLED')
                THEN d.uploaded_at + interval '3 seconds' END
    FROM (SELECT id, uploaded_at,
                 CASE current_status WHEN 'FINALIZED' THEN 'COMPLETED' ELSE current_status END
                   AS js
          FROM documents) d
    """,
    """
    INSERT INTO extracted_results (id, document_id, job_id, raw_text, structured_output_json,
        reviewed_output_json, is_finalized, finalized_at, version, created_at, updated_at)
    SELECT gen_random_uuid(), d.id, j.id,
           concat_ws(E'\\n', d.vendor_name, 'Invoice number: ' || d.invoice_number,
                     'Invoice date: ' || d.invoice_date, 'Total: ' || d.total_amount),
           jsonb_build_object(
             'fields', jsonb_build_object(
               'vendorName', d.vendor_name, 'invoiceNumber', d.invoice_number,
               'invoiceDate', d.invoice_date::text, 'dueDate', (d.invoice_date + 30)::text,
               'totalAmount', d.total_amount::text,
               'taxAmount', round(d.total_amount * 0.19 / 1.19, 2)::text,
               'currency', d.currency, 'status', NULL),
             'evidence', '[]'::jsonb),
           NULL, d.current_status = 'FINALIZED',
           CASE WHEN d.current_status = 'FINALIZED' THEN d.uploaded_at + interval '1 day' END,
           1, d.uploaded_at, d.uploaded_at
    FROM documents d JOIN processing_jobs j ON j.document_id = d.id
    WHERE d.current_status IN ('COMPLETED', 'FINALIZED')
    """,
]

# case -> (in-process request ms, of which in SQL ms, statements), filled by explain_cases
SPLITS: dict[str, tuple[float, float, int]] = {}
SORT_FIELDS = [
    "UPLOADED_AT",
    "FILENAME",
    "STATUS",
    "FILE_SIZE",
    "INVOICE_DATE",
    "TOTAL_AMOUNT",
    "VENDOR_NAME",
]


async def seed(stack: Stack, n: int) -> None:
    engine = stack.engine()
    try:
        async with engine.begin() as conn:
            for sql, table in zip(SEED_SQL, ("documents", "processing_jobs", None), strict=True):
                await conn.execute(text(sql), {"n": n, "vendors": VENDORS})
                if table:
                    # Statistics before the next insert's foreign-key checks are planned: with
                    # the truncated table's (no rows), each of the 1,000,000 checks walked the
                    # index (a full run at 20:08 on 2026-12-01 was still seeding after 25 min).
                    await conn.execute(text(f"ANALYZE {table}"))
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE documents, processing_jobs, extracted_results"))
    finally:
        await engine.dispose()


def cases(quick: bool) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [
        ("first page", {}),
        ("deep page (51st)", {"_deep": True}),
        ("search 'nordwind'", {"search": "nordwind"}),
        ("filter status FAILED", {"filter": {"status": ["FAILED"]}}),
    ]
    for field in SORT_FIELDS:
        for direction in ("ASC", "DESC"):
            out.append(
                (f"sort {field} {direction}", {"sort": {"field": field, "direction": direction}})
            )
    return out


def _graphql(client: httpx.Client, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": LIST_QUERY, "variables": variables})
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else {"errors": [{"message": response.text[:200]}]}
    )
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(
            f"documents query failed: {response.status_code} {json.dumps(body.get('errors'))[:300]}"
        )
    data: dict[str, Any] = body["data"]["documents"]  # type: ignore[call-overload]
    return data


def _deep_cursor(client: httpx.Client, pages: int = 50) -> str:
    after = None
    for _ in range(pages):
        page = _graphql(client, {"first": 20, "after": after})
        after = page["pageInfo"]["endCursor"]
    assert after
    return after


def time_cases(api_url: str, quick: bool, runs: int) -> dict[str, Any]:
    timings: dict[str, Any] = {}
    with httpx.Client(base_url=api_url, timeout=60, headers=ADMIN_HEADERS) as client:
        _graphql(client, {"first": 20})  # warm-up: schema, pools
        deep = None
        for name, spec in cases(quick):
            variables = {k: v for k, v in spec.items() if not k.startswith("_")}
            variables["first"] = 20
            if spec.get("_deep"):
                deep = deep or _deep_cursor(client)
                variables["after"] = deep
            try:
                page = _graphql(client, variables)
            except RuntimeError as error:
                timings[name] = {"error": str(error), "variables": variables}
                continue
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                _graphql(client, variables)
                samples.append((time.perf_counter() - started) * 1000)
            timings[name] = {
                "samples": samples,
                "variables": variables,
                "rows": len(page["edges"]),
                "total": page["totalCount"],
                "estimated": page.get("totalCountIsEstimate"),
            }
    return timings


def _seq_scans(plan: list[str]) -> bool:
    return any("Seq Scan on documents" in line for line in plan)


async def explain_cases(
    stack: Stack, variables_by_case: dict[str, dict[str, Any]]
) -> dict[str, list[tuple[str, list[str]]]]:
    """For each case, [(statement, EXPLAIN lines)] of the SQL the app runs for it."""
    from api.main import create_app
    from api.settings import Settings

    env = stack.env
    settings = Settings(
        database_url=env["PAPERLANE_DATABASE_URL"],
        redis_url=env["PAPERLANE_REDIS_URL"],
        data_dir=env["PAPERLANE_DATA_DIR"],
        events_channel=env["PAPERLANE_EVENTS_CHANNEL"],
        log_level="WARNING",
    )
    app = create_app(settings)
    captured: list[tuple[str, Any]] = []
    sql_seconds: list[float] = []

    def capture(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        captured.append((statement, parameters))
        conn.info["bench_started"] = time.perf_counter()

    def finished(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        now = time.perf_counter()
        sql_seconds.append(now - conn.info.pop("bench_started", now))

    plans: dict[str, list[tuple[str, list[str]]]] = {}
    async with app.router.lifespan_context(app):
        engine = app.state.ctx.engine
        event.listen(engine.sync_engine, "before_cursor_execute", capture)
        event.listen(engine.sync_engine, "after_cursor_execute", finished)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://localhost", headers=ADMIN_HEADERS
        ) as client:
            for name, variables in variables_by_case.items():
                # In-process split of one request: time in SQL vs the whole request (median of 5).
                splits = []
                for _ in range(5):
                    captured.clear()
                    sql_seconds.clear()
                    started = time.perf_counter()
                    response = await client.post(
                        "/graphql", json={"query": LIST_QUERY, "variables": variables}
                    )
                    if response.status_code != 200 or "errors" in response.json():
                        # A refused request runs no SQL: say so, never "no Seq Scan".
                        raise RuntimeError(f"in-process {name}: {response.text[:200]}")
                    splits.append(
                        (time.perf_counter() - started, sum(sql_seconds), len(sql_seconds))
                    )
                splits.sort()
                total, in_sql, count = splits[len(splits) // 2]
                SPLITS[name] = (total * 1000, in_sql * 1000, count)
                statements = list(captured)
                plans[name] = []
                async with engine.connect() as conn:
                    raw = (await conn.get_raw_connection()).driver_connection
                    for statement, parameters in statements:
                        if (
                            "documents" not in statement
                            or not statement.lstrip().upper().startswith("SELECT")
                        ):
                            continue
                        params = tuple(parameters or ())
                        rows = await raw.fetch("EXPLAIN " + statement, *params)
                        plans[name].append((statement, [r[0] for r in rows]))
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
        event.remove(engine.sync_engine, "after_cursor_execute", finished)
    return plans


async def explain_repository(stack: Stack) -> dict[str, list[tuple[str, list[str]]]]:
    """Fallback when the GraphQL list is not there: EXPLAIN the repository's own statements."""
    from sqlalchemy import func, select
    from sqlalchemy.dialects import postgresql

    from db.models import Document
    from db.repositories.documents import (
        DocumentCriteria,
        SortKey,
        criteria_clauses,
        order_by,
    )

    def page(criteria: DocumentCriteria, sort: SortKey) -> Any:
        return (
            select(Document).where(*criteria_clauses(criteria)).order_by(*order_by(sort)).limit(21)
        )

    specs: dict[str, tuple[DocumentCriteria, SortKey]] = {
        "first page": (DocumentCriteria(), SortKey()),
        "search 'nordwind'": (
            DocumentCriteria(tsquery="nordwind:*", search_text="nordwind"),
            SortKey(),
        ),
        "filter status FAILED": (DocumentCriteria(statuses=("FAILED",)), SortKey()),
    }
    for field in SORT_FIELDS:
        for descending in (False, True):
            specs[f"sort {field} {'DESC' if descending else 'ASC'}"] = (
                DocumentCriteria(),
                SortKey(field, descending),
            )
    engine = stack.engine()
    plans: dict[str, list[tuple[str, list[str]]]] = {}
    try:
        async with engine.connect() as conn:
            for name, (criteria, sort) in specs.items():
                plans[name] = []
                for stmt in (
                    page(criteria, sort),
                    select(func.count()).select_from(Document).where(*criteria_clauses(criteria)),
                ):
                    sql = str(
                        stmt.compile(
                            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
                        )
                    )
                    rows = (await conn.execute(text("EXPLAIN " + sql))).scalars().all()
                    plans[name].append((sql, list(rows)))
    finally:
        await engine.dispose()
    return plans


def run(stack: Stack, quick: bool) -> list[Result]:
    n = int(os.environ.get("BENCH_DOCUMENTS") or (20_000 if quick else 1_000_000))
    runs = 10 if quick else 30
    log(f"queries: seeding {n} documents")
    started = time.perf_counter()
    asyncio.run(stack.truncate())  # whatever the other benchmarks left
    asyncio.run(seed(stack, n))
    seeded = time.perf_counter() - started
    log(f"queries: seeded in {seeded:.1f} s")
    results: list[Result] = [
        Result("queries", "documents seeded", n, "", note=f"generate_series, {seeded:.0f} s")
    ]
    api = stack.api()
    try:
        timings = time_cases(api.url, quick, runs)
    finally:
        stack.stop_process(api)
    available = {k: v["variables"] for k, v in timings.items() if "error" not in v}
    if available:
        plans = asyncio.run(explain_cases(stack, available))
        source = "GraphQL (captured)"
    else:
        plans = asyncio.run(explain_repository(stack))
        source = "repository (GraphQL list unavailable)"
    if os.environ.get("BENCH_SHOW_PLANS", "1") != "0":
        print(f"\n---- EXPLAIN of the documents SQL per case, from {source} ----")
        for name, statements in plans.items():
            print(f"\n## {name}")
            for statement, plan in statements:
                print("SQL: " + " ".join(statement.split())[:400])
                for line in plan:
                    print("    " + line)
        print()
    for name, _spec in cases(quick):
        info = timings.get(name, {})
        statements = plans.get(name, [])
        seq = [s for s, plan in statements if _seq_scans(plan)]
        note = ""
        if seq:
            kinds = sorted({"count" if "count(" in s.lower() else "page/loader" for s in seq})
            note = f"Seq Scan on documents ({', '.join(kinds)}); "
        if "error" in info:
            results.append(
                Result(
                    "queries",
                    f"{name} p95",
                    None,
                    "ms",
                    "≤ 50 ms",
                    False,
                    note=note + info["error"][:150],
                )
            )
            continue
        samples = info["samples"]
        p95 = percentile(samples, 95)
        results.append(Result("queries", f"{name} p50", percentile(samples, 50), "ms"))
        results.append(
            Result(
                "queries",
                f"{name} p95",
                p95,
                "ms",
                "≤ 50 ms",
                p95 <= 50 and not seq and bool(statements),
                note=note
                + f"{info['rows']} rows of {info['total']}"
                + (" (estimate)" if info.get("estimated") else "")
                + ("" if statements else "; no SQL captured")
                + (
                    f"; in-process {SPLITS[name][0]:.0f} ms, SQL "
                    f"{SPLITS[name][1]:.0f} ms in {SPLITS[name][2]} statements"
                    if name in SPLITS
                    else ""
                ),
            )
        )
    if not available:
        for name, statements in plans.items():
            seq = [s for s, plan in statements if _seq_scans(plan)]
            results.append(
                Result(
                    "queries",
                    f"{name} EXPLAIN (repository)",
                    None,
                    "",
                    "no Seq Scan",
                    not seq,
                    note="Seq Scan on documents" if seq else "index scans",
                )
            )
    return results
