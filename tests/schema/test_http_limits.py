"""Hostile bodies on /graphql (schema.http_limits, api.limits): a 4xx with a code, never a 500,
never a traceback, never seconds of parsing; long inputs are not echoed back in full."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from tests.api.helpers import make_document

MB = 1024 * 1024


def _no_traceback(response: httpx.Response) -> None:
    assert "Traceback" not in response.text and 'File "' not in response.text


async def test_sixty_megabyte_comment_is_refused_before_parsing(client: httpx.AsyncClient) -> None:
    query = "#" + "x" * (60 * MB) + "\n{ documentCounts { status count } }"
    body = json.dumps({"query": query}).encode()
    started = time.perf_counter()
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    elapsed = time.perf_counter() - started
    print(f"60 MB comment: {response.status_code} in {elapsed * 1000:.1f} ms")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "REQUEST_TOO_LARGE"
    assert elapsed < 0.1


async def test_streamed_body_without_length_is_cut_off(client: httpx.AsyncClient) -> None:
    async def chunks():
        for _ in range(64):
            yield b" " * (64 * 1024)

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "REQUEST_TOO_LARGE"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"query": "{ documentCounts { count } }\xff\xfe"}', "INVALID_JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "INVALID_JSON"),
        (
            b'{"query": "{ x }", "variables": ' + b'{"a":' * 20_000 + b"1" + b"}" * 20_001,
            "INVALID_JSON",
        ),
        (b"{", "INVALID_JSON"),
        (b"42", "INVALID_REQUEST"),
        (b'"query"', "INVALID_REQUEST"),
        (b"null", "INVALID_REQUEST"),
        (b'[{"query": "{ documentCounts { count } }"}]', "INVALID_REQUEST"),
        (b'{"query": 5}', "INVALID_REQUEST"),
        (b'{"query": "{ documentCounts { count } }", "variables": [1]}', "INVALID_REQUEST"),
    ],
    ids=[
        "invalid-utf8",
        "nested-100k",
        "deep-variables",
        "cut-off",
        "number",
        "string",
        "null",
        "batch",
        "query-not-string",
        "variables-not-object",
    ],
)
async def test_malformed_bodies_are_400_with_a_code(
    client: httpx.AsyncClient, body: bytes, code: str
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"]["code"] == code
    _no_traceback(response)


async def test_other_transport_refusals_have_the_error_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"query=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    response = await client.put("/graphql", json={"query": "{ documentCounts { count } }"})
    assert response.status_code in {400, 405}
    assert "error" in response.json()


async def test_long_inputs_are_not_echoed_or_logged_in_full(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    huge = "9" * 200_000
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/graphql",
            json={
                "query": "query($id: ID!) { document(id: $id) { id } }",
                "variables": {"id": huge},
            },
        )
        unknown = await client.post("/graphql", json={"query": "{ " + "y" * 200_000 + " }"})
    for answer in (response, unknown):
        assert answer.status_code == 200
        assert len(answer.content) < 2000, answer.text[:500]
        assert answer.json()["errors"]
    logged = [r for r in caplog.records if r.name.startswith(("paperlane", "strawberry"))]
    assert all(len(r.getMessage()) < 2000 for r in logged)
    assert not [r for r in logged if r.levelno >= logging.ERROR], "a client's mistake is no error"
    assert not [r for r in logged if r.exc_info], "and has no traceback"


async def test_response_ceiling(client: httpx.AsyncClient, ctx, monkeypatch) -> None:
    document = await make_document(ctx, raw_text="z" * 50_000)
    monkeypatch.setattr(ctx.settings, "graphql_max_response_bytes", 10_000)
    from api.settings import get_settings

    monkeypatch.setattr(get_settings(), "graphql_max_response_bytes", 10_000)
    response = await client.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { document(id: $id) { extraction { rawText } } }",
            "variables": {"id": str(document.id)},
        },
    )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
