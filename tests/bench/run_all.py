"""``make bench``: start a stack, run every benchmark, print ONE table (figure, target, verdict).

    python tests/bench/run_all.py [--quick] [--only throughput|events|event-writers|queries|upload|memory]...

Servers: embedded PostgreSQL + Redis under a temporary folder, or the ones named by
``PAPERLANE_BENCH_DATABASE_URL`` or ``PAPERLANE_DATABASE_URL`` (a fresh database is created on that
server and dropped at the end) and ``PAPERLANE_BENCH_REDIS_URL`` or ``PAPERLANE_REDIS_URL`` (use a
database number nobody else uses: it is flushed). The detailed rows come first; the last table
holds the figures of the performance brief (issue 16), each with its target, pass / MISS and the
load average it was taken at. Exit status 1 when a target is missed or a benchmark could not run;
missed targets are printed, never hidden.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import (
    bench_event_writers,
    bench_events,
    bench_memory,
    bench_queries,
    bench_throughput,
    bench_upload,
)
from tests.bench.common import Result, Stack, log, print_table
from tests.bench.summary import header, print_issue_table

BENCHES = {
    "throughput": bench_throughput.run,
    "events": bench_events.run,
    "event-writers": bench_event_writers.run,
    "queries": bench_queries.run,
    "upload": bench_upload.run,
    "memory": bench_memory.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller N for a fast sanity run")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(BENCHES),
        help="run only this benchmark (repeatable)",
    )
    args = parser.parse_args(argv)
    names = args.only or list(BENCHES)
    results: list[Result] = []
    started = time.perf_counter()
    stack = Stack.start()
    try:
        for name in names:
            log(f"=== {name} === (load average {os.getloadavg()[0]:.2f})")
            try:
                rows = BENCHES[name](stack, args.quick)
                load = os.getloadavg()[0]
                for row in rows:
                    row.load = load
                results += rows
            except Exception as error:
                traceback.print_exc()
                results.append(
                    Result(
                        name,
                        "benchmark",
                        None,
                        "",
                        "runs",
                        False,
                        note=f"{type(error).__name__}: {str(error)[:200]}",
                    )
                )
    finally:
        stack.stop()
    print()
    print(header(args.quick, time.perf_counter() - started))
    print()
    print_table(results)
    print()
    print("Issue 16 figures (load 1m: load average when the figure was taken, on this machine)")
    print()
    brief_missed = print_issue_table(results)
    missed = [r for r in results if r.ok is False]
    print()
    if brief_missed:
        print(f"{brief_missed} of the brief's figures not met or not measured")
    if missed:
        print(
            f"{len(missed)} target(s) missed: " + "; ".join(f"{r.bench}/{r.name}" for r in missed)
        )
        return 1
    if brief_missed:
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
