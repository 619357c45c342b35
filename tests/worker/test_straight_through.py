"""Straight-through processing with a real worker: with PAPERLANE_STRAIGHT_THROUGH=xml an
e-invoice XML whose checks hold is finalized by the worker, audited as done by the rule; a text
PDF is left for a person; a second copy of the XML (a possible duplicate) is left too.

The worker here has its own broker (another Redis database) so that the session's worker,
which runs with the rule off, never takes these jobs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from api.context import AppContext
from api.effects import commit
from api.services import audit
from api.services.uploads import IncomingFile
from api.settings import Settings
from db.models import Document
from tests.jobs import wait_for
from tests.pdfs import invoice_pdf
from tests.services import WorkerProcess

XML = Path(__file__).parents[1] / "fixtures" / "einvoices" / "cii-xrechnung.xml"


def _other_database(redis_url: str) -> str:
    base = re.sub(r"/\d+$", "", redis_url)
    return f"{base}/7"


@pytest.fixture
def rule_env(worker_env: dict[str, str]) -> dict[str, str]:
    return {
        **worker_env,
        "PAPERLANE_REDIS_URL": _other_database(worker_env["PAPERLANE_REDIS_URL"]),
        "PAPERLANE_STRAIGHT_THROUGH": "xml",
    }


@pytest.fixture
def rule_worker(rule_env: dict[str, str], clean: None, data_dir: Path) -> Iterator[WorkerProcess]:
    process = WorkerProcess(rule_env, concurrency=1, log_path=data_dir / "rule-worker.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def rule_ctx(settings: Settings, rule_env: dict[str, str]) -> AsyncIterator[AppContext]:
    rule_settings = settings.model_copy(
        update={"redis_url": rule_env["PAPERLANE_REDIS_URL"], "straight_through": "xml"}
    )
    context = AppContext.create(rule_settings)
    try:
        yield context
    finally:
        await context.aclose()


async def _upload(ctx: AppContext, name: str, data: bytes) -> str:
    async def chunks() -> AsyncIterator[bytes]:
        yield data

    async with ctx.session() as session:
        outcome = await ctx.uploads(session).accept([IncomingFile(name, chunks())])
        await commit(session)
    assert outcome.documents, outcome.rejected
    return str(outcome.documents[0].id)


async def test_the_rule_finalizes_xml_whose_checks_hold(
    rule_worker: WorkerProcess, rule_ctx: AppContext
) -> None:
    xml = await _upload(rule_ctx, "einvoice.xml", XML.read_bytes())
    pdf = await _upload(rule_ctx, "scan.pdf", invoice_pdf())
    await wait_for(rule_ctx, [xml, pdf])
    # The same invoice again (other bytes, same number, total and vendor): a person decides.
    again = await _upload(rule_ctx, "einvoice-again.xml", XML.read_bytes() + b"\n<!-- again -->")
    await wait_for(rule_ctx, [again])

    async with rule_ctx.session() as session:
        status = {
            str(d.id): d.current_status
            for d in [await session.get(Document, uuid.UUID(i)) for i in (xml, pdf, again)]
            if d is not None
        }
        history = await audit.history(session, uuid.UUID(xml))
    assert status == {xml: "FINALIZED", pdf: "COMPLETED", again: "COMPLETED"}
    finalized = [e for e in history if e.action == audit.FINALIZED]
    assert len(finalized) == 1
    assert (finalized[0].actor_kind, finalized[0].actor_label) == (
        "system",
        "straight-through rule",
    )
