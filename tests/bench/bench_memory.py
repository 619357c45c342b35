"""API memory before, under and after a hostile load (issue 13): does it return near its baseline?

One API process (uvicorn, as ``paperlane api`` runs it) against a document whose text is
27.6 MB. Resident memory (RSS, sampled every 20 ms) is taken after a warm-up, during rounds of
the attack run, and after 5 s idle. The attack run, repeated ``rounds`` times:

- 30 aliases of ``document { extraction { rawText } }`` (refused by the cost rule);
- 4 × ``rawText`` of 1,000,000 characters (the most one request may return) and one more field
  past the budget;
- a 60 MB GraphQL comment (refused by the body limit);
- ``rawText`` pages of 1,000,000 characters through the whole 27.6 MB text;
- hostile list filters and malformed ids on REST.

    python tests/bench/bench_memory.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import psutil

from tests.auth import ADMIN_HEADERS
from tests.bench.common import Result, Stack, log, print_table

MiB = 1024 * 1024
TEXT_CHARS = 27_600_000


class RssSampler:
    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        return int(self.process.memory_info().rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


async def _document_with_huge_text(stack: Stack) -> str:
    from api.context import AppContext
    from api.settings import Settings
    from tests.api.helpers import make_document

    ctx = AppContext.create(
        Settings(
            database_url=stack.servers.database_url,
            redis_url=stack.servers.redis_url,
            data_dir=stack.data_dir,
        )
    )
    try:
        text = ("Rechnung Nummer 4711 Betrag 119,00 EUR " * 710_000)[:TEXT_CHARS]
        document = await make_document(ctx, raw_text=text)
        return str(document.id)
    finally:
        await ctx.aclose()


def _aliases(count: int) -> str:
    body = " ".join(f"a{i}: document(id: $id) {{ extraction {{ rawText }} }}" for i in range(count))
    return f"query($id: ID!) {{ {body} }}"


PAGE = "query($id: ID!, $o: Int!) { document(id: $id) { extraction { rawText(offset: $o) } } }"


def _attack(http: httpx.Client, document_id: str) -> None:
    variables = {"id": document_id}
    refused = http.post("/graphql", json={"query": _aliases(30), "variables": variables}).json()
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY", refused
    capped = http.post("/graphql", json={"query": _aliases(5), "variables": variables}).json()
    assert capped["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    comment = b'{"query": "#' + b"x" * (60 * MiB) + b'\\n{ documentCounts { count } }"}'
    too_large = http.post("/graphql", content=comment, headers={"content-type": "application/json"})
    assert too_large.status_code == 413
    for offset in range(0, TEXT_CHARS, 1_000_000):
        page = http.post("/graphql", json={"query": PAGE, "variables": {**variables, "o": offset}})
        assert page.status_code == 200 and "errors" not in page.json()
    for params in ({"minTotal": "1e999999"}, {"uploadedFrom": "9999-12-31T23:59:59-14:00"}):
        assert http.get("/api/documents", params=params).status_code == 422
    assert http.get("/api/documents/" + "9" * 60_000).status_code in {400, 404, 414, 431}


def run(stack: Stack, quick: bool) -> list[Result]:
    rounds = 2 if quick else 5
    document_id = asyncio.run(_document_with_huge_text(stack))
    api = stack.api()
    try:
        assert api.proc is not None
        sampler = RssSampler(api.proc.pid)
        with httpx.Client(base_url=api.url, timeout=120, headers=ADMIN_HEADERS) as http:
            for _ in range(20):  # warm-up: imports, pools, caches
                http.post("/graphql", json={"query": "{ documentCounts { status count } }"})
                http.get("/api/documents")
            time.sleep(1)
            baseline = sampler.rss()
            with sampler:
                for _ in range(rounds):
                    _attack(http, document_id)
                under = sampler.peak
            time.sleep(5)
            after = sampler.rss()
    finally:
        stack.stop_process(api)
    growth_under = (under - baseline) / MiB
    growth_after = (after - baseline) / MiB
    log(
        f"memory: baseline {baseline / MiB:.0f} MiB, under attack {under / MiB:.0f} MiB "
        f"(+{growth_under:.0f}), after 5 s idle {after / MiB:.0f} MiB (+{growth_after:.0f})"
    )
    return [
        Result("memory", "API RSS baseline", baseline / MiB, "MiB"),
        Result(
            "memory",
            "API RSS growth under the attack run",
            growth_under,
            "MiB",
            "≤ 100 MiB",
            growth_under <= 100,
        ),
        Result(
            "memory",
            "API RSS growth 5 s after it",
            growth_after,
            "MiB",
            "≤ 50 MiB",
            growth_after <= 50,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    stack = Stack.start()
    try:
        results = run(stack, args.quick)
    finally:
        stack.stop()
    print_table(results)
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
