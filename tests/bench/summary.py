"""The issue-16 figures (the ones ``make bench`` is judged by), derived from the benchmarks' rows.

Each benchmark prints many rows; this module picks, for every figure of the performance brief,
the row that measures it, and prints them in ONE table: figure, now, target, pass / MISS, and the
1-minute load average when the figure was taken (the machine is shared: a figure taken at load 6
on 2 cores is pessimistic, and says so). A figure whose benchmark did not run is ``not run``,
never a pass.
"""

from __future__ import annotations

import math
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psutil

from tests.bench.common import Result, fmt

# From all rows: (value shown, pass?, load average, note), or None when not measured.
Derive = Callable[[Sequence[Result]], tuple[str, bool, float | None, str] | None]


@dataclass
class Figure:
    name: str
    target: str
    derive: Derive


def _row(results: Sequence[Result], bench: str, name: str) -> Result | None:
    for result in results:
        if (
            result.bench == bench
            and result.name == name
            and result.value is not None
            and not math.isnan(result.value)
        ):
            return result
    return None


def _largest_sub(
    results: Sequence[Result], prefix: str, at_most: int | None = None
) -> Result | None:
    """The row of the largest subscriber count measured (``{prefix}, N sub``), up to
    ``at_most`` subscribers."""
    best: tuple[int, Result] | None = None
    for result in results:
        if result.bench == "events" and result.name.startswith(prefix + ", "):
            if result.value is None:
                continue
            n = int(result.name.rsplit(", ", 1)[1].split()[0])
            if at_most is not None and n > at_most:
                continue
            if best is None or n > best[0]:
                best = (n, result)
    return best[1] if best else None


def _at_most(
    limit: float, unit: str, row: Result | None
) -> tuple[str, bool, float | None, str] | None:
    if row is None or row.value is None:
        return None
    label = row.name.rsplit(", ", 1)[-1] if ", " in row.name else ""
    return f"{fmt(row.value)} {unit}", row.value <= limit, row.load, label


def _per_subscriber(prefix: str, limit: float, unit: str) -> Derive:
    """A figure of the brief's size, 1,000 subscribers (or the largest size below it that was
    measured), with the largest size's value in the note when a larger one was measured."""

    def derive(results: Sequence[Result]) -> tuple[str, bool, float | None, str] | None:
        shown = _at_most(limit, unit, _largest_sub(results, prefix, at_most=1000))
        largest = _largest_sub(results, prefix)
        if shown is None or largest is None or largest.value is None:
            return shown
        value, ok, load, label = shown
        size = largest.name.rsplit(", ", 1)[-1]
        if size != label:
            label += f"; {size}: {fmt(largest.value)} {unit}"
        return value, ok, load, label

    return derive


def _served(results: Sequence[Result]) -> tuple[str, bool, float | None, str] | None:
    """Subscribers one process serves at p99 ≤ 250 ms: bracketed by the sizes measured."""
    sizes = []
    for result in results:
        if result.bench == "events" and result.name.startswith("p99 latency, "):
            n = int(result.name.rsplit(", ", 1)[1].split()[0])
            sizes.append((n, result))
    if not sizes:
        return None
    sizes.sort(key=lambda item: item[0])
    ok = [n for n, r in sizes if r.value is not None and r.value <= 250]
    bad = [n for n, r in sizes if r.value is None or r.value > 250]
    best = max(ok) if ok else 0
    above = min((n for n in bad if n > best), default=None)
    shown = f"≥ {best:,}" + (f", < {above:,}" if above else " (largest size measured)")
    load = sizes[-1][1].load
    return shown, best >= 10_000, load, "sizes " + "/".join(f"{n:,}" for n, _ in sizes)


def _worker_cpu(results: Sequence[Result]) -> tuple[str, bool, float | None, str] | None:
    worker = _row(results, "throughput", "worker CPU per doc, 2 proc")
    raw = _row(results, "throughput", "raw pipeline in-process (1 core)")
    if worker is None or raw is None or not raw.value:
        return None
    extraction = 1000 / raw.value
    outside = (worker.value or 0) - extraction
    return (
        f"{fmt(outside)} ms",
        outside <= 6,
        worker.load,
        f"{fmt(worker.value)} ms in all, extraction {fmt(extraction)} ms",
    )


def _list_p95(results: Sequence[Result]) -> tuple[str, bool, float | None, str] | None:
    rows = [r for r in results if r.bench == "queries" and r.name.endswith(" p95")]
    if not rows:
        return None
    measured = [r for r in rows if r.value is not None]
    worst = max(measured, key=lambda r: r.value or 0) if measured else None
    scans = [r for r in rows if "Seq Scan" in r.note]
    failed = [r for r in rows if r.value is None]
    documents = next((r.value for r in results if r.name == "documents seeded"), None)
    note = f"worst: {worst.name[:-4]}" if worst else ""
    if documents:
        note += f"; {documents:,.0f} documents"
    note += f"; {len(scans)} plans scan the table" if scans else "; no plan scans the table"
    if failed:
        note += f"; {len(failed)} cases failed"
    value = f"{fmt(worst.value)} ms" if worst else "-"
    # Each case's own verdict also needs its SQL captured and EXPLAINed (bench_queries).
    unverified = [r for r in rows if r.ok is False and r.value is not None and r.value <= 50]
    if unverified:
        note += f"; {len(unverified)} cases without a clean EXPLAIN"
    ok = worst is not None and all(r.ok for r in rows) and (documents or 0) >= 1_000_000
    return value, ok, (worst or rows[0]).load, note


FIGURES = [
    Figure(
        "dashboard feed p99, 1,000 subscribers, one API process",
        "≤ 50 ms",
        _per_subscriber("p99 latency", 50, "ms"),
    ),
    Figure("subscribers one API process serves at p99 ≤ 250 ms", "≥ 10,000", _served),
    Figure(
        "API CPU per delivered event", "≤ 20 µs", _per_subscriber("API CPU per delivery", 20, "µs")
    ),
    Figure(
        "API memory per idle subscriber",
        "≤ 40 KiB",
        _per_subscriber("API RSS per subscriber", 40, "KiB"),
    ),
    Figure("worker CPU per job outside extraction", "≤ 6 ms", _worker_cpu),
    Figure(
        "API CPU per uploaded document",
        "≤ 3 ms",
        lambda rs: _at_most(3, "ms", _row(rs, "throughput", "api CPU per doc, 2 proc")),
    ),
    Figure(
        "system / raw pipeline, one-page invoices, 2 worker processes",
        "≥ 50 %",
        lambda rs: (
            None
            if (row := _row(rs, "throughput", "system/raw, 2 worker procs")) is None
            else (f"{fmt(row.value)} %", (row.value or 0) >= 50, row.load, "")
        ),
    ),
    Figure(
        "documents list p95 at 1,000,000 documents", "≤ 50 ms, no plan scans the table", _list_p95
    ),
]


def header(quick: bool, seconds: float) -> str:
    one, five, fifteen = os.getloadavg()
    return (
        f"Paperlane benchmarks {'(quick) ' if quick else ''}"
        f"{time.strftime('%Y-%m-%d %H:%M %Z')} on {platform.node()}: "
        f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"{seconds:.0f} s; load average now {one:.2f} {five:.2f} {fifteen:.2f}"
    )


def issue_table(results: Sequence[Result]) -> tuple[list[tuple[str, ...]], int]:
    """Rows (figure, now, target, verdict, load, note) and the number of figures not passed."""
    rows: list[tuple[str, ...]] = []
    missed = 0
    for figure in FIGURES:
        derived = figure.derive(results)
        if derived is None:
            rows.append((figure.name, "-", figure.target, "not run", "-", ""))
            missed += 1
            continue
        value, ok, load, note = derived
        missed += not ok
        rows.append(
            (
                figure.name,
                value,
                figure.target,
                "pass" if ok else "MISS",
                "-" if load is None else f"{load:.1f}",
                note,
            )
        )
    return rows, missed


def print_issue_table(results: Sequence[Result]) -> int:
    rows, missed = issue_table(results)
    head = ("figure", "now", "target", "verdict", "load 1m", "note")
    table = [head, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head) - 1)]
    for index, row in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1])
        if index == 0:
            print("  ".join("-" * w for w in widths))
    return missed
