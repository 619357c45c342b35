"""GET /api/documents/{id}/file honours one byte range (206, Content-Range, Accept-Ranges) on both
storage backends; hostile Range headers never answer 5xx. Plus ``byte_range`` on its own."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from api.context import AppContext
from api.routes.ranges import RangeNotSatisfiable, byte_range
from api.settings import Settings
from tests.api.helpers import MINI_PDF, make_document
from tests.auth import Identity

SIZE = 3 * 1024 * 1024 + 17


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 100)),
        ("bytes=100-", (100, SIZE - 100)),
        ("bytes=-100", (SIZE - 100, 100)),
        ("bytes=-99999999999", (0, SIZE)),
        ("bytes=10-99999999999999", (10, SIZE - 10)),
        (" bytes = 5 - 9 ", (5, 5)),
        ("bytes=9-5", None),  # invalid: ignored
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-5", None),
        ("bytes=-", None),
        ("bytes=a-b", None),
        ("bytes=1e3-", None),
        ("bytes=٣-٥", None),  # non-ASCII digits
        ("bytes=0-" + "9" * 500, None),  # absurdly long
        ("bytes=99999999999999999999999-", None),  # more digits than a bigint
    ],
)
def test_byte_range(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, SIZE) == expected


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 5}-{SIZE + 9}", "bytes=-0"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, SIZE)


@pytest.fixture(params=["local", "s3"])
async def backend_client(
    request: pytest.FixtureRequest, settings: Settings, clean: None, admin: Identity
) -> AsyncIterator[tuple[httpx.AsyncClient, AppContext]]:
    from api.main import create_app

    update: dict[str, object] = {}
    if request.param == "s3":
        env = request.getfixturevalue("s3_env")
        update = {
            "storage_url": env["PAPERLANE_STORAGE_URL"],
            "s3_endpoint_url": env["PAPERLANE_S3_ENDPOINT_URL"],
            "s3_region": env["PAPERLANE_S3_REGION"],
            "s3_access_key_id": env["PAPERLANE_S3_ACCESS_KEY_ID"],
            "s3_secret_access_key": SecretStr(env["PAPERLANE_S3_SECRET_ACCESS_KEY"]),
        }
    own = settings.model_copy(update=update)
    application = create_app(own)
    ctx = AppContext.create(own)
    try:
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", headers=admin.headers
            ) as client:
                yield client, ctx
    finally:
        await ctx.aclose()


async def test_ranges_on_both_backends(
    backend_client: tuple[httpx.AsyncClient, AppContext],
) -> None:
    client, ctx = backend_client
    data = MINI_PDF + os.urandom(SIZE - len(MINI_PDF))
    document = await make_document(ctx, content=data)
    url = f"/api/documents/{document.id}/file"

    whole = await client.get(url)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-length"] == str(SIZE)

    part = await client.get(url, headers={"Range": "bytes=1048570-1048589"})
    assert part.status_code == 206
    assert part.content == data[1048570:1048590]
    assert part.headers["content-range"] == f"bytes 1048570-1048589/{SIZE}"
    assert part.headers["content-length"] == "20"
    assert part.headers["content-type"] == "application/pdf"

    tail = await client.get(url, headers={"Range": "bytes=-7"})
    assert tail.status_code == 206 and tail.content == data[-7:]

    past = await client.get(url, headers={"Range": f"bytes={SIZE}-"})
    assert past.status_code == 416
    assert past.headers["content-range"] == f"bytes */{SIZE}"

    for hostile in ["bytes=0-1,4-5", "bytes=x-y", "bytes=" + "9" * 300, "bytes=5-1"]:
        response = await client.get(url, headers={"Range": hostile})
        assert response.status_code == 200 and response.content == data, hostile
