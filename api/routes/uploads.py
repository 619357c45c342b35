from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from api.auth.http import Uploader
from api.deps import Context, Session
from api.effects import commit
from api.errors import RejectedUpload, ValidationFailed
from api.rate_limit import limit_uploads
from api.routes.serializers import UploadResponse, upload_response
from api.services.uploads import IncomingFile
from api.uploads import chunks_of

router = APIRouter(prefix="/api/documents", tags=["documents"])

# The body as OpenAPI describes it. The route reads it itself (below), so FastAPI does not.
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "PDFs or e-invoice XML (CII/ZUGFeRD/Factur-X/"
                            "XRechnung, UBL), sniffed by content",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/upload",
    status_code=201,
    response_model=UploadResponse,
    summary="Upload one or more PDFs or e-invoice XML files",
    description="Each file is accepted (a document with a QUEUED job) or rejected with a code: "
    "UNSUPPORTED_TYPE, EMPTY_FILE, FILE_TOO_LARGE. One bad file never blocks the others. "
    "Too many upload calls from one user, token or address: 429 RATE_LIMITED with Retry-After. "
    "More than PAPERLANE_MAX_FILES_PER_UPLOAD files: 400 TOO_MANY_FILES; a broken multipart "
    "body: 400 INVALID_MULTIPART; no file in `files`: 422 VALIDATION_ERROR.",
    openapi_extra=UPLOAD_BODY,
)
async def upload_documents(
    actor: Uploader, request: Request, ctx: Context, session: Session
) -> UploadResponse:
    """The body is read here, after the caller is known and within its rate limit: declared as a
    ``File`` parameter, FastAPI would read (and spool to disk) every byte before any check, for
    anonymous callers too."""
    await limit_uploads(ctx.redis, ctx.settings, request, actor)
    most = ctx.settings.max_files_per_upload
    try:
        form = await request.form(max_files=most, max_fields=most)
    except HTTPException as error:  # Starlette's answer to a part too many or a broken body
        if str(error.detail).startswith("Too many files"):
            raise RejectedUpload(
                f"at most {most} files per upload", code="TOO_MANY_FILES"
            ) from error
        raise RejectedUpload(str(error.detail), code="INVALID_MULTIPART") from error
    try:
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not files:
            raise ValidationFailed(
                "send one or more files in the multipart field `files`", field="files"
            )
        service = ctx.uploads(session)
        outcome = await service.accept(
            [IncomingFile(f.filename, chunks_of(f)) for f in files], actor
        )
        await commit(session)
    finally:
        await form.close()  # the spooled files' temporary copies
    return upload_response(outcome)
