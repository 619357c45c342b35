"""Mutation resolvers: call the services and commit. Expected failures are raised as domain
errors; the schema's exception handlers (``schema.errors.HANDLERS``) make them union members."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from api.auth.actor import Actor
from api.ids import parse_id
from api.rate_limit import limit_uploads
from api.services.jobs import JobService
from api.services.reviews import ReviewService
from api.services.uploads import IncomingFile
from api.uploads import chunks_of
from db.models import ProcessingJob
from schema.accounts import AccountMutations
from schema.errors import (
    DuplicateSuspectedError,
    InvalidStateError,
    NotFoundError,
    ValidationError,
    VersionConflictError,
)
from schema.inputs import ReviewDocumentInput
from schema.review import ReviewMutations
from schema.types import Document, Job


@strawberry.type(description="A file that was not accepted, and why.")
class RejectedFile:
    filename: str = strawberry.field(description="The file name as sent (cleaned).")
    code: str = strawberry.field(description="UNSUPPORTED_TYPE, EMPTY_FILE, FILE_TOO_LARGE, …")
    message: str = strawberry.field(description="Human-readable reason.")


@strawberry.type(description="The outcome of an upload: each file is accepted or rejected.")
class UploadDocumentsPayload:
    documents: list[Document] = strawberry.field(
        description="New documents, each with a QUEUED job."
    )
    rejected: list[RejectedFile] = strawberry.field(description="Files that were refused.")


@strawberry.type(description="The review was saved.")
class ReviewDocumentSuccess:
    document: Document = strawberry.field(description="The document with its new extraction.")


@strawberry.type(description="The document is finalized (now or already before).")
class FinalizeDocumentSuccess:
    document: Document = strawberry.field(description="The finalized document.")


@strawberry.type(description="The job was queued again.")
class RetryJobSuccess:
    job: Job = strawberry.field(description="The re-queued job.")


@strawberry.type(description="The job was cancelled, or asked to stop at its next step.")
class CancelJobSuccess:
    job: Job = strawberry.field(description="The job.")


ReviewDocumentResult = Annotated[
    ReviewDocumentSuccess
    | NotFoundError
    | InvalidStateError
    | VersionConflictError
    | ValidationError,
    strawberry.union("ReviewDocumentResult", description="Saved, or why not."),
]
FinalizeDocumentResult = Annotated[
    FinalizeDocumentSuccess | NotFoundError | InvalidStateError | DuplicateSuspectedError,
    strawberry.union("FinalizeDocumentResult", description="Finalized, or why not."),
]
RetryJobResult = Annotated[
    RetryJobSuccess | NotFoundError | InvalidStateError,
    strawberry.union("RetryJobResult", description="Re-queued, or why not."),
]
CancelJobResult = Annotated[
    CancelJobSuccess | NotFoundError | InvalidStateError,
    strawberry.union("CancelJobResult", description="Cancelled, or why not."),
]


JobAction = Callable[[JobService, uuid.UUID, Actor | None], Awaitable[ProcessingJob]]


async def _job_action(info: Info, id: strawberry.ID, action: JobAction) -> Job:
    """retryJob / cancelJob: the caller's action on one job, committed; the job as it is now."""
    job_id = parse_id(id, "job")
    async with info.context.use() as session:
        job = await action(info.context.app.jobs(session), job_id, info.context.actor)
        await info.context.commit(session)
    return Job(row=job)


@strawberry.type(description="Changes.")
class Mutation(AccountMutations, ReviewMutations):
    @strawberry.mutation(
        description="Upload PDFs or e-invoice XML files, recognised by their content (GraphQL "
        "multipart request spec; send the header "
        "`Apollo-Require-Preflight: true` or `X-Paperlane-CSRF: 1`). Each file becomes a "
        "document with a QUEUED job, or a RejectedFile with a code."
    )
    async def upload_documents(
        self,
        info: Info,
        files: Annotated[
            list[Upload],
            strawberry.argument(
                description="The files: PDF, or e-invoice XML (CII, ZUGFeRD 1, UBL Invoice or "
                "CreditNote); anything else is rejected with UNSUPPORTED_TYPE."
            ),
        ],
    ) -> UploadDocumentsPayload:
        ctx = info.context.app
        await limit_uploads(ctx.redis, ctx.settings, info.context.request, info.context.actor)
        async with info.context.use() as session:
            service = ctx.uploads(session)
            outcome = await service.accept(
                [IncomingFile(getattr(f, "filename", None), chunks_of(f)) for f in files],  # type: ignore[arg-type]
                info.context.actor,
            )
            await info.context.commit(session)
        return UploadDocumentsPayload(
            documents=[Document(row=d) for d in outcome.documents],
            rejected=[
                RejectedFile(filename=r.filename, code=r.code, message=r.message)
                for r in outcome.rejected
            ],
        )

    @strawberry.mutation(
        description="Save a reviewer's changes to a COMPLETED document's fields. Omitted "
        "fields stay, null clears. A stale expectedVersion is a VersionConflictError."
    )
    async def review_document(
        self,
        info: Info,
        input: Annotated[ReviewDocumentInput, strawberry.argument(description="What to save.")],
    ) -> ReviewDocumentResult:
        document_id = parse_id(input.document_id, "document", field="documentId")
        async with info.context.use() as session:
            document, result = await ReviewService(session).review(
                document_id, input.fields.patch(), input.expected_version, info.context.actor
            )
            await info.context.commit(session)
        info.context.loaders.prime_result(result)
        return ReviewDocumentSuccess(document=Document(row=document))

    @strawberry.mutation(
        description="Make a COMPLETED document's record final and read-only. Finalizing a "
        "FINALIZED document again succeeds and changes nothing. A possible duplicate "
        "(Document.possibleDuplicates) is a DuplicateSuspectedError unless confirmDuplicate "
        "is true; the confirmation is recorded in the history (DUPLICATE_CONFIRMED)."
    )
    async def finalize_document(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Document id.")],
        confirm_duplicate: Annotated[
            bool,
            strawberry.argument(description="Finalize even though it looks like another document."),
        ] = False,
    ) -> FinalizeDocumentResult:
        document_id = parse_id(id, "document")
        async with info.context.use() as session:
            document, _ = await ReviewService(session).finalize(
                document_id, info.context.actor, confirm_duplicate=confirm_duplicate
            )
            await info.context.commit(session)
        return FinalizeDocumentSuccess(document=Document(row=document))

    @strawberry.mutation(description="Queue a FAILED or CANCELLED job again.")
    async def retry_job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Job id.")],
    ) -> RetryJobResult:
        return RetryJobSuccess(job=await _job_action(info, id, JobService.retry))

    @strawberry.mutation(
        description="Cancel a QUEUED job at once, or ask a PROCESSING one to stop at its "
        "next step (it then becomes CANCELLED)."
    )
    async def cancel_job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Job id.")],
    ) -> CancelJobResult:
        return CancelJobSuccess(job=await _job_action(info, id, JobService.cancel))
