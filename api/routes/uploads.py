from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from api.auth.http import Uploader
from api.deps import Context, Session
from api.effects import commit
from api.rate_limit import limit_uploads
from api.routes.serializers import UploadResponse, upload_response
from api.services.uploads import IncomingFile
from api.uploads import chunks_of

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.post(
    "/upload",
    status_code=201,
    response_model=UploadResponse,
    summary="Upload one or more PDFs or e-invoice XML files",
    description="Each file is accepted (a document with a QUEUED job) or rejected with a code: "
    "UNSUPPORTED_TYPE, EMPTY_FILE, FILE_TOO_LARGE. One bad file never blocks the others. "
    "Too many upload calls from one user, token or address: 429 RATE_LIMITED with Retry-After.",
)
async def upload_documents(
    actor: Uploader,
    request: Request,
    ctx: Context,
    session: Session,
    files: Annotated[
        list[UploadFile],
        File(
            description="PDFs or e-invoice XML (CII/ZUGFeRD/Factur-X/XRechnung, UBL), sniffed "
            "by content (multipart field `files`)"
        ),
    ],
) -> UploadResponse:
    await limit_uploads(ctx.redis, ctx.settings, request, actor)
    service = ctx.uploads(session)
    outcome = await service.accept([IncomingFile(f.filename, chunks_of(f)) for f in files], actor)
    await commit(session)
    return upload_response(outcome)
