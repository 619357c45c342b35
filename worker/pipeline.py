"""The processing pipeline as ordered steps (paperless-ngx's consumer plugins, in small).

A step is synchronous CPU work (PyMuPDF is not thread-safe, so it runs in the worker's prefork
child, one at a time) with the events and progress that bracket it. The pipeline reports each
step through an injected ``Reporter``, so tests can run it without Redis or a database, and the
reporter can stop it between steps (a cancel request, or a lost lease).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from api.errors import ProcessingError
from api.services.fields import readable_text
from api.services.sniff import XML_MIME
from api.settings import get_settings
from db.models import JobEventType
from worker.extraction import (
    EInvoiceError,
    ExtractionOutcome,
    ParsedDocument,
    ParsedPage,
    extract_fields,
    extract_xml,
    parse_pdf,
)


@dataclass
class PipelineState:
    path: Path
    parsed: ParsedDocument | None = None
    outcome: ExtractionOutcome | None = None


@dataclass(frozen=True)
class Step:
    stage: str
    started: JobEventType
    completed: JobEventType
    progress: tuple[int, int]
    run: Callable[[PipelineState], None]


def _parse(state: PipelineState) -> None:
    state.parsed = parse_pdf(state.path, get_settings().max_pages)


def _extract(state: PipelineState) -> None:
    assert state.parsed is not None
    state.outcome = extract_fields(state.parsed)


def _parse_xml(state: PipelineState) -> None:
    """An e-invoice XML uploaded on its own: read exactly, no PyMuPDF."""
    try:
        state.outcome = extract_xml(state.path.read_bytes())
    except EInvoiceError as error:  # refused, malformed, or not an invoice
        raise ProcessingError(
            f"The XML invoice cannot be read: {error}", code="XML_INVALID"
        ) from error


def _render_xml(state: PipelineState) -> None:
    """The document's text (search, ``rawText``) is a readable rendering of the fields: one
    page without word boxes."""
    assert state.outcome is not None
    text = readable_text(state.outcome.fields)
    state.parsed = ParsedDocument(
        page_count=1, pages=[ParsedPage(number=1, width=0, height=0, text=text, words=[])]
    )


def _steps(
    parse: Callable[[PipelineState], None], extract: Callable[[PipelineState], None]
) -> tuple[Step, Step]:
    return (
        Step(
            "parsing",
            JobEventType.DOCUMENT_PARSING_STARTED,
            JobEventType.DOCUMENT_PARSING_COMPLETED,
            (10, 45),
            parse,
        ),
        Step(
            "extracting",
            JobEventType.FIELD_EXTRACTION_STARTED,
            JobEventType.FIELD_EXTRACTION_COMPLETED,
            (50, 90),
            extract,
        ),
    )


STEPS: Sequence[Step] = _steps(_parse, _extract)
# Routed by the document's MIME type (sniffed from the content at upload).
XML_STEPS: Sequence[Step] = _steps(_parse_xml, _render_xml)


# One recorded step: (event, progress %, stage).
Move = tuple[JobEventType, int, str]


class Reporter(Protocol):
    async def step(self, moves: Sequence[Move]) -> bool:
        """Record back-to-back progress in one transaction; return False to stop the pipeline
        before its next step."""
        ...


class Stopped(Exception):
    """The reporter asked the pipeline to stop (cancelled or no longer owned)."""


async def run_pipeline(path: Path, reporter: Reporter, mime_type: str = "") -> PipelineState:
    """Run the steps, recording each one's start and end. A step's end and the next one's start
    happen back to back, so they are recorded together (one transaction, not two: less work per
    job, issue 16); the last end is recorded on its own before the job completes."""
    state = PipelineState(path)
    pending: list[Move] = []
    for step in XML_STEPS if mime_type == XML_MIME else STEPS:
        pending.append((step.started, step.progress[0], step.stage))
        if not await reporter.step(pending):
            raise Stopped
        # On the task's thread: while PyMuPDF works, the watch (worker.watch) renews the lease.
        step.run(state)
        pending = [(step.completed, step.progress[1], step.stage)]
    if pending and not await reporter.step(pending):
        raise Stopped
    return state
